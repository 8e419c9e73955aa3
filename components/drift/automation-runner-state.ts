/**
 * The managed runners' GitLab ids from a Pulumi stack's state (its
 * `gitlabRunners` output) and `gitlab.apiToken` from its config, through the
 * Automation API. Behind {@link ManagedRunnerStateSource}, so the drift check
 * and its tests never need a Pulumi CLI.
 */
import { pulumiErrorLine } from "./automation-drift-source.js";
import type { ManagedRunnerState, ManagedRunnerStateSource } from "./gitlab-runner-drift.js";
import { PROJECT_NAMESPACE } from "../config/read/config-namespace.js";

/** The part of an Automation API `Stack` used here; the real `Stack` satisfies it. */
export interface StateStack {
  /** As `Stack.outputs()`: `{ <name>: { value, secret } }`. */
  outputs(): Promise<Readonly<Record<string, { readonly value: unknown }>>>;
  /** As `Stack.getAllConfig()` (`pulumi config --show-secrets --json`): structured values as JSON text. */
  getAllConfig(): Promise<Readonly<Record<string, { readonly value: string }>>>;
}

/** Name of the stack output holding each managed runner's id (see index.ts). */
export const GITLAB_RUNNERS_OUTPUT = "gitlabRunners";

export class AutomationRunnerState implements ManagedRunnerStateSource {
  constructor(private readonly selectStack: (stackName: string) => Promise<StateStack>) {}

  async read(stackName: string): Promise<ManagedRunnerState> {
    let stack: StateStack;
    let outputs: Awaited<ReturnType<StateStack["outputs"]>>;
    let config: Awaited<ReturnType<StateStack["getAllConfig"]>>;
    try {
      stack = await this.selectStack(stackName);
      [outputs, config] = await Promise.all([stack.outputs(), stack.getAllConfig()]);
    } catch (error) {
      throw new Error(`pulumi stack "${stackName}": ${pulumiErrorLine(error)}`, { cause: error });
    }
    const apiToken = apiTokenOf(config[`${PROJECT_NAMESPACE}:gitlab`]?.value);
    return {
      runnerIds: runnerIdsOf(outputs[GITLAB_RUNNERS_OUTPUT]?.value),
      tokenExpiresAt: tokenExpiriesOf(outputs[GITLAB_RUNNERS_OUTPUT]?.value),
      ...(apiToken === undefined ? {} : { apiToken }),
    };
  }
}

/** `{ <runner>: { runnerId: 42, ... } }` -> runner -> 42; anything else is left out. */
export function runnerIdsOf(output: unknown): ReadonlyMap<string, number> {
  const ids = new Map<string, number>();
  if (typeof output !== "object" || output === null) return ids;
  for (const [name, entry] of Object.entries(output)) {
    const id = (entry as { runnerId?: unknown } | null)?.runnerId;
    if (typeof id === "number") ids.set(name, id);
  }
  return ids;
}

/** `{ <runner>: { tokenExpiresAt: "..." | null, ... } }` -> runner -> expiry; anything else is left out. */
export function tokenExpiriesOf(output: unknown): ReadonlyMap<string, string | null> {
  const expiries = new Map<string, string | null>();
  if (typeof output !== "object" || output === null) return expiries;
  for (const [name, entry] of Object.entries(output)) {
    const expiry = (entry as { tokenExpiresAt?: unknown } | null)?.tokenExpiresAt;
    if (expiry === null || (typeof expiry === "string" && !Number.isNaN(Date.parse(expiry)))) {
      expiries.set(name, expiry);
    }
  }
  return expiries;
}

function apiTokenOf(gitlabJson: string | undefined): string | undefined {
  if (gitlabJson === undefined) return undefined;
  try {
    const token = (JSON.parse(gitlabJson) as { apiToken?: unknown } | null)?.apiToken;
    return typeof token === "string" && token !== "" ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Stacks of the Pulumi project in `workDir` (the Pulumi CLI on PATH does the work). */
export function localWorkspaceStateStacks(
  workDir: string,
): (stackName: string) => Promise<StateStack> {
  return async (stackName) => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
    const stack: StateStack = await LocalWorkspace.selectStack({ stackName, workDir });
    return stack;
  };
}
