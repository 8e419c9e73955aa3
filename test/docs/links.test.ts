/**
 * README.md and docs/ say only what exists: every relative link reaches a file
 * (and its anchor a heading, by the slug rules of both GitLab and GitHub, which
 * render these pages), every `npm run <script>` is a script of package.json, and
 * every stack config key named the docs' way (docs/configuration.md: a
 * backticked dotted path from the top, `dockerHosts[].runners[].dind.mtu`, or
 * from a settings block, `dind.mtu`) is a key of the schema.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";
import { stackConfigSchema } from "../../components/config/schema/stack-config-schema.js";

const REPO = join(__dirname, "..", "..");

/** README.md and every Markdown page under docs/. */
const PAGES: readonly string[] = [
  join(REPO, "README.md"),
  ...readdirSync(join(REPO, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(REPO, "docs", name)),
];

const shown = (path: string): string => relative(REPO, path);

/** The page's lines outside fenced code blocks (blanked inside, so line numbers stay). */
function prose(text: string): string {
  let fenced = false;
  return text
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return "";
      }
      return fenced ? "" : line;
    })
    .join("\n");
}

/** The inline code spans of prose text. */
function codeSpans(text: string): string[] {
  return [...prose(text).matchAll(/(`+)([^`]+?)\1/g)].map((match) => (match[2] ?? "").trim());
}

/** The text a heading renders as: code, links and emphasis reduced to their text. */
function headingText(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .replace(/\*/g, "")
    .trim();
}

/** GitHub's anchor (github-slugger): lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/**
 * GitLab's anchor (Banzai::Filter::TableOfContentsFilter): lower case, non-word
 * characters but `-` and space dropped, spaces as hyphens, runs of hyphens as one.
 */
export function gitlabSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-")
    .replace(/-+/g, "-");
}

/** The anchors a page's headings get under one slug rule; repeats get `-1`, `-2`, ... */
function anchors(text: string, slug: (text: string) => string): Set<string> {
  const found = new Set<string>();
  for (const match of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(headingText(match[1] ?? ""));
    let anchor = base;
    for (let n = 1; found.has(anchor); n++) anchor = `${base}-${n}`;
    found.add(anchor);
  }
  return found;
}

/** Inline links `[text](target)` of prose text, outside code spans. */
function links(text: string): string[] {
  const withoutCode = prose(text).replace(/(`+)[^`]+?\1/g, "");
  return [...withoutCode.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    (match) => match[1] ?? "",
  );
}

function brokenLinks(page: string): string[] {
  const text = readFileSync(page, "utf8");
  return links(text).flatMap((target) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return []; // https:, mailto:
    const [path = "", anchor] = target.split("#", 2);
    const file = path === "" ? page : join(dirname(page), decodeURIComponent(path));
    if (!existsSync(file)) return [`${shown(page)}: ${target}: no such file`];
    if (anchor === undefined || !file.endsWith(".md")) return [];
    const targetText = readFileSync(file, "utf8");
    const onGitlab = anchors(targetText, gitlabSlug).has(anchor);
    const onGithub = anchors(targetText, githubSlug).has(anchor);
    if (onGitlab && onGithub) return [];
    return [
      `${shown(page)}: ${target}: no heading with that anchor on ${[
        onGitlab ? "" : "GitLab",
        onGithub ? "" : "GitHub",
      ]
        .filter(Boolean)
        .join(" and ")}`,
    ];
  });
}

/** The JSON Schema of one value, as much of it as a key lookup reads. */
interface KeySchema {
  readonly properties?: Readonly<Record<string, KeySchema>>;
  readonly items?: KeySchema;
  readonly additionalProperties?: KeySchema | boolean;
  readonly anyOf?: readonly KeySchema[];
  readonly oneOf?: readonly KeySchema[];
}

const ROOT = z.toJSONSchema(stackConfigSchema, { unrepresentable: "any" }) as KeySchema;

/** Where a path the docs' way starts: the top of the stack, or a settings block. */
function startOf(first: string): KeySchema | undefined {
  const defaults = ROOT.properties?.defaults?.properties ?? {};
  if (first === "dind" || first === "jobPods") return defaults[first];
  if (first === "runners") return ROOT.properties?.dockerHosts?.items?.properties?.runners;
  return ROOT.properties?.[first];
}

const KEY_PATH =
  /^(?:gitlab|defaults|dockerHosts|kubernetesClusters|dind|jobPods|runners)(?:\[[^\]]*\])*(?:\.[A-Za-z][A-Za-z0-9]*(?:\[[^\]]*\])*)*$/;

function variants(schema: KeySchema): KeySchema[] {
  return [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
}

/** Whether a config path names a key of the schema. */
function isSchemaKey(path: string): boolean {
  const segments = path.match(/[A-Za-z][A-Za-z0-9]*|\[[^\]]*\]/g) ?? [];
  const [first = "", ...rest] = segments;
  let nodes: KeySchema[] = [startOf(first)].filter((node) => node !== undefined);
  for (const segment of rest) {
    nodes = nodes.flatMap(variants).flatMap((node) => {
      if (segment.startsWith("[")) {
        const inside = node.items ?? node.additionalProperties;
        return typeof inside === "object" ? [inside] : [];
      }
      const next = node.properties?.[segment];
      return next === undefined ? [] : [next];
    });
  }
  return nodes.length > 0;
}

/** Config paths a page names: key-like code spans (a `: value` after them cut) and `--path` arguments. */
function configPaths(text: string): string[] {
  const spans = codeSpans(text).map((span) => span.split(/:\s/, 1)[0]?.trim() ?? "");
  const pathArguments = [...text.matchAll(/--path\s+'?([^'\s]+)'?/g)].map(
    (match) => match[1] ?? "",
  );
  return [...spans, ...pathArguments].filter(
    (path) => KEY_PATH.test(path) && !/\.(ts|js|md|json|ya?ml)$/.test(path), // not defaults.ts
  );
}

describe("README.md and docs/", () => {
  it("are the pages checked here", () => {
    assert.ok(PAGES.length >= 10, `only ${PAGES.length} pages found`);
    assert.ok(readFileSync(join(REPO, "README.md")).length <= 20 * 1024, "README.md above 20 KB");
  });

  it("link only to files and headings that exist", () => {
    assert.deepEqual(PAGES.flatMap(brokenLinks), []);
  });

  it("name only npm scripts of package.json", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: object }).scripts,
    );
    const unknown = PAGES.flatMap((page) =>
      [...readFileSync(page, "utf8").matchAll(/npm run ([A-Za-z0-9:_-]+)/g)]
        .map((match) => match[1] ?? "")
        .filter((script) => !scripts.includes(script))
        .map((script) => `${shown(page)}: npm run ${script}`),
    );
    assert.deepEqual(unknown, []);
  });

  it("name only stack config keys of the schema", () => {
    const named = PAGES.flatMap((page) =>
      configPaths(readFileSync(page, "utf8")).map((path) => ({ page, path })),
    );
    assert.ok(named.length > 50, `only ${named.length} config paths found: is the scan broken?`);
    const unknown = named
      .filter(({ path }) => !isSchemaKey(path))
      .map(({ page, path }) => `${shown(page)}: ${path}`);
    assert.deepEqual(unknown, []);
  });
});

describe("the anchor rules", () => {
  it("follow GitLab and GitHub on this project's headings", () => {
    const heading = headingText("What `pulumi up` does on a Docker host");
    assert.equal(githubSlug(heading), "what-pulumi-up-does-on-a-docker-host");
    assert.equal(gitlabSlug(heading), "what-pulumi-up-does-on-a-docker-host");
    const spaced = headingText("`x509: certificate signed by unknown authority` / `certificate`");
    assert.equal(githubSlug(spaced), "x509-certificate-signed-by-unknown-authority--certificate");
    assert.equal(gitlabSlug(spaced), "x509-certificate-signed-by-unknown-authority-certificate");
  });

  it("find a key the schema does not have", () => {
    assert.equal(isSchemaKey("dockerHosts[].runners[].dind.mtu"), true);
    assert.equal(isSchemaKey("dockerHosts[0].runners[0].token"), true);
    assert.equal(isSchemaKey("jobPods.build.memoryLimit"), true);
    assert.equal(isSchemaKey("dind.mtuu"), false);
    assert.equal(isSchemaKey("gitlab.apiTokens"), false);
  });
});
