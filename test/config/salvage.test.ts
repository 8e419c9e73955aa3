import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { salvage } from "../../components/config/schema/salvage.js";

describe("salvage", () => {
  it("cuts out invalid values, keeping list indices and the input untouched", () => {
    const input = {
      gitlab: { url: "http://gitlab.example.com" },
      dockerHosts: [{ name: "Bad_Name", runners: [{ name: "r" }] }, "not a host", { name: "ok" }],
    };
    const { value, prunedPaths } = salvage<Record<string, unknown>>(input, [
      { path: ["gitlab", "url"], keysOnly: false },
      { path: ["dockerHosts", 0, "name"], keysOnly: false },
      { path: ["dockerHosts", 1], keysOnly: false },
      { path: ["dockerHosts", 2], keysOnly: true },
      { path: ["nowhere", 3, "x"], keysOnly: false },
    ]);
    assert.deepEqual(value, {
      gitlab: {},
      dockerHosts: [{ runners: [{ name: "r" }] }, undefined, { name: "ok" }],
    });
    assert.deepEqual([...prunedPaths], ["gitlab.url", "dockerHosts[0].name", "dockerHosts[1]"]);
    assert.equal(input.gitlab.url, "http://gitlab.example.com");
  });

  it("leaves an empty config when the whole input is unusable", () => {
    assert.deepEqual(salvage("config", [{ path: [], keysOnly: false }]).value, {});
  });
});
