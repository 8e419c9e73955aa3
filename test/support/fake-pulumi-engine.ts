/**
 * An in-process stand-in for the Pulumi engine, for starting the program the
 * way `pulumi up` does: a gRPC server offering the Engine and ResourceMonitor
 * services, built from the generated service definitions that ship with
 * @pulumi/pulumi (the very ones the SDK's clients use). It records every
 * registration and every registered output, answers a registration with the
 * inputs as the resource's state (as Pulumi's mocks do) and keeps what the
 * program logs. Like the real engine it refuses a second resource with the
 * same URN, which fails the whole deployment. Nothing is deployed.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb.js";
import * as resourceRpc from "@pulumi/pulumi/proto/resource_grpc_pb.js";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb.js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb.js";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb.js";
import { DeploymentUrns, resourceUrn } from "./pulumi-urn.js";

/** The SDK's wire signatures (sdk/nodejs/runtime/rpc.ts). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What a current engine answers to SupportsFeature (Output values in inputs included). */
const SUPPORTED_FEATURES: ReadonlySet<string> = new Set([
  "secrets",
  "resourceReferences",
  "outputValues",
  "deletedWith",
  "aliasSpecs",
]);

export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  /** `<provider urn>::<provider id>`, or "" for the default provider. */
  readonly provider: string;
  /** Inputs in the wire format, Output values reduced to their value (see {@link plainWire}). */
  readonly inputs: Record<string, unknown>;
  /** The former names its alias specs give (`aliases: [{ name }]`); aliases keeping the name left out. */
  readonly aliasNames: readonly string[];
}

/** A diagnostic the program logged, or one the engine itself reported (`urn` of the resource). */
export interface EngineLog {
  readonly severity: string;
  readonly message: string;
  readonly urn: string;
}

export interface FakeEngine {
  /** `127.0.0.1:<port>`: what the language host passes as --monitor and --engine. */
  readonly address: string;
  readonly registrations: readonly Registration[];
  /** Outputs registered per URN (the stack's outputs under the root URN). */
  readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
  /** What the program logged and the engine's own errors (a duplicate URN). */
  readonly logs: readonly EngineLog[];
  /** URN of the stack resource, once the program set it. */
  rootUrn(): string | undefined;
  /** What the program called that this engine does not offer (e.g. an invoke). */
  readonly unsupported: readonly string[];
  close(): Promise<void>;
}

/**
 * A value as it would be without Output values: an Output value becomes its
 * value (a secret one a secret, an unknown one the unknown sentinel); the rest
 * is kept as is.
 */
export function plainWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainWire);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === OUTPUT_VALUE_SIG) {
    const inner = "value" in record ? plainWire(record["value"]) : UNKNOWN;
    return record["secret"] === true ? { [SIG_KEY]: SECRET_SIG, value: inner } : inner;
  }
  return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, plainWire(entry)]));
}

function plainStruct(struct: Struct | undefined): Record<string, unknown> {
  return plainWire(struct?.toJavaScript() ?? {}) as Record<string, unknown>;
}

/**
 * The real resource monitor, once the deployment failed, answers every further
 * call with Unavailable (pkg/resource/deploy/source_eval.go, resmon
 * `RegisterResource` and `RegisterResourceOutputs` on `rm.cancel`); the SDK
 * then stops sending RPCs (sdk/nodejs/runtime/resource.ts `registerResource`).
 */
function shutDown(details: string): grpc.ServiceError {
  return Object.assign(new Error(details), {
    code: grpc.status.UNAVAILABLE,
    details,
    metadata: new grpc.Metadata(),
  });
}

export async function startFakeEngine(project: string, stack: string): Promise<FakeEngine> {
  const registrations: Registration[] = [];
  const outputs = new Map<string, Record<string, unknown>>();
  const logs: EngineLog[] = [];
  const unsupported: string[] = [];
  let root: string | undefined;
  const urns = new DeploymentUrns();
  /** Set once the deployment failed (the step generator bailed). */
  let failed = false;

  const monitor: Partial<resourceRpc.IResourceMonitorServer> = {
    supportsFeature: (call, callback) => {
      const response = new resourcePb.SupportsFeatureResponse();
      response.setHassupport(SUPPORTED_FEATURES.has(call.request.getId()));
      callback(null, response);
    },
    registerResource: (call, callback) => {
      if (failed) {
        callback(shutDown("resource monitor shut down while sending resource registration"));
        return;
      }
      const request = call.request;
      const type = request.getType();
      const name = request.getName();
      const urn = resourceUrn(stack, project, request.getParent(), type, name);
      // pkg/resource/deploy/step_generator.go generateURN: a URN seen before
      // in this deployment is an error diagnostic that fails the deployment.
      const duplicate = urns.claim(urn);
      if (duplicate !== undefined) {
        failed = true;
        logs.push({ severity: "ERROR", message: duplicate, urn });
        callback(shutDown("resource monitor shut down while waiting on step's done channel"));
        return;
      }
      const inputs = plainStruct(request.getObject());
      registrations.push({
        urn,
        type,
        name,
        parent: request.getParent(),
        custom: request.getCustom(),
        provider: request.getProvider(),
        inputs,
        aliasNames: request
          .getAliasesList()
          .map((alias) => alias.getSpec()?.getName() ?? "")
          .filter((name) => name !== ""),
      });
      const response = new resourcePb.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(request.getCustom() ? `${name}-id` : "");
      response.setObject(Struct.fromJavaScript(inputs as Record<string, JavaScriptValue>));
      callback(null, response);
    },
    registerResourceOutputs: (call, callback) => {
      if (failed) {
        callback(shutDown("resource monitor shut down while sending resource outputs"));
        return;
      }
      outputs.set(call.request.getUrn(), plainStruct(call.request.getOutputs()));
      callback(null, new Empty());
    },
    signalAndWaitForShutdown: (_call, callback) => callback(null, new Empty()),
    invoke: (call, callback) => {
      unsupported.push(`invoke ${call.request.getTok()}`);
      callback({ code: grpc.status.UNIMPLEMENTED, details: "the fake engine runs no invokes" });
    },
    readResource: (call, callback) => {
      unsupported.push(`read ${call.request.getType()} ${call.request.getName()}`);
      callback({ code: grpc.status.UNIMPLEMENTED, details: "the fake engine reads nothing" });
    },
  };
  const engine: Partial<engineRpc.IEngineServer> = {
    log: (call, callback) => {
      const severity = Object.entries(enginePb.LogSeverity).find(
        ([, value]) => value === call.request.getSeverity(),
      )?.[0];
      logs.push({
        severity: severity ?? String(call.request.getSeverity()),
        message: call.request.getMessage(),
        urn: call.request.getUrn(),
      });
      callback(null, new Empty());
    },
    getRootResource: (_call, callback) => {
      const response = new enginePb.GetRootResourceResponse();
      response.setUrn(root ?? "");
      callback(null, response);
    },
    setRootResource: (call, callback) => {
      root = call.request.getUrn();
      callback(null, new enginePb.SetRootResourceResponse());
    },
  };

  const server = new grpc.Server();
  server.addService(
    resourceRpc.ResourceMonitorService,
    monitor as grpc.UntypedServiceImplementation,
  );
  server.addService(engineRpc.EngineService, engine as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    registrations,
    outputs,
    logs,
    rootUrn: () => root,
    unsupported,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
