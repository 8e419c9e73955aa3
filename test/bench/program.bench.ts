/**
 * `npm run bench:program`: evaluates the real program (index.ts, or what
 * Pulumi.yaml's `main` names) under Pulumi's mocks for generated fleets of 25,
 * 50, 100 and 200 Docker hosts x 5 runners (plus one cluster per 25 hosts),
 * each run in its own process started the way Pulumi.yaml says (its `nodeargs`
 * and `main`). Prints per size the evaluation time (wall and CPU), the
 * resources registered and the peak RSS, and the ratio for each doubling.
 *
 * Goal, read from the numbers (never a timed test): ratio <= 2.1 per doubling
 * and 200 x 5 evaluated in under 10 s on a 2-core machine.
 *
 * Options:
 *   --start pulumi-yaml|tsx|compiled  how to start the program (repeatable;
 *       default pulumi-yaml). `tsx`: node --import tsx, index.ts; `compiled`:
 *       plain node, build/index.js (run `npm run build:program` first).
 *   --repeat <n>     runs per size (default 3); the median is shown
 *   --sizes <a,b,..> host counts (default 25,50,100,200)
 *   --cpu-prof <dir> write a V8 CPU profile of every run into <dir>
 */
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseCommandLine } from "../../components/cli/command-line.js";
import { readProgramStart, type ProgramStart } from "../support/program-start.js";
import { runJsonChild } from "../support/json-child.js";
import { REPO } from "../support/run-cli.js";
import { generatedStackValues, type FleetSize } from "../support/generated-stack.js";

const RUNNERS_PER_HOST = 5;
const HOSTS_PER_CLUSTER = 25;
const RATIO_GOAL = 2.1;
const LARGEST_GOAL_MS = 10_000;

interface Run {
  readonly loadMs: number;
  readonly evaluateMs: number;
  readonly evaluateCpuMs: number;
  readonly resources: number;
  readonly maxRssMiB: number;
}

const START_MODES = ["pulumi-yaml", "tsx", "compiled"] as const;
type StartMode = (typeof START_MODES)[number];

function startFor(mode: StartMode): ProgramStart {
  switch (mode) {
    case "pulumi-yaml":
      return readProgramStart(REPO);
    case "tsx":
      return { nodeArgs: ["--import", "tsx"], main: "index.ts" };
    case "compiled":
      return { nodeArgs: [], main: "build/index.js" };
    default: {
      const unexpected: never = mode;
      throw new Error(`unknown start mode ${String(unexpected)}`);
    }
  }
}

function stackInput(size: FleetSize): string {
  // Tokens arrive decrypted, the keys holding them flagged secret, as `pulumi up` passes them.
  const values = generatedStackValues(size, (path) => `glrt-bench-${path.replace(/\W+/g, "-")}`);
  const config = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [`dind-runners:${key}`, JSON.stringify(value)]),
  );
  return JSON.stringify({
    stack: "bench",
    config,
    secretKeys: ["dind-runners:dockerHosts", "dind-runners:kubernetesClusters"],
  });
}

function runOnce(start: ProgramStart, input: string, cpuProfDir: string | undefined): Promise<Run> {
  const profile = cpuProfDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", cpuProfDir];
  const args = [...start.nodeArgs, ...profile, "test/bench/program-once.cjs", start.main];
  return runJsonChild<Run>(args, input);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function bench(mode: StartMode, sizes: readonly number[], repeat: number, prof?: string) {
  const start = startFor(mode);
  console.log(`\nstart: ${mode}: node ${[...start.nodeArgs, start.main].join(" ")}`);
  console.log(
    "hosts x runners  clusters  resources   evaluate (wall)  evaluate (cpu)  ratio wall/cpu  load     peak RSS",
  );
  let previous: { wall: number; cpu: number } | undefined;
  const wallRatios: number[] = [];
  const cpuRatios: number[] = [];
  let largestWall = 0;
  for (const hosts of sizes) {
    const size = { hosts, runnersPerHost: RUNNERS_PER_HOST, clusters: hosts / HOSTS_PER_CLUSTER };
    const input = stackInput(size);
    const runs: Run[] = [];
    for (let i = 0; i < repeat; i++) runs.push(await runOnce(start, input, prof));
    const wall = median(runs.map((run) => run.evaluateMs));
    const cpu = median(runs.map((run) => run.evaluateCpuMs));
    const ratio =
      previous === undefined
        ? "-"
        : `${(wall / previous.wall).toFixed(2)} / ${(cpu / previous.cpu).toFixed(2)}`;
    if (previous !== undefined) {
      wallRatios.push(wall / previous.wall);
      cpuRatios.push(cpu / previous.cpu);
    }
    previous = { wall, cpu };
    largestWall = wall;
    console.log(
      [
        `${String(hosts).padStart(5)} x ${RUNNERS_PER_HOST}`.padEnd(17),
        String(size.clusters).padEnd(10),
        String(runs[0]?.resources ?? 0).padEnd(12),
        `${seconds(wall)} (${runs.map((run) => (run.evaluateMs / 1000).toFixed(1)).join("/")})`.padEnd(
          17,
        ),
        seconds(cpu).padEnd(16),
        ratio.padEnd(16),
        seconds(median(runs.map((run) => run.loadMs))).padEnd(9),
        `${Math.max(...runs.map((run) => run.maxRssMiB)).toFixed(0)} MiB`,
      ].join(""),
    );
  }
  const worstWall = Math.max(...wallRatios);
  const worstCpu = Math.max(...cpuRatios);
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `goal: ratio <= ${RATIO_GOAL} per doubling (worst: wall ${worstWall.toFixed(2)} ${met(worstWall <= RATIO_GOAL)}, ` +
      `cpu ${worstCpu.toFixed(2)} ${met(worstCpu <= RATIO_GOAL)}), ${sizes.at(-1)} x ${RUNNERS_PER_HOST} under ` +
      `${seconds(LARGEST_GOAL_MS)} (wall ${seconds(largestWall)} ${met(largestWall < LARGEST_GOAL_MS)})`,
  );
}

async function main(): Promise<void> {
  const parsed = parseCommandLine(process.argv.slice(2), {
    valueFlags: ["--start", "--repeat", "--sizes", "--cpu-prof"],
    repeatable: ["--start"],
    switches: [],
    usage:
      "usage: npm run bench:program -- [--start pulumi-yaml|tsx|compiled] [--repeat n] [--sizes 25,50] [--cpu-prof dir]",
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const line = parsed.args;
  const modes = line.all("--start");
  for (const mode of modes) {
    if (!(START_MODES as readonly string[]).includes(mode)) throw new Error(`--start ${mode}?`);
  }
  const repeat = Number(line.value("--repeat") ?? 3);
  const sizes = (line.value("--sizes") ?? "25,50,100,200").split(",").map(Number);
  const cpuProf = line.value("--cpu-prof");
  const [load1, load5] = loadavg();
  console.log(
    `environment: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ` +
      `load average ${load1?.toFixed(1)} (1 min) ${load5?.toFixed(1)} (5 min); ${repeat} run(s) per size, median`,
  );
  for (const mode of modes.length === 0 ? ["pulumi-yaml" as const] : (modes as StartMode[])) {
    await bench(mode, sizes, repeat, cpuProf === undefined ? undefined : resolve(REPO, cpuProf));
  }
}

void main();
