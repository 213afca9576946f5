#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Replay speed (issue 9, bench/traces part b): wiretop's replay of a generated .scap against
# `sysdig -r FILE proc.pid=0` (parses every event, prints none), A B A B ... in one run, each run
# timed as a whole process by /usr/bin/time (user+sys CPU, wall, peak RSS).
#
#   bench/traces/replay.sh [--events N] [--rounds R] [--file F] [--out DIR] [--feed]
#
# A is `$WIRETOP -r FILE --raw -v procs` when that command exists (tried on a small file first);
# until then it is the reader path that is on main: ReplayPass (ScapReader over the whole file,
# decoding the fields a per-process fold needs), run with the JVM flags of the ./wiretop launcher;
# --feed makes it FeedPass (ScapFeed, the replay feed alone, 1 s intervals to the end) in any case.
# The file is written by GenerateScap (default 2 000 000 events, ~60 s of trace time) unless --file
# names one. No root needed. Needs java, mvn (offline: the test classes are built here), sysdig,
# python3, /usr/bin/time. Exits 0 whatever the ratio: it reports, it does not gate.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
WIRETOP=${WIRETOP:-"$ROOT/wiretop"}
EVENTS=2000000; ROUNDS=10; FILE=""; OUT=""; FEED=0
usage() { echo "usage: $0 [--events N] [--rounds R] [--file F.scap] [--out DIR] [--feed]" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
		--events) [[ ${2-} =~ ^[1-9][0-9]{3,9}$ ]] || usage; EVENTS=$2; shift 2 ;;
		--rounds) [[ ${2-} =~ ^[1-9][0-9]?$ ]] || usage; ROUNDS=$2; shift 2 ;;
		--file) [ -f "${2-}" ] || { echo "$0: no such file: ${2-}" >&2; exit 2; }; FILE=$2; shift 2 ;;
		--out) [ -n "${2-}" ] || usage; OUT=$2; shift 2 ;;
		--feed) FEED=1; shift ;;
		*) usage ;;
	esac
done
for t in java mvn sysdig python3; do command -v $t >/dev/null || { echo "$0: missing $t" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "$0: missing /usr/bin/time (apt-get install time)" >&2; exit 1; }
OUT=${OUT:-/tmp/wiretop-replay-bench-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"

(cd "$ROOT" && mvn -q -o -B test-compile) || { echo "$0: test-compile failed" >&2; exit 1; }
CP="$ROOT/target/classes:$ROOT/target/test-classes"
# the JVM flags of ./wiretop (C1 only, serial GC, small start heap): what a replay would run with
JVM=(java -XX:+UseSerialGC -Xss512k -Xms16m -Xmx512m -XX:-UsePerfData -XX:TieredStopAtLevel=1)

if [ -z "$FILE" ]; then
	FILE="$OUT/replay-$EVENTS.scap"
	"${JVM[@]}" -cp "$CP" io.wiretop.bench.traces.GenerateScap "$FILE" "$EVENTS"
fi
# sysdig must read the file without complaint, or the comparison means nothing
if ! sysdig -r "$FILE" proc.pid=0 >"$OUT/sysdig-check.out" 2>"$OUT/sysdig-check.err" || [ -s "$OUT/sysdig-check.err" ] \
		|| [ -s "$OUT/sysdig-check.out" ]; then
	echo "$0: sysdig does not read $FILE cleanly: see $OUT/sysdig-check.*" >&2; exit 1
fi

# the real CLI, if this build has it: it must print a procs table for a small file and exit 0
SMALL="$OUT/small.scap"
"${JVM[@]}" -cp "$CP" io.wiretop.bench.traces.GenerateScap "$SMALL" 1000 >/dev/null
if [ $FEED = 0 ] && timeout 120 "$WIRETOP" -r "$SMALL" --raw -v procs >"$OUT/cli-check.out" 2>"$OUT/cli-check.err" \
		&& grep -q '[0-9]' "$OUT/cli-check.out"; then
	A=("$WIRETOP" -r "$FILE" --raw -v procs); A_NAME="wiretop -r FILE --raw -v procs"
else
	[ $FEED = 1 ] || echo "note: '$WIRETOP -r FILE --raw' is not available in this build ($(head -c 200 "$OUT/cli-check.err" | tr '\n' ' '));" \
		"measuring $([ $FEED = 1 ] && echo FeedPass || echo ReplayPass) instead" >&2
	if [ $FEED = 1 ]; then
		A=("${JVM[@]}" -cp "$CP" io.wiretop.bench.traces.FeedPass "$FILE"); A_NAME="FeedPass FILE (ScapFeed, 1 s intervals, ./wiretop's JVM flags)"
	else
		A=("${JVM[@]}" -cp "$CP" io.wiretop.bench.traces.ReplayPass "$FILE"); A_NAME="ReplayPass FILE (ScapReader + fold, ./wiretop's JVM flags)"
	fi
fi
B=(sysdig -r "$FILE" proc.pid=0); B_NAME="sysdig -r FILE proc.pid=0"

timed() { # label cmd... → appends "label round cpu_s wall_s rss_kb exit" to results.tsv
	local label=$1 round=$2; shift 2
	local rc=0
	/usr/bin/time -o "$OUT/time.tmp" -f "%U %S %e %M" "$@" >/dev/null 2>>"$OUT/$label.err" || rc=$?
	read -r u s e m <"$OUT/time.tmp"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$(python3 -c "print(round($u+$s,3))")" "$e" "$m" "$rc" >>"$OUT/results.tsv"
}

{
	echo "# $(date -u +%FT%TZ) kernel $(uname -r) $(nproc) CPUs load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') file $FILE ($(stat -c %s "$FILE") bytes) rounds $ROUNDS"
	echo "# A: $A_NAME"
	echo "# B: $B_NAME ($(sysdig --version 2>/dev/null | head -1))"
	printf 'cmd\tround\tcpu_s\twall_s\tmaxrss_kb\texit\n'
} >"$OUT/results.tsv"
timed A 0 "${A[@]}"; timed B 0 "${B[@]}"   # warm-up: page cache, first-use build; not counted
for ((r = 1; r <= ROUNDS; r++)); do
	timed A "$r" "${A[@]}"
	timed B "$r" "${B[@]}"
done

python3 - "$OUT/results.tsv" <<'EOF' | tee "$OUT/summary.md"
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#") and not l.startswith("cmd")]
head = [l.rstrip("\n") for l in open(sys.argv[1]) if l.startswith("#")]
runs = {"A": {}, "B": {}}
for cmd, rnd, cpu, wall, rss, rc in rows:
    if rnd != "0":
        runs[cmd][int(rnd)] = (float(cpu), float(wall), int(rss) / 1024, int(rc))
def mmm(xs, f="%.3f"):
    return " / ".join(f % v for v in (min(xs), statistics.median(xs), max(xs)))
print("\n".join(head))
bad = [(c, r) for c in runs for r, v in runs[c].items() if v[3] != 0]
if bad:
    print("non-zero exits:", bad)
print("\n| | CPU s (min / median / max) | wall s | peak RSS MiB |\n|---|---|---|---|")
for c in "AB":
    v = list(runs[c].values())
    print(f"| {c} | {mmm([x[0] for x in v])} | {mmm([x[1] for x in v])} | {mmm([x[2] for x in v], '%.0f')} |")
pairs = [runs["A"][r][0] / runs["B"][r][0] for r in runs["A"] if r in runs["B"] and runs["B"][r][0] > 0]
print(f"\nA/B CPU, round by round: {mmm(pairs, '%.2f')} (min / median / max over {len(pairs)} rounds);"
      f" goal: A/B <= 1.00 -> {'PASS' if statistics.median(pairs) <= 1.0 else 'FAIL'}")
EOF
echo "results: $OUT" >&2
