/**
 * Locale-independent string order for everything rendered: `localeCompare`
 * depends on the machine's ICU data and locale, and rendered output must not.
 */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
