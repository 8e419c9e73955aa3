import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import {
  hostPreparationFiles,
  prepareHostScript,
} from "../../components/render/host-preparation.js";

/**
 * The script runs for real under `sh` (dash on Debian-like machines, a strict
 * POSIX shell) against a fake /proc, a fake `uname` and a fake `modprobe`;
 * PATH holds only what the script may use, so a real modprobe of this machine
 * is never called. (busybox sh is not used: builds that prefer their own
 * applets ignore PATH, so the fakes would be bypassed.)
 */
const SHELLS: readonly (readonly string[])[] = [[whichOrUndefined("sh") ?? "/bin/sh"]];

const OVERLAY_FILESYSTEMS = "nodev\tsysfs\nnodev\tproc\n\text4\nnodev\toverlay\n";
const PLAIN_FILESYSTEMS = "nodev\tsysfs\nnodev\tproc\n\text4\n";

const scratch = mkdtempSync(join(tmpdir(), "prepare-host-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Scenario {
  readonly kernel: string;
  readonly filesystems: string;
  readonly modules?: string;
  /** How the fake modprobe behaves; absent: no modprobe on PATH. */
  readonly modprobe?: "loads" | "fails";
  readonly existingConf?: string;
  readonly useArgument?: boolean;
}

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly modprobeCalls: string;
  /** Content of overlay.conf after the run; undefined when none was written. */
  readonly conf: string | undefined;
  readonly confPath: string;
  readonly procDir: string;
}

let runs = 0;
function run(shell: readonly string[], scenario: Scenario): Outcome {
  const dir = join(scratch, `run-${++runs}`);
  const bin = join(dir, "bin");
  const proc = join(dir, "proc");
  const modulesLoadDir = join(dir, "host-etc", "modules-load.d");
  mkdirSync(bin, { recursive: true });
  mkdirSync(proc);
  for (const tool of ["grep", "cat", "mkdir", "mv"]) {
    const real = whichOrUndefined(tool);
    assert.ok(real, `${tool} is needed to run the script`);
    symlinkSync(real, join(bin, tool));
  }
  executable(join(bin, "uname"), `#!/bin/sh\n[ "$1" = -r ] && echo '${scenario.kernel}'\n`);
  if (scenario.modprobe === "loads") {
    executable(
      join(bin, "modprobe"),
      `#!/bin/sh\necho "$*" >>'${dir}/modprobe-calls'\nprintf 'nodev\\toverlay\\n' >>'${proc}/filesystems'\necho 'overlay 151552 0 - Live' >>'${proc}/modules'\n`,
    );
  } else if (scenario.modprobe === "fails") {
    executable(
      join(bin, "modprobe"),
      `#!/bin/sh\necho "$*" >>'${dir}/modprobe-calls'\necho "modprobe: FATAL: Module overlay not found" >&2\nexit 1\n`,
    );
  }
  writeFileSync(join(proc, "filesystems"), scenario.filesystems);
  if (scenario.modules !== undefined) writeFileSync(join(proc, "modules"), scenario.modules);
  if (scenario.existingConf !== undefined) {
    mkdirSync(modulesLoadDir, { recursive: true });
    writeFileSync(join(modulesLoadDir, "overlay.conf"), scenario.existingConf);
  }
  const script = join(dir, "prepare-host.sh");
  writeFileSync(script, prepareHostScript());
  const [command = "/bin/sh", ...shellArgs] = shell;
  const result = spawnSync(
    command,
    [...shellArgs, script, ...(scenario.useArgument ? [modulesLoadDir] : [])],
    {
      encoding: "utf8",
      env: {
        PATH: bin,
        PROC_DIR: proc,
        MODULES_LOAD_DIR: scenario.useArgument ? join(dir, "not-this-one") : modulesLoadDir,
      },
    },
  );
  const confPath = join(modulesLoadDir, "overlay.conf");
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    modprobeCalls: readOrUndefined(join(dir, "modprobe-calls")) ?? "",
    conf: readOrUndefined(confPath),
    confPath,
    procDir: proc,
  };
}

for (const shell of SHELLS) {
  describe(`prepare-host.sh under ${shell.join(" ")}`, () => {
    it("refuses a kernel older than 4.0 with a message that says what to do", () => {
      const outcome = run(shell, {
        kernel: "3.10.0-1160.el7.x86_64",
        filesystems: PLAIN_FILESYSTEMS,
        modprobe: "loads",
      });
      assert.equal(outcome.status, 1);
      assert.equal(
        outcome.stderr,
        "prepare-host: kernel 3.10.0-1160.el7.x86_64 is too old for the overlay2 storage driver, " +
          "which needs Linux >= 4.0. Upgrade this host's kernel, or set dind.storageDriver: vfs " +
          "(much slower) and dind.manageOverlayModule: false for this host in the stack config.\n",
      );
      assert.equal(outcome.modprobeCalls, "");
      assert.equal(outcome.conf, undefined);
    });

    it("loads overlay with modprobe and persists it in MODULES_LOAD_DIR", () => {
      const outcome = run(shell, {
        kernel: "5.15.0-91-generic",
        filesystems: PLAIN_FILESYSTEMS,
        modules: "ext4 1036288 1 - Live\n",
        modprobe: "loads",
      });
      assert.equal(outcome.stderr, "");
      assert.equal(outcome.status, 0);
      assert.equal(outcome.modprobeCalls, "overlay\n");
      assert.equal(outcome.conf, "overlay\n");
      assert.equal(
        outcome.stdout,
        `prepare-host: overlay is missing from ${outcome.procDir}/filesystems; loading it with modprobe\n` +
          "prepare-host: loaded the overlay module\n" +
          `prepare-host: wrote ${outcome.confPath} so overlay loads at boot\n`,
      );
    });

    it("writes to the directory given as argument rather than MODULES_LOAD_DIR", () => {
      const outcome = run(shell, {
        kernel: "6.8.0",
        filesystems: PLAIN_FILESYSTEMS,
        modprobe: "loads",
        useArgument: true,
      });
      assert.equal(outcome.status, 0);
      assert.equal(outcome.conf, "overlay\n");
    });

    it("accepts exactly 4.0", () => {
      const outcome = run(shell, {
        kernel: "4.0.0",
        filesystems: PLAIN_FILESYSTEMS,
        modprobe: "loads",
      });
      assert.equal(outcome.status, 0);
    });

    it("persists a module that is already loaded without calling modprobe", () => {
      const outcome = run(shell, {
        kernel: "5.4.0",
        filesystems: OVERLAY_FILESYSTEMS,
        modules: "overlay 151552 0 - Live\n",
      });
      assert.equal(outcome.status, 0);
      assert.equal(outcome.modprobeCalls, "");
      assert.equal(outcome.conf, "overlay\n");
    });

    it("changes nothing on a second run", () => {
      const outcome = run(shell, {
        kernel: "5.4.0",
        filesystems: OVERLAY_FILESYSTEMS,
        modules: "overlay 151552 0 - Live\n",
        existingConf: "overlay\n",
      });
      assert.equal(outcome.status, 0);
      assert.equal(
        outcome.stdout,
        `prepare-host: overlay module already loaded (listed in ${outcome.procDir}/filesystems); nothing to load\n` +
          `prepare-host: ${outcome.confPath} already loads overlay at boot\n`,
      );
      assert.equal(outcome.conf, "overlay\n");
    });

    it("detects overlay built into the kernel: nothing to load or persist", () => {
      const outcome = run(shell, {
        kernel: "6.1.0-cloud",
        filesystems: OVERLAY_FILESYSTEMS,
        modules: "ext4 1036288 1 - Live\n",
        modprobe: "loads",
      });
      assert.equal(outcome.status, 0);
      assert.equal(
        outcome.stdout,
        "prepare-host: overlay is built into kernel 6.1.0-cloud; nothing to load or persist\n",
      );
      assert.equal(outcome.modprobeCalls, "");
      assert.equal(outcome.conf, undefined);
    });

    it("fails clearly when modprobe cannot load overlay", () => {
      const outcome = run(shell, {
        kernel: "5.15.0",
        filesystems: PLAIN_FILESYSTEMS,
        modprobe: "fails",
      });
      assert.equal(outcome.status, 1);
      assert.equal(
        outcome.stderr,
        "modprobe: FATAL: Module overlay not found\n" +
          "prepare-host: 'modprobe overlay' failed on kernel 5.15.0: is the module installed, " +
          "and is /lib/modules/5.15.0 visible here?\n",
      );
      assert.equal(outcome.conf, undefined);
    });

    it("fails clearly when there is no modprobe", () => {
      const outcome = run(shell, { kernel: "5.15.0", filesystems: PLAIN_FILESYSTEMS });
      assert.equal(outcome.status, 1);
      assert.equal(
        outcome.stderr,
        "prepare-host: modprobe not found: install kmod, or run this script on the host\n",
      );
    });

    it("fails clearly on an unreadable kernel version", () => {
      const outcome = run(shell, {
        kernel: "unknown",
        filesystems: PLAIN_FILESYSTEMS,
        modprobe: "loads",
      });
      assert.equal(outcome.status, 1);
      assert.equal(
        outcome.stderr,
        "prepare-host: cannot read a kernel version from 'uname -r' (unknown)\n",
      );
    });
  });
}

/**
 * The helper-container path for real: HOST_ROOT is a small root filesystem
 * (this machine's sh and its libraries, a fake modprobe in /sbin, the kernel's
 * module directory) and the script `chroot`s into it, as it does into the
 * host's read-only `/` mounted at /host. chroot needs root: elsewhere the test
 * is skipped, by name (CI runs as root).
 */
describe("prepare-host.sh loading overlay with the host's modprobe through chroot", () => {
  function hostRoot(
    kernel: string,
    modprobe: "loads" | "fails" | "busybox-only",
  ): {
    readonly root: string;
    readonly proc: string;
    readonly calls: string;
  } {
    const root = join(scratch, `host-root-${++runs}`);
    const shell = realpathSync(whichOrUndefined("sh") ?? "/bin/sh");
    mkdirSync(join(root, "bin"), { recursive: true });
    mkdirSync(join(root, "sbin"));
    mkdirSync(join(root, "lib", "modules", kernel), { recursive: true });
    mkdirSync(join(root, "proc-fake"));
    copyFileSync(shell, join(root, "bin", "sh"));
    chmodSync(join(root, "bin", "sh"), 0o755);
    const ldd = spawnSync("ldd", [shell], { encoding: "utf8" }).stdout;
    for (const library of ldd.match(/\/\S+/g) ?? []) {
      mkdirSync(join(root, dirname(library)), { recursive: true });
      copyFileSync(library, join(root, library));
    }
    writeFileSync(join(root, "proc-fake", "filesystems"), PLAIN_FILESYSTEMS);
    if (modprobe === "loads") {
      // Paths as the host sees them from inside the chroot.
      executable(
        join(root, "sbin", "modprobe"),
        `#!/bin/sh\necho "$*" >>/calls\nprintf 'nodev\\toverlay\\n' >>/proc-fake/filesystems\necho 'overlay 151552 0 - Live' >>/proc-fake/modules\n`,
      );
    } else if (modprobe === "fails") {
      executable(
        join(root, "sbin", "modprobe"),
        `#!/bin/sh\necho "$*" >>/calls\necho "modprobe: ERROR: could not insert 'overlay': Operation not permitted" >&2\nexit 1\n`,
      );
    }
    return { root, proc: join(root, "proc-fake"), calls: join(root, "calls") };
  }

  function runInHelper(kernel: string, host: ReturnType<typeof hostRoot>, modulesLoad: string) {
    const bin = join(scratch, `helper-bin-${++runs}`);
    mkdirSync(bin);
    for (const tool of ["grep", "cat", "mkdir", "mv", "chroot"]) {
      const real = whichOrUndefined(tool);
      assert.ok(real, `${tool} is needed to run the script`);
      symlinkSync(real, join(bin, tool));
    }
    executable(join(bin, "uname"), `#!/bin/sh\n[ "$1" = -r ] && echo '${kernel}'\n`);
    const script = join(bin, "prepare-host.sh");
    writeFileSync(script, prepareHostScript());
    return spawnSync(whichOrUndefined("sh") ?? "/bin/sh", [script], {
      encoding: "utf8",
      env: { PATH: bin, PROC_DIR: host.proc, HOST_ROOT: host.root, MODULES_LOAD_DIR: modulesLoad },
    });
  }

  const asRoot = process.getuid?.() === 0;
  const skip = asRoot ? false : "chroot needs root";

  it("loads overlay with the host root's modprobe, says so, and persists it", { skip }, () => {
    const host = hostRoot("6.8.0-45-generic", "loads");
    const modulesLoad = join(host.root, "..", `modules-load-${runs}`);
    const result = runInHelper("6.8.0-45-generic", host, modulesLoad);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.equal(readFileSync(host.calls, "utf8"), "overlay\n", "the host's modprobe ran once");
    assert.equal(
      result.stdout,
      `prepare-host: overlay is missing from ${host.proc}/filesystems; loading it with the host's modprobe (chroot ${host.root})\n` +
        "prepare-host: loaded the overlay module\n" +
        `prepare-host: wrote ${modulesLoad}/overlay.conf so overlay loads at boot\n`,
    );
    assert.equal(readFileSync(join(modulesLoad, "overlay.conf"), "utf8"), "overlay\n");
  });

  it("fails clearly when the host's modprobe cannot load it", { skip }, () => {
    const host = hostRoot("6.8.0-45-generic", "fails");
    const result = runInHelper("6.8.0-45-generic", host, join(host.root, "..", `ml-${runs}`));
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      "modprobe: ERROR: could not insert 'overlay': Operation not permitted\n" +
        "prepare-host: 'modprobe overlay' failed on kernel 6.8.0-45-generic: is the module installed, " +
        "and is /lib/modules/6.8.0-45-generic visible here?\n",
    );
  });

  it(
    "refuses a HOST_ROOT without the running kernel's modules (host root not mounted)",
    { skip },
    () => {
      const host = hostRoot("6.8.0-45-generic", "loads");
      const result = runInHelper("6.9.1-other", host, join(host.root, "..", `ml-${runs}`));
      assert.equal(result.status, 1);
      assert.equal(
        result.stderr,
        `prepare-host: no modules of kernel 6.9.1-other under ${host.root}/lib/modules: is the host's root mounted at ${host.root}?\n`,
      );
      assert.equal(existsSync(host.calls), false, "modprobe never ran");
    },
  );
});

describe("hostPreparationFiles", () => {
  it("is the script and the modules-load.d file, paths relative to host-preparation/", () => {
    assert.deepEqual(hostPreparationFiles(), [
      { path: "modules-load.d/overlay.conf", content: "overlay\n" },
      { path: "prepare-host.sh", content: prepareHostScript() },
    ]);
  });

  it("is a POSIX sh script that stops at the first error and names its default directory", () => {
    const script = prepareHostScript();
    assert.ok(script.startsWith("#!/bin/sh\n"));
    assert.match(script, /^set -eu$/m);
    assert.match(
      script,
      /^modules_load_dir="\$\{1:-\$\{MODULES_LOAD_DIR:-\/etc\/modules-load\.d\}\}"$/m,
    );
  });
});

function executable(path: string, content: string): void {
  writeFileSync(path, content);
  chmodSync(path, 0o755);
}

function readOrUndefined(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function whichOrUndefined(tool: string): string | undefined {
  const result = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
  const path = result.stdout.trim();
  return result.status === 0 && path.startsWith("/") ? path : undefined;
}
