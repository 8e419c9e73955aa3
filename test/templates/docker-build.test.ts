/**
 * templates/docker-build/template.yml as consumers see it: each fixture under
 * test/templates/fixtures/ is expanded by gitlab-ci-local, and the job it
 * yields is checked (service, connection variables, tags, stage, name, script
 * order); then the expanded scripts run against a stub docker.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  type ExpandedJob,
  type ExpandedService,
  gitlabCiLocal,
  jobNames,
  jobOf,
  LOCAL_COMPONENT,
  previewPipeline,
} from "./gitlab-ci-local.js";
import {
  dindEntrypointArgs,
  expandVariables,
  runScript,
  SHELLS,
  type DockerStub,
} from "./job-script.js";

const FIXTURES = join(__dirname, "fixtures");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");

const TLS_CONNECTION = { DOCKER_HOST: "tcp://docker:2376", DOCKER_TLS_CERTDIR: "/certs" };
/** `dind-service: runner` with TLS, either executor: the runner's certificate directory, no DOCKER_TLS_CERTDIR. */
const RUNNER_TLS_CONNECTION = {
  DOCKER_HOST: "tcp://docker:2376",
  DOCKER_TLS_VERIFY: "1",
  DOCKER_CERT_PATH: "/dind-runners-certs/client",
};
const PLAIN_CONNECTION = { DOCKER_HOST: "tcp://docker:2375", DOCKER_TLS_CERTDIR: "" };
const CONNECTION_NAMES = [
  "DOCKER_HOST",
  "DOCKER_TLS_CERTDIR",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CERT_PATH",
];

const DEFAULT_BUILD_VARIABLES = {
  DIND_BUILD_IMAGE: "$CI_REGISTRY_IMAGE",
  DIND_BUILD_TAG: "$CI_COMMIT_SHORT_SHA",
  DIND_BUILD_CACHE_TAG: "cache",
  DIND_BUILD_CONTEXT: ".",
  DIND_BUILD_DOCKERFILE: "Dockerfile",
  DIND_BUILD_ARGS: "[]\n",
  DIND_INSECURE_REGISTRIES: "[]\n",
};

/** The job's Docker connection variables (the ones a runner's `environment` also sets). */
function connection(job: ExpandedJob): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.variables ?? {}).filter(([name]) => CONNECTION_NAMES.includes(name)),
  );
}

/** The service without its entrypoint script (checked by running it). */
function serviceShape(service: ExpandedService | undefined): Record<string, unknown> {
  assert.ok(service, "the job declares a service");
  const { entrypoint, ...rest } = service;
  assert.deepEqual(entrypoint?.slice(0, 2), ["/bin/sh", "-ec"]);
  assert.equal(entrypoint?.[3], "dind");
  return rest;
}

/** Index of the first script item containing `text`; fails when none does. */
function stepIndex(job: ExpandedJob, text: string): number {
  const index = (job.script ?? []).findIndex((item) => item.includes(text));
  assert.notEqual(index, -1, `a script item contains ${JSON.stringify(text)}`);
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

describe("docker-build component, expanded by gitlab-ci-local", () => {
  const pipelines = new Map<FixtureName, Readonly<Record<string, unknown>>>();
  const job = (name: FixtureName, jobName: string): ExpandedJob => {
    const pipeline = pipelines.get(name);
    assert.ok(pipeline, `fixture ${name} was expanded`);
    return jobOf(pipeline, jobName);
  };

  before(async () => {
    // Each run has its own temporary repository, so they can run at once.
    const expanded = await Promise.all(
      FIXTURE_NAMES.map((name) => previewPipeline(fixture(`${name}.gitlab-ci.yml`))),
    );
    FIXTURE_NAMES.forEach((name, index) => pipelines.set(name, expanded[index] ?? {}));
  });

  it("defaults: job docker-build in stage build, image docker:29.7.2-cli, its own TLS dind service", () => {
    const build = job("defaults", "docker-build");
    assert.deepEqual(jobNames(pipelines.get("defaults") ?? {}), ["docker-build"]);
    assert.equal(build.stage, "build");
    assert.deepEqual(build.image, { name: "docker:29.7.2-cli" });
    assert.deepEqual(build.tags, []);
    assert.deepEqual(build.inherit, { default: false });
    assert.deepEqual(build.variables, { ...TLS_CONNECTION, ...DEFAULT_BUILD_VARIABLES });
    assert.equal(build.services?.length, 1);
    assert.deepEqual(serviceShape(build.services?.[0]), {
      name: "docker:29.7.2-dind",
      alias: "docker",
      variables: { DOCKER_TLS_CERTDIR: "/certs" },
    });
  });

  it("script order: docker info, insecure-registry check, login, cache pull, build, push", () => {
    const build = job("defaults", "docker-build");
    const order = [
      stepIndex(build, "until docker info"),
      stepIndex(build, "docker info --format"),
      stepIndex(build, "docker login"),
      stepIndex(build, "docker pull"),
      stepIndex(build, "docker build"),
      stepIndex(build, "docker push"),
    ];
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.match(
      build.script?.[2] ?? "",
      /echo "\$CI_REGISTRY_PASSWORD" \| docker login "\$CI_REGISTRY" -u "\$CI_REGISTRY_USER" --password-stdin/,
    );
  });

  it("docker, TLS, job service: registries and build inputs reach the job, stage and name from inputs", () => {
    const build = job("docker-tls-job", "app-build");
    assert.deepEqual(jobNames(pipelines.get("docker-tls-job") ?? {}), ["app-build"]);
    assert.equal(build.stage, "package");
    assert.deepEqual(build.tags, ["saas-linux-small-amd64"]);
    assert.deepEqual(build.variables, {
      ...TLS_CONNECTION,
      DIND_BUILD_IMAGE: "registry.example.internal:5000/team/app",
      DIND_BUILD_TAG: "$CI_COMMIT_TAG",
      DIND_BUILD_CACHE_TAG: "buildcache",
      DIND_BUILD_CONTEXT: "app",
      DIND_BUILD_DOCKERFILE: "app/Containerfile",
      DIND_BUILD_ARGS: '["VERSION=$CI_COMMIT_TAG","GREETING=hello world"]\n',
      DIND_INSECURE_REGISTRIES: '["registry.example.internal:5000","10.0.0.9:5000"]\n',
    });
    assert.deepEqual(serviceShape(build.services?.[0]), {
      name: "docker:29.7.2-dind",
      alias: "docker",
      variables: { DOCKER_TLS_CERTDIR: "/certs" },
    });
  });

  it("docker, no TLS, job service: port 2375, empty DOCKER_TLS_CERTDIR, --tls=false, the pinned version", () => {
    const build = job("docker-plain-job", "plain-build");
    assert.deepEqual(build.image, { name: "docker:27.5.1-cli" });
    assert.deepEqual(connection(build), PLAIN_CONNECTION);
    assert.deepEqual(serviceShape(build.services?.[0]), {
      name: "docker:27.5.1-dind",
      alias: "docker",
      variables: { DOCKER_TLS_CERTDIR: "" },
      command: ["--tls=false"],
    });
  });

  it("kubernetes, no TLS, job service: no DOCKER_TLS_VERIFY or DOCKER_CERT_PATH, --tls=false", () => {
    const build = job("kubernetes-plain-job", "k8s-plain-build");
    assert.deepEqual(connection(build), PLAIN_CONNECTION);
    assert.deepEqual(serviceShape(build.services?.[0]), {
      name: "docker:29.7.2-dind",
      alias: "docker",
      variables: { DOCKER_TLS_CERTDIR: "" },
      command: ["--tls=false"],
    });
  });

  it("kubernetes, TLS, runner service: no service, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH of the runner's certificate directory set by the job", () => {
    const build = job("kubernetes-tls-runner", "k8s-build");
    assert.deepEqual(build.services, []);
    assert.deepEqual(build.tags, ["dind", "prod", "kubernetes"]);
    assert.deepEqual(connection(build), RUNNER_TLS_CONNECTION);
    assert.equal(
      build.variables?.["DIND_INSECURE_REGISTRIES"],
      '["registry.prod.example.internal:5000"]\n',
    );
  });

  it("docker, no TLS, runner service: no service, plain connection", () => {
    const build = job("docker-plain-runner", "plain-runner-build");
    assert.deepEqual(build.services, []);
    assert.deepEqual(connection(build), PLAIN_CONNECTION);
    assert.equal(build.variables?.["DIND_INSECURE_REGISTRIES"], "[]\n");
  });

  it("two includes with different prefixes give two jobs, each with its own settings", () => {
    assert.deepEqual(jobNames(pipelines.get("two-includes") ?? {}), ["api-build", "web-build"]);
    const api = job("two-includes", "api-build");
    const web = job("two-includes", "web-build");
    assert.deepEqual([api.services, connection(api)], [[], RUNNER_TLS_CONNECTION]);
    assert.equal(api.variables?.["DIND_BUILD_CONTEXT"], "api");
    assert.deepEqual(connection(web), PLAIN_CONNECTION);
    assert.deepEqual(web.services?.[0]?.command, ["--tls=false"]);
    assert.equal(web.variables?.["DIND_BUILD_CONTEXT"], "web");
  });

  it("a pipeline's default: image, services and before_script do not reach the job; its own DOCKER_HOST wins", () => {
    const pipeline = pipelines.get("pipeline-defaults") ?? {};
    const build = job("pipeline-defaults", "docker-build");
    assert.deepEqual(build.image, { name: "docker:29.7.2-cli" });
    assert.deepEqual(build.services, []);
    assert.equal(build.before_script, undefined);
    // Job variables take precedence over the pipeline's global DOCKER_HOST.
    assert.deepEqual(pipeline["variables"], { DOCKER_HOST: "tcp://docker:2375" });
    assert.equal(build.variables?.["DOCKER_HOST"], "tcp://docker:2376");
    assert.deepEqual(jobOf(pipeline, "rspec").before_script, ["bundle install"]);
  });
});

describe("docker-build component rejects bad inputs", () => {
  const include = (inputs: string): string =>
    `include:\n  - component: ${LOCAL_COMPONENT("docker-build")}\n    inputs:\n${inputs}`;

  it("an unpinned docker-version", async () => {
    await assert.rejects(
      gitlabCiLocal(include("      docker-version: latest\n"), ["--preview"]),
      /`docker-version` input: `latest` does not match required regex: \^\[0-9\]\+/,
    );
  });

  it("an executor that is not docker or kubernetes", async () => {
    await assert.rejects(
      gitlabCiLocal(include("      executor: shell\n"), ["--preview"]),
      /`executor` input: `shell` cannot be used because it is not in the list of allowed options/,
    );
  });

  it("tls given as a string", async () => {
    await assert.rejects(
      gitlabCiLocal(include('      tls: "false"\n'), ["--preview"]),
      /`tls` input: provided value is not a boolean/,
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
    CI_COMMIT_TAG: "1.2.3",
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

  /** The job's script with its variables as the runner would expand them, plus CI's own. */
  const runJob = (
    shell: (typeof SHELLS)[number],
    job: ExpandedJob,
    stub: DockerStub,
    overrides: Readonly<Record<string, string>> = {},
  ) => {
    const variables = { ...(job.variables ?? {}), ...overrides };
    return runScript(shell, job.script ?? [], { ...CI, ...expandVariables(variables, CI) }, stub);
  };

  for (const shell of SHELLS) {
    describe(shell.name, () => {
      it("runner service with the registry configured: info, check, login, pull, build, push, cache push", async () => {
        const result = await runJob(shell, runnerJob, {
          infoFailures: 2,
          insecure: "registry.prod.example.internal:5000 127.0.0.0/8 ",
        });
        assert.equal(result.code, 0, result.stderr);
        const image = "registry.gitlab.example.com/group/app";
        assert.deepEqual(result.dockerCalls, [
          ["info"],
          ["info"],
          ["info"],
          ["info"],
          [
            "info",
            "--format",
            "{{range .RegistryConfig.IndexConfigs}}{{if not .Secure}}{{.Name}} {{end}}{{end}}{{range .RegistryConfig.InsecureRegistryCIDRs}}{{.}} {{end}}",
          ],
          ["login", "registry.gitlab.example.com", "-u", "gitlab-ci-token", "--password-stdin"],
          ["pull", `${image}:cache`],
          [
            "build",
            "--file",
            "Dockerfile",
            "--tag",
            `${image}:0123abcd`,
            "--cache-from",
            `${image}:cache`,
            "--build-arg",
            "BUILDKIT_INLINE_CACHE=1",
            ".",
          ],
          ["push", `${image}:0123abcd`],
          ["tag", `${image}:0123abcd`, `${image}:cache`],
          ["push", `${image}:cache`],
        ]);
        assert.match(
          result.stdout,
          /insecure registry registry\.prod\.example\.internal:5000: configured in the daemon/,
        );
      });

      it("runner service without a needed insecure registry: fails before login, naming it and the fix", async () => {
        const result = await runJob(shell, runnerJob, { insecure: "127.0.0.0/8 " });
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr,
          "error: the Docker daemon at tcp://docker:2376 does not treat registry.prod.example.internal:5000 as insecure (its insecure registries: 127.0.0.0/8).\n" +
            "dind-service is runner: the runner's daemon.json decides; add the registry to dind.insecureRegistries of the runner in the stack config and deploy, or select runners that have it (tags input).\n",
        );
        assert.ok(!result.dockerCalls.some((call) => call[0] === "login" || call[0] === "build"));
      });

      it("no daemon within 30 attempts: fails with the daemon's error and a hint for runner mode", async () => {
        const result = await runJob(shell, runnerJob, { infoFailures: 1000 });
        assert.equal(result.code, 1);
        assert.equal(result.dockerCalls.length, 31);
        assert.match(
          result.stderr,
          /Cannot connect to the Docker daemon at tcp:\/\/docker:2376\. Is the docker daemon running\?\nerror: no Docker daemon answered at tcp:\/\/docker:2376 within 60 s\.\ndind-service is runner: run this job on dind-runners runners \(tags input\) and set the tls input to their dind\.tls\.\n$/,
        );
      });

      it("build args as GitLab writes list text (with spaces) and as gitlab-ci-local does", async () => {
        for (const list of [
          '["VERSION=1.2.3", "GREETING=hello world"]\n',
          '["VERSION=1.2.3","GREETING=hello world"]\n',
        ]) {
          const result = await runJob(
            shell,
            tlsJob,
            {
              insecure: "10.0.0.9:5000 registry.example.internal:5000 127.0.0.0/8 ",
              pullFails: true,
            },
            { DIND_BUILD_ARGS: list },
          );
          assert.equal(result.code, 0, result.stderr);
          const build = result.dockerCalls.find((call) => call[0] === "build");
          assert.deepEqual(build, [
            "build",
            "--file",
            "app/Containerfile",
            "--tag",
            "registry.example.internal:5000/team/app:1.2.3",
            "--cache-from",
            "registry.example.internal:5000/team/app:buildcache",
            "--build-arg",
            "BUILDKIT_INLINE_CACHE=1",
            "--build-arg",
            "VERSION=1.2.3",
            "--build-arg",
            "GREETING=hello world",
            "app",
          ]);
        }
      });

      it("push and cache off, no container registry: no login, no pull, no push", async () => {
        const result = await runJob(shell, plainJob, {}, { CI_REGISTRY: "" });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(
          result.dockerCalls.map((call) => call[0]),
          ["info", "info", "info", "build"],
        );
        assert.match(result.stdout, /CI_REGISTRY is not set/);
        assert.match(
          result.stdout,
          /push is false: registry\.gitlab\.example\.com\/group\/app:0123abcd stays/,
        );
      });

      it("job service: dind's entrypoint gets the service command plus one --insecure-registry per registry", async () => {
        const service = tlsJob.services?.[0];
        assert.ok(service?.entrypoint);
        for (const list of ['["registry.example.internal:5000", "10.0.0.9:5000"]\n', "[]\n"]) {
          const args = await dindEntrypointArgs(shell, service.entrypoint, ["--tls=false"], {
            DIND_INSECURE_REGISTRIES: list,
          });
          assert.deepEqual(
            args,
            list === "[]\n"
              ? ["--tls=false"]
              : [
                  "--tls=false",
                  "--insecure-registry=registry.example.internal:5000",
                  "--insecure-registry=10.0.0.9:5000",
                ],
          );
        }
      });
    });
  }
});
