/**
 * templates/docker-build/template.yml as consumers see it: each fixture under
 * test/templates/fixtures/ is expanded by gitlab-ci-local with GitLab's CI JSON
 * schema fully on, and the job it yields is checked (service and its command,
 * connection variables, needs, timeout, retry, defaults, dotenv report); then
 * the expanded before_script and script run against a stub docker.
 */
import TOML from "@iarna/toml";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  type ExpandedJob,
  gitlabCiLocal,
  jobNames,
  jobOf,
  LOCAL_COMPONENT,
  previewPipeline,
} from "./gitlab-ci-local.js";
import { type DockerStub, expandVariables, runScript, SHELLS, STUB_DIGEST } from "./job-script.js";

const FIXTURES = join(__dirname, "fixtures");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");

const TLS_CONNECTION = { DOCKER_HOST: "tcp://docker:2376", DOCKER_TLS_CERTDIR: "/certs" };
/** `dind-service: runner` with TLS, either executor: the runner's certificate directory, no DOCKER_TLS_CERTDIR. */
const RUNNER_TLS_CONNECTION = {
  DOCKER_HOST: "tcp://docker:2376",
  DOCKER_TLS_VERIFY: "1",
  DOCKER_CERT_PATH: "/dind-runners-certs/client",
};
const PLAIN_CONNECTION = {
  DOCKER_HOST: "tcp://docker:2375",
  DOCKER_TLS_CERTDIR: "",
  DOCKER_TLS_VERIFY: "",
  DOCKER_CERT_PATH: "",
};
const CONNECTION_NAMES = [
  "DOCKER_HOST",
  "DOCKER_TLS_CERTDIR",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CERT_PATH",
];

const DEFAULT_BUILD_VARIABLES = {
  DIND_BUILD_PREFIX: "docker",
  DIND_BUILD_BACKEND: "dind",
  DIND_BUILD_IMAGE: "$CI_REGISTRY_IMAGE",
  DIND_BUILD_TAG: "$CI_COMMIT_SHORT_SHA",
  DIND_BUILD_CACHE_REF: "",
  DIND_BUILD_CONTEXT: ".",
  DIND_BUILD_DOCKERFILE: "Dockerfile",
  DIND_BUILDKIT_IMAGE: "moby/buildkit:v0.25.0",
  DIND_BUILD_REGISTRY_USER_VARIABLE: "",
  DIND_BUILD_REGISTRY_PASSWORD_VARIABLE: "",
  DIND_BUILD_ARGS: "[]\n",
  DIND_BUILD_SECRETS: "[]\n",
  DIND_FLAGS: '["--mtu=1500"]\n',
};

const RETRY = {
  max: 2,
  when: [
    "runner_system_failure",
    "stuck_or_timeout_failure",
    "api_failure",
    "scheduler_failure",
    "data_integrity_failure",
  ],
};

const JOB_DIND = { name: "docker:29.7.2-dind", alias: "docker" };

/** The shell the job runs in a container on dind's host network to read its uplink's MTU. */
const UPLINK_PROBE =
  'iface=eth0; while read -r name destination rest; do if test "$destination" = 00000000; then iface=$name; break; fi; done < /proc/net/route; read -r mtu < "/sys/class/net/$iface/mtu" && echo "$iface $mtu"';

/** The job's Docker connection variables (the ones a runner's `environment` also sets). */
function connection(job: ExpandedJob): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.variables ?? {}).filter(([name]) => CONNECTION_NAMES.includes(name)),
  );
}

/** The job's before_script and script, as the runner runs them: one shell. */
const allSteps = (job: ExpandedJob): string[] => [
  ...(job.before_script ?? []),
  ...(job.script ?? []),
];

/** Index of the first step containing `text`; fails when none does. */
function stepIndex(job: ExpandedJob, text: string): number {
  const index = allSteps(job).findIndex((item) => item.includes(text));
  assert.notEqual(index, -1, `a step contains ${JSON.stringify(text)}`);
  return index;
}

const FIXTURE_NAMES = [
  "defaults",
  "docker-tls-job",
  "docker-plain-job",
  "kubernetes-plain-job",
  "kubernetes-tls-runner",
  "docker-plain-runner",
  "two-includes",
  "pipeline-defaults",
] as const;
type FixtureName = (typeof FIXTURE_NAMES)[number];

/** One include per executor x tls x dind-service, so one schema check covers them all. */
function everyModePipeline(): string {
  const entries: string[] = [];
  for (const executor of ["docker", "kubernetes"]) {
    for (const tls of [true, false]) {
      for (const service of ["job", "runner"]) {
        entries.push(
          [
            `  - component: ${LOCAL_COMPONENT("docker-build")}`,
            "    inputs:",
            `      job-prefix: ${executor}-${String(tls)}-${service}`,
            `      executor: ${executor}`,
            `      tls: ${String(tls)}`,
            `      dind-service: ${service}`,
            // An empty list where it is valid (no service), a needs list on every other one.
            ...(service === "runner" && tls ? ["      dind-flags: []"] : []),
            ...(tls ? [] : ["      needs: [{ job: prepare, artifacts: false }]"]),
            "",
          ].join("\n"),
        );
      }
    }
  }
  return `stages: [test, build]\n\ninclude:\n${entries.join("")}\nprepare:\n  stage: test\n  script: "true"\n`;
}

describe("docker-build component, expanded by gitlab-ci-local (schema validation on)", () => {
  const pipelines = new Map<FixtureName, Readonly<Record<string, unknown>>>();
  let everyMode: Readonly<Record<string, unknown>>;
  const job = (name: FixtureName, jobName: string): ExpandedJob => {
    const pipeline = pipelines.get(name);
    assert.ok(pipeline, `fixture ${name} was expanded`);
    return jobOf(pipeline, jobName);
  };

  before(async () => {
    // Each run has its own temporary repository, so they can run at once.
    const [modes, ...expanded] = await Promise.all([
      previewPipeline(everyModePipeline()),
      ...FIXTURE_NAMES.map((name) => previewPipeline(fixture(`${name}.gitlab-ci.yml`))),
    ]);
    everyMode = modes ?? {};
    FIXTURE_NAMES.forEach((name, index) => pipelines.set(name, expanded[index] ?? {}));
  });

  it("defaults: docker-build in stage build, its own TLS dind with the declared flags, no tags", () => {
    const build = job("defaults", "docker-build");
    assert.deepEqual(jobNames(pipelines.get("defaults") ?? {}), ["docker-build"]);
    assert.equal(build.stage, "build");
    assert.deepEqual(build.image, { name: "docker:29.7.2-cli" });
    assert.equal(build.tags, undefined);
    assert.equal(build.inherit, undefined);
    assert.deepEqual(build.variables, { ...TLS_CONNECTION, ...DEFAULT_BUILD_VARIABLES });
    assert.deepEqual(build.services, [
      { ...JOB_DIND, command: ["--mtu=1500"], variables: { DOCKER_TLS_CERTDIR: "/certs" } },
    ]);
  });

  it("defaults: interruptible, retried on runner and GitLab failures, timeout 1h, needs []", () => {
    const build = job("defaults", "docker-build");
    assert.equal(build.interruptible, true);
    assert.deepEqual(build.retry, RETRY);
    assert.equal(build.timeout, "1h");
    assert.deepEqual(build.needs, []);
  });

  it("defaults: the digest dotenv report is the job's artifact", () => {
    const build = job("defaults", "docker-build");
    assert.deepEqual(build.artifacts, { reports: { dotenv: "docker-build.env" } });
  });

  it("steps: inputs check, daemon wait, daemon settings check, logins, builder; then build, dotenv", () => {
    const build = job("defaults", "docker-build");
    assert.equal(build.before_script?.length, 5);
    assert.equal(build.script?.length, 2);
    const order = [
      stepIndex(build, 'problem "dind-flags:'),
      stepIndex(build, "until docker info"),
      stepIndex(build, "docker network inspect bridge"),
      stepIndex(build, "docker login"),
      stepIndex(build, "docker buildx create"),
      stepIndex(build, "docker buildx build"),
      stepIndex(build, "_IMAGE_DIGEST"),
    ];
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
    assert.match(
      allSteps(build)[4] ?? "",
      /docker buildx create .* --driver docker-container \\\n\s+--driver-opt "image=\$DIND_BUILDKIT_IMAGE" --driver-opt network=host/,
    );
  });

  it("docker, TLS, job service: every daemon flag in the service command; build inputs, needs, timeout, tags", () => {
    const build = job("docker-tls-job", "app-build");
    assert.deepEqual(jobNames(pipelines.get("docker-tls-job") ?? {}), ["app-build", "lint"]);
    assert.equal(build.stage, "package");
    assert.deepEqual(build.tags, ["saas-linux-small-amd64"]);
    // gitlab-ci-local writes needs in their long form.
    assert.deepEqual(build.needs, [{ job: "lint", artifacts: true, optional: false }]);
    assert.equal(build.timeout, "30m");
    const flags = [
      "--insecure-registry=registry.example.internal:5000",
      "--insecure-registry=10.0.0.9:5000",
      "--registry-mirror=https://mirror.example.com",
      "--mtu=1400",
    ];
    assert.deepEqual(build.services, [
      { ...JOB_DIND, command: flags, variables: { DOCKER_TLS_CERTDIR: "/certs" } },
    ]);
    assert.deepEqual(build.variables, {
      ...TLS_CONNECTION,
      DIND_BUILD_PREFIX: "app",
      DIND_BUILD_BACKEND: "dind",
      DIND_BUILD_IMAGE: "registry.example.internal:5000/team/app",
      DIND_BUILD_TAG: "$CI_COMMIT_TAG",
      DIND_BUILD_CACHE_REF: "registry.example.internal:5000/team/app/cache:main",
      DIND_BUILD_CONTEXT: "app",
      DIND_BUILD_DOCKERFILE: "app/Containerfile",
      DIND_BUILDKIT_IMAGE: "moby/buildkit:v0.25.0",
      DIND_BUILD_REGISTRY_USER_VARIABLE: "APP_REGISTRY_USER",
      DIND_BUILD_REGISTRY_PASSWORD_VARIABLE: "APP_REGISTRY_PASSWORD",
      DIND_BUILD_ARGS: '["VERSION=$CI_COMMIT_TAG","GREETING=hello world"]\n',
      DIND_BUILD_SECRETS: '["NPM_TOKEN"]\n',
      DIND_FLAGS: `${JSON.stringify(flags)}\n`,
    });
    assert.deepEqual(build.artifacts, { reports: { dotenv: "app-build.env" } });
  });

  it("docker, no TLS, job service: port 2375, TLS client settings cleared, --tls=false to dind's entrypoint", () => {
    const build = job("docker-plain-job", "plain-build");
    assert.deepEqual(build.image, { name: "docker:27.5.1-cli" });
    assert.deepEqual(connection(build), PLAIN_CONNECTION);
    assert.deepEqual(build.services, [
      {
        name: "docker:27.5.1-dind",
        alias: "docker",
        entrypoint: ["dockerd-entrypoint.sh", "--tls=false"],
        command: ["--mtu=1500"],
        variables: { DOCKER_TLS_CERTDIR: "" },
      },
    ]);
  });

  it("kubernetes, no TLS, job service: plain connection, the registry flag in the command", () => {
    const build = job("kubernetes-plain-job", "k8s-plain-build");
    assert.deepEqual(connection(build), PLAIN_CONNECTION);
    assert.deepEqual(build.services, [
      {
        ...JOB_DIND,
        entrypoint: ["dockerd-entrypoint.sh", "--tls=false"],
        command: ["--insecure-registry=registry.example.internal:5000"],
        variables: { DOCKER_TLS_CERTDIR: "" },
      },
    ]);
  });

  it("kubernetes, TLS, runner service: no service, the runner's certificate directory, flags to check", () => {
    const build = job("kubernetes-tls-runner", "k8s-build");
    assert.deepEqual(build.services, []);
    assert.deepEqual(build.tags, ["dind", "prod", "kubernetes"]);
    assert.deepEqual(connection(build), RUNNER_TLS_CONNECTION);
    assert.equal(
      build.variables?.["DIND_FLAGS"],
      '["--insecure-registry=registry.prod.example.internal:5000","--registry-mirror=https://mirror.prod.example.internal","--mtu=1450"]\n',
    );
  });

  it("docker, no TLS, runner service with no flags: no service, plain connection", () => {
    const build = job("docker-plain-runner", "plain-runner-build");
    assert.deepEqual(build.services, []);
    assert.deepEqual(connection(build), PLAIN_CONNECTION);
    assert.equal(build.variables?.["DIND_FLAGS"], "[]\n");
  });

  it("two includes with different prefixes give two jobs, each with its own settings", () => {
    assert.deepEqual(jobNames(pipelines.get("two-includes") ?? {}), ["api-build", "web-build"]);
    const api = job("two-includes", "api-build");
    const web = job("two-includes", "web-build");
    assert.deepEqual([api.services, connection(api)], [[], RUNNER_TLS_CONNECTION]);
    assert.equal(api.variables?.["DIND_BUILD_CONTEXT"], "api");
    assert.deepEqual(connection(web), PLAIN_CONNECTION);
    assert.deepEqual(web.services?.[0]?.entrypoint, ["dockerd-entrypoint.sh", "--tls=false"]);
    assert.equal(web.variables?.["DIND_BUILD_CONTEXT"], "web");
  });

  it("a pipeline's default: image, services and before_script do not reach the job; its other defaults do", () => {
    const pipeline = pipelines.get("pipeline-defaults") ?? {};
    const build = job("pipeline-defaults", "docker-build");
    assert.deepEqual(build.image, { name: "docker:29.7.2-cli" });
    assert.deepEqual(build.services, []);
    assert.ok(!(build.before_script ?? []).includes("bundle install"));
    assert.equal(build.before_script?.length, 5);
    // Inherited: the job neither sets after_script nor limits inheritance.
    assert.deepEqual(build.after_script, ["echo done"]);
    assert.equal(build.inherit, undefined);
    // gitlab-ci-local does not copy default: tags, id_tokens or hooks into jobs; GitLab does
    // for every job that sets none of them, and this job sets none.
    for (const key of ["tags", "id_tokens", "hooks"] as const) assert.equal(build[key], undefined);
    // Job variables take precedence over the pipeline's global DOCKER_HOST.
    assert.deepEqual(pipeline["variables"], { DOCKER_HOST: "tcp://docker:2375" });
    assert.equal(build.variables?.["DOCKER_HOST"], "tcp://docker:2376");
    assert.deepEqual(jobOf(pipeline, "rspec").before_script, ["bundle install"]);
  });

  it("every executor x tls x dind-service combination passes the schema, with the service it implies", () => {
    const expected: string[] = [];
    const shapes: Record<string, unknown> = {};
    for (const executor of ["docker", "kubernetes"]) {
      for (const tls of [true, false]) {
        for (const service of ["job", "runner"]) {
          const name = `${executor}-${String(tls)}-${service}-build`;
          expected.push(name);
          shapes[name] = {
            services: service === "job" ? 1 : 0,
            command: service === "job" ? ["--mtu=1500"] : undefined,
            port: tls ? "tcp://docker:2376" : "tcp://docker:2375",
            needs: tls ? [] : [{ job: "prepare", artifacts: false, optional: false }],
          };
        }
      }
    }
    assert.deepEqual(
      jobNames(everyMode).filter((name) => name !== "prepare"),
      expected,
    );
    for (const name of expected) {
      const build = jobOf(everyMode, name);
      assert.deepEqual(
        {
          services: build.services?.length,
          command: build.services?.[0]?.command,
          port: build.variables?.["DOCKER_HOST"],
          needs: build.needs,
        },
        shapes[name],
        name,
      );
    }
  });
});

describe("docker-build component rejects bad inputs", () => {
  const include = (inputs: string): string =>
    `include:\n  - component: ${LOCAL_COMPONENT("docker-build")}\n    inputs:\n${inputs}`;
  const rejects = (inputs: string, message: RegExp) =>
    assert.rejects(gitlabCiLocal(include(inputs), ["--preview"]), message);

  it("an unpinned docker-version", async () => {
    await rejects(
      "      docker-version: latest\n",
      /`docker-version` input: `latest` does not match required regex: \^\[0-9\]\+/,
    );
  });

  it("an unpinned buildkit-image", async () => {
    await rejects(
      "      buildkit-image: moby/buildkit:latest\n",
      /`buildkit-image` input: `moby\/buildkit:latest` does not match required regex/,
    );
  });

  it("an executor that is not docker or kubernetes", async () => {
    await rejects(
      "      executor: shell\n",
      /`executor` input: `shell` cannot be used because it is not in the list of allowed options/,
    );
  });

  it("tls given as a string", async () => {
    await rejects('      tls: "false"\n', /`tls` input: provided value is not a boolean/);
  });

  it("dind-flags given as a string", async () => {
    await rejects(
      "      dind-flags: --mtu=1400\n",
      /`dind-flags` input: provided value is not a array/,
    );
  });

  it("a timeout GitLab cannot read", async () => {
    await rejects(
      "      timeout: forever\n",
      /`timeout` input: `forever` does not match required regex/,
    );
  });

  it("a registry credential variable that is not a variable name", async () => {
    await rejects(
      "      registry-password-variable: $REGISTRY_PASSWORD\n",
      /`registry-password-variable` input: `\$REGISTRY_PASSWORD` does not match required regex/,
    );
  });
});

describe("docker-build scripts, run against a stub docker", () => {
  const CI = {
    CI_REGISTRY: "registry.gitlab.example.com",
    CI_REGISTRY_USER: "gitlab-ci-token",
    CI_REGISTRY_PASSWORD: "job-token",
    CI_REGISTRY_IMAGE: "registry.gitlab.example.com/group/app",
    CI_COMMIT_SHORT_SHA: "0123abcd",
    CI_COMMIT_SHA: "0123abcd4567",
    CI_COMMIT_TAG: "1.2.3",
    CI_JOB_ID: "4242",
    // This machine's own engine socket is not a runner's: the job reads a bound socket there.
    DIND_BUILD_SOCKET: "/nonexistent/docker.sock",
    CI_PROJECT_URL: "https://gitlab.example.com/group/app",
    CI_PROJECT_TITLE: "App",
    CI_PIPELINE_CREATED_AT: "2026-12-01T11:00:00Z",
    APP_REGISTRY_USER: "robot",
    APP_REGISTRY_PASSWORD: "registry-secret",
    NPM_TOKEN: "npm-secret",
  };
  let runnerJob: ExpandedJob;
  let tlsJob: ExpandedJob;
  let plainJob: ExpandedJob;

  before(async () => {
    const [runner, tls, plain] = await Promise.all([
      previewPipeline(fixture("kubernetes-tls-runner.gitlab-ci.yml")),
      previewPipeline(fixture("docker-tls-job.gitlab-ci.yml")),
      previewPipeline(fixture("docker-plain-job.gitlab-ci.yml")),
    ]);
    runnerJob = jobOf(runner, "k8s-build");
    tlsJob = jobOf(tls, "app-build");
    plainJob = jobOf(plain, "plain-build");
  });

  /** The job's steps with its variables as the runner would expand them, plus CI's own. */
  const runJob = (
    shell: (typeof SHELLS)[number],
    job: ExpandedJob,
    stub: DockerStub,
    overrides: Readonly<Record<string, string>> = {},
    before: readonly string[] = [],
  ) => {
    const variables = { ...(job.variables ?? {}), ...overrides };
    const ci = { ...CI, ...overrides };
    return runScript(
      shell,
      [...before, ...allSteps(job)],
      { ...ci, ...expandVariables(variables, ci) },
      stub,
    );
  };

  const RUNNER_DAEMON: DockerStub = {
    insecure: "registry.prod.example.internal:5000 127.0.0.0/8 ",
    mirrors: "https://mirror.prod.example.internal/ ",
    mtu: "1450",
  };
  const TLS_JOB_DAEMON: DockerStub = {
    insecure: "10.0.0.9:5000 registry.example.internal:5000 127.0.0.0/8 ",
    mirrors: "https://mirror.example.com/ ",
    mtu: "1400",
  };
  const byCommand = (calls: readonly (readonly string[])[], ...command: string[]) =>
    calls.filter((call) => command.every((word, index) => call[index] === word));

  for (const shell of SHELLS) {
    describe(shell.name, () => {
      it("runner service with every setting: checks, one login, a BuildKit builder, buildx build --push, the digest dotenv", async () => {
        const result = await runJob(shell, runnerJob, { infoFailures: 2, ...RUNNER_DAEMON });
        assert.equal(result.code, 0, result.stderr);
        const image = "registry.gitlab.example.com/group/app";
        const certPath = /^host=tcp:\/\/docker:2376,ca=(\/.*)\/ca\.pem,/.exec(
          result.dockerCalls[10]?.[4] ?? "",
        )?.[1];
        assert.ok(certPath, "the context names the job's client certificates");
        assert.deepEqual(result.dockerCalls.slice(4), [
          [
            "info",
            "--format",
            "{{range .RegistryConfig.IndexConfigs}}{{if not .Secure}}{{.Name}} {{end}}{{end}}{{range .RegistryConfig.InsecureRegistryCIDRs}}{{.}} {{end}}",
          ],
          ["info", "--format", "{{range .RegistryConfig.Mirrors}}{{.}} {{end}}"],
          [
            "network",
            "inspect",
            "bridge",
            "--format",
            '{{index .Options "com.docker.network.driver.mtu"}}',
          ],
          ["login", "registry.gitlab.example.com", "-u", "gitlab-ci-token", "--password-stdin"],
          [
            "run",
            "--rm",
            "--network",
            "host",
            "--entrypoint",
            "sh",
            "moby/buildkit:v0.25.0",
            "-c",
            UPLINK_PROBE,
          ],
          ["context", "inspect", "dind-build-4242-dind"],
          [
            "context",
            "create",
            "dind-build-4242-dind",
            "--docker",
            `host=tcp://docker:2376,ca=${certPath}/ca.pem,cert=${certPath}/cert.pem,key=${certPath}/key.pem`,
          ],
          [
            "--context",
            "dind-build-4242-dind",
            "version",
            "--format",
            "context dind-build-4242-dind: Docker {{.Server.Version}} at tcp://docker:2376",
          ],
          [
            "buildx",
            "create",
            "dind-build-4242-dind",
            "--name",
            "dind-build-4242",
            "--driver",
            "docker-container",
            "--driver-opt",
            "image=moby/buildkit:v0.25.0",
            "--driver-opt",
            "network=host",
            "--buildkitd-config",
            result.dockerCalls[12]?.[12] ?? "?",
            "--bootstrap",
            "--use",
          ],
          [
            "buildx",
            "build",
            "--file",
            "Dockerfile",
            "--tag",
            `${image}:0123abcd`,
            "--metadata-file",
            result.dockerCalls[13]?.[7] ?? "?",
            "--label",
            "org.opencontainers.image.source=https://gitlab.example.com/group/app",
            "--label",
            "org.opencontainers.image.url=https://gitlab.example.com/group/app",
            "--label",
            "org.opencontainers.image.revision=0123abcd4567",
            "--label",
            "org.opencontainers.image.created=2026-12-01T11:00:00Z",
            "--label",
            "org.opencontainers.image.title=App",
            "--label",
            "org.opencontainers.image.version=0123abcd",
            "--cache-from",
            `type=registry,ref=${image}:buildcache`,
            "--cache-to",
            `type=registry,ref=${image}:buildcache,mode=max`,
            "--push",
            ".",
          ],
        ]);
        assert.deepEqual(
          result.dockerCalls.slice(0, 4).map((call) => call[0]),
          ["info", "info", "info", "info"],
        );
        assert.deepEqual(result.loginPasswords, ["job-token"]);
        assert.equal(
          result.buildkitdConfig,
          '[registry."registry.prod.example.internal:5000"]\n  http = true\n  insecure = true\n' +
            '[registry."docker.io"]\n  mirrors = ["mirror.prod.example.internal"]\n',
        );
        assert.deepEqual(result.files, {
          "k8s-build.env": `K8S_IMAGE=${image}@${STUB_DIGEST}\nK8S_IMAGE_DIGEST=${STUB_DIGEST}\n`,
        });
        assert.match(
          result.stdout,
          /insecure registry registry\.prod\.example\.internal:5000: configured/,
        );
        assert.match(result.stdout, /MTU 1450: the MTU of the daemon's bridge network/);
        assert.match(
          result.stdout,
          /MTU 1450: the MTU of dind's uplink eth0, where BuildKit's RUN steps run/,
        );
        // What buildx was given, as the CLI passed it to the plugin.
        assert.deepEqual(
          result.buildxCalls.map((call) => call.slice(0, 3)),
          [
            ["buildx", "create", "dind-build-4242-dind"],
            ["buildx", "build", "--file"],
          ],
        );
      });

      it("runner service lacking settings: fails before login, naming each difference and the fix", async () => {
        const result = await runJob(shell, runnerJob, {
          insecure: "127.0.0.0/8 ",
          mirrors: "",
          mtu: "1500",
        });
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr,
          "error: the Docker daemon at tcp://docker:2376 does not treat registry.prod.example.internal:5000 as an insecure registry (its insecure registries: 127.0.0.0/8).\n" +
            "error: the Docker daemon at tcp://docker:2376 does not use the registry mirror https://mirror.prod.example.internal (its mirrors: none).\n" +
            "error: the Docker daemon at tcp://docker:2376 has the bridge MTU 1500, not 1450.\n" +
            "dind-service is runner: the runner's daemon.json decides; set it in the runner's dind settings of the stack config and deploy (then render the include again), or run the job on runners that have it.\n",
        );
        assert.deepEqual(byCommand(result.dockerCalls, "login"), []);
        assert.deepEqual(byCommand(result.dockerCalls, "buildx"), []);
      });

      it("no daemon within 30 attempts: fails with the daemon's error and a hint for runner mode", async () => {
        const result = await runJob(shell, runnerJob, { infoFailures: 1000 });
        assert.equal(result.code, 1);
        assert.equal(result.dockerCalls.length, 31);
        assert.match(
          result.stderr,
          /Cannot connect to the Docker daemon at tcp:\/\/docker:2376\. Is the docker daemon running\?\nerror: no Docker daemon answered at tcp:\/\/docker:2376 within 60 s\.\ndind-service is runner: run this job on dind-runners runners \(their tags on the job\) and set the tls input to their dind\.tls\.\n$/,
        );
      });

      it("malformed dind flags, build args and secrets: refused at once, all named, no docker call", async () => {
        const result = await runJob(
          shell,
          tlsJob,
          {},
          {
            DIND_FLAGS:
              '["--insecure-registry=https://registry.example.internal", "--registry-mirror=ftp://mirror", "--mtu=1400x", "--mtu=20", "--debug", "--insecure-registry=[::1]:5000"]\n',
            DIND_BUILD_ARGS: '["VERSION"]\n',
            DIND_BUILD_SECRETS: '["NPM_TOKEN", "UNSET_TOKEN", "bad-name"]\n',
          },
        );
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr,
          [
            'error: dind-flags: "--insecure-registry=https://registry.example.internal": expected --insecure-registry=<host[:port]>, without a scheme or path.',
            'error: dind-flags: "--registry-mirror=ftp://mirror": expected --registry-mirror=<http or https URL>, without credentials, query or fragment.',
            'error: dind-flags: "--mtu=1400x": expected --mtu=<68-65535>.',
            'error: dind-flags: "--mtu=20": expected --mtu=<68-65535>.',
            'error: dind-flags: "--debug": not a flag this job declares; use --insecure-registry=, --registry-mirror= or --mtu=.',
            'error: build-args: "VERSION": expected KEY=VALUE.',
            "error: build-secrets: the CI/CD variable UNSET_TOKEN is empty or not set.",
            'error: build-secrets: "bad-name": expected the name of a CI/CD variable.',
            "",
          ].join("\n"),
        );
        assert.deepEqual(result.dockerCalls, []);
      });

      it("job service with no dind flags: refused, since the service command would be empty", async () => {
        const result = await runJob(shell, tlsJob, {}, { DIND_FLAGS: "[]\n" });
        assert.equal(result.code, 1);
        assert.match(
          result.stderr,
          /^error: dind-flags: empty; with dind-service job it is the dind service's command/,
        );
        assert.deepEqual(result.dockerCalls, []);
      });

      it("another registry: a second login from the named variables, cache ref, build args and secrets, labels", async () => {
        for (const list of [
          '["VERSION=1.2.3", "GREETING=hello world"]\n',
          '["VERSION=1.2.3","GREETING=hello world"]\n',
        ]) {
          const result = await runJob(shell, tlsJob, TLS_JOB_DAEMON, { DIND_BUILD_ARGS: list });
          assert.equal(result.code, 0, result.stderr);
          assert.deepEqual(byCommand(result.dockerCalls, "login"), [
            ["login", "registry.gitlab.example.com", "-u", "gitlab-ci-token", "--password-stdin"],
            ["login", "registry.example.internal:5000", "-u", "robot", "--password-stdin"],
          ]);
          assert.deepEqual(result.loginPasswords, ["job-token", "registry-secret"]);
          const [build] = byCommand(result.dockerCalls, "buildx", "build");
          const cacheRef = "registry.example.internal:5000/team/app/cache:main";
          assert.deepEqual(build?.slice(20), [
            "--cache-from",
            `type=registry,ref=${cacheRef}`,
            "--cache-to",
            `type=registry,ref=${cacheRef},mode=max`,
            "--build-arg",
            "VERSION=1.2.3",
            "--build-arg",
            "GREETING=hello world",
            "--secret",
            "id=NPM_TOKEN,env=NPM_TOKEN",
            "--push",
            "app",
          ]);
          assert.ok(
            !build?.some((arg) => arg.includes("npm-secret")),
            "secret values stay out of argv",
          );
          assert.equal(
            result.buildkitdConfig,
            '[registry."registry.example.internal:5000"]\n  http = true\n  insecure = true\n' +
              '[registry."10.0.0.9:5000"]\n  http = true\n  insecure = true\n' +
              '[registry."docker.io"]\n  mirrors = ["mirror.example.com"]\n',
          );
          assert.deepEqual(result.files, {
            "app-build.env": `APP_IMAGE=registry.example.internal:5000/team/app@${STUB_DIGEST}\nAPP_IMAGE_DIGEST=${STUB_DIGEST}\n`,
          });
        }
      });

      it("buildkitd.toml: valid TOML; an http mirror's host is plain HTTP unless it is an insecure registry already", async () => {
        const flags = [
          "--insecure-registry=10.0.0.8:5000",
          "--registry-mirror=http://10.0.0.8:5000",
          "--registry-mirror=http://mirror.example.internal/dockerhub/",
          "--registry-mirror=https://mirror.gcr.io",
        ];
        const result = await runJob(
          shell,
          runnerJob,
          {
            insecure: "10.0.0.8:5000 ",
            mirrors: flags
              .slice(1)
              .map((flag) => flag.split("=")[1])
              .join(" "),
            mtu: "1500",
          },
          { DIND_FLAGS: `${JSON.stringify(flags)}\n` },
        );
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(TOML.parse(result.buildkitdConfig), {
          registry: {
            "10.0.0.8:5000": { http: true, insecure: true },
            "mirror.example.internal": { http: true },
            "docker.io": {
              mirrors: ["10.0.0.8:5000", "mirror.example.internal/dockerhub", "mirror.gcr.io"],
            },
          },
        });
      });

      it("TLS from the environment: buildx refuses the default context, so the builder gets a context of its own", async () => {
        // The strict plugin stub, given what the job ran before this fix.
        const refused = await runScript(
          shell,
          ["docker buildx create --name dind-build-1 --driver docker-container --bootstrap --use"],
          { ...RUNNER_TLS_CONNECTION, CI_JOB_ID: "1" },
        );
        assert.equal(refused.code, 1);
        assert.equal(
          refused.stderr,
          "ERROR: could not create a builder instance with TLS data loaded from environment. Please use `docker context create <context-name>` to create a context for current environment and then create a builder instance with context set to <context-name>\n",
        );
        const result = await runJob(shell, runnerJob, RUNNER_DAEMON);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.buildxCalls[0]?.slice(0, 5), [
          "buildx",
          "create",
          "dind-build-4242-dind",
          "--name",
          "dind-build-4242",
        ]);
      });

      it("the builder's context: updated when it exists, refused twice by context create, never the builder's name", async () => {
        const setup =
          "docker context create dind-build-4242-dind --docker host=tcp://old:2376 >/dev/null 2>&1";
        const twice = await runScript(shell, [setup, setup], {});
        assert.equal(twice.code, 1);
        const again = await runScript(
          shell,
          [setup, "docker context create dind-build-4242-dind --docker host=tcp://old:2376"],
          {},
        );
        assert.equal(again.stderr, 'context "dind-build-4242-dind" already exists\n');
        const named = await runScript(
          shell,
          [
            "docker context create same --docker host=tcp://docker:2375 >/dev/null",
            "docker buildx create same --name same --driver docker-container",
          ],
          {},
        );
        assert.equal(
          named.stderr,
          'Successfully created context "same"\nERROR: instance name "same" already exists as context builder\n',
        );
        const rerun = await runJob(shell, runnerJob, RUNNER_DAEMON, {}, [setup]);
        assert.equal(rerun.code, 0, rerun.stderr);
        assert.deepEqual(
          byCommand(rerun.dockerCalls, "context").map((call) => call.slice(0, 3)),
          [
            ["context", "create", "dind-build-4242-dind"],
            ["context", "inspect", "dind-build-4242-dind"],
            ["context", "update", "dind-build-4242-dind"],
          ],
        );
      });

      it("no TLS: the context has only DOCKER_HOST", async () => {
        const result = await runJob(shell, plainJob, {}, { CI_REGISTRY: "" });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(byCommand(result.dockerCalls, "context", "create"), [
          ["context", "create", "dind-build-4242-dind", "--docker", "host=tcp://docker:2375"],
        ]);
      });

      it("dind's uplink with another MTU than --mtu: fails, naming both, although the bridge has it", async () => {
        const result = await runJob(shell, runnerJob, { ...RUNNER_DAEMON, uplink: "eth0 1500" });
        assert.equal(result.code, 1);
        assert.match(result.stdout, /MTU 1450: the MTU of the daemon's bridge network/);
        assert.equal(
          result.stderr,
          "error: the Docker daemon at tcp://docker:2376 has the MTU 1500 on its uplink eth0, not 1450: BuildKit's RUN steps (network=host) send through it, whatever the bridge MTU.\n" +
            "dind-service is runner: dind's uplink has the MTU of the network the runner gives the job (Docker hosts: the runner's network_mtu, which needs FF_NETWORK_PER_BUILD; Kubernetes: the pod network's MTU); set the runner's dind.mtu to that MTU and deploy.\n",
        );
        assert.deepEqual(byCommand(result.dockerCalls, "buildx"), []);
      });

      it("registry CAs of dind: one ca entry per certs.d host, merged into that host's table", async () => {
        const certsD = await mkdtemp(join(tmpdir(), "dind-runners-certs-d-"));
        try {
          for (const host of ["10.0.0.8:5000", "registry.example.internal:5050", "empty"]) {
            await mkdir(join(certsD, host));
          }
          await writeFile(join(certsD, "10.0.0.8:5000", "ca.crt"), "CA 1\n");
          await writeFile(join(certsD, "registry.example.internal:5050", "ca.crt"), "CA 2\n");
          await writeFile(
            join(certsD, "registry.example.internal:5050", "client.cert"),
            "not a CA\n",
          );
          const flags = [
            "--insecure-registry=10.0.0.8:5000",
            "--registry-mirror=http://10.0.0.8:5000",
            "--registry-mirror=https://mirror.gcr.io",
          ];
          const result = await runJob(
            shell,
            runnerJob,
            {
              insecure: "10.0.0.8:5000 ",
              mirrors: "http://10.0.0.8:5000 https://mirror.gcr.io",
              mtu: "1500",
            },
            { DIND_FLAGS: `${JSON.stringify(flags)}\n`, DIND_CERTS_D: certsD },
          );
          assert.equal(result.code, 0, result.stderr);
          assert.deepEqual(TOML.parse(result.buildkitdConfig), {
            registry: {
              "10.0.0.8:5000": {
                http: true,
                insecure: true,
                ca: [`${certsD}/10.0.0.8:5000/ca.crt`],
              },
              "docker.io": { mirrors: ["10.0.0.8:5000", "mirror.gcr.io"] },
              "registry.example.internal:5050": {
                ca: [`${certsD}/registry.example.internal:5050/ca.crt`],
              },
            },
          });
        } finally {
          await rm(certsD, { recursive: true, force: true });
        }
      });

      it("another registry without its password variable: fails naming both variables", async () => {
        const result = await runJob(shell, tlsJob, TLS_JOB_DAEMON, { APP_REGISTRY_PASSWORD: "" });
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr,
          "error: logging in to registry.example.internal:5000 needs the CI/CD variables APP_REGISTRY_USER and APP_REGISTRY_PASSWORD (registry-user-variable, registry-password-variable); one is empty or not set.\n",
        );
        assert.deepEqual(byCommand(result.dockerCalls, "buildx"), []);
      });

      it("a push that reports no digest fails instead of exporting a wrong one", async () => {
        const result = await runJob(shell, runnerJob, { ...RUNNER_DAEMON, digest: "" });
        assert.equal(result.code, 1);
        assert.match(
          result.stderr,
          /^Successfully created context "dind-build-4242-dind"\nerror: docker buildx build wrote no image digest to its metadata file:\n\{/,
        );
        assert.deepEqual(result.files, {});
      });

      it("push and cache off, no container registry: no login, --load, no cache, the tag in the dotenv", async () => {
        const result = await runJob(shell, plainJob, {}, { CI_REGISTRY: "" });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(byCommand(result.dockerCalls, "login"), []);
        const [build] = byCommand(result.dockerCalls, "buildx", "build");
        assert.equal(build?.at(-2), "--load");
        assert.ok(!build?.some((arg) => arg.startsWith("--cache")));
        assert.match(result.stdout, /CI_REGISTRY is not set/);
        assert.deepEqual(result.files, {
          "plain-build.env": "PLAIN_IMAGE=registry.gitlab.example.com/group/app:0123abcd\n",
        });
      });
    });
  }
});
