/**
 * The settings that cascade: each can be set in `defaults`, on a Docker host or
 * cluster, and (runner and dind settings) on a runner. The most specific level that
 * sets a field wins; lists and maps are replaced whole, never merged.
 *
 * Every field says what it means and its default (from DEFAULTS): the config
 * reference (docs/configuration.md) is generated from them. After a change run `npm run docs:config`
 * (test/docs/config-reference.test.ts fails until the page and schema agree).
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import { cacheSchema } from "./cache-schema.js";
import {
  accessLevelSchema,
  boundedInteger,
  defaultingTo,
  dnsSearchSchema,
  dnsServersSchema,
  dockerVersionSchema,
  extraHostsSchema,
  flag,
  imageReferenceSchema,
  insecureRegistriesSchema,
  listenAddressSchema,
  mtuSchema,
  optionalField,
  privilegeModeSchema,
  registryCertificatesSchema,
  registryMirrorsSchema,
  runnerImageSchema,
  runnerScopeSchema,
  storageDriverSchema,
} from "./field-schemas.js";

/** Settings of the runner-manager process (config.toml globals): `defaults`, host or cluster. */
export const managerSettingsShape = {
  runnerImage: defaultingTo(
    runnerImageSchema,
    DEFAULTS.runnerImage,
    "Pinned GitLab Runner image of the manager: tag `v<x.y.z>` or `alpine-v<x.y.z>`, or an `@sha256:` digest; `latest` is refused, and so are versions below 16.10, which silently ignore rendered keys.",
  ),
  concurrent: defaultingTo(
    boundedInteger(1, 1000),
    DEFAULTS.concurrent,
    "Jobs the manager runs at once, all its runners together (config.toml `concurrent`).",
  ),
  checkInterval: defaultingTo(
    boundedInteger(1, 3600),
    DEFAULTS.checkInterval,
    "Seconds between job requests to GitLab (`check_interval`).",
  ),
  shutdownTimeoutSeconds: defaultingTo(
    boundedInteger(1, 86_400),
    DEFAULTS.shutdownTimeoutSeconds,
    "Seconds the manager waits for running jobs when stopped (`shutdown_timeout`).",
  ),
  listenAddress: optionalField(
    listenAddressSchema,
    "Metrics listener, `host:port` or `:port` (`listen_address`: /metrics, /debug/jobs/list, pprof). On a Docker host the manager shares the host's network, so `:port` listens on `127.0.0.1:port` only; every host interface takes `0.0.0.0:port` or `[::]:port`. On Kubernetes `:port` listens on the pod IP (container port `metrics`).",
    "no listener",
  ),
};

/** Per-runner settings (one `[[runners]]` entry): `defaults`, host or cluster, runner. */
export const runnerSettingsShape = {
  limit: defaultingTo(
    boundedInteger(0, 1000),
    DEFAULTS.limit,
    "Jobs this runner runs at once; 0 lets the manager's `concurrent` alone cap it (`limit`).",
  ),
  requestConcurrency: defaultingTo(
    boundedInteger(1, 100),
    DEFAULTS.requestConcurrency,
    "Job requests in flight to GitLab (`request_concurrency`).",
  ),
  jobTimeoutSeconds: defaultingTo(
    boundedInteger(600, 2_592_000),
    DEFAULTS.jobTimeoutSeconds,
    "Longest job in seconds (10 minutes to 30 days); the manager's stop timeout and grace period are at least this.",
  ),
  buildImage: optionalField(
    imageReferenceSchema,
    "Default job image (`[runners.docker] image` / `[runners.kubernetes] image`), any reference Docker can pull.",
    "`docker:<dockerVersion>-cli` of the runner's dockerVersion",
  ),
  scope: optionalField(
    runnerScopeSchema,
    "Managed runners only: where GitLab keeps the runner, `instance`, `{ group: <full path or id> }` or `{ project: <full path or id> }`; a change replaces the runner.",
    "required with `gitlab.manageRunners`",
  ),
  runUntagged: defaultingTo(
    flag,
    DEFAULTS.managedRunner.runUntagged,
    "Managed runners only: the runner also takes jobs without tags (GitLab `run_untagged`).",
  ),
  locked: defaultingTo(
    flag,
    DEFAULTS.managedRunner.locked,
    "Managed runners only: a project runner cannot be enabled for other projects (GitLab `locked`).",
  ),
  paused: defaultingTo(
    flag,
    DEFAULTS.managedRunner.paused,
    "Managed runners only: the runner takes no new jobs (GitLab `paused`).",
  ),
  accessLevel: defaultingTo(
    accessLevelSchema,
    DEFAULTS.managedRunner.accessLevel,
    "Managed runners only: `not_protected`, or `ref_protected` for jobs of protected branches and tags only (GitLab `access_level`).",
  ),
  maximumTimeout: optionalField(
    boundedInteger(600, 2_592_000),
    "Managed runners only: longest job GitLab lets this runner run, in seconds (GitLab `maximum_timeout`).",
    "none: the project's timeout applies",
  ),
  cache: optionalField(
    cacheSchema,
    "Distributed cache of the runners (`[runners.cache]`, cache settings below); the most specific level that sets it wins as a whole.",
    "`type: none`: GitLab Runner's local cache",
  ),
};

/** Docker-in-Docker settings a runner may override. */
export const runnerDindShape = {
  dockerVersion: defaultingTo(
    dockerVersionSchema,
    DEFAULTS.dind.dockerVersion,
    "Pinned Docker version `x.y.z` of the service `docker:<v>-dind` and the job image `docker:<v>-cli`; `latest`, `stable`, `dind`, `28` are refused.",
  ),
  tls: defaultingTo(
    flag,
    DEFAULTS.dind.tls,
    "Serve the dind API with TLS: job `DOCKER_HOST=tcp://docker:2376`, `DOCKER_TLS_VERIFY=1`, `DOCKER_CERT_PATH=/dind-runners-certs/client`; service `DOCKER_TLS_CERTDIR=/dind-runners-certs`, `HEALTHCHECK_TCP_PORT=2376`; the client certificates in a volume per job (Docker) or an in-memory `empty_dir` (Kubernetes). false: `tcp://docker:2375`, `HEALTHCHECK_TCP_PORT=2375` and `--tls=false`, an unauthenticated, root-equivalent API: on a Docker host only with `allowUnauthenticatedApi: true`; refused on Kubernetes, where it would be reachable from the whole cluster network.",
  ),
  allowUnauthenticatedApi: defaultingTo(
    flag,
    DEFAULTS.dind.allowUnauthenticatedApi,
    "Docker hosts only: accept `tls: false`, whose dind serves its API on tcp 2375 without any authentication (root on the host for whoever reaches it). Such a runner gets a network of its own per job (`[runners.feature_flags] FF_NETWORK_PER_BUILD = true`), so other jobs on the host cannot reach it; the job's own containers still can. No effect on Kubernetes, which refuses `tls: false` regardless.",
  ),
  storageDriver: defaultingTo(
    storageDriverSchema,
    DEFAULTS.dind.storageDriver,
    "Storage driver of the dind daemon (daemon.json `storage-driver`, repeated as the service's `DOCKER_DRIVER` so a job variable cannot override it); `vfs` is slow (a warning); `fuse-overlayfs` is refused: the `docker:<v>-dind` image has no binary for it.",
  ),
  insecureRegistries: defaultingTo(
    insecureRegistriesSchema,
    DEFAULTS.dind.insecureRegistries,
    "`host[:port]` registries dind reaches over http or with untrusted certificates (daemon.json `insecure-registries`); no scheme.",
  ),
  registryMirrors: defaultingTo(
    registryMirrorsSchema,
    DEFAULTS.dind.registryMirrors,
    "`http(s)://host` URLs of Docker Hub pull-through mirrors, in order (daemon.json `registry-mirrors`); no credentials, query or fragment; a path prefix only from Docker 25.0 (older dockerd refuses to start with one).",
  ),
  mtu: optionalField(
    mtuSchema,
    "MTU (68 to 65535) of dind's bridge (daemon.json `mtu`: `docker run`, `RUN` steps) and of the networks it creates (`default-network-opts` bridge `com.docker.network.driver.mtu`, Docker \u2265 24.0); on Docker hosts also of each job's own network, dind's pulls and pushes included (`network_mtu` with `[runners.feature_flags] FF_NETWORK_PER_BUILD = true`, which GitLab Runner needs to apply it). Set it to the host's or pod's MTU or lower (GKE 1460, VXLAN 1450).",
    "dockerd's 1500",
  ),
  dns: defaultingTo(
    dnsServersSchema,
    DEFAULTS.dind.dns,
    "DNS server IP addresses of the containers dind starts (daemon.json `dns`); `[]`: dind's own resolv.conf.",
  ),
  dnsSearch: defaultingTo(
    dnsSearchSchema,
    DEFAULTS.dind.dnsSearch,
    "DNS search domains of the containers dind starts (daemon.json `dns-search`), as dockerd validates them; `[]`: dind's own.",
  ),
  registryCertificates: defaultingTo(
    registryCertificatesSchema,
    DEFAULTS.dind.registryCertificates,
    "Registry `host[:port]` to the CA PEM dind trusts for it: `/etc/docker/certs.d/<host[:port]>/ca.crt` in the dind service (Docker: `<hostConfigDir>/certs.d/<runner>` on the host, bound read-only; Kubernetes: ConfigMap `dind-registry-certificates`, keys `<runner>.<host>_<port>.crt`, mounted with `items`). The port must be the one in the image names. `gitlab.caCertificate` is added for GitLab's registries unless named here; a registry may not be both here and in `insecureRegistries`.",
  ),
  extraHosts: defaultingTo(
    extraHostsSchema,
    DEFAULTS.dind.extraHosts,
    "Lowercase `hostname: IP` entries jobs and dind resolve without DNS (`extra_hosts` on Docker, `host_aliases` on Kubernetes).",
  ),
  privilegeMode: defaultingTo(
    privilegeModeSchema,
    DEFAULTS.dind.privilegeMode,
    "Who runs privileged. `services-only`: Docker `privileged = false`, `services_privileged = true`, `allowed_privileged_services` = the dind image; Kubernetes `service_container_security_context.privileged = true`. `all`: every job container (`privileged = true`), refused with `production: true`.",
  ),
};

/** Docker-in-Docker settings of `defaults`, a host or a cluster. */
export const targetDindShape = {
  ...runnerDindShape,
  manageOverlayModule: defaultingTo(
    flag,
    DEFAULTS.dind.manageOverlayModule,
    "Load and persist the kernel's `overlay` module on the host (a privileged helper container that binds the host's `/` read-only at `/host` to run the host's own `modprobe` when overlay is missing) or on every node (a DaemonSet); not a runner setting.",
  ),
};

export const runnerDindSchema = z.strictObject(runnerDindShape);
export const targetDindSchema = z.strictObject(targetDindShape);
export const managerSettingsSchema = z.strictObject(managerSettingsShape);
export const runnerSettingsSchema = z.strictObject(runnerSettingsShape);

export type ManagerSettingsConfig = z.output<typeof managerSettingsSchema>;
export type RunnerSettingsConfig = z.output<typeof runnerSettingsSchema>;
export type RunnerDindConfig = z.output<typeof runnerDindSchema>;
export type TargetDindConfig = z.output<typeof targetDindSchema>;
