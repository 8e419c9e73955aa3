import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  gitlabCaRegistries,
  gitlabRegistryHost,
  registryAddressOf,
} from "../../components/config/grammars/gitlab-registry.js";

describe("GitLab's registries", () => {
  it("derive the container registry as <gitlab host>:5050 unless gitlab.registryHost names it", () => {
    assert.equal(
      gitlabRegistryHost("https://gitlab.example.com", undefined),
      "gitlab.example.com:5050",
    );
    assert.equal(
      gitlabRegistryHost("https://gitlab.example.com:8443/gitlab", undefined),
      "gitlab.example.com:5050",
    );
    assert.equal(
      gitlabRegistryHost("https://gitlab.example.com", "registry.example.com"),
      "registry.example.com",
    );
  });

  it("trust the GitLab CA for the GitLab host (Dependency Proxy) and the registry, port as image names carry it", () => {
    assert.deepEqual(gitlabCaRegistries("https://gitlab.example.com", undefined), [
      "gitlab.example.com",
      "gitlab.example.com:5050",
    ]);
    assert.deepEqual(
      gitlabCaRegistries("https://gitlab.example.com:8443", "gitlab.example.com:8443"),
      ["gitlab.example.com:8443"],
    );
    assert.equal(registryAddressOf("https://gitlab.example.com:443/"), "gitlab.example.com");
  });
});
