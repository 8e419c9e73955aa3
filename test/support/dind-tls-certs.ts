/**
 * TLS material made the way docker-library/docker's dockerd-entrypoint.sh
 * `_tls_generate_certs` makes it for dind: a CA (`CN=docker:dind CA`, keyUsage
 * digitalSignature,keyCertSign), a server certificate (`serverAuth`, SANs
 * `DNS:docker`, `DNS:localhost` and the IP 127.0.0.1, as `_tls_san` lists the
 * names and addresses of the container) and a client certificate (`clientAuth`) in
 * `<dir>/client` with `ca.pem`, `cert.pem` and a 0644 `key.pem`. Keys are RSA 2048
 * rather than the entrypoint's 4096, to keep the tests quick; nothing here depends
 * on the key size. Needs `openssl` (test/support/docker-engine.sh installs it).
 */
import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { findExecutable } from "../../components/drift/find-executable.js";
import { dockerdUnavailable } from "./second-dockerd.js";

const run = promisify(execFile);

/** Why a dockerd serving TLS with these certificates cannot be started here, or undefined. */
export function tlsDockerdUnavailable(): string | undefined {
  return (
    dockerdUnavailable() ??
    (findExecutable("openssl", process.env["PATH"]) === undefined
      ? "openssl is not on PATH (run test/support/docker-engine.sh as root)"
      : undefined)
  );
}

export interface DindTlsCertificates {
  /** `<dir>/server`: ca.pem, cert.pem, key.pem for dockerd's --tlscacert/--tlscert/--tlskey. */
  readonly server: string;
  /** `<dir>/client`: ca.pem, cert.pem, key.pem, what a job's DOCKER_CERT_PATH names. */
  readonly client: string;
}

export async function makeDindTlsCertificates(dir: string): Promise<DindTlsCertificates> {
  const ca = join(dir, "ca");
  const server = join(dir, "server");
  const client = join(dir, "client");
  for (const sub of [ca, server, client]) await mkdir(sub, { recursive: true });
  const openssl = (args: readonly string[]) => run("openssl", args);
  await openssl(["genrsa", "-out", join(ca, "key.pem"), "2048"]);
  await openssl([
    ...["req", "-new", "-key", join(ca, "key.pem"), "-out", join(ca, "cert.pem")],
    ...["-subj", "/CN=docker:dind CA", "-x509", "-days", "825"],
    ...["-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
  ]);
  const sign = async (side: string, subject: string, extensions: string) => {
    await openssl(["genrsa", "-out", join(side, "key.pem"), "2048"]);
    await openssl([
      ...["req", "-new", "-key", join(side, "key.pem"), "-out", join(side, "csr.pem")],
      ...["-subj", subject],
    ]);
    await writeFile(join(side, "openssl.cnf"), `[ x509_exts ]\n${extensions}\n`);
    await openssl([
      ...["x509", "-req", "-in", join(side, "csr.pem"), "-CA", join(ca, "cert.pem")],
      ...["-CAkey", join(ca, "key.pem"), "-CAcreateserial", "-out", join(side, "cert.pem")],
      ...["-days", "825", "-extfile", join(side, "openssl.cnf"), "-extensions", "x509_exts"],
    ]);
    await copyFile(join(ca, "cert.pem"), join(side, "ca.pem"));
    await openssl(["verify", "-CAfile", join(side, "ca.pem"), join(side, "cert.pem")]);
  };
  await sign(
    server,
    "/CN=docker:dind server",
    "extendedKeyUsage = serverAuth\nsubjectAltName = DNS:docker,DNS:localhost,IP:127.0.0.1",
  );
  await sign(client, "/CN=docker:dind client", "extendedKeyUsage = clientAuth");
  await chmod(join(client, "key.pem"), 0o644);
  return { server, client };
}
