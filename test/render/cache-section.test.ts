/**
 * `[runners.cache]`: every key GitLab Runner's cacheconfig.go defines for what we
 * set, spelt exactly; credentials only as the secret text the caller gives (a
 * redaction marker in `render`); nothing at all for `type: none`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunnerCache } from "../../components/model/cache.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { unknownKeyPaths } from "../support/gitlab-runner-keys.js";
import {
  dockerHost,
  fakeTokenText,
  fleet,
  kubernetesCluster,
  runner,
  secretRef,
} from "./fixtures.js";
import { parseToml } from "./parse-config-toml.js";

const S3_EVERYTHING: RunnerCache = {
  type: "s3",
  path: "prod/cache",
  shared: true,
  maxUploadedArchiveSize: 1_073_741_824,
  s3: {
    serverAddress: "minio.example.internal:9000",
    bucketName: "runner-cache",
    bucketLocation: "us-east-1",
    insecure: true,
    authenticationType: "access-key",
    accessKey: secretRef("defaults.cache.s3.accessKey"),
    secretKey: secretRef("defaults.cache.s3.secretKey"),
    sessionToken: secretRef("defaults.cache.s3.sessionToken"),
    roleArn: "arn:aws:iam::123456789012:role/cache",
    uploadRoleArn: "arn:aws:iam::123456789012:role/cache-upload",
    serverSideEncryption: "KMS",
    serverSideEncryptionKeyId: "alias/cache",
    pathStyle: true,
    dualStack: false,
    accelerate: true,
  },
};

const GCS: RunnerCache = {
  type: "gcs",
  path: "test",
  shared: false,
  maxUploadedArchiveSize: 0,
  gcs: {
    bucketName: "runner-cache",
    serviceAccount: {
      accessId: "cache@project.iam.gserviceaccount.com",
      privateKey: secretRef("defaults.cache.gcs.privateKey"),
    },
  },
};

const AZURE: RunnerCache = {
  type: "azure",
  path: "test",
  shared: false,
  maxUploadedArchiveSize: 0,
  azure: {
    accountName: "runnercache",
    accountKey: secretRef("defaults.cache.azure.accountKey"),
    containerName: "cache",
    storageDomain: "blob.core.chinacloudapi.cn",
  },
};

function cacheFleet() {
  return fleet({
    dockerHosts: [
      dockerHost("build", [
        runner("s3", { cache: S3_EVERYTHING }),
        runner("gcs", { cache: GCS }),
        runner("azure", { cache: AZURE }),
        runner("none"),
      ]),
    ],
    kubernetesClusters: [
      kubernetesCluster("k8s", [
        runner("k8s-s3", {
          cache: {
            type: "s3",
            path: "test",
            shared: false,
            maxUploadedArchiveSize: 0,
            s3: {
              bucketName: "runner-cache",
              insecure: false,
              authenticationType: "iam",
              accelerate: false,
            },
          },
        }),
      ]),
    ],
  });
}

function cacheOf(text: string, index: number): unknown {
  const runners = (parseToml(text) as { runners: Record<string, unknown>[] }).runners;
  return runners[index]?.["cache"];
}

describe("[runners.cache]", () => {
  const fleetValue = cacheFleet();
  const host = fleetValue.dockerHosts[0]!;
  const cluster = fleetValue.kubernetesClusters[0]!;
  const rendered = managerConfigToml(fleetValue, host, redactedSecretText);

  it("only keys GitLab Runner defines", () => {
    assert.deepEqual(unknownKeyPaths(rendered), []);
    assert.deepEqual(
      unknownKeyPaths(managerConfigToml(fleetValue, cluster, redactedSecretText)),
      [],
    );
  });

  it("S3 with every setting, credentials as redaction markers", () => {
    assert.deepEqual(cacheOf(rendered, 0), {
      Type: "s3",
      Path: "prod/cache",
      Shared: true,
      MaxUploadedArchiveSize: 1_073_741_824,
      s3: {
        ServerAddress: "minio.example.internal:9000",
        AccessKey: "[redacted: Pulumi secret dind-runners:defaults.cache.s3.accessKey]",
        SecretKey: "[redacted: Pulumi secret dind-runners:defaults.cache.s3.secretKey]",
        SessionToken: "[redacted: Pulumi secret dind-runners:defaults.cache.s3.sessionToken]",
        BucketName: "runner-cache",
        BucketLocation: "us-east-1",
        Insecure: true,
        AuthenticationType: "access-key",
        ServerSideEncryption: "KMS",
        ServerSideEncryptionKeyID: "alias/cache",
        DualStack: false,
        PathStyle: true,
        Accelerate: true,
        RoleARN: "arn:aws:iam::123456789012:role/cache",
        UploadRoleARN: "arn:aws:iam::123456789012:role/cache-upload",
      },
    });
  });

  it("GCS and Azure", () => {
    assert.deepEqual(cacheOf(rendered, 1), {
      Type: "gcs",
      Path: "test",
      Shared: false,
      gcs: {
        AccessID: "cache@project.iam.gserviceaccount.com",
        PrivateKey: "[redacted: Pulumi secret dind-runners:defaults.cache.gcs.privateKey]",
        BucketName: "runner-cache",
      },
    });
    assert.deepEqual(cacheOf(rendered, 2), {
      Type: "azure",
      Path: "test",
      Shared: false,
      azure: {
        AccountName: "runnercache",
        AccountKey: "[redacted: Pulumi secret dind-runners:defaults.cache.azure.accountKey]",
        ContainerName: "cache",
        StorageDomain: "blob.core.chinacloudapi.cn",
      },
    });
  });

  it("type none renders no cache section", () => {
    assert.equal(cacheOf(rendered, 3), undefined);
  });

  it("iam: AuthenticationType explicit, no credential keys", () => {
    assert.deepEqual(cacheOf(managerConfigToml(fleetValue, cluster, redactedSecretText), 0), {
      Type: "s3",
      Path: "test",
      Shared: false,
      s3: { BucketName: "runner-cache", AuthenticationType: "iam" },
    });
  });

  it("credentials come only from the secret text the caller gives", () => {
    const withSecrets = managerConfigToml(fleetValue, host, fakeTokenText);
    const s3 = (cacheOf(withSecrets, 0) as { s3: Record<string, unknown> }).s3;
    assert.equal(s3["AccessKey"], "glrt-FAKE-defaults-cache-s3-accessKey");
    assert.equal(s3["SecretKey"], "glrt-FAKE-defaults-cache-s3-secretKey");
    assert.doesNotMatch(rendered, /glrt-FAKE/);
  });
});
