/**
 * Values that become Kubernetes names, hostnames or label values, checked by
 * Kubernetes' own rules (k8s.io/apimachinery/pkg/util/validation: IsDNS1123Label,
 * IsDNS1123Subdomain, IsValidLabelValue), so the API server never refuses what
 * render accepted. Names of hosts, clusters, runners and namespaces are DNS labels
 * already (name-format.ts).
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { quoted } from "../messages/describe-value.js";

/** IsDNS1123Subdomain: lowercase labels joined by ".", at most 253 characters. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_SUBDOMAIN_LENGTH = 253;
/** IsValidLabelValue: empty, or alphanumerics with "-", "_", "." inside, at most 63 characters. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_LABEL_VALUE_LENGTH = 63;

/**
 * What is wrong with an `extraHosts` hostname, or undefined. It becomes a pod's
 * `hostAliases[].hostnames[]`, which the API server checks with IsDNS1123Subdomain
 * (ValidateHostAliases), and an `extra_hosts` entry on Docker, which is laxer.
 */
export function hostAliasProblem(text: string): string | undefined {
  if (DNS1123_SUBDOMAIN.test(text) && text.length <= MAX_SUBDOMAIN_LENGTH) return undefined;
  const hint =
    text.toLowerCase() !== text && DNS1123_SUBDOMAIN.test(text.toLowerCase())
      ? `; write ${quoted(text.toLowerCase())} (hostnames are not case-sensitive, and Kubernetes hostAliases refuse capitals)`
      : "";
  return `expected a lowercase hostname (RFC 1123: a-z, 0-9, "-" inside labels, labels joined by "."), found ${quoted(text)}${hint}`;
}

/**
 * The environment (stack) name is the value of the `dind-runners.environment` label
 * on every object in a cluster (kubernetes-object-meta.ts): a stack with clusters
 * needs a name Kubernetes accepts as a label value.
 */
export function environmentLabelIssues(
  environment: string,
  hasClusters: boolean,
): readonly ConfigIssue[] {
  if (!hasClusters) return [];
  if (LABEL_VALUE.test(environment) && environment.length <= MAX_LABEL_VALUE_LENGTH) return [];
  return [
    configError(
      "",
      `expected a stack name Kubernetes accepts as a label value (at most ${MAX_LABEL_VALUE_LENGTH} characters, starting and ending with a letter or digit), found ${quoted(environment)}; it labels every object this stack creates in its clusters`,
    ),
  ];
}
