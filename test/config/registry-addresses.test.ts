import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  insecureRegistryProblem,
  registryMirrorProblem,
} from "../../components/config/grammars/registry-addresses.js";

describe("insecureRegistryProblem", () => {
  it("accepts host[:port] with a hostname, IPv4 or bracketed IPv6", () => {
    for (const entry of [
      "registry.example.com",
      "registry:5000",
      "10.0.0.5:5000",
      "[fd00::5]:5000",
    ]) {
      assert.equal(insecureRegistryProblem(entry), undefined, entry);
    }
  });

  it("tells to drop a scheme or a path", () => {
    assert.equal(
      insecureRegistryProblem("http://registry.example.com:5000/v2"),
      'expected host[:port] without a scheme, found "http://registry.example.com:5000/v2"; dockerd refuses to start with a scheme here: write "registry.example.com:5000"',
    );
    assert.equal(
      insecureRegistryProblem("registry.example.com/team"),
      'expected host[:port] without a path, found "registry.example.com/team"; an insecure registry is a whole host: write "registry.example.com"',
    );
  });

  it("rejects bad hosts and ports", () => {
    for (const entry of ["registry:0", "registry:99999", "fd00::5", "bad_host", ""]) {
      assert.equal(
        insecureRegistryProblem(entry),
        `expected host[:port] (a hostname, an IPv4 address or an [IPv6] address, and a port from 1 to 65535), found ${JSON.stringify(entry)}`,
        entry,
      );
    }
  });
});

describe("registryMirrorProblem", () => {
  it("accepts http and https URLs, with a path", () => {
    assert.equal(registryMirrorProblem("https://mirror.example.com"), undefined);
    assert.equal(registryMirrorProblem("http://10.0.0.5:5000/dockerhub/"), undefined);
  });

  it("rejects other URLs, never showing credentials", () => {
    assert.equal(
      registryMirrorProblem("mirror.example.com"),
      'expected an http or https URL such as https://mirror.example.com, found "mirror.example.com"',
    );
    assert.equal(
      registryMirrorProblem("https://user:s3cret@mirror.example.com"),
      "expected an http or https URL such as https://mirror.example.com without user name or password, found a URL with credentials; dockerd rejects them in mirror URLs",
    );
    assert.equal(
      registryMirrorProblem("https://mirror.example.com/?x=1"),
      'expected an http or https URL such as https://mirror.example.com without query or fragment, found "https://mirror.example.com/?x=1"',
    );
  });
});
