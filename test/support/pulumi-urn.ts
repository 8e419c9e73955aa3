/**
 * Resource URNs as the Pulumi engine computes them, and its refusal of a
 * second resource with the same URN, for the stand-ins of the engine (the
 * in-process gRPC engine and the mocks harness): `pulumi up` refuses the whole
 * program on a duplicate, so they must too.
 */

/** The root stack resource's type: a child of it has no parent type in its URN. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The type part of a URN (`<parent types $-joined>$<type>`). */
function qualifiedType(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/**
 * pulumi/pulumi `pkg/resource/deploy/deployment.go` `generateURN`: the parent's
 * full qualified type (its whole `$` chain) comes before the type, except for
 * no parent or the root stack; then `sdk/go/common/resource/urn.go` `NewURN`:
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`.
 */
export function resourceUrn(
  stack: string,
  project: string,
  parentUrn: string,
  type: string,
  name: string,
): string {
  const parentType = parentUrn === "" ? "" : qualifiedType(parentUrn);
  const qualified =
    parentType === "" || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** pulumi/pulumi `pkg/diag/errors.go` `GetDuplicateResourceURNError` (diag 2001). */
export function duplicateUrnMessage(urn: string): string {
  return `Duplicate resource URN '${urn}'; try giving it a unique name`;
}

/**
 * The URNs of one deployment so far. pulumi/pulumi
 * `pkg/resource/deploy/step_generator.go` `generateURN`: `if sg.urns[urn]`
 * the step generator bails with {@link duplicateUrnMessage}, which fails the
 * whole update (and preview); otherwise it records the URN.
 */
export class DeploymentUrns {
  private readonly seen = new Set<string>();

  /** Records the URN; the engine's error message when it was registered before. */
  claim(urn: string): string | undefined {
    if (this.seen.has(urn)) return duplicateUrnMessage(urn);
    this.seen.add(urn);
    return undefined;
  }
}

/** What identifies a resource to the engine: its URN is made of these. */
export interface ResourceIdentity {
  readonly type: string;
  readonly name: string;
  /** URN of the parent, "" for none. */
  readonly parent: string;
}

/** `<type> <name> under <parent>` of every identity that occurs more than once, each once. */
export function repeatedIdentities(resources: readonly ResourceIdentity[]): string[] {
  const counts = new Map<string, number>();
  for (const { type, name, parent } of resources) {
    const key = `${type} ${name} under ${parent === "" ? "the stack" : parent}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([key]) => key);
}
