#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The floor of syscall hooks, per syscall (issue 9): CPU ns of one getppid() pinned to CPU 0, under
# A (nothing), N (null.bpf.c on sys_enter + sys_exit), NE (sys_enter only), NX (sys_exit only), RO
# ($WIRETOP record --pid <an idle sleep>: today's stream, this thread unselected) and RS (the
# stream recording this loop itself). Rounds alternate the configurations; each figure is the
# median of the rounds, and the difference to A is what the hooks add to every syscall of every
# thread on the machine. Complements run.sh (a real workload's CPU per request).
#
# BASE_JAR=path/to/wiretop.jar adds RO0: RO with that (older) build, for a before/after in one run.
#
# Usage: sudo [BASE_JAR=...] bench/traces/floor.sh [--rounds N] [--calls N]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=7 calls=3000000
WIRETOP=${WIRETOP:-$repo/wiretop}
die() { echo "floor.sh: $*" >&2; exit 2; }
while (( $# )); do
  case $1 in
    --rounds) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive integer"; rounds=$2; shift 2 ;;
    --calls) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || die "--calls needs a positive integer"; calls=$2; shift 2 ;;
    -h|--help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "floor.sh: must run as root (BPF)" >&2; exit 1; }
CC=${CC:-$(command -v gcc || command -v cc)} || die "no C compiler"
scratch=$(mktemp -d /tmp/wiretop-floor.XXXXXX)
holder="" other="" lp=""
stop() { [ -n "$1" ] || return 0; kill -"${2:-TERM}" "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }
cleanup() { trap - EXIT INT TERM; stop "$lp" KILL; stop "$holder" KILL; stop "$other"; rm -rf "$scratch"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

"$CC" -O2 -Wall -o "$scratch/sysloop" "$here/sysloop.c" || die "compiling sysloop.c failed"
mkdir -p "$scratch/cp/bpf"
${CLANG:-clang-16} -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$repo/bpf/include" -I"$repo/bpf" -Wall -Werror \
  -c "$here/null.bpf.c" -o "$scratch/cp/bpf/null.bpf.o" || die "building null.bpf.c failed"
(cd "$repo" && mvn -q -o -B test-compile >"$scratch/mvn.log" 2>&1) || die "test-compile failed"
# a private copy of the jar: other builds rewrite target/wiretop.jar
mkdir -p "$scratch/wt/target" "$scratch/wt/scripts"
cp "$repo/wiretop" "$scratch/wt/" && cp "$repo/scripts/install-deps.sh" "$scratch/wt/scripts/" \
  && cp "$repo/target/wiretop.jar" "$scratch/wt/target/" || die "no target/wiretop.jar (mvn package)"
WIRETOP=$scratch/wt/wiretop
if [ -n "${BASE_JAR-}" ]; then
  mkdir -p "$scratch/base/target" "$scratch/base/scripts"
  cp "$repo/wiretop" "$scratch/base/" && cp "$repo/scripts/install-deps.sh" "$scratch/base/scripts/" \
    && cp "$BASE_JAR" "$scratch/base/target/wiretop.jar" || die "cannot copy BASE_JAR $BASE_JAR"
fi
CP=$scratch/cp:$scratch/wt/target/wiretop.jar:$repo/target/test-classes
setsid sleep 1000000 </dev/null >/dev/null 2>&1 & other=$!

# start CFG: holds the hooks (sets $holder) until they are attached
start() {
  local progs="" t0=$SECONDS
  case $1 in
    A) holder=""; return 0 ;;
    N) progs="null_sys_enter null_sys_exit" ;; NE) progs=null_sys_enter ;; NX) progs=null_sys_exit ;;
    RO0) setsid "$scratch/base/wiretop" record -w "$scratch/ro.scap" --pid "$other" >"$scratch/h.out" 2>&1 </dev/null & ;;
    RO) setsid "$WIRETOP" record -w "$scratch/ro.scap" --pid "$other" >"$scratch/h.out" 2>&1 </dev/null & ;;
    RS) setsid "$WIRETOP" record -w "$scratch/rs.scap" --pid "$2" >"$scratch/h.out" 2>&1 </dev/null & ;;
  esac
  # shellcheck disable=SC2086
  [ -n "$progs" ] && { setsid java -XX:+UseSerialGC -Xmx64m -cp "$CP" io.wiretop.bench.traces.HoldHooks null $progs \
    >"$scratch/h.out" 2>&1 </dev/null & }
  holder=$!
  until [ -n "$(python3 "$here/bpfstats.py" "$holder" 2>/dev/null)" ]; do
    kill -0 "$holder" 2>/dev/null || die "$1 exited: $(tail -n 2 "$scratch/h.out" | tr '\n' ' ')"
    (( SECONDS - t0 > 300 )) && die "$1 not ready in 300 s"
    sleep 0.1
  done
  sleep 2
}

configs=(A N NE NX RO RS); [ -n "${BASE_JAR-}" ] && configs+=(RO0)
declare -A res
echo "# floor.sh $(date -u -Is) $(uname -r) loadavg $(cut -d' ' -f1-3 /proc/loadavg) calls=$calls rounds=$rounds git $(git -C "$repo" log -1 --format=%h)"
for ((r = 0; r < rounds; r++)); do
  line="round $((r + 1)):"
  for ((i = 0; i < ${#configs[@]}; i++)); do
    c=${configs[$(( (i + r) % ${#configs[@]} ))]}
    # RS: the loop is held by sh until its own pid is selected, then execs into sysloop (same pid)
    rm -f "$scratch/go"
    taskset -c 0 sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$1" "$2"' "$scratch/go" "$scratch/sysloop" "$calls" >"$scratch/loop.out" &
    lp=$!
    start "$c" "$lp"
    touch "$scratch/go"; wait "$lp"; lp=""
    v=$(cat "$scratch/loop.out")
    # record stops on Ctrl-C; HoldHooks on TERM (a background job of a script ignores SIGINT)
    case $c in R*) stop "$holder" INT ;; *) stop "$holder" TERM ;; esac
    holder=""; rm -f "$scratch"/*.scap
    res[$c]+="$v "
    line+=" $c=$v"
  done
  echo "$line"
done
echo
echo "| cfg | ns per getppid(), median (min–max) | over A, ns |"
echo "|---|---|---|"
a=$(printf '%s\n' ${res[A]} | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
for c in "${configs[@]}"; do
  printf '%s\n' ${res[$c]} | sort -n | awk -v c="$c" -v a="$a" '{v[NR]=$1} END {m=v[int((NR+1)/2)]; printf "| %s | %.1f (%.1f–%.1f) | %+.1f |\n", c, m, v[1], v[NR], m-a}'
done
