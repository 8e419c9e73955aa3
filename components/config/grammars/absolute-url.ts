/**
 * Absolute `scheme://host...` URLs, as the Go programs that consume them read
 * them. The WHATWG parser behind `new URL` also accepts `https:host` and
 * `https:/host` (and fixes them up to https://host/), while Go's url.Parse, which
 * GitLab Runner and dockerd use, reads `https:host` as an opaque URL without a
 * host. So the `//` is required here, not inferred.
 */
import { quoted } from "../messages/describe-value.js";

const SCHEME_AND_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]/i;

/** The URL when `text` is an absolute URL with a host, else undefined. */
export function parseAbsoluteUrl(text: string): URL | undefined {
  if (!SCHEME_AND_AUTHORITY.test(text) || !URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.host === "" ? undefined : url;
}

/** `; write "https://host"` for the `https:host` and `https:/host` forms, else "". */
export function missingSlashesHint(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/?([^/].*)$/i.exec(text);
  if (match === null || !URL.canParse(text)) return "";
  return `; write ${quoted(`${match[1]}://${match[2]}`)} (with "//")`;
}
