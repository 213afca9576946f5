#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages wiretop needs. Usage: scripts/install-deps.sh [run|build|test]
#   run   : what `wiretop` needs at run time (libbpf1, libpcap0.8)
#   build : run + clang/bpftool to rebuild bpf/*.o
#   test  : build + the oracles and workloads the tests and benchmarks use
set -euo pipefail
level=${1:-test}
run_pkgs=(libbpf1 libpcap0.8)
build_pkgs=(clang-16 llvm-16 libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config make)
test_pkgs=(libpcap-dev tcpdump tshark iproute2 netcat-openbsd iperf3 nethogs tmux sysdig procps python3 strace gcc prometheus curl)
# real containers for the container tests (ContainersKernelIT, CaptureRealContainersKernelIT, DockerContainersKernelIT):
# podman with runc (crun refuses hybrid cgroups), catatonit for a pod's pause image, a static busybox as the image's only binary
test_pkgs+=(podman runc catatonit busybox-static docker.io)
case "$level" in
  run) want=("${run_pkgs[@]}") ;;
  build) want=("${run_pkgs[@]}" "${build_pkgs[@]}") ;;
  test) want=("${run_pkgs[@]}" "${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 [run|build|test]" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# test: the offline Kubernetes manifest validator (deploy/validate, versions pinned by its
# package-lock.json); Node itself may come from nodesource, whose nodejs package holds npm
npm_deps() {
  [ "$level" = test ] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/deploy/validate"
  # up to date when npm's record of the install is newer than the lock file
  [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] && return 0
  command -v npm >/dev/null || { echo "wiretop: npm is missing: apt-get install -y nodejs npm" >&2; return 1; }
  echo "wiretop: npm ci in $dir" >&2
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
}
if [ ${#missing[@]} -eq 0 ]; then
  npm_deps
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "wiretop: missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "wiretop: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_deps
