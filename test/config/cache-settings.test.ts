/**
 * The `cache` setting: refused with its config path when GitLab Runner, S3, GCS or
 * Azure would refuse or silently ignore it, and resolved whole from the most
 * specific level that sets it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import {
  ENCRYPTED,
  PULUMI_UP,
  RENDER,
  problemsOf,
  validValues,
  type StackValues,
} from "./stack-values.js";

function withCache(edit: (values: StackValues) => void): string {
  const values = validValues();
  edit(values);
  return problemsOf(values);
}

const lines = (...text: string[]) => text.join("\n");

describe("cache settings refused with their paths", () => {
  it("a type without its section, or with another type's section", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = { type: "s3" };
        v.dockerHosts[0]!["cache"] = {
          type: "azure",
          azure: { accountName: "runnercache", containerName: "cache" },
          s3: { bucketName: "cache" },
        };
      }),
      lines(
        'stack "test": 2 errors',
        "error: defaults.cache.s3: missing; expected the s3 settings of `type: s3` (at least its bucketName)",
        "error: dockerHosts[0].cache.s3: expected no s3 settings with `type: azure` (set at dockerHosts[0].cache.type), found them; remove them or set `type: s3`",
      ),
    );
  });

  it("an unknown type and a cache that is not a map", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = { type: "S3" };
        v.dockerHosts[0]!["cache"] = "s3";
      }),
      lines(
        'stack "test": 2 errors',
        'error: defaults.cache.type: expected one of "none", "s3", "gcs", "azure", found "S3"',
        'error: dockerHosts[0].cache: expected a map with the cache type, e.g. { type: s3, s3: { ... } }, found "s3"',
      ),
    );
  });

  it("bucket names by each provider's rules", () => {
    assert.equal(
      withCache((v) => {
        v.dockerHosts[0]!["cache"] = { type: "s3", s3: { bucketName: "My_Bucket" } };
        v.dockerHosts[1]!["cache"] = { type: "s3", s3: { bucketName: "xn--abc" } };
        v.kubernetesClusters[0]!["cache"] = { type: "gcs", gcs: { bucketName: "google-cache" } };
        v.kubernetesClusters[0]!.runners[0]!["cache"] = {
          type: "azure",
          azure: { accountName: "Bad-Account", containerName: "a--b" },
        };
      }),
      lines(
        'stack "test": 5 errors',
        'error: dockerHosts[0].cache.s3.bucketName: expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, found "My_Bucket"',
        'error: dockerHosts[1].cache.s3.bucketName: expected an S3 bucket name, found "xn--abc": AWS reserves the prefix "xn--"',
        'error: kubernetesClusters[0].cache.gcs.bucketName: expected a GCS bucket name, found "google-cache": Google refuses names starting with "goog" or containing "google"',
        'error: kubernetesClusters[0].runners[0].cache.azure.accountName: expected an Azure storage account name: 3 to 24 lowercase letters and digits, found "Bad-Account"',
        'error: kubernetesClusters[0].runners[0].cache.azure.containerName: expected an Azure container name: 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, no two hyphens in a row, found "a--b"',
      ),
    );
  });

  it("AWS's reserved bucket prefixes do not apply to another S3 server", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = {
          type: "s3",
          s3: { serverAddress: "minio.example.internal:9000", bucketName: "xn--abc" },
        };
      }),
      "ok",
    );
  });

  it("a server address with a scheme or a path", () => {
    assert.equal(
      withCache((v) => {
        v.dockerHosts[0]!["cache"] = {
          type: "s3",
          s3: { serverAddress: "http://minio:9000", bucketName: "cache" },
        };
        v.dockerHosts[1]!["cache"] = {
          type: "s3",
          s3: { serverAddress: "minio:9000/cache", bucketName: "cache" },
        };
      }),
      lines(
        'stack "test": 2 errors',
        'error: dockerHosts[0].cache.s3.serverAddress: expected host[:port] without a scheme, found "http://minio:9000"; GitLab Runner adds https:// (http:// with insecure) itself: write "minio:9000" and `insecure: true`',
        'error: dockerHosts[1].cache.s3.serverAddress: expected host[:port] without a path, found "minio:9000/cache"; the bucket goes in bucketName',
      ),
    );
  });

  it("iam with keys", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = {
          type: "s3",
          s3: {
            bucketName: "cache",
            authenticationType: "iam",
            accessKey: ENCRYPTED,
            secretKey: ENCRYPTED,
          },
        };
      }),
      lines(
        'stack "test": 2 errors',
        "error: defaults.cache.s3.accessKey: expected no accessKey with `authenticationType: iam` (the manager's own AWS credentials), found one; remove it, or set `authenticationType: access-key` to use keys",
        "error: defaults.cache.s3.secretKey: expected no secretKey with `authenticationType: iam` (the manager's own AWS credentials), found one; remove it, or set `authenticationType: access-key` to use keys",
      ),
    );
  });

  it("access-key without its keys: a warning for render, an error for pulumi up", () => {
    const values = validValues();
    values.defaults["cache"] = {
      type: "s3",
      s3: { bucketName: "cache", authenticationType: "access-key", secretKey: ENCRYPTED },
    };
    assert.equal(
      problemsOf(values, RENDER),
      lines(
        'stack "test": 1 warning',
        "warning: defaults.cache.s3.accessKey: missing; expected the S3 access key id, set with: pulumi config set --secret --path 'defaults.cache.s3.accessKey' <value>",
      ),
    );
    assert.equal(
      problemsOf(values, PULUMI_UP),
      lines(
        'stack "test": 1 error',
        "error: defaults.cache.s3.accessKey: missing; expected the S3 access key id, set with: pulumi config set --secret --path 'defaults.cache.s3.accessKey' <value>",
      ),
    );
  });

  it("a credential in plaintext in a stack file, without showing it", () => {
    const problems = withCache((v) => {
      v.defaults["cache"] = {
        type: "s3",
        s3: { bucketName: "cache", accessKey: "AKIAPLAINTEXT", secretKey: ENCRYPTED },
      };
      v.kubernetesClusters[0]!["cache"] = {
        type: "azure",
        azure: { accountName: "runnercache", containerName: "cache", accountKey: "plain==" },
      };
    });
    assert.equal(
      problems,
      lines(
        'stack "test": 2 errors',
        "error: defaults.cache.s3.accessKey: expected an encrypted value, found plaintext: anyone who can read the stack file can use it; store it encrypted with: pulumi config set --secret --path 'defaults.cache.s3.accessKey' <value> (and rotate it if the file was shared)",
        "error: kubernetesClusters[0].cache.azure.accountKey: expected an encrypted value, found plaintext: anyone who can read the stack file can use it; store it encrypted with: pulumi config set --secret --path 'kubernetesClusters[0].cache.azure.accountKey' <value> (and rotate it if the file was shared)",
      ),
    );
    assert.doesNotMatch(problems, /AKIAPLAINTEXT|plain==/);
  });

  it("an insecure endpoint in a production stack unless explicitly allowed", () => {
    const insecure = { serverAddress: "minio:9000", bucketName: "cache", insecure: true };
    assert.equal(
      withCache((v) => {
        v["production"] = true;
        v.defaults["cache"] = { type: "s3", s3: insecure };
        v.dockerHosts[0]!["cache"] = { type: "s3", s3: { ...insecure, allowInsecure: true } };
      }),
      lines(
        'stack "test": 1 error',
        "error: defaults.cache.s3.insecure: expected false in a production stack, found true: cache archives and the presigned URLs jobs use would travel over plain http; use an https endpoint, or accept it with `allowInsecure: true` next to it",
      ),
    );
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = { type: "s3", s3: insecure };
      }),
      "ok",
    );
  });

  it("insecure without a server address, which GitLab Runner ignores", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = { type: "s3", s3: { bucketName: "cache", insecure: true } };
      }),
      lines(
        'stack "test": 1 error',
        "error: defaults.cache.s3.insecure: expected insecure only with a serverAddress, found it without one: GitLab Runner ignores Insecure for AWS S3 (cacheconfig.go `GetEndpoint`)",
      ),
    );
  });

  it("settings without effect under type none: a warning", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = { type: "none", shared: true };
      }),
      lines(
        'stack "test": 1 warning',
        "warning: defaults.cache.shared: has no effect with `type: none` (no distributed cache); remove it or choose a cache type",
      ),
    );
  });

  it("path characters", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = { type: "none", path: "/a//b" };
        v.dockerHosts[0]!["cache"] = { type: "s3", path: "a/../b", s3: { bucketName: "cache" } };
      }),
      lines(
        'stack "test": 2 errors',
        "error: defaults.cache.path: expected an object name prefix: segments of letters, digits, '.', '_' and '-' separated by single '/', at most 255 characters, found \"/a//b\"",
        "error: dockerHosts[0].cache.path: expected an object name prefix: segments of letters, digits, '.', '_' and '-' separated by single '/', at most 255 characters, found \"a/../b\"",
      ),
    );
  });

  it("a KMS key without KMS encryption, a GCS key without its account, a bad role ARN", () => {
    assert.equal(
      withCache((v) => {
        v.defaults["cache"] = {
          type: "s3",
          s3: { bucketName: "cache", serverSideEncryptionKeyId: "alias/cache" },
        };
        v.dockerHosts[0]!["cache"] = {
          type: "gcs",
          gcs: { bucketName: "cache-1", privateKey: ENCRYPTED },
        };
        v.dockerHosts[1]!["cache"] = {
          type: "s3",
          s3: { bucketName: "cache", roleArn: "arn:aws:iam::123:user/x" },
        };
      }),
      lines(
        'stack "test": 3 errors',
        "error: defaults.cache.s3.serverSideEncryptionKeyId: expected a KMS key only with `serverSideEncryption: KMS` or `DSSE-KMS`, found no serverSideEncryption",
        "error: dockerHosts[0].cache.gcs.accessId: missing; expected the email of the service account whose privateKey is set",
        'error: dockerHosts[1].cache.s3.roleArn: expected an IAM role ARN such as "arn:aws:iam::123456789012:role/gitlab-runner-cache", found "arn:aws:iam::123:user/x"',
      ),
    );
  });
});

describe("cache settings resolved", () => {
  it("the most specific level wins whole; path defaults to the environment", () => {
    const values = validValues();
    values.defaults["cache"] = {
      type: "s3",
      shared: true,
      s3: { bucketName: "fleet-cache", accessKey: ENCRYPTED, secretKey: ENCRYPTED },
    };
    values.kubernetesClusters[0]!["cache"] = {
      type: "s3",
      path: "k8s/cache",
      s3: { bucketName: "cluster-cache", authenticationType: "iam" },
    };
    values.dockerHosts[1]!.runners[0]!["cache"] = { type: "none" };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    const [host1, host2] = result.fleet.dockerHosts;
    assert.deepEqual(host1?.runners[0]?.cache, {
      type: "s3",
      path: "test",
      shared: true,
      maxUploadedArchiveSize: 0,
      s3: {
        bucketName: "fleet-cache",
        insecure: false,
        authenticationType: "access-key",
        accessKey: { kind: "secret", configPath: "defaults.cache.s3.accessKey" },
        secretKey: { kind: "secret", configPath: "defaults.cache.s3.secretKey" },
        accelerate: false,
      },
    });
    assert.deepEqual(host2?.runners[0]?.cache, { type: "none" });
    assert.deepEqual(result.fleet.kubernetesClusters[0]?.runners[0]?.cache, {
      type: "s3",
      path: "k8s/cache",
      shared: false,
      maxUploadedArchiveSize: 0,
      s3: {
        bucketName: "cluster-cache",
        insecure: false,
        authenticationType: "iam",
        accelerate: false,
      },
    });
  });

  it("decrypted credentials are kept aside by config path, never in the model", () => {
    const values = validValues();
    values.dockerHosts[0]!["cache"] = {
      type: "s3",
      s3: { bucketName: "cache", accessKey: "AKIADECRYPTED", secretKey: "decrypted-secret" },
    };
    const result = loadFleet({ environment: "test", values }, PULUMI_UP);
    assert.ok(result.ok);
    assert.equal(result.secrets.get("dockerHosts[0].cache.s3.accessKey"), "AKIADECRYPTED");
    assert.equal(result.secrets.get("dockerHosts[0].cache.s3.secretKey"), "decrypted-secret");
    assert.doesNotMatch(JSON.stringify(result.fleet), /AKIADECRYPTED|decrypted-secret/);
  });
});
