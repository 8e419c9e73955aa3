/**
 * Short texts that say how a runner builds and where its cache goes, shared by
 * the render summary (`npm run render`'s output) and the stack picture
 * (stack.md), so both name a runner's builder and cache the same way. Never a
 * credential: a cache is named by its bucket and path only.
 */
import type { RunnerCache } from "../model/cache.js";
import type { Runner } from "../model/fleet.js";

/** What builds the runner's images: its dind, the host's engine, or its BuildKit service. */
export function builderDetails(runner: Runner): string[] {
  const { dind, backend } = runner;
  switch (backend.kind) {
    case "dind":
      return [
        `docker:${dind.dockerVersion}-dind`,
        dind.tls ? "tls" : "no tls",
        dind.storageDriver,
        `privileged ${dind.privilegeMode}`,
      ];
    case "socket":
      return ["backend socket: the host engine's socket, nothing privileged"];
    case "buildkit":
      return [`backend buildkit: ${backend.image}, nothing privileged`];
    default: {
      const unexpected: never = backend;
      throw new Error(`unexpected backend ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Where the runner's cache goes, e.g. `s3://bucket/path at host:port`; undefined for `none`. */
export function cacheLocation(cache: RunnerCache): string | undefined {
  switch (cache.type) {
    case "none":
      return undefined;
    case "s3": {
      const server = cache.s3.serverAddress === undefined ? "" : ` at ${cache.s3.serverAddress}`;
      return `s3://${cache.s3.bucketName}/${cache.path}${server}`;
    }
    case "gcs":
      return `gs://${cache.gcs.bucketName}/${cache.path}`;
    case "azure":
      return `azure ${cache.azure.accountName}/${cache.azure.containerName}/${cache.path}`;
    default: {
      const unexpected: never = cache;
      throw new Error(`unexpected cache ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The cache as the summary prints it: `cache <location>`, `(shared)` when runners share it. */
export function cacheText(cache: RunnerCache): string | undefined {
  const location = cacheLocation(cache);
  if (location === undefined || cache.type === "none") return undefined;
  return `cache ${location}${cache.shared ? " (shared)" : ""}`;
}
