/**
 * The short summary `npm run render` prints: what was rendered for whom, so a
 * reviewer sees the shape of the fleet without opening the files.
 */
import type { Fleet, Runner } from "../model/fleet.js";
import { formatIssue, type ConfigIssue } from "../config/messages/config-issue.js";
import { builderDetails, cacheText } from "../render/runner-builder-text.js";

export function renderSummary(
  fleet: Fleet,
  outDir: string,
  fileCount: number,
  warnings: readonly ConfigIssue[],
): string {
  const lines = [
    `stack "${fleet.environment}"${fleet.production ? " (production)" : ""}: ${fileCount} files written to ${outDir}`,
  ];
  for (const host of fleet.dockerHosts) {
    lines.push(`  docker host ${host.name} (${host.endpoint.url})`);
    lines.push(...host.runners.map(runnerLine));
  }
  for (const cluster of fleet.kubernetesClusters) {
    lines.push(
      `  kubernetes cluster ${cluster.name} (context ${cluster.context}, namespace ${cluster.namespace})`,
    );
    lines.push(...cluster.runners.map(runnerLine));
  }
  lines.push(...warnings.map(formatIssue));
  return lines.join("\n") + "\n";
}

function runnerLine(runner: Runner): string {
  const dind = runner.dind;
  const details = builderDetails(runner);
  if (dind.mtu !== undefined) details.push(`mtu ${dind.mtu}`);
  if (dind.insecureRegistries.length > 0) {
    details.push(`insecure registries ${dind.insecureRegistries.join(", ")}`);
  }
  if (dind.registryCertificates.length > 0) {
    const registries = dind.registryCertificates.map((certificate) => certificate.registry);
    details.push(`CA-trusted registries ${registries.join(", ")}`);
  }
  const cache = cacheText(runner.cache);
  if (cache !== undefined) details.push(cache);
  return `    runner ${runner.name} [${runner.tags.join(", ")}]: ${details.join(", ")}`;
}
