#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What a per-process network monitor costs the traffic it watches.
#
# Usage: sudo bench/net-overhead/run.sh [--rounds N] [--seconds S] [--configs A,W,A2,WF,WW,WA,N]
#            [--workloads iperf,pp1] [--idle-seconds S] [--warmup S] [--no-freeze] [--port P] [--out DIR]
# Quick smoke (about 1 minute): sudo bench/net-overhead/run.sh --rounds 1 --seconds 2 --idle-seconds 2 --warmup 1
# --warmup S: seconds a wiretop runs after its first interval before a workload starts (the idle
# measurement waits 2*S), so JIT compilation at start-up is not counted as per-interval cost.
# The repo's ./wiretop rebuilds target/wiretop.jar when sources change; the benchmark therefore runs
# a frozen copy of launcher + jar (--no-freeze: run $WIRETOP as it is).
#
# Configurations (A is required, it is the baseline of every ratio):
#   A, A2  untraced (A2 is a second untraced run: the noise floor)
#   W      $WIRETOP --raw -v procs -d 1000            (the default: NET only; WIRETOP defaults to ./wiretop)
#   WF     $WIRETOP --raw -v procs -d 1000 --file-io  (+ the syscall program: FILE, syscalls)
#   WW     $WIRETOP --raw -v procs -d 1000 --wire     (+ the packet hooks: WIRE)
#   WA     $WIRETOP --raw -v procs -d 1000 --all      (everything)
#   N      nethogs -a -t -d 1 lo
# Workloads: iperf = iperf3 loopback throughput, S seconds, against one persistent server;
#            pp1   = pingpong.c (100 B request/response over one TCP connection) under taskset -c 0.
# Every round runs every configuration once; the start position rotates each round and the
# workload order alternates, so slow periods of the host do not all land on one configuration.
# Each tracer is started once per round and configuration, runs both workloads, then is stopped.
# Method and caveats: docs/benchmarks.md. Exits 0 whether goals pass or fail: it reports.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=5 seconds=4 idle_seconds=20 port=5299 ready_timeout=300 warmup=10 freeze=1
configs=A,W,A2,WF,WW,WA,N workloads=iperf,pp1
out=""
# The launcher: bin/wiretop if the project has one, else the repo-root ./wiretop (builds on first use).
if [ -z "${WIRETOP:-}" ]; then
  WIRETOP=$repo/bin/wiretop; [ -x "$WIRETOP" ] || WIRETOP=$repo/wiretop
fi
args="$*"

die() { echo "run.sh: $*" >&2; exit 2; }
posint() { [[ $2 =~ ^[0-9]+$ ]] && (( $2 >= $3 )) || die "$1 needs an integer >= $3, got '$2'"; }

while (( $# )); do
  case $1 in
    --rounds) posint "$1" "${2-}" 1; rounds=$2; shift 2 ;;
    --seconds) posint "$1" "${2-}" 1; seconds=$2; shift 2 ;;
    --idle-seconds) posint "$1" "${2-}" 0; idle_seconds=$2; shift 2 ;;
    --warmup) posint "$1" "${2-}" 0; warmup=$2; shift 2 ;;
    --no-freeze) freeze=0; shift ;;
    --port) posint "$1" "${2-}" 1; port=$2; shift 2 ;;
    --configs) configs=${2-}; shift 2 ;;
    --workloads) workloads=${2-}; shift 2 ;;
    --out) out=${2-}; [ -n "$out" ] || die "--out needs a directory"; shift 2 ;;
    -h|--help) sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || { echo "run.sh: must run as root (BPF and nethogs need it): sudo $0 $args" >&2; exit 1; }

IFS=, read -r -a cfg_list <<<"$configs"
IFS=, read -r -a wl_list <<<"$workloads"
has_cfg() { [[ ",$configs," == *",$1,"* ]]; }
for c in "${cfg_list[@]}"; do [[ $c =~ ^(A|A2|W|WF|WW|WA|N)$ ]] || die "unknown config '$c' (A, A2, W, WF, WW, WA, N)"; done
for w in "${wl_list[@]}"; do [[ $w =~ ^(iperf|pp1)$ ]] || die "unknown workload '$w' (iperf, pp1)"; done
has_cfg A || die "--configs must include A (the baseline of every ratio)"
idle_warmup=$((2 * warmup))

need=(iperf3 taskset python3 ss setsid)
has_cfg N && need+=(nethogs)
for t in "${need[@]}"; do
  command -v "$t" >/dev/null || die "$t not found; install it with: sudo scripts/install-deps.sh test"
done
CC=${CC:-$(command -v gcc || command -v cc || command -v clang-16 || true)}
[ -n "$CC" ] || die "no C compiler (gcc/cc/clang-16) found; install one with: sudo apt-get install -y gcc"
if has_cfg W || has_cfg WF || has_cfg WW || has_cfg WA; then
  [ -x "$WIRETOP" ] || die "wiretop not found at $WIRETOP; build it, set WIRETOP=..., or drop W,WN (e.g. --configs A,A2,N)"
fi
ss -Htln "sport = :$port" | grep -q . && die "port $port is already in use; pick another with --port"

scratch=$(mktemp -d /tmp/wiretop-bench.XXXXXX)
out=${out:-/tmp/wiretop-bench-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out" || die "cannot create $out"
tsv=$out/results.tsv
tracer_pid="" server_pid="" load_pid=""

# Stops one process group we created with setsid: SIGTERM first (wiretop detaches its BPF links
# on a clean exit), SIGKILL after 5 s. Not SIGINT: bash starts background jobs with SIGINT
# ignored, and the JVM keeps an inherited ignore, so SIGINT would never reach wiretop.
stop_group() {
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { echo "run.sh: pid $pid ignored SIGTERM for 5 s, killing it" >&2; kill -KILL -- "-$pid" 2>/dev/null; }
  wait "$pid" 2>/dev/null
  return 0
}

cleanup() {
  trap - EXIT INT TERM
  [ -n "$load_pid" ] && kill -TERM "$load_pid" 2>/dev/null && wait "$load_pid" 2>/dev/null
  stop_group "$tracer_pid"
  stop_group "$server_pid"
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted, cleaning up" >&2; cleanup; exit 130' INT TERM

"$CC" -O2 -Wall -Wextra -o "$scratch/pingpong" "$here/pingpong.c" || die "compiling pingpong.c with $CC failed"

# run_bg OUT ERR CMD...: runs CMD in the background with stdout/stderr to OUT/ERR and waits, so
# INT/TERM reach the trap at once (bash defers traps until a foreground child exits) and cleanup
# can stop it through load_pid. The redirections stay inside: on the call they would also swallow
# the trap's own message.
run_bg() {
  local o=$1 e=$2; shift 2
  "$@" >"$o" 2>"$e" </dev/null & load_pid=$!
  wait "$load_pid"; local rc=$?; load_pid=""; return "$rc"
}

# One untimed wiretop run first: a launcher that builds on first use does so here, not inside a
# measured start, and a wiretop that cannot run at all stops the benchmark with its own message.
if has_cfg W || has_cfg WF || has_cfg WW || has_cfg WA; then
  echo "run.sh: warm-up: $WIRETOP --raw -v procs -d 1000 -n 1"
  run_bg "$scratch/warmup.out" "$scratch/warmup.err" timeout 600 "$WIRETOP" --raw -v procs -d 1000 -n 1 \
    || die "wiretop warm-up failed (rc $?): $(tail -n 3 "$scratch/warmup.err" | tr '\n' ' ')"
  # Other agents' builds (or the launcher itself, when a source changes) rewrite target/wiretop.jar;
  # a start that meets a half-written jar fails. Run a private copy of launcher + jar instead: with
  # no sources beside it, the launcher's staleness check finds nothing and never rebuilds.
  if (( freeze )) && [ "$(readlink -f "$WIRETOP")" = "$repo/wiretop" ] && [ -f "$repo/target/wiretop.jar" ]; then
    mkdir -p "$scratch/wt/target" "$scratch/wt/scripts"
    for try in 1 2 3; do
      cp "$repo/wiretop" "$scratch/wt/wiretop" && cp "$repo/scripts/install-deps.sh" "$scratch/wt/scripts/" \
        && cp "$repo/target/wiretop.jar" "$scratch/wt/target/wiretop.jar" \
        && run_bg "$scratch/warmup.out" "$scratch/warmup.err" timeout 120 "$scratch/wt/wiretop" --raw -v procs -d 1000 -n 1 \
        && break
      (( try == 3 )) && die "frozen wiretop copy does not run: $(tail -n 2 "$scratch/warmup.err" | tr '\n' ' ')"
      sleep 10  # the jar was probably being rewritten
    done
    WIRETOP=$scratch/wt/wiretop
    echo "run.sh: running a frozen copy of ./wiretop and target/wiretop.jar (sha256 $(sha256sum "$scratch/wt/target/wiretop.jar" | cut -c1-12))"
  fi
fi

setsid iperf3 -s -p "$port" >"$scratch/iperf3-server.log" 2>&1 </dev/null &
server_pid=$!
for ((i = 0; i < 50; i++)); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.1; done
ss -Htln "sport = :$port" | grep -q . || die "iperf3 server did not start: $(tail -1 "$scratch/iperf3-server.log")"

tracer_cmd() {  # sets the array cmd for one configuration (empty = untraced)
  case $1 in
    A|A2) cmd=() ;;
    W) cmd=("$WIRETOP" --raw -v procs -d 1000) ;;
    WF) cmd=("$WIRETOP" --raw -v procs -d 1000 --file-io) ;;
    WW) cmd=("$WIRETOP" --raw -v procs -d 1000 --wire) ;;
    WA) cmd=("$WIRETOP" --raw -v procs -d 1000 --all) ;;
    N) cmd=(nethogs -a -t -d 1 lo) ;;
  esac
}

# Starts the tracer of config $1 and waits until it printed its first interval. Its output goes to
# a file (not /dev/null) because that is how readiness is seen and how we check it saw the load;
# tens of KB/s of writes are negligible next to the workloads. Then waits $2 more seconds: the JVM
# spends its first ~15 s JIT-compiling, which is start-up cost, not the steady cost per interval.
# Sets tracer_pid, ready_s, tracer_log.
start_tracer() {
  local cfg=$1 extra=$2 t0 marker
  tracer_cmd "$cfg"
  tracer_pid="" ready_s="" tracer_log=$out/$cfg.out
  (( ${#cmd[@]} )) || return 0
  : >"$tracer_log"  # else the wait below can see the previous start's output before the redirect truncates it
  t0=$(date +%s.%N)
  setsid "${cmd[@]}" >"$tracer_log" 2>"$out/$cfg.err" </dev/null &
  tracer_pid=$!
  [ "$cfg" = N ] && marker='^Refreshing:' || marker='.'
  while ! grep -q "$marker" "$tracer_log" 2>/dev/null; do
    if ! kill -0 "$tracer_pid" 2>/dev/null; then
      wait "$tracer_pid"; local rc=$?
      echo "run.sh: $cfg exited (rc $rc) before printing anything: $(tail -n 2 "$out/$cfg.err" | tr '\n' ' ')" >&2
      tracer_pid=""; return 1
    fi
    if (( $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print (b-a > '"$ready_timeout"')}') )); then
      echo "run.sh: $cfg printed nothing within ${ready_timeout}s; stopping it" >&2
      stop_group "$tracer_pid"; tracer_pid=""; return 1
    fi
    sleep 0.05
  done
  ready_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
  sleep "$extra"
}

# Runs workload $1 in the background (so traps fire at once) and sets value, or returns non-zero.
run_workload() {
  local w=$1
  case $w in
    iperf) timeout $((seconds + 30)) iperf3 -c 127.0.0.1 -p "$port" -t "$seconds" -J >"$scratch/w.out" 2>"$scratch/w.err" & ;;
    pp1) timeout $((seconds + 30)) taskset -c 0 "$scratch/pingpong" "$seconds" >"$scratch/w.out" 2>"$scratch/w.err" & ;;
  esac
  load_pid=$!
  wait "$load_pid"; local rc=$?
  load_pid=""
  (( rc == 0 )) || return 1
  case $w in
    iperf) value=$(python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))' <"$scratch/w.out" 2>/dev/null) ;;
    pp1) value=$(tr -d '\n' <"$scratch/w.out") ;;
  esac
  [[ $value =~ ^[0-9.]+$ ]]
}

# Runs one workload under the current tracer and appends one row to the TSV.
measure() {
  local rd=$1 pos=$2 cfg=$3 w=$4 s0 s1 t0 t1 status=ok saw="" pattern
  value=""
  s0=$(python3 "$here/procsample.py" "${tracer_pid:-0}"); t0=$(date +%s.%N)
  if [ "$w" = idle ]; then
    sleep "$idle_seconds" & load_pid=$!; wait "$load_pid"; load_pid=""; value=$idle_seconds
  elif ! run_workload "$w"; then
    status=fail; value=""
    echo "run.sh: round $rd $cfg $w failed: $(tail -n 1 "$scratch/w.err" 2>/dev/null)" >&2
  fi
  t1=$(date +%s.%N); s1=$(python3 "$here/procsample.py" "${tracer_pid:-0}")
  if [ -n "$tracer_pid" ]; then
    kill -0 "$tracer_pid" 2>/dev/null || { status=fail; echo "run.sh: $cfg died during $w" >&2; }
    case $w in iperf) pattern=iperf3 ;; pp1) pattern=pingpong ;; *) pattern="" ;; esac
    [ -n "$pattern" ] && { grep -q "$pattern" "$tracer_log" && saw=yes || saw=no; }
  fi
  read -r k0 _ p0 b0 c0 <<<"$s0"; read -r k1 h1 p1 b1 c1 <<<"$s1"
  awk -v OFS='\t' -v rd="$rd" -v pos="$pos" -v cfg="$cfg" -v w="$w" -v val="$value" -v rs="$ready_s" \
      -v t0="$t0" -v t1="$t1" -v k0="$k0" -v k1="$k1" -v h1="$h1" -v p0="$p0" -v p1="$p1" \
      -v b0="$b0" -v b1="$b1" -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" -v tr="${tracer_pid:+1}" \
      -v saw="$saw" -v st="$status" 'BEGIN {
        d = t1 - t0
        cpu = tr ? sprintf("%.2f", 100 * (k1 - k0) / hz / d) : ""
        hwm = tr ? h1 : ""
        busy = (c1 > c0) ? sprintf("%.0f", 100 * (b1 - b0) / (c1 - c0)) : ""
        print rd, pos, cfg, w, val, rs, cpu, hwm, sprintf("%.0f", (p1 - p0) / d), busy, sprintf("%.2f", d), saw, st
      }' >>"$tsv"
  local last; last=$(tail -n 1 "$tsv")
  printf 'round %s  %-3s %-5s %s\n' "$rd" "$cfg" "$w" "$(awk -F'\t' '{t = ($7 == "") ? "" : sprintf(" tracer_cpu=%s%% hwm=%skB saw=%s", $7, $8, $12); printf "value=%s lo_pps=%s busy=%s%%%s %s", $5, $9, $10, t, $13}' <<<"$last")"
}

{
  echo "# wiretop net-overhead benchmark $(date -Is) on $(uname -r), $(nproc) CPUs, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# args: rounds=$rounds seconds=$seconds configs=$configs workloads=$workloads idle=$idle_seconds warmup=$warmup idle_warmup=$idle_warmup WIRETOP=$WIRETOP"
  [ -f "$scratch/wt/target/wiretop.jar" ] && echo "# frozen copy of $repo/wiretop + target/wiretop.jar sha256 $(sha256sum "$scratch/wt/target/wiretop.jar" | cut -d' ' -f1)"
  echo "# git: $(git -C "$repo" log -1 --format='%h %s' 2>/dev/null)"
  printf 'round\tpos\tcfg\tworkload\tvalue\tready_s\ttracer_cpu_pct\ttracer_hwm_kb\tlo_pps\tsys_busy_pct\twall_s\tsaw\tstatus\n'
} >"$tsv"
echo "run.sh: results in $out (configs $configs, $rounds rounds x $seconds s)"

# Idle first: it also warms the page cache for the jar before the first measured W start.
if has_cfg W && (( idle_seconds > 0 )); then
  if start_tracer W "$idle_warmup"; then measure 0 0 W idle; else
    printf '0\t0\tW\tidle\t\t\t\t\t\t\t\t\tfail:start\n' >>"$tsv"; fi
  stop_group "$tracer_pid"; tracer_pid=""
fi

n=${#cfg_list[@]}
step=$(( (n + rounds / 2) / rounds )); (( step >= 1 )) || step=1
for ((r = 0; r < rounds; r++)); do
  order=()
  for ((i = 0; i < n; i++)); do order+=("${cfg_list[$(( (i + r * step) % n ))]}"); done
  wls=("${wl_list[@]}")
  (( r % 2 )) && { wls=(); for ((i = ${#wl_list[@]} - 1; i >= 0; i--)); do wls+=("${wl_list[$i]}"); done; }
  echo "run.sh: round $((r + 1))/$rounds order ${order[*]} workloads ${wls[*]}"
  for ((i = 0; i < n; i++)); do
    cfg=${order[$i]}
    case $cfg in W|WF|WW|WA) extra=$warmup ;; *) extra=1 ;; esac
    if ! start_tracer "$cfg" "$extra"; then
      for w in "${wls[@]}"; do printf '%s\t%s\t%s\t%s\t\t\t\t\t\t\t\t\tfail:start\n' $((r + 1)) $((i + 1)) "$cfg" "$w" >>"$tsv"; done
      continue
    fi
    for w in "${wls[@]}"; do measure $((r + 1)) $((i + 1)) "$cfg" "$w"; sleep 1; done
    stop_group "$tracer_pid"; tracer_pid=""
  done
done

python3 "$here/report.py" "$tsv" | tee "$out/summary.md"
echo
echo "run.sh: raw rows $tsv, summary $out/summary.md, tracer output $out/<cfg>.out/.err (last round)"
exit 0
