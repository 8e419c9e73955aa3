/**
 * Every daemon.json the example stacks render is started by a REAL dockerd (a
 * second daemon on its own socket, data root and bridge; see
 * test/support/second-dockerd.ts), and what dockerd then reports is compared
 * with the file: `docker info` (insecure registries, mirrors, storage driver),
 * the default bridge network's MTU option, and the MTU and resolv.conf a
 * container on that bridge really gets. A file dockerd refuses fails with
 * dockerd's own message.
 *
 * The engine here is Debian's docker.io (20.10), not the pinned 29.x of the
 * dind image. Keys newer than the engine are listed in NEWER_KEYS with the
 * version that introduced them; such a key is taken out before the start, the
 * test says so in its diagnostics, and what the key does is not asserted on
 * that engine (everything else still is). Without root or dockerd the tests
 * are skipped, by name; under CI=true they fail instead (.ci/run installs it).
 *
 * Not asserted here: the registry CAs. dockerd reads them from the fixed
 * /etc/docker/certs.d (moby daemon/pkg/registry `CertsDir`), which a second
 * daemon cannot be pointed away from without writing into this machine's
 * /etc/docker; their layout is asserted on the rendered files instead.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { compareVersions } from "../../components/config/grammars/dind-daemon-fields.js";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { BRIDGE_MTU_OPTION, type DaemonJson } from "../../components/render/daemon-json.js";
import { DAEMON_JSON_DIR, renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { engineUnavailable, skipWithout, TEST_IMAGE } from "../support/docker-test-engine.js";
import {
  dockerdUnavailable,
  dockerdVersion,
  startDockerd,
  type SecondDockerd,
} from "../support/second-dockerd.js";

const run = promisify(execFile);

/** daemon.json keys newer than some dockerd still in use, and the Docker version that added them. */
const NEWER_KEYS: Readonly<Record<string, string>> = {
  // moby commit 91c2b12205, first in v24.0.0.
  "default-network-opts": "24.0.0",
};

/** dockerd's MTU when daemon.json sets none (moby daemon/config `DefaultNetworkMtu`). */
const DEFAULT_MTU = 1500;

function exampleDaemonJsons(): { readonly name: string; readonly content: string }[] {
  return ["dev", "staging", "prod"].flatMap((stack) => {
    const loaded = loadFleet(readStackFile(stack), {
      requireSecrets: false,
      plaintextSecretsAllowed: false,
    });
    assert.ok(loaded.ok, `stack ${stack} should load`);
    return (
      renderFleetFiles(loaded.fleet, redactedSecretText)
        // The daemon.json files only: the render also writes other JSON (monitoring/).
        .filter((file) => file.path.includes(`/${DAEMON_JSON_DIR}/`) && file.path.endsWith(".json"))
        .map((file) => ({ name: `${stack}: ${file.path}`, content: file.content }))
    );
  });
}

let unavailable: string | undefined;
let engineVersion = "";

before(async () => {
  unavailable = dockerdUnavailable() ?? (await engineUnavailable());
  if (unavailable === undefined) engineVersion = await dockerdVersion();
});

/** Starts dockerd on `content`, or fails the test with dockerd's own output. */
async function started(content: string, label: string): Promise<SecondDockerd> {
  const result = await startDockerd(content);
  if (!result.ok) {
    assert.fail(`dockerd ${engineVersion} refused ${label}:\n${result.output.trim()}`);
  }
  return result.daemon;
}

async function dockerOk(daemon: SecondDockerd, args: readonly string[]): Promise<string> {
  const result = await daemon.docker(args);
  assert.equal(result.code, 0, `docker ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** The test image from the machine's engine, loaded into the second daemon. */
async function loadTestImage(daemon: SecondDockerd): Promise<void> {
  await run("sh", [
    "-c",
    `docker save "$0" | docker --host "unix://$1" load --quiet >/dev/null`,
    TEST_IMAGE,
    daemon.socket,
  ]);
}

/** What a container on `network` sees: its eth0 MTU and its resolv.conf. */
async function insideContainer(
  daemon: SecondDockerd,
  network: string,
): Promise<{ mtu: number; resolvConf: string }> {
  const out = await dockerOk(daemon, [
    "run",
    "--rm",
    "--network",
    network,
    TEST_IMAGE,
    "sh",
    "-c",
    "cat /sys/class/net/eth0/mtu; cat /etc/resolv.conf",
  ]);
  const [mtu = "", ...resolv] = out.split("\n");
  return { mtu: Number(mtu), resolvConf: resolv.join("\n") };
}

interface RegistryConfig {
  readonly IndexConfigs: Record<string, { readonly Secure: boolean; readonly Mirrors: string[] }>;
  readonly Mirrors: string[] | null;
}

describe("the example stacks' daemon.json files on a real dockerd", () => {
  const daemons: SecondDockerd[] = [];
  after(async () => {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
  });

  for (const file of exampleDaemonJsons()) {
    it(`${file.name} starts dockerd, which reports its registries, storage driver, MTU and DNS`, async (t) => {
      if (skipWithout(t, unavailable)) return;
      const expected = JSON.parse(file.content) as DaemonJson;
      const startable: Record<string, unknown> = { ...expected };
      const newer = Object.keys(NEWER_KEYS).filter(
        (key) => key in startable && compareVersions(engineVersion, NEWER_KEYS[key]!) < 0,
      );
      for (const key of newer) {
        delete startable[key];
        t.diagnostic(
          `dockerd ${engineVersion} predates "${key}" (Docker ${NEWER_KEYS[key]}): started without it; its effect is not asserted on this engine`,
        );
      }
      const daemon = await started(JSON.stringify(startable), file.name);
      daemons.push(daemon);

      const info = JSON.parse(await dockerOk(daemon, ["info", "--format", "{{json .}}"])) as {
        Driver: string;
        RegistryConfig: RegistryConfig;
      };
      assert.equal(info.Driver, expected["storage-driver"]);
      for (const registry of expected["insecure-registries"]) {
        assert.equal(info.RegistryConfig.IndexConfigs[registry]?.Secure, false, registry);
      }
      // dockerd normalises each mirror with a trailing slash (moby ValidateMirror).
      assert.deepEqual(
        info.RegistryConfig.Mirrors ?? [],
        expected["registry-mirrors"].map((mirror) => mirror.replace(/\/?$/, "/")),
      );

      const mtu = expected.mtu ?? DEFAULT_MTU;
      const bridge = JSON.parse(
        await dockerOk(daemon, ["network", "inspect", "bridge", "--format", "{{json .Options}}"]),
      ) as Record<string, string>;
      assert.equal(bridge[BRIDGE_MTU_OPTION], String(mtu));
      await loadTestImage(daemon);
      const onBridge = await insideContainer(daemon, "bridge");
      assert.equal(onBridge.mtu, mtu, "eth0 MTU of a container on dind's default bridge");
      for (const server of expected.dns) {
        assert.match(onBridge.resolvConf, new RegExp(`^nameserver ${server}$`, "m"));
      }
      if (expected["dns-search"].length > 0) {
        assert.match(
          onBridge.resolvConf,
          new RegExp(`^search ${expected["dns-search"].join(" ")}$`, "m"),
        );
      }

      if (
        expected["default-network-opts"] !== undefined &&
        !newer.includes("default-network-opts")
      ) {
        await dockerOk(daemon, ["network", "create", "compose-like"]);
        const onNetwork = await insideContainer(daemon, "compose-like");
        assert.equal(onNetwork.mtu, mtu, "eth0 MTU of a container on a network created later");
      }
    });
  }
});

describe("a daemon.json dockerd refuses", () => {
  const daemons: SecondDockerd[] = [];
  after(async () => {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
  });

  it("fails with dockerd's own message: a negative MTU", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const result = await startDockerd(JSON.stringify({ mtu: -1 }));
    if (result.ok) await result.daemon.stop();
    assert.equal(result.ok, false, "dockerd should refuse mtu -1");
    // 29.x: daemon/config `Validate`; 20.10: the bridge driver.
    assert.match(result.ok ? "" : result.output, /invalid (default MTU|MTU number): -1/);
  });

  it("an MTU above what the kernel accepts: no container can start (what the stack check says)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const result = await startDockerd(JSON.stringify({ mtu: 70_000 }));
    if (!result.ok) {
      // A dockerd that sets its bridge's MTU at start refuses right away.
      assert.match(result.output, /invalid argument/);
      return;
    }
    daemons.push(result.daemon);
    await loadTestImage(result.daemon);
    const run = await result.daemon.docker(["run", "--rm", TEST_IMAGE, "true"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /failed to set MTU on host interface \S+: invalid argument/);
  });

  it("a mirror URL with a path: refused by dockerd before 25.0 with the message the stack check quotes, accepted from 25.0", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const result = await startDockerd(
      JSON.stringify({ "registry-mirrors": ["https://mirror.example.com/docker-hub"] }),
    );
    if (result.ok) await result.daemon.stop();
    if (compareVersions(engineVersion, "25.0.0") < 0) {
      assert.equal(result.ok, false);
      assert.match(
        result.ok ? "" : result.output,
        /invalid mirror: path, query, or fragment at end of the URI "https:\/\/mirror\.example\.com\/docker-hub"/,
      );
    } else {
      assert.equal(result.ok, true, result.ok ? "" : result.output);
    }
  });
});
