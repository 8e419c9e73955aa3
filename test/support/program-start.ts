/**
 * How Pulumi starts this project's program, read from Pulumi.yaml: the node
 * arguments (`runtime.options.nodeargs`) and the entry point (`main`, else the
 * package's `main`), as the Node language host combines them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";

export interface ProgramStart {
  /** `nodeargs`, split on whitespace (the language host splits it like a shell). */
  readonly nodeArgs: readonly string[];
  /** The program's entry file, relative to the project root. */
  readonly main: string;
}

interface PulumiYaml {
  main?: string;
  runtime?: { options?: { nodeargs?: string } };
}

export function readProgramStart(projectRoot: string): ProgramStart {
  const project = YAML.parse(readFileSync(join(projectRoot, "Pulumi.yaml"), "utf8")) as PulumiYaml;
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
    main?: string;
  };
  const nodeargs = project.runtime?.options?.nodeargs ?? "";
  return {
    nodeArgs: nodeargs.split(/\s+/).filter((arg) => arg !== ""),
    main: project.main ?? pkg.main ?? "index.js",
  };
}
