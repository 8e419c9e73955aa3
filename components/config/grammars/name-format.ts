/**
 * Names of hosts, clusters, runners and namespaces. They become container names,
 * file names, Kubernetes object names and label values, so they follow the
 * strictest of those rules: a DNS label (RFC 1123).
 */
import { quoted } from "../messages/describe-value.js";

const DNS_LABEL_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 63;

export const NAME_FORM =
  'a name of lowercase letters, digits and "-" that starts and ends with a letter or digit, at most 63 characters';

/** What is wrong with a name, or undefined. */
export function nameProblem(text: string): string | undefined {
  if (DNS_LABEL_NAME.test(text) && text.length <= MAX_NAME_LENGTH) return undefined;
  return `expected ${NAME_FORM}, found ${quoted(text)}`;
}
