import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestWord } from "../../components/config/messages/did-you-mean.js";

const RUNNER_KEYS = ["name", "tags", "token", "limit", "requestConcurrency", "dind"];

describe("closestWord", () => {
  it("finds typos: a missing letter, swapped letters, wrong case", () => {
    assert.equal(closestWord("tokn", RUNNER_KEYS), "token");
    assert.equal(closestWord("lmiit", RUNNER_KEYS), "limit");
    assert.equal(closestWord("RequestConcurrency", RUNNER_KEYS), "requestConcurrency");
    assert.equal(closestWord("requestConcurency", RUNNER_KEYS), "requestConcurrency");
  });

  it("suggests nothing for a word that is not close to any", () => {
    assert.equal(closestWord("privileged", RUNNER_KEYS), undefined);
    assert.equal(closestWord("x", []), undefined);
  });
});
