/**
 * The stand-ins of the Pulumi engine refuse what the engine refuses: a second
 * resource with the same URN (type, name and parent's type chain). A tiny
 * program declaring two same-named children of one component is refused by the
 * in-process engine (started as the Node language host starts a program) and
 * by the mocks harness, with the engine's message.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startFakeEngine } from "../support/fake-pulumi-engine.js";
import { runAsLanguageHost } from "../support/language-host.js";
import { REPO } from "../support/run-cli.js";
import { runJsonChild } from "../support/json-child.js";
import type { DuplicateUrnReport } from "./duplicate-urn-child.js";

const PROGRAM = join(REPO, "test", "program", "fixtures", "duplicate-urn");
const CHILD_TYPE = "test:index:Parent$test:index:Child";

describe("a program declaring two children with the same type and name under one parent", () => {
  it("is refused by the in-process engine, as `pulumi up` refuses it: an error naming the URN, the second child not registered", async () => {
    const engine = await startFakeEngine("duplicate-urn", "test");
    try {
      const run = await runAsLanguageHost({
        projectRoot: PROGRAM,
        project: "duplicate-urn",
        organization: "dind-runners-test",
        stack: "test",
        engineAddress: engine.address,
        config: {},
        secretKeys: [],
      });
      const urn = `urn:pulumi:test::duplicate-urn::${CHILD_TYPE}::same`;
      assert.deepEqual(
        engine.logs.filter((log) => log.severity === "ERROR"),
        [
          {
            severity: "ERROR",
            message: `Duplicate resource URN '${urn}'; try giving it a unique name`,
            urn,
          },
        ],
        `${run.stderr}${run.stdout}`,
      );
      assert.deepEqual(
        engine.registrations.map((r) => r.urn),
        [
          "urn:pulumi:test::duplicate-urn::pulumi:pulumi:Stack::duplicate-urn-test",
          "urn:pulumi:test::duplicate-urn::test:index:Parent::parent",
          urn,
        ],
      );
    } finally {
      await engine.close();
    }
  });

  it("is refused by the mocks harness with the engine's message, and the program fails with it", async () => {
    const report = await runJsonChild<DuplicateUrnReport>([
      "--import",
      "tsx",
      "test/program/duplicate-urn-child.ts",
    ]);
    const urn = `urn:pulumi:test::dind-runners::${CHILD_TYPE}::same`;
    const message = `Duplicate resource URN '${urn}'; try giving it a unique name`;
    assert.deepEqual(report, {
      refused: [message],
      urns: ["urn:pulumi:test::dind-runners::test:index:Parent::parent", urn],
      programErrors: [`failed to register new resource same [test:index:Child]: ${message}`],
    });
  });
});
