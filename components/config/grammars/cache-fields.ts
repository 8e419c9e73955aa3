/**
 * Values of a runner's distributed cache, each by the rules of the service
 * that receives it: bucket and container names as S3, GCS and Azure accept
 * them at creation, an S3 server address the way GitLab Runner builds its
 * endpoint from it, and the object-name prefix (`Path`).
 */
import { isIpAddress, parseHostPort } from "./network-addresses.js";
import { quoted } from "../messages/describe-value.js";

/**
 * AWS S3 general purpose bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * 3 to 63 characters of lowercase letters, digits, dots and hyphens, starting
 * and ending with a letter or digit, no two adjacent dots, not an IP address.
 * MinIO applies the same rules (minio-go pkg/s3utils `CheckValidBucketNameStrict`,
 * which GitLab Runner vendors). The reserved prefixes and suffixes are AWS's own.
 */
export function s3BucketNameProblem(name: string, onAws: boolean): string | undefined {
  const expected =
    "expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return `${expected}, found ${quoted(name)}`;
  if (name.includes("..")) return `${expected} and no two adjacent dots, found ${quoted(name)}`;
  if (isIpAddress(name)) return `${expected}, not an IP address, found ${quoted(name)}`;
  if (!onAws) return undefined;
  const prefix = AWS_RESERVED_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined) {
    return `expected an S3 bucket name, found ${quoted(name)}: AWS reserves the prefix ${quoted(prefix)}`;
  }
  const suffix = AWS_RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) {
    return `expected an S3 bucket name, found ${quoted(name)}: AWS reserves the suffix ${quoted(suffix)}`;
  }
  return undefined;
}

const AWS_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const AWS_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * Google Cloud Storage bucket naming (cloud.google.com/storage/docs/buckets#naming):
 * lowercase letters, digits, dashes, underscores and dots, starting and ending
 * with a letter or digit; 3 to 63 characters, or up to 222 with dots where each
 * dot-separated part has at most 63; not an IP address; not starting with `goog`
 * and not containing `google`.
 */
export function gcsBucketNameProblem(name: string): string | undefined {
  const expected =
    "expected a GCS bucket name: lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit";
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return `${expected}, found ${quoted(name)}`;
  const parts = name.split(".");
  const tooLong = parts.length === 1 ? name.length > 63 : name.length > 222;
  if (name.length < 3 || tooLong || parts.some((part) => part === "" || part.length > 63)) {
    return `${expected}, 3 to 63 characters (up to 222 with dots, at most 63 between two dots), found ${quoted(name)}`;
  }
  if (isIpAddress(name)) return `${expected}, not an IP address, found ${quoted(name)}`;
  if (name.startsWith("goog") || name.includes("google")) {
    return `expected a GCS bucket name, found ${quoted(name)}: Google refuses names starting with "goog" or containing "google"`;
  }
  return undefined;
}

/**
 * Azure Blob Storage container naming (learn.microsoft.com "Naming and
 * Referencing Containers, Blobs, and Metadata"): 3 to 63 lowercase letters,
 * digits and hyphens, starting with a letter or digit, every hyphen between
 * two letters or digits.
 */
export function azureContainerNameProblem(name: string): string | undefined {
  if (/^[a-z0-9](?:-?[a-z0-9])+$/.test(name) && name.length <= 63 && name.length >= 3) {
    return undefined;
  }
  return `expected an Azure container name: 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, no two hyphens in a row, found ${quoted(name)}`;
}

/** Azure storage account naming: 3 to 24 lowercase letters and digits. */
export function azureAccountNameProblem(name: string): string | undefined {
  if (/^[a-z0-9]{3,24}$/.test(name)) return undefined;
  return `expected an Azure storage account name: 3 to 24 lowercase letters and digits, found ${quoted(name)}`;
}

/**
 * GitLab Runner prepends the scheme itself (`https://`, or `http://` with
 * `Insecure`) to `ServerAddress` (cache/cacheconfig/cacheconfig.go
 * `GetEndpoint`): a scheme or a path here makes an endpoint no server answers.
 */
export function s3ServerAddressProblem(text: string): string | undefined {
  const found = quoted(text);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0];
  if (scheme !== undefined) {
    const address = text.slice(scheme.length).split("/")[0] ?? "";
    const insecure = scheme.toLowerCase() === "http://" ? " and `insecure: true`" : "";
    return `expected host[:port] without a scheme, found ${found}; GitLab Runner adds https:// (http:// with insecure) itself: write ${quoted(address)}${insecure}`;
  }
  if (text.includes("/")) {
    return `expected host[:port] without a path, found ${found}; the bucket goes in bucketName`;
  }
  if (parseHostPort(text) === undefined) {
    return `expected host[:port] (a hostname, an IPv4 address or an [IPv6] address, and a port from 1 to 65535), found ${found}`;
  }
  return undefined;
}

/** Whether a server address is AWS S3 itself (or absent, which means AWS). */
export function isAwsS3Address(serverAddress: string | undefined): boolean {
  if (serverAddress === undefined) return true;
  const host = parseHostPort(serverAddress)?.host ?? serverAddress;
  return host === "amazonaws.com" || host.endsWith(".amazonaws.com");
}

/**
 * `Path` is the first part of every cache object's name (GitLab Runner
 * cache/cache.go `GetAdapter`: `<Path>/runner/<short token>/project/<id>/<key>`,
 * or without `runner/<short token>` when shared); it also ends up in the presigned
 * URLs jobs fetch. Letters, digits, `.`, `_`, `-` and `/` between segments.
 */
export function cachePathProblem(text: string): string | undefined {
  const expected =
    "expected an object name prefix: segments of letters, digits, '.', '_' and '-' separated by single '/', at most 255 characters";
  const segments = text.split("/");
  const valid =
    text.length <= 255 &&
    segments.every(
      (segment) => /^[A-Za-z0-9._-]+$/.test(segment) && segment !== "." && segment !== "..",
    );
  return valid ? undefined : `${expected}, found ${quoted(text)}`;
}

/** An IAM role ARN (`arn:<partition>:iam::<12-digit account>:role/<path and name>`). */
export function roleArnProblem(text: string): string | undefined {
  if (/^arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/.test(text)) {
    return undefined;
  }
  return `expected an IAM role ARN such as "arn:aws:iam::123456789012:role/gitlab-runner-cache", found ${quoted(text)}`;
}

/** A region name such as `eu-central-1` (S3-compatible servers name theirs alike, e.g. `us-east-1`, `default`). */
export function bucketLocationProblem(text: string): string | undefined {
  if (/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(text)) return undefined;
  return `expected a region name such as "eu-central-1", found ${quoted(text)}`;
}
