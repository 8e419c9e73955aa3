/**
 * Pulumi-level drift through the Automation API, behind a small interface so the
 * drift command and its tests never depend on a Pulumi CLI being installed.
 *
 * `AutomationDriftSource` runs two dry runs on the selected stack and reads the
 * engine events: `stack.previewRefresh()` (changed outside Pulumi) and
 * `stack.preview({ refresh: true })` (what `pulumi up` would change). Neither
 * modifies the stack or any resource.
 */
import {
  normalizedCounts,
  resourceDriftsFromEvents,
  type EngineEventLike,
  type OpCounts,
  type ResourceDrift,
} from "./pulumi-drift.js";

/** What the drift check learned about one Pulumi stack. */
export interface PulumiDriftResult {
  /** Operation counts of `previewRefresh` and of `preview --refresh`, zero counts left out. */
  readonly changeSummary: {
    readonly refresh: Readonly<Record<string, number>>;
    readonly preview: Readonly<Record<string, number>>;
  };
  /** Refresh-phase drifts first, then preview-phase ones; each sorted by type and name. */
  readonly resources: readonly ResourceDrift[];
}

/** The one thing the drift command asks of Pulumi. */
export interface PulumiDriftSource {
  /** @throws PulumiCheckError when the stack cannot be checked. */
  check(stackName: string): Promise<PulumiDriftResult>;
}

/** Options of both dry runs, as the Automation API's `PreviewOptions`/`RefreshOptions` name them. */
export interface DryRunOptions {
  readonly onEvent: (event: EngineEventLike) => void;
  readonly color: "never";
  readonly suppressProgress: true;
}

/** The part of an Automation API `Stack` used here; the real `Stack` satisfies it. */
export interface DryRunStack {
  previewRefresh(options: DryRunOptions): Promise<{ readonly changeSummary: OpCounts }>;
  preview(options: DryRunOptions & { readonly refresh: true }): Promise<{
    readonly changeSummary: OpCounts;
  }>;
}

/** A stack could not be checked (not found, not logged in, program failed, ...). Not drift. */
export class PulumiCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PulumiCheckError";
  }
}

export class AutomationDriftSource implements PulumiDriftSource {
  constructor(private readonly selectStack: (stackName: string) => Promise<DryRunStack>) {}

  async check(stackName: string): Promise<PulumiDriftResult> {
    try {
      const stack = await this.selectStack(stackName);
      const refreshEvents: EngineEventLike[] = [];
      const refresh = await stack.previewRefresh(dryRunOptions(refreshEvents));
      const previewEvents: EngineEventLike[] = [];
      const preview = await stack.preview({ ...dryRunOptions(previewEvents), refresh: true });
      return {
        changeSummary: {
          refresh: normalizedCounts(refresh.changeSummary),
          preview: normalizedCounts(preview.changeSummary),
        },
        resources: [
          ...resourceDriftsFromEvents("refresh", refreshEvents),
          ...resourceDriftsFromEvents("preview", previewEvents),
        ],
      };
    } catch (error) {
      if (error instanceof PulumiCheckError) throw error;
      throw new PulumiCheckError(`pulumi stack "${stackName}": ${pulumiErrorLine(error)}`);
    }
  }
}

function dryRunOptions(sink: EngineEventLike[]): DryRunOptions {
  return { onEvent: (event) => sink.push(event), color: "never", suppressProgress: true };
}

/**
 * The line that says what went wrong. A CommandError's message is
 * `code: N\n stdout: ...\n stderr: ...`; the CLI's own `error: ...` line says it best.
 */
export function pulumiErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.replace(/^\s*(stderr|stdout):\s*/, "").trim());
  const errorLine = lines.find((line) => line.startsWith("error:"));
  if (errorLine !== undefined) return errorLine.slice("error:".length).trim();
  return lines.find((line) => line !== "" && !/^code: /.test(line)) ?? "unknown error";
}

/**
 * Stacks of the Pulumi project in `workDir`, selected with the Automation API's
 * LocalWorkspace (the Pulumi CLI on PATH does the work). The SDK is loaded only
 * here, so commands that skip the Pulumi level never load it.
 */
export function localWorkspaceStacks(workDir: string): (stackName: string) => Promise<DryRunStack> {
  return async (stackName) => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
    const stack: DryRunStack = await LocalWorkspace.selectStack({ stackName, workDir });
    return stack;
  };
}
