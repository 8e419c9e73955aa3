/**
 * The distributed cache of one runner (`[runners.cache]` of its `[[runners]]`
 * entry): where jobs' `cache:` archives go so that any runner manager of the
 * fleet finds them. `none` keeps GitLab Runner's local cache (a volume per job
 * on a Docker host, nothing on Kubernetes). Credentials are {@link SecretRef}s,
 * never values.
 */
import type { SecretRef } from "./fleet.js";

/** GitLab Runner's S3 authentication types (cache/cacheconfig/cacheconfig.go `S3AuthType`). */
export type S3AuthenticationType = "access-key" | "iam";

/** Server-side encryption GitLab Runner asks S3 for (cacheconfig.go `EncryptionType`). */
export type S3ServerSideEncryption = "S3" | "KMS" | "DSSE-KMS";

/** An S3 or S3-compatible bucket. */
export interface S3CacheSettings {
  /** `host[:port]` of an S3-compatible server; absent: AWS S3 itself. */
  readonly serverAddress?: string;
  readonly bucketName: string;
  /** The bucket's region; absent: GitLab Runner asks the server. */
  readonly bucketLocation?: string;
  /** Plain http to `serverAddress`. */
  readonly insecure: boolean;
  /** Always explicit, so GitLab Runner never guesses it from which keys are set. */
  readonly authenticationType: S3AuthenticationType;
  /** Present exactly when `authenticationType` is `access-key`. */
  readonly accessKey?: SecretRef;
  readonly secretKey?: SecretRef;
  /** Temporary credentials' session token, with `access-key` only. */
  readonly sessionToken?: SecretRef;
  /** Role the manager assumes for cache transfers. */
  readonly roleArn?: string;
  /** Role the manager assumes for uploads only. */
  readonly uploadRoleArn?: string;
  readonly serverSideEncryption?: S3ServerSideEncryption;
  /** KMS key (alias, id or ARN) of `KMS` / `DSSE-KMS` encryption. */
  readonly serverSideEncryptionKeyId?: string;
  /** Path-style bucket URLs; absent: GitLab Runner detects it from the server address. */
  readonly pathStyle?: boolean;
  /** Dual-stack endpoints (AWS only); absent: GitLab Runner's default, true. */
  readonly dualStack?: boolean;
  /** S3 Transfer Acceleration (AWS only). */
  readonly accelerate: boolean;
}

/** A Google Cloud Storage bucket. */
export interface GcsCacheSettings {
  readonly bucketName: string;
  /**
   * A service account's email and private key; absent: the manager's own
   * Google credentials (workload identity, or the node's service account).
   */
  readonly serviceAccount?: { readonly accessId: string; readonly privateKey: SecretRef };
}

/** An Azure Blob Storage container. */
export interface AzureCacheSettings {
  readonly accountName: string;
  /** Absent: the manager's own Azure identity (workload identity). */
  readonly accountKey?: SecretRef;
  readonly containerName: string;
  /** Blob service domain; absent: GitLab Runner's `blob.core.windows.net`. */
  readonly storageDomain?: string;
}

/** What every cache type shares. */
interface CacheCommon {
  /** Prefix of every cache object: the environment name unless the stack says otherwise. */
  readonly path: string;
  /** Runners share one another's cache (no `runner/<token prefix>` in object names). */
  readonly shared: boolean;
  /** Largest archive uploaded, bytes; 0: no limit. */
  readonly maxUploadedArchiveSize: number;
}

/** The cache of one runner: a tagged union on `type`. */
export type RunnerCache =
  | { readonly type: "none" }
  | (CacheCommon & { readonly type: "s3"; readonly s3: S3CacheSettings })
  | (CacheCommon & { readonly type: "gcs"; readonly gcs: GcsCacheSettings })
  | (CacheCommon & { readonly type: "azure"; readonly azure: AzureCacheSettings });

export type CacheType = RunnerCache["type"];

/** Every secret of a cache, in a fixed order (access key, secret key, session token, private key, account key). */
export function cacheSecrets(cache: RunnerCache): readonly SecretRef[] {
  switch (cache.type) {
    case "none":
      return [];
    case "s3":
      return [cache.s3.accessKey, cache.s3.secretKey, cache.s3.sessionToken].filter(
        (ref): ref is SecretRef => ref !== undefined,
      );
    case "gcs":
      return cache.gcs.serviceAccount === undefined ? [] : [cache.gcs.serviceAccount.privateKey];
    case "azure":
      return cache.azure.accountKey === undefined ? [] : [cache.azure.accountKey];
    default:
      return unexpectedCache(cache);
  }
}

function unexpectedCache(cache: never): never {
  throw new Error(`internal: unexpected cache ${JSON.stringify(cache)}`);
}
