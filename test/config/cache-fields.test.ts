/**
 * Value grammars of the cache (components/config/grammars/cache-fields.ts): what
 * each provider accepts, and the full message for what it refuses.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  azureAccountNameProblem,
  azureContainerNameProblem,
  cachePathProblem,
  gcsBucketNameProblem,
  isAwsS3Address,
  roleArnProblem,
  s3BucketNameProblem,
  s3ServerAddressProblem,
} from "../../components/config/grammars/cache-fields.js";

const S3_EXPECTED =
  "expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";

describe("S3 bucket names", () => {
  it("accepts names S3 accepts", () => {
    for (const name of ["abc", "my.cache-bucket-1", "a".repeat(63)]) {
      assert.equal(s3BucketNameProblem(name, true), undefined, name);
    }
  });

  it("refuses length, characters, edges, adjacent dots and IP addresses", () => {
    assert.equal(s3BucketNameProblem("ab", true), `${S3_EXPECTED}, found "ab"`);
    assert.equal(s3BucketNameProblem("a".repeat(64), false)?.startsWith(S3_EXPECTED), true);
    assert.equal(s3BucketNameProblem("-cache", true), `${S3_EXPECTED}, found "-cache"`);
    assert.equal(s3BucketNameProblem("Cache", true), `${S3_EXPECTED}, found "Cache"`);
    assert.equal(
      s3BucketNameProblem("my..cache", true),
      `${S3_EXPECTED} and no two adjacent dots, found "my..cache"`,
    );
    assert.equal(
      s3BucketNameProblem("192.168.5.4", false),
      `${S3_EXPECTED}, not an IP address, found "192.168.5.4"`,
    );
  });

  it("AWS's reserved prefixes and suffixes on AWS only", () => {
    assert.equal(
      s3BucketNameProblem("cache-s3alias", true),
      'expected an S3 bucket name, found "cache-s3alias": AWS reserves the suffix "-s3alias"',
    );
    assert.equal(
      s3BucketNameProblem("sthree-cache", true),
      'expected an S3 bucket name, found "sthree-cache": AWS reserves the prefix "sthree-"',
    );
    assert.equal(s3BucketNameProblem("sthree-cache", false), undefined);
  });

  it("tells AWS from other servers by the address", () => {
    assert.equal(isAwsS3Address(undefined), true);
    assert.equal(isAwsS3Address("s3.amazonaws.com"), true);
    assert.equal(isAwsS3Address("s3.eu-central-1.amazonaws.com:443"), true);
    assert.equal(isAwsS3Address("minio.example.internal:9000"), false);
    assert.equal(isAwsS3Address("notamazonaws.com"), false);
  });
});

describe("GCS bucket names", () => {
  const expected =
    "expected a GCS bucket name: lowercase letters, digits, dashes, underscores and dots, starting and ending with a letter or digit";

  it("accepts underscores and dotted names up to 222 characters", () => {
    const dotted = Array.from({ length: 4 }, () => "a".repeat(54)).join(".");
    assert.equal(dotted.length, 219);
    for (const name of ["my_cache", "cache-1", dotted]) {
      assert.equal(gcsBucketNameProblem(name), undefined, name);
    }
  });

  it("refuses too long parts, IP addresses and Google's names", () => {
    assert.equal(
      gcsBucketNameProblem(`${"a".repeat(64)}.b`),
      `${expected}, 3 to 63 characters (up to 222 with dots, at most 63 between two dots), found "${"a".repeat(60)}..."`,
    );
    assert.equal(gcsBucketNameProblem("_cache"), `${expected}, found "_cache"`);
    assert.equal(
      gcsBucketNameProblem("10.0.0.1"),
      `${expected}, not an IP address, found "10.0.0.1"`,
    );
    assert.equal(
      gcsBucketNameProblem("goog-cache"),
      'expected a GCS bucket name, found "goog-cache": Google refuses names starting with "goog" or containing "google"',
    );
  });
});

describe("Azure names", () => {
  it("containers: hyphens only between letters or digits", () => {
    assert.equal(azureContainerNameProblem("runner-cache-1"), undefined);
    for (const name of ["ab", "-cache", "cache-", "run--cache", "Cache"]) {
      assert.equal(
        azureContainerNameProblem(name),
        `expected an Azure container name: 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, no two hyphens in a row, found ${JSON.stringify(name)}`,
      );
    }
  });

  it("storage accounts: 3 to 24 lowercase letters and digits", () => {
    assert.equal(azureAccountNameProblem("runnercache01"), undefined);
    assert.equal(
      azureAccountNameProblem("runner-cache"),
      'expected an Azure storage account name: 3 to 24 lowercase letters and digits, found "runner-cache"',
    );
  });
});

describe("S3 server addresses", () => {
  it("host[:port], IPv6 in brackets", () => {
    for (const address of ["minio.example.internal", "minio:9000", "[fd00::1]:9000", "10.0.0.5"]) {
      assert.equal(s3ServerAddressProblem(address), undefined, address);
    }
  });

  it("refuses a scheme (saying what to write), a path and a bad port", () => {
    assert.equal(
      s3ServerAddressProblem("https://s3.example.com/"),
      'expected host[:port] without a scheme, found "https://s3.example.com/"; GitLab Runner adds https:// (http:// with insecure) itself: write "s3.example.com"',
    );
    assert.equal(
      s3ServerAddressProblem("minio:99999"),
      'expected host[:port] (a hostname, an IPv4 address or an [IPv6] address, and a port from 1 to 65535), found "minio:99999"',
    );
  });
});

describe("cache path and role ARNs", () => {
  it("paths: segments of safe characters", () => {
    for (const path of ["prod", "prod/cache", "team_a/v1.2"]) {
      assert.equal(cachePathProblem(path), undefined, path);
    }
    for (const path of ["", "prod/", "a b", "../x", "a/./b"]) {
      assert.equal(
        cachePathProblem(path),
        `expected an object name prefix: segments of letters, digits, '.', '_' and '-' separated by single '/', at most 255 characters, found ${JSON.stringify(path)}`,
      );
    }
  });

  it("role ARNs of every AWS partition", () => {
    for (const arn of [
      "arn:aws:iam::123456789012:role/cache",
      "arn:aws-cn:iam::123456789012:role/ci/cache",
      "arn:aws-us-gov:iam::123456789012:role/cache",
    ]) {
      assert.equal(roleArnProblem(arn), undefined, arn);
    }
    assert.equal(
      roleArnProblem("arn:aws:iam::123456789012:user/cache"),
      'expected an IAM role ARN such as "arn:aws:iam::123456789012:role/gitlab-runner-cache", found "arn:aws:iam::123456789012:user/cache"',
    );
  });
});
