import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configDigest } from "../../components/render/config-digest.js";

const A = { path: "docker-hosts/a/config.toml", content: "concurrent = 4\n" };
const B = { path: "docker-hosts/a/dind/r.json", content: "{}\n" };

describe("configDigest", () => {
  it("is the sha256 hex of the files, independent of their order", () => {
    const digest = configDigest([A, B]);
    assert.match(digest, /^[0-9a-f]{64}$/);
    assert.equal(configDigest([B, A]), digest);
  });

  it("changes when a content or a path changes", () => {
    const digest = configDigest([A, B]);
    assert.notEqual(configDigest([A, { ...B, content: "{ }\n" }]), digest);
    assert.notEqual(configDigest([A, { ...B, path: "docker-hosts/a/dind/s.json" }]), digest);
  });

  it("cannot be fooled by moving text across the path/content boundary", () => {
    assert.notEqual(
      configDigest([{ path: "a", content: "bc" }]),
      configDigest([{ path: "ab", content: "c" }]),
    );
  });
});
