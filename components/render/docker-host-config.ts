/** config.toml of a Docker host's runner manager. */
import type { DockerHost, Fleet } from "../model/fleet.js";
import type { ConfigToml } from "./config-toml-model.js";
import { configToml, managerConfigToml } from "./config-toml.js";
import type { SecretText } from "./secret-text.js";

export function dockerHostConfig(
  fleet: Fleet,
  host: DockerHost,
  secretText: SecretText,
): ConfigToml {
  return configToml(fleet, host, secretText);
}

export function dockerHostConfigToml(
  fleet: Fleet,
  host: DockerHost,
  secretText: SecretText,
): string {
  return managerConfigToml(fleet, host, secretText);
}
