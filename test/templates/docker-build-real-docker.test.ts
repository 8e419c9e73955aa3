/**
 * The docker-build job's steps with the REAL docker CLI (the one on PATH) against a
 * real dockerd serving TLS the way dind does (certificates made like
 * dockerd-entrypoint.sh makes them; test/support/dind-tls-certs.ts), on a free
 * 127.0.0.1 port: the daemon wait, the settings check, the builder's own context
 * (`docker context create --docker host=...,ca=...,cert=...,key=...`) and
 * `docker --context ... version` through it. buildx cannot be installed here, so
 * `docker buildx` reaches the plugin stub (test/templates/stub-docker/docker-buildx)
 * through the real CLI's plugin lookup; with --bootstrap it calls the real CLI
 * through the context, so a context that does not reach the daemon with TLS fails.
 * Without root, dockerd or openssl the tests are skipped, by name; under CI=true
 * they fail instead.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { skipWithout } from "../support/docker-test-engine.js";
import {
  makeDindTlsCertificates,
  tlsDockerdUnavailable,
  type DindTlsCertificates,
} from "../support/dind-tls-certs.js";
import { startDockerd, type SecondDockerd } from "../support/second-dockerd.js";
import { type ExpandedJob, jobOf, previewPipeline } from "./gitlab-ci-local.js";
import { expandVariables, runScript, SHELLS } from "./job-script.js";

const FIXTURE = `include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/docker-build@$CI_COMMIT_SHA
    inputs:
      executor: docker
      tls: true
      dind-service: runner
      dind-flags: []
      push: false
      cache: false
`;

const CI = {
  CI_REGISTRY: "",
  CI_REGISTRY_IMAGE: "registry.gitlab.example.com/group/app",
  CI_COMMIT_SHORT_SHA: "0123abcd",
  CI_JOB_ID: "77",
  // This machine's own engine socket is not a runner's: the job reads a bound socket there.
  DIND_BUILD_SOCKET: "/nonexistent/docker.sock",
};

describe("docker-build steps with the real docker CLI and a TLS dockerd", () => {
  let unavailable: string | undefined;
  let dir = "";
  let certificates: DindTlsCertificates;
  let daemon: SecondDockerd | undefined;
  let job: ExpandedJob;

  before(async () => {
    unavailable = tlsDockerdUnavailable();
    job = jobOf(await previewPipeline(FIXTURE), "docker-build");
    if (unavailable !== undefined) return;
    dir = await mkdtemp(join(tmpdir(), "dind-runners-tls-"));
    certificates = await makeDindTlsCertificates(dir);
    const started = await startDockerd("{}", { tlsServerDirectory: certificates.server });
    if (!started.ok) assert.fail(`dockerd refused to start with TLS:\n${started.output}`);
    daemon = started.daemon;
  });

  after(async () => {
    await daemon?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  /** The job's environment as the runner gives it, pointed at the TLS dockerd. */
  const connection = (certPath: string): Record<string, string> => ({
    DOCKER_HOST: `tcp://localhost:${String(daemon?.tcpPort)}`,
    DOCKER_TLS_VERIFY: "1",
    DOCKER_CERT_PATH: certPath,
  });
  const environment = (): Record<string, string> => ({
    ...CI,
    ...expandVariables(job.variables ?? {}, CI),
  });

  for (const shell of SHELLS) {
    describe(shell.name, () => {
      it("the job reaches dind with TLS, creates the builder's context, and buildx builds through it", async (t) => {
        if (skipWithout(t, unavailable)) return;
        const steps = [...(job.before_script ?? []), ...(job.script ?? [])];
        const result = await runScript(shell, steps, environment(), {
          realDocker: connection(certificates.client),
        });
        assert.equal(result.code, 0, result.stderr);
        const port = String(daemon?.tcpPort);
        const client = certificates.client;
        assert.deepEqual(
          result.dockerCalls.filter((call) => call.includes("context") || call[0] === "--context"),
          [
            ["context", "inspect", "dind-build-77-dind"],
            [
              "context",
              "create",
              "dind-build-77-dind",
              "--docker",
              `host=tcp://localhost:${port},ca=${client}/ca.pem,cert=${client}/cert.pem,key=${client}/key.pem`,
            ],
            [
              "--context",
              "dind-build-77-dind",
              "version",
              "--format",
              `context dind-build-77-dind: Docker {{.Server.Version}} at tcp://localhost:${port}`,
            ],
          ],
        );
        assert.match(
          result.stdout,
          new RegExp(
            `context dind-build-77-dind: Docker \\d+\\.\\d+\\.\\d+\\S* at tcp://localhost:${port}\\n`,
          ),
        );
        assert.deepEqual(
          result.buildxCalls.map((call) => call.slice(0, 5)),
          [
            ["buildx", "create", "dind-build-77-dind", "--name", "dind-build-77"],
            ["buildx", "build", "--file", "Dockerfile", "--tag"],
          ],
        );
        assert.deepEqual(result.files, {
          "docker-build.env": "DOCKER_IMAGE=registry.gitlab.example.com/group/app:0123abcd\n",
        });
      });

      it("buildx create in the default context with TLS from the environment is refused; the real CLI refuses a context name twice", async (t) => {
        if (skipWithout(t, unavailable)) return;
        const env = connection(certificates.client);
        const endpoint = `host=${env["DOCKER_HOST"] ?? ""},ca=${certificates.client}/ca.pem`;
        const result = await runScript(
          shell,
          [
            `docker context create twice --docker "${endpoint}" >/dev/null 2>&1`,
            `docker context create twice --docker "${endpoint}" || echo "exit $?"`,
            "docker buildx create --name b --driver docker-container --bootstrap",
          ],
          {},
          { realDocker: env },
        );
        assert.equal(result.code, 1);
        assert.match(result.stdout, /^exit 1\n$/);
        assert.match(result.stderr, /^context "twice" already exists\n/);
        assert.match(
          result.stderr,
          /ERROR: could not create a builder instance with TLS data loaded from environment\. Please use `docker context create <context-name>` to create a context for current environment and then create a builder instance with context set to <context-name>\n$/,
        );
      });

      it("client certificates of another CA: the daemon refuses the job, nothing reaches buildx", async (t) => {
        if (skipWithout(t, unavailable)) return;
        const other = await makeDindTlsCertificates(
          join(dir, `other-${shell.name.replace(" ", "-")}`),
        );
        const steps = [...(job.before_script ?? []), ...(job.script ?? [])];
        const result = await runScript(shell, steps, environment(), {
          realDocker: { ...connection(certificates.client), DOCKER_CERT_PATH: other.client },
        });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /certificate|x509|tls/i);
        assert.deepEqual(result.buildxCalls, []);
      });
    });
  }
});
