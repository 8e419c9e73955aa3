/**
 * Every default of the product, in one place. The config reference (docs/configuration.md) and
 * the JSDoc of the schema quote these values; tests read them from here.
 */
import type { Toleration } from "./fleet.js";

export const DEFAULTS = {
  /** A stack is not a production stack unless it says so. */
  production: false,
  /** Pinned GitLab Runner manager image. */
  runnerImage: "gitlab/gitlab-runner:v19.3.0",
  /** GitLab Runner's own default for `concurrent` is 1; four jobs per host is a sane build-host start. */
  concurrent: 4,
  /** GitLab Runner's default `check_interval`. */
  checkInterval: 3,
  /**
   * Host of a Docker host's metrics listener given as `:port`: loopback, since
   * the manager shares the host's network and the listener also serves pprof.
   */
  dockerHostMetricsHost: "127.0.0.1",
  /** GitLab Runner's default `shutdown_timeout`. */
  shutdownTimeoutSeconds: 30,
  /** Directory on a Docker host holding everything this product writes there (`hostConfigDir`). */
  hostConfigDir: "/etc/dind-runners",
  /** Per-runner `limit`: 0 lets `concurrent` alone cap the host. */
  limit: 0,
  /** GitLab Runner's default `request_concurrency`. */
  requestConcurrency: 1,
  /** GitLab's default project job timeout (1 h). */
  jobTimeoutSeconds: 3600,
  dind: {
    /**
     * Pinned Docker version of `docker:<v>-dind` and `docker:<v>-cli`. 29 is the
     * supported line: docker-library/docker dropped 28.x as end of life (commit
     * 3e3f724, 2025-11-10); 29.7.2 is the `29` entry of its versions.json, so
     * both tags exist.
     */
    dockerVersion: "29.7.2",
    tls: true,
    /** `tls: false` is refused unless a stack accepts the unauthenticated API it serves (Docker hosts only). */
    allowUnauthenticatedApi: false,
    storageDriver: "overlay2",
    insecureRegistries: [] as readonly string[],
    registryMirrors: [] as readonly string[],
    /** No `mtu` key: dockerd's own default, 1500. */
    mtu: undefined,
    dns: [] as readonly string[],
    dnsSearch: [] as readonly string[],
    registryCertificates: {} as Readonly<Record<string, string>>,
    extraHosts: {} as Readonly<Record<string, string>>,
    privilegeMode: "services-only",
    manageOverlayModule: true,
    /** Today's behaviour: each job gets its own dind service. */
    backend: "dind",
    /** The `socket` backend (every job root on the host) is refused in a production stack unless it opts in. */
    allowSocketInProduction: false,
    /**
     * Pinned rootless BuildKit of the `buildkit` backend: `moby/buildkit:v<v>-rootless`
     * (v0.32.2 is the newest tag of moby/buildkit).
     */
    buildkitVersion: "0.32.2",
    /**
     * Most disk a BuildKit service's cache may use (buildkitd.toml `maxUsedSpace`); on
     * Kubernetes the cache volume's `size_limit` is `jobPods.dindStorageSizeLimit`.
     */
    buildkitCacheMaxUsedSpace: "10GB",
  },
  /**
   * Housekeeping of GitLab Runner's objects on Docker hosts: on, with ages
   * that keep a week's caches warm and a free-space floor that stops a full disk.
   */
  housekeeping: {
    enabled: true,
    /** One pass an hour: removal is not urgent unless the disk fills, and the floor catches that. */
    intervalMinutes: 60,
    /** Two weeks: a project building less often than that rebuilds its cache anyway. */
    cacheVolumeDays: 14,
    /** A day: long enough to inspect a failed job's containers, if GitLab Runner left any. */
    exitedContainerHours: 24,
    /** Two weeks unused by any job. */
    imageDays: 14,
    /** Below 10 % free, jobs start to fail on pulls and builds. */
    minFreePercent: 10,
    /** dockerd's default `data-root`. */
    dockerDataRoot: "/var/lib/docker",
  },
  cache: {
    /** No distributed cache: GitLab Runner's local cache, as before caches were configurable. */
    type: "none",
    /** GitLab Runner's default: each runner keeps its own objects. */
    shared: false,
    /** GitLab Runner's default: no size limit. */
    maxUploadedArchiveSize: 0,
    /** S3 authentication: `iam` unless access keys are given. */
    s3AuthenticationType: "iam",
    /** GitLab Runner's default: https. */
    s3Insecure: false,
    s3Accelerate: false,
    /** A plain-http S3 endpoint is refused in a production stack unless it says so. */
    allowInsecure: false,
  },
  /** Runners and their tokens are made by hand unless the stack sets `gitlab.manageRunners`. */
  manageRunners: false,
  /** Settings of runners that `pulumi up` manages in GitLab (`gitlab.manageRunners: true`). */
  managedRunner: {
    /** A job without tags never lands on a privileged dind runner unless the stack says so. */
    runUntagged: false,
    /** GitLab's default: a project runner may be enabled for other projects. */
    locked: false,
    /** GitLab's default: the runner takes jobs. */
    paused: false,
    /** GitLab's default: jobs of any branch or tag. */
    accessLevel: "not_protected",
    /**
     * `pulumi up` resets an expiring token once half its lifetime has passed:
     * earlier than GitLab Runner's own 75 %, so a deployment that runs weekly
     * renews a token of a few weeks' lifetime well before it expires.
     */
    renewTokensAtPercent: 50,
    /** `npm run drift` warns when a runner token expires within this many days. */
    tokenExpiryWarningDays: 14,
  },
  kubernetes: {
    /** Namespace of the manager and of job pods. */
    namespace: "gitlab-runner",
    /**
     * The manager pod never shares a node with a GitLab Runner job pod: a job
     * is root on its node through dind and could read the manager's mounted
     * config Secret (every runner token) and ServiceAccount token.
     */
    managerAvoidsJobNodes: true,
    /** No `PodMonitor`/`PrometheusRule` unless the cluster says it runs the Prometheus Operator (its CRDs must exist). */
    prometheusOperator: false,
    /**
     * Job pods: every container gets CPU and memory requests (so a job pod is
     * never BestEffort, the first to be evicted) and memory and
     * ephemeral-storage limits. No CPU limits: CPU is compressible, and a
     * limit only throttles builds on an otherwise idle node.
     */
    jobPods: {
      build: {
        cpuRequest: "500m",
        memoryRequest: "1Gi",
        memoryLimit: "4Gi",
        ephemeralStorageRequest: "1Gi",
        ephemeralStorageLimit: "10Gi",
      },
      helper: {
        cpuRequest: "100m",
        memoryRequest: "128Mi",
        memoryLimit: "512Mi",
        ephemeralStorageRequest: "256Mi",
        ephemeralStorageLimit: "1Gi",
      },
      /**
       * dind keeps images and layers on its own volume (below), but the
       * kubelet evicts a pod whose total ephemeral storage, emptyDir volumes
       * included, exceeds the sum of its containers' limits: this limit leaves
       * room for that volume.
       */
      services: {
        cpuRequest: "1",
        memoryRequest: "2Gi",
        memoryLimit: "8Gi",
        ephemeralStorageRequest: "4Gi",
        ephemeralStorageLimit: "24Gi",
      },
      dindStorageSizeLimit: "20Gi",
      allowedServices: [] as readonly string[],
      nodeSelector: {} as Readonly<Record<string, string>>,
      tolerations: [] as readonly Toleration[],
    },
  },
} as const;

/**
 * Paths shared by the renderers, the Pulumi components and drift detection.
 * Paths on a Docker host depend on its `hostConfigDir`: see host-paths.ts.
 */
export const PATHS = {
  /** The manager's config directory inside its container or pod. */
  managerConfigDir: "/etc/gitlab-runner",
  /** Where the dind daemon reads its config. */
  dindDaemonJson: "/etc/docker/daemon.json",
  /**
   * The runner's dind keeps its certificates here (its `DOCKER_TLS_CERTDIR`),
   * and jobs read the client half from `<dir>/client`. Not GitLab's `/certs`:
   * a job that declares its own `docker:dind` service (GitLab's recipe) runs
   * that dind's entrypoint with the image default `/certs`, which writes a new
   * CA and client certificate before its dockerd fails to bind the port the
   * runner's dind holds. Apart from ours, that can only break itself.
   */
  dindCertDir: "/dind-runners-certs",
  dindClientCertDir: "/dind-runners-certs/client",
  /** dind's data root: images, layers, build cache. */
  dindDataRoot: "/var/lib/docker",
} as const;
