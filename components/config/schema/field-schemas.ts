/**
 * Zod schemas of single config values. Each one reports what it expected and
 * what it found, in the product's message style; the rules themselves live in
 * small pure functions (`*Problem`) so they read and test without zod.
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import type { BuildBackendKind, PrivilegeMode } from "../../model/fleet.js";
import type { RunnerAccessLevel } from "../../model/managed-runner.js";
import { describeKind, expectedFound } from "../messages/describe-value.js";
import {
  BUILDKIT_VERSION_FORM,
  buildkitVersionProblem,
  DISK_SPACE_FORM,
  diskSpaceProblem,
} from "../grammars/buildkit-fields.js";
import {
  certificateRegistryProblem,
  dnsSearchProblem,
  dnsServerProblem,
  MTU_EXPECTED,
  mtuProblem,
} from "../grammars/dind-daemon-fields.js";
import { DOCKER_ENDPOINT_FORMS, parseDockerEndpoint } from "../grammars/docker-endpoint.js";
import { gitlabUrlProblem, pemCertificateProblem } from "../grammars/gitlab-instance-fields.js";
import { HOST_DIRECTORY_FORM, hostDirectoryProblem } from "../grammars/host-directory.js";
import {
  dockerVersionProblem,
  imageReferenceProblem,
  runnerImageProblem,
} from "../grammars/image-pinning.js";
import { hostAliasProblem } from "../grammars/kubernetes-names.js";
import {
  descriptionProblem,
  tagCountProblem,
  tagProblem,
} from "../grammars/gitlab-runner-fields.js";
import { NAME_FORM, nameProblem } from "../grammars/name-format.js";
import { isIpAddress, listenAddressProblem } from "../grammars/network-addresses.js";
import { insecureRegistryProblem, registryMirrorProblem } from "../grammars/registry-addresses.js";
import { RUNNER_SCOPE_FORMS, runnerScopeProblem } from "../grammars/runner-scope.js";
import { isSecretValue, type SecretValue } from "../grammars/secret-value.js";
import { STORAGE_DRIVERS, storageDriverMessage } from "../grammars/storage-driver.js";

/** A schema `error` option for a value of the wrong type; other issues keep their own messages. */
export function onWrongType(expected: string) {
  return (issue: z.core.$ZodRawIssue): string | undefined =>
    issue.code === "invalid_type" ? expectedFound(expected, issue.input) : undefined;
}

/** A string that `problem` accepts; `expected` describes a valid value when the type is wrong. */
export function checkedString(expected: string, problem: (text: string) => string | undefined) {
  return z.string({ error: onWrongType(expected) }).superRefine((text, context) => {
    const message = problem(text);
    if (message !== undefined) context.addIssue({ code: "custom", message, input: text });
  });
}

/**
 * An optional field, its default (from DEFAULTS) and what it means. The default is
 * metadata only, for the generated config reference: resolve-fleet.ts applies
 * defaults, because precedence needs to know which levels left a field unset.
 */
export function defaultingTo<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  description: string,
) {
  return schema.optional().meta({ default: value, description });
}

/** An optional field without a default value; `noDefault` says what happens when it is unset. */
export function optionalField<Schema extends z.ZodType>(
  schema: Schema,
  description: string,
  noDefault: string,
) {
  return schema.optional().meta({ description, [NO_DEFAULT]: noDefault });
}

/** A required field and what it means. */
export function requiredField<Schema extends z.ZodType>(schema: Schema, description: string) {
  return schema.meta({ description });
}

/** Metadata key: what an optional field without a default value means when unset. */
export const NO_DEFAULT = "x-when-unset";

/** Metadata key: the type of a value JSON Schema cannot express (a custom check), in words. */
export const TYPE_TEXT = "x-type";

/** A whole number from `min` to `max`. */
export function boundedInteger(min: number, max: number) {
  const error = (issue: { readonly input?: unknown }) =>
    expectedFound(`an integer from ${min} to ${max}`, issue.input);
  return z.int({ error }).min(min, { error }).max(max, { error });
}

function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  const expected = `one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
  return z.enum(values, { error: (issue) => expectedFound(expected, issue.input) });
}

export function listOf<Element extends z.ZodType>(element: Element, expected: string) {
  return z.array(element, { error: onWrongType(`a list of ${expected}`) });
}

export const flag = z.boolean({ error: onWrongType("true or false") });

export const nameSchema = checkedString(NAME_FORM, nameProblem);

export const tagsSchema = listOf(checkedString("a tag", tagProblem), "tags")
  .min(1, {
    error: (issue) =>
      expectedFound("at least one tag (the tags the runner has in GitLab)", issue.input),
  })
  .superRefine((tags, context) => {
    const message = tagCountProblem(tags);
    if (message !== undefined) context.addIssue({ code: "custom", message, input: tags });
  });

export function nonEmptyText(expected: string) {
  return checkedString(expected, (text) =>
    text.trim() === "" ? expectedFound(expected, text) : undefined,
  );
}

export const gitlabUrlSchema = checkedString(
  "an https URL such as https://gitlab.example.com",
  gitlabUrlProblem,
);

export const pemCertificateSchema = checkedString("a PEM certificate", pemCertificateProblem);

export const runnerImageSchema = checkedString("a pinned GitLab Runner image", runnerImageProblem);

export const dockerVersionSchema = checkedString(
  `a pinned Docker version x.y.z such as ${DEFAULTS.dind.dockerVersion}`,
  dockerVersionProblem,
);

export const imageReferenceSchema = checkedString("an image reference", imageReferenceProblem);

export const hostDirectorySchema = checkedString(HOST_DIRECTORY_FORM, hostDirectoryProblem);

export const listenAddressSchema = checkedString("host:port or :port", listenAddressProblem);

export const dockerEndpointSchema = checkedString(DOCKER_ENDPOINT_FORMS, (text) => {
  const parsed = parseDockerEndpoint(text);
  return parsed.ok ? undefined : parsed.problem;
});

export const storageDriverSchema = z.enum(STORAGE_DRIVERS, {
  error: (issue) => storageDriverMessage(issue.input),
});

export const privilegeModeSchema = oneOf([
  "services-only",
  "all",
] as const satisfies readonly PrivilegeMode[]);

export const buildBackendSchema = oneOf([
  "dind",
  "socket",
  "buildkit",
] as const satisfies readonly BuildBackendKind[]);

export const buildkitVersionSchema = checkedString(BUILDKIT_VERSION_FORM, buildkitVersionProblem);

export const diskSpaceSchema = checkedString(DISK_SPACE_FORM, diskSpaceProblem);

export const insecureRegistriesSchema = listOf(
  checkedString("host[:port]", insecureRegistryProblem),
  "host[:port] entries",
);

export const registryMirrorsSchema = listOf(
  checkedString("an http or https URL", registryMirrorProblem),
  "mirror URLs",
);

/** MTU of the dind daemon's networks, within what the kernel accepts for a bridge. */
export const mtuSchema = z
  .number({ error: onWrongType(MTU_EXPECTED) })
  .superRefine((value, context) => {
    const message = mtuProblem(value);
    if (message !== undefined) context.addIssue({ code: "custom", message, input: value });
  });

export const dnsServersSchema = listOf(
  checkedString("an IP address", dnsServerProblem),
  "DNS server IP addresses",
);

export const dnsSearchSchema = listOf(
  checkedString("a DNS search domain", dnsSearchProblem),
  "DNS search domains",
);

/** `host[:port]` of a registry named for its CA (as gitlab.registryHost or a registryCertificates key). */
export const certificateRegistrySchema = checkedString("host[:port]", certificateRegistryProblem);

/**
 * A map whose keys `keyProblem` checks; a bad key is reported at its own path,
 * with `keyProblem`'s message.
 */
function keyedRecord<Value extends z.ZodType>(
  keyProblem: (key: string) => string | undefined,
  value: Value,
  expectedMap: string,
) {
  return z.record(
    z.string().refine((key) => keyProblem(key) === undefined),
    value,
    {
      error: (issue) =>
        issue.code === "invalid_key"
          ? (keyProblem(typeof issue.input === "string" ? issue.input : "") ??
            expectedFound(expectedMap, issue.input))
          : expectedFound(expectedMap, issue.input),
    },
  );
}

/** `host[:port]: CA PEM` entries; a bad registry name is reported at its own key. */
export const registryCertificatesSchema = keyedRecord(
  (key) => {
    const problem = certificateRegistryProblem(key);
    return problem === undefined ? undefined : `${problem} as the key`;
  },
  pemCertificateSchema,
  "a map of registry host[:port]: CA certificate PEM",
);

/**
 * `hostname: IP` entries; a bad hostname is reported at its own key. Hostnames are
 * lowercase because Kubernetes refuses capitals in a pod's hostAliases (RFC 1123).
 */
export const extraHostsSchema = keyedRecord(
  hostAliasProblem,
  checkedString("an IPv4 or IPv6 address", (text) =>
    isIpAddress(text) ? undefined : expectedFound("an IPv4 or IPv6 address", text),
  ),
  "a map of hostname: IP address",
);

/**
 * A secret: `{ secure: "<ciphertext>" }` or a plaintext string. Whether plaintext is
 * acceptable depends on where the config came from (see secret-checks.ts). Messages
 * describe only the kind of value found, never its content.
 */
export function secretSchema(expected: string) {
  return z
    .custom<SecretValue>(isSecretValue, {
      error: (issue) =>
        `expected ${expected} (an encrypted { secure: ... } value), found ${describeKind(issue.input)}`,
    })
    .meta({ [TYPE_TEXT]: "secret" });
}

/** A managed runner's scope in GitLab, as written in the stack (see runner-scope.ts). */
export const runnerScopeSchema = z
  .custom<"instance" | Readonly<Record<string, string | number>>>(
    (value) => runnerScopeProblem(value) === undefined,
    { error: (issue) => runnerScopeProblem(issue.input) ?? `expected ${RUNNER_SCOPE_FORMS}` },
  )
  .meta({ [TYPE_TEXT]: "`instance` or a map" });

export const accessLevelSchema = oneOf([
  "not_protected",
  "ref_protected",
] as const satisfies readonly RunnerAccessLevel[]);

/** A runner description as GitLab shows it: one line of text, within GitLab's length limit. */
export const runnerDescriptionSchema = checkedString("a one-line description", descriptionProblem);
