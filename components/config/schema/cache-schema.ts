/**
 * The distributed cache of runners (`cache`, GitLab Runner's `[runners.cache]`):
 * settable in `defaults`, on a Docker host or cluster, and on a runner; the most
 * specific level that sets `cache` wins as a whole (never merged field by field,
 * so a runner's cache never mixes one level's bucket with another level's keys).
 *
 * Field names follow GitLab Runner's cache/cacheconfig/cacheconfig.go (`Config`,
 * `CacheS3Config`, `CacheGCSConfig`, `CacheAzureConfig`) in camelCase; which
 * section goes with which `type`, and the rules across fields, are in
 * checks/cache-checks.ts.
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import type { CacheType, S3AuthenticationType, S3ServerSideEncryption } from "../../model/cache.js";
import {
  azureAccountNameProblem,
  azureContainerNameProblem,
  bucketLocationProblem,
  cachePathProblem,
  gcsBucketNameProblem,
  roleArnProblem,
  s3ServerAddressProblem,
} from "../grammars/cache-fields.js";
import { isHostname } from "../grammars/network-addresses.js";
import { expectedFound, quoted } from "../messages/describe-value.js";
import {
  boundedInteger,
  checkedString,
  defaultingTo,
  flag,
  nonEmptyText,
  onWrongType,
  optionalField,
  requiredField,
  secretSchema,
} from "./field-schemas.js";

function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  const expected = `one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
  return z.enum(values, { error: (issue) => expectedFound(expected, issue.input) });
}

const CACHE_TYPES = ["none", "s3", "gcs", "azure"] as const satisfies readonly CacheType[];

const hostnameSchema = checkedString("a hostname", (text) =>
  isHostname(text)
    ? undefined
    : `expected a hostname such as "blob.core.windows.net", found ${quoted(text)}`,
);

export const s3CacheSchema = z.strictObject(
  {
    serverAddress: optionalField(
      checkedString("host[:port]", s3ServerAddressProblem),
      "`host[:port]` of an S3-compatible server, without scheme (`ServerAddress`); GitLab Runner adds `https://`, or `http://` with `insecure`.",
      "AWS S3",
    ),
    bucketName: requiredField(
      nonEmptyText("a bucket name"),
      "The bucket (`BucketName`), by S3's naming rules (AWS's reserved prefixes and suffixes too when the server is AWS).",
    ),
    bucketLocation: optionalField(
      checkedString("a region name", bucketLocationProblem),
      "The bucket's region, e.g. `eu-central-1` (`BucketLocation`).",
      "GitLab Runner asks the server",
    ),
    insecure: defaultingTo(
      flag,
      DEFAULTS.cache.s3Insecure,
      "Plain http to `serverAddress` (`Insecure`): cache archives, and the presigned URLs jobs use, travel unencrypted; refused with `production: true` unless `allowInsecure: true`.",
    ),
    allowInsecure: defaultingTo(
      flag,
      DEFAULTS.cache.allowInsecure,
      "Accept `insecure: true` in a production stack (not a GitLab Runner key).",
    ),
    authenticationType: optionalField(
      oneOf(["access-key", "iam"] as const satisfies readonly S3AuthenticationType[]),
      "`iam`: the manager's own AWS credentials (EC2 instance profile, EKS Pod Identity: see docs/cache.md); `access-key`: `accessKey` and `secretKey` below (`AuthenticationType`, always rendered).",
      "`access-key` when `accessKey` or `secretKey` is set, else `iam`",
    ),
    accessKey: optionalField(
      secretSchema("an S3 access key"),
      "Access key id, a Pulumi secret (`AccessKey`); with `access-key` only.",
      "none",
    ),
    secretKey: optionalField(
      secretSchema("an S3 secret key"),
      "Secret access key, a Pulumi secret (`SecretKey`); with `access-key` only.",
      "none",
    ),
    sessionToken: optionalField(
      secretSchema("an S3 session token"),
      "Session token of temporary credentials, a Pulumi secret (`SessionToken`); with `access-key` only.",
      "none",
    ),
    roleArn: optionalField(
      checkedString("an IAM role ARN", roleArnProblem),
      "Role the manager assumes for cache transfers (`RoleARN`).",
      "none",
    ),
    uploadRoleArn: optionalField(
      checkedString("an IAM role ARN", roleArnProblem),
      "Role the manager assumes for uploads only (`UploadRoleARN`).",
      "none",
    ),
    serverSideEncryption: optionalField(
      oneOf(["S3", "KMS", "DSSE-KMS"] as const satisfies readonly S3ServerSideEncryption[]),
      "Server-side encryption of cache objects (`ServerSideEncryption`).",
      "none (the bucket's default encryption)",
    ),
    serverSideEncryptionKeyId: optionalField(
      nonEmptyText("a KMS key alias, id or ARN"),
      "KMS key of `KMS` or `DSSE-KMS` encryption (`ServerSideEncryptionKeyID`).",
      "the AWS managed key",
    ),
    pathStyle: optionalField(
      flag,
      "Path-style URLs (`https://host/bucket/...`), which most S3-compatible servers need (`PathStyle`).",
      "GitLab Runner detects it from the server address",
    ),
    dualStack: optionalField(
      flag,
      "IPv4 and IPv6 endpoints, AWS only (`DualStack`).",
      "GitLab Runner's true",
    ),
    accelerate: defaultingTo(
      flag,
      DEFAULTS.cache.s3Accelerate,
      "S3 Transfer Acceleration, AWS only (`Accelerate`).",
    ),
  },
  { error: onWrongType("a map of S3 cache settings, e.g. { bucketName: runner-cache }") },
);

export const gcsCacheSchema = z.strictObject(
  {
    bucketName: requiredField(
      checkedString("a bucket name", gcsBucketNameProblem),
      "The bucket (`BucketName`), by Google's naming rules.",
    ),
    accessId: optionalField(
      nonEmptyText("a service account email"),
      "Email of the service account whose `privateKey` signs the URLs (`AccessID`).",
      "none: the manager's own Google credentials (workload identity)",
    ),
    privateKey: optionalField(
      secretSchema("a PEM private key"),
      "The service account's private key, a Pulumi secret (`PrivateKey`); with `accessId`.",
      "none",
    ),
  },
  { error: onWrongType("a map of GCS cache settings, e.g. { bucketName: runner-cache }") },
);

export const azureCacheSchema = z.strictObject(
  {
    accountName: requiredField(
      checkedString("a storage account name", azureAccountNameProblem),
      "Storage account (`AccountName`).",
    ),
    accountKey: optionalField(
      secretSchema("an Azure storage account key"),
      "Account key, a Pulumi secret (`AccountKey`).",
      "none: the manager's own Azure identity (workload identity)",
    ),
    containerName: requiredField(
      checkedString("a container name", azureContainerNameProblem),
      "Blob container (`ContainerName`).",
    ),
    storageDomain: optionalField(
      hostnameSchema,
      "Blob service domain (`StorageDomain`), e.g. for a sovereign cloud.",
      "GitLab Runner's `blob.core.windows.net`",
    ),
  },
  {
    error: onWrongType(
      "a map of Azure cache settings, e.g. { accountName: ..., containerName: ... }",
    ),
  },
);

export const cacheSchema = z.strictObject(
  {
    type: requiredField(
      oneOf(CACHE_TYPES),
      "`s3`, `gcs`, `azure`, or `none` for GitLab Runner's local cache (`Type`).",
    ),
    path: optionalField(
      checkedString("an object name prefix", cachePathProblem),
      "Prefix of every cache object (`Path`), so stacks sharing a bucket never read each other's cache.",
      "the environment (stack) name",
    ),
    shared: defaultingTo(
      flag,
      DEFAULTS.cache.shared,
      "Runners with the same bucket and path share one cache (`Shared`); false: each runner keeps its own objects (under `<path>/runner/<short token>/`).",
    ),
    maxUploadedArchiveSize: defaultingTo(
      boundedInteger(0, Number.MAX_SAFE_INTEGER),
      DEFAULTS.cache.maxUploadedArchiveSize,
      "Largest cache archive a job uploads, in bytes; 0: no limit (`MaxUploadedArchiveSize`).",
    ),
    s3: optionalField(
      s3CacheSchema,
      "S3 settings (`[runners.cache.s3]`); with `type: s3` only.",
      "none",
    ),
    gcs: optionalField(
      gcsCacheSchema,
      "GCS settings (`[runners.cache.gcs]`); with `type: gcs` only.",
      "none",
    ),
    azure: optionalField(
      azureCacheSchema,
      "Azure settings (`[runners.cache.azure]`); with `type: azure` only.",
      "none",
    ),
  },
  { error: onWrongType("a map with the cache type, e.g. { type: s3, s3: { ... } }") },
);

export type CacheConfig = z.output<typeof cacheSchema>;
