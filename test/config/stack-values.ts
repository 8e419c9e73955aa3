/**
 * Test helpers: a small valid stack to break one field at a time, and the
 * formatted problems loadFleet reports for some values.
 */
import assert from "node:assert/strict";
import { FleetConfigError, formatIssues } from "../../components/config/messages/config-issue.js";
import { loadFleet, type LoadFleetOptions } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";

/** `npm run render` on a stack file. */
export const RENDER: LoadFleetOptions = { requireSecrets: false, plaintextSecretsAllowed: false };
/** `pulumi up`: Pulumi hands over decrypted values. */
export const PULUMI_UP: LoadFleetOptions = { requireSecrets: true, plaintextSecretsAllowed: true };

export const ENCRYPTED = { secure: "v1:ZW5jcnlwdGVkLXZhbHVl" };

/** A real (self-signed, EC) CA certificate: "CN=Example Internal CA", the one of the staging stack. */
export const CERTIFICATE = [
  "-----BEGIN CERTIFICATE-----",
  "MIIBkTCCATegAwIBAgIUARD9MMX+mU/PmCvid9+0TAPWcy4wCgYIKoZIzj0EAwIw",
  "HjEcMBoGA1UEAwwTRXhhbXBsZSBJbnRlcm5hbCBDQTAeFw0yNjExMjIxMDQ0Mzha",
  "Fw0zNjExMTkxMDQ0MzhaMB4xHDAaBgNVBAMME0V4YW1wbGUgSW50ZXJuYWwgQ0Ew",
  "WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASZRnL6pfanHhUzijIiz+XYwZWRkvgG",
  "mY8Vg1gSvjStBhoz6Gqpx00pimk66hvYCkT6R+XxEsyRLE58zoFn6mLGo1MwUTAd",
  "BgNVHQ4EFgQUOwY/CKRfa3aMHEXNCj8+fF8raTQwHwYDVR0jBBgwFoAUOwY/CKRf",
  "a3aMHEXNCj8+fF8raTQwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF",
  "AiEA3ftkluSVXzKK3UEPi+RlMFLN1rd1+n11mnoRuzo5R/ICICgOXU9kNnhz/Idp",
  "0yV/Zo6u9kPVklsay0TruwJ77EKe",
  "-----END CERTIFICATE-----",
  "",
].join("\n");

/** PEM armour around a truncated body: looks like a certificate, is not one. */
export const TRUNCATED_CERTIFICATE = [
  "-----BEGIN CERTIFICATE-----",
  "MIIBkTCCATegAwIBAgIUARD9MMX+mU/PmCvid9+0TAPWcy4wCgYIKoZIzj0EAwIw",
  "-----END CERTIFICATE-----",
  "",
].join("\n");

export const PRIVATE_KEY = [
  "-----BEGIN EC PRIVATE KEY-----",
  "MHcCAQEEIBexampleexampleexampleexampleexampleexampleoAoGCCqGSM49",
  "-----END EC PRIVATE KEY-----",
  "",
].join("\n");

type Values = Record<string, unknown>;
type TargetValues = Values & { runners: Values[] };

/** Raw values with the parts tests reach into typed, so a test can break one field. */
export type StackValues = Values & {
  gitlab: Values;
  defaults: Values & { dind: Values };
  dockerHosts: TargetValues[];
  kubernetesClusters: TargetValues[];
};

/** Two Docker hosts and one cluster, each with one runner and an encrypted token. */
export function validValues(): StackValues {
  return {
    gitlab: { url: "https://gitlab.example.com" },
    defaults: { dind: {} },
    dockerHosts: [
      {
        name: "build-1",
        endpoint: "ssh://deploy@build-1.example.internal",
        runners: [{ name: "build-1-dind", tags: ["dind"], token: ENCRYPTED }],
      },
      {
        name: "build-2",
        endpoint: "ssh://deploy@build-2.example.internal",
        runners: [{ name: "build-2-dind", tags: ["dind"], token: ENCRYPTED }],
      },
    ],
    kubernetesClusters: [
      {
        name: "k8s-1",
        context: "cluster-1",
        runners: [{ name: "k8s-1-dind", tags: ["dind"], token: ENCRYPTED }],
      },
    ],
  };
}

/** What loadFleet reports for `values` in stack "test", formatted; "ok" when valid without warnings. */
export function problemsOf(values: Record<string, unknown>, options = RENDER): string {
  const result = loadFleet({ environment: "test", values }, options);
  const issues = result.ok ? result.warnings : result.issues;
  if (result.ok && issues.length === 0) return "ok";
  return formatIssues(issues, "test");
}

/** The formatted problems of a stack file that leaves nothing to validate (readStackFile throws them). */
export function stackFileError(environment: string, stacksDir: string): string {
  try {
    readStackFile(environment, stacksDir);
  } catch (error) {
    assert.ok(error instanceof FleetConfigError);
    return error.message;
  }
  assert.fail("expected a FleetConfigError");
}
