import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  registryCertificateConfigMapKey,
  registryCertificateFileName,
  registryCertificatePath,
} from "../../components/model/registry-certificates.js";

/** Kubernetes' rule for ConfigMap keys (apimachinery IsConfigMapKey). */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

describe("registry certificate names", () => {
  it("puts the CA where dockerd looks: <host[:port]>/ca.crt, port kept", () => {
    assert.equal(
      registryCertificatePath({ registry: "registry.example.com:5050" }),
      "registry.example.com:5050/ca.crt",
    );
    assert.equal(registryCertificatePath({ registry: "10.0.0.9" }), "10.0.0.9/ca.crt");
  });

  it("names files and ConfigMap keys without ':', which ConfigMap keys forbid", () => {
    const key = registryCertificateConfigMapKey(
      { name: "prod-1-dind" },
      { registry: "registry.example.com:5050" },
    );
    assert.equal(key, "prod-1-dind.registry.example.com_5050.crt");
    assert.match(key, CONFIG_MAP_KEY);
    assert.equal(
      registryCertificateFileName({ registry: "gitlab.example.com" }),
      "gitlab.example.com.crt",
    );
  });

  it("never gives two registries or two runners the same key", () => {
    const registries = [
      "registry.example.com",
      "registry.example.com:5050",
      "registry.example.com:505",
      "registry.example.com.5050",
      "10.0.0.9:5000",
      "10.0.0.9",
    ];
    const runners = ["a", "a-b", "ab"];
    const keys = runners.flatMap((name) =>
      registries.map((registry) => registryCertificateConfigMapKey({ name }, { registry })),
    );
    assert.equal(new Set(keys).size, runners.length * registries.length);
    for (const key of keys) assert.match(key, CONFIG_MAP_KEY);
  });
});
