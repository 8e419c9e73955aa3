/**
 * `[runners.cache]` of one runner, or nothing for `type: none` (GitLab Runner's
 * local cache; config.toml then stays exactly as without a cache setting).
 *
 * Credentials are written into config.toml through `secretText`: the plaintext
 * inside `pulumi up` (config.toml is a Pulumi secret: the mode-600 file on a
 * Docker host, the config Secret on a cluster), the redaction marker in
 * `npm run render`. They belong in config.toml because that is the only place
 * `gitlab-runner run` reads them: the `env:"CACHE_S3_ACCESS_KEY"` tags in
 * cache/cacheconfig/cacheconfig.go are flags of `gitlab-runner register`
 * (commands/register.go), and `run` loads config.toml with `Config.LoadConfig`
 * (common/config.go), which expands environment variables in a runner's
 * `token` and `url` only (`RunnerConfig.loadConfig`). And config.toml is the
 * place a rotation disturbs least: the manager reloads a changed file by
 * itself, while a changed environment would replace the manager's container or
 * roll its pod (see docs/cache.md).
 */
import type { RunnerCache } from "../model/cache.js";
import {
  CACHE_AZURE_KEYS,
  CACHE_GCS_KEYS,
  CACHE_GCS_SERVICE_ACCOUNT_KEYS,
  CACHE_KEYS,
  CACHE_S3_KEYS,
  RUNNER_KEYS,
} from "./config-toml-keys.js";
import type { CacheS3Toml, CacheToml } from "./config-toml-model.js";
import type { SecretText } from "./secret-text.js";

/** `{ cache: ... }` to spread into a `[[runners]]` entry, or `{}` for `none`. */
export function cacheSection(cache: RunnerCache, secretText: SecretText): { cache?: CacheToml } {
  const section = cacheToml(cache, secretText);
  return section === undefined ? {} : { [RUNNER_KEYS.cache]: section };
}

function cacheToml(cache: RunnerCache, secretText: SecretText): CacheToml | undefined {
  if (cache.type === "none") return undefined;
  const common = {
    [CACHE_KEYS.type]: cache.type,
    [CACHE_KEYS.path]: cache.path,
    [CACHE_KEYS.shared]: cache.shared,
    // GitLab Runner reads an absent size as 0, no limit.
    ...(cache.maxUploadedArchiveSize === 0
      ? {}
      : { [CACHE_KEYS.maxUploadedArchiveSize]: cache.maxUploadedArchiveSize }),
  };
  switch (cache.type) {
    case "s3":
      return { ...common, [CACHE_KEYS.s3]: s3Section(cache.s3, secretText) };
    case "gcs": {
      const { bucketName, serviceAccount } = cache.gcs;
      return {
        ...common,
        [CACHE_KEYS.gcs]: {
          ...(serviceAccount === undefined
            ? {}
            : {
                [CACHE_GCS_SERVICE_ACCOUNT_KEYS.accessId]: serviceAccount.accessId,
                [CACHE_GCS_SERVICE_ACCOUNT_KEYS.privateKey]: secretText(serviceAccount.privateKey),
              }),
          [CACHE_GCS_KEYS.bucketName]: bucketName,
        },
      };
    }
    case "azure": {
      const { accountName, accountKey, containerName, storageDomain } = cache.azure;
      return {
        ...common,
        [CACHE_KEYS.azure]: {
          [CACHE_AZURE_KEYS.accountName]: accountName,
          ...(accountKey === undefined
            ? {}
            : { [CACHE_AZURE_KEYS.accountKey]: secretText(accountKey) }),
          [CACHE_AZURE_KEYS.containerName]: containerName,
          ...(storageDomain === undefined
            ? {}
            : { [CACHE_AZURE_KEYS.storageDomain]: storageDomain }),
        },
      };
    }
    default:
      return unexpectedCache(cache);
  }
}

function unexpectedCache(cache: never): never {
  throw new Error(`internal: unexpected cache ${JSON.stringify(cache)}`);
}

/** Keys in the order of Go's `CacheS3Config`; unset optional keys and false flags left out. */
function s3Section(
  s3: Extract<RunnerCache, { type: "s3" }>["s3"],
  secretText: SecretText,
): CacheS3Toml {
  const { accessKey, secretKey, sessionToken } = s3;
  return {
    ...(s3.serverAddress === undefined ? {} : { [CACHE_S3_KEYS.serverAddress]: s3.serverAddress }),
    ...(accessKey === undefined ? {} : { [CACHE_S3_KEYS.accessKey]: secretText(accessKey) }),
    ...(secretKey === undefined ? {} : { [CACHE_S3_KEYS.secretKey]: secretText(secretKey) }),
    ...(sessionToken === undefined
      ? {}
      : { [CACHE_S3_KEYS.sessionToken]: secretText(sessionToken) }),
    [CACHE_S3_KEYS.bucketName]: s3.bucketName,
    ...(s3.bucketLocation === undefined
      ? {}
      : { [CACHE_S3_KEYS.bucketLocation]: s3.bucketLocation }),
    ...(s3.insecure ? { [CACHE_S3_KEYS.insecure]: true } : {}),
    // Always explicit: unset, GitLab Runner picks iam whenever ServerAddress is empty,
    // even with keys given (cacheconfig.go `AuthType`).
    [CACHE_S3_KEYS.authenticationType]: s3.authenticationType,
    ...(s3.serverSideEncryption === undefined
      ? {}
      : { [CACHE_S3_KEYS.serverSideEncryption]: s3.serverSideEncryption }),
    ...(s3.serverSideEncryptionKeyId === undefined
      ? {}
      : { [CACHE_S3_KEYS.serverSideEncryptionKeyId]: s3.serverSideEncryptionKeyId }),
    ...(s3.dualStack === undefined ? {} : { [CACHE_S3_KEYS.dualStack]: s3.dualStack }),
    ...(s3.pathStyle === undefined ? {} : { [CACHE_S3_KEYS.pathStyle]: s3.pathStyle }),
    ...(s3.accelerate ? { [CACHE_S3_KEYS.accelerate]: true } : {}),
    ...(s3.roleArn === undefined ? {} : { [CACHE_S3_KEYS.roleArn]: s3.roleArn }),
    ...(s3.uploadRoleArn === undefined ? {} : { [CACHE_S3_KEYS.uploadRoleArn]: s3.uploadRoleArn }),
  };
}
