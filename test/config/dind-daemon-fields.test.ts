import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compareVersions,
  dnsSearchProblem,
  dnsServerProblem,
  mirrorPathProblem,
  mtuProblem,
} from "../../components/config/grammars/dind-daemon-fields.js";

describe("mtuProblem", () => {
  it("accepts what the kernel accepts for a bridge: 68 to 65535", () => {
    for (const mtu of [68, 1280, 1360, 1450, 1500, 9001, 65_535]) {
      assert.equal(mtuProblem(mtu), undefined, String(mtu));
    }
  });

  it("refuses anything else, saying dind would not start", () => {
    for (const mtu of [0, 67, 65_536, 70_000, -1]) {
      assert.equal(
        mtuProblem(mtu),
        `expected an MTU from 68 to 65535, found ${mtu}; the kernel refuses other values for dind's bridge and veth interfaces, so dind fails to start or cannot start any container`,
      );
    }
  });
});

describe("dnsSearchProblem", () => {
  it("accepts domains with a letter, a trailing dot, and '.' as dockerd's ValidateDNSSearch does", () => {
    for (const domain of ["example.internal", "build-1.example.internal.", "svc", "."]) {
      assert.equal(dnsSearchProblem(domain), undefined, domain);
    }
  });

  it("refuses what dockerd refuses: no letter, bad labels, spaces", () => {
    for (const domain of ["123456", "-example.internal", "exa mple", "example..internal", ""]) {
      assert.equal(
        dnsSearchProblem(domain),
        `expected a DNS search domain such as example.internal, found ${JSON.stringify(domain)}`,
      );
    }
  });
});

describe("dnsServerProblem", () => {
  it("takes IPv4 and IPv6 addresses, not names", () => {
    assert.equal(dnsServerProblem("10.0.0.53"), undefined);
    assert.equal(dnsServerProblem("fd00::53"), undefined);
    assert.equal(
      dnsServerProblem("dns.example.internal"),
      'expected the IPv4 or IPv6 address of a DNS server, found "dns.example.internal"',
    );
  });
});

describe("mirrorPathProblem", () => {
  it("accepts a path prefix from Docker 25.0 on", () => {
    assert.equal(mirrorPathProblem("https://mirror.example.com/docker-hub", "25.0.0"), undefined);
    assert.equal(mirrorPathProblem("https://mirror.example.com/docker-hub/", "29.7.2"), undefined);
  });

  it("refuses a path before Docker 25.0, quoting dockerd's own refusal", () => {
    assert.equal(
      mirrorPathProblem(
        "https://mirror.example.com/docker-hub",
        "24.0.9",
        " (set at defaults.dind.registryMirrors)",
      ),
      'expected a mirror URL without a path for Docker 24.0.9, found "https://mirror.example.com/docker-hub" (set at defaults.dind.registryMirrors); dockerd before 25.0.0 refuses to start with "invalid mirror: path, query, or fragment at end of the URI": remove the path, or pin dockerVersion 25.0.0 or later',
    );
  });

  it("takes a bare host or a trailing slash as no path, on any version", () => {
    assert.equal(mirrorPathProblem("https://mirror.example.com", "20.10.24"), undefined);
    assert.equal(mirrorPathProblem("http://mirror.example.com:5000/", "20.10.24"), undefined);
  });
});

describe("compareVersions", () => {
  it("compares numerically, part by part", () => {
    assert.ok(compareVersions("24.0.10", "24.0.9") > 0);
    assert.ok(compareVersions("9.0.0", "10.0.0") < 0);
    assert.equal(compareVersions("25.0.0", "25.0.0"), 0);
  });
});
