import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isHostname,
  listenAddressProblem,
  parseHostPort,
} from "../../components/config/grammars/network-addresses.js";

describe("parseHostPort", () => {
  it("splits hostnames, IPv4 and bracketed IPv6 from an optional port", () => {
    assert.deepEqual(parseHostPort("registry.example.com"), { host: "registry.example.com" });
    assert.deepEqual(parseHostPort("10.0.0.5:5000"), { host: "10.0.0.5", port: 5000 });
    assert.deepEqual(parseHostPort("[fd00::5]:22"), { host: "fd00::5", port: 22 });
  });

  it("rejects unbracketed IPv6, bad ports and bad names", () => {
    for (const text of ["fd00::5", "host:", "host:65536", "[registry]:80", "under_score", "a..b"]) {
      assert.equal(parseHostPort(text), undefined, text);
    }
  });
});

describe("isHostname", () => {
  it("accepts DNS names and single labels, up to 253 characters", () => {
    assert.equal(isHostname("registry"), true);
    assert.equal(isHostname("registry.prod.example.internal"), true);
    assert.equal(isHostname(`${"a".repeat(63)}.example.com`), true);
    assert.equal(isHostname(`${"a".repeat(64)}.example.com`), false);
    assert.equal(isHostname("-registry.example.com"), false);
  });
});

describe("listenAddressProblem", () => {
  it("accepts host:port and :port", () => {
    for (const address of [":9252", "0.0.0.0:9252", "[::]:9252", "localhost:9252"]) {
      assert.equal(listenAddressProblem(address), undefined, address);
    }
  });

  it("rejects an address without a port", () => {
    assert.equal(
      listenAddressProblem("9252"),
      'expected host:port or :port such as ":9252", found "9252"',
    );
    assert.equal(
      listenAddressProblem("0.0.0.0"),
      'expected host:port or :port such as ":9252", found "0.0.0.0"',
    );
  });
});
