/** The text exposition format of this project's own metric files. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { prometheusText } from "../../components/metrics/prometheus-text.js";

describe("prometheusText", () => {
  it("writes HELP, TYPE and samples in order, escaping label values, and leaves out empty families", () => {
    assert.equal(
      prometheusText([
        {
          name: "a_total",
          help: "Counts a\\b.",
          type: "counter",
          samples: [
            { labels: { k: 'say "hi"\\\n' }, value: 2 },
            { labels: {}, value: 0.5 },
          ],
        },
        { name: "b", help: "Nothing.", type: "gauge", samples: [] },
      ]),
      [
        "# HELP a_total Counts a\\\\b.",
        "# TYPE a_total counter",
        'a_total{k="say \\"hi\\"\\\\\\n"} 2',
        "a_total 0.5",
        "",
      ].join("\n"),
    );
  });
});
