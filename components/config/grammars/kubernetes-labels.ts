/**
 * Kubernetes label keys and values (apimachinery validation
 * IsQualifiedName / IsValidLabelValue), used by node selectors and taint
 * tolerations: a node label or taint key the API server would refuse can
 * never match, so every job pod would stay Pending.
 */
import { quoted } from "../messages/describe-value.js";

/** A name segment: at most 63 alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric. */
const NAME_SEGMENT = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A DNS subdomain prefix such as `node-role.kubernetes.io`, at most 253 characters. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_PREFIX_LENGTH = 253;

export const LABEL_KEY_FORM =
  "a label key ([prefix/]name: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, after an optional DNS subdomain and '/')";

export const LABEL_VALUE_FORM =
  "a label value (empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)";

/** What is wrong with a label (or taint) key, or undefined. */
export function labelKeyProblem(text: string): string | undefined {
  const slash = text.indexOf("/");
  const prefix = slash < 0 ? undefined : text.slice(0, slash);
  const name = slash < 0 ? text : text.slice(slash + 1);
  const prefixOk =
    prefix === undefined || (prefix.length <= MAX_PREFIX_LENGTH && DNS_SUBDOMAIN.test(prefix));
  return prefixOk && NAME_SEGMENT.test(name)
    ? undefined
    : `expected ${LABEL_KEY_FORM}, found ${quoted(text)}`;
}

/** What is wrong with a label (or taint) value, or undefined. */
export function labelValueProblem(text: string): string | undefined {
  return text === "" || NAME_SEGMENT.test(text)
    ? undefined
    : `expected ${LABEL_VALUE_FORM}, found ${quoted(text)}`;
}
