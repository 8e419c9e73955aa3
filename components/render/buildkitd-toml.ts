/**
 * The buildkitd.toml of a `buildkit` runner's rootless BuildKit service: the
 * stack's registry settings as BuildKit spells them, and the bound of its cache.
 *
 * Keys are those of moby/buildkit cmd/buildkitd/config/config.go (`Config`,
 * `OCIConfig`, `RegistryConfig`, documented in docs/buildkitd.toml.md):
 * - an insecure registry gets `http = true` and `insecure = true`, which
 *   together try https without verification and fall back to plain http
 *   (util/resolver/resolver.go `fillInsecureOpts`: `httpFallback` when both),
 *   what dockerd's `insecure-registries` does;
 * - Docker Hub mirrors go under `[registry."docker.io"] mirrors` as
 *   `host[/path]` without scheme (`newMirrorRegistryHost` parses them so); a
 *   plain-http mirror gets its own `[registry."<host>"] http = true`, which
 *   `NewRegistryConfig` looks up by the mirror's host;
 * - a trusted CA is a `ca` file path, the same `/etc/docker/certs.d/<host[:port]>/ca.crt`
 *   the runner mounts for dind (`loadTLSConfig` reads each listed file);
 * - `[worker.oci] gc = true` with `maxUsedSpace` keeps the cache below the
 *   bound (cmd/buildkitd/config/gcpolicy.go `DefaultGCPolicy`).
 */
import TOML from "@iarna/toml";
import type { BuildBackend, DindSettings } from "../model/fleet.js";
import { DIND_CERTS_D, registryCertificatePath } from "../model/registry-certificates.js";
import { compareCodePoints } from "./compare-code-points.js";

/** Where the service reads it: buildkitd's `--config` (the rootless default would be under $HOME). */
export const BUILDKITD_TOML_PATH = "/etc/buildkit/buildkitd.toml";

/** Docker Hub's name in buildkitd.toml's `[registry]` table. */
const DOCKER_HUB = "docker.io";

/** Go `config.RegistryConfig`: the keys this product sets. */
interface RegistryToml {
  mirrors?: string[];
  http?: boolean;
  insecure?: boolean;
  ca?: string[];
}

type BuildkitBackend = Extract<BuildBackend, { readonly kind: "buildkit" }>;

export function buildkitdToml(
  dind: Pick<DindSettings, "insecureRegistries" | "registryMirrors" | "registryCertificates">,
  backend: BuildkitBackend,
): string {
  const registries = new Map<string, RegistryToml>();
  const entry = (host: string): RegistryToml => {
    const existing = registries.get(host);
    if (existing !== undefined) return existing;
    const created: RegistryToml = {};
    registries.set(host, created);
    return created;
  };
  for (const mirror of dind.registryMirrors) {
    const url = new URL(mirror);
    const path = url.pathname.replace(/\/+$/, "");
    (entry(DOCKER_HUB).mirrors ??= []).push(`${url.host}${path}`);
    if (url.protocol === "http:") entry(url.host).http = true;
  }
  for (const registry of dind.insecureRegistries) {
    const settings = entry(registry);
    settings.http = true;
    settings.insecure = true;
  }
  for (const certificate of dind.registryCertificates) {
    (entry(certificate.registry).ca ??= []).push(
      `${DIND_CERTS_D}/${registryCertificatePath(certificate)}`,
    );
  }
  const registry = Object.fromEntries(
    [...registries.entries()].sort(([a], [b]) => compareCodePoints(a, b)),
  );
  const document = {
    worker: { oci: { gc: true, maxUsedSpace: backend.cacheMaxUsedSpace } },
    ...(registries.size === 0 ? {} : { registry }),
  };
  const header = "# Rendered by dind-runners: edit the stack config, not this file.";
  return `${header}\n\n${TOML.stringify(document as unknown as TOML.JsonMap)}`;
}
