/**
 * The settings that cascade: each can be set in `defaults`, on a Docker host or
 * cluster, and (runner and dind settings) on a runner. The most specific level that
 * sets a field wins; lists and maps are replaced whole, never merged.
 */
import { z } from "zod";
import { DEFAULTS } from "../model/defaults.js";
import {
  accessLevelSchema,
  boundedInteger,
  defaultingTo,
  dnsSearchSchema,
  dnsServersSchema,
  dockerVersionSchema,
  extraHostsSchema,
  flag,
  imageReferenceSchema,
  insecureRegistriesSchema,
  listenAddressSchema,
  mtuSchema,
  privilegeModeSchema,
  registryCertificatesSchema,
  registryMirrorsSchema,
  runnerImageSchema,
  runnerScopeSchema,
  storageDriverSchema,
} from "./field-schemas.js";

/** Settings of the runner-manager process (config.toml globals): `defaults`, host or cluster. */
export const managerSettingsShape = {
  /** Pinned GitLab Runner image of the manager; default {@link DEFAULTS.runnerImage}. */
  runnerImage: defaultingTo(runnerImageSchema, DEFAULTS.runnerImage),
  /** Jobs the manager runs at once, all its runners together (`concurrent`); default {@link DEFAULTS.concurrent}. */
  concurrent: defaultingTo(boundedInteger(1, 1000), DEFAULTS.concurrent),
  /** Seconds between job requests to GitLab (`check_interval`); default {@link DEFAULTS.checkInterval}. */
  checkInterval: defaultingTo(boundedInteger(1, 3600), DEFAULTS.checkInterval),
  /** Seconds the manager waits for running jobs when stopped (`shutdown_timeout`); default {@link DEFAULTS.shutdownTimeoutSeconds}. */
  shutdownTimeoutSeconds: defaultingTo(boundedInteger(1, 86_400), DEFAULTS.shutdownTimeoutSeconds),
  /** Prometheus metrics listener, `host:port` or `:port` (`listen_address`); default: no listener. */
  listenAddress: listenAddressSchema.optional(),
};

/** Per-runner settings (one `[[runners]]` entry): `defaults`, host or cluster, runner. */
export const runnerSettingsShape = {
  /** Jobs this runner runs at once, 0 for no per-runner cap (`limit`); default {@link DEFAULTS.limit}. */
  limit: defaultingTo(boundedInteger(0, 1000), DEFAULTS.limit),
  /** Job requests in flight to GitLab (`request_concurrency`); default {@link DEFAULTS.requestConcurrency}. */
  requestConcurrency: defaultingTo(boundedInteger(1, 100), DEFAULTS.requestConcurrency),
  /** Longest job in seconds (10 minutes to 30 days); bounds a graceful stop; default {@link DEFAULTS.jobTimeoutSeconds}. */
  jobTimeoutSeconds: defaultingTo(boundedInteger(600, 2_592_000), DEFAULTS.jobTimeoutSeconds),
  /** Default job image; default `docker:<dockerVersion>-cli` of the runner's resolved {@link DEFAULTS.dind.dockerVersion | dockerVersion}. */
  buildImage: imageReferenceSchema.optional(),
  /** Managed runners only: where GitLab keeps the runner, `instance`, `{ group: <full path or id> }` or `{ project: <full path or id> }`; a change replaces the runner; required with `gitlab.manageRunners`. */
  scope: runnerScopeSchema.optional(),
  /** Managed runners only: the runner also takes jobs without tags (GitLab `run_untagged`); default {@link DEFAULTS.managedRunner.runUntagged}. */
  runUntagged: defaultingTo(flag, DEFAULTS.managedRunner.runUntagged),
  /** Managed runners only: a project runner cannot be enabled for other projects (GitLab `locked`); default {@link DEFAULTS.managedRunner.locked}. */
  locked: defaultingTo(flag, DEFAULTS.managedRunner.locked),
  /** Managed runners only: the runner takes no new jobs (GitLab `paused`); default {@link DEFAULTS.managedRunner.paused}. */
  paused: defaultingTo(flag, DEFAULTS.managedRunner.paused),
  /** Managed runners only: `not_protected`, or `ref_protected` for jobs of protected branches and tags only (GitLab `access_level`); default {@link DEFAULTS.managedRunner.accessLevel}. */
  accessLevel: defaultingTo(accessLevelSchema, DEFAULTS.managedRunner.accessLevel),
  /** Managed runners only: longest job GitLab lets this runner run, seconds (GitLab `maximum_timeout`); default: none, the project's timeout applies. */
  maximumTimeout: boundedInteger(600, 2_592_000).optional(),
};

/** Docker-in-Docker settings a runner may override. */
export const runnerDindShape = {
  /** Pinned Docker version of `docker:<v>-dind` and `docker:<v>-cli`; default {@link DEFAULTS.dind.dockerVersion}. */
  dockerVersion: defaultingTo(dockerVersionSchema, DEFAULTS.dind.dockerVersion),
  /** Serve the dind API with TLS on 2376 (false: plain on 2375; never on Kubernetes); default {@link DEFAULTS.dind.tls}. */
  tls: defaultingTo(flag, DEFAULTS.dind.tls),
  /** Storage driver of the dind daemon: overlay2, fuse-overlayfs or vfs (slow); default {@link DEFAULTS.dind.storageDriver}. */
  storageDriver: defaultingTo(storageDriverSchema, DEFAULTS.dind.storageDriver),
  /** `host[:port]` registries dind reaches over http or with untrusted certificates; default {@link DEFAULTS.dind.insecureRegistries} (none). */
  insecureRegistries: defaultingTo(insecureRegistriesSchema, DEFAULTS.dind.insecureRegistries),
  /** http(s) URLs of Docker Hub pull-through mirrors, in order; default {@link DEFAULTS.dind.registryMirrors} (none). */
  registryMirrors: defaultingTo(registryMirrorsSchema, DEFAULTS.dind.registryMirrors),
  /** MTU of dind's bridge and of the networks it creates (daemon.json `mtu`), at most the host's or pod's MTU; default: dockerd's 1500. */
  mtu: mtuSchema.optional(),
  /** DNS servers (IP addresses) of the containers dind starts (daemon.json `dns`); default {@link DEFAULTS.dind.dns} (dind's own resolv.conf). */
  dns: defaultingTo(dnsServersSchema, DEFAULTS.dind.dns),
  /** DNS search domains of the containers dind starts (daemon.json `dns-search`); default {@link DEFAULTS.dind.dnsSearch} (dind's own). */
  dnsSearch: defaultingTo(dnsSearchSchema, DEFAULTS.dind.dnsSearch),
  /** Registry `host[:port]` -> CA PEM that dind trusts for it (`/etc/docker/certs.d/<host[:port]>/ca.crt`); default {@link DEFAULTS.dind.registryCertificates} (none; the GitLab CA is added for GitLab's registries). */
  registryCertificates: defaultingTo(
    registryCertificatesSchema,
    DEFAULTS.dind.registryCertificates,
  ),
  /** `hostname: IP` entries resolved by jobs and dind without DNS; default {@link DEFAULTS.dind.extraHosts} (none). */
  extraHosts: defaultingTo(extraHostsSchema, DEFAULTS.dind.extraHosts),
  /** Who runs privileged: `services-only` (the dind service) or `all` (every job; refused in production); default {@link DEFAULTS.dind.privilegeMode}. */
  privilegeMode: defaultingTo(privilegeModeSchema, DEFAULTS.dind.privilegeMode),
};

/** Docker-in-Docker settings of `defaults`, a host or a cluster. */
export const targetDindShape = {
  ...runnerDindShape,
  /** Load the kernel's `overlay` module on the host or every node, and keep it loaded; default {@link DEFAULTS.dind.manageOverlayModule}. */
  manageOverlayModule: defaultingTo(flag, DEFAULTS.dind.manageOverlayModule),
};

export const runnerDindSchema = z.strictObject(runnerDindShape);
export const targetDindSchema = z.strictObject(targetDindShape);
export const managerSettingsSchema = z.strictObject(managerSettingsShape);
export const runnerSettingsSchema = z.strictObject(runnerSettingsShape);

export type ManagerSettingsConfig = z.output<typeof managerSettingsSchema>;
export type RunnerSettingsConfig = z.output<typeof runnerSettingsSchema>;
export type RunnerDindConfig = z.output<typeof runnerDindSchema>;
export type TargetDindConfig = z.output<typeof targetDindSchema>;
