/**
 * Program entry of `pulumi up`: everything happens in components/; this file
 * only names the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { deployFleet } from "./components/fleet-program";
import { withoutPromiseStackTraces } from "./components/program/stack-trace-budget";

const deployed = withoutPromiseStackTraces(() => deployFleet(pulumi.getStack()));

/** Per runner: name, variant (docker | kubernetes), host or cluster, tags. */
export const runners = deployed.runners;
/** Per Docker host: the manager container id and the digest of its rendered config. */
export const dockerHosts = deployed.dockerHosts;
/** Per cluster: namespace, manager Deployment name and the digest of its rendered config. */
export const kubernetesClusters = deployed.kubernetesClusters;
/** Per runner `pulumi up` manages in GitLab (`gitlab.manageRunners`): its GitLab id, config path and token expiry. */
export const gitlabRunners = deployed.gitlabRunners;
