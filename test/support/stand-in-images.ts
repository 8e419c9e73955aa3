/**
 * Local stand-ins for the images the product deploys, since no image can be
 * pulled here: the busybox test image (test/support/docker-engine.sh) with
 * every applet the containers' scripts use, tagged with the exact references
 * the fleet model asks for (e.g. `gitlab/gitlab-runner:v19.3.0`,
 * `docker:28.5.2-dind`). The tags come from the model at run time, never from
 * here, so a version bump in defaults.ts needs no change in the tests.
 *
 * The runner stand-in is a manager that keeps running: it prints the
 * config.toml it was given, and on SIGQUIT (GitLab Runner's graceful stop)
 * records `sigquit`, takes a moment as if finishing a job, records `stop` and
 * exits 0. Its records go to {@link STAND_IN_EVENTS} in the config directory
 * it is given (a temporary hostConfigDir in the tests), so they outlive it.
 * The dind stand-in is the same filesystem with no entrypoint of its own.
 *
 * A tag that exists and is not a stand-in (a real image on a developer's
 * engine) is never overwritten: the setup fails and says so. The tests remove
 * their stand-ins when done ({@link removeStandInImages}).
 */
import type Docker from "dockerode";
import { engine, TEST_IMAGE, TEST_LABEL } from "./docker-test-engine.js";
import { tarArchive, tarEntry } from "./tar-file.js";

/** Label on every stand-in image (and so on every container created from one). */
export const STAND_IN_LABEL = "dind-runners.test.stand-in";
/** File in the manager's config directory where the runner stand-in records what happened. */
export const STAND_IN_EVENTS = "stand-in-events.log";
/** How long the runner stand-in takes after SIGQUIT, as if a job were finishing. */
export const GRACEFUL_STOP_SECONDS = 2;

const APPLETS = [
  "[",
  "cat",
  "chmod",
  "cmp",
  "cp",
  "echo",
  "false",
  "ls",
  "mkdir",
  "mv",
  "rm",
  "sleep",
  "stat",
  "test",
  "true",
];

const RUNNER_ENTRYPOINT = `#!/bin/sh
# Stand-in for gitlab-runner in engine tests (test/support/stand-in-images.ts).
config_dir=/etc/gitlab-runner
events="$config_dir/${STAND_IN_EVENTS}"
echo start >>"$events"
echo "stand-in gitlab-runner: $config_dir/config.toml:"
cat "$config_dir/config.toml"
graceful_stop() {
  echo sigquit >>"$events"
  echo "stand-in gitlab-runner: SIGQUIT, finishing running jobs"
  sleep ${GRACEFUL_STOP_SECONDS}
  echo stop >>"$events"
  exit 0
}
trap graceful_stop QUIT
trap 'echo term >>"$events"; exit 143' TERM
while :; do
  sleep 1 &
  wait $!
done
`;

/** Makes every reference in `runnerImages` and `dindImages` a local stand-in image. */
export async function provideStandInImages(
  runnerImages: readonly string[],
  dindImages: readonly string[],
): Promise<void> {
  const runner = await standInImage(["/bin/sh", "/stand-in/gitlab-runner"], RUNNER_ENTRYPOINT);
  const dind = await standInImage(["/bin/sh"], undefined);
  for (const reference of new Set(runnerImages)) await tag(runner, reference);
  for (const reference of new Set(dindImages)) await tag(dind, reference);
}

/**
 * Makes `reference` (the pinned `docker:<v>-cli`) a stand-in built from the
 * housekeeping test image: BusyBox and this machine's docker CLI, as the real
 * CLI image has (test/support/housekeeping-image.ts).
 */
export async function provideCliStandIn(reference: string, base: string): Promise<void> {
  const container = await engine.createContainer({
    Image: base,
    // Never started: the engine only wants a command to create it.
    Cmd: ["/bin/sh"],
    Labels: { [TEST_LABEL]: "true" },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    const committed = (await container.commit({
      changes: [`LABEL ${STAND_IN_LABEL}=true`],
    })) as { Id: string };
    await tag(committed.Id, reference);
  } finally {
    await container.remove({ force: true });
  }
}

/** The test image plus applet links (and an entrypoint script), committed; returns its id. */
async function standInImage(entrypoint: readonly string[], script: string | undefined) {
  const container = await engine.createContainer({
    Image: TEST_IMAGE,
    Labels: { [TEST_LABEL]: "true" },
    HostConfig: { NetworkMode: "none" },
  });
  try {
    const links = APPLETS.map((applet) => tarEntry(`bin/${applet}`, "", "2", 0o777, "busybox"));
    const files =
      script === undefined ? [] : [tarEntry("stand-in/gitlab-runner", script, "0", 0o755)];
    await container.putArchive(tarArchive(...links, ...files), { path: "/" });
    const committed = (await container.commit({
      changes: [
        `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
        "CMD []",
        `LABEL ${STAND_IN_LABEL}=true`,
      ],
    })) as { Id: string };
    return committed.Id;
  } finally {
    await container.remove({ force: true });
  }
}

/** Removes every stand-in image (all their tags), e.g. when the tests are done. */
export async function removeStandInImages(): Promise<void> {
  const images = await engine.listImages({
    all: true,
    filters: { label: [`${STAND_IN_LABEL}=true`] },
  });
  for (const image of images) {
    try {
      await engine.getImage(image.Id).remove({ force: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
}

async function tag(imageId: string, reference: string): Promise<void> {
  const existing = await inspect(reference);
  if (existing !== undefined && existing.Config.Labels?.[STAND_IN_LABEL] !== "true") {
    throw new Error(
      `${reference} exists on this engine and is not a test stand-in; the engine tests ` +
        "tag stand-ins under the product's image names and never overwrite a real image: " +
        "run them on an engine without it",
    );
  }
  const at = reference.lastIndexOf(":");
  if (at <= reference.lastIndexOf("/") || reference.includes("@")) {
    throw new Error(`stand-in images need a tagged reference, found ${reference}`);
  }
  await engine
    .getImage(imageId)
    .tag({ repo: reference.slice(0, at), tag: reference.slice(at + 1) });
}

async function inspect(reference: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await engine.getImage(reference).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
