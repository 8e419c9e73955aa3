/**
 * Docker image references, parsed by the grammar Docker itself uses:
 * github.com/distribution/reference. The patterns below are transcribed from
 * regexp.go (alphanumeric, separator, domainNameComponent, optionalPort, tag,
 * digestPat, ipv6address, domainAndPort, pathComponent, remoteName, referencePat);
 * the normalisation of short names ("docker:28" is docker.io/library/docker:28) is
 * ParseNormalizedNamed and splitDockerDomain in normalize.go, and the digest check
 * is go-digest's Parse (only sha256, sha384 and sha512, in lowercase hex).
 * dockerd pulls with these functions; containerd and the kubelet normalise names
 * the same way. Anything this refuses, the engine refuses at pull time.
 */

const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const DOMAIN_NAME_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const OPTIONAL_PORT = "(?::[0-9]+)?";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const IPV6_ADDRESS = "\\[(?:[a-fA-F0-9:]+)\\]";
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})${OPTIONAL_PORT}`;
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;

/** referencePat: name, optional tag, optional digest, captured. */
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_TAG = new RegExp(`^${TAG}$`);
const ANCHORED_DIGEST = new RegExp(`^${DIGEST}$`);
/** anchoredIdentifierRegexp: a bare image ID, which is never a name. */
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** go-digest: the algorithms Docker registers and the length of each one's hex encoding. */
const DIGEST_HEX_LENGTHS: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128,
};
/** RepositoryNameTotalLengthMax (reference.go), for the path without the domain. */
const MAX_PATH_LENGTH = 255;
/** Far above any real reference; keeps the patterns' work bounded on hostile input. */
const MAX_REFERENCE_LENGTH = 1024;
const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_REPOSITORY_PREFIX = "library/";

export interface ImageReference {
  /** Registry host[:port]; `docker.io` for Docker Hub names. */
  readonly domain: string;
  /** Repository path inside the registry, `library/docker` for `docker`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ImageReferenceParse =
  | { readonly ok: true; readonly reference: ImageReference }
  | { readonly ok: false; readonly reason: string };

/** Parses `text` as `docker pull` would, or says in a few words why it cannot. */
export function parseImageReference(text: string): ImageReferenceParse {
  const fail = (reason: string): ImageReferenceParse => ({ ok: false, reason });
  if (text === "") return fail("it is empty");
  if (text.length > MAX_REFERENCE_LENGTH) return fail("it is far too long");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return fail(
      `an image reference has no scheme: write ${JSON.stringify(text.replace(/^[^:]+:\/\//, ""))}`,
    );
  }
  if (/\s/.test(text)) return fail("it contains white space");
  if (IDENTIFIER.test(text)) return fail("64 hex digits are an image ID, not a reference");
  const { domain, remainder, written } = splitDockerDomain(text);
  const remote = written.split(":")[0] ?? "";
  if (remote.toLowerCase() !== remote) {
    return fail(`the repository path must be lowercase: ${JSON.stringify(remote)}`);
  }
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (match === null) return fail(grammarHint(remainder));
  const [, name = "", tag, digest] = match;
  const path = name.slice(domain.length + 1);
  if (path.length > MAX_PATH_LENGTH) {
    return fail(`the repository path is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem !== undefined) return fail(problem);
  }
  return {
    ok: true,
    reference: {
      domain,
      path,
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
    },
  };
}

/**
 * splitDockerDomain (normalize.go): the first component is a registry when it is
 * `localhost`, contains "." or ":", or has capitals; otherwise the name is on Docker
 * Hub, and a single component is an official image under `library/`.
 */
function splitDockerDomain(text: string): { domain: string; remainder: string; written: string } {
  const slash = text.indexOf("/");
  if (slash < 0) {
    return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_REPOSITORY_PREFIX + text, written: text };
  }
  const first = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  if (first === LEGACY_DEFAULT_DOMAIN) {
    return { domain: DEFAULT_DOMAIN, remainder: rest, written: rest };
  }
  if (first === "localhost" || /[.:]/.test(first) || first.toLowerCase() !== first) {
    return { domain: first, remainder: rest, written: rest };
  }
  return { domain: DEFAULT_DOMAIN, remainder: text, written: text };
}

/** go-digest's Parse and Validate, for the algorithms Docker registers. */
function digestProblem(digest: string): string | undefined {
  const [algorithm = "", hex = ""] = digest.split(":");
  const length = DIGEST_HEX_LENGTHS[algorithm];
  if (!Object.hasOwn(DIGEST_HEX_LENGTHS, algorithm) || length === undefined) {
    return `the digest algorithm ${JSON.stringify(algorithm)} is not sha256, sha384 or sha512`;
  }
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    return `the digest is not ${algorithm}:<${length} lowercase hex digits>`;
  }
  return undefined;
}

/** Why the grammar does not match, for the mistakes people make. */
function grammarHint(remainder: string): string {
  const [nameAndTag = "", digest, ...moreDigests] = remainder.split("@");
  if (moreDigests.length > 0) return "it has more than one @digest";
  if (digest !== undefined && digest === "") return "the @digest is empty";
  const lastSlash = nameAndTag.lastIndexOf("/");
  const [, tag, ...moreTags] = nameAndTag.slice(lastSlash + 1).split(":");
  if (moreTags.length > 0) return "it has more than one :tag";
  if (tag !== undefined && !ANCHORED_TAG.test(tag)) {
    return `the tag ${JSON.stringify(tag)} is not 1 to 128 letters, digits, "_", "." and "-", starting with a letter, digit or "_"`;
  }
  if (digest !== undefined && !ANCHORED_DIGEST.test(digest)) {
    return digestProblem(digest) ?? "the digest is not <algorithm>:<hex digits>";
  }
  return `each path component is lowercase letters and digits, separated by one ".", one or two "_", or "-"`;
}
