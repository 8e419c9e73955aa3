/**
 * Pulumi's mock runtime for component tests: records every resource
 * registration (type, name, inputs, provider reference) and echoes the inputs
 * back as the resource's state. Like the engine, it refuses a second resource
 * with the same URN (Pulumi's own mock monitor does not). Nothing talks to an
 * engine or a cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as resourcePb from "@pulumi/pulumi/proto/resource_pb.js";
import { DeploymentUrns, resourceUrn } from "./pulumi-urn.js";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the engine would receive them; secret values are wrapped, see {@link isSecretValue}. */
  readonly inputs: Record<string, unknown>;
  /** `<provider urn>::<provider id>` of a custom resource with an explicit provider. */
  readonly provider: string | undefined;
  /** URN of the parent; "" for none (the stack, under mocks). */
  readonly parent: string;
  /** The URN the engine gives the resource. */
  readonly urn: string;
  /** The former names its alias specs give (`aliases: [{ name }]`); aliases keeping the name left out. */
  readonly aliasNames: readonly string[];
}

export interface MockRecorder {
  readonly resources: readonly RecordedResource[];
  /** The engine's error for each registration it refused (a duplicate URN); the program fails on the first. */
  readonly refused: readonly string[];
  /** Settles with the first refusal's message; pending while there is none. */
  readonly refusal: Promise<string>;
  /** Resolves once `count` registrations whose name starts with `prefix` were recorded. */
  waitFor(prefix: string, count: number): Promise<readonly RecordedResource[]>;
}

/**
 * What the provider would add to a resource's state on top of its inputs
 * (outputs such as a container's `exitCode`), by resource type and name.
 */
export type ProviderOutputs = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
) => Record<string, unknown>;

/** The project the mocks run the program as (Pulumi.yaml's name). */
const MOCK_PROJECT = "dind-runners";

/** Installs the mocks (not a preview: applies run) and returns what they record. */
export async function recordPulumiResources(
  stack = "test",
  providerOutputs: ProviderOutputs = () => ({}),
): Promise<MockRecorder> {
  const resources: RecordedResource[] = [];
  const refused: string[] = [];
  /** What the mock monitor's request says beyond newResource's arguments, for the registration under way. */
  let pending: { parent: string; urn: string; aliasNames: readonly string[] } | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (pending === undefined) throw new Error(`internal: no request for ${args.name}`);
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider === "" ? undefined : args.provider,
          ...pending,
        });
        pending = undefined;
        const inputs = args.inputs as Record<string, unknown>;
        return {
          id: `${args.name}-id`,
          state: { ...inputs, ...providerOutputs(args.type, args.name, inputs) },
        };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    MOCK_PROJECT,
    stack,
    false,
  );
  let settle: (message: string) => void = () => undefined;
  const refusal = new Promise<string>((resolve) => (settle = resolve));
  const refuse = (message: string): void => {
    refused.push(message);
    settle(message);
  };
  refuseDuplicateUrns(stack, refuse, (request) => (pending = request));
  return {
    resources,
    refused,
    refusal,
    async waitFor(prefix, count) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const matching = resources.filter((resource) => resource.name.startsWith(prefix));
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} resources named ${prefix}*, got ${matching.length}: ` +
              matching.map((resource) => `${resource.type} ${resource.name}`).join(", ") +
              refused.map((message) => `; refused: ${message}`).join(""),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

type RegisterResource = (
  request: resourcePb.RegisterResourceRequest,
  callback: (error: Error | null, response?: resourcePb.RegisterResourceResponse) => void,
) => void;

/**
 * Makes the mock monitor refuse a second resource with the same URN, as the
 * engine does (test/support/pulumi-urn.ts; pulumi/pulumi
 * pkg/resource/deploy/step_generator.go generateURN), with the engine's
 * message: the SDK rejects the registration with "failed to register new
 * resource <name> [<type>]: Duplicate resource URN ..."
 * (sdk/nodejs/runtime/resource.ts registerResource). The URN is the engine's,
 * with the parent's whole type chain: the mock monitor's own keeps only the
 * parent's last type. Every other request goes on to the mock monitor, which
 * calls newResource synchronously, so `announce` hands it the request's parent
 * and aliases.
 */
function refuseDuplicateUrns(
  stack: string,
  refused: (message: string) => void,
  announce: (request: { parent: string; urn: string; aliasNames: readonly string[] }) => void,
): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: RegisterResource };
  const register = monitor.registerResource.bind(monitor);
  const urns = new DeploymentUrns();
  monitor.registerResource = (request, callback) => {
    const parent = request.getParent();
    const urn = resourceUrn(stack, MOCK_PROJECT, parent, request.getType(), request.getName());
    const duplicate = urns.claim(urn);
    if (duplicate !== undefined) {
      refused(duplicate);
      callback(new Error(duplicate));
      return;
    }
    announce({
      parent,
      urn,
      aliasNames: request
        .getAliasesList()
        .map((alias) => alias.getSpec()?.getName() ?? "")
        .filter((name) => name !== ""),
    });
    register(request, callback);
  };
}

/** Whether a recorded input value is a Pulumi secret (the engine's wire form of one). */
export function isSecretValue(value: unknown): value is { readonly value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] ===
      pulumi.runtime.specialSecretSig
  );
}

/** The value with every secret replaced by `<secret>`: what is visible without decrypting. */
export function withoutSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return "<secret>";
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, withoutSecrets(entry)]),
    );
  }
  return value;
}

/** The resolved value of an Output. */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** How `pulumi.log.error` prints under mocks (no engine to send the diagnostic to). */
const MOCK_LOGGED_ERROR_PREFIX = "error: [runtime] ";

/**
 * From now on, collects the messages the program logs with `pulumi.log.error`
 * (the errors `pulumi up` shows under a resource); returns the live list.
 */
export function captureLoggedErrors(): readonly string[] {
  const logged: string[] = [];
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith(MOCK_LOGGED_ERROR_PREFIX)) {
      logged.push(text.slice(MOCK_LOGGED_ERROR_PREFIX.length));
    } else {
      original(...args);
    }
  };
  return logged;
}
