/**
 * Checks of each `cache` setting, at the level that sets it (`defaults`, a host
 * or cluster, a runner): a level's cache is taken whole by the runners below
 * it, so each problem is reported once, where it is fixed.
 */
import { DEFAULTS } from "../../model/defaults.js";
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { isAwsS3Address, s3BucketNameProblem } from "../grammars/cache-fields.js";
import type { SecretValue } from "../grammars/secret-value.js";
import type { CacheConfig } from "../schema/cache-schema.js";
import type { Salvaged } from "../schema/salvage.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { runnersOf, targetsOf } from "../schema/stack-targets.js";
import type { SecretPolicy } from "./secret-checks.js";

/** A level that sets `cache`, with the config path of its `cache` key. */
interface CacheSite {
  readonly path: string;
  readonly cache: Salvaged<CacheConfig>;
}

function cacheSites(config: Salvaged<StackConfig>): readonly CacheSite[] {
  const sites: CacheSite[] = [];
  const add = (levelPath: string, cache: Salvaged<CacheConfig> | undefined) => {
    if (cache !== undefined) sites.push({ path: childPath(levelPath, "cache"), cache });
  };
  add("defaults", config.defaults?.cache);
  for (const target of targetsOf(config)) {
    add(target.path, target.target.cache);
    for (const runner of runnersOf(target)) add(runner.path, runner.runner.cache);
  }
  return sites;
}

const SECTIONS = ["s3", "gcs", "azure"] as const;

export function cacheIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  const production = config.production === true;
  return cacheSites(config).flatMap((site) => [
    ...sectionIssues(site, prunedPaths),
    ...s3Issues(site, production),
    ...gcsIssues(site),
    ...secretIssues(site, prunedPaths, policy),
  ]);
}

/** The section of the chosen type, and no other: a second one would be ignored by GitLab Runner. */
function sectionIssues(site: CacheSite, prunedPaths: ReadonlySet<string>): readonly ConfigIssue[] {
  const { type } = site.cache;
  if (type === undefined) return [];
  const issues: ConfigIssue[] = [];
  if (type === "none") {
    // GitLab Runner gets no [runners.cache] at all: these would silently do nothing.
    for (const key of ["path", "shared", "maxUploadedArchiveSize"] as const) {
      if (site.cache[key] === undefined) continue;
      issues.push(
        configWarning(
          childPath(site.path, key),
          "has no effect with `type: none` (no distributed cache); remove it or choose a cache type",
        ),
      );
    }
  }
  for (const section of SECTIONS) {
    const sectionPath = childPath(site.path, section);
    const present = site.cache[section] !== undefined || prunedPaths.has(sectionPath);
    if (section === type && !present) {
      issues.push(
        configError(
          sectionPath,
          `missing; expected the ${section} settings of \`type: ${type}\` (at least its ${section === "azure" ? "accountName and containerName" : "bucketName"})`,
        ),
      );
    } else if (section !== type && present) {
      issues.push(
        configError(
          sectionPath,
          `expected no ${section} settings with \`type: ${type}\` (set at ${childPath(site.path, "type")}), found them; remove them or set \`type: ${section}\``,
        ),
      );
    }
  }
  return issues;
}

function s3Issues(site: CacheSite, production: boolean): readonly ConfigIssue[] {
  const s3 = site.cache.s3;
  if (site.cache.type !== "s3" || s3 === undefined) return [];
  const path = childPath(site.path, "s3");
  const issues: ConfigIssue[] = [];
  if (s3.bucketName !== undefined) {
    // AWS's reserved names apply to AWS only; other servers are told apart by serverAddress.
    const problem = s3BucketNameProblem(s3.bucketName, isAwsS3Address(s3.serverAddress));
    if (problem !== undefined) issues.push(configError(childPath(path, "bucketName"), problem));
  }
  const explicitType = s3.authenticationType;
  const keys = (["accessKey", "secretKey", "sessionToken"] as const).filter(
    (key) => s3[key] !== undefined,
  );
  if (explicitType === "iam") {
    for (const key of keys) {
      issues.push(
        configError(
          childPath(path, key),
          `expected no ${key} with \`authenticationType: iam\` (the manager's own AWS credentials), found one; remove it, or set \`authenticationType: access-key\` to use keys`,
        ),
      );
    }
  }
  if (s3.insecure === true && production && s3.allowInsecure !== true) {
    issues.push(
      configError(
        childPath(path, "insecure"),
        "expected false in a production stack, found true: cache archives and the presigned URLs jobs use would travel over plain http; use an https endpoint, or accept it with `allowInsecure: true` next to it",
      ),
    );
  }
  if (s3.insecure === true && s3.serverAddress === undefined) {
    issues.push(
      configError(
        childPath(path, "insecure"),
        "expected insecure only with a serverAddress, found it without one: GitLab Runner ignores Insecure for AWS S3 (cacheconfig.go `GetEndpoint`)",
      ),
    );
  }
  const encryption = s3.serverSideEncryption;
  if (
    s3.serverSideEncryptionKeyId !== undefined &&
    encryption !== "KMS" &&
    encryption !== "DSSE-KMS"
  ) {
    issues.push(
      configError(
        childPath(path, "serverSideEncryptionKeyId"),
        `expected a KMS key only with \`serverSideEncryption: KMS\` or \`DSSE-KMS\`, found ${encryption === undefined ? "no serverSideEncryption" : `serverSideEncryption ${JSON.stringify(encryption)}`}`,
      ),
    );
  }
  if (s3.serverAddress !== undefined && !isAwsS3Address(s3.serverAddress)) {
    // cache/s3v2/s3.go `newRawS3Client`: DualStack and Accelerate apply to AWS's endpoint only.
    for (const key of ["dualStack", "accelerate"] as const) {
      if (s3[key] === true) {
        issues.push(
          configWarning(
            childPath(path, key),
            `has no effect with serverAddress ${JSON.stringify(s3.serverAddress)}: GitLab Runner uses it for AWS S3 only`,
          ),
        );
      }
    }
  }
  return issues;
}

function gcsIssues(site: CacheSite): readonly ConfigIssue[] {
  const gcs = site.cache.gcs;
  if (site.cache.type !== "gcs" || gcs === undefined) return [];
  if (gcs.privateKey === undefined || gcs.accessId !== undefined) return [];
  return [
    configError(
      childPath(childPath(site.path, "gcs"), "accessId"),
      "missing; expected the email of the service account whose privateKey is set",
    ),
  ];
}

/** The credentials a site needs, present and (in a stack file) encrypted. */
function secretIssues(
  site: CacheSite,
  prunedPaths: ReadonlySet<string>,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  const wanted: { path: string; value: Salvaged<SecretValue> | undefined; what: string }[] = [];
  const { s3, gcs, azure } = site.cache;
  if (site.cache.type === "s3" && s3 !== undefined) {
    const path = childPath(site.path, "s3");
    const keysGiven = s3.accessKey !== undefined || s3.secretKey !== undefined;
    // As resolve-cache.ts resolves it: unset means access-key when a key is given.
    const type =
      s3.authenticationType ?? (keysGiven ? "access-key" : DEFAULTS.cache.s3AuthenticationType);
    if (type === "access-key") {
      wanted.push({
        path: childPath(path, "accessKey"),
        value: s3.accessKey,
        what: "the S3 access key id",
      });
      wanted.push({
        path: childPath(path, "secretKey"),
        value: s3.secretKey,
        what: "the S3 secret access key",
      });
      if (s3.sessionToken !== undefined) {
        wanted.push({
          path: childPath(path, "sessionToken"),
          value: s3.sessionToken,
          what: "the S3 session token",
        });
      }
    }
  }
  if (site.cache.type === "gcs" && gcs?.accessId !== undefined) {
    wanted.push({
      path: childPath(childPath(site.path, "gcs"), "privateKey"),
      value: gcs.privateKey,
      what: "the service account's PEM private key",
    });
  }
  if (site.cache.type === "azure" && azure?.accountKey !== undefined) {
    wanted.push({
      path: childPath(childPath(site.path, "azure"), "accountKey"),
      value: azure.accountKey,
      what: "the storage account key",
    });
  }
  return wanted.flatMap(({ path, value, what }) => {
    if (prunedPaths.has(path)) return [];
    const setCommand = `pulumi config set --secret --path '${path}' <value>`;
    if (value === undefined) {
      const message = `missing; expected ${what}, set with: ${setCommand}`;
      return [policy.requireSecrets ? configError(path, message) : configWarning(path, message)];
    }
    if (typeof value !== "string" || policy.plaintextSecretsAllowed) return [];
    return [
      configError(
        path,
        `expected an encrypted value, found plaintext: anyone who can read the stack file can use it; store it encrypted with: ${setCommand} (and rotate it if the file was shared)`,
      ),
    ];
  });
}
