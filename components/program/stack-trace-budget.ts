/**
 * Pulumi's SDK records a stack trace for every promise it creates
 * (`debuggablePromise` in @pulumi/pulumi/runtime/debuggable.js): dozens per
 * resource, each formatted at once and, under the language host's run entry,
 * mapped frame by frame through source-map-support. Measured at fleet scale
 * (`npm run bench:program`), that was most of the program's evaluation time.
 * Those traces are only ever printed with PULUMI_DEBUG_PROMISE_LEAKS set, so
 * while the program declares its resources it records none, unless that
 * variable asks for them. The SDK's own source positions of resources are
 * unaffected: it lifts the limit itself while it reads them
 * (`Resource.callsites` in @pulumi/pulumi/resource.js).
 */

/** Runs `declare` with `Error.stackTraceLimit` at 0, restoring it afterwards. */
export function withoutPromiseStackTraces<T>(
  declare: () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  // The SDK's own test of the variable (runtime/debuggable.ts): any non-empty value.
  if ((env["PULUMI_DEBUG_PROMISE_LEAKS"] ?? "") !== "") return declare();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return declare();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
