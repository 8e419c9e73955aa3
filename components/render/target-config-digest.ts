/**
 * The config digest a component exports for its host or cluster: computed from
 * the redacted rendering, so it changes with what is deployed but holds no secret.
 */
import type { Fleet } from "../model/fleet.js";
import { configDigest } from "./config-digest.js";
import {
  DOCKER_HOSTS_DIR,
  KUBERNETES_CLUSTERS_DIR,
  renderFleetFiles,
} from "./render-fleet-files.js";
import { redactedSecretText } from "./secret-text.js";

export function targetConfigDigest(
  fleet: Fleet,
  target: { readonly kind: "docker-host" | "kubernetes-cluster"; readonly name: string },
): string {
  const dir = target.kind === "docker-host" ? DOCKER_HOSTS_DIR : KUBERNETES_CLUSTERS_DIR;
  const prefix = `${dir}/${target.name}/`;
  return configDigest(
    renderFleetFiles(fleet, redactedSecretText).filter((file) => file.path.startsWith(prefix)),
  );
}
