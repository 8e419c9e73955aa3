import { problemsOf, validValues } from "./config/stack-values.js";
const v = validValues();
v.defaults["jobPods"] = { build: { memoryRequest: "5Gi" }, services: { cpuLimit: "1.5x" } };
v.kubernetesClusters[0]!["jobPods"] = {
  build: { memoryLimit: "2Gi", cpuRequest: "2", cpuLimit: "1500m" },
  helper: { ephemeralStorageLimit: "0" },
  dindStorageSizeLimit: "40Gi",
  nodeSelector: { "bad key!": "x", "ok/key": "-bad" },
  tolerations: [
    { key: "dedicated", value: "ci", effect: "NoSchedul" },
    { key: "dedicated", value: "ci" },
    { value: "x" },
  ],
  allowedServices: ["post gres"],
  bogus: 1,
};
console.log(problemsOf(v));
const w = validValues();
w.kubernetesClusters[0]!["jobPods"] = { dindStorageSizeLimit: "40Gi" };
console.log(problemsOf(w));
