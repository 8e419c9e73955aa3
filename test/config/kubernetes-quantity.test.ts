import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  quantityProblem,
  type Quantity,
} from "../../components/config/grammars/kubernetes-quantity.js";

function quantity(text: string): Quantity {
  const parsed = parseQuantity(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
}

/** The quantity as a plain number (exact for the values used here). */
function value(text: string): number {
  const { numerator, denominator } = quantity(text);
  return Number(numerator) / Number(denominator);
}

describe("Kubernetes quantities", () => {
  it("reads decimal, binary and exponent suffixes as Kubernetes does", () => {
    assert.equal(value("500m"), 0.5);
    assert.equal(value("2"), 2);
    assert.equal(value("1.5"), 1.5);
    assert.equal(value(".5"), 0.5);
    assert.equal(value("1."), 1);
    assert.equal(value("1Ki"), 1024);
    assert.equal(value("1Gi"), 1024 ** 3);
    assert.equal(value("1.5Gi"), 1.5 * 1024 ** 3);
    assert.equal(value("20G"), 20e9);
    assert.equal(value("1k"), 1000);
    assert.equal(value("100u"), 0.0001);
    assert.equal(value("1E"), 1e18);
    assert.equal(value("1e3"), 1000);
    assert.equal(value("15E-1"), 1.5);
  });

  it("refuses what resource.ParseQuantity refuses, and signs and zero", () => {
    for (const text of ["", "Gi", "1GB", "1gi", "1 Gi", "1e", "1.5.5", "-1", "+1", "1Gi ", "one"]) {
      assert.equal(parseQuantity(text), undefined, JSON.stringify(text));
    }
    assert.equal(
      quantityProblem("20GB"),
      'expected a Kubernetes quantity such as 500m, 2, 512Mi, 1Gi or 20G, found "20GB"',
    );
    assert.equal(quantityProblem("0"), 'expected a quantity above zero, found "0"');
    assert.equal(quantityProblem("0.0Gi"), 'expected a quantity above zero, found "0.0Gi"');
    assert.equal(quantityProblem("1Gi"), undefined);
  });

  it("compares exactly across suffixes", () => {
    assert.equal(compareQuantities(quantity("1Gi"), quantity("1G")), 1);
    assert.equal(compareQuantities(quantity("1000M"), quantity("1G")), 0);
    assert.equal(compareQuantities(quantity("1500m"), quantity("2")), -1);
    assert.equal(compareQuantities(quantity("0.5"), quantity("500m")), 0);
    assert.equal(
      compareQuantities(addQuantities([quantity("10Gi"), quantity("24Gi")]), quantity("34Gi")),
      0,
    );
  });
});
