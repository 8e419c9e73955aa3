import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  configError,
  configWarning,
  FleetConfigError,
  formatIssues,
} from "../../components/config/messages/config-issue.js";

const issues = [
  configWarning("dockerHosts[0].runners[0].token", "expected a token"),
  configError("gitlab.url", "expected https"),
  configError("", "expected at least one Docker host"),
];

describe("formatIssues", () => {
  it("counts, then lists errors before warnings, one per line", () => {
    assert.equal(
      formatIssues(issues, "prod"),
      [
        'stack "prod": 2 errors, 1 warning',
        "error: gitlab.url: expected https",
        "error: expected at least one Docker host",
        "warning: dockerHosts[0].runners[0].token: expected a token",
      ].join("\n"),
    );
  });

  it("names the stack only when it is known, and says when there is nothing to report", () => {
    assert.equal(
      formatIssues([configError("gitlab", "missing")]),
      "stack config: 1 error\nerror: gitlab: missing",
    );
    assert.equal(formatIssues([], "dev"), 'stack "dev": no problems');
  });
});

describe("FleetConfigError", () => {
  it("carries the issues and uses their formatted list as its message", () => {
    const error = new FleetConfigError(issues, "prod");
    assert.equal(error.message, formatIssues(issues, "prod"));
    assert.equal(error.issues, issues);
    assert.equal(error.name, "FleetConfigError");
  });
});
