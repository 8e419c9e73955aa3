/**
 * The package entry (`import ... from "dind-runners"`): the components, the
 * fleet loader and the renderers, for use from another Pulumi program. Importing
 * it declares nothing; the deploying program is index.ts (Pulumi.yaml `main`).
 */
export { DockerRunnerHost, type DockerRunnerHostArgs } from "./docker/docker-runner-host.js";
export { KubernetesRunner, type KubernetesRunnerArgs } from "./kubernetes/kubernetes-runner.js";

// The fleet loader: stack config (a stack file or Pulumi's config) -> validated fleet model.
export { loadFleet, type LoadFleetOptions, type LoadResult } from "./config/load/load-fleet.js";
export { readStackFile } from "./config/read/stack-file.js";
export { rawConfigFromPulumi } from "./config/read/pulumi-config.js";
export type { RawStackConfig } from "./config/read/raw-stack-config.js";
export { formatIssues, type ConfigIssue } from "./config/messages/config-issue.js";
export { deployFleet, loadFleetForDeployment, type FleetOutputs } from "./fleet-program.js";

// The model.
export {
  fleetTargets,
  type DockerHost,
  type ExecutorVariant,
  type Fleet,
  type KubernetesCluster,
  type ManagerTarget,
  type Runner,
  type SecretRef,
} from "./model/fleet.js";
export type { RunnerCache } from "./model/cache.js";

// The renderers: pure, the same functions `npm run render` and `pulumi up` use.
export { renderFleetFiles, renderTargetFiles, targetDir } from "./render/render-fleet-files.js";
export type { RenderedFile } from "./render/rendered-file.js";
export { managerConfigToml } from "./render/config-toml.js";
export { daemonJson } from "./render/daemon-json.js";
export { kubernetesManifests, type KubernetesManifest } from "./render/kubernetes-manifests.js";
export { kubernetesManifestsYaml } from "./render/kubernetes-manifests-yaml.js";
export { ciIncludeSnippet } from "./render/ci-include.js";
export { alertRuleGroups, type AlertRule, type AlertRuleGroup } from "./render/alert-rules.js";
export { prometheusRulesFile } from "./render/prometheus-rules-file.js";
export { operationsAlertRuleGroups } from "./render/operations-alert-rules.js";
export { prometheusFileSd } from "./render/prometheus-file-sd.js";
export { grafanaDashboard } from "./render/grafana-dashboard.js";
export { stackDiagram } from "./render/stack-diagram.js";
export { targetConfigDigest } from "./render/target-config-digest.js";
export { redactedSecretText, type SecretText } from "./render/secret-text.js";
