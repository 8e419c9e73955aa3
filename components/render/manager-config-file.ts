/**
 * Where a runner manager reads its config.toml. Rendered file trees, the
 * Kubernetes Secret key and the manager's `--config` flag all use these, so
 * the file the manager reads is the file that is deployed.
 */
import { PATHS } from "../model/defaults.js";

export const CONFIG_TOML_FILE_NAME = "config.toml";

/** config.toml inside the manager's container or pod. */
export const MANAGER_CONFIG_TOML_PATH = `${PATHS.managerConfigDir}/${CONFIG_TOML_FILE_NAME}`;
