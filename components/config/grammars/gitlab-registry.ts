/**
 * The registries a self-managed GitLab serves, which dind trusts with
 * `gitlab.caCertificate` when it is set: the GitLab host itself (the Dependency
 * Proxy, `<host>/<group>/dependency_proxy/containers`) and the container
 * registry. GitLab runs its registry on a host of its own or on the GitLab
 * domain's port 5050 (the port GitLab documents for a registry "under an
 * existing GitLab domain", and where Linux packages with Let's Encrypt enable
 * it on their own); which one is GitLab's `registry_external_url`, so a stack
 * names it with `gitlab.registryHost` when it is not `<gitlab host>:5050`.
 */

/** Port of GitLab's container registry on the GitLab domain. */
export const GITLAB_REGISTRY_PORT = 5050;

/** `host[:port]` of a URL as image references and certs.d name it (no port for https's 443). */
export function registryAddressOf(url: string): string {
  return new URL(url).host;
}

/** `<gitlab host>:5050` unless the stack names the registry host. */
export function gitlabRegistryHost(gitlabUrl: string, registryHost: string | undefined): string {
  return registryHost ?? `${new URL(gitlabUrl).hostname}:${GITLAB_REGISTRY_PORT}`;
}

/** The registries trusted with the GitLab CA, without duplicates, sorted. */
export function gitlabCaRegistries(gitlabUrl: string, registryHost: string | undefined): string[] {
  const hosts = new Set([
    registryAddressOf(gitlabUrl),
    gitlabRegistryHost(gitlabUrl, registryHost),
  ]);
  return [...hosts].sort();
}
