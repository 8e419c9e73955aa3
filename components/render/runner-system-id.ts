/**
 * A stable runner system ID per cluster. GitLab registers one runner manager
 * per (runner, system ID). GitLab Runner keeps its ID in `.runner_system_id`
 * next to config.toml and creates one only when that file is missing or
 * malformed; it then tries to save it there (gitlab-runner
 * commands/internal/configfile/configfile.go ConfigFile.Load,
 * system_id_state.go newSystemIDState). The Kubernetes manager's config
 * directory is a read-only Secret mount, so the save fails, and without a
 * machine ID in the image the new ID is random: every pod start would appear
 * in GitLab as another runner manager. Rendering the file into the Secret
 * gives every pod of the cluster's one manager the same ID.
 *
 * The ID is derived from the environment and the cluster name only, so it
 * survives pod restarts, upgrades and redeploys, and differs between clusters
 * and stacks. `s_` plus 12 characters is the form the runner accepts
 * (`^[sr]_[0-9a-zA-Z]{12}$`, system_id_state.go loadFromFile; `s_` is what it
 * uses for IDs derived from the machine rather than random ones).
 */
import { createHash } from "node:crypto";
import type { Fleet, KubernetesCluster } from "../model/fleet.js";

/** The file GitLab Runner reads its system ID from, in the directory of config.toml. */
export const RUNNER_SYSTEM_ID_FILE_NAME = ".runner_system_id";

/** What GitLab Runner accepts in that file (anything else is ignored and replaced). */
export const RUNNER_SYSTEM_ID_FORMAT = /^[sr]_[0-9a-zA-Z]{12}$/;

const ID_LENGTH = 12;

export function runnerSystemId(
  fleet: Pick<Fleet, "environment">,
  cluster: Pick<KubernetesCluster, "name">,
): string {
  const digest = createHash("sha256")
    .update(`dind-runners\0${fleet.environment}\0kubernetes-cluster\0${cluster.name}`)
    .digest("hex");
  return `s_${digest.slice(0, ID_LENGTH)}`;
}
