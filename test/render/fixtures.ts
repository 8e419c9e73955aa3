/**
 * Hand-built fleets for renderer tests: fully resolved models (every default
 * applied), independent of the config loader so a loader bug cannot hide a
 * renderer bug. Values are the product defaults unless a test overrides them.
 */
import type {
  DindSettings,
  DockerHost,
  Fleet,
  HousekeepingSettings,
  JobPodSettings,
  KubernetesCluster,
  ManagerSettings,
  Runner,
  SecretRef,
} from "../../components/model/fleet.js";
import type { SecretText } from "../../components/render/secret-text.js";
import { DEFAULTS } from "../../components/model/defaults.js";

export const DOCKER_VERSION = "29.7.2";

export function dind(overrides: Partial<DindSettings> = {}): DindSettings {
  return {
    dockerVersion: DOCKER_VERSION,
    tls: true,
    storageDriver: "overlay2",
    insecureRegistries: [],
    registryMirrors: [],
    dns: [],
    dnsSearch: [],
    registryCertificates: [],
    extraHosts: [],
    privilegeMode: "services-only",
    ...overrides,
  };
}

/** Job pod settings: the product's default requests and limits, 20Gi dind storage, any node. */
export function jobPods(overrides: Partial<JobPodSettings> = {}): JobPodSettings {
  const defaults = DEFAULTS.kubernetes.jobPods;
  return {
    build: { ...defaults.build },
    helper: { ...defaults.helper },
    services: { ...defaults.services },
    dindStorageSizeLimit: "20Gi",
    allowedServices: [],
    nodeSelector: [],
    tolerations: [],
    ...overrides,
  };
}

export function manager(overrides: Partial<ManagerSettings> = {}): ManagerSettings {
  return {
    runnerImage: "gitlab/gitlab-runner:v19.3.0",
    concurrent: 4,
    checkInterval: 3,
    shutdownTimeoutSeconds: 30,
    ...overrides,
  };
}

/** Housekeeping as a host gets it from the built-in defaults (hourly, 14 days, 24 hours, 10 %). */
export function housekeeping(overrides: Partial<HousekeepingSettings> = {}): HousekeepingSettings {
  return {
    intervalSeconds: 3600,
    cacheVolumeDays: 14,
    exitedContainerHours: 24,
    imageDays: 14,
    minFreePercent: 10,
    dockerDataRoot: "/var/lib/docker",
    ...overrides,
  };
}

/** A runner; its token path is set by {@link fleet} from its position. */
export function runner(name: string, overrides: Partial<Omit<Runner, "name">> = {}): Runner {
  return {
    name,
    tags: ["dind"],
    token: secretRef(`runners.${name}.token`),
    limit: 0,
    requestConcurrency: 1,
    jobTimeoutSeconds: 3600,
    buildImage: `docker:${DOCKER_VERSION}-cli`,
    dind: dind(),
    cache: { type: "none" },
    backend: { kind: "dind" },
    ...overrides,
  };
}

export function dockerHost(
  name: string,
  runners: readonly Runner[],
  overrides: Partial<Omit<DockerHost, "variant" | "name" | "runners">> = {},
): DockerHost {
  return {
    variant: "docker",
    name,
    endpoint: {
      kind: "unix",
      url: "unix:///var/run/docker.sock",
      socketPath: "/var/run/docker.sock",
    },
    manager: manager(),
    hostConfigDir: "/etc/dind-runners",
    manageOverlayModule: true,
    runners,
    ...overrides,
  };
}

export function kubernetesCluster(
  name: string,
  runners: readonly Runner[],
  overrides: Partial<Omit<KubernetesCluster, "variant" | "name" | "runners">> = {},
): KubernetesCluster {
  return {
    variant: "kubernetes",
    name,
    context: `${name}-context`,
    namespace: "gitlab-runner",
    manager: manager(),
    manageOverlayModule: true,
    managerAvoidsJobNodes: true,
    prometheusOperator: false,
    jobPods: jobPods(),
    runners,
    ...overrides,
  };
}

/** A fleet whose runner tokens point at their stack-config paths, as the loader would set them. */
export function fleet(
  parts: {
    readonly dockerHosts?: readonly DockerHost[];
    readonly kubernetesClusters?: readonly KubernetesCluster[];
  } & Partial<Omit<Fleet, "dockerHosts" | "kubernetesClusters">>,
): Fleet {
  const { dockerHosts = [], kubernetesClusters = [], ...rest } = parts;
  return {
    environment: "test",
    production: false,
    gitlab: { url: "https://gitlab.example.com" },
    ...rest,
    dockerHosts: dockerHosts.map((host, h) => ({
      ...host,
      runners: host.runners.map((r, i) => ({
        ...r,
        token: secretRef(`dockerHosts[${h}].runners[${i}].token`),
      })),
    })),
    kubernetesClusters: kubernetesClusters.map((cluster, c) => ({
      ...cluster,
      runners: cluster.runners.map((r, i) => ({
        ...r,
        token: secretRef(`kubernetesClusters[${c}].runners[${i}].token`),
      })),
    })),
  };
}

export function secretRef(configPath: string): SecretRef {
  return { kind: "secret", configPath };
}

/** Stands in for the plaintext `pulumi up` would pass: a recognisable fake token per secret. */
export const fakeTokenText: SecretText = (ref) =>
  `glrt-FAKE-${ref.configPath.replace(/[^A-Za-z0-9]+/g, "-")}`;

/** A real (self-signed, EC) CA certificate, "CN=Example Internal CA": stack configs check that PEMs parse. */
export const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUARD9MMX+mU/PmCvid9+0TAPWcy4wCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTRXhhbXBsZSBJbnRlcm5hbCBDQTAeFw0yNjExMjIxMDQ0Mzha
Fw0zNjExMTkxMDQ0MzhaMB4xHDAaBgNVBAMME0V4YW1wbGUgSW50ZXJuYWwgQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASZRnL6pfanHhUzijIiz+XYwZWRkvgG
mY8Vg1gSvjStBhoz6Gqpx00pimk66hvYCkT6R+XxEsyRLE58zoFn6mLGo1MwUTAd
BgNVHQ4EFgQUOwY/CKRfa3aMHEXNCj8+fF8raTQwHwYDVR0jBBgwFoAUOwY/CKRf
a3aMHEXNCj8+fF8raTQwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEA3ftkluSVXzKK3UEPi+RlMFLN1rd1+n11mnoRuzo5R/ICICgOXU9kNnhz/Idp
0yV/Zo6u9kPVklsay0TruwJ77EKe
-----END CERTIFICATE-----
`;

/** One Docker host with one runner using the defaults (TLS on, services-only, no registries). */
export function smallDockerFleet(dindOverrides: Partial<DindSettings> = {}): Fleet {
  return fleet({
    dockerHosts: [dockerHost("build-1", [runner("build-1-dind", { dind: dind(dindOverrides) })])],
  });
}

/** One cluster with one runner using the defaults (TLS on, services-only, no registries). */
export function smallKubernetesFleet(dindOverrides: Partial<DindSettings> = {}): Fleet {
  return fleet({
    kubernetesClusters: [
      kubernetesCluster("k8s-1", [runner("k8s-1-dind", { dind: dind(dindOverrides) })]),
    ],
  });
}

/** Something of every kind: CA, metrics, limits, registries, extra hosts, both TLS and privilege modes. */
export function varietyFleet(): Fleet {
  const registry = {
    insecureRegistries: ["registry.example.internal:5000", "10.0.0.9:5000"],
    registryMirrors: ["https://mirror.example.internal", "http://10.0.0.8:5000"],
    extraHosts: [
      { hostname: "registry.example.internal", ip: "10.0.0.9" },
      { hostname: "cache.example.internal", ip: "10.0.0.9" },
      { hostname: "mirror.example.internal", ip: "10.0.0.8" },
    ],
  };
  return fleet({
    environment: "variety",
    gitlab: { url: "https://gitlab.example.internal", caCertificate: CA_PEM },
    dockerHosts: [
      dockerHost(
        "build-a",
        [
          runner("a-tls", { limit: 2, dind: dind(registry) }),
          runner("a-plain-all", { dind: dind({ tls: false, privilegeMode: "all" }) }),
        ],
        { manager: manager({ concurrent: 12, listenAddress: ":9252" }) },
      ),
      dockerHost("build-b", [runner("b-vfs", { dind: dind({ storageDriver: "vfs" }) })], {
        manageOverlayModule: false,
      }),
    ],
    kubernetesClusters: [
      kubernetesCluster(
        "k8s-a",
        [
          runner("k-tls", { requestConcurrency: 3, dind: dind(registry) }),
          runner("k-plain-all", { dind: dind({ tls: false, privilegeMode: "all" }) }),
        ],
        {
          jobPods: jobPods({
            build: { cpuRequest: "1", cpuLimit: "4", memoryRequest: "2Gi", memoryLimit: "8Gi" },
            allowedServices: ["postgres:16*", "redis:7.4"],
            nodeSelector: [
              { key: "ci.example.com/pool", value: "dind" },
              { key: "kubernetes.io/os", value: "linux" },
            ],
            tolerations: [
              { key: "ci.example.com/dedicated", value: "dind", effect: "NoSchedule" },
              { key: "ci.example.com/spot" },
            ],
          }),
        },
      ),
    ],
  });
}

/** The `buildkit` backend as the loader resolves it by default. */
export const BUILDKIT_BACKEND = {
  kind: "buildkit",
  image: "moby/buildkit:v0.32.2-rootless",
  cacheMaxUsedSpace: "10GB",
} as const;

/** Registry settings of every kind (insecure, mirrors over https and http, a CA, an extra host). */
export function registryDind(overrides: Partial<DindSettings> = {}): DindSettings {
  return dind({
    insecureRegistries: ["10.0.0.9:5000"],
    registryMirrors: ["https://mirror.example.internal", "http://10.0.0.8:5000/hub"],
    registryCertificates: [{ registry: "registry.example.internal:5050", caCertificate: CA_PEM }],
    extraHosts: [{ hostname: "registry.example.internal", ip: "10.0.0.9" }],
    ...overrides,
  });
}

/**
 * Every backend: a Docker host with a socket and a buildkit runner (as the
 * loader resolves a socket runner: no registry settings), and a cluster with
 * only a buildkit runner (so no overlay DaemonSet).
 */
export function backendsFleet(): Fleet {
  return fleet({
    dockerHosts: [
      dockerHost(
        "build-1",
        [
          runner("build-1-socket", { backend: { kind: "socket" }, tags: ["socket"] }),
          runner("build-1-buildkit", {
            dind: registryDind({ mtu: 1450 }),
            backend: BUILDKIT_BACKEND,
            tags: ["buildkit"],
          }),
        ],
        { manageOverlayModule: false },
      ),
    ],
    kubernetesClusters: [
      kubernetesCluster(
        "k8s-1",
        [runner("k8s-1-buildkit", { dind: registryDind(), backend: BUILDKIT_BACKEND })],
        { manageOverlayModule: false },
      ),
    ],
  });
}
