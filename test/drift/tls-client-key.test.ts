import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  resolveTlsClientKey,
  tlsKeyEnvVar,
  type TlsKeySources,
} from "../../components/drift/tls-client-key.js";
import type { DockerTlsMaterial } from "../../components/model/fleet.js";

const TLS: DockerTlsMaterial = {
  caCert: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
  clientCert: "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----\n",
  clientKey: { kind: "secret", configPath: "dockerHosts[1].tls.clientKey" },
};
const PEM = "-----BEGIN EC PRIVATE KEY-----\nkey\n-----END EC PRIVATE KEY-----\n";

function sources(overrides: Partial<TlsKeySources>): TlsKeySources {
  return {
    env: {},
    keyFiles: new Map(),
    readFile: (path) => {
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
    },
    ...overrides,
  };
}

describe("tlsKeyEnvVar", () => {
  it("upper-cases the host name and turns other characters into _", () => {
    assert.equal(tlsKeyEnvVar("build-stg-2"), "DIND_RUNNERS_TLS_KEY_BUILD_STG_2");
    assert.equal(tlsKeyEnvVar("a.b_c"), "DIND_RUNNERS_TLS_KEY_A_B_C");
  });
});

describe("resolveTlsClientKey", () => {
  it("takes the PEM from the host's environment variable", () => {
    const env = { DIND_RUNNERS_TLS_KEY_BUILD_STG_2: PEM };
    assert.equal(resolveTlsClientKey("build-stg-2", TLS, "staging", sources({ env })), PEM);
  });

  it("prefers a --tls-key file over the environment", () => {
    const keyFiles = new Map([["build-stg-2", "/keys/stg-2.pem"]]);
    const env = { DIND_RUNNERS_TLS_KEY_BUILD_STG_2: "not used" };
    const readFile = (path: string) => (path === "/keys/stg-2.pem" ? PEM : "");
    assert.equal(
      resolveTlsClientKey("build-stg-2", TLS, "staging", sources({ env, keyFiles, readFile })),
      PEM,
    );
  });

  it("says how to provide a missing key, naming the secret's config path", () => {
    assert.throws(() => resolveTlsClientKey("build-stg-2", TLS, "staging", sources({})), {
      name: "LiveReadError",
      message:
        "needs the TLS client key (the Pulumi secret dind-runners:dockerHosts[1].tls.clientKey): " +
        "pass --tls-key build-stg-2=<file> or set DIND_RUNNERS_TLS_KEY_BUILD_STG_2 to the PEM, e.g. " +
        `DIND_RUNNERS_TLS_KEY_BUILD_STG_2="$(pulumi config get --stack staging --path 'dockerHosts[1].tls.clientKey')"`,
    });
  });

  it("reports an unreadable file and a value that is not a private key, never the value", () => {
    const keyFiles = new Map([["build-stg-2", "/keys/missing.pem"]]);
    assert.throws(() => resolveTlsClientKey("build-stg-2", TLS, "staging", sources({ keyFiles })), {
      message: "cannot read the TLS client key file /keys/missing.pem (ENOENT)",
    });
    const env = { DIND_RUNNERS_TLS_KEY_BUILD_STG_2: "hunter2" };
    assert.throws(() => resolveTlsClientKey("build-stg-2", TLS, "staging", sources({ env })), {
      message: "the TLS client key from DIND_RUNNERS_TLS_KEY_BUILD_STG_2 is not a PEM private key",
    });
  });
});
