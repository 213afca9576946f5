#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What each collector costs while it is on (issue 10): CPU time per 100-byte loopback send+recv round
# of bench/net-overhead's ping-pong pinned to CPU 0, under each configuration, alternating in one run.
#
# Usage: sudo bench/collectors/run.sh [--rounds N] [--seconds S] [--warmup S] [--configs A,D,P,EO,EO0,ES]
#            [--no-stats] [--out DIR]
#   A    untraced
#   D    java -jar wiretop.jar --raw -v procs -d 1000            (the default table: NET only)
#   D0   the same with BASE_JAR (another build, e.g. before a change): before/after in one run
#   P    the full-screen UI in a private tmux, `wiretop -v packets proc.pid=OTHER`: a Packets view whose
#        filter names another process (an idle sleep), the path a drill-down takes (UiController.
#        packetSelection: the packet hooks attach with that pid selected in the kernel)
#   EO   the UI filtered to OTHER's row, then F5: an Echo window on another process (evt.bpf.c's
#        syscall stream attached with that tgid selected in the kernel)
#   EO0  EO with BASE_JAR: before/after in one run
#   ES   the same on the workload itself (its pid is known before it runs: it waits at a gate)
# Each configuration's tracer starts afresh for each run, is ready (first interval printed, the
# UI's header says "WIRE since", the Echo window is open and holds the syscall programs), then
# warms up --warmup s (JIT) before the workload is let through the gate. Measured per run: requests/s,
# the workload's CPU s (both ends, wait4) hence CPU ns per request, the tracer's CPU (% of a core),
# the load average and the CPU busy % of the machine. Then, unless --no-stats, one more run per traced
# configuration with BPF run-time statistics on (statsfd.py: the BPF_ENABLE_STATS fd, the sysctl is
# not touched) gives each program of the tracer's process: runs, ns per run, runs per request. The
# statistics cost ~60 ns per program run themselves on this VM, so they are never on during the
# rounds whose CPU time is compared. Exits 0 whatever the goals say: it reports.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=7 seconds=4 warmup=8 stats=1 configs=A,D,P,EO,ES out="" ready_timeout=240
die() { echo "run.sh: $*" >&2; exit 2; }
posint() { [[ $2 =~ ^[0-9]+$ ]] && (( $2 >= $3 )) || die "$1 needs an integer >= $3, got '$2'"; }
while (( $# )); do
  case $1 in
    --rounds) posint "$1" "${2-}" 1; rounds=$2; shift 2 ;;
    --seconds) posint "$1" "${2-}" 1; seconds=$2; shift 2 ;;
    --warmup) posint "$1" "${2-}" 0; warmup=$2; shift 2 ;;
    --configs) configs=${2-}; [[ $configs =~ ^(A|D|D0|P|EO|EO0|ES)(,(A|D|D0|P|EO|EO0|ES))*$ ]] || die "--configs: A,D,D0,P,EO,EO0,ES"; shift 2 ;;
    --no-stats) stats=0; shift ;;
    --out) out=${2-}; [ -n "$out" ] || die "--out needs a directory"; shift 2 ;;
    -h|--help) sed -n '3,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run.sh: must run as root (BPF): sudo $0" >&2; exit 1; }
[[ ,$configs, == *,A,* ]] || die "--configs must include A (the baseline)"
[[ ,$configs, =~ ,(D0|EO0), && -z ${BASE_JAR-} ]] && die "D0 and EO0 need BASE_JAR=path/to/wiretop.jar"
for t in python3 taskset tmux java bpftool; do command -v $t >/dev/null || die "missing $t"; done
CC=${CC:-$(command -v gcc || command -v cc || command -v clang-16)} || die "no C compiler"
[ -f "$repo/target/wiretop.jar" ] || die "no target/wiretop.jar: mvn -o package -DskipTests"
out=${out:-/tmp/wiretop-collectors-bench-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out" || die "cannot create $out"
scratch=$(mktemp -d /tmp/wiretop-collectors.XXXXXX)
tsv=$out/results.tsv
sock=wiretop-collectors-$$          # a private tmux server: never the default one
tracer_pid="" other_pid="" load_pid="" stats_pid="" tui=0

stop_pid() { # pid signal: signal, wait up to 15 s, then KILL
  local p=$1 sig=${2:-TERM} i
  [ -n "$p" ] || return 0
  kill -"$sig" "$p" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null
  return 0
}
stop_tracer() {
  if (( tui )); then # q, as a user leaves; the pane's java is not our child: poll it
    tmux -L "$sock" send-keys BSpace 2>/dev/null; sleep 0.3; tmux -L "$sock" send-keys q 2>/dev/null
    local i; for ((i = 0; i < 150; i++)); do kill -0 "$tracer_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$tracer_pid" 2>/dev/null && kill -KILL "$tracer_pid" 2>/dev/null
    tmux -L "$sock" kill-server 2>/dev/null
  else
    stop_pid "$tracer_pid" TERM
  fi
  tracer_pid="" tui=0
}
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$load_pid"; [ -n "$tracer_pid" ] && stop_tracer; stop_pid "$other_pid"; stop_pid "$stats_pid"
  tmux -L "$sock" kill-server 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted, cleaning up" >&2; cleanup; exit 130' INT TERM

"$CC" -O2 -Wall -Wextra -o "$scratch/pingpong" "$here/../net-overhead/pingpong.c" || die "compiling pingpong.c failed"
# private copies: other builds rewrite target/wiretop.jar
cp "$repo/target/wiretop.jar" "$scratch/wiretop.jar" || die "cannot copy the jar"
[ -n "${BASE_JAR-}" ] && { cp "$BASE_JAR" "$scratch/base.jar" || die "cannot copy BASE_JAR $BASE_JAR"; }
jar_of() { [[ $1 == D0 || $1 == EO0 ]] && echo "$scratch/base.jar" || echo "$scratch/wiretop.jar"; }
JAVA="java -XX:+UseSerialGC"

setsid sleep 1000000 </dev/null >/dev/null 2>&1 & other_pid=$!

# ready CFG: whether the tracer is ready (its output, the UI's screen, its programs)
screen() { tmux -L "$sock" capture-pane -p 2>/dev/null; }
progs() { python3 "$here/../traces/bpfstats.py" "$tracer_pid" 2>/dev/null; }

# start_tracer CFG WORKLOAD_PID: sets tracer_pid (empty for A) once it is ready, then warms up
start_tracer() {
  local cfg=$1 wpid=$2 t0=$SECONDS jar f5=0; jar=$(jar_of "$cfg")
  tracer_pid="" tui=0
  case $cfg in
    A) return 0 ;;
    D|D0) setsid $JAVA -jar "$jar" --raw -v procs -d 1000 >"$out/$cfg.out" 2>"$out/$cfg.err" </dev/null &
       tracer_pid=$! ;;
    P|EO|EO0|ES)
      local what="-v packets proc.pid=$other_pid"
      [[ $cfg == EO* ]] && what="proc.pid=$other_pid"; [ "$cfg" = ES ] && what="proc.pid=$wpid"
      tmux -L "$sock" new-session -d -x 160 -y 40 "exec $JAVA -jar $jar $what 2>$out/$cfg.err" || return 1
      tracer_pid=$(tmux -L "$sock" display -p '#{pane_pid}') tui=1 ;;
  esac
  while :; do
    kill -0 "$tracer_pid" 2>/dev/null || { echo "run.sh: $cfg exited early: $(tail -n 2 "$out/$cfg.err" | tr '\n' ' ')" >&2; tracer_pid="" tui=0; return 1; }
    case $cfg in
      D|D0) grep -q . "$out/$cfg.out" && break ;;
      P) screen | grep -q 'WIRE since' && progs | grep -q wt_pkt_egress && break ;;
      EO|EO0|ES)
        if (( !f5 )); then # the filtered table shows the row: F5 opens Echo on it
          screen | grep -qE "^ *${other_pid}|^ *${wpid}" && { tmux -L "$sock" send-keys F5; f5=1; }
        else
          # sys_exit: Echo's stream attaches it alone since the Echo-only mode (sys_enter too before)
          screen | grep -q 'I/O activity' && progs | grep -q evt_sys_exit && break
        fi ;;
    esac
    (( SECONDS - t0 > ready_timeout )) && { echo "run.sh: $cfg not ready in ${ready_timeout}s" >&2; stop_tracer; return 1; }
    sleep 0.2
  done
  (( tui )) && screen >"$out/$cfg.screen"
  sleep "$warmup"
}

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# measure ROUND POS CFG [STATSPREFIX]: one gated workload under CFG; appends a row to results.tsv
measure() {
  local rd=$1 pos=$2 cfg=$3 sf=${4-} wpid s0 s1 rate cpu wall rc status=ok la0 la1
  rm -f "$scratch/pid" "$scratch/go"
  python3 "$here/../traces/workload.py" "$scratch/pingpong" "$seconds" "$scratch/pid" "$scratch/go" 0 >"$scratch/w.out" 2>"$scratch/w.err" &
  load_pid=$!
  while [ ! -s "$scratch/pid" ]; do kill -0 "$load_pid" 2>/dev/null || break; sleep 0.02; done
  wpid=$(cat "$scratch/pid" 2>/dev/null)
  if ! start_tracer "$cfg" "$wpid"; then
    touch "$scratch/go"; wait "$load_pid"; load_pid=""
    printf '%s\t%s\t%s\t\t\t\t\t\t\t\tfail:start\n' "$rd" "$pos" "$cfg" >>"$tsv"; return
  fi
  [ -n "$sf" ] && progs >"$sf.before"
  s0=$(python3 "$here/../net-overhead/procsample.py" "${tracer_pid:-0}"); la0=$(loadavg)
  touch "$scratch/go"; wait "$load_pid"; load_pid=""
  s1=$(python3 "$here/../net-overhead/procsample.py" "${tracer_pid:-0}"); la1=$(loadavg)
  [ -n "$sf" ] && progs >"$sf.after"
  read -r rate cpu wall rc <"$scratch/w.out" || status=fail:workload
  [ "${rc:-1}" = 0 ] || status=fail:workload
  if [ -n "$tracer_pid" ]; then
    kill -0 "$tracer_pid" 2>/dev/null || status=fail:tracer-died
    stop_tracer
  fi
  read -r k0 _ _ b0 t0 <<<"$s0"; read -r k1 _ _ b1 t1 <<<"$s1"
  awk -v OFS='\t' -v rd="$rd" -v pos="$pos" -v cfg="$cfg" -v rate="$rate" -v cpu="$cpu" -v wall="$wall" \
      -v s="$seconds" -v k0="$k0" -v k1="$k1" -v hz="$(getconf CLK_TCK)" -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" \
      -v la="$la0/$la1" -v st="$status" 'BEGIN {
        req = rate * s
        ns = (req > 0) ? sprintf("%.0f", cpu / req * 1e9) : ""
        tcpu = (cfg == "A") ? "" : sprintf("%.1f", 100 * (k1 - k0) / hz / wall)
        busy = (t1 > t0) ? sprintf("%.0f", 100 * (b1 - b0) / (t1 - t0)) : ""
        print rd, pos, cfg, rate, cpu, ns, tcpu, la, busy, st
      }' >>"$tsv"
  tail -n 1 "$tsv" | awk -F'\t' '{printf "round %s %-3s req/s=%s cpu_ns/req=%s tracer_cpu=%s%% load=%s busy=%s%% %s\n", $1, $3, $4, $6, $7, $8, $9, $10}'
}

{
  echo "# wiretop collector-cost benchmark $(date -u -Is) on $(uname -r), $(nproc) CPUs, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# args: rounds=$rounds seconds=$seconds configs=$configs warmup=$warmup"
  echo "# jar sha256 $(sha256sum "$scratch/wiretop.jar" | cut -c1-16)${BASE_JAR:+, BASE_JAR $(sha256sum "$scratch/base.jar" | cut -c1-16) ($BASE_JAR)}"
  echo "# git: $(git -C "$repo" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)$(git -C "$repo" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
  printf 'round\tpos\tcfg\treq_per_s\twork_cpu_s\tcpu_ns_per_req\ttracer_cpu_pct\tloadavg\tbusy_pct\tstatus\n'
} >"$tsv"

IFS=, read -r -a run_list <<<"$configs"
n=${#run_list[@]}
for ((r = 0; r < rounds; r++)); do
  order=(); for ((i = 0; i < n; i++)); do order+=("${run_list[$(( (i + r) % n ))]}"); done
  echo "run.sh: round $((r + 1))/$rounds: ${order[*]}"
  for ((i = 0; i < n; i++)); do measure $((r + 1)) $((i + 1)) "${order[$i]}"; sleep 1; done
done

stats_md=$out/bpf-stats.md
: >"$stats_md"
if (( stats )); then
  python3 "$here/statsfd.py" >"$scratch/stats.out" 2>&1 & stats_pid=$!
  while ! grep -q on "$scratch/stats.out" 2>/dev/null; do kill -0 "$stats_pid" 2>/dev/null || die "statsfd.py: $(cat "$scratch/stats.out")"; sleep 0.1; done
  for c in "${run_list[@]}"; do
    [ "$c" = A ] && continue
    measure stats 0 "$c" "$scratch/stats-$c"
    req=$(tail -n 1 "$tsv" | awk -F'\t' '{print $4 * '"$seconds"'}')
    { echo "**$c** ($(tail -n 1 "$tsv" | cut -f4) req/s while the statistics were on):"; echo
      echo "| program | type | runs | ns/run | runs per request |"; echo "|---|---|---|---|---|"
      python3 "$here/../traces/bpfstats.py" --diff "$scratch/stats-$c.before" "$scratch/stats-$c.after" "$req"; echo; } >>"$stats_md"
  done
  stop_pid "$stats_pid"; stats_pid=""
fi

python3 "$here/report.py" "$tsv" | tee "$out/summary.md"
[ -s "$stats_md" ] && { echo; echo "BPF programs of the tracer's process (separate runs with BPF statistics on):"; echo; cat "$stats_md"; } | tee -a "$out/summary.md"
echo "run.sh: rows $tsv, summary $out/summary.md"
exit 0
