/** config.toml of a Kubernetes cluster's runner manager. */
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import type { ConfigToml } from "./config-toml-model.js";
import { configToml, managerConfigToml } from "./config-toml.js";
import type { SecretText } from "./secret-text.js";

export function kubernetesClusterConfig(
  fleet: Fleet,
  cluster: KubernetesCluster,
  secretText: SecretText,
): ConfigToml {
  return configToml(fleet, cluster, secretText);
}

export function kubernetesClusterConfigToml(
  fleet: Fleet,
  cluster: KubernetesCluster,
  secretText: SecretText,
): string {
  return managerConfigToml(fleet, cluster, secretText);
}
