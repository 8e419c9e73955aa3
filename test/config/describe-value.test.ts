import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  expectedFound,
  quoted,
  withoutCredentials,
} from "../../components/config/messages/describe-value.js";
import { problemsOf, validValues } from "./stack-values.js";

describe("quoted", () => {
  it("cuts text after 60 characters", () => {
    assert.equal(quoted("a".repeat(60)), `"${"a".repeat(60)}"`);
    assert.equal(quoted("b".repeat(61)), `"${"b".repeat(60)}..."`);
  });

  it("escapes control characters instead of sending them to the terminal", () => {
    assert.equal(quoted("red\u001b[31m\n"), '"red\\u001b[31m\\n"');
  });

  it("masks credentials inside URLs", () => {
    assert.equal(quoted("ssh://deploy:hunter2@build-1:22"), '"ssh://deploy:***@build-1:22"');
    assert.equal(
      quoted("https://glpat-secret@gitlab.example.com"),
      '"https://***@gitlab.example.com"',
    );
    assert.equal(quoted("ssh://deploy@build-1"), '"ssh://deploy@build-1"');
  });
});

describe("withoutCredentials", () => {
  it("masks every URL in a text and leaves e-mail-like text alone", () => {
    assert.equal(
      withoutCredentials("from http://u:p@a to tcp://x:y@b, ops@example.com"),
      "from http://u:***@a to tcp://x:***@b, ops@example.com",
    );
  });
});

describe("expectedFound", () => {
  it("describes maps and lists by their shape, never as [object Object]", () => {
    assert.equal(expectedFound("a string", {}), "expected a string, found an empty map");
    assert.equal(
      expectedFound("a string", { url: "x", ca: "y" }),
      'expected a string, found a map with keys "url", "ca"',
    );
    assert.equal(
      expectedFound("a string", { a: 1, b: 2, c: 3, d: 4 }),
      'expected a string, found a map with keys "a", "b", "c", ... (4 keys)',
    );
    assert.equal(expectedFound("a string", [1, 2]), "expected a string, found a list of 2 entries");
    assert.equal(expectedFound("a string", []), "expected a string, found an empty list");
  });
});

describe("messages of a bad stack never leak or flood", () => {
  it("never echoes the password of an ssh endpoint", () => {
    const values = validValues();
    values.dockerHosts[0]!["endpoint"] = "ssh://deploy:hunter2@build-1.example.internal";
    const problems = problemsOf(values);
    assert.equal(
      problems,
      [
        'stack "test": 1 error',
        'error: dockerHosts[0].endpoint: expected ssh://user@host[:port] such as ssh://deploy@build-1.example.internal, found "ssh://deploy:***@build-1.example.internal"',
      ].join("\n"),
    );
  });

  it("cuts a pasted value at about 60 characters", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["name"] = "x".repeat(500);
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        `error: dockerHosts[0].runners[0].name: expected a name of lowercase letters, digits and "-" that starts and ends with a letter or digit, at most 63 characters, found "${"x".repeat(60)}..."`,
      ].join("\n"),
    );
  });

  it("describes a map found where text was expected, and keys named like Object members", () => {
    const values = validValues();
    values.gitlab["url"] = { host: "gitlab.example.com" };
    Object.defineProperty(values.defaults, "constructor", { value: 1, enumerable: true });
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 errors',
        'error: gitlab.url: expected an https URL such as https://gitlab.example.com, found a map with key "host"',
        'error: defaults.constructor: unknown key "constructor": no config key is named __proto__, constructor or prototype; remove it',
      ].join("\n"),
    );
  });
});
