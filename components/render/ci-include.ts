/**
 * The ready-to-paste `include:` of the docker-build CI/CD component for a
 * stack's runners (`out/<env>/ci/include.yml`). Jobs on these runners must not
 * start their own dind service and must use the runner's TLS mode and daemon
 * settings; the snippet fills exactly those inputs (and the jobs' tags) from
 * the same model the runner configs are rendered from, so the two sides cannot
 * disagree.
 */
import { Document, isMap, isSeq, Pair, Scalar, YAMLMap } from "yaml";
import packageJson from "../../package.json";
import type {
  BuildBackendKind,
  DindSettings,
  ExecutorVariant,
  Fleet,
  Runner,
} from "../model/fleet.js";
import { compareCodePoints } from "./compare-code-points.js";

/** Version of the CI/CD components released from this project (its package version). */
export const COMPONENT_VERSION: string = packageJson.version;

/** Placeholder the reader replaces with the namespace holding the component project. */
export const COMPONENT_GROUP_PLACEHOLDER = "<group>";

/** Default component address; `<group>` must be replaced before the snippet is used. */
export const DEFAULT_DOCKER_BUILD_COMPONENT = `$CI_SERVER_FQDN/${COMPONENT_GROUP_PLACEHOLDER}/dind-runners/docker-build@${COMPONENT_VERSION}`;

export interface CiIncludeOptions {
  /** `<fqdn>/<project path>/docker-build@<version>`; default {@link DEFAULT_DOCKER_BUILD_COMPONENT}. */
  readonly component?: string;
}

/** The runner-side inputs of templates/docker-build/template.yml, named as the template spells them. */
export interface DockerBuildRunnerInputs {
  readonly "job-prefix": string;
  readonly executor: ExecutorVariant;
  readonly "docker-version": string;
  readonly tls: boolean;
  readonly "dind-service": "runner";
  /** The runner's build backend; absent for `dind`, the template's default (so dind includes stay as they were). */
  readonly backend?: Exclude<BuildBackendKind, "dind">;
  /** What the runner's daemon has, as the template's `dind-flags` grammar spells it; `[]` for other backends. */
  readonly "dind-flags": readonly string[];
}

/** A runner and where it runs, as the snippet's comments name it. */
export interface PlacedRunner {
  readonly runner: Runner;
  readonly executor: ExecutorVariant;
  /** `docker host <name>` or `kubernetes cluster <name>`. */
  readonly target: string;
}

/** Runners with the same tags and dind settings: one include entry. */
export interface CiIncludeGroup {
  readonly inputs: DockerBuildRunnerInputs;
  /** Tags of the group's job (`<job-prefix>-build`), as the runners declare them. */
  readonly tags: readonly string[];
  readonly runners: readonly PlacedRunner[];
  /**
   * Other runners GitLab may also give the job to (their tags include the
   * group's tags) whose settings would break it there.
   */
  readonly warnings: readonly string[];
}

/** Prefix of job names generated here: `docker-<tags>-build`. */
const JOB_PREFIX_BASE = "docker";

/** Groups in order of their first runner: Docker hosts, then clusters, each by name; runners as declared. */
export function ciIncludeGroups(fleet: Fleet): readonly CiIncludeGroup[] {
  const placed = placedRunners(fleet);
  const byKey = new Map<string, PlacedRunner[]>();
  for (const entry of placed) {
    const key = JSON.stringify(groupKey(entry));
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [entry]);
    else members.push(entry);
  }
  const groups = [...byKey.values()];
  const prefixes = jobPrefixes(JOB_PREFIX_BASE, groups);
  return groups.map((members, index) => {
    const [first] = members;
    if (first === undefined) throw new Error("a group has at least one runner");
    const backend = first.runner.backend.kind;
    const inputs: DockerBuildRunnerInputs = {
      "job-prefix": prefixes[index] ?? JOB_PREFIX_BASE,
      executor: first.executor,
      "docker-version": first.runner.dind.dockerVersion,
      tls: first.runner.dind.tls,
      "dind-service": "runner",
      ...(backend === "dind" ? {} : { backend }),
      "dind-flags": runnerDindFlags(first.runner),
    };
    const tags = declaredTags(first.runner);
    const others = placed.filter(
      (entry) => !members.includes(entry) && includesAll(entry.runner.tags, tags),
    );
    return {
      inputs,
      tags,
      runners: members,
      warnings: others.flatMap((o) => candidateWarnings(inputs, tags, o)),
    };
  });
}

/** The template's `dind-flags` for a runner: its dind's flags, none for other backends (the template refuses them). */
function runnerDindFlags(runner: Runner): string[] {
  return runner.backend.kind === "dind" ? dindFlags(runner.dind) : [];
}

/**
 * The daemon flags of the docker-build template for a runner's dind: insecure
 * registries (sorted), registry mirrors (in order), and the MTU when the stack
 * sets one (the template checks it against the daemon's bridge network).
 */
export function dindFlags(dind: DindSettings): string[] {
  return [
    ...[...dind.insecureRegistries]
      .sort(compareCodePoints)
      .map((registry) => `--insecure-registry=${registry}`),
    ...dind.registryMirrors.map((mirror) => `--registry-mirror=${mirror}`),
    ...(dind.mtu === undefined ? [] : [`--mtu=${dind.mtu}`]),
  ];
}

/**
 * The snippet: a YAML document with a header comment, one include entry per
 * group, then the tags of each group's job (the component has no tags input:
 * an empty list is invalid CI YAML, and GitLab merges these keys into the
 * included job).
 */
export function ciIncludeSnippet(fleet: Fleet, options: CiIncludeOptions = {}): string {
  const component = options.component ?? DEFAULT_DOCKER_BUILD_COMPONENT;
  const groups = ciIncludeGroups(fleet);
  const document = new Document({
    include: groups.map((group) => ({ component, inputs: group.inputs })),
  });
  document.commentBefore = headerComment(fleet, component);

  const include = document.get("include", true);
  if (!isSeq(include)) throw new Error("include is a sequence");
  include.items.forEach((item, index) => {
    const group = groups[index];
    if (group === undefined || !isMap(item)) return;
    item.commentBefore = entryComment(group);
    const inputs = item.get("inputs", true);
    if (!isMap(inputs)) return;
    // Short lists read best inline, as in GitLab's docs: [--mtu=1450].
    flowStyle(inputs.get("dind-flags", true));
  });

  const root = document.contents;
  if (!(root instanceof YAMLMap)) throw new Error("the snippet is a mapping");
  groups
    .filter((group) => group.tags.length > 0)
    .forEach((group, index) => {
      const tags = document.createNode(group.tags);
      flowStyle(tags);
      const key = new Scalar(`${group.inputs["job-prefix"]}-build`);
      if (index === 0) {
        key.spaceBefore = true;
        key.commentBefore =
          " GitLab gives each build job only to runners that have all of its tags.";
      }
      root.items.push(new Pair(key, new YAMLMap(document.schema)));
      const job = root.items.at(-1)?.value;
      if (job instanceof YAMLMap) job.set("tags", tags);
    });
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function headerComment(fleet: Fleet, component: string): string {
  return includeHeaderComment(fleet, component, {
    title: "docker-build includes",
    placeholderHint: "dind-runners component project, or with the path of your mirror of it.",
    body: [
      "Each entry adds one build job (<job-prefix>-build) that runs on the runners named above it.",
      "Keep the entries you need and add build inputs as you like (stage, needs, image, tag, context,",
      "dockerfile, push, cache, build-args, ...); keep the inputs below and the jobs' tags as they are:",
      "they match the runners.",
    ],
  });
}

/**
 * The opening comment of a rendered include file (docker-build's, dind-check's): which stack
 * it is for, that the render writes it, how to fill in the component's group, then `body`.
 */
export function includeHeaderComment(
  fleet: Fleet,
  component: string,
  text: {
    readonly title: string;
    readonly placeholderHint: string;
    readonly body: readonly string[];
  },
): string {
  const lines = [
    `${text.title} for the runners of stack "${fleet.environment}", written by`,
    `\`npm run render -- --stack ${fleet.environment}\`: edit the stack config, not this file.`,
    ...(component.includes(COMPONENT_GROUP_PLACEHOLDER)
      ? [
          `Replace ${COMPONENT_GROUP_PLACEHOLDER} in the component address with the group (namespace) that holds the`,
          text.placeholderHint,
        ]
      : []),
    ...text.body,
  ];
  return lines.map((line) => ` ${line}`).join("\n");
}

function entryComment(group: CiIncludeGroup): string {
  const names = group.runners.map((entry) => `${entry.runner.name} (${entry.target})`);
  return [` runners: ${names.join(", ")}`, ...group.warnings.map((w) => ` warning: ${w}`)].join(
    "\n",
  );
}

function flowStyle(node: unknown): void {
  if (isSeq(node)) node.flow = true;
}

/** Hosts and clusters by name, so the snippet does not depend on their order in the stack. */
export function placedRunners(fleet: Fleet): PlacedRunner[] {
  const byName = (a: { name: string }, b: { name: string }) => compareCodePoints(a.name, b.name);
  return [
    ...[...fleet.dockerHosts].sort(byName).flatMap((host) =>
      host.runners.map((runner) => ({
        runner,
        executor: "docker" as const,
        target: `docker host ${host.name}`,
      })),
    ),
    ...[...fleet.kubernetesClusters].sort(byName).flatMap((cluster) =>
      cluster.runners.map((runner) => ({
        runner,
        executor: "kubernetes" as const,
        target: `kubernetes cluster ${cluster.name}`,
      })),
    ),
  ];
}

/** What makes two runners need different include inputs (everything but the job prefix). */
function groupKey(entry: PlacedRunner): readonly unknown[] {
  const { dind, backend } = entry.runner;
  return [
    sortedTags(entry.runner),
    entry.executor,
    dind.dockerVersion,
    dind.tls,
    backend.kind,
    runnerDindFlags(entry.runner),
  ];
}

/**
 * `<base>-<tags>` per group (docker-build: `docker-<tags>`; dind-check:
 * `dind-check-<env>-<tags>`); groups with equal tags (other settings differ)
 * add their executor, and any that still collide a counter.
 */
export function jobPrefixes(base: string, groups: readonly (readonly PlacedRunner[])[]): string[] {
  const bases = groups.map((members) => {
    const tags = members[0] === undefined ? [] : declaredTags(members[0].runner);
    const slug = tags.length === 0 ? "untagged" : slugOf(tags.join("-"));
    return `${base}-${slug}`;
  });
  const used = new Set<string>();
  return groups.map((members, index) => {
    const groupBase = bases[index] ?? base;
    const shared = bases.filter((other) => other === groupBase).length > 1;
    const preferred =
      shared && members[0] !== undefined ? `${groupBase}-${members[0].executor}` : groupBase;
    let prefix = preferred;
    for (let counter = 2; used.has(prefix); counter += 1) prefix = `${preferred}-${counter}`;
    used.add(prefix);
    return prefix;
  });
}

/** Runner tags are free text; a job prefix must match the template's `^[A-Za-z0-9][A-Za-z0-9_.-]*$`. */
export function slugOf(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "tagged" : slug;
}

function candidateWarnings(
  inputs: DockerBuildRunnerInputs,
  tags: readonly string[],
  other: PlacedRunner,
): string[] {
  const also = `runner ${other.runner.name} (${other.target}) also takes jobs with tags [${tags.join(", ")}]`;
  const fix = "give the runners distinct tags";
  const found: string[] = [];
  const otherBackend = other.runner.backend.kind;
  if (otherBackend !== (inputs.backend ?? "dind")) {
    found.push(
      `${also} but has dind.backend ${otherBackend}, so the job stops at its backend check there; ${fix}.`,
    );
    return found;
  }
  // Only a dind job's DOCKER_HOST depends on TLS.
  if (otherBackend === "dind" && other.runner.dind.tls !== inputs.tls) {
    found.push(
      `${also} but has dind.tls ${String(other.runner.dind.tls)}, so the job's DOCKER_HOST misses its daemon; ${fix}.`,
    );
  }
  const otherFlags = runnerDindFlags(other.runner);
  const missing = inputs["dind-flags"].filter((flag) => !otherFlags.includes(flag));
  if (missing.length > 0) {
    found.push(`${also} but its daemon lacks ${missing.join(", ")}; ${fix}.`);
  }
  return found;
}

/** Tag order means nothing to GitLab: groups compare sorted tags, the snippet shows them as declared. */
export function sortedTags(runner: Runner): string[] {
  return declaredTags(runner).sort(compareCodePoints);
}

export function declaredTags(runner: Runner): string[] {
  return [...new Set(runner.tags)];
}

/** GitLab gives a job to a runner only when the runner has every tag of the job. */
function includesAll(runnerTags: readonly string[], jobTags: readonly string[]): boolean {
  return jobTags.every((tag) => runnerTags.includes(tag));
}
