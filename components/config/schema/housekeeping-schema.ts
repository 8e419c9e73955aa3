/**
 * The `housekeeping:` settings of a Docker host: what its housekeeping
 * container removes of GitLab Runner's objects, and when. Every field is
 * optional, with its default from DEFAULTS (housekeeping is on unless a host
 * switches it off); the config reference (docs/configuration.md) is generated
 * from these descriptions (`npm run docs:config`).
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import {
  boundedInteger,
  defaultingTo,
  flag,
  hostDirectorySchema,
  onWrongType,
} from "./field-schemas.js";

const HOUSEKEEPING = DEFAULTS.housekeeping;

export const housekeepingSchema = z.strictObject(
  {
    enabled: defaultingTo(
      flag,
      HOUSEKEEPING.enabled,
      "Run the housekeeping container on this host; `false` leaves GitLab Runner's volumes, containers and images to you.",
    ),
    intervalMinutes: defaultingTo(
      boundedInteger(1, 1440),
      HOUSEKEEPING.intervalMinutes,
      "Minutes between two housekeeping passes, 1 to 1440.",
    ),
    cacheVolumeDays: defaultingTo(
      boundedInteger(1, 3650),
      HOUSEKEEPING.cacheVolumeDays,
      "Days after which a GitLab Runner cache volume no container used is removed, 1 to 3650.",
    ),
    exitedContainerHours: defaultingTo(
      boundedInteger(1, 87600),
      HOUSEKEEPING.exitedContainerHours,
      "Hours after which a GitLab Runner container that exited is removed, 1 to 87600.",
    ),
    imageDays: defaultingTo(
      boundedInteger(1, 3650),
      HOUSEKEEPING.imageDays,
      "Days after which an image GitLab Runner's jobs used, and no container uses, is removed (never the stack's pinned runner, helper, dind and CLI images), 1 to 3650.",
    ),
    minFreePercent: defaultingTo(
      boundedInteger(0, 90),
      HOUSEKEEPING.minFreePercent,
      "Percent of free space on the engine's data root below which GitLab Runner's unused objects are removed oldest first, whatever their age; 0 switches this off, at most 90.",
    ),
    dockerDataRoot: defaultingTo(
      hostDirectorySchema,
      HOUSEKEEPING.dockerDataRoot,
      "The engine's data root on the host (`docker info --format '{{.DockerRootDir}}'`), mounted read-only to measure free space.",
    ),
  },
  { error: onWrongType("a map of housekeeping settings, e.g. { cacheVolumeDays: 7 }") },
);

export type HousekeepingConfig = z.output<typeof housekeepingSchema>;
