#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Churn soak (issue 8): wiretop's full-screen UI runs in a detached tmux pane (160x50, -d 1000)
# while churn.c starts 200 short-lived processes/s and opens and closes 1000 TCP connections/s over
# loopback. A second wiretop (--json -v procs) runs beside it. Every few seconds the UI's JVM is
# sampled: RSS (/proc/PID/status VmRSS), open fds (/proc/PID/fd), the row count in the footer and
# whether LOST is shown. soak.py then judges (see docs/benchmarks.md, "Churn soak"): RSS under
# 200 MiB and flat after the warm-up, no fd growth, rows bounded by the live processes plus the
# exits of two intervals, exited rows gone the interval after, every churned process seen, the NET
# bytes of the churn's client and server exact, lost counters 0. Exits 1 if any criterion fails.
#
# Usage (root): bench/soak/run.sh [--minutes N] [--procs R] [--conns R] [--interval MS]
#                                 [--warmup S] [--sample S] [--out DIR]
#               bench/soak/run.sh --selftest     the criteria against recorded series (no root)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
MINUTES=60; PROCS=200; CONNS=1000; INTERVAL=1000; WARMUP=""; SAMPLE=5; OUT=""; BYTES=64
usage() { sed -n '12,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
num() { [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || { echo "soak: $1 needs a positive whole number, got '$2'" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
	case $1 in
		--selftest) exec python3 "$HERE/soak.py" selftest ;;
		--minutes|--procs|--conns|--interval|--warmup|--sample|--out)
			[ $# -ge 2 ] || { echo "soak: $1 needs a value" >&2; exit 2; }
			[ "$1" = --out ] || num "$1" "$2"
			case $1 in
				--minutes) MINUTES=$2 ;; --procs) PROCS=$2 ;; --conns) CONNS=$2 ;;
				--interval) INTERVAL=$2 ;; --warmup) WARMUP=$2 ;; --sample) SAMPLE=$2 ;; --out) OUT=$2 ;;
			esac
			shift 2 ;;
		-h|--help) usage ;;
		*) echo "soak: unknown argument '$1'" >&2; usage ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "soak: wiretop loads BPF programs: run as root" >&2; exit 2; }
for t in tmux python3 pgrep; do command -v $t >/dev/null || { echo "soak: missing $t (scripts/install-deps.sh test)" >&2; exit 2; }; done
CC=${CC:-$(command -v gcc || command -v cc || command -v clang-16 || true)}
[ -n "$CC" ] || { echo "soak: a C compiler (gcc) is needed" >&2; exit 2; }
SECS=$((MINUTES * 60))
# warm-up: a fifth of the run, at least a minute, at most half of it
[ -n "$WARMUP" ] || { WARMUP=$((SECS / 5)); [ $WARMUP -lt 60 ] && WARMUP=60; [ $WARMUP -gt $((SECS / 2)) ] && WARMUP=$((SECS / 2)); }
OUT=${OUT:-$(mktemp -d /tmp/wiretop-soak.XXXX)}
mkdir -p "$OUT"
rm -f "$OUT/json.fifo" "$OUT"/json-summary.json* "$OUT/samples.tsv"   # a reused --out DIR
TAG="soak$$"
SOCK="soak-$$"
"$CC" -O2 -Wall -o "$OUT/churn" "$HERE/churn.c"
"$ROOT/wiretop" --list-views >/dev/null    # builds the jar if the sources changed: not inside the measurement

TUI_PID=""; JSON_PID=""; CHECK_PID=""; CHURN_PID=""
cleanup() {
	for p in $CHURN_PID $JSON_PID; do kill -TERM "$p" 2>/dev/null || true; done
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"   # kill-server leaves the socket file
	[ -z "$CHECK_PID" ] || wait "$CHECK_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "soak: $MINUTES min, $PROCS processes/s, $CONNS connections/s, -d $INTERVAL, warm-up $WARMUP s;" \
	"commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); files in $OUT"
tmux -L "$SOCK" new-session -d -x 160 -y 50 "cd '$ROOT' && ./wiretop -d $INTERVAL --logfile '$OUT/tui.log'"
screen() { tmux -L "$SOCK" capture-pane -p 2>/dev/null || true; }
for _ in $(seq 600); do
	screen | grep -q "Viewing: Processes" && break; sleep 0.2
done
screen | grep -q "Viewing: Processes" || { echo "soak: the UI did not come up; screen:" >&2; screen >&2; exit 1; }
TUI_PID=$(pgrep -f "^java .*--logfile $OUT/tui.log" | head -1 || true)
[ -n "$TUI_PID" ] || { echo "soak: cannot find the UI's JVM" >&2; exit 1; }

mkfifo "$OUT/json.fifo"
python3 "$HERE/soak.py" json-check "$TAG" "$OUT/json-summary.json" <"$OUT/json.fifo" & CHECK_PID=$!
# not a tty: the launcher execs java, so $! is the JVM
"$ROOT/wiretop" --json -v procs -d "$INTERVAL" >"$OUT/json.fifo" 2>"$OUT/json.err" & JSON_PID=$!
for _ in $(seq 600); do [ -e "$OUT/json-summary.json.ready" ] && break; sleep 0.2; done
[ -e "$OUT/json-summary.json.ready" ] || { echo "soak: wiretop --json printed nothing:" >&2; cat "$OUT/json.err" >&2; exit 1; }

sample() { # t: one line of samples.tsv
	local rss fds scr rows live lost procs forks
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$TUI_PID/status" 2>/dev/null || echo 0)
	# each read may fail (the JVM gone, no footer on screen): the sample records 0, which fails a criterion
	fds=$(find "/proc/$TUI_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l || true)
	scr=$(screen)
	rows=$(printf '%s\n' "$scr" | grep -oE '[0-9]+/[0-9]+\(' | tail -1 | sed -E 's/.*\/([0-9]+)\(/\1/' || true)
	procs=(/proc/[0-9]*); live=${#procs[@]}
	lost=$(printf '%s\n' "$scr" | head -3 | grep -c ' LOST [0-9]' || true)
	forks=$(awk '/^processes / {print $2}' /proc/stat)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "${rss:-0}" "$fds" "${rows:-0}" "$live" "$lost" "$forks"
}
echo "# t_s rss_kib fds screen_rows live_procs lost_on_screen forks_total" >"$OUT/samples.tsv"
"$OUT/churn" "$SECS" "$PROCS" "$CONNS" "$BYTES" "$TAG" >"$OUT/churn.txt" 2>&1 & CHURN_PID=$!
T0=$(date +%s)
sample 0 >>"$OUT/samples.tsv"
next=$SAMPLE
while kill -0 "$CHURN_PID" 2>/dev/null; do
	sleep 1
	now=$(($(date +%s) - T0))
	if [ "$now" -ge "$next" ]; then
		sample "$now" >>"$OUT/samples.tsv"
		next=$((next + SAMPLE))
		kill -0 "$TUI_PID" 2>/dev/null || { echo "soak: the UI's JVM exited during the run; screen:" >&2; screen >&2; exit 1; }
	fi
done
wait "$CHURN_PID" || echo "soak: churn exited with $?" >&2
CHURN_PID=""
# three more intervals: the last exits get their final rows, then leave
sleep $(((3 * INTERVAL + 999) / 1000))
sample $(($(date +%s) - T0)) >>"$OUT/samples.tsv"
screen >"$OUT/screen-end.txt"
kill -TERM "$JSON_PID"; wait "$JSON_PID" 2>/dev/null || true; JSON_PID=""
wait "$CHECK_PID" || true; CHECK_PID=""

# the UI quits on q like it should after an hour of churn
tmux -L "$SOCK" send-keys q
quit="ok    the UI quit on q"
for _ in $(seq 100); do kill -0 "$TUI_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$TUI_PID" 2>/dev/null && quit="FAIL  the UI did not quit on q within 10 s"

echo "soak: churn: $(tr '\n' ' ' <"$OUT/churn.txt")"
echo "$quit"
rc=0
python3 "$HERE/soak.py" verdict "$OUT/samples.tsv" "$OUT/json-summary.json" "$OUT/churn.txt" \
	"$WARMUP" "$PROCS" "$CONNS" "$SECS" "$(awk -v i="$INTERVAL" 'BEGIN{print i/1000}')" || rc=1
case $quit in FAIL*) echo "soak: FAIL (the UI did not quit on q)"; rc=1 ;; esac
exit $rc
