/**
 * Reads a rendered config.toml back the way a test wants it: plain objects
 * (JSON round trip drops @iarna/toml's null prototypes and type markers), typed
 * as the model so assertions read like the config, with the executor checked.
 */
import assert from "node:assert/strict";
import TOML from "@iarna/toml";
import type {
  ConfigToml,
  DockerRunnerToml,
  KubernetesRunnerToml,
} from "../../components/render/config-toml-model.js";

/** Parsed TOML as plain data; fails the test when the text is not valid TOML. */
export function parseToml(text: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(TOML.parse(text))) as Record<string, unknown>;
}

export function parseConfigToml(text: string): ConfigToml {
  return parseToml(text) as unknown as ConfigToml;
}

export function dockerRunnerAt(config: ConfigToml, index: number): DockerRunnerToml {
  const entry = config.runners[index];
  assert.equal(entry?.executor, "docker", `runners[${index}] should use the docker executor`);
  return entry;
}

export function kubernetesRunnerAt(config: ConfigToml, index: number): KubernetesRunnerToml {
  const entry = config.runners[index];
  assert.equal(
    entry?.executor,
    "kubernetes",
    `runners[${index}] should use the kubernetes executor`,
  );
  return entry;
}

/** Value of `NAME` in a `NAME=value` list; undefined when the variable is not set. */
export function variable(environment: readonly string[], name: string): string | undefined {
  const entry = environment.find((item) => item.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}
