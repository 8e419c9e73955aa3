/**
 * TOML paths as the drift report prints them: `concurrent`,
 * `runners["prod-1-dind"].docker.volumes`, `runners["a"].docker.services[0].alias`.
 * Runners are named by their `name`, since that is how they are matched. Pure.
 */
import { formatKey } from "./toml-value.js";

export function childPath(parent: string, key: string): string {
  return parent === "" ? formatKey(key) : `${parent}.${formatKey(key)}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function runnerPath(name: string): string {
  return `runners[${JSON.stringify(name)}]`;
}
