/**
 * Registry entries of a dind daemon's daemon.json: insecure registries are
 * `host[:port]` (dockerd refuses to start when one has a scheme), mirrors are
 * http(s) URLs.
 */
import { missingSlashesHint, parseAbsoluteUrl } from "./absolute-url.js";
import { parseHostPort } from "./network-addresses.js";
import { quoted } from "../messages/describe-value.js";

/** What is wrong with an `insecure-registries` entry, or undefined. */
export function insecureRegistryProblem(text: string): string | undefined {
  const found = quoted(text);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0];
  if (scheme !== undefined) {
    const address = text.slice(scheme.length).split("/")[0] ?? "";
    return `expected host[:port] without a scheme, found ${found}; dockerd refuses to start with a scheme here: write ${quoted(address)}`;
  }
  if (text.includes("/")) {
    const address = text.split("/")[0] ?? "";
    return `expected host[:port] without a path, found ${found}; an insecure registry is a whole host: write ${quoted(address)}`;
  }
  if (parseHostPort(text) === undefined) {
    return `expected host[:port] (a hostname, an IPv4 address or an [IPv6] address, and a port from 1 to 65535), found ${found}`;
  }
  return undefined;
}

/** What is wrong with a `registry-mirrors` entry, or undefined. */
export function registryMirrorProblem(text: string): string | undefined {
  const expected = "expected an http or https URL such as https://mirror.example.com";
  const url = parseAbsoluteUrl(text);
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    return `${expected}, found ${quoted(text)}${missingSlashesHint(text)}`;
  }
  // Never echo a URL with credentials: the password would end up in logs.
  if (url.username !== "" || url.password !== "") {
    return `${expected} without user name or password, found a URL with credentials; dockerd rejects them in mirror URLs`;
  }
  if (url.search !== "" || url.hash !== "") {
    return `${expected} without query or fragment, found ${quoted(text)}`;
  }
  return undefined;
}
