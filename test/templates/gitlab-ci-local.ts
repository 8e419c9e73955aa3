/**
 * Expands a consumer pipeline with gitlab-ci-local (offline, no Docker) the way
 * GitLab would: includes, component inputs, `extends`, `default:`.
 *
 * How the components are found: gitlab-ci-local treats
 * `component: <host>/<group>/<project>/<name>@<ref>` as a component of the
 * current project, read from ./templates/<name>.yml or
 * ./templates/<name>/template.yml of the working tree, when <group>/<project>
 * is the path of the `origin` remote and <ref> is the SHA of HEAD. So each run
 * gets a throwaway git repository (under the OS temp dir) with a copy of
 * templates/, an origin remote and one empty commit, and the consumer pipeline
 * includes `$CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA`: GitLab's
 * own self-test address, which gitlab-ci-local derives from that repository.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";

const run = promisify(execFile);

export const REPO_ROOT = join(__dirname, "..", "..");
const GITLAB_CI_LOCAL = join(REPO_ROOT, "node_modules", "gitlab-ci-local", "dist", "index.js");

/** The address consumer fixtures use: this project's component at the commit under test. */
export const LOCAL_COMPONENT = (name: string): string =>
  `$CI_SERVER_FQDN/$CI_PROJECT_PATH/${name}@$CI_COMMIT_SHA`;

export interface PipelineOptions {
  /** Pipeline variables (`--variable KEY=VALUE`), e.g. CI_PIPELINE_SOURCE. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Extra files of the repository, path relative to its root -> content. */
  readonly files?: Readonly<Record<string, string>>;
  /** URL of the `origin` remote; null for a repository without remotes. */
  readonly origin?: string | null;
}

/** A job as the pipeline's expanded YAML shows it (only the keys the tests read). */
export interface ExpandedJob {
  readonly stage?: string;
  readonly image?: { readonly name: string };
  readonly tags?: readonly string[];
  readonly variables?: Readonly<Record<string, string>>;
  readonly services?: readonly ExpandedService[];
  readonly inherit?: { readonly default?: boolean | readonly string[] };
  readonly needs?: readonly unknown[];
  readonly timeout?: string;
  readonly interruptible?: boolean;
  readonly retry?: { readonly max: number; readonly when: readonly string[] };
  readonly id_tokens?: Readonly<Record<string, { readonly aud: string | readonly string[] }>>;
  readonly hooks?: Readonly<Record<string, unknown>>;
  readonly before_script?: readonly string[];
  readonly after_script?: readonly string[];
  readonly script?: readonly string[];
  readonly rules?: readonly Readonly<Record<string, unknown>>[];
  readonly parallel?: { readonly matrix: readonly Readonly<Record<string, unknown>>[] };
  readonly resource_group?: string;
  readonly environment?: { readonly name: string; readonly action?: string };
  readonly artifacts?: Readonly<Record<string, unknown>>;
  readonly extends?: unknown;
}

export interface ExpandedService {
  readonly name: string;
  readonly alias?: string;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly variables?: Readonly<Record<string, string>>;
}

/** `--preview`: the merged pipeline, hidden jobs and `default:` already applied. */
export async function previewPipeline(
  ciYaml: string,
  options: PipelineOptions = {},
): Promise<Readonly<Record<string, unknown>>> {
  const stdout = await gitlabCiLocal(ciYaml, ["--preview"], options);
  return parse(stdout) as Record<string, unknown>;
}

/** One entry of `--list-json`: a job instance (one per matrix value) with `when` from its rules. */
export interface ListedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
}

export async function listJobs(
  ciYaml: string,
  options: PipelineOptions = {},
): Promise<readonly ListedJob[]> {
  const stdout = await gitlabCiLocal(ciYaml, ["--list-json"], options);
  return JSON.parse(stdout) as ListedJob[];
}

/** Runs gitlab-ci-local; rejects with its output when the pipeline is invalid. */
export async function gitlabCiLocal(
  ciYaml: string,
  args: readonly string[],
  options: PipelineOptions = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dind-runners-gcl-"));
  try {
    await cp(join(REPO_ROOT, "templates"), join(dir, "templates"), { recursive: true });
    await writeFile(join(dir, ".gitlab-ci.yml"), ciYaml);
    for (const [path, content] of Object.entries(options.files ?? {})) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    // HOME: no ~/.gitlab-ci-local variables or global git config of the machine leak in.
    const env = { ...withoutGclSettings(process.env), HOME: dir, GIT_CONFIG_NOSYSTEM: "1" };
    const git = (...gitArgs: string[]) => run("git", gitArgs, { cwd: dir, env });
    await git("init", "-q", "-b", "main");
    await git("config", "user.name", "Fixture");
    await git("config", "user.email", "fixture@example.com");
    const origin =
      options.origin === undefined
        ? "https://gitlab.example.com/group/dind-runners.git"
        : options.origin;
    if (origin !== null) {
      await git("remote", "add", "origin", origin);
      await git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
    }
    await git("commit", "-q", "--allow-empty", "-m", "fixture");
    const names = Object.keys(options.variables ?? {});
    const variables = [
      ...Object.entries(options.variables ?? {}).flatMap(([key, value]) => [
        "--variable",
        `${key}=${value}`,
      ]),
      // Setting CI_PIPELINE_SOURCE and the like is the point here, not a mistake to warn about.
      ...(names.length > 0 ? ["--ignore-predefined-vars", names.join(",")] : []),
    ];
    // Its output goes to a file, not a pipe: gitlab-ci-local calls process.exit() right after
    // writing, which cuts a large output (a preview of many jobs) written to a pipe short.
    const outputFile = join(dir, ".gitlab-ci-local-output");
    try {
      await run(
        "sh",
        [
          "-c",
          'out=$1 && shift && exec "$@" > "$out"',
          "sh",
          outputFile,
          process.execPath,
          GITLAB_CI_LOCAL,
          // Schema validation stays fully on: GitLab's CI JSON schema judges every expansion.
          ...args,
          ...variables,
        ],
        { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 },
      );
      return await readFile(outputFile, "utf8");
    } catch (error) {
      const { stderr = "" } = error as { stderr?: string };
      const stdout = await readFile(outputFile, "utf8").catch(() => "");
      throw new Error(`gitlab-ci-local ${args.join(" ")} failed:\n${stdout}${stderr}`, {
        cause: error,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** gitlab-ci-local reads GCL_* environment variables as options; the tests set their own. */
function withoutGclSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("GCL_")));
}

/** A job of a preview by name; fails the test with the job names when it is missing. */
export function jobOf(pipeline: Readonly<Record<string, unknown>>, name: string): ExpandedJob {
  const job = pipeline[name];
  if (job === undefined || job === null || typeof job !== "object") {
    throw new Error(
      `no job ${name} in the expanded pipeline; jobs: ${jobNames(pipeline).join(", ")}`,
    );
  }
  return job;
}

/** Job names of a preview (no hidden jobs: gitlab-ci-local drops them from --preview). */
export function jobNames(pipeline: Readonly<Record<string, unknown>>): string[] {
  const notJobs = new Set(["stages", "workflow", "variables", "include", "default"]);
  return Object.keys(pipeline).filter((key) => !notJobs.has(key));
}
