/**
 * Where the drift command gets a `tcp://` Docker host's TLS client key. The key
 * is a Pulumi secret and the drift command runs outside Pulumi, so it cannot
 * decrypt it: the operator hands it over, either as a file
 * (`--tls-key <host>=<file>`) or in the environment variable
 * `DIND_RUNNERS_TLS_KEY_<HOST>` (the PEM itself). The key is only ever passed to
 * the TLS connection, never printed.
 */
import type { DockerTlsMaterial } from "../model/fleet.js";
import { LiveReadError } from "./live-config.js";

/** `build-stg-2` -> `DIND_RUNNERS_TLS_KEY_BUILD_STG_2`. */
export function tlsKeyEnvVar(hostName: string): string {
  return `DIND_RUNNERS_TLS_KEY_${hostName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export interface TlsKeySources {
  /** Usually `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Host name -> key file path, from `--tls-key <host>=<file>`. */
  readonly keyFiles: ReadonlyMap<string, string>;
  readonly readFile: (path: string) => string;
}

/** The PEM of a host's client key, or a LiveReadError saying how to provide it. */
export function resolveTlsClientKey(
  hostName: string,
  tls: DockerTlsMaterial,
  stack: string,
  sources: TlsKeySources,
): string {
  const variable = tlsKeyEnvVar(hostName);
  const file = sources.keyFiles.get(hostName);
  let pem: string | undefined;
  let origin: string;
  if (file !== undefined) {
    origin = file;
    try {
      pem = sources.readFile(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new LiveReadError(`cannot read the TLS client key file ${file} (${reason})`);
    }
  } else {
    origin = variable;
    pem = sources.env[variable];
  }
  if (pem === undefined || pem.trim() === "") {
    const configPath = tls.clientKey.configPath;
    throw new LiveReadError(
      `needs the TLS client key (the Pulumi secret dind-runners:${configPath}): ` +
        `pass --tls-key ${hostName}=<file> or set ${variable} to the PEM, e.g. ` +
        `${variable}="$(pulumi config get --stack ${stack} --path '${configPath}')"`,
    );
  }
  if (!pem.includes("-----BEGIN") || !pem.includes("PRIVATE KEY-----")) {
    throw new LiveReadError(`the TLS client key from ${origin} is not a PEM private key`);
  }
  return pem;
}
