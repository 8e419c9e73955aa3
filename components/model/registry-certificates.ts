/**
 * Registries the dind daemon trusts through a CA certificate. dockerd reads
 * `/etc/docker/certs.d/<host[:port]>/ca.crt` for a registry whose image
 * references name exactly that host and port (moby
 * daemon/pkg/registry/registry.go `hostCertsDir` and `newTLSConfig`, and
 * daemon/hosts.go `RegistryHosts` for the containerd image store), with no
 * daemon.json key and no restart. A `:` is allowed in that directory name but not in a
 * ConfigMap key, and it would split a Docker volume spec, so files outside
 * dind are named by {@link registryCertificateFileName}.
 */
import type { RegistryCertificate, Runner } from "./fleet.js";

/** dind's certificate directory; one `<host[:port]>/ca.crt` per trusted registry. */
export const DIND_CERTS_D = "/etc/docker/certs.d";

/** The file dockerd reads inside a registry's directory. */
export const REGISTRY_CA_FILE_NAME = "ca.crt";

/** `<host[:port]>/ca.crt`: the path below {@link DIND_CERTS_D}. */
export function registryCertificatePath(
  certificate: Pick<RegistryCertificate, "registry">,
): string {
  return `${certificate.registry}/${REGISTRY_CA_FILE_NAME}`;
}

/**
 * A file name for the registry's CA without `:`: `registry.example.com:5050`
 * becomes `registry.example.com_5050.crt`. One-to-one, because a registry is a
 * hostname or IPv4 address (neither has `_`) with at most one `:port`.
 */
export function registryCertificateFileName(
  certificate: Pick<RegistryCertificate, "registry">,
): string {
  return `${certificate.registry.replace(":", "_")}.crt`;
}

/**
 * The key of a runner's CA for a registry in the cluster's certificate
 * ConfigMap, `<runner>.<host>[_<port>].crt`. Runner names have no `.`, so the
 * first `.` separates the runner, and keys of different runners never collide.
 */
export function registryCertificateConfigMapKey(
  runner: Pick<Runner, "name">,
  certificate: Pick<RegistryCertificate, "registry">,
): string {
  return `${runner.name}.${registryCertificateFileName(certificate)}`;
}
