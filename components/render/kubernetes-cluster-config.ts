/** config.toml of a Kubernetes cluster's runner manager. */
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import type { ConfigToml } from "./config-toml-model.js";
import { configToml, configTomlText } from "./config-toml.js";
import type { SecretText } from "./secret-text.js";

export function kubernetesClusterConfig(
  fleet: Fleet,
  cluster: KubernetesCluster,
  secretText: SecretText,
): ConfigToml {
  return configToml(fleet, { kind: "kubernetes", cluster }, secretText);
}

export function kubernetesClusterConfigToml(
  fleet: Fleet,
  cluster: KubernetesCluster,
  secretText: SecretText,
): string {
  const target = { kind: "kubernetes", cluster } as const;
  return configTomlText(fleet, target, kubernetesClusterConfig(fleet, cluster, secretText));
}
