import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  gitlabUrlProblem,
  normalizedGitlabUrl,
  pemCertificateProblem,
} from "../../components/config/grammars/gitlab-instance-fields.js";
import { CERTIFICATE, PRIVATE_KEY, TRUNCATED_CERTIFICATE } from "./stack-values.js";

describe("gitlabUrlProblem", () => {
  it("accepts https URLs, also under a path", () => {
    assert.equal(gitlabUrlProblem("https://gitlab.example.com"), undefined);
    assert.equal(gitlabUrlProblem("https://example.com/gitlab/"), undefined);
  });

  it("rejects http, and never shows credentials", () => {
    assert.equal(
      gitlabUrlProblem("http://gitlab.example.com"),
      'expected an https URL such as https://gitlab.example.com, found "http://gitlab.example.com"; runners send their authentication token to this URL, so it must be https',
    );
    assert.equal(
      gitlabUrlProblem("https://root:s3cret@gitlab.example.com"),
      "expected an https URL such as https://gitlab.example.com without user name or password, found a URL with credentials",
    );
    assert.equal(
      gitlabUrlProblem("gitlab.example.com"),
      'expected an https URL such as https://gitlab.example.com, found "gitlab.example.com"',
    );
  });

  it("drops trailing slashes", () => {
    assert.equal(normalizedGitlabUrl("https://example.com/gitlab//"), "https://example.com/gitlab");
  });
});

describe("pemCertificateProblem", () => {
  it("wants a certificate block and refuses private keys", () => {
    assert.equal(pemCertificateProblem(CERTIFICATE), undefined);
    assert.equal(
      pemCertificateProblem("MIIBkTCCATegAwIBAgIU"),
      "expected a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----), found text without one",
    );
    assert.equal(
      pemCertificateProblem(CERTIFICATE + PRIVATE_KEY),
      "expected a PEM certificate, found a private key; only certificates belong here, keys are Pulumi secrets",
    );
  });

  it("wants every certificate block to parse as X.509, and names the one that does not", () => {
    assert.equal(
      pemCertificateProblem(TRUNCATED_CERTIFICATE),
      "expected a PEM certificate that parses as X.509, found one that does not (the certificate: asn1 encoding routines::too long)",
    );
    assert.equal(
      pemCertificateProblem(CERTIFICATE + CERTIFICATE.replace("MIIBkTCC", "MIIBkTCC!")),
      "expected a PEM certificate that parses as X.509, found one that does not (certificate 2 of 2: PEM routines::bad base64 decode)",
    );
    assert.equal(pemCertificateProblem(CERTIFICATE + CERTIFICATE), undefined);
  });
});
