/**
 * Pulumi's mock runtime for component tests: records every resource
 * registration (type, name, inputs, provider reference) and echoes the inputs
 * back as the resource's state. Nothing talks to an engine or a cluster.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the engine would receive them; secret values are wrapped, see {@link isSecretValue}. */
  readonly inputs: Record<string, unknown>;
  /** `<provider urn>::<provider id>` of a custom resource with an explicit provider. */
  readonly provider: string | undefined;
}

export interface MockRecorder {
  readonly resources: readonly RecordedResource[];
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

/** Installs the mocks (not a preview: applies run) and returns what they record. */
export async function recordPulumiResources(
  stack = "test",
  providerOutputs: ProviderOutputs = () => ({}),
): Promise<MockRecorder> {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider === "" ? undefined : args.provider,
        });
        const inputs = args.inputs as Record<string, unknown>;
        return {
          id: `${args.name}-id`,
          state: { ...inputs, ...providerOutputs(args.type, args.name, inputs) },
        };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "dind-runners",
    stack,
    false,
  );
  return {
    resources,
    async waitFor(prefix, count) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const matching = resources.filter((resource) => resource.name.startsWith(prefix));
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) {
          throw new Error(
            `expected ${count} resources named ${prefix}*, got ${matching.length}: ` +
              matching.map((resource) => `${resource.type} ${resource.name}`).join(", "),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
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
