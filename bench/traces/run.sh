#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Recording cost (issue 9, bench/traces part a): CPU time per 100-byte loopback request/response of
# bench/net-overhead's ping-pong pinned to CPU 0, under each configuration, alternating in one run.
#
# Usage: sudo bench/traces/run.sh [--rounds N] [--seconds S] [--configs A,W,RS,RO,A2,N,NE,NX] [--warmup S]
#            [--no-stats] [--no-loss-check] [--no-freeze] [--out DIR]
#   A, A2  untraced (A2, mid-round, is the noise floor)
#   W      $WIRETOP --raw -v procs -d 1000               (the default table)
#   RS     $WIRETOP record -w FILE --pid P               (recording the workload itself: P is its client)
#   RO     $WIRETOP record -w FILE --pid OTHER           (recording another process: an idle sleep)
#   N, NE, NX  the floor: null.bpf.c's programs, which return at once, on sys_enter and sys_exit (N),
#          sys_enter only (NE), sys_exit only (NX): the kernel's syscall slow path plus trampoline
#   RL     $WIRETOP record -w FILE (every process) while the ping-pong runs NOT pinned (taskset -c 0,1),
#          once after the rounds (--no-loss-check skips it): the highest event rate this machine
#          gives a recording, for "nothing lost at 200 k events/s"; not comparable with the rows above
# A configuration whose command this build lacks (`wiretop record` before it is merged) is reported
# "not available"; nothing is made up for it. Then, unless --no-stats, one more pass per tracer with
# kernel.bpf_stats_enabled=1 (restored afterwards) gives run counts and ns per run of each BPF
# program held by that wiretop's pid (no other process's programs are read).
# Measured per run: requests/s, the workload's CPU s (both ends, from wait4) and so CPU ns per
# request; the tracer's CPU; for recordings the events in the file (read back by ScapReader), the
# lost count of record's summary line, and the offered event rate (written + lost per second). Exits 0 whatever the goals say: it reports.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=5 seconds=4 warmup=10 stats=1 losscheck=1 freeze=1 configs=A,W,RS,RO,A2 out="" ready_timeout=300
WIRETOP=${WIRETOP:-$repo/wiretop}
die() { echo "run.sh: $*" >&2; exit 2; }
posint() { [[ $2 =~ ^[0-9]+$ ]] && (( $2 >= $3 )) || die "$1 needs an integer >= $3, got '$2'"; }
while (( $# )); do
  case $1 in
    --rounds) posint "$1" "${2-}" 1; rounds=$2; shift 2 ;;
    --seconds) posint "$1" "${2-}" 1; seconds=$2; shift 2 ;;
    --warmup) posint "$1" "${2-}" 0; warmup=$2; shift 2 ;;
    --configs) configs=${2-}; [[ $configs =~ ^(A|A2|W|RS|RO|N|NE|NX)(,(A|A2|W|RS|RO|N|NE|NX))*$ ]] || die "--configs: A,A2,W,RS,RO,N,NE,NX"; shift 2 ;;
    --no-stats) stats=0; shift ;;
    --no-loss-check) losscheck=0; shift ;;
    --no-freeze) freeze=0; shift ;;
    --out) out=${2-}; [ -n "$out" ] || die "--out needs a directory"; shift 2 ;;
    -h|--help) sed -n '3,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run.sh: must run as root (BPF): sudo $0" >&2; exit 1; }
[[ ,$configs, == *,A,* ]] || die "--configs must include A (the baseline)"
for t in python3 taskset bpftool mvn java; do command -v $t >/dev/null || die "missing $t"; done
CC=${CC:-$(command -v gcc || command -v cc || command -v clang-16)} || die "no C compiler"
out=${out:-/tmp/wiretop-traces-bench-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out" || die "cannot create $out"
scratch=$(mktemp -d /tmp/wiretop-traces.XXXXXX)
tsv=$out/results.tsv
tracer_pid="" other_pid="" load_pid="" stats_was=""

stop_pid() { # pid signal: signal, wait up to 15 s, then KILL
  local p=$1 sig=${2:-TERM} i
  [ -n "$p" ] || return 0
  kill -"$sig" "$p" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null
  return 0
}
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$load_pid"; stop_pid "$tracer_pid" INT; stop_pid "$other_pid"
  [ -n "$stats_was" ] && sysctl -qw kernel.bpf_stats_enabled="$stats_was"
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted, cleaning up" >&2; cleanup; exit 130' INT TERM

"$CC" -O2 -Wall -Wextra -o "$scratch/pingpong" "$here/../net-overhead/pingpong.c" || die "compiling pingpong.c failed"
(cd "$repo" && mvn -q -o -B test-compile >"$scratch/mvn.log" 2>&1) || die "test-compile failed: see $scratch/mvn.log"
CP=$repo/target/classes:$repo/target/test-classes
# the floor's object, built here (test-only, never in the jar) and found by HoldHooks on the classpath
mkdir -p "$scratch/nullcp/bpf"
have_null=0
if [[ ,$configs, == *,N* ]]; then
  ${CLANG:-clang-16} -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$repo/bpf/include" -I"$repo/bpf" -Wall -Werror \
      -c "$here/null.bpf.c" -o "$scratch/nullcp/bpf/null.bpf.o" && have_null=1 \
    || echo "run.sh: N/NE/NX not available: building null.bpf.c failed" >&2
fi

# What this build can do. W: the table prints once. RS/RO: `record --help` exits 0 with record's own usage.
have_w=0 have_rec=0
timeout 600 "$WIRETOP" --raw -v procs -d 1000 -n 1 >"$scratch/w-check.out" 2>"$scratch/w-check.err" </dev/null \
  && grep -q . "$scratch/w-check.out" && have_w=1
timeout 120 "$WIRETOP" record --help >"$scratch/rec-check.out" 2>&1 </dev/null \
  && grep -qE '^Usage: wiretop record' "$scratch/rec-check.out" && have_rec=1
(( have_w )) || echo "run.sh: W not available: $(head -c 300 "$scratch/w-check.err" | tr '\n' ' ')" >&2
(( have_rec )) || echo "run.sh: RS/RO not available: 'wiretop record' is not in this build ($(head -c 200 "$scratch/rec-check.out" | tr '\n' ' '))" >&2
if (( freeze && (have_w || have_rec) )) && [ "$(readlink -f "$WIRETOP")" = "$repo/wiretop" ]; then
  # other builds rewrite target/wiretop.jar: measure a private copy (as bench/net-overhead does)
  mkdir -p "$scratch/wt/target" "$scratch/wt/scripts"
  cp "$repo/wiretop" "$scratch/wt/" && cp "$repo/scripts/install-deps.sh" "$scratch/wt/scripts/" \
    && cp "$repo/target/wiretop.jar" "$scratch/wt/target/" || die "cannot copy the launcher and jar"
  WIRETOP=$scratch/wt/wiretop
fi
available() { case $1 in A|A2) return 0 ;; W) (( have_w )) ;; RS|RO) (( have_rec )) ;; N|NE|NX) (( have_null )) ;; esac; }
# the null hooks run in a JVM of their own, from the (frozen) jar plus the test classes
NULL_CP=$scratch/nullcp:$(dirname "$WIRETOP")/target/wiretop.jar:$repo/target/test-classes

setsid sleep 1000000 </dev/null >/dev/null 2>&1 & other_pid=$!

# start_tracer CFG WORKLOAD_PID: sets tracer_pid (empty for A/A2) once the tracer is ready
# (W: printed its first interval; RS/RO: holds BPF programs), then sleeps the warm-up.
start_tracer() {
  local cfg=$1 wpid=$2 t0=$SECONDS
  tracer_pid="" rec_file=$scratch/$cfg.scap
  case $cfg in
    A|A2) return 0 ;;
    W) setsid "$WIRETOP" --raw -v procs -d 1000 >"$out/$cfg.out" 2>"$out/$cfg.err" </dev/null & ;;
    RS) setsid "$WIRETOP" record -w "$rec_file" --pid "$wpid" >"$out/$cfg.out" 2>"$out/$cfg.err" </dev/null & ;;
    RL) setsid "$WIRETOP" record -w "$rec_file" >"$out/$cfg.out" 2>"$out/$cfg.err" </dev/null & ;;
    RO) setsid "$WIRETOP" record -w "$rec_file" --pid "$other_pid" >"$out/$cfg.out" 2>"$out/$cfg.err" </dev/null & ;;
    N|NE|NX) local progs="null_sys_enter null_sys_exit"
      [ "$cfg" = NE ] && progs=null_sys_enter; [ "$cfg" = NX ] && progs=null_sys_exit
      # shellcheck disable=SC2086
      setsid java -XX:+UseSerialGC -Xmx64m -cp "$NULL_CP" io.wiretop.bench.traces.HoldHooks null $progs \
        >"$out/$cfg.out" 2>"$out/$cfg.err" </dev/null & ;;
  esac
  tracer_pid=$!
  while :; do
    kill -0 "$tracer_pid" 2>/dev/null || { echo "run.sh: $cfg exited early: $(tail -n 2 "$out/$cfg.err" | tr '\n' ' ')" >&2; tracer_pid=""; return 1; }
    if [ "$cfg" = W ]; then grep -q . "$out/$cfg.out" && break
    else [ -n "$(python3 "$here/bpfstats.py" "$tracer_pid" 2>/dev/null)" ] && break; fi
    (( SECONDS - t0 > ready_timeout )) && { echo "run.sh: $cfg not ready in ${ready_timeout}s" >&2; stop_pid "$tracer_pid" INT; tracer_pid=""; return 1; }
    sleep 0.1
  done
  sleep "$warmup"
}

# measure ROUND POS CFG [STATSFILE]: one gated workload under CFG; appends a row to results.tsv
measure() {
  local rd=$1 pos=$2 cfg=$3 sf=${4-} wpid s0 s1 rate cpu wall rc ev="" lost="" bytes="" status=ok
  rm -f "$scratch/pid" "$scratch/go"
  local cpus=0; [ "$cfg" = RL ] && cpus=0,1
  python3 "$here/workload.py" "$scratch/pingpong" "$seconds" "$scratch/pid" "$scratch/go" "$cpus" >"$scratch/w.out" 2>"$scratch/w.err" &
  load_pid=$!
  while [ ! -s "$scratch/pid" ]; do kill -0 "$load_pid" 2>/dev/null || break; sleep 0.02; done
  wpid=$(cat "$scratch/pid" 2>/dev/null)
  local rec0 rec1; rec0=$(date +%s.%N)
  if ! start_tracer "$cfg" "$wpid"; then
    touch "$scratch/go"; wait "$load_pid"; load_pid=""
    printf '%s\t%s\t%s\t\t\t\t\t\t\t\t\tfail:start\n' "$rd" "$pos" "$cfg" >>"$tsv"; return
  fi
  [ -n "$sf" ] && python3 "$here/bpfstats.py" "$tracer_pid" >"$sf.before"
  s0=$(python3 "$here/../net-overhead/procsample.py" "${tracer_pid:-0}")
  touch "$scratch/go"; wait "$load_pid"; load_pid=""
  s1=$(python3 "$here/../net-overhead/procsample.py" "${tracer_pid:-0}")
  [ -n "$sf" ] && python3 "$here/bpfstats.py" "$tracer_pid" >"$sf.after"
  read -r rate cpu wall rc <"$scratch/w.out" || status=fail:workload
  [ "${rc:-1}" = 0 ] || status=fail:workload
  if [ -n "$tracer_pid" ]; then
    kill -0 "$tracer_pid" 2>/dev/null || status=fail:tracer-died
    case $cfg in
      W|N|NE|NX) stop_pid "$tracer_pid" TERM ;;
      RS|RO|RL) stop_pid "$tracer_pid" INT  # record stops on Ctrl-C and prints its summary line
        rec1=$(date +%s.%N)
        # lost: the summary's number next to "lost"; events: what ScapReader reads back from the file
        lost=$(grep -hoiE '([0-9]+ lost|lost[ :=]+[0-9]+)' "$out/$cfg.out" "$out/$cfg.err" | grep -oE '[0-9]+' | tail -1)
        bytes=$(stat -c %s "$rec_file" 2>/dev/null)
        ev=$(java -cp "$CP" io.wiretop.bench.traces.ReplayPass --read-only "$rec_file" 2>"$scratch/count.err" | sed -nE 's/^pass 1: ([0-9]+) events.*/\1/p')
        [ -n "$ev" ] || { status=fail:file; echo "run.sh: $cfg's file does not read back: $(head -c 300 "$scratch/count.err")" >&2; }
        rm -f "$rec_file" ;;
    esac
  fi
  tracer_pid=""
  # the event rate: over the workload for RS/RO (gated, so their events fall in it), over the whole
  # recording for RL (every process: events before and after the workload count too)
  local span=$wall; [ "$cfg" = RL ] && span=$(awk -v a="$rec0" -v b="$rec1" 'BEGIN{print b-a}')
  read -r k0 _ <<<"$s0"; read -r k1 _ <<<"$s1"
  awk -v OFS='\t' -v rd="$rd" -v pos="$pos" -v cfg="$cfg" -v rate="$rate" -v cpu="$cpu" -v wall="$wall" \
      -v s="$seconds" -v k0="$k0" -v k1="$k1" -v hz="$(getconf CLK_TCK)" -v ev="$ev" -v lost="$lost" \
      -v bytes="$bytes" -v span="$span" -v st="$status" 'BEGIN {
        req = rate * s
        ns = (req > 0) ? sprintf("%.0f", cpu / req * 1e9) : ""
        tcpu = (cfg ~ /^A/) ? "" : sprintf("%.1f", 100 * (k1 - k0) / hz / wall)
        evs = (ev != "") ? sprintf("%.0f", (ev + lost) / span) : ""  # offered: written + lost
        print rd, pos, cfg, rate, cpu, ns, tcpu, ev, evs, lost, bytes, st
      }' >>"$tsv"
  tail -n 1 "$tsv" | awk -F'\t' '{printf "round %s %-3s req/s=%s cpu_ns/req=%s tracer_cpu=%s%% events=%s (%s/s) lost=%s %s\n", $1, $3, $4, $6, $7, $8, $9, $10, $12}'
}

{
  echo "# wiretop recording-cost benchmark $(date -u -Is) on $(uname -r), $(nproc) CPUs, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# args: rounds=$rounds seconds=$seconds configs=$configs warmup=$warmup WIRETOP=$WIRETOP"
  [ -f "$scratch/wt/target/wiretop.jar" ] && echo "# frozen jar sha256 $(sha256sum "$scratch/wt/target/wiretop.jar" | cut -c1-16)"
  echo "# git: $(git -C "$repo" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"
  echo "# available: W=$have_w record=$have_rec null=$have_null"
  printf 'round\tpos\tcfg\treq_per_s\twork_cpu_s\tcpu_ns_per_req\ttracer_cpu_pct\tevents\tevents_per_s\tlost\tfile_bytes\tstatus\n'
} >"$tsv"

IFS=, read -r -a cfg_list <<<"$configs"
run_list=(); for c in "${cfg_list[@]}"; do available "$c" && run_list+=("$c"); done
n=${#run_list[@]}
for ((r = 0; r < rounds; r++)); do
  order=(); for ((i = 0; i < n; i++)); do order+=("${run_list[$(( (i + r) % n ))]}"); done
  echo "run.sh: round $((r + 1))/$rounds: ${order[*]}"
  for ((i = 0; i < n; i++)); do measure $((r + 1)) $((i + 1)) "${order[$i]}"; sleep 1; done
done

if (( losscheck && have_rec )); then
  echo "run.sh: loss check: recording every process while the ping-pong runs unpinned (RL)"
  measure 1 0 RL
fi

stats_md=$out/bpf-stats.md
: >"$stats_md"
if (( stats )); then
  stats_was=$(sysctl -n kernel.bpf_stats_enabled)
  sysctl -qw kernel.bpf_stats_enabled=1
  for c in W RS RO N; do
    [[ " ${run_list[*]} " == *" $c "* ]] || continue
    measure stats 0 "$c" "$scratch/stats-$c"
    req=$(tail -n 1 "$tsv" | awk -F'\t' '{print $4 * '"$seconds"'}')
    { echo "**$c** ($(tail -n 1 "$tsv" | cut -f4) req/s while bpf_stats was on):"; echo
      echo "| program | type | runs | ns/run | runs per request |"; echo "|---|---|---|---|---|"
      python3 "$here/bpfstats.py" --diff "$scratch/stats-$c.before" "$scratch/stats-$c.after" "$req"; echo; } >>"$stats_md"
  done
  sysctl -qw kernel.bpf_stats_enabled="$stats_was"; stats_was=""
fi

python3 "$here/report.py" "$tsv" "$have_w" "$have_rec" "$have_null" | tee "$out/summary.md"
[ -s "$stats_md" ] && { echo; echo "BPF programs of the tracer's pid (separate pass, kernel.bpf_stats_enabled=1):"; echo; cat "$stats_md"; } | tee -a "$out/summary.md"
echo "run.sh: rows $tsv, summary $out/summary.md"
exit 0
