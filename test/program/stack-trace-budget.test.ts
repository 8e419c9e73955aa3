import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withoutPromiseStackTraces } from "../../components/program/stack-trace-budget.js";

describe("withoutPromiseStackTraces", () => {
  it("records no stack frames while declaring, and restores the limit afterwards", () => {
    const before = Error.stackTraceLimit;
    const stack = withoutPromiseStackTraces(() => new Error("inside").stack, {});
    assert.equal(stack, "Error: inside");
    assert.equal(Error.stackTraceLimit, before);
    assert.match(new Error("after").stack ?? "", /\n {4}at /);
  });

  it("restores the limit when the declaration throws", () => {
    const before = Error.stackTraceLimit;
    assert.throws(
      () =>
        withoutPromiseStackTraces(() => {
          throw new Error("bad");
        }, {}),
      /bad/,
    );
    assert.equal(Error.stackTraceLimit, before);
  });

  it("keeps every frame when PULUMI_DEBUG_PROMISE_LEAKS asks for the traces", () => {
    const stack = withoutPromiseStackTraces(() => new Error("inside").stack, {
      PULUMI_DEBUG_PROMISE_LEAKS: "1",
    });
    assert.match(stack ?? "", /\n {4}at /);
  });
});
