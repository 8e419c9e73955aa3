/**
 * Inside `pulumi up` every secret arrives decrypted, so a token committed in
 * plaintext (set without `--secret`) looks just like a decrypted one. Pulumi
 * does say which top-level keys hold a secure value somewhere inside: a secret
 * whose top-level key is not among them was stored in plaintext.
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";

/** The top-level config key of a config path: `dockerHosts[0].runners[1].token` -> `dockerHosts`. */
export function topLevelKey(configPath: string): string {
  return /^[^.[]+/.exec(configPath)?.[0] ?? configPath;
}

export function plaintextSecretIssues(
  secretPaths: Iterable<string>,
  isSecretKey: (topLevelKey: string) => boolean,
): readonly ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const path of secretPaths) {
    if (isSecretKey(topLevelKey(path))) continue;
    issues.push(
      configError(
        path,
        "expected a Pulumi secret, found a plaintext value in the stack file; remove it and " +
          `set it with: pulumi config set --secret --path '${path}' <value>`,
      ),
    );
  }
  return issues;
}
