/**
 * Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `20G`, `1e3`), read
 * the way GitLab Runner reads the job pod keys: it hands each one to
 * Kubernetes' `resource.ParseQuantity` (gitlab-runner
 * executors/kubernetes/util.go createResourceList; a bad value fails every
 * job at pod creation; a bad empty_dir `size_limit` is only logged and
 * dropped, kubernetes.go parseVolumeSizeLimit).
 *
 * The grammar is apimachinery's: a decimal number, then a binary suffix (Ki
 * Mi Gi Ti Pi Ei), a decimal suffix (n u m "" k M G T P E) or an exponent
 * (`e3`, `E-2`). Signs are refused here: a negative request or limit is
 * invalid, and nobody writes `+1Gi`. Zero is refused too: a zero limit or
 * size limit is never meant.
 */
import { quoted } from "../messages/describe-value.js";

const QUANTITY =
  /^(?<integer>[0-9]*)(?:\.(?<fraction>[0-9]*))?(?<suffix>[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$/;

const BINARY_POWERS: Readonly<Record<string, bigint>> = {
  Ki: 10n,
  Mi: 20n,
  Gi: 30n,
  Ti: 40n,
  Pi: 50n,
  Ei: 60n,
};

const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/** An exact non-negative quantity: `numerator / denominator`. */
export interface Quantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const QUANTITY_FORM = "a Kubernetes quantity such as 500m, 2, 512Mi, 1Gi or 20G";

/** The quantity `text` stands for, or undefined when Kubernetes would not parse it. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  const integer = match?.groups?.["integer"] ?? "";
  const fraction = match?.groups?.["fraction"] ?? "";
  if (match === null || integer + fraction === "") return undefined;
  const suffix = match.groups?.["suffix"] ?? "";
  let numerator = BigInt(integer + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  const binary = BINARY_POWERS[suffix];
  let exponent = 0;
  if (binary !== undefined) numerator *= 2n ** binary;
  else if (/^[eE][+-]?[0-9]/.test(suffix)) exponent = Number(suffix.slice(1));
  else if (suffix !== "") exponent = DECIMAL_EXPONENTS[suffix] ?? 0;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  return { numerator, denominator };
}

/** What is wrong with a quantity, or undefined. */
export function quantityProblem(text: string): string | undefined {
  const quantity = parseQuantity(text);
  if (quantity === undefined) return `expected ${QUANTITY_FORM}, found ${quoted(text)}`;
  if (quantity.numerator === 0n) return `expected a quantity above zero, found ${quoted(text)}`;
  return undefined;
}

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The sum of quantities. */
export function addQuantities(quantities: readonly Quantity[]): Quantity {
  return quantities.reduce(
    (sum, quantity) => ({
      numerator: sum.numerator * quantity.denominator + quantity.numerator * sum.denominator,
      denominator: sum.denominator * quantity.denominator,
    }),
    { numerator: 0n, denominator: 1n },
  );
}
