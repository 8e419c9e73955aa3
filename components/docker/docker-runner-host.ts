/**
 * Deploys one Docker host of the fleet through a Docker provider bound to the
 * host's endpoint: the pinned images, the overlay-module helper, the config
 * writer, the runner-manager container and the housekeeping container.
 *
 * config.toml is rendered with the real runner tokens inside an Output that is a
 * Pulumi secret end to end; every plain output comes from the redacted render.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerHost, Fleet } from "../model/fleet.js";
import { requireCacheSecrets, requireTokens, tokenText } from "../render/runner-tokens.js";
import { buildServiceConfigFile } from "../render/build-service-config.js";
import { dindImage } from "../render/dind-connection.js";
import { managerConfigToml } from "../render/config-toml.js";
import { targetConfigDigest } from "../render/target-config-digest.js";
import { configWriterSpec } from "./config-writer-spec.js";
import type { ContainerSpec } from "./container-spec.js";
import { dockerProviderSpec } from "./docker-provider-spec.js";
import { housekeepingContainerSpec } from "./housekeeping-container-spec.js";
import { managerContainerSpec } from "./manager-container-spec.js";
import { oneShotFailure, oneShotStop } from "./one-shot-outcome.js";
import { overlayModuleSpec } from "./overlay-module-spec.js";

export interface DockerRunnerHostArgs {
  /** The resolved fleet the host belongs to (GitLab URL and CA, environment); required. */
  readonly fleet: Fleet;
  /** The host to deploy, one of `fleet.dockerHosts`; required. */
  readonly host: DockerHost;
  /** Runner tokens and cache credentials keyed by their config path (`dockerHosts[0].runners[1].token`), as secrets; required, one per runner and credential. */
  readonly tokens: Readonly<Record<string, pulumi.Input<string>>>;
  /** PEM client key of a `tcp://` endpoint, as a secret; default none: required for tcp hosts, unused otherwise. */
  readonly tlsClientKey?: pulumi.Input<string>;
}

export class DockerRunnerHost extends pulumi.ComponentResource {
  /** Id of the runner-manager container. */
  public readonly containerId: pulumi.Output<string>;
  /** sha256 of this host's rendered files with secrets redacted: changes whenever what is deployed changes. */
  public readonly configDigest: pulumi.Output<string>;
  /** Names of the runners this host's manager serves. */
  public readonly runners: pulumi.Output<string[]>;

  constructor(name: string, args: DockerRunnerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-runners:docker:DockerRunnerHost", name, {}, opts);
    const { fleet, host, tokens } = args;

    requireTokens(`docker host ${host.name}`, host, tokens);
    requireCacheSecrets(`docker host ${host.name}`, host, tokens);

    const provider = new docker.Provider(
      `${name}-provider`,
      {
        ...dockerProviderSpec(host.endpoint, () => {
          if (args.tlsClientKey === undefined) {
            throw new Error(`docker host ${host.name}: no TLS client key for ${host.endpoint.url}`);
          }
          return pulumi.secret(args.tlsClientKey);
        }),
      },
      { parent: this },
    );
    const children = { parent: this, provider };

    const runnerImage = new docker.RemoteImage(
      `${name}-runner-image`,
      { name: host.manager.runnerImage, keepLocally: true },
      children,
    );
    // Pre-pull each build-service image (dind, BuildKit) so the first job does not wait
    // for its layers. Jobs still ask the registry for its manifest (GitLab Runner's
    // default pull_policy `always`, kept on purpose: see docker-executor-section.ts).
    // One child per distinct image, named after it: a pinned `docker:<x.y.z>-dind`
    // (image-pinning.ts) loses only its `:` to the name, so distinct images never
    // share a name (Pulumi refuses a repeated URN). The overlay helper runs the
    // first runner's dind image, pulled here whatever that runner's backend.
    const overlay = overlayModuleSpec(fleet, host);
    const pulled = (role: string, images: Iterable<string>) =>
      [...new Set(images)].map(
        (image) =>
          new docker.RemoteImage(
            `${name}-${role}-image-${image.replace(/[^a-z0-9.-]+/g, "-")}`,
            { name: image, keepLocally: true },
            children,
          ),
      );
    const dindImages = pulled("dind", [
      ...host.runners.flatMap((runner) =>
        runner.backend.kind === "dind" ? [dindImage(runner.dind)] : [],
      ),
      ...(overlay === undefined ? [] : [overlay.image]),
    ]);
    pulled(
      "buildkit",
      host.runners.flatMap((runner) =>
        runner.backend.kind === "buildkit" ? [runner.backend.image] : [],
      ),
    );

    // The manager waits for the helpers and is declared only once they exited 0.
    const prerequisites: pulumi.Input<pulumi.Resource>[] = [];
    if (overlay === undefined) {
      void pulumi.log.info(
        `docker host ${host.name}: overlay module management is switched off ` +
          `(dind.manageOverlayModule: false, or no runner with backend dind); make sure the host's kernel has overlay loaded for dind`,
        this,
      );
    } else {
      const helper = container(`${name}-overlay-module`, overlay, children, dindImages);
      prerequisites.push(
        succeeded(helper, `docker host ${host.name}: the overlay-module helper (${overlay.name})`),
      );
    }

    const configToml = pulumi.secret(
      pulumi
        .all(tokens)
        .apply((plain) => managerConfigToml(fleet, host, (ref) => tokenText(plain, ref))),
    );
    const writerSpec = configWriterSpec(fleet, host, {
      configToml,
      ...(fleet.gitlab.caCertificate === undefined ? {} : { gitlabCa: fleet.gitlab.caCertificate }),
      serviceConfigs: new Map(
        host.runners.flatMap((runner) => {
          const file = buildServiceConfigFile(runner);
          return file === undefined ? [] : [[runner.name, file] as const];
        }),
      ),
    });
    const writer = container(`${name}-config-writer`, writerSpec, children, [runnerImage]);
    prerequisites.push(
      succeeded(writer, `docker host ${host.name}: the config writer (${writerSpec.name})`),
    );

    const manager = container(`${name}-manager`, managerContainerSpec(fleet, host), children, [
      runnerImage,
      ...prerequisites,
    ]);

    const housekeeping = housekeepingContainerSpec(fleet, host);
    if (housekeeping === undefined) {
      void pulumi.log.info(
        `docker host ${host.name}: housekeeping is switched off (housekeeping.enabled: false); ` +
          `GitLab Runner's cache volumes, exited containers and images stay until removed by hand`,
        this,
      );
    } else {
      // The CLI image jobs use by default anyway; pulled here so the container can start.
      const housekeepingImage = new docker.RemoteImage(
        `${name}-housekeeping-image`,
        { name: housekeeping.image, keepLocally: true },
        children,
      );
      container(`${name}-housekeeping`, housekeeping, children, [housekeepingImage]);
    }

    this.containerId = manager.id;
    this.configDigest = pulumi.output(targetConfigDigest(fleet, host));
    this.runners = pulumi.output(host.runners.map((runner) => runner.name));
    this.registerOutputs({
      containerId: this.containerId,
      configDigest: this.configDigest,
      runners: this.runners,
    });
  }
}

/**
 * A docker.Container from a plain spec. dependsOn only orders, it never
 * replaces. Every container has a fixed name (drift detection and operators
 * find them by it), so a replacement must delete the old one first: the
 * default create-before-delete would fail with "name already in use".
 */
function container(
  name: string,
  spec: ContainerSpec<pulumi.Input<string>>,
  options: pulumi.CustomResourceOptions,
  dependsOn: readonly pulumi.Input<pulumi.Resource>[],
): docker.Container {
  return new docker.Container(
    name,
    {
      name: spec.name,
      image: spec.image,
      restart: spec.restart,
      mustRun: spec.mustRun,
      attach: spec.attach,
      // A one-shot container's output ends up in its state and in failure messages.
      logs: spec.attach,
      privileged: spec.privileged,
      ...(spec.networkMode === undefined ? {} : { networkMode: spec.networkMode }),
      mounts: spec.mounts.map((mount) => ({ ...mount })),
      ...(spec.volumes === undefined ? {} : { volumes: spec.volumes.map((v) => ({ ...v })) }),
      labels: spec.labels.map((label) => ({ ...label })),
      ...(spec.entrypoints === undefined ? {} : { entrypoints: [...spec.entrypoints] }),
      ...(spec.command === undefined ? {} : { command: [...spec.command] }),
      ...(spec.envs === undefined ? {} : { envs: [...spec.envs] }),
      ...(spec.uploads === undefined ? {} : { uploads: spec.uploads.map((u) => ({ ...u })) }),
      ...(spec.stopSignal === undefined ? {} : { stopSignal: spec.stopSignal }),
      // The provider stops a container it deletes with this grace period (0, a kill, when unset).
      ...(spec.stopTimeout === undefined
        ? {}
        : { stopTimeout: spec.stopTimeout, destroyGraceSeconds: spec.stopTimeout }),
    },
    {
      ...options,
      dependsOn: [...dependsOn],
      deleteBeforeReplace: true,
      // The provider gives a delete 20 minutes; a graceful stop may take the whole grace period.
      ...(spec.stopTimeout === undefined
        ? {}
        : { customTimeouts: { delete: `${spec.stopTimeout + DELETE_MARGIN_SECONDS}s` } }),
    },
  );
}

/** Time to remove a container after it stopped. */
const DELETE_MARGIN_SECONDS = 60;

/**
 * The one-shot container, once it exited 0. A non-zero exit is reported in
 * full as the helper's error, and the thrown error keeps the manager from being
 * declared and fails the deployment. That error also reaches the stack outputs
 * (through the manager's id), whose serialization prefixes its message
 * ("error serializing property ..."), so it stays short and points at the first.
 */
function succeeded(helper: docker.Container, what: string): pulumi.Output<pulumi.Resource> {
  return pulumi
    .all([helper.exitCode, helper.containerLogs, helper.urn])
    .apply(([exitCode, output, urn]: [number | undefined, string | undefined, string]) => {
      const failure = oneShotFailure(what, exitCode, output, urn);
      if (failure === undefined) return helper;
      void pulumi.log.error(failure, helper);
      throw new pulumi.ResourceError(oneShotStop(what), helper, true);
    });
}
