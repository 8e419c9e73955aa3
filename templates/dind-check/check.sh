# dind-check: proves a runner's build environment, each check one JUnit test case.
#
# templates/dind-check/template.yml runs this file as the job's script (the template carries it
# verbatim; test/templates/dind-check-embed.test.ts keeps the two equal). POSIX sh as in the
# docker:<v>-cli image (BusyBox ash and awk); it reads only DIND_CHECK_* variables, which the
# template sets from its inputs, and the job's Docker connection (DOCKER_HOST, DOCKER_TLS_VERIFY,
# DOCKER_CERT_PATH; BUILDKIT_HOST with backend buildkit). Every check runs even when one before it fails; the job fails at the end
# when any did. DIND_CHECK_MODE=cache-read runs only the cache check of the second job.
#
# Reports: $DIND_CHECK_REPORT.xml (JUnit: testsuites/testsuite/testcase with failure or skipped,
# as GitLab's Gitlab::Ci::Parsers::Test::Junit reads it) and $DIND_CHECK_REPORT.json.

list_items() { printf '%s\n' "$1" | awk -F'"' '{ for (i = 2; i <= NF; i += 2) print $i }'; }
now() { date +%s; }

report=${DIND_CHECK_REPORT:-dind-check}
suite=${DIND_CHECK_NAME:-dind-check}
cases_file=$(mktemp)
failures=0
skips=0
count=0
suite_start=$(now)

xml_escape() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
json_escape() { printf '%s' "$1" | tr '\t\r' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
# One line of plain text: newlines and tabs become spaces (the cases file is tab-separated), and
# control characters (terminal colours of a tool's output) go, since XML 1.0 refuses them.
one_line() { printf '%s' "$1" | tr '\n\t' '  ' | tr -d '\000-\010\013\014\016-\037' | sed -e 's/  */ /g' -e 's/ $//'; }

# record <name> <passed|failed|skipped> <seconds> <message>: one test case, printed at once.
record() {
  message=$(one_line "$4")
  count=$((count + 1))
  case "$2" in
    passed) echo "ok: $1: $message" ;;
    skipped) skips=$((skips + 1)) && echo "skipped: $1: $message" ;;
    *) failures=$((failures + 1)) && echo "FAILED: $1: $message" >&2 ;;
  esac
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$message" >> "$cases_file"
}

write_reports() {
  total=$(($(now) - suite_start))
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    printf '<testsuites name="%s" tests="%s" failures="%s" skipped="%s" time="%s">\n' "$(xml_escape "$suite")" "$count" "$failures" "$skips" "$total"
    printf '  <testsuite name="%s" tests="%s" failures="%s" errors="0" skipped="%s" time="%s">\n' "$(xml_escape "$suite")" "$count" "$failures" "$skips" "$total"
    while IFS="$(printf '\t')" read -r name status seconds message; do
      printf '    <testcase classname="%s" name="%s" time="%s"' "$(xml_escape "$suite")" "$(xml_escape "$name")" "$seconds"
      case "$status" in
        passed) printf '>\n      <system-out>%s</system-out>\n    </testcase>\n' "$(xml_escape "$message")" ;;
        skipped) printf '>\n      <skipped message="%s"/>\n    </testcase>\n' "$(xml_escape "$message")" ;;
        *) printf '>\n      <failure message="%s">%s</failure>\n    </testcase>\n' "$(xml_escape "$message")" "$(xml_escape "$message")" ;;
      esac
    done < "$cases_file"
    echo '  </testsuite>'
    echo '</testsuites>'
  } > "$report.xml"
  {
    printf '{\n  "suite": "%s",\n  "tests": %s,\n  "failures": %s,\n  "skipped": %s,\n  "checks": [' "$(json_escape "$suite")" "$count" "$failures" "$skips"
    separator=""
    while IFS="$(printf '\t')" read -r name status seconds message; do
      printf '%s\n    {"name": "%s", "status": "%s", "seconds": %s, "message": "%s"}' "$separator" "$(json_escape "$name")" "$status" "$seconds" "$(json_escape "$message")"
      separator=","
    done < "$cases_file"
    printf '\n  ]\n}\n'
  } > "$report.json"
  echo "dind-check $suite: $count checks, $failures failed, $skips skipped; reports $report.xml and $report.json."
}

finish() {
  write_reports
  rm -f "$cases_file"
  [ "$failures" -eq 0 ] || exit 1
  exit 0
}

# The distributed cache: the first job wrote the file below into its cache; this second job
# (same runner tags, needs the first) must find it, with the first job's id in it.
cache_file=.dind-check-cache/written-by
if [ "${DIND_CHECK_MODE:-check}" = cache-read ]; then
  start=$(now)
  expected=${DIND_CHECK_CACHE_WRITER:-}
  found=""
  if [ -f "$cache_file" ]; then read -r found < "$cache_file" || true; fi
  if [ -z "$expected" ]; then
    record cache skipped 0 "not checked: the first job wrote no cache entry (it stopped before; see its report)."
  elif [ -n "$found" ] && [ "$found" = "$expected" ]; then
    record cache passed $(($(now) - start)) "read the cache written by job $found of this pipeline."
  elif [ -n "$found" ]; then
    record cache failed $(($(now) - start)) "the cache holds an entry of job $found, not of job $expected of this pipeline: the cache key is shared with another pipeline, or this job read a stale local copy. Fix: the runners' distributed cache (the stack's cache settings: every runner of these tags on the same bucket and path), then deploy."
  else
    record cache failed $(($(now) - start)) "no cache entry of the first job ($cache_file missing): the runners of these tags do not share a distributed cache, so a job on another runner starts cold. Fix: give every runner of these tags the same distributed cache in the stack's cache settings, then deploy."
  fi
  finish
fi

# --- daemon: answers within the promised time, over the declared TLS mode, at host docker ----
# DIND_CHECK_BACKEND is the runner's build backend (docs/build-backends.md): `dind` checks the
# runner's dind service; `socket` the host engine behind the bound socket (no TLS, and the
# host's daemon.json, not the stack, decides registries, mirrors and MTU); `buildkit` has no
# Docker daemon, so its check is that BuildKit answers at BUILDKIT_HOST and daemon-only checks
# are skipped.
backend=${DIND_CHECK_BACKEND:-dind}
timeout=${DIND_CHECK_DAEMON_TIMEOUT:-60}
builder="dind-check-${CI_JOB_ID:-local}"
buildkit_up=""
# The template sets DIND_CHECK_DOCKER_HOST with DOCKER_HOST; a project or pipeline variable
# DOCKER_HOST takes precedence over the job's own and would point the job elsewhere.
if [ "$backend" = socket ]; then
  expected_host=unix:///var/run/docker.sock
  expected_why="backend socket: the host engine's socket, which the runner binds"
elif [ "${DIND_CHECK_TLS:-true}" = true ]; then
  expected_host=tcp://docker:2376
  expected_why="dind.tls true, service alias docker"
else
  expected_host=tcp://docker:2375
  expected_why="dind.tls false, service alias docker"
fi
expected_host=${DIND_CHECK_DOCKER_HOST:-$expected_host}
daemon_up=""
start=$(now)
if [ "$backend" = buildkit ]; then
  record daemon skipped 0 "backend buildkit: the runner gives its jobs no Docker daemon (the buildkit check proves its BuildKit service)."
  # buildx's remote driver to BUILDKIT_HOST, the path docker-build takes; `inspect --bootstrap`
  # dials BuildKit and fails while it does not answer (docker/buildx commands/inspect.go).
  if [ -z "${BUILDKIT_HOST:-}" ]; then
    record buildkit failed 0 "BUILDKIT_HOST is not set: this runner gives its jobs no BuildKit service, so it is no buildkit runner. Fix: run this job on the runner's tags (the rendered include sets them) and deploy the stack so the runner has dind.backend buildkit, or render the include again if the backend changed."
  elif ! output=$(docker buildx create "$BUILDKIT_HOST" --name "$builder" --driver remote --use 2>&1); then
    record buildkit failed 0 "docker buildx create --driver remote $BUILDKIT_HOST failed ($(one_line "$output")). Fix: BUILDKIT_HOST must be the runner's, tcp://buildkitd:1234 (the BuildKit service's alias and port); a project, group or pipeline variable BUILDKIT_HOST overrides it, remove it."
  else
    attempt=1
    while :; do
      if output=$(docker buildx inspect --bootstrap "$builder" 2>&1); then buildkit_up=1 && break; fi
      if [ "$attempt" -ge "$timeout" ] || [ $(($(now) - start)) -ge "$timeout" ]; then break; fi
      attempt=$((attempt + 1))
      sleep 1
    done
    elapsed=$(($(now) - start))
    if [ -n "$buildkit_up" ]; then
      record buildkit passed "$elapsed" "BuildKit answered at $BUILDKIT_HOST after $elapsed s, within $timeout s."
    else
      record buildkit failed "$elapsed" "BuildKit did not answer at $BUILDKIT_HOST within $timeout s ($attempt attempts; last: $(printf '%s\n' "$output" | tail -n 1)). Fix: the runner's BuildKit service (alias buildkitd) did not start: read its log in the job; it needs seccomp and AppArmor unconfined (docs/build-backends.md), on Kubernetes GitLab Runner 18.11 or later."
    fi
  fi
elif [ "${DOCKER_HOST:-}" != "$expected_host" ]; then
  record daemon failed 0 "DOCKER_HOST is ${DOCKER_HOST:-not set}, expected $expected_host ($expected_why). Fix: a project, group or pipeline variable DOCKER_HOST overrides the job's; remove it."
elif [ "$backend" = dind ] && [ "${DIND_CHECK_TLS:-true}" = true ] && { [ -z "${DOCKER_TLS_VERIFY:-}" ] || [ ! -f "${DOCKER_CERT_PATH:-/nonexistent}/cert.pem" ]; }; then
  record daemon failed 0 "dind.tls is true but the job has no client certificate (DOCKER_TLS_VERIFY '${DOCKER_TLS_VERIFY:-}', DOCKER_CERT_PATH '${DOCKER_CERT_PATH:-}' without cert.pem). Fix: the runner must mount dind's client certificates (deploy the stack so config.toml has the certificate volume), or set tls: false only if the stack's dind.tls is false."
else
  attempt=1
  answered=""
  while :; do
    if output=$(docker version --format '{{.Server.Version}}' 2>&1); then answered=1 && break; fi
    if [ "$attempt" -ge "$timeout" ] || [ $(($(now) - start)) -ge "$timeout" ]; then break; fi
    attempt=$((attempt + 1))
    sleep 1
  done
  elapsed=$(($(now) - start))
  output=$(one_line "$output")
  if [ -n "$answered" ]; then
    daemon_up=1
    if [ "$backend" = socket ]; then
      mode="the host engine's socket"
    elif [ "${DIND_CHECK_TLS:-true}" = true ]; then mode=TLS; else mode="plain TCP"; fi
    record daemon passed "$elapsed" "Docker $output answered at $DOCKER_HOST ($mode) after $elapsed s, within $timeout s."
  else
    case "$output" in
      *"HTTP response to HTTPS client"*)
        record daemon failed "$elapsed" "the daemon at $DOCKER_HOST serves plain HTTP, but the job uses TLS: the runner's dind runs without TLS. Fix: set the include's tls input to the stack's dind.tls (npm run render writes it), or deploy the stack so dind has TLS." ;;
      *"HTTP request to an HTTPS server"*)
        record daemon failed "$elapsed" "the daemon at $DOCKER_HOST serves TLS, but the job speaks plain HTTP: the runner's dind has TLS. Fix: set the include's tls input to the stack's dind.tls (npm run render writes it), or deploy the stack." ;;
      *)
        if [ "$backend" = socket ]; then
          record daemon failed "$elapsed" "the host engine did not answer at $DOCKER_HOST within $timeout s ($attempt attempts; last: $output). Fix: run this job on the runner's tags (the rendered include sets them); deploy the stack so the runner binds /var/run/docker.sock (backend socket), and check on the host that dockerd runs."
        else
          record daemon failed "$elapsed" "no Docker daemon answered at $DOCKER_HOST within $timeout s ($attempt attempts; last: $output). Fix: run this job on the runner's tags (the rendered include sets them); on the host, check that the runner's dind service starts (its log) and that the stack's dind.tls matches the include's tls input."
        fi ;;
    esac
  fi
fi

# Every other check asks the daemon; without it they are reported as not run.
not_run() { record "$1" skipped 0 "not checked: no Docker daemon answered (see the daemon check)."; }
# Checks of a Docker daemon on backend buildkit, which has none.
no_daemon() { record "$1" skipped 0 "not checked: backend buildkit has no Docker daemon$2."; }
# Checks of dind settings on backend socket, where the host engine's own daemon.json decides.
host_setting() { record "$1" skipped 0 "not checked: backend socket uses the host engine, whose $2 its own /etc/docker/daemon.json decides, not the stack (docs/build-backends.md)."; }

# --- storage driver, cgroup version, firewall backend ----------------------------------------
if [ "$backend" = buildkit ]; then
  no_daemon storage-driver " (BuildKit keeps its own snapshots)"
  no_daemon cgroup-version ""
  no_daemon firewall-backend ""
elif [ -n "$daemon_up" ]; then
  driver=$(docker info --format '{{.Driver}}' 2>&1) || true
  declared=${DIND_CHECK_STORAGE_DRIVER:-overlay2}
  if [ "$backend" = socket ] && [ "$driver" = vfs ]; then
    record storage-driver failed 0 "the host engine uses vfs (a full copy per layer: slow, huge). Fix on the host: set storage-driver overlay2 in /etc/docker/daemon.json (with the overlay module loaded) and restart dockerd."
  elif [ "$backend" = socket ]; then
    record storage-driver passed 0 "storage driver ${driver:-unknown} of the host engine (backend socket: the host decides; not vfs)."
  elif [ "$driver" = vfs ] && [ "$declared" != vfs ]; then
    record storage-driver failed 0 "the daemon uses vfs, not $declared: dind fell back to vfs (a full copy per layer: slow, huge), because overlay2 did not work inside dind. Fix on the host: load the overlay module (the stack's manageOverlayModule: true does it) and give dind's /var/lib/docker a volume that is not overlayfs, then redeploy."
  elif [ "$driver" = vfs ]; then
    record storage-driver failed 0 "the stack declares dind.storageDriver vfs (a full copy per layer: slow, huge). Fix: set dind.storageDriver to overlay2 in the stack (with manageOverlayModule: true where the host lacks the overlay module) and deploy."
  elif [ "$driver" = "$declared" ]; then
    record storage-driver passed 0 "storage driver $driver, as declared."
  else
    record storage-driver failed 0 "the daemon uses the storage driver ${driver:-unknown}, the stack declares $declared. Fix: set dind.storageDriver in the stack to what the host supports, or fix the host so $declared works, then deploy."
  fi

  cgroup=$(docker info --format '{{.CgroupVersion}}' 2>&1) || true
  expected_cgroup=${DIND_CHECK_CGROUP_VERSION:-2}
  if [ "$expected_cgroup" = any ]; then
    record cgroup-version passed 0 "cgroup version $cgroup (any accepted: cgroup-version input any)."
  elif [ "$cgroup" = "$expected_cgroup" ]; then
    record cgroup-version passed 0 "cgroup version $cgroup, as expected."
  else
    record cgroup-version failed 0 "the daemon runs on cgroup version ${cgroup:-unknown}, expected $expected_cgroup (Docker deprecates cgroup v1; resource limits of job containers differ). Fix on the host: boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1), or set the include's cgroup-version input to $cgroup if this host is meant to stay so."
  fi

  # dockerd 28+ reports its firewall backend (FirewallBackend.Driver); older daemons report none.
  firewall=$(docker info --format '{{if .FirewallBackend}}{{.FirewallBackend.Driver}}{{end}}' 2>/dev/null) || firewall=""
  expected_firewall=${DIND_CHECK_FIREWALL_BACKEND:-iptables}
  if [ -z "$firewall" ]; then
    record firewall-backend skipped 0 "the daemon does not report its firewall backend (dockerd before 28)."
  elif [ "$expected_firewall" = any ] || [ "$firewall" = "$expected_firewall" ]; then
    record firewall-backend passed 0 "firewall backend $firewall."
  else
    record firewall-backend failed 0 "the daemon uses the firewall backend $firewall, expected $expected_firewall: an OS or image upgrade changed it, and the host's NAT rules of the other backend no longer apply to dind's networks. Fix on the host: load the kernel modules of $expected_firewall (iptables: ip_tables, iptable_nat), or set the include's firewall-backend input to $firewall once builds pass with it."
  fi
else
  not_run storage-driver
  not_run cgroup-version
  not_run firewall-backend
fi

# --- MTU: the inner network's MTU never above the job's route out, and the stack's -----------
# The job's own route out: the interface of the default route (/proc/net/route) and its MTU.
root=${DIND_CHECK_ROOT:-}
route_iface=""
if [ -r "$root/proc/net/route" ]; then
  while read -r name destination rest; do
    if [ "$destination" = 00000000 ]; then route_iface=$name && break; fi
  done < "$root/proc/net/route"
fi
route_mtu=""
if [ -n "$route_iface" ] && [ -r "$root/sys/class/net/$route_iface/mtu" ]; then read -r route_mtu < "$root/sys/class/net/$route_iface/mtu"; fi
if [ "$backend" = buildkit ]; then
  no_daemon mtu-route " (BuildKit's RUN steps use its service's network)"
  no_daemon mtu-network " (BuildKit's RUN steps use its service's network)"
elif [ "$backend" = socket ]; then
  host_setting mtu-route "network MTU"
  host_setting mtu-network "network MTU"
elif [ -n "$daemon_up" ]; then
  inner_mtu=$(docker network inspect bridge --format '{{index .Options "com.docker.network.driver.mtu"}}' 2>/dev/null) || inner_mtu=""
  # Docker's default bridge MTU is 1500; "<no value>" is what the template prints for no option.
  case "$inner_mtu" in '' | '<no value>') inner_mtu=1500 ;; esac
  declared_mtu=${DIND_CHECK_MTU:-1500}
  if [ -z "$route_mtu" ]; then
    record mtu-route failed 0 "could not read the MTU of the job's route out (no default route in $root/proc/net/route, or no $root/sys/class/net/${route_iface:-?}/mtu). Fix: run the job on a runner whose job containers have a network (not network_mode none)."
  elif [ "$inner_mtu" -le "$route_mtu" ]; then
    record mtu-route passed 0 "inner MTU $inner_mtu, not above the MTU $route_mtu of the job's route out ($route_iface)."
  else
    record mtu-route failed 0 "the daemon's bridge MTU $inner_mtu is above the MTU $route_mtu of the job's route out ($route_iface): large packets of builds are dropped and RUN steps hang without an error. Fix: set dind.mtu in the stack to $route_mtu (or lower) and deploy."
  fi
  if [ "$inner_mtu" = "$declared_mtu" ]; then
    record mtu-network passed 0 "the daemon's bridge network has the MTU $inner_mtu, as the stack declares."
  else
    record mtu-network failed 0 "the daemon's bridge network has the MTU $inner_mtu, the stack declares $declared_mtu. Fix: deploy the stack (the runner's daemon.json sets the MTU), or render the include again if dind.mtu changed."
  fi
else
  not_run mtu-route
  not_run mtu-network
fi

# --- DNS: each extraHosts name resolves inside the daemon to the declared address -------------
# A container on dind's host network gets dind's /etc/hosts and resolv.conf, so it resolves as
# the daemon does (its pulls, BuildKit's network=host RUN steps).
probe_image=${DIND_CHECK_PROBE_IMAGE:-alpine:3.22.1}
while IFS= read -r entry; do
  [ -n "$entry" ] || continue
  name=${entry%%:*}
  ip=${entry#*:}
  if [ "$backend" != dind ]; then
    # socket and buildkit: the runner writes extraHosts into the job's own /etc/hosts
    # (extra_hosts on Docker hosts, the pod's hostAliases on Kubernetes); no dind to ask.
    address=$(awk -v name="$name" '$1 !~ /^#/ { for (i = 2; i <= NF; i++) if ($i == name) { print $1; exit } }' "$root/etc/hosts" 2>/dev/null) || address=""
    if [ "$address" = "$ip" ]; then
      record "dns $name" passed 0 "$name resolves to $ip in the job's /etc/hosts (backend $backend)."
    else
      record "dns $name" failed 0 "$name resolves to ${address:-nothing} in the job's /etc/hosts, expected $ip (the stack's extraHosts; backend $backend). Fix: deploy the stack (the runner gives its job containers extra_hosts, on Kubernetes hostAliases, from dind.extraHosts)."
    fi
    continue
  fi
  if [ -z "$daemon_up" ]; then not_run "dns $name" && continue; fi
  start=$(now)
  resolved=$(docker run --rm --network host "$probe_image" getent hosts "$name" 2>&1) || resolved=""
  address=$(printf '%s\n' "$resolved" | awk 'NR == 1 { print $1 }')
  if [ "$address" = "$ip" ]; then
    record "dns $name" passed $(($(now) - start)) "$name resolves to $ip inside the daemon."
  else
    record "dns $name" failed $(($(now) - start)) "$name resolves to ${address:-nothing} inside the daemon, expected $ip (the stack's extraHosts). Fix: deploy the stack (the runner gives dind extra_hosts from dind.extraHosts); on Kubernetes the job pod's hostAliases come from the same setting."
  fi
done <<EOF
$(list_items "${DIND_CHECK_EXTRA_HOSTS:-}")
EOF

# --- registries: the daemon reaches each one's /v2/ as configured -----------------------------
# `docker pull` of an absent image pings /v2/ first (moby daemon/pkg/registry): an answer about
# the image (not found, unauthorized) proves name resolution, transport and trust; the error
# text names what failed before that.
probe_registry() {
  kind=$1 registry=$2
  if [ -z "$daemon_up" ]; then not_run "registry $registry" && return 0; fi
  start=$(now)
  if [ "$kind" = insecure ]; then how="as an insecure registry (dind.insecureRegistries)"; else how="over TLS with the CA of dind.registryCertificates"; fi
  if output=$(docker pull "$registry/dind-check/absent:probe" 2>&1); then
    record "registry $registry" passed $(($(now) - start)) "$registry answered /v2/ $how."
    return 0
  fi
  output=$(one_line "$output")
  case "$output" in
    *"manifest unknown"* | *"not found"* | *"unauthorized"* | *"denied"* | *"authentication required"*)
      record "registry $registry" passed $(($(now) - start)) "$registry answered /v2/ $how." ;;
    *"no such host"* | *"server misbehaving"*)
      record "registry $registry" failed $(($(now) - start)) "$registry does not resolve inside the daemon ($output). Fix: add its name to dind.extraHosts or dind.dns in the stack, or fix the host's DNS, then deploy." ;;
    *"x509"* | *"certificate"*)
      record "registry $registry" failed $(($(now) - start)) "the daemon does not trust the certificate of $registry ($output). Fix: add its CA to dind.registryCertificates in the stack (registry: $registry), or list it in dind.insecureRegistries, then deploy." ;;
    *"HTTP response to HTTPS client"*)
      record "registry $registry" failed $(($(now) - start)) "$registry speaks plain HTTP, but the daemon uses HTTPS for it ($output). Fix: list it in dind.insecureRegistries in the stack and deploy." ;;
    *)
      record "registry $registry" failed $(($(now) - start)) "$registry did not answer /v2/ ($output). Fix: check that the registry runs and that the runner host's network reaches it (firewall, proxy)." ;;
  esac
}
case "$backend" in
  socket) host_setting registries "insecure registries and registry CAs (/etc/docker/certs.d)" ;;
  buildkit) no_daemon registries " to pull through (the stack's registries are in the runner's buildkitd.toml, which the build check's pull uses)" ;;
esac
while IFS= read -r registry; do
  [ "$backend" = dind ] || break
  [ -n "$registry" ] && probe_registry insecure "$registry"
done <<EOF
$(list_items "${DIND_CHECK_INSECURE_REGISTRIES:-}")
EOF
while IFS= read -r registry; do
  [ "$backend" = dind ] || break
  [ -n "$registry" ] && probe_registry trusted "$registry"
done <<EOF
$(list_items "${DIND_CHECK_CA_REGISTRIES:-}")
EOF

# --- mirrors: configured in the daemon and answering Docker Hub pulls -------------------------
mirrors_seen=" "
case "$backend" in
  socket) host_setting mirrors "registry mirrors" ;;
  buildkit) no_daemon mirrors " to pull through (the stack's mirrors are in the runner's buildkitd.toml, which the build check's pull uses)" ;;
esac
if [ "$backend" = dind ] && [ -n "$daemon_up" ]; then
  mirrors_seen=" $(docker info --format '{{range .RegistryConfig.Mirrors}}{{.}} {{end}}' 2>/dev/null | sed 's#/ # #g; s#/$##') "
fi
while IFS= read -r mirror; do
  [ "$backend" = dind ] || break
  [ -n "$mirror" ] || continue
  if [ -z "$daemon_up" ]; then not_run "mirror $mirror" && continue; fi
  start=$(now)
  case "$mirrors_seen" in
    *" ${mirror%/} "*) ;;
    *)
      record "mirror $mirror" failed 0 "the daemon does not use the mirror $mirror (its mirrors:$(one_line "$mirrors_seen")): Docker Hub pulls go to Docker Hub and meet its rate limits. Fix: deploy the stack (dind.registryMirrors is written to daemon.json)."
      continue ;;
  esac
  # The mirror answers /v2/ from inside the daemon's network (a container on dind's host
  # network, as the daemon's own pulls go): 200, or 401 from a mirror that wants a token. Trust
  # is not judged here (--no-check-certificate): an https mirror's CA is the registry checks'.
  answer=$(docker run --rm --network host "$probe_image" wget -q -S -O /dev/null --no-check-certificate "${mirror%/}/v2/" 2>&1) || true
  status=$(printf '%s\n' "$answer" | sed -n 's#.*HTTP/[0-9.]* \([0-9][0-9][0-9]\).*#\1#p' | tail -n 1)
  case "$status" in
    200 | 401) record "mirror $mirror" passed $(($(now) - start)) "the daemon uses $mirror, and it answers /v2/ (HTTP $status)." ;;
    *) record "mirror $mirror" failed $(($(now) - start)) "the daemon lists $mirror, but it does not answer /v2/ from the daemon's network (${status:+HTTP $status: }$(one_line "$answer")): the daemon silently falls back to Docker Hub and its rate limits. Fix: make the mirror reachable from the runner host, or remove it from dind.registryMirrors." ;;
  esac
done <<EOF
$(list_items "${DIND_CHECK_MIRRORS:-}")
EOF

# --- mirror pull: a Docker Hub pull through the daemon is served by its mirrors ---------------
# dockerd falls back to Docker Hub, silently, when its mirrors fail a pull (moby
# daemon/pkg/registry LookupPullEndpoints lists the mirrors first, then registry-1.docker.io), so
# a listed, answering mirror does not prove it serves pulls. Docker Hub's own count does: its
# ratelimit-remaining header (per address, the same for the job and its dind on both executors),
# read before and after the daemon pulls probe-image. BusyBox wget has no HEAD (--spider sends a
# GET, networking/wget.c download_one_url), and Docker Hub counts a manifest GET as a pull
# (docs.docker.com docker-hub/download-rate-limit), so the second reading lowers the count by 1
# itself: a drop of 2 or more is a pull Docker Hub served.
hub_token_url='https://auth.docker.io/token?service=registry.docker.io&scope=repository:ratelimitpreview/test:pull'
hub_manifest_url='https://registry-1.docker.io/v2/ratelimitpreview/test/manifests/latest'
# Sets hub_reading to Docker Hub's ratelimit-remaining, or empty with hub_why saying why.
read_hub_remaining() {
  hub_reading=""
  hub_token=$(wget -q -T 10 -O - "$hub_token_url" 2>/dev/null | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p') || true
  if [ -z "$hub_token" ]; then
    hub_why="Docker Hub is not reachable from the job (no token from auth.docker.io)"
    return 0
  fi
  hub_reading=$(wget -q -S --spider -T 10 --header "Authorization: Bearer $hub_token" "$hub_manifest_url" 2>&1 |
    tr 'A-Z' 'a-z' | sed -n 's/^ *ratelimit-remaining: *\([0-9][0-9]*\).*/\1/p' | tail -n 1) || true
  [ -n "$hub_reading" ] || hub_why="Docker Hub sent no ratelimit-remaining header (no pull limit applies to this address)"
}
mirror_list_text=$(list_items "${DIND_CHECK_MIRRORS:-}" | awk 'NF { printf "%s%s", sep, $0; sep = ", " }')
if [ "$backend" = dind ] && [ -n "$mirror_list_text" ]; then
  case "$probe_image" in
    */*) probe_registry=${probe_image%%/*} ;;
    *) probe_registry=docker.io ;;
  esac
  case "$probe_registry" in
    docker.io) ;;
    *.* | *:* | localhost) probe_registry=other ;;
  esac
  if [ -z "$daemon_up" ]; then
    not_run "mirror pull"
  elif [ "$probe_registry" = other ]; then
    record "mirror pull" skipped 0 "not checked: probe-image $probe_image is not a Docker Hub image, so its pull says nothing about the mirrors."
  else
    start=$(now)
    # A first pull fills a pull-through mirror's cache (its own fetch from Docker Hub counts
    # there); removing the image makes the measured pull fetch its manifest again.
    docker pull "$probe_image" > /dev/null 2>&1 || true
    docker image rm "$probe_image" > /dev/null 2>&1 || true
    hub_why=""
    read_hub_remaining
    before=$hub_reading
    if ! output=$(docker pull "$probe_image" 2>&1); then
      record "mirror pull" failed $(($(now) - start)) "the daemon could not pull $probe_image through its mirrors ($(one_line "$output")). Fix: make a mirror of dind.registryMirrors ($mirror_list_text) serve Docker Hub's images (a pull-through cache of registry-1.docker.io), or check that the runner host reaches it."
    else
      read_hub_remaining
      after=$hub_reading
      if [ -z "$before" ] || [ -z "$after" ]; then
        record "mirror pull" passed $(($(now) - start)) "the daemon pulled $probe_image; not proven that a mirror served it: $hub_why, so its ratelimit-remaining could not be compared."
      elif [ $((before - after)) -ge 2 ]; then
        if [ -z "$(printf '%s' "$mirrors_seen" | tr -d ' ')" ]; then
          fix="Fix: deploy the stack: the daemon uses no mirror at all, and dind.registryMirrors is written to its daemon.json."
        else
          fix="Fix: make the mirror a pull-through cache of Docker Hub (remote URL https://registry-1.docker.io) that serves $probe_image, and read its log for the pull it failed (the daemon then falls back to Docker Hub); another pull from this address during the check counts too, so run the check again to confirm."
        fi
        record "mirror pull" failed $(($(now) - start)) "Docker Hub's ratelimit-remaining went from $before to $after while the daemon pulled $probe_image (the second reading counts 1): Docker Hub served the pull, not a mirror of dind.registryMirrors ($mirror_list_text), so pulls meet Docker Hub's rate limits. $fix"
      else
        record "mirror pull" passed $(($(now) - start)) "the daemon pulled $probe_image through its mirrors: Docker Hub's ratelimit-remaining went from $before to $after, the second reading's own count, so Docker Hub charged no pull."
      fi
    fi
  fi
fi

# buildkitd.toml for the dind builder, as docker-build writes it from its dind-flags (the render
# gives it --insecure-registry= for each insecure registry, then --registry-mirror= for each
# mirror: the same lists as this job's inputs) and from dind's certs.d: one table per registry
# host (TOML refuses a table twice); an insecure registry gets `http` and `insecure` (dockerd's
# --insecure-registry: HTTPS without verification, falling back to plain HTTP; moby/buildkit
# util/resolver/resolver.go fillInsecureOpts), a plain-HTTP mirror's host `http`, docker.io its
# `mirrors`, and every host with *.crt files in certs.d (moby daemon/pkg/registry
# ReadCertsDirectory) those files as `ca`: BuildKit trusts only the CAs its buildkitd.toml names
# (resolver.go loadTLSConfig), and buildx copies them into the builder (docker/buildx
# util/confutil/container.go LoadConfigFiles). test/templates/dind-check.test.ts compares the
# result with docker-build's for the same registries.
write_buildkitd_config() {
  registry_lines=$(mktemp)
  mirror_list=""
  while IFS= read -r value; do
    [ -n "$value" ] || continue
    printf '%s\thttp = true\n%s\tinsecure = true\n' "$value" "$value" >> "$registry_lines"
  done <<EOF
$(list_items "${DIND_CHECK_INSECURE_REGISTRIES:-}")
EOF
  while IFS= read -r value; do
    [ -n "$value" ] || continue
    mirror=${value#*://} && mirror=${mirror%/}
    mirror_list="$mirror_list${mirror_list:+, }\"$mirror\""
    case "$value" in
      http://*) printf '%s\thttp = true\n' "${mirror%%/*}" >> "$registry_lines" ;;
    esac
  done <<EOF
$(list_items "${DIND_CHECK_MIRRORS:-}")
EOF
  if [ -n "$mirror_list" ]; then printf 'docker.io\tmirrors = [%s]\n' "$mirror_list" >> "$registry_lines"; fi
  # dind's /etc/docker/certs.d is visible in the job too (a Docker-executor volume, a Kubernetes
  # ConfigMap volume: both reach every container of the job).
  certs_d=${DIND_CHECK_CERTS_D:-/etc/docker/certs.d}
  for registry_dir in "$certs_d"/*/; do
    [ -d "$registry_dir" ] || continue
    cas=""
    for ca in "$registry_dir"*.crt; do
      if [ -f "$ca" ]; then cas="$cas${cas:+, }\"$ca\""; fi
    done
    registry_dir=${registry_dir%/}
    if [ -n "$cas" ]; then printf '%s\tca = [%s]\n' "${registry_dir##*/}" "$cas" >> "$registry_lines"; fi
  done
  awk -F '\t' '
    !($0 in seen) { seen[$0] = 1; if (!($1 in keys)) order[++n] = $1; keys[$1] = keys[$1] "  " $2 "\n" }
    END { for (i = 1; i <= n; i++) printf "[registry.\"%s\"]\n%s", order[i], keys[order[i]] }
  ' "$registry_lines" > "$1"
  awk_status=$?
  rm -f "$registry_lines"
  return "$awk_status"
}

# --- build: a tiny image, the way docker-build builds, optionally pushed; its time reported. ---
# dind: a docker-container BuildKit builder on dind's host network, through a context of its
# own, with docker-build's buildkitd.toml (so FROM pulls through the stack's mirrors and CAs). socket: a docker-container builder of this job's own on the host engine (the default
# context), removed at the end (and by after_script). buildkit: the remote builder of the
# buildkit check; without a Docker daemon nothing is loaded, so with push false the image stays
# in BuildKit's cache.
if [ -n "$daemon_up" ] || [ -n "$buildkit_up" ]; then
  start=$(now)
  context_dir=$(mktemp -d)
  buildkitd_config=$(mktemp)
  printf 'FROM %s\nRUN echo dind-check > /dind-check\n' "$probe_image" > "$context_dir/Dockerfile"
  builder_context="$builder-dind"
  if [ -n "${DOCKER_TLS_VERIFY:-}" ]; then
    cert_path=${DOCKER_CERT_PATH:-${DOCKER_CONFIG:-$HOME/.docker}}
    endpoint="host=$DOCKER_HOST,ca=$cert_path/ca.pem,cert=$cert_path/cert.pem,key=$cert_path/key.pem"
  else
    endpoint="host=${DOCKER_HOST:-}"
  fi
  image=${DIND_CHECK_IMAGE:-dind-check}:${CI_PIPELINE_ID:-local}
  if [ "${DIND_CHECK_PUSH:-false}" = true ]; then
    output_flag=--push
  elif [ "$backend" = buildkit ]; then
    output_flag=""
  else
    output_flag=--load
  fi
  step=""
  # A push goes to the project's registry with the job token, as docker-build logs in (the
  # password through stdin only).
  if [ "$output_flag" = --push ] && [ -n "${CI_REGISTRY:-}" ] &&
    ! output=$(printf '%s' "${CI_REGISTRY_PASSWORD:-}" | docker login "$CI_REGISTRY" -u "${CI_REGISTRY_USER:-}" --password-stdin 2>&1); then
    step="docker login $CI_REGISTRY"
  elif [ "$backend" = socket ] && ! output=$(docker buildx create --name "$builder" --driver docker-container \
    --driver-opt "image=${DIND_CHECK_BUILDKIT_IMAGE:-moby/buildkit:v0.25.0}" --bootstrap --use 2>&1 >/dev/null); then
    step="docker buildx create (the BuildKit builder on the host engine)"
  elif [ "$backend" = dind ] && ! output=$(docker context inspect "$builder_context" 2>&1 >/dev/null && docker context update "$builder_context" --docker "$endpoint" 2>&1 >/dev/null ||
    docker context create "$builder_context" --docker "$endpoint" 2>&1 >/dev/null); then
    step="docker context create $builder_context"
  elif [ "$backend" = dind ] && ! output=$(write_buildkitd_config "$buildkitd_config" 2>&1); then
    step="writing buildkitd.toml"
  elif [ "$backend" = dind ] && ! output=$(docker buildx create "$builder_context" --name "$builder" --driver docker-container \
    --driver-opt "image=${DIND_CHECK_BUILDKIT_IMAGE:-moby/buildkit:v0.25.0}" --driver-opt network=host \
    --buildkitd-config "$buildkitd_config" --bootstrap --use 2>&1 >/dev/null); then
    step="docker buildx create (the BuildKit builder in dind)"
  elif ! output=$(docker buildx build --tag "$image" ${output_flag:+"$output_flag"} "$context_dir" 2>&1); then
    step="docker buildx build"
  fi
  elapsed=$(($(now) - start))
  if [ -z "$step" ]; then
    if [ "$output_flag" = --push ]; then
      what="built and pushed $image"
    elif [ "$backend" = buildkit ]; then
      what="built $image into BuildKit's cache at $BUILDKIT_HOST (no Docker daemon to load it into)"
    else
      what="built $image"
    fi
    record build passed "$elapsed" "$what in $elapsed s."
  else
    record build failed "$elapsed" "building a one-step image failed after $elapsed s at $step: $(printf '%s\n' "$output" | tail -n 3). Fix: a hang at RUN points at the MTU checks, a pull error at the registry and mirror checks, a builder error at buildkit-image (pulled through the mirrors)."
  fi
  rm -rf "$context_dir" "$buildkitd_config"
  # The socket builder is a container on the host engine: it must not outlive the job.
  if [ "$backend" = socket ]; then docker buildx rm --force "$builder" > /dev/null 2>&1 || true; fi
elif [ "$backend" = buildkit ]; then
  record build skipped 0 "not checked: BuildKit did not answer (see the buildkit check)."
else
  not_run build
fi

# The distributed cache's first half: written here, read by the second job.
if [ "${DIND_CHECK_CACHE:-false}" = true ]; then
  mkdir -p "${cache_file%/*}"
  echo "${CI_JOB_ID:-local}" > "$cache_file"
  # The second job learns the writer's id from this dotenv report (artifacts:reports:dotenv).
  printf 'DIND_CHECK_CACHE_WRITER=%s\n' "${CI_JOB_ID:-local}" > "$report.env"
  echo "cache: wrote $cache_file for the second job (job ${CI_JOB_ID:-local})."
fi

finish
