/**
 * Rules every component template follows (GitLab's component guidelines plus
 * this project's): inputs declared, used and described, with defaults their
 * own type/options/regex accept; job names from the job-prefix input and
 * stages from inputs; no global keywords; pinned images only.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "./gitlab-ci-local.js";

interface InputSpec {
  readonly type?: string;
  readonly default?: unknown;
  readonly description?: unknown;
  readonly options?: readonly unknown[];
  readonly regex?: string;
}

interface Template {
  readonly path: string;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  /** The configuration after the header, as written (before interpolation). */
  readonly bodyText: string;
  readonly body: Readonly<Record<string, unknown>>;
}

const TEMPLATES_DIR = join(REPO_ROOT, "templates");

/** templates/<name>.yml and templates/<name>/template.yml: the layout GitLab reads components from. */
function templatePaths(): string[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? [join(entry.name, "template.yml")]
        : entry.name.endsWith(".yml")
          ? [entry.name]
          : [],
    )
    .sort();
}

function readTemplate(path: string): Template {
  const text = readFileSync(join(TEMPLATES_DIR, path), "utf8");
  const documents = parseAllDocuments(text);
  assert.ok(Array.isArray(documents), `${path} is valid YAML`);
  assert.equal(documents.length, 2, `${path}: a spec header, ---, then the configuration`);
  const [header, body] = documents;
  for (const document of documents) assert.deepEqual(document.errors, [], path);
  const spec = (header?.toJS() as { spec?: { inputs?: Record<string, InputSpec | null> } }).spec;
  assert.ok(spec?.inputs, `${path} declares spec:inputs`);
  const inputs = Object.fromEntries(
    Object.entries(spec.inputs).map(([name, input]) => [name, input ?? {}]),
  );
  const bodyStart = body?.range[0] ?? text.length;
  return {
    path,
    inputs,
    bodyText: text.slice(bodyStart),
    body: (body?.toJS() ?? {}) as Record<string, unknown>,
  };
}

const INTERPOLATION = /\$\[\[\s*inputs\.([\w-]+)\s*(?:\|[^\]]*)?\]\]/g;
const usedInputs = (text: string): Set<string> =>
  new Set([...text.matchAll(INTERPOLATION)].map((match) => match[1] ?? ""));

/** Keywords that act on every job of the pipeline, or the pipeline itself. */
const GLOBAL_KEYWORDS = [
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
];

const PINNED_IMAGE = /^[^\s:@]+(?::\d+)?\/?[^\s:@]*(:\S*\d+\.\d+\.\d+\S*|@sha256:[0-9a-f]{64})$/;

function typeOf(value: unknown): string {
  return Array.isArray(value) ? "array" : typeof value;
}

/** Every image and service image name in the configuration. */
function imageNames(body: Readonly<Record<string, unknown>>): string[] {
  const names: string[] = [];
  const nameOf = (value: unknown): string | undefined =>
    typeof value === "string"
      ? value
      : typeof value === "object" && value !== null && "name" in value
        ? String(value.name)
        : undefined;
  for (const job of Object.values(body)) {
    if (typeof job !== "object" || job === null) continue;
    const { image, services } = job as { image?: unknown; services?: unknown };
    const imageName = nameOf(image);
    if (imageName !== undefined) names.push(imageName);
    if (Array.isArray(services)) {
      for (const service of services) {
        const serviceName = nameOf(service);
        if (serviceName !== undefined) names.push(serviceName);
      }
    }
  }
  return names;
}

describe("component templates", () => {
  const paths = templatePaths();

  it("the components are dind-check, docker-build and fleet, in GitLab's templates/<name>/template.yml layout", () => {
    assert.deepEqual(paths, [
      "dind-check/template.yml",
      "docker-build/template.yml",
      "fleet/template.yml",
    ]);
  });

  for (const path of paths) {
    describe(path, () => {
      const template = readTemplate(path);
      const declared = Object.keys(template.inputs);
      const used = usedInputs(template.bodyText);

      it("every input used in the configuration is declared", () => {
        assert.deepEqual(
          [...used].filter((name) => !declared.includes(name)),
          [],
        );
      });

      it("every declared input is used", () => {
        assert.deepEqual(
          declared.filter((name) => !used.has(name)),
          [],
        );
      });

      it("every input has a description", () => {
        const undescribed = declared.filter((name) => {
          const description = template.inputs[name]?.description;
          return typeof description !== "string" || description.trim() === "";
        });
        assert.deepEqual(undescribed, []);
      });

      it("every input has a default its type, options and regex accept", () => {
        for (const [name, input] of Object.entries(template.inputs)) {
          assert.ok("default" in input, `${name} has a default`);
          assert.equal(typeOf(input.default), input.type ?? "string", `${name}: default type`);
          if (input.options !== undefined) {
            assert.ok(input.options.includes(input.default), `${name}: default among options`);
          }
          if (input.regex !== undefined) {
            assert.match(
              String(input.default),
              new RegExp(input.regex),
              `${name}: default matches regex`,
            );
          }
        }
      });

      it("has a job-prefix input and no global keywords", () => {
        assert.ok(declared.includes("job-prefix"));
        assert.deepEqual(
          Object.keys(template.body).filter((key) => GLOBAL_KEYWORDS.includes(key)),
          [],
        );
      });

      it("every job (hidden ones too) is named after the job-prefix input", () => {
        const prefix = /^\.?\$\[\[ inputs\.job-prefix \]\]-[a-z]/;
        assert.deepEqual(
          Object.keys(template.body).filter((name) => !prefix.test(name)),
          [],
        );
      });

      it("every job's stage is an input", () => {
        for (const [name, job] of Object.entries(template.body)) {
          if (name.startsWith(".")) continue;
          const stage = (job as { stage?: unknown }).stage;
          const match =
            typeof stage === "string" ? /^\$\[\[ inputs\.([\w-]+) \]\]$/.exec(stage) : null;
          assert.ok(match, `${name}: stage ${String(stage)} is an input`);
          assert.ok(declared.includes(match[1] ?? ""), `${name}: stage input is declared`);
        }
      });

      it("every image is pinned: with defaults filled in, and through a regex-checked input", () => {
        const images = imageNames(template.body);
        assert.ok(images.length > 0);
        for (const image of images) {
          const withDefaults = image.replace(INTERPOLATION, (_text, name: string) =>
            String(template.inputs[name]?.default),
          );
          assert.match(withDefaults, PINNED_IMAGE, `${image} with defaults is pinned`);
          for (const name of usedInputs(image)) {
            assert.ok(template.inputs[name]?.regex, `${image}: input ${name} has a regex`);
          }
        }
      });
    });
  }
});

describe(".gitlab-ci.yml", () => {
  const pipeline = parseAllDocuments(readFileSync(join(REPO_ROOT, ".gitlab-ci.yml"), "utf8"));

  it("uses pinned images only", () => {
    assert.ok(Array.isArray(pipeline) && pipeline.length === 1);
    const body = pipeline[0]?.toJS() as Record<string, unknown>;
    const images = imageNames(body);
    assert.deepEqual(
      images.filter((image) => !PINNED_IMAGE.test(image)),
      [],
    );
    assert.ok(images.length >= 3);
  });
});
