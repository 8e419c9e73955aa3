import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DiffKind,
  type EngineEvent,
  type OpMap,
  type PreviewOptions,
  type PreviewResult,
  type RefreshOptions,
  type StepEventMetadata,
} from "@pulumi/pulumi/automation/index.js";
import {
  AutomationDriftSource,
  PulumiCheckError,
  pulumiErrorLine,
  type DryRunStack,
} from "../../components/drift/automation-drift-source.js";

/*
 * Engine events shaped as the Automation API (3.270) delivers them to `onEvent`:
 * the types come from @pulumi/pulumi/automation, so a field the SDK does not
 * have fails to compile. A refresh reports its result op on the
 * resource-outputs event (its pre-event says `refresh`); a preview's steps carry
 * `diffs`/`detailedDiff`, and a replacement is three steps.
 */
const STACK_URN = "urn:pulumi:dev::dind-runners::pulumi:pulumi:Stack::dind-runners-dev";
const PROVIDER = `urn:pulumi:dev::dind-runners::pulumi:providers:docker::local::7d4a0c2e-0b1e-4a4e-9f55-1f2a3b4c5d6e`;
const HOST = "urn:pulumi:dev::dind-runners::dind-runners:docker:DockerHostRunners";
const MANAGER = `${HOST}$docker:index/container:Container::local-manager`;
const WRITER = `${HOST}$docker:index/container:Container::local-config-writer`;
const IMAGE = `${HOST}$docker:index/remoteImage:RemoteImage::local-runner-image`;
const CONTAINER = "docker:index/container:Container";

function state(urn: string, type: string, outputs: Record<string, unknown>) {
  return {
    type,
    urn,
    id: `${urn.length}`,
    parent: STACK_URN,
    inputs: {},
    outputs,
    provider: PROVIDER,
  };
}

function step(
  op: StepEventMetadata["op"],
  urn: string,
  type: string,
  extra: Partial<StepEventMetadata> = {},
): StepEventMetadata {
  return { op, urn, type, provider: PROVIDER, ...extra };
}

let sequence = 0;
function event(fields: Omit<EngineEvent, "sequence" | "timestamp">): EngineEvent {
  sequence += 1;
  return { sequence, timestamp: 1_700_000_000 + sequence, ...fields };
}

const MANAGER_OUTPUTS = {
  name: "dind-runners-manager",
  image: "sha256:1",
  labels: [{ label: "dind-runners.role", value: "manager" }],
  restart: "unless-stopped",
};

const REFRESH_EVENTS: EngineEvent[] = [
  event({
    preludeEvent: { config: { "dind-runners:gitlab": '{"url":"https://gitlab.example.com"}' } },
  }),
  event({ resourcePreEvent: { metadata: step("refresh", MANAGER, CONTAINER), planning: true } }),
  event({
    resOutputsEvent: {
      metadata: step("update", MANAGER, CONTAINER, {
        old: state(MANAGER, CONTAINER, MANAGER_OUTPUTS),
        new: state(MANAGER, CONTAINER, { ...MANAGER_OUTPUTS, restart: "no", labels: [] }),
      }),
      planning: true,
    },
  }),
  event({ resourcePreEvent: { metadata: step("refresh", WRITER, CONTAINER), planning: true } }),
  event({
    resOutputsEvent: {
      metadata: step("delete", WRITER, CONTAINER, { old: state(WRITER, CONTAINER, { name: "w" }) }),
      planning: true,
    },
  }),
  event({
    resOutputsEvent: {
      metadata: step("same", IMAGE, "docker:index/remoteImage:RemoteImage"),
      planning: true,
    },
  }),
  event({
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: 2,
      resourceChanges: { same: 4, update: 1, delete: 1 },
      policyPacks: {},
    },
  }),
];

const PREVIEW_EVENTS: EngineEvent[] = [
  // The --refresh part: must not be mistaken for the preview's own steps.
  event({ resourcePreEvent: { metadata: step("refresh", MANAGER, CONTAINER), planning: true } }),
  event({ resOutputsEvent: { metadata: step("update", MANAGER, CONTAINER), planning: true } }),
  // A replacement: create-replacement, replace, delete-replaced.
  event({
    resourcePreEvent: {
      metadata: step("create-replacement", MANAGER, CONTAINER, {
        keys: ["restart"],
        diffs: ["labels", "restart"],
        detailedDiff: {
          "labels[0]": { diffKind: DiffKind.add, inputDiff: false },
          restart: { diffKind: DiffKind.updateReplace, inputDiff: false },
        },
      }),
      planning: true,
    },
  }),
  event({
    resourcePreEvent: {
      metadata: step("replace", MANAGER, CONTAINER, {
        keys: ["restart"],
        diffs: ["labels", "restart"],
      }),
      planning: true,
    },
  }),
  event({
    resourcePreEvent: { metadata: step("delete-replaced", MANAGER, CONTAINER), planning: true },
  }),
  event({ resourcePreEvent: { metadata: step("create", WRITER, CONTAINER), planning: true } }),
  event({
    resourcePreEvent: {
      metadata: step("same", IMAGE, "docker:index/remoteImage:RemoteImage"),
      planning: true,
    },
  }),
  event({
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: 3,
      resourceChanges: { same: 4, replace: 1, create: 1 },
      policyPacks: {},
    },
  }),
];

/** A stack that replays recorded events, and remembers how it was called. */
class RecordedStack implements DryRunStack {
  readonly calls: string[] = [];

  constructor(
    private readonly refresh: { events: EngineEvent[]; changeSummary: OpMap },
    private readonly preview_: { events: EngineEvent[]; changeSummary: OpMap },
  ) {}

  previewRefresh(options: RefreshOptions): Promise<PreviewResult> {
    this.calls.push(`previewRefresh color=${String(options.color)}`);
    return Promise.resolve(replay(this.refresh, options.onEvent));
  }

  preview(options: PreviewOptions): Promise<PreviewResult> {
    this.calls.push(`preview refresh=${String(options.refresh)} color=${String(options.color)}`);
    return Promise.resolve(replay(this.preview_, options.onEvent));
  }
}

function replay(
  run: { events: EngineEvent[]; changeSummary: OpMap },
  onEvent?: (event: EngineEvent) => void,
): PreviewResult {
  for (const recorded of run.events) onEvent?.(recorded);
  return { stdout: "Previewing update (dev)\n", stderr: "", changeSummary: run.changeSummary };
}

describe("AutomationDriftSource", () => {
  it("reports what changed outside Pulumi and what pulumi up would change, with properties", async () => {
    const stack = new RecordedStack(
      { events: REFRESH_EVENTS, changeSummary: { same: 4, update: 1, delete: 1 } },
      { events: PREVIEW_EVENTS, changeSummary: { same: 4, replace: 1, create: 1, update: 0 } },
    );
    const selected: string[] = [];
    const source = new AutomationDriftSource((name) => {
      selected.push(name);
      return Promise.resolve(stack);
    });
    const result = await source.check("dev");
    assert.deepEqual(selected, ["dev"]);
    assert.deepEqual(stack.calls, [
      "previewRefresh color=never",
      "preview refresh=true color=never",
    ]);
    assert.deepEqual(result, {
      changeSummary: {
        refresh: { delete: 1, same: 4, update: 1 },
        preview: { create: 1, replace: 1, same: 4 },
      },
      resources: [
        {
          phase: "refresh",
          type: CONTAINER,
          name: "local-config-writer",
          urn: WRITER,
          op: "delete",
          properties: [],
        },
        {
          phase: "refresh",
          type: CONTAINER,
          name: "local-manager",
          urn: MANAGER,
          op: "update",
          properties: ["labels", "restart"],
        },
        {
          phase: "preview",
          type: CONTAINER,
          name: "local-config-writer",
          urn: WRITER,
          op: "create",
          properties: [],
        },
        {
          phase: "preview",
          type: CONTAINER,
          name: "local-manager",
          urn: MANAGER,
          op: "replace",
          properties: ["labels[0]", "restart"],
        },
      ],
    });
  });

  it("reports no resources when both dry runs change nothing", async () => {
    const same = [
      event({ resOutputsEvent: { metadata: step("same", MANAGER, CONTAINER), planning: true } }),
    ];
    const stack = new RecordedStack(
      { events: same, changeSummary: { same: 5 } },
      {
        events: [
          event({
            resourcePreEvent: { metadata: step("same", MANAGER, CONTAINER), planning: true },
          }),
        ],
        changeSummary: { same: 5 },
      },
    );
    const result = await new AutomationDriftSource(() => Promise.resolve(stack)).check("dev");
    assert.deepEqual(result, {
      changeSummary: { refresh: { same: 5 }, preview: { same: 5 } },
      resources: [],
    });
  });

  it("turns a CLI failure into a one-line PulumiCheckError", async () => {
    // The message layout of the Automation API's CommandError (CommandResult.toString()).
    const failure = new Error(
      "code: 255\n stdout: \n stderr: error: no stack named 'dev' found\n err?: Error: Command failed with exit code 255\n",
    );
    const source = new AutomationDriftSource(() => Promise.reject(failure));
    await assert.rejects(source.check("dev"), (error: unknown) => {
      assert.ok(error instanceof PulumiCheckError);
      assert.equal(error.message, `pulumi stack "dev": no stack named 'dev' found`);
      return true;
    });
  });
});

describe("pulumiErrorLine", () => {
  it("falls back to the first line that is not the exit code", () => {
    assert.equal(pulumiErrorLine(new Error("code: 1\n stdout: \n stderr: Killed\n")), "Killed");
    assert.equal(pulumiErrorLine("spawn pulumi ENOENT"), "spawn pulumi ENOENT");
  });
});
