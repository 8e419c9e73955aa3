/**
 * Stack settings of managed runners (`gitlab.manageRunners`): what they resolve
 * to, with precedence, and every way they are refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import type { Runner } from "../../components/model/fleet.js";
import {
  ENCRYPTED,
  problemsOf,
  PULUMI_UP,
  RENDER,
  validValues,
  type StackValues,
} from "./stack-values.js";

/** validValues with manageRunners on: no runner tokens, an API token, a group scope for all. */
function managedValues(): StackValues {
  const values = validValues();
  values.gitlab["manageRunners"] = true;
  values.gitlab["apiToken"] = ENCRYPTED;
  values.defaults["scope"] = { group: "platform/build" };
  for (const target of [...values.dockerHosts, ...values.kubernetesClusters]) {
    for (const runner of target.runners) delete runner["token"];
  }
  return values;
}

function runners(values: StackValues, options = RENDER): Runner[] {
  const result = loadFleet({ environment: "test", values }, options);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.issues, null, 2));
  return [...result.fleet.dockerHosts, ...result.fleet.kubernetesClusters].flatMap(
    (target) => target.runners,
  );
}

describe("managed runners in the stack config", () => {
  it("resolves scope and settings per runner, the most specific level winning", () => {
    const values = managedValues();
    values.defaults["runUntagged"] = true;
    values.defaults["maximumTimeout"] = 7200;
    const host = values.dockerHosts[1];
    assert.ok(host);
    host["scope"] = { project: "platform/app" };
    host["locked"] = true;
    const runner = host.runners[0];
    assert.ok(runner);
    Object.assign(runner, {
      tags: ["dind", "large", "dind"],
      scope: "instance",
      paused: true,
      accessLevel: "ref_protected",
      description: "large builds",
      rotateToken: "2026-12",
    });
    values.kubernetesClusters[0]?.runners.push({
      name: "k8s-1-other",
      tags: ["dind"],
      maximumTimeout: 600,
    });
    assert.deepEqual(
      runners(values).map((r) => r.registration),
      [
        {
          configPath: "dockerHosts[0].runners[0]",
          scope: { kind: "group", group: "platform/build" },
          settings: {
            description: "build-1-dind (dind-runners test)",
            tags: ["dind"],
            runUntagged: true,
            locked: false,
            paused: false,
            accessLevel: "not_protected",
            maximumTimeout: 7200,
          },
          tokenRenewalShare: 0.5,
        },
        {
          configPath: "dockerHosts[1].runners[0]",
          scope: { kind: "instance" },
          settings: {
            description: "large builds",
            tags: ["dind", "large"],
            runUntagged: true,
            locked: true,
            paused: true,
            accessLevel: "ref_protected",
            maximumTimeout: 7200,
          },
          rotateToken: "2026-12",
          tokenRenewalShare: 0.5,
        },
        {
          configPath: "kubernetesClusters[0].runners[0]",
          scope: { kind: "group", group: "platform/build" },
          settings: {
            description: "k8s-1-dind (dind-runners test)",
            tags: ["dind"],
            runUntagged: true,
            locked: false,
            paused: false,
            accessLevel: "not_protected",
            maximumTimeout: 7200,
          },
          tokenRenewalShare: 0.5,
        },
        {
          configPath: "kubernetesClusters[0].runners[1]",
          scope: { kind: "group", group: "platform/build" },
          settings: {
            description: "k8s-1-other (dind-runners test)",
            tags: ["dind"],
            runUntagged: true,
            locked: false,
            paused: false,
            accessLevel: "not_protected",
            maximumTimeout: 600,
          },
          tokenRenewalShare: 0.5,
        },
      ],
    );
  });

  it("keeps the API token a secret reference, like runner tokens", () => {
    const result = loadFleet(
      {
        environment: "test",
        values: {
          ...managedValues(),
          gitlab: { url: "https://gitlab.example.com", manageRunners: true, apiToken: "glpat-x" },
        },
      },
      PULUMI_UP,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.fleet.gitlab.runnerManagement, {
      apiToken: { kind: "secret", configPath: "gitlab.apiToken" },
    });
    assert.equal(result.secrets.get("gitlab.apiToken"), "glpat-x");
    assert.equal(problemsOf(managedValues()), "ok");
  });

  it("leaves runners without registration when manageRunners is off", () => {
    assert.ok(runners(validValues()).every((r) => r.registration === undefined));
  });

  it("refuses a runner token, and asks for a scope where none is set", () => {
    const values = managedValues();
    delete values.defaults["scope"];
    values.dockerHosts[0]!["scope"] = { group: 41 };
    values.dockerHosts[1]!.runners[0]!["token"] = ENCRYPTED;
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        "error: dockerHosts[1].runners[0].token: expected no token: with gitlab.manageRunners: true, pulumi up creates the runner in GitLab and takes its token from there; remove it with: pulumi config rm --path 'dockerHosts[1].runners[0].token'",
        "error: dockerHosts[1].runners[0].scope: missing; expected where GitLab keeps the runner (gitlab.manageRunners is true): instance, { group: <full path or id> } or { project: <full path or id> }, set on the runner, its Docker host or in defaults",
        "error: kubernetesClusters[0].runners[0].scope: missing; expected where GitLab keeps the runner (gitlab.manageRunners is true): instance, { group: <full path or id> } or { project: <full path or id> }, set on the runner, its cluster or in defaults",
      ].join("\n"),
    );
  });

  it("asks for the API token: a warning for render, an error for pulumi up; refuses it in plaintext in a stack file", () => {
    const values = managedValues();
    delete values.gitlab["apiToken"];
    const message =
      "gitlab.apiToken: expected a GitLab access token with the create_runner and manage_runner scopes (gitlab.manageRunners is true), set with: pulumi config set --secret --path gitlab.apiToken <token>";
    assert.equal(problemsOf(values), `stack "test": 1 warning\nwarning: ${message}`);
    assert.equal(problemsOf(values, PULUMI_UP), `stack "test": 1 error\nerror: ${message}`);
    values.gitlab["apiToken"] = "glpat-plaintext";
    const shown = problemsOf(values);
    assert.equal(
      shown,
      'stack "test": 1 error\nerror: gitlab.apiToken: expected an encrypted value, found a plaintext access token: anyone who can read the stack file can use it; store it encrypted with: pulumi config set --secret --path gitlab.apiToken <token> (and revoke it in GitLab if the file was shared)',
    );
    assert.ok(!shown.includes("glpat-plaintext"));
  });

  it("refuses every managed-runner setting when manageRunners is off, where it is set", () => {
    const values = validValues();
    values.gitlab["apiToken"] = ENCRYPTED;
    values.defaults["paused"] = true;
    values.kubernetesClusters[0]!["scope"] = "instance";
    Object.assign(values.dockerHosts[0]!.runners[0]!, {
      description: "x",
      rotateToken: "1",
      maximumTimeout: 600,
    });
    const unused =
      "is used only when pulumi up manages the runners in GitLab; set gitlab.manageRunners: true, or remove it";
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 6 errors',
        `error: gitlab.apiToken: ${unused}`,
        `error: defaults.paused: ${unused}`,
        `error: dockerHosts[0].runners[0].description: ${unused}`,
        `error: dockerHosts[0].runners[0].rotateToken: ${unused}`,
        `error: dockerHosts[0].runners[0].maximumTimeout: ${unused}`,
        `error: kubernetesClusters[0].scope: ${unused}`,
      ].join("\n"),
    );
  });

  it("warns when GitLab would let jobs run longer than the manager waits for them", () => {
    const values = managedValues();
    values.defaults["maximumTimeout"] = 7200;
    values.defaults["jobTimeoutSeconds"] = 7200;
    values.dockerHosts[1]!.runners[0]!["maximumTimeout"] = 10800;
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 warning',
        "warning: dockerHosts[1].runners[0].maximumTimeout: maximumTimeout 10800 is above jobTimeoutSeconds 7200 (set at defaults.jobTimeoutSeconds): GitLab lets jobs run longer than the manager waits for them when it is stopped or upgraded, so those jobs would be killed halfway; raise jobTimeoutSeconds to at least 10800",
      ].join("\n"),
    );
  });

  it("explains a malformed scope, access level or timeout", () => {
    const values = managedValues();
    values.defaults["scope"] = { group: "/platform/" };
    values.dockerHosts[0]!["scope"] = { team: "x" };
    values.dockerHosts[1]!.runners[0]!["accessLevel"] = "protected";
    values.kubernetesClusters[0]!.runners[0]!["maximumTimeout"] = 60;
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 4 errors',
        'error: defaults.scope: expected the group\'s full path (e.g. platform/build) or numeric id, found "/platform/"',
        'error: dockerHosts[0].scope: expected instance, { group: <full path or id> } or { project: <full path or id> }, found a map with key "team"',
        'error: dockerHosts[1].runners[0].accessLevel: expected one of "not_protected", "ref_protected", found "protected"',
        "error: kubernetesClusters[0].runners[0].maximumTimeout: expected an integer from 600 to 2592000, found 60",
      ].join("\n"),
    );
  });
});
