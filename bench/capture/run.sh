#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Capture throughput benchmark, all configurations interleaved in each round (root):
#   A  untraced
#   W  wiretop capture -s 96 -w FILE   (cgroup_skb, every packet's headers, batched ring-buffer wake-ups)
#   H  tcpdump -i lo -s 96 -w FILE
#   I  tcpdump -i lo -w FILE           (full snaplen)
# Workloads: iperf3 over lo (Gbit/s) and a 100-byte TCP ping-pong pinned to CPU 0 (requests/s).
# Prints per config: median throughput ratio to A of the same round, packets lost, capturer CPU % of one core.
# Usage: bench/capture/run.sh [ROUNDS] [SECONDS] [WARMUP]; WIRETOP="java -jar target/wiretop.jar" overrides the command.
# WARMUP (default 0) runs the workload that many seconds with the capturer attached before the
# measured run, for every configuration alike: a JVM compiles its hot path when traffic first
# arrives (about 0.5 s of CPU), which a measurement of steady state leaves out.
set -euo pipefail
ROUNDS=${1:-3}; SECS=${2:-5}; WARMUP=${3:-0}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
WIRETOP=${WIRETOP:-"$ROOT/wiretop"}
OUT=$(mktemp -d /tmp/wiretop-capbench.XXXX)   # kept: capturer stderr files explain failures
PORT=$((20000 + RANDOM % 20000))
CLK=$(getconf CLK_TCK)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
for t in iperf3 tcpdump taskset; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 1; }; done
${CC:-clang-16} -O2 -o "$OUT/pingpong" "$HERE/pingpong.c"

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

start_capturer() { # cfg → sets CAP_PID, CAP_ERR
	CAP_ERR="$OUT/$1.err"; CAP_PID=""
	case $1 in
		A) return ;;
		W) $WIRETOP capture -s 96 -w "$OUT/w.pcapng" >/dev/null 2>"$CAP_ERR" & ;;
		H) tcpdump -i lo -n -s 96 -w "$OUT/h.pcap" 2>"$CAP_ERR" & ;;
		I) tcpdump -i lo -n -w "$OUT/i.pcap" 2>"$CAP_ERR" & ;;
	esac
	CAP_PID=$!
	sleep 2   # JVM start + BPF attach, or tcpdump's socket
}

stop_capturer() { # prints "lost cpu%"
	[ -z "$CAP_PID" ] && { echo "- -"; return; }
	local t1; t1=$(cpu_ticks "$CAP_PID")
	kill -0 "$CAP_PID" 2>/dev/null || { echo "capturer $CAP_PID died early: see $CAP_ERR" >&2; echo "? ?"; return; }
	# SIGTERM: background jobs of a non-interactive shell ignore SIGINT, and so would the JVM
	kill -TERM "$CAP_PID"
	# this runs in a subshell (read < <(...)): the capturer is not its child, so `wait` cannot wait
	while kill -0 "$CAP_PID" 2>/dev/null; do sleep 0.1; done
	local lost; lost=$({ grep -oE '[0-9]+ packets dropped by kernel' "$CAP_ERR" || true; } | awk '{print $1}' | tail -1)
	echo "${lost:-?} $(awk -v a="$CAP_T0" -v b="$t1" -v c="$CLK" -v s="$WORK_SECS" 'BEGIN{printf "%.1f", (b-a)/c/s*100}')"
}

run_workload() { # kind [seconds] → prints throughput
	local secs=${2:-$SECS}
	case $1 in
		iperf) iperf3 -s -1 -p $PORT >/dev/null 2>&1 & local s=$!; sleep 0.3
			iperf3 -c 127.0.0.1 -p $PORT -t "$secs" -J | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["end"]["sum_received"]["bits_per_second"]/1e9 if "sum_received" in d.get("end", {}) else "nan")'
			wait $s 2>/dev/null || true ;;
		pp) taskset -c 0 "$OUT/pingpong" $((PORT + 1)) "$secs" ;;
	esac
}

CFGS=(A W H I)
declare -A RES LOST CPU
for kind in iperf pp; do
	for ((r = 0; r < ROUNDS; r++)); do
		n=${#CFGS[@]}
		for ((k = 0; k < n; k++)); do
			cfg=${CFGS[$(((k + r) % n))]}   # rotate the order each round
			start_capturer "$cfg"
			if [ "$WARMUP" -gt 0 ]; then run_workload "$kind" "$WARMUP" >/dev/null; fi
			CAP_T0=$( [ -n "$CAP_PID" ] && cpu_ticks "$CAP_PID" || echo 0 ); WORK_SECS=$SECS
			v=$(run_workload "$kind")
			read -r l c < <(stop_capturer)
			RES[$kind,$cfg,$r]=$v; LOST[$kind,$cfg,$r]=$l; CPU[$kind,$cfg,$r]=$c
			echo "round $r $kind $cfg: $v lost=$l cpu=$c%" >&2
		done
	done
done

printf '\n%-6s %-4s %-22s %-10s %-12s %s\n' workload cfg "ratio to A per round" median lost "capturer CPU% (1 core)"
for kind in iperf pp; do
	for cfg in "${CFGS[@]}"; do
		ratios=""; lost=""; cpu=""
		for ((r = 0; r < ROUNDS; r++)); do
			ratios+="$(awk -v x="${RES[$kind,$cfg,$r]}" -v a="${RES[$kind,A,$r]}" 'BEGIN{printf "%.2f ", x/a}')"
			lost+="${LOST[$kind,$cfg,$r]} "; cpu+="${CPU[$kind,$cfg,$r]} "
		done
		med=$(echo $ratios | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
		printf '%-6s %-4s %-22s %-10s %-12s %s\n' $kind $cfg "$ratios" "$med" "$lost" "$cpu"
	done
done
