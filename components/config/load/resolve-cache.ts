/**
 * A runner's cache from the most specific level that sets `cache` (runner, its
 * host or cluster, `defaults`), taken whole; credentials become SecretRefs naming
 * the config path where they were set.
 */
import { DEFAULTS } from "../../model/defaults.js";
import type {
  AzureCacheSettings,
  GcsCacheSettings,
  RunnerCache,
  S3CacheSettings,
} from "../../model/cache.js";
import type { SecretRef } from "../../model/fleet.js";
import { childPath } from "../messages/config-path.js";
import type { SecretValue } from "../grammars/secret-value.js";
import type { CacheConfig } from "../schema/cache-schema.js";

/** One level that may set `cache`, most specific first. */
export interface CacheLevel {
  /** Config path of the level, e.g. `dockerHosts[0]`. */
  readonly path: string;
  readonly cache: CacheConfig | undefined;
}

type SecretRefOf = (configPath: string, value: SecretValue | undefined) => SecretRef;

export function resolveCache(
  levels: readonly CacheLevel[],
  environment: string,
  secretRef: SecretRefOf,
): RunnerCache {
  const level = levels.find((candidate) => candidate.cache !== undefined);
  const cache = level?.cache;
  if (level === undefined || cache === undefined || cache.type === "none") {
    return { type: DEFAULTS.cache.type };
  }
  const path = childPath(level.path, "cache");
  const common = {
    path: cache.path ?? environment,
    shared: cache.shared ?? DEFAULTS.cache.shared,
    maxUploadedArchiveSize: cache.maxUploadedArchiveSize ?? DEFAULTS.cache.maxUploadedArchiveSize,
  };
  const section = <Value>(value: Value | undefined): Value => {
    // cache-checks.ts refuses a type without its section before anything resolves.
    if (value === undefined) throw new Error(`internal: unchecked ${cache.type} cache at ${path}`);
    return value;
  };
  switch (cache.type) {
    case "s3":
      return {
        ...common,
        type: "s3",
        s3: resolveS3(section(cache.s3), childPath(path, "s3"), secretRef),
      };
    case "gcs":
      return {
        ...common,
        type: "gcs",
        gcs: resolveGcs(section(cache.gcs), childPath(path, "gcs"), secretRef),
      };
    case "azure":
      return {
        ...common,
        type: "azure",
        azure: resolveAzure(section(cache.azure), childPath(path, "azure"), secretRef),
      };
    default:
      return unexpectedType(cache.type);
  }
}

function unexpectedType(type: never): never {
  throw new Error(`internal: unexpected cache type ${String(type)}`);
}

/** GitLab Runner's own reading of an unset AuthenticationType is not used: it is always explicit. */
export function s3AuthenticationTypeOf(
  s3: Pick<NonNullable<CacheConfig["s3"]>, "authenticationType" | "accessKey" | "secretKey">,
): "access-key" | "iam" {
  if (s3.authenticationType !== undefined) return s3.authenticationType;
  return s3.accessKey !== undefined || s3.secretKey !== undefined
    ? "access-key"
    : DEFAULTS.cache.s3AuthenticationType;
}

function resolveS3(
  s3: NonNullable<CacheConfig["s3"]>,
  path: string,
  secretRef: SecretRefOf,
): S3CacheSettings {
  const authenticationType = s3AuthenticationTypeOf(s3);
  // Both keys of `access-key` always get a reference, as runner tokens do: a render
  // without them still shows where each goes (`pulumi up` refuses to run without them).
  const secret = (key: "accessKey" | "secretKey" | "sessionToken") =>
    authenticationType === "access-key" && (key !== "sessionToken" || s3[key] !== undefined)
      ? { [key]: secretRef(childPath(path, key), s3[key]) }
      : {};
  return {
    ...(s3.serverAddress === undefined ? {} : { serverAddress: s3.serverAddress }),
    bucketName: s3.bucketName,
    ...(s3.bucketLocation === undefined ? {} : { bucketLocation: s3.bucketLocation }),
    insecure: s3.insecure ?? DEFAULTS.cache.s3Insecure,
    authenticationType,
    ...secret("accessKey"),
    ...secret("secretKey"),
    ...secret("sessionToken"),
    ...(s3.roleArn === undefined ? {} : { roleArn: s3.roleArn }),
    ...(s3.uploadRoleArn === undefined ? {} : { uploadRoleArn: s3.uploadRoleArn }),
    ...(s3.serverSideEncryption === undefined
      ? {}
      : { serverSideEncryption: s3.serverSideEncryption }),
    ...(s3.serverSideEncryptionKeyId === undefined
      ? {}
      : { serverSideEncryptionKeyId: s3.serverSideEncryptionKeyId }),
    ...(s3.pathStyle === undefined ? {} : { pathStyle: s3.pathStyle }),
    ...(s3.dualStack === undefined ? {} : { dualStack: s3.dualStack }),
    accelerate: s3.accelerate ?? DEFAULTS.cache.s3Accelerate,
  };
}

function resolveGcs(
  gcs: NonNullable<CacheConfig["gcs"]>,
  path: string,
  secretRef: SecretRefOf,
): GcsCacheSettings {
  return {
    bucketName: gcs.bucketName,
    ...(gcs.accessId === undefined
      ? {}
      : {
          serviceAccount: {
            accessId: gcs.accessId,
            privateKey: secretRef(childPath(path, "privateKey"), gcs.privateKey),
          },
        }),
  };
}

function resolveAzure(
  azure: NonNullable<CacheConfig["azure"]>,
  path: string,
  secretRef: SecretRefOf,
): AzureCacheSettings {
  return {
    accountName: azure.accountName,
    ...(azure.accountKey === undefined
      ? {}
      : { accountKey: secretRef(childPath(path, "accountKey"), azure.accountKey) }),
    containerName: azure.containerName,
    ...(azure.storageDomain === undefined ? {} : { storageDomain: azure.storageDomain }),
  };
}
