/**
 * When `pulumi up` resets a managed runner's token by itself: once a set share
 * of its lifetime (from when it was obtained to GitLab's `token_expires_at`)
 * has passed. GitLab Runner's own rotation works the same way on config.toml's
 * `token_obtained_at`/`token_expires_at` with a fixed share of 0.75
 * (gitlab-runner `commands/multi.go` `nextRunnerToReset`,
 * `common/consts.go` `TokenResetIntervalFactor`); the rendered config.toml
 * leaves those keys out, so only `pulumi up` rotates, and the stack's state
 * never holds a token GitLab has already replaced. Pure.
 */

/** What the state knows of a token. */
export interface TokenLifetime {
  /** ISO time `pulumi up` obtained the token; null when the state predates this record. */
  readonly obtainedAt: string | null;
  /** GitLab's `token_expires_at`; null when the instance sets no expiry. */
  readonly expiresAt: string | null;
}

/** When the token is due for a reset, or undefined when it never expires. */
export function tokenRenewalTime(token: TokenLifetime, share: number): Date | undefined {
  if (token.expiresAt === null) return undefined;
  const expires = Date.parse(token.expiresAt);
  // A state from before the obtained time was kept: no lifetime to take a share of,
  // so the token is due now and the reset records the time.
  if (token.obtainedAt === null) return new Date(0);
  const obtained = Date.parse(token.obtainedAt);
  return new Date(obtained + share * (expires - obtained));
}

export function tokenRenewalDue(token: TokenLifetime, share: number, now: Date): boolean {
  const due = tokenRenewalTime(token, share);
  return due !== undefined && now.getTime() >= due.getTime();
}
