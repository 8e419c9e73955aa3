/**
 * The GitLab instance settings: its URL, which must be https because every
 * runner sends its authentication token there, and the PEM certificates.
 */
import { quoted } from "./describe-value.js";

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----\s[\s\S]*?\s-----END CERTIFICATE-----/;
const PRIVATE_KEY_BLOCK =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----\s[\s\S]*?\s-----END [A-Z ]*PRIVATE KEY-----/;

/** What is wrong with the GitLab URL, or undefined. */
export function gitlabUrlProblem(text: string): string | undefined {
  const expected = "expected an https URL such as https://gitlab.example.com";
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined) return `${expected}, found ${quoted(text)}`;
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
  return undefined;
}

export function isPemPrivateKey(text: string): boolean {
  return PRIVATE_KEY_BLOCK.test(text);
}
