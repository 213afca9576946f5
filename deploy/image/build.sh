#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the wiretop container image without any registry: the base is made here, from this
# Debian machine's own files (FROM scratch + a jlink'ed Java runtime + exactly the shared libraries
# the runtime, libbpf, libpcap, jffi's stub, jline's tty library and `ss` load).
#
#   deploy/image/build.sh [--jar target/wiretop.jar] [--tag localhost/wiretop:dev] [--engine podman|docker]
#                         [--stage-only DIR]
#
# Needs: a JDK 17 with jlink/jdeps and jmods, libbpf1, libpcap0.8, iproute2 (scripts/install-deps.sh),
# and podman or docker unless --stage-only. Prints the image tag and its size on the last line.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
jar=target/wiretop.jar tag=localhost/wiretop:dev engine= stage_only=
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --stage-only) stage_only=$2; shift 2 ;;
    *) echo "build.sh: unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
die() { echo "build.sh: $*" >&2; exit 1; }
[ -f "$jar" ] || die "no jar at $jar: run mvn -o package -DskipTests first"
for t in jlink jdeps jar ldd ldconfig; do command -v "$t" >/dev/null || die "$t is missing"; done
if [ -z "$stage_only" ] && [ -z "$engine" ]; then
  if command -v podman >/dev/null; then engine=podman
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then engine=docker
  else die "neither podman nor a running docker daemon: install podman (apt-get install podman runc)"; fi
fi

ctx=${stage_only:-$(mktemp -d /tmp/wiretop-image-XXXXXX)}
[ -n "$stage_only" ] || trap 'rm -rf "$ctx"' EXIT
root=$ctx/rootfs
rm -rf "$root" && mkdir -p "$root"/{opt/wiretop,etc,tmp,usr/bin,usr/lib,usr/lib64}
chmod 1777 "$root/tmp"
# merged-/usr layout as in Debian 12, so the paths ldd and the ELF interpreter name exist
ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"; ln -s usr/bin "$root/bin"

# 1. Java runtime: the modules jdeps finds in the jar, minus java.desktop (only lanterna's Swing
#    fallback terminal uses it, and a container has no display: saves 11 MB), plus java.logging
#    (loaded reflectively, jdeps cannot see it) and jdk.httpserver (the metrics endpoint's server).
mods=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$jar" 2>/dev/null | tail -1)
[ -n "$mods" ] || die "jdeps found no modules in $jar"
mods=$(echo "$mods,java.logging,jdk.httpserver" | tr ',' '\n' | grep -vx 'java.desktop' | sort -u | paste -sd,)
jlink --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$root/opt/java" 2>/dev/null
cp "$jar" "$root/opt/wiretop/wiretop.jar"

# 2. Native code: what the JVM, jnr-ffi's jffi stub and wiretop's LibraryLoader calls open
#    (bpf.Native: libbpf.so.1 and libc; packet.PcapFilter: libpcap.so.0.8), and `ss`
#    (packet.SocketSeeder seeds the connections that existed before start).
multiarch=$(dirname "$(readlink -f "$(ldconfig -p | awk '/libc\.so\.6 .*x86-64|libc\.so\.6 .*AArch64/ {print $NF; exit}')")")
[ -d "$multiarch" ] || die "cannot find the system library directory (ldconfig -p has no libc.so.6)"
jar=$(readlink -f "$jar")
# native code the jar unpacks to /tmp at run time, whose libraries count too: jffi's stub (jnr-ffi)
# and jline's tty library (the full-screen UI, e.g. under kubectl exec -it; it needs libutil)
jffi=jni/$(uname -m)-Linux/libjffi-1.2.so
jlinenative=org/jline/nativ/Linux/$(uname -m | sed 's/^aarch64$/arm64/')/libjlinenative.so
(cd "$ctx" && jar xf "$jar" "$jffi" "$jlinenative" META-INF/MANIFEST.MF)
[ -f "$ctx/$jffi" ] || die "the jar has no jffi stub for $(uname -m)"
[ -f "$ctx/$jlinenative" ] || die "the jar has no jline native library for $(uname -m)"
need=( "$root"/opt/java/bin/java "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/libjvm.so "$ctx/$jffi" "$ctx/$jlinenative" )
for lib in libbpf.so.1 libpcap.so.0.8; do
  [ -e "$multiarch/$lib" ] || die "$lib is missing: scripts/install-deps.sh run"
  need+=("$multiarch/$lib")
done
ss=$(command -v ss) || die "ss is missing: apt-get install iproute2"
cp -L "$ss" "$root/usr/bin/ss"; need+=("$ss")
declare -A copied=()
copy_lib() { # $1 = the path ldd printed; keep its file name (the soname) under the canonical dir
  local src=$1 dst
  dst=$root$(dirname "$(readlink -f "$src")")/$(basename "$src")
  [ -n "${copied[$dst]:-}" ] && return 0
  copied[$dst]=1
  mkdir -p "$(dirname "$dst")" && cp -L "$src" "$dst"
}
for f in "${need[@]}"; do
  case "$f" in "$multiarch"/*) copy_lib "$f" ;; esac
  # libjli and the other runtime libs resolve inside opt/java by RUNPATH: only system libs are copied
  while read -r path; do copy_lib "$path"; done < <(ldd "$f" | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' \
    | grep -v "^$root")
done
interp=$(ldd "$root/opt/java/bin/java" | awk '/ld-linux/ {print $1; exit}')   # e.g. /lib64/ld-linux-x86-64.so.2
if [ ! -e "$root$interp" ]; then
  mkdir -p "$root$(dirname "$interp")"
  ln -s "$(readlink -f "$interp")" "$root$interp"
fi
if command -v strip >/dev/null; then   # Debian ships libjvm.so with symbols: 4 MB less
  strip --strip-unneeded "$root/opt/java/lib/server/libjvm.so" 2>/dev/null || true
fi
echo "$multiarch" > "$root/etc/ld.so.conf"
ldconfig -r "$root"
printf 'root:x:0:0:root:/tmp:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
cp "$here/Containerfile" "$ctx/Containerfile"
version=$(awk -F': ' '/^Implementation-Version/ {print $2}' "$ctx/META-INF/MANIFEST.MF" | tr -d '\r')
echo "build.sh: modules $mods; staged $(du -sh "$root" | cut -f1) in $root" >&2
[ -z "$stage_only" ] || exit 0

engine_args=(); [ "$engine" = podman ] && engine_args=(--layers=false)   # no dangling intermediate image
"$engine" build --quiet "${engine_args[@]}" --build-arg "VERSION=${version:-unknown}" -t "$tag" -f "$ctx/Containerfile" "$ctx" >/dev/null
size=$("$engine" image inspect --format '{{.Size}}' "$tag")
echo "$tag $size"
