/**
 * `npm run render --out <dir>` never deletes what it did not write. Each case runs
 * the command in a throw-away "checkout" (stacks, .git, a user's files) and
 * compares the whole tree, hidden files included, before and after.
 */
import assert from "node:assert/strict";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RENDER_MARKER_FILE, RENDER_MARKER_TEXT } from "../../components/cli/output-directory.js";
import { runCli, type CliRun } from "../support/run-cli.js";

const STACK = [
  "config:",
  "  dind-runners:gitlab:",
  "    url: https://gitlab.example.com",
  "  dind-runners:dockerHosts:",
  "    - name: local",
  "      endpoint: unix:///var/run/docker.sock",
  "      runners:",
  "        - name: local-dind",
  "          tags: [dind]",
  "",
].join("\n");

let scratch = "";
before(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), "render-out-")));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh checkout-like tree: the stack, a .git, a user's files, a nested stacks dir. */
function checkout(name: string): string {
  const root = join(scratch, name);
  const files: Record<string, string> = {
    ".git/HEAD": "ref: refs/heads/main\n",
    "README.md": "# mine\n",
    "stacks/Pulumi.t.yaml": STACK,
    "config/stacks/Pulumi.t.yaml": STACK,
    "notes/todo.txt": "my notes\n",
    "file.txt": "a file\n",
    "vendor/lib/.git/HEAD": "ref: refs/heads/main\n",
    [`vendor/lib/${RENDER_MARKER_FILE}`]: RENDER_MARKER_TEXT,
    "work/keep.txt": "kept\n",
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  mkdirSync(join(root, "empty"));
  symlinkSync(".", join(root, "here"));
  return root;
}

/** Every entry under `dir` with its content (files) or target (links); links are not followed. */
function tree(dir: string, prefix = "", entries = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const key = join(prefix, entry.name);
    const path = join(dir, key);
    if (entry.isSymbolicLink()) entries.set(key, `-> ${readlinkSync(path)}`);
    else if (entry.isFile()) entries.set(key, readFileSync(path, "utf8"));
    else {
      entries.set(key, "dir");
      tree(dir, key, entries);
    }
  }
  return entries;
}

function render(cwd: string, ...args: string[]): Promise<CliRun> {
  return runCli("render-command", ["--stack", "t", ...args], process.env, cwd);
}

const ADVICE =
  "; the output directory is replaced as a whole, so give one of its own such as out/<env>; nothing was written\n";

describe("render --out refuses what it did not write", { concurrency: true }, () => {
  const refusals: {
    readonly name: string;
    readonly cwd?: string;
    readonly args: readonly string[];
    readonly shown: (root: string) => string;
    readonly why: (root: string) => string;
  }[] = [
    {
      name: "the working directory (.)",
      args: ["--out", "."],
      shown: (root) => `"." (${root})`,
      why: () => "it is the working directory",
    },
    {
      name: "a symbolic link to the working directory",
      args: ["--out", "here"],
      shown: (root) => `"here" (${root})`,
      why: () => "it is the working directory",
    },
    {
      name: "an ancestor of the working directory",
      cwd: "work",
      args: ["--stacks-dir", "../stacks", "--out", ".."],
      shown: (root) => `".." (${root})`,
      why: () => "it contains the working directory",
    },
    {
      name: "the stacks directory",
      args: ["--out", "stacks"],
      shown: (root) => `"stacks" (${root}/stacks)`,
      why: () => "it is the stacks directory",
    },
    {
      name: "a directory that contains the stack file",
      args: ["--stacks-dir", "config/stacks", "--out", "config"],
      shown: (root) => `"config" (${root}/config)`,
      why: (root) => `it contains the stack file ${root}/config/stacks/Pulumi.t.yaml`,
    },
    {
      name: "a directory holding .git, even with a render marker",
      args: ["--out", "vendor/lib"],
      shown: (root) => `"vendor/lib" (${root}/vendor/lib)`,
      why: () => "it contains .git (a git checkout)",
    },
    {
      name: "a directory with files a render did not write",
      args: ["--out", "notes"],
      shown: (root) => `"notes" (${root}/notes)`,
      why: () => `it is not empty and carries no ${RENDER_MARKER_FILE} marker of a previous render`,
    },
    {
      name: "a file",
      args: ["--out", "file.txt"],
      shown: (root) => `"file.txt" (${root}/file.txt)`,
      why: () => "it exists and is not a directory",
    },
  ];

  refusals.forEach((refusal, index) => {
    it(`refuses ${refusal.name} with one line and touches nothing`, async () => {
      const root = checkout(`refused-${index}`);
      const before = tree(root);
      const run = await render(join(root, refusal.cwd ?? ""), ...refusal.args);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, "");
      assert.equal(
        run.stderr,
        `render: refusing --out ${refusal.shown(root)}: ${refusal.why(root)}${ADVICE}`,
      );
      assert.deepEqual(tree(root), before);
    });
  });
});

describe("render --out writes where it may", () => {
  it("creates a missing directory with the marker, then replaces it on the next render", async () => {
    const root = checkout("allowed-missing");
    const first = await render(root, "--out", "out/t");
    assert.equal(first.code, 0, first.stderr);
    assert.equal(readFileSync(join(root, "out/t", RENDER_MARKER_FILE), "utf8"), RENDER_MARKER_TEXT);
    writeFileSync(join(root, "out/t/stale.txt"), "from an older render");
    const second = await render(root, "--out", "out/t");
    assert.equal(second.code, 0, second.stderr);
    assert.equal(lstatSync(join(root, "out/t/stale.txt"), { throwIfNoEntry: false }), undefined);
    assert.deepEqual(readdirSync(join(root, "out")), ["t"], "no staging directory left beside it");
  });

  it("fills an empty directory", async () => {
    const root = checkout("allowed-empty");
    const run = await render(root, "--out", "empty");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(readdirSync(join(root, "empty")).includes(RENDER_MARKER_FILE));
  });

  it("keeps a marker whose text was changed: the directory is no longer the render's", async () => {
    const root = checkout("changed-marker");
    mkdirSync(join(root, "out"));
    writeFileSync(join(root, "out", RENDER_MARKER_FILE), "mine now\n");
    const before = tree(root);
    const run = await render(root, "--out", "out");
    assert.equal(run.code, 1);
    assert.match(run.stderr, /it is not empty and carries no \.dind-runners-render marker/);
    assert.deepEqual(tree(root), before);
  });
});
