/**
 * Matching a cluster's or Docker host's runners with the token values `pulumi up` was given.
 * Tokens are keyed by the config path their SecretRef names, so a token can
 * never end up in another runner's `[[runners]]` entry.
 */
import { cacheSecrets } from "../model/cache.js";
import type { Runner, SecretRef } from "../model/fleet.js";

/** Config paths of the runner tokens of a cluster or Docker host that have no value, in runner order. */
export function missingTokenPaths(
  cluster: { readonly runners: readonly Runner[] },
  tokens: Readonly<Record<string, unknown>>,
): string[] {
  return cluster.runners
    .map((runner) => runner.token.configPath)
    .filter((path) => !Object.hasOwn(tokens, path));
}

/** The plaintext of one token; throws naming the config path when there is none. */
export function tokenText(plain: Readonly<Record<string, string>>, ref: SecretRef): string {
  const value = Object.hasOwn(plain, ref.configPath) ? plain[ref.configPath] : undefined;
  if (value === undefined) {
    throw new Error(`no runner token for ${ref.configPath}`);
  }
  return value;
}

/**
 * Throws, before any resource is declared, when a runner of the host or cluster
 * has no token: `what` names the target, e.g. `docker host build-1`.
 */
export function requireTokens(
  what: string,
  target: { readonly runners: readonly Runner[] },
  tokens: Readonly<Record<string, unknown>>,
): void {
  const missing = missingTokenPaths(target, tokens);
  if (missing.length > 0) {
    throw new Error(
      `${what}: no runner token for ${missing.join(", ")}; ` +
        `set each with: pulumi config set --secret --path '<path>' glrt-...`,
    );
  }
}

/**
 * Throws, before any resource is declared, when a cache credential of the host's
 * or cluster's runners has no value among `secrets` (keyed by config path, like
 * the tokens): config.toml would otherwise be missing the key.
 */
export function requireCacheSecrets(
  what: string,
  target: { readonly runners: readonly Runner[] },
  secrets: Readonly<Record<string, unknown>>,
): void {
  const paths = target.runners.flatMap((runner) =>
    cacheSecrets(runner.cache).map((ref) => ref.configPath),
  );
  const missing = [...new Set(paths)].filter((path) => !Object.hasOwn(secrets, path));
  if (missing.length > 0) {
    throw new Error(
      `${what}: no cache credential for ${missing.join(", ")}; ` +
        `set each with: pulumi config set --secret --path '<path>' <value>`,
    );
  }
}
