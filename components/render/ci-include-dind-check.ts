/**
 * The `include:` of the dind-check CI/CD component for a stack's runners
 * (`out/<env>/ci/dind-check.yml`): one canary per runner tag set, its inputs
 * taken from the same model the runners are rendered from, so each check
 * expects exactly what the runner is meant to have. The fleet component runs
 * these includes per stack (templates/fleet/template.yml, `<job-prefix>-canary`).
 */
import { Document, isMap, isSeq, Pair, Scalar, YAMLMap } from "yaml";
import type { BuildBackendKind, ExecutorVariant, Fleet, Runner } from "../model/fleet.js";
import {
  COMPONENT_GROUP_PLACEHOLDER,
  COMPONENT_VERSION,
  declaredTags,
  includeHeaderComment,
  jobPrefixes,
  placedRunners,
  type PlacedRunner,
  slugOf,
  sortedTags,
} from "./ci-include.js";
import { compareCodePoints } from "./compare-code-points.js";
import { dockerExtraHosts } from "./extra-hosts.js";

/** Default component address; `<group>` must be replaced before the snippet is used. */
export const DEFAULT_DIND_CHECK_COMPONENT = `$CI_SERVER_FQDN/${COMPONENT_GROUP_PLACEHOLDER}/dind-runners/dind-check@${COMPONENT_VERSION}`;

/** The inputs of templates/dind-check/template.yml the stack decides, named as the template spells them. */
export interface DindCheckInputs {
  readonly "job-prefix": string;
  readonly executor: ExecutorVariant;
  readonly backend: BuildBackendKind;
  readonly "docker-version": string;
  /** The dind settings below: present with backend `dind` only (socket: the host's daemon decides; buildkit: no daemon). */
  readonly tls?: boolean;
  readonly "storage-driver"?: string;
  /** Left out when the stack sets no MTU (the template's default is Docker's 1500). */
  readonly mtu?: number;
  readonly "extra-hosts": readonly string[];
  readonly "insecure-registries"?: readonly string[];
  readonly "ca-registries"?: readonly string[];
  readonly "registry-mirrors"?: readonly string[];
  readonly cache: boolean;
}

/** Runners with the same tags and the same expectations: one canary. */
export interface DindCheckGroup {
  readonly inputs: DindCheckInputs;
  /** Tags of both jobs, as the runners declare them. */
  readonly tags: readonly string[];
  readonly runners: readonly PlacedRunner[];
}

export interface DindCheckIncludeOptions {
  /** `<fqdn>/<project path>/dind-check@<version>`; default {@link DEFAULT_DIND_CHECK_COMPONENT}. */
  readonly component?: string;
}

/** Job prefixes start with this and the stack's name, so includes of several stacks can share a pipeline. */
const JOB_PREFIX_BASE = "dind-check";

/**
 * Whether the runner's jobs share a distributed cache (`[runners.cache]` of a
 * cloud type), which the canary's second job then reads.
 */
function hasDistributedCache(runner: Runner): boolean {
  return runner.cache.type !== "none";
}

/**
 * Whether the runner's jobs have a dind service of the stack's settings
 * (daemon.json, TLS). A socket runner's host engine takes them from its own
 * daemon.json, a buildkit runner has no Docker daemon (docs/build-backends.md):
 * their inputs are left out, and the template skips those checks.
 */
function hasDindSettings(runner: Runner): boolean {
  const kind = runner.backend.kind;
  switch (kind) {
    case "dind":
      return true;
    case "socket":
    case "buildkit":
      return false;
    default: {
      const unknown: never = kind;
      throw new Error(`unknown build backend ${String(unknown)}`);
    }
  }
}

function checkInputs(entry: PlacedRunner): Omit<DindCheckInputs, "job-prefix"> {
  const { dind } = entry.runner;
  const dindSettings = hasDindSettings(entry.runner);
  return {
    executor: entry.executor,
    backend: entry.runner.backend.kind,
    "docker-version": dind.dockerVersion,
    ...(dindSettings
      ? {
          tls: dind.tls,
          "storage-driver": dind.storageDriver,
          ...(dind.mtu === undefined ? {} : { mtu: dind.mtu }),
        }
      : {}),
    // Sorted, so the include does not depend on the order the stack lists them in.
    "extra-hosts": dockerExtraHosts(dind),
    ...(dindSettings
      ? {
          "insecure-registries": [...dind.insecureRegistries].sort(compareCodePoints),
          "ca-registries": [...new Set(dind.registryCertificates.map((c) => c.registry))].sort(
            compareCodePoints,
          ),
          "registry-mirrors": [...dind.registryMirrors],
        }
      : {}),
    cache: hasDistributedCache(entry.runner),
  };
}

/** Groups in order of their first runner (Docker hosts, then clusters, each by name). */
export function dindCheckGroups(fleet: Fleet): readonly DindCheckGroup[] {
  const byKey = new Map<string, PlacedRunner[]>();
  for (const entry of placedRunners(fleet)) {
    const key = JSON.stringify([sortedTags(entry.runner), checkInputs(entry)]);
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [entry]);
    else members.push(entry);
  }
  const groups = [...byKey.values()];
  const prefixes = jobPrefixes(`${JOB_PREFIX_BASE}-${slugOf(fleet.environment)}`, groups);
  return groups.map((members, index) => {
    const [first] = members;
    if (first === undefined) throw new Error("a group has at least one runner");
    return {
      inputs: {
        "job-prefix": prefixes[index] ?? JOB_PREFIX_BASE,
        ...checkInputs(first),
      },
      tags: declaredTags(first.runner),
      runners: members,
    };
  });
}

/**
 * The snippet: one include entry per group, then the tags of each group's two
 * jobs (`<job-prefix>-check`, `<job-prefix>-cache-read`; the template has no
 * tags input, as docker-build has none).
 */
export function dindCheckIncludeSnippet(
  fleet: Fleet,
  options: DindCheckIncludeOptions = {},
): string {
  const component = options.component ?? DEFAULT_DIND_CHECK_COMPONENT;
  return snippet(dindCheckGroups(fleet), component, headerComment(fleet, component));
}

/**
 * The canaries of several stacks as one pipeline (the child pipeline the fleet
 * component triggers): every job name carries its stack, so they never collide.
 */
export function dindCheckPipeline(
  fleets: readonly Fleet[],
  options: DindCheckIncludeOptions = {},
): string {
  const component = options.component ?? DEFAULT_DIND_CHECK_COMPONENT;
  const names = fleets.map((fleet) => fleet.environment).join(", ");
  return snippet(
    fleets.flatMap((fleet) => dindCheckGroups(fleet)),
    component,
    ` dind-check canaries of the stacks ${names}, written by \`npm run canary-pipeline\`.`,
  );
}

function snippet(groups: readonly DindCheckGroup[], component: string, header: string): string {
  const document = new Document({
    include: groups.map((group) => ({ component, inputs: group.inputs })),
  });
  document.commentBefore = header;
  const include = document.get("include", true);
  if (!isSeq(include)) throw new Error("include is a sequence");
  include.items.forEach((item, index) => {
    const group = groups[index];
    if (group === undefined || !isMap(item)) return;
    item.commentBefore = ` runners: ${group.runners.map((e) => `${e.runner.name} (${e.target})`).join(", ")}`;
    const inputs = item.get("inputs", true);
    if (!isMap(inputs)) return;
    for (const key of ["extra-hosts", "insecure-registries", "ca-registries", "registry-mirrors"]) {
      const node = inputs.get(key, true);
      if (isSeq(node)) node.flow = true;
    }
  });
  const root = document.contents;
  if (!(root instanceof YAMLMap)) throw new Error("the snippet is a mapping");
  let first = true;
  for (const group of groups.filter((candidate) => candidate.tags.length > 0)) {
    for (const job of ["check", "cache-read"]) {
      const tags = document.createNode(group.tags);
      if (isSeq(tags)) tags.flow = true;
      const key = new Scalar(`${group.inputs["job-prefix"]}-${job}`);
      if (first) {
        key.spaceBefore = true;
        key.commentBefore = " Each canary runs on the runners of its tags, as their build jobs do.";
        first = false;
      }
      const value = new YAMLMap(document.schema);
      value.set("tags", tags);
      root.items.push(new Pair(key, value));
    }
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function headerComment(fleet: Fleet, component: string): string {
  return includeHeaderComment(fleet, component, {
    title: "dind-check canaries",
    placeholderHint: "dind-runners component project; the fleet component does that itself.",
    body: [
      "Each entry checks the runners named above it against what the stack declares for them.",
    ],
  });
}
