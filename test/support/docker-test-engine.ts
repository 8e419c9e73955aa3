/**
 * A real Docker engine for the engine tests: probes it, starts containers shaped
 * like a deployed runner manager from the local test image, and removes them.
 * `test/support/docker-engine.sh` installs and starts the engine and builds the
 * image; without them the tests skip (or fail under CI=true, where the engine
 * is required).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import Docker from "dockerode";
import { singleFileTar } from "./tar-file.js";

export const ENGINE_SOCKET = "/var/run/docker.sock";
export const TEST_IMAGE =
  process.env["DIND_RUNNERS_TEST_IMAGE"] ?? "dind-runners-test/runner:local";
/** Every container the tests start carries this label, so leftovers can be found. */
export const TEST_LABEL = "dind-runners.test";

export const engine = new Docker({ socketPath: ENGINE_SOCKET, host: undefined, timeout: 20_000 });

/** Why the engine tests cannot run here, or undefined when they can. */
export async function engineUnavailable(): Promise<string | undefined> {
  const setup = "run test/support/docker-engine.sh as root";
  if (!existsSync(ENGINE_SOCKET))
    return `no Docker engine: ${ENGINE_SOCKET} does not exist (${setup})`;
  try {
    await engine.ping();
  } catch (error) {
    return `no Docker engine: ${ENGINE_SOCKET} does not answer: ${(error as Error).message} (${setup})`;
  }
  try {
    await engine.getImage(TEST_IMAGE).inspect();
  } catch {
    return `test image ${TEST_IMAGE} is missing (${setup})`;
  }
  return undefined;
}

/**
 * Skips the test with the reason, by name; under CI (CI=true), where
 * .ci/run provides the engine, a missing engine fails instead.
 */
export function skipWithout(t: TestContext, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (process.env["CI"] === "true") assert.fail(`engine required under CI: ${reason}`);
  t.skip(reason);
  return true;
}

/** A started container from the test image, with the given name and labels. */
export async function startContainer(
  name: string,
  labels: Readonly<Record<string, string>>,
): Promise<Docker.Container> {
  await removeContainer(name);
  const container = await engine.createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ["/bin/sleep", "3600"],
    Labels: { ...labels, [TEST_LABEL]: "true" },
    HostConfig: { NetworkMode: "none" },
  });
  await container.start();
  return container;
}

export async function removeContainer(name: string): Promise<void> {
  try {
    await engine.getContainer(name).remove({ force: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}

/** Writes `content` as `<directory>/<file>` in the container (putArchive). */
export async function putFile(
  container: Docker.Container,
  directory: string,
  file: string,
  content: string,
): Promise<void> {
  await container.putArchive(singleFileTar(file, content), { path: directory });
}

/** Runs a command in the running container and waits for it; fails on a non-zero exit. */
export async function execIn(
  container: Docker.Container,
  command: readonly string[],
): Promise<void> {
  const exec = await container.exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  const { ExitCode } = await exec.inspect();
  assert.equal(ExitCode, 0, `${command.join(" ")} exited with ${String(ExitCode)}`);
}
