/**
 * A generated stack config for benchmarks: `hosts` Docker hosts with
 * `runnersPerHost` runners each, plus `clusters` Kubernetes clusters with two
 * runners each, varied the way real stacks vary (some hosts override
 * `concurrent`, the first runner of each host adds a limit and an insecure
 * registry, every cluster trusts a registry CA), so every renderer and
 * component has work to do, the cluster's every kind of object included.
 */
import { CA_PEM } from "../render/fixtures.js";

export interface FleetSize {
  readonly hosts: number;
  readonly runnersPerHost: number;
  readonly clusters: number;
}

/** How each runner token (and nothing else secret) is written: encrypted or plaintext. */
export type TokenValue = (configPath: string) => unknown;

export function generatedStackValues(size: FleetSize, token: TokenValue): Record<string, unknown> {
  const dockerHosts = Array.from({ length: size.hosts }, (_, h) => ({
    name: `build-${h}`,
    endpoint: `ssh://deploy@build-${h}.example.internal`,
    ...(h % 2 === 0 ? { concurrent: 10 } : {}),
    runners: Array.from({ length: size.runnersPerHost }, (_, r) => ({
      name: `build-${h}-runner-${r}`,
      tags: ["dind", `host-${h}`],
      token: token(`dockerHosts[${h}].runners[${r}].token`),
      ...(r === 0
        ? { limit: 2, dind: { insecureRegistries: [`registry-${h}.example.internal:5000`] } }
        : {}),
    })),
  }));
  const kubernetesClusters = Array.from({ length: size.clusters }, (_, c) => ({
    name: `cluster-${c}`,
    context: `bench-${c}`,
    dind: { registryCertificates: { [`registry-c${c}.example.internal:5000`]: CA_PEM } },
    runners: Array.from({ length: 2 }, (_, r) => ({
      name: `cluster-${c}-runner-${r}`,
      tags: ["dind", "kubernetes"],
      token: token(`kubernetesClusters[${c}].runners[${r}].token`),
    })),
  }));
  return {
    gitlab: { url: "https://gitlab.example.com" },
    defaults: {
      dind: {
        insecureRegistries: ["registry.example.internal:5000"],
        extraHosts: { "registry.example.internal": "10.0.0.5" },
      },
    },
    dockerHosts,
    kubernetesClusters,
  };
}
