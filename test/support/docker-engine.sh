#!/usr/bin/env bash
# Makes a Docker engine available for the engine tests (test/drift/docker-engine.test.ts,
# test/docker/engine-deploy.test.ts, which builds its stand-in images from the test image;
# test/render/daemon-json-dockerd.test.ts):
#   1. installs Debian's docker.io, iproute2, busybox-static and openssl when missing (needs root);
#   2. starts dockerd in the background when no engine answers on /var/run/docker.sock
#      (--iptables=false --bridge=none: the tests need no container networking);
#   3. builds the local test image from a busybox rootfs with `docker import`
#      (no registry is reachable, so nothing is pulled).
# Idempotent: every step is skipped when its result is already there.
# Environment: DIND_RUNNERS_TEST_IMAGE overrides the image tag.
set -euo pipefail

image="${DIND_RUNNERS_TEST_IMAGE:-dind-runners-test/runner:local}"
socket=/var/run/docker.sock
dockerd_log=/var/log/dind-runners-dockerd.log
export DOCKER_HOST="unix://$socket"

log() { echo "docker-engine: $*"; }
fail() {
  echo "docker-engine: $*" >&2
  exit 1
}
need_root() { [ "$(id -u)" -eq 0 ] || fail "$1 needs root (run as root, or provide a Docker engine on $socket)"; }
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
engine_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# 1. Packages. busybox-static, not busybox: the image has no libc.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
# `ip`: the real-dockerd test (test/render/daemon-json-dockerd.test.ts) gives each daemon its own bridge.
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
installed busybox-static || missing+=(busybox-static)
# `openssl`: the docker-build test with a TLS dockerd makes dind's certificates (test/support/dind-tls-certs.ts).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  need_root "installing ${missing[*]}"
  log "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a
  apt_log="$(mktemp)"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    fail "could not install ${missing[*]}"
  fi
  rm -f "$apt_log"
fi

# 2. The engine.
if ! engine_up; then
  need_root "starting dockerd"
  log "starting dockerd (log: $dockerd_log)"
  # Its own session, no inherited stdio: it outlives this script without holding its output open.
  setsid nohup dockerd --iptables=false --bridge=none --host="unix://$socket" </dev/null >"$dockerd_log" 2>&1 &
  for _ in $(seq 1 120); do
    engine_up && break
    sleep 0.5
  done
  if ! engine_up; then
    tail -n 20 "$dockerd_log" >&2 || true
    fail "dockerd did not answer on $socket within 60 s"
  fi
fi
log "engine $(docker version --format '{{.Server.Version}}') on $socket"

# 3. The test image: busybox and a few applet links, shaped like the manager's filesystem.
if ! docker image inspect "$image" >/dev/null 2>&1; then
  busybox="$(dpkg -L busybox-static | grep -E '/bin/busybox$' | head -n 1)"
  [ -x "$busybox" ] || fail "busybox-static is installed but its binary was not found"
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs/bin" "$rootfs/etc/gitlab-runner" "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in sh cat sleep ls rm mkdir echo true; do ln -s busybox "$rootfs/bin/$applet"; done
  tar -C "$rootfs" -c . | docker import --change 'CMD ["/bin/sleep", "3600"]' - "$image" >/dev/null
  log "built $image"
else
  log "image $image present"
fi
