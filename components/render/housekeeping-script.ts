/**
 * The housekeeping script a Docker host's housekeeping container runs: it
 * removes what GitLab Runner's Docker executor leaves behind and no longer
 * uses, and nothing else.
 *
 * What counts as GitLab Runner's, from its source (gitlabhq/gitlab-runner):
 * - every container and volume the Docker executor creates carries the labels
 *   of `executors/docker/internal/labels/labels.go` (`Labels`): the prefix
 *   `com.gitlab.gitlab-runner`, with `com.gitlab.gitlab-runner.managed=true`;
 * - cache volumes are made by `createCacheVolume` in
 *   `executors/docker/internal/volumes/manager.go`, named
 *   `runner-<token>-project-<id>-concurrent-<n>-cache-<md5 of the path>` and
 *   labelled `com.gitlab.gitlab-runner.type=cache` on top;
 * - images carry no runner label (they are pulled, or loaded for the helper),
 *   so an image counts as GitLab Runner's only once a runner container was seen
 *   using it: the script follows the engine's `start` events of labelled
 *   containers and records their image and named volumes with the time.
 * A name alone never counts: a `runner-...-cache-...` volume without the label
 * is someone else's.
 *
 * The record (`last-used` in the state directory) has one line per use:
 * `<volume|image> <name or image id> <epoch seconds>`; a pass compacts it.
 *
 * POSIX sh with BusyBox tools (the `docker:<v>-cli` image is Alpine) and the
 * docker CLI. `HOUSEKEEPING_NOW` (epoch seconds) replaces the clock, so tests
 * set ages without waiting; `once` runs a single pass.
 */

import {
  HOUSEKEEPING_METRICS,
  HOUSEKEEPING_METRICS_FILE,
  HOUSEKEEPING_METRICS_HELP,
} from "./housekeeping-metrics.js";
import { TARGET_LABELS } from "./prometheus-target-labels.js";

/** Environment variables the script reads; the container spec sets each. */
export const HOUSEKEEPING_VARIABLES = {
  intervalSeconds: "HOUSEKEEPING_INTERVAL_SECONDS",
  cacheVolumeDays: "HOUSEKEEPING_CACHE_VOLUME_DAYS",
  exitedContainerHours: "HOUSEKEEPING_EXITED_CONTAINER_HOURS",
  imageDays: "HOUSEKEEPING_IMAGE_DAYS",
  minFreePercent: "HOUSEKEEPING_MIN_FREE_PERCENT",
  /** Seconds a job's containers may still be needed after they exit (the longest job and its cleanup). */
  longestJobSeconds: "HOUSEKEEPING_LONGEST_JOB_SECONDS",
  /** Space-separated shell patterns of image tags never removed (the stack's pinned images). */
  keepImages: "HOUSEKEEPING_KEEP_IMAGES",
  /** Directory of the record of last uses; must outlive the container. */
  stateDir: "HOUSEKEEPING_STATE_DIR",
  /** Where the engine's data root is mounted, for `df`. */
  dataRoot: "HOUSEKEEPING_DATA_ROOT",
  /** The environment and the Docker host, as labels of the metrics file (validated names). */
  environment: "HOUSEKEEPING_ENVIRONMENT",
  target: "HOUSEKEEPING_TARGET",
  /** Tests only: the current time in epoch seconds. */
  now: "HOUSEKEEPING_NOW",
} as const;

/** Label prefix of GitLab Runner's Docker objects (labels.go `dockerLabelPrefix`). */
export const RUNNER_LABEL_PREFIX = "com.gitlab.gitlab-runner";

/** Argument of a single pass (the default, `loop`, keeps running). */
export const ONCE_ARGUMENT = "once";

export function housekeepingScript(): string {
  const v = HOUSEKEEPING_VARIABLES;
  const m = HOUSEKEEPING_METRICS;
  const help = (key: keyof typeof HOUSEKEEPING_METRICS, type: "gauge" | "counter"): string =>
    `    print "# HELP ${m[key]} ${HOUSEKEEPING_METRICS_HELP[key]}"; print "# TYPE ${m[key]} ${type}"`;
  return `#!/bin/sh
# Removes what GitLab Runner's Docker executor left on this host and no longer
# uses (dind-runners housekeeping; see components/render/housekeeping-script.ts).
set -uf
label=${RUNNER_LABEL_PREFIX}
state="\${${v.stateDir}}"
ledger="$state/last-used"
cache_days="\${${v.cacheVolumeDays}}"
exited_hours="\${${v.exitedContainerHours}}"
image_days="\${${v.imageDays}}"
min_free="\${${v.minFreePercent}}"
longest_job="\${${v.longestJobSeconds}}"
keep_images="\${${v.keepImages}:-}"
data_root="\${${v.dataRoot}}"
counts="$state/removed"
metrics="$state/${HOUSEKEEPING_METRICS_FILE}"
labels="${TARGET_LABELS.environment}=\\"\${${v.environment}}\\",${TARGET_LABELS.target}=\\"\${${v.target}}\\""
mkdir -p "$state" && touch "$ledger" "$counts" || exit 1

log() { echo "housekeeping: $*"; }
now() { if [ -n "\${${v.now}:-}" ]; then echo "$${v.now}"; else date +%s; fi; }

# Epoch seconds of an RFC 3339 time as the engine prints it (fraction and
# offset optional); the year 1 of a container that never ran is very old.
to_epoch() {
  echo "$1" | awk '{
    y = substr($0, 1, 4) + 0; m = substr($0, 6, 2) + 0; d = substr($0, 9, 2) + 0
    s = substr($0, 12, 2) * 3600 + substr($0, 15, 2) * 60 + substr($0, 18, 2)
    rest = substr($0, 20); sub(/^\\.[0-9]+/, "", rest)
    if (rest ~ /^[+-][0-9][0-9]:[0-9][0-9]$/) {
      off = substr(rest, 2, 2) * 3600 + substr(rest, 5, 2) * 60
      if (substr(rest, 1, 1) == "+") s -= off; else s += off
    }
    y -= (m <= 2); era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    days = era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
    printf "%.0f\\n", days * 86400 + s
  }'
}

record() { echo "$1 $2 $3" >>"$ledger"; }

# The latest recorded use of an object, or nothing.
last_used() {
  awk -v k="$1" -v n="$2" '$1 == k && $2 == n && (m == "" || $3 > m) { m = $3 } END { if (m != "") print m }' "$ledger"
}

# A runner container started or runs: its image and named volumes are in use.
note_container() {
  docker container inspect --format '{{.Image}}{{range .Mounts}}{{if eq .Type "volume"}} {{.Name}}{{end}}{{end}}' "$1" 2>/dev/null | {
    read -r image volumes || exit 0
    record image "$image" "$2"
    for volume in $volumes; do record volume "$volume" "$2"; done
  }
}

follow_starts() {
  docker events --filter type=container --filter event=start --filter "label=$label.managed=true" --format '{{.Actor.ID}}' |
    while read -r id; do note_container "$id" "$(now)"; done
}

free_percent() { df -P "$data_root" | awk 'NR == 2 { printf "%d\\n", $4 * 100 / $2 }'; }

# Image ids of every container (running or not): those images are in use.
used_images() { docker ps -aq | xargs -r docker container inspect --format '{{.Image}}'; }

kept() {
  for tag in $(docker image inspect --format '{{range .RepoTags}}{{.}} {{end}}' "$1" 2>/dev/null); do
    for pattern in $keep_images; do
      case "$tag" in $pattern) return 0 ;; esac
    done
  done
  return 1
}

remove() { # kind, id, name, why
  case "$1" in
  container) docker container rm "$2" >/dev/null ;;
  volume) docker volume rm "$2" >/dev/null ;;
  image)
    tags="$(docker image inspect --format '{{range .RepoTags}}{{.}} {{end}}' "$2" 2>/dev/null)"
    # By tag, never forced: the last tag removed deletes the image; an
    # image a container took meanwhile stays.
    docker image rm \${tags:-$2} >/dev/null ;;
  esac && log "removed $1 $3: $4" && count_removed "$1"
}

# Objects removed so far, by kind ("<kind> <count>" lines), kept across restarts.
count_removed() {
  awk -v k="$1" '$1 == k { $2 += 1; f = 1 } { print } END { if (!f) print k, 1 }' "$counts" >"$counts.new" &&
    mv "$counts.new" "$counts"
}

# The disk as this pass leaves it and the removals, for node_exporter's
# textfile collector: written beside and renamed, so a scrape never reads half
# a file (the collector reads only *.prom names).
write_metrics() {
  df -Pk "$data_root" | awk -v l="$labels" -v floor="$min_free" -v t="$(now)" -v counts="$counts" '
  NR == 2 {
    while ((getline line < counts) > 0) { split(line, f, " "); n[f[1]] = f[2] }
${help("freeBytes", "gauge")}
    printf "${m.freeBytes}{%s} %.0f\\n", l, $4 * 1024
${help("sizeBytes", "gauge")}
    printf "${m.sizeBytes}{%s} %.0f\\n", l, $2 * 1024
${help("freePercent", "gauge")}
    printf "${m.freePercent}{%s} %.2f\\n", l, $4 * 100 / $2
${help("minFreePercent", "gauge")}
    printf "${m.minFreePercent}{%s} %d\\n", l, floor
${help("removed", "counter")}
    split("container volume image", kinds, " ")
    for (i = 1; i <= 3; i++) printf "${m.removed}{%s,kind=\\"%s\\"} %d\\n", l, kinds[i], n[kinds[i]] + 0
${help("lastPass", "gauge")}
    printf "${m.lastPass}{%s} %d\\n", l, t
  }' >"$metrics.new" && mv "$metrics.new" "$metrics"
}

# Candidates of one kind: "<last use> <kind> <id> <name>", oldest first;
# every one is GitLab Runner's and unused now.
candidates() {
  case "$1" in
  container)
    docker ps -aq --filter "label=$label.managed=true" --filter status=exited | while read -r id; do
      docker container inspect --format '{{.State.FinishedAt}} {{.Name}}' "$id" | {
        read -r finished name
        echo "$(to_epoch "$finished") container $id \${name#/}"
      }
    done
    ;;
  volume)
    docker volume ls -q --filter "label=$label.type=cache" | while read -r volume; do
      # Any container, running or not, keeps its volumes (a job's containers
      # stop between its stages).
      [ -z "$(docker ps -aq --filter "volume=$volume")" ] || continue
      used="$(to_epoch "$(docker volume inspect --format '{{.CreatedAt}}' "$volume")")"
      last="$(last_used volume "$volume")"
      [ -n "$last" ] && [ "$last" -gt "$used" ] && used="$last"
      echo "$used volume $volume $volume"
    done
    ;;
  image)
    in_use="$(used_images)"
    awk '$1 == "image" { print $2 }' "$ledger" | sort -u | while read -r image; do
      docker image inspect "$image" >/dev/null 2>&1 || continue
      case "$in_use" in *"$image"*) continue ;; esac
      kept "$image" && continue
      tags="$(docker image inspect --format '{{join .RepoTags ","}}' "$image")"
      echo "$(last_used image "$image") image $image \${tags:-$image}"
    done
    ;;
  esac | sort -n
}

# Why an object of this kind and age goes, or nothing when it stays.
expired() { # kind, age in seconds
  case "$1" in
  container) [ "$2" -ge $((exited_hours * 3600)) ] && echo "exited $(($2 / 3600)) h ago (limit $exited_hours h)" ;;
  volume) [ "$2" -ge $((cache_days * 86400)) ] && echo "cache not used for $(($2 / 86400)) days (limit $cache_days)" ;;
  image) [ "$2" -ge $((image_days * 86400)) ] && echo "no job used it for $(($2 / 86400)) days (limit $image_days)" ;;
  esac
}

pass() {
  t="$(now)"
  docker ps -q --filter "label=$label.managed=true" | while read -r id; do note_container "$id" "$t"; done
  # Kind by kind: removed containers free their volumes, removed volumes nothing else.
  for kind in container volume image; do
    candidates "$kind" | while read -r used kind id name; do
      why="$(expired "$kind" $((t - used)))" && remove "$kind" "$id" "$name" "$why"
    done
  done
  [ "$min_free" -gt 0 ] || return 0
  free="$(free_percent)"
  [ "$free" -lt "$min_free" ] || return 0
  # Short of space: the oldest first, whatever their age; a container only once
  # no job can still need it (it exited longer ago than the longest job).
  for kind in container volume image; do candidates "$kind"; done | sort -n | while read -r used kind id name; do
    [ "$kind" != container ] || [ $((t - used)) -ge "$longest_job" ] || continue
    free="$(free_percent)"
    [ "$free" -lt "$min_free" ] || break
    remove "$kind" "$id" "$name" "free space $free % below $min_free %, oldest first (last used $(((t - used) / 3600)) h ago)"
  done
  free="$(free_percent)"
  [ "$free" -ge "$min_free" ] || log "free space $free % below $min_free %: nothing of GitLab Runner's left to remove"
}

compact() { # the latest use of each object that still exists
  awk '{ k = $1 " " $2; if (!(k in m) || $3 > m[k]) m[k] = $3 } END { for (k in m) print k, m[k] }' "$ledger" |
    while read -r kind name used; do
      docker "$kind" inspect "$name" >/dev/null 2>&1 && echo "$kind $name $used"
    done | sort >"$state/last-used.new"
  mv "$state/last-used.new" "$ledger"
}

case "\${1:-loop}" in
${ONCE_ARGUMENT})
  pass
  compact
  write_metrics
  ;;
loop)
  trap 'exit 0' TERM INT
  log "every \${${v.intervalSeconds}} s: cache volumes unused $cache_days days, exited containers after $exited_hours h, images unused $image_days days, oldest first below $min_free % free"
  follow_starts &
  while :; do
    pass
    compact
    write_metrics
    sleep "\${${v.intervalSeconds}}" &
    wait $!
  done
  ;;
*) log "unknown argument $1 (once or loop)" >&2; exit 2 ;;
esac
`;
}
