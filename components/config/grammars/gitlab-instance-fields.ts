/**
 * The GitLab instance settings: its URL, which must be https because every
 * runner sends its authentication token there, and the PEM certificates.
 */
import { X509Certificate } from "node:crypto";
import { missingSlashesHint, parseAbsoluteUrl } from "./absolute-url.js";
import { quoted } from "../messages/describe-value.js";

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----\s[\s\S]*?\s-----END CERTIFICATE-----/;
const PRIVATE_KEY_BLOCK =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----\s[\s\S]*?\s-----END [A-Z ]*PRIVATE KEY-----/;

/** What is wrong with the GitLab URL, or undefined. */
export function gitlabUrlProblem(text: string): string | undefined {
  const expected = "expected an https URL such as https://gitlab.example.com";
  const url = parseAbsoluteUrl(text);
  if (url === undefined) return `${expected}, found ${quoted(text)}${missingSlashesHint(text)}`;
  // Never echo a URL with credentials: the password would end up in logs.
  if (url.username !== "" || url.password !== "") {
    return `${expected} without user name or password, found a URL with credentials`;
  }
  if (url.protocol !== "https:") {
    return `${expected}, found ${quoted(text)}; runners send their authentication token to this URL, so it must be https`;
  }
  if (url.search !== "" || url.hash !== "") {
    return `${expected} without query or fragment, found ${quoted(text)}`;
  }
  return undefined;
}

/** The GitLab URL as config.toml wants it: without trailing slashes. */
export function normalizedGitlabUrl(text: string): string {
  return text.replace(/\/+$/, "");
}

/** What is wrong with a public PEM certificate field, or undefined. Never shows the value. */
export function pemCertificateProblem(text: string): string | undefined {
  if (PRIVATE_KEY_BLOCK.test(text) || text.includes("PRIVATE KEY-----")) {
    return "expected a PEM certificate, found a private key; only certificates belong here, keys are Pulumi secrets";
  }
  if (!CERTIFICATE_BLOCK.test(text)) {
    return "expected a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----), found text without one";
  }
  return x509Problem(text);
}

export function isPemPrivateKey(text: string): boolean {
  return PRIVATE_KEY_BLOCK.test(text);
}

const CERTIFICATE_BLOCKS = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Every CERTIFICATE block must parse as X.509. dockerd reads a registry's
 * certs.d/<host>/ca.crt with Go's `CertPool.AppendCertsFromPEM`, which skips a
 * block it cannot parse without a word (moby daemon/pkg/registry/registry.go
 * and daemon/hosts.go, both `loadTLSConfig`): a broken CA would only show
 * up as x509 errors in jobs, so it is refused here.
 */
function x509Problem(text: string): string | undefined {
  const blocks = text.match(CERTIFICATE_BLOCKS) ?? [];
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      // OpenSSL's code prefix ("error:0680009B:") says nothing to a reader.
      const reason = (error instanceof Error ? error.message : String(error)).replace(
        /^error:[0-9A-F]+:/,
        "",
      );
      const which =
        blocks.length > 1 ? `certificate ${index + 1} of ${blocks.length}` : "the certificate";
      return `expected a PEM certificate that parses as X.509, found one that does not (${which}: ${reason})`;
    }
  }
  return undefined;
}
