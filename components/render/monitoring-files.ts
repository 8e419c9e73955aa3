/**
 * The environment's monitoring files of `npm run render`, under `monitoring/`
 * (docs/observability.md): the alerting rules as a Prometheus rules file (on
 * the managers' metrics and on this project's own: drift, housekeeping), the
 * Docker hosts' managers as a file-SD target list, and the Grafana dashboard.
 * None when no manager has a metrics listener: there is nothing to scrape;
 * no target list without a Docker host that has one.
 */
import type { Fleet } from "../model/fleet.js";
import { alertRuleGroups, hasMetricsListener } from "./alert-rules.js";
import { grafanaDashboardJson } from "./grafana-dashboard.js";
import { operationsAlertRuleGroups } from "./operations-alert-rules.js";
import { prometheusFileSd } from "./prometheus-file-sd.js";
import { prometheusRulesFile } from "./prometheus-rules-file.js";
import type { RenderedFile } from "./rendered-file.js";
import { targetsByName } from "./targets-by-name.js";

export const MONITORING_DIR = "monitoring";
export const PROMETHEUS_RULES_PATH = `${MONITORING_DIR}/prometheus-rules.yml`;
export const FILE_SD_PATH = `${MONITORING_DIR}/file-sd-docker-hosts.json`;
export const GRAFANA_DASHBOARD_PATH = `${MONITORING_DIR}/grafana-dashboard.json`;

export function monitoringFiles(fleet: Fleet): readonly RenderedFile[] {
  const targets = targetsByName(fleet);
  if (!targets.some(hasMetricsListener)) return [];
  return [
    {
      path: PROMETHEUS_RULES_PATH,
      content: prometheusRulesFile([
        ...alertRuleGroups(fleet, targets),
        ...operationsAlertRuleGroups(fleet),
      ]),
    },
    ...(fleet.dockerHosts.some(hasMetricsListener)
      ? [{ path: FILE_SD_PATH, content: prometheusFileSd(fleet) }]
      : []),
    { path: GRAFANA_DASHBOARD_PATH, content: grafanaDashboardJson(fleet) },
  ];
}
