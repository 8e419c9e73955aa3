/** A hand-built fleet of one tcp:// host, one unreachable unix:// host and one cluster. */
import type { PulumiDriftSource } from "../../components/drift/automation-drift-source.js";
import type { DriftTargetOptions } from "../../components/drift/drift-targets.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import type {
  DockerHost,
  Fleet,
  KubernetesCluster,
  ManagerSettings,
} from "../../components/model/fleet.js";
import { jobPods } from "../render/fixtures.js";

const MANAGER: ManagerSettings = {
  runnerImage: DEFAULTS.runnerImage,
  concurrent: 4,
  checkInterval: 3,
  shutdownTimeoutSeconds: 30,
};

const TCP_HOST: DockerHost = {
  variant: "docker",
  name: "build-stg-2",
  endpoint: {
    kind: "tcp",
    url: "tcp://build-stg-2.example.internal:2376",
    host: "build-stg-2.example.internal",
    port: 2376,
    tls: {
      caCert: "CA",
      clientCert: "CERT",
      clientKey: { kind: "secret", configPath: "dockerHosts[0].tls.clientKey" },
    },
  },
  manager: MANAGER,
  hostConfigDir: "/etc/dind-runners",
  manageOverlayModule: false,
  runners: [],
};

const UNIX_HOST: DockerHost = {
  variant: "docker",
  name: "local",
  endpoint: {
    kind: "unix",
    url: "unix:///nonexistent/docker.sock",
    socketPath: "/nonexistent/docker.sock",
  },
  manager: MANAGER,
  hostConfigDir: "/etc/dind-runners",
  manageOverlayModule: true,
  runners: [],
};

const CLUSTER: KubernetesCluster = {
  variant: "kubernetes",
  name: "k8s",
  context: "ctx",
  namespace: "gitlab-runner",
  manager: MANAGER,
  manageOverlayModule: true,
  prometheusOperator: false,
  managerAvoidsJobNodes: true,
  jobPods: jobPods(),
  runners: [],
};

export const FLEET: Fleet = {
  environment: "staging",
  production: false,
  gitlab: { url: "https://gitlab.example.com" },
  dockerHosts: [TCP_HOST, UNIX_HOST],
  kubernetesClusters: [CLUSTER],
};

export const CONFIG = "concurrent = 4\n";

export function options(overrides: Partial<DriftTargetOptions> = {}): DriftTargetOptions {
  return {
    desiredConfigToml: (_fleet, target) =>
      target.variant === "docker" ? `# ${target.name}\n${CONFIG}` : CONFIG,
    tlsKeys: { env: {}, keyFiles: new Map(), readFile: () => "" },
    kubectl: () =>
      Promise.resolve({
        code: 0,
        stdout: JSON.stringify({
          data: { "config.toml": Buffer.from("concurrent = 4\n").toString("base64") },
        }),
        stderr: "",
      }),
    ...overrides,
  };
}

export const NO_DRIFT: PulumiDriftSource = {
  check: () =>
    Promise.resolve({
      changeSummary: { refresh: { same: 3 }, preview: { same: 3 } },
      resources: [],
    }),
};
