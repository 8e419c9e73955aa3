import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  dindDockerHost,
  dindImage,
  dindJobEnvironment,
  dindService,
} from "../../components/render/dind-connection.js";
import { dind } from "./fixtures.js";

describe("dind connection", () => {
  it("pins the dind image to the Docker version", () => {
    assert.equal(dindImage({ dockerVersion: "27.3.1" }), "docker:27.3.1-dind");
  });

  it("points jobs at 2376 with TLS and 2375 without", () => {
    assert.equal(dindDockerHost({ tls: true }), "tcp://docker:2376");
    assert.equal(dindDockerHost({ tls: false }), "tcp://docker:2375");
  });

  it("gives TLS jobs the client certificates of the runner's own directory, no DOCKER_TLS_CERTDIR and no DOCKER_DRIVER", () => {
    assert.deepEqual(dindJobEnvironment(dind({ storageDriver: "vfs" })), [
      "DOCKER_HOST=tcp://docker:2376",
      "DOCKER_TLS_VERIFY=1",
      "DOCKER_CERT_PATH=/dind-runners-certs/client",
    ]);
  });

  it("gives plain jobs an empty DOCKER_TLS_CERTDIR and no TLS variables", () => {
    assert.deepEqual(dindJobEnvironment(dind({ tls: false })), [
      "DOCKER_HOST=tcp://docker:2375",
      "DOCKER_TLS_CERTDIR=",
    ]);
  });

  it("starts dind with certificates in /dind-runners-certs, or with --tls=false and no certificates, and has the runner wait for its port", () => {
    assert.deepEqual(dindService(dind(), "docker"), {
      name: "docker:29.7.2-dind",
      alias: "docker",
      environment: [
        "DOCKER_TLS_CERTDIR=/dind-runners-certs",
        "HEALTHCHECK_TCP_PORT=2376",
        "DOCKER_DRIVER=overlay2",
      ],
    });
    assert.deepEqual(dindService(dind({ tls: false }), "docker"), {
      name: "docker:29.7.2-dind",
      alias: "docker",
      command: ["--tls=false"],
      environment: ["DOCKER_TLS_CERTDIR=", "HEALTHCHECK_TCP_PORT=2375", "DOCKER_DRIVER=overlay2"],
    });
  });

  it("pins the storage driver last in the service's own environment, after any job variable", () => {
    const environment = dindService(dind({ storageDriver: "vfs" })).environment;
    assert.equal(environment.at(-1), "DOCKER_DRIVER=vfs");
  });

  it("leaves the alias out unless asked: GitLab Runner derives `docker` from the image name", () => {
    assert.deepEqual(dindService(dind()), {
      name: "docker:29.7.2-dind",
      environment: [
        "DOCKER_TLS_CERTDIR=/dind-runners-certs",
        "HEALTHCHECK_TCP_PORT=2376",
        "DOCKER_DRIVER=overlay2",
      ],
    });
  });
});
