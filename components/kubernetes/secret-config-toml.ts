/**
 * A cluster's config.toml with the real runner tokens, as a Pulumi secret.
 * The tokens are read only inside the Output, and the result is marked secret
 * even when a caller passed plain strings, so the text can never reach the
 * state, a log or a preview unencrypted.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import { managerConfigToml } from "../render/config-toml.js";
import { tokenText } from "../render/runner-tokens.js";

export function secretConfigToml(
  fleet: Fleet,
  cluster: KubernetesCluster,
  tokens: Readonly<Record<string, pulumi.Input<string>>>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all(tokens)
      .apply((plain) => managerConfigToml(fleet, cluster, (ref) => tokenText(plain, ref))),
  );
}
