/**
 * Property: whatever stack file a user writes, `npm run render` either renders
 * it (exit 0, every config.toml key one GitLab Runner reads) or refuses it
 * (exit 1, at least one config path named, no stack trace, nothing written).
 * Stacks are generated valid, then one value is mutated: replaced by a value of
 * another kind or a known-bad one, deleted, duplicated, or joined by a key named
 * __proto__, constructor or a typo. The render runs in process (render-main.ts,
 * the command's own code) against real files in a temporary directory.
 *
 * Bounded for `npm test`: a fixed seed and run count (a failure prints the seed
 * and the shrunk counterexample; rerun with that seed to reproduce).
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { renderMain } from "../../components/cli/render-main.js";
import { formatIssues } from "../../components/config/messages/config-issue.js";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { rawConfigFromPulumi } from "../../components/config/read/pulumi-config.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { RENDER_MARKER_FILE } from "../../components/cli/output-directory.js";
import { unknownKeyPaths } from "../support/gitlab-runner-keys.js";
import { CERTIFICATE, ENCRYPTED, RENDER } from "../config/stack-values.js";

/** Fixed so every `npm test` checks the same stacks; change it to explore others. */
const SEED = 20261201;
/** Stacks through the loader and renderers in memory, valid and mutated each. */
const LOADER_RUNS = 750;
/** Mutated stack files through the command (a quarter as many valid ones). */
const COMMAND_RUNS = 100;
const STACK = "prop";

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "dind-runners-property-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// ---- valid stacks -------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const dind = fc.record(
  {
    dockerVersion: fc.constantFrom("28.5.2", "27.5.1", "29.0.0"),
    tls: fc.constant(true),
    storageDriver: fc.constantFrom("overlay2", "vfs"),
    insecureRegistries: fc.array(
      fc.constantFrom("registry.internal:5000", "10.0.0.7", "[fd00::1]:5000"),
      { maxLength: 2 },
    ),
    registryMirrors: fc.array(fc.constantFrom("https://mirror.internal", "http://10.0.0.9:5000"), {
      maxLength: 2,
    }),
    extraHosts: fc.dictionary(
      fc.constantFrom("registry.internal", "git.internal"),
      fc.constantFrom("10.0.0.5", "fd00::5"),
      { maxKeys: 2 },
    ),
    privilegeMode: fc.constant("services-only"),
  },
  { requiredKeys: [] },
);
/** Every cache type, with and without credentials (valid in production stacks too). */
const cache = fc.oneof(
  fc.constant({ type: "none" }),
  fc.record(
    {
      type: fc.constant("s3"),
      path: fc.constantFrom("ci", "team-a/cache"),
      shared: fc.boolean(),
      maxUploadedArchiveSize: fc.integer({ min: 0, max: 10_000_000_000 }),
      s3: fc.oneof(
        fc.constant({ bucketName: "runner-cache", authenticationType: "iam" }),
        fc.constant({ bucketName: "runner-cache", accessKey: ENCRYPTED, secretKey: ENCRYPTED }),
        fc.constant({
          serverAddress: "minio.internal:9000",
          bucketName: "runner.cache",
          pathStyle: true,
          accessKey: ENCRYPTED,
          secretKey: ENCRYPTED,
          sessionToken: ENCRYPTED,
        }),
        fc.constant({
          bucketName: "runner-cache",
          bucketLocation: "eu-central-1",
          roleArn: "arn:aws:iam::123456789012:role/cache",
          serverSideEncryption: "KMS",
          serverSideEncryptionKeyId: "alias/cache",
          dualStack: false,
          accelerate: true,
        }),
      ),
    },
    { requiredKeys: ["type", "s3"] },
  ),
  fc.record({
    type: fc.constant("gcs"),
    gcs: fc.constantFrom(
      { bucketName: "runner_cache" },
      {
        bucketName: "runner-cache",
        accessId: "ci@p.iam.gserviceaccount.com",
        privateKey: ENCRYPTED,
      },
    ),
  }),
  fc.record({
    type: fc.constant("azure"),
    azure: fc.constantFrom(
      { accountName: "runnercache", containerName: "cache" },
      {
        accountName: "runnercache",
        accountKey: ENCRYPTED,
        containerName: "cache",
        storageDomain: "blob.core.windows.net",
      },
    ),
  }),
);
const runnerSettings = {
  cache,
  limit: fc.integer({ min: 0, max: 4 }),
  requestConcurrency: fc.integer({ min: 1, max: 100 }),
  jobTimeoutSeconds: fc.integer({ min: 600, max: 2_592_000 }),
  buildImage: fc.constantFrom(
    "docker:28.5.2-cli",
    "registry.internal:5000/tools/docker:28",
    `alpine@sha256:${"a".repeat(64)}`,
  ),
};
const managerSettings = {
  runnerImage: fc.constantFrom(
    "gitlab/gitlab-runner:v19.3.0",
    "mirror.internal/gitlab/gitlab-runner:alpine-v19.3.0",
  ),
  concurrent: fc.integer({ min: 4, max: 1000 }),
  checkInterval: fc.integer({ min: 1, max: 3600 }),
  shutdownTimeoutSeconds: fc.integer({ min: 1, max: 86_400 }),
  listenAddress: fc.constantFrom(":9252", "127.0.0.1:9252"),
};
const targetSettings = fc.record(
  {
    ...managerSettings,
    ...runnerSettings,
    dind: fc
      .tuple(dind, fc.boolean())
      .map(([d, overlay]) => ({ ...d, manageOverlayModule: overlay })),
  },
  { requiredKeys: [] },
);
const runner = fc.record(
  {
    tags: fc.array(label, { minLength: 1, maxLength: 3 }),
    token: fc.constant(ENCRYPTED),
    ...runnerSettings,
    dind,
  },
  { requiredKeys: ["tags"] },
);
const endpoint = fc.constantFrom("ssh", "tcp", "unix");

interface Values {
  [key: string]: unknown;
}

/** Names, endpoints and namespaces are made unique by index: uniqueness is not what varies. */
const validStack = fc
  .record({
    production: fc.boolean(),
    defaults: targetSettings,
    hosts: fc.array(
      fc.record({
        kind: endpoint,
        settings: targetSettings,
        runners: fc.array(runner, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    clusters: fc.array(
      fc.record({
        context: label,
        settings: targetSettings,
        runners: fc.array(runner, { minLength: 1, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map(({ production, defaults, hosts, clusters }): Values => {
    let runnerCount = 0;
    const named = (runners: readonly Values[]) =>
      runners.map((r) => ({ name: `runner-${runnerCount++}`, ...r }));
    const withUnix = hosts.findIndex((host) => host.kind === "unix");
    return {
      production,
      gitlab: { url: "https://gitlab.example.com" },
      defaults,
      dockerHosts: hosts.map((host, i) => ({
        name: `host-${i}`,
        ...hostEndpoint(host.kind === "unix" && i !== withUnix ? "ssh" : host.kind, i),
        ...host.settings,
        runners: named(host.runners),
      })),
      kubernetesClusters: clusters.map((cluster, i) => ({
        name: `cluster-${i}`,
        context: cluster.context,
        namespace: `runners-${i}`,
        ...cluster.settings,
        runners: named(cluster.runners),
      })),
    };
  });

function hostEndpoint(kind: string, index: number): Values {
  if (kind === "unix") return { endpoint: "unix:///var/run/docker.sock" };
  if (kind === "ssh") return { endpoint: `ssh://deploy@host-${index}.example.internal` };
  return {
    endpoint: `tcp://host-${index}.example.internal:2376`,
    tls: { caCert: CERTIFICATE, clientCert: CERTIFICATE, clientKey: ENCRYPTED },
  };
}

// ---- mutations ----------------------------------------------------------------------

const BAD_VALUES: readonly unknown[] = [
  "",
  " ",
  "UPPER",
  "a\u0000b",
  "line\nfeed",
  "x".repeat(300),
  -1,
  1e9,
  3.5,
  true,
  null,
  [],
  {},
  { secure: "" },
  "https:host.example",
  "ssh://user:password@host",
  "Docker:latest",
  "docker@sha256:abc",
  "latest",
  "tcp://host:2375",
  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
  "glrt-plaintext",
];

type Mutation =
  | { readonly kind: "replace"; readonly value: unknown }
  | { readonly kind: "delete" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "addKey"; readonly key: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...BAD_VALUES).map((value): Mutation => ({ kind: "replace", value })),
  fc.constant<Mutation>({ kind: "delete" }),
  fc.constant<Mutation>({ kind: "duplicate" }),
  fc
    .constantFrom("__proto__", "constructor", "prototype", "tokn", "Name")
    .map((key): Mutation => ({ kind: "addKey", key })),
);

/** Every place in the tree a mutation can hit, as parent + key. */
function places(
  value: unknown,
  found: { parent: Values | unknown[]; key: string | number }[] = [],
) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      found.push({ parent: value, key: index });
      places(item, found);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      found.push({ parent: value as Values, key });
      places((value as Values)[key], found);
    }
  }
  return found;
}

function mutated(stack: Values, at: number, change: Mutation): Values {
  const copy = structuredClone(stack);
  const all = places(copy);
  const place = all[at % all.length];
  if (place === undefined) return copy;
  const { parent, key } = place;
  const target = Array.isArray(parent) ? parent[key as number] : parent[key as string];
  switch (change.kind) {
    case "replace":
      define(parent, key, structuredClone(change.value));
      break;
    case "delete":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.push(structuredClone(target));
      else define(parent, key, [target, target]);
      break;
    case "addKey":
      if (typeof target === "object" && target !== null && !Array.isArray(target)) {
        define(target as Values, change.key, "x");
      } else define(parent, key, { [change.key]: target });
      break;
  }
  return copy;
}

/** Sets an own property, even one named __proto__. */
function define(parent: Values | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(parent, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

// ---- the properties -----------------------------------------------------------------

/**
 * The loader and renderers, as `pulumi up` feeds them (each top-level value as
 * JSON text, through rawConfigFromPulumi): never a throw; a stack either renders
 * with only GitLab Runner keys or is refused with at least one config path.
 */
function loadAndRender(values: Values): "rendered" | "refused" {
  const allConfig = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [`dind-runners:${key}`, JSON.stringify(value)]),
  );
  const loaded = loadFleet(rawConfigFromPulumi(allConfig, STACK), RENDER);
  if (!loaded.ok) {
    const errors = loaded.issues.filter((issue) => issue.severity === "error");
    assert.ok(
      errors.some((issue) => issue.path !== ""),
      `refused without a config path:\n${formatIssues(loaded.issues)}`,
    );
    return "refused";
  }
  for (const file of renderFleetFiles(loaded.fleet, redactedSecretText)) {
    if (file.path.endsWith("config.toml")) {
      assert.deepEqual(unknownKeyPaths(file.content), [], file.path);
    }
  }
  return "rendered";
}

let runCount = 0;

/**
 * `npm run render` on `values` written as a stack file, in process: exit 0 with
 * the files and only GitLab Runner keys, or exit 1 naming a config path, without
 * a stack trace and without writing anything.
 */
async function renderCommand(values: Values): Promise<"rendered" | "refused"> {
  const run = runCount++;
  const stacksDir = join(dir, `stacks-${run}`);
  const out = join(dir, `out-${run}`);
  const config = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [`dind-runners:${key}`, value]),
  );
  mkdirSync(stacksDir);
  writeFileSync(join(stacksDir, `Pulumi.${STACK}.yaml`), stringify({ config }));
  let stdout = "";
  let stderr = "";
  const code = await renderMain(["--stack", STACK, "--stacks-dir", stacksDir, "--out", out], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  try {
    if (code === 0) {
      assert.equal(stderr, "");
      const written = readdirSync(out, { recursive: true }).map(String);
      assert.ok(written.includes(RENDER_MARKER_FILE));
      for (const file of written.filter((path) => path.endsWith("config.toml"))) {
        assert.deepEqual(unknownKeyPaths(readFileSync(join(out, file), "utf8")), [], file);
      }
      return "rendered";
    }
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(existsSync(out), false, "nothing written");
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    assert.match(stderr, /^error: [^ :]+[^:]*: /m, `no config path named:\n${stderr}`);
    return "refused";
  } finally {
    rmSync(stacksDir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

describe("generated stacks: rendered with only GitLab Runner keys, or refused with a config path", () => {
  it(`loads and renders ${LOADER_RUNS} valid and ${LOADER_RUNS} mutated stacks`, () => {
    const outcomes = { rendered: 0, refused: 0 };
    fc.assert(
      fc.property(validStack, (stack) => {
        assert.equal(loadAndRender(stack), "rendered");
      }),
      { numRuns: LOADER_RUNS, seed: SEED },
    );
    fc.assert(
      fc.property(validStack, fc.nat(), mutation, (stack, at, change) => {
        outcomes[loadAndRender(mutated(stack, at, change))]++;
      }),
      { numRuns: LOADER_RUNS, seed: SEED },
    );
    // Both outcomes must be exercised, or the mutations test nothing.
    assert.ok(
      outcomes.rendered > LOADER_RUNS / 10 && outcomes.refused > LOADER_RUNS / 2,
      JSON.stringify(outcomes),
    );
  });

  it(`npm run render writes all or nothing for ${COMMAND_RUNS} stack files`, async () => {
    await fc.assert(
      fc.asyncProperty(validStack, async (stack) => {
        assert.equal(await renderCommand(stack), "rendered");
      }),
      { numRuns: COMMAND_RUNS / 4, seed: SEED },
    );
    await fc.assert(
      fc.asyncProperty(validStack, fc.nat(), mutation, async (stack, at, change) => {
        await renderCommand(mutated(stack, at, change));
      }),
      { numRuns: COMMAND_RUNS, seed: SEED },
    );
  });
});
