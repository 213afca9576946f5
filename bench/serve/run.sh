#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What `wiretop serve` costs a node: CPU (% of one core, utime+stime of the JVM from /proc/PID/stat),
# RSS (VmRSS; VmHWM = the peak) and the time and size of a scrape, idle and under load with PROCS
# processes alive, each sending 200 bytes a second over loopback under NAMES names (procs.c).
# During each measured window /metrics is scraped every 15 s (Prometheus's default interval), then 20
# scrapes are timed with curl (text format and OpenMetrics). Goals (issue 12): CPU < 1% of a core,
# RSS < 150 MiB, a scrape < 50 ms. Needs root (it loads wiretop's BPF programs).
# Usage: [WARMUP=s] [JAVA_OPTS=...] bench/serve/run.sh [seconds=60] [procs=1000] [names=100] [interval_ms=2000] [serve options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-60}; PROCS=${2:-1000}; NAMES=${3:-100}; INTERVAL=${4:-2000}; shift $(( $# < 4 ? $# : 4 ))
WARMUP=${WARMUP:-20}
TMP=$(mktemp -d /tmp/wiretop-serve-bench-XXXXXX)
SERVE=""; LOAD=""
cleanup() {
  [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null || true
  [ -n "$SERVE" ] && kill "$SERVE" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
[ -f target/wiretop.jar ] || mvn -q -o package -DskipTests
gcc -O2 -Wall -o "$TMP/procs" bench/serve/procs.c
echo "serve-bench: $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); -d $INTERVAL $*; JAVA_OPTS=${JAVA_OPTS--XX:TieredStopAtLevel=1 -Xms16m}"
# the JVM options of the ./wiretop launcher (C1 only, a heap that starts small) unless JAVA_OPTS says otherwise
java ${JAVA_OPTS--XX:TieredStopAtLevel=1 -Xms16m} -jar target/wiretop.jar serve --listen 127.0.0.1:0 -d "$INTERVAL" "$@" 2>"$TMP/serve.err" &
SERVE=$!
for _ in $(seq 1800); do grep -q 'metrics on' "$TMP/serve.err" && break; kill -0 $SERVE || { cat "$TMP/serve.err"; exit 1; }; sleep 0.1; done
PORT=$(grep -o '127.0.0.1:[0-9]*/metrics' "$TMP/serve.err" | cut -d: -f2 | cut -d/ -f1)
URL="http://127.0.0.1:$PORT/metrics"
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$SERVE/stat"; }
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SERVE/status"; }

measure() { # $1 = label
  sleep "$WARMUP"
  local t0 s0 t1 s1 n=0
  t0=$(ticks); s0=$(date +%s.%N)
  ( while sleep 15; do curl -s -o /dev/null "$URL"; done ) & local scraper=$!
  sleep "$SECS"
  kill $scraper; wait $scraper 2>/dev/null || true
  t1=$(ticks); s1=$(date +%s.%N)
  : > "$TMP/times"
  for i in $(seq 20); do
    curl -s -o "$TMP/text" -w '%{time_total} %{size_download}\n' "$URL" >> "$TMP/times"
    curl -s -o /dev/null -H 'Accept: application/openmetrics-text; version=1.0.0' -w '%{time_total} %{size_download}\n' "$URL" >> "$TMP/times.om"
  done
  local series; series=$(grep -c '^wiretop_' "$TMP/text" || true)
  local proc; proc=$(grep -c '^wiretop_process_network_transmit_bytes_total' "$TMP/text" || true)
  promtool check metrics < "$TMP/text" >/dev/null 2>&1 && lint=ok || lint="FAILED (rc=$?)"
  local rss hwm load size med max omed omax omsize
  rss=$(kib VmRSS); hwm=$(kib VmHWM); load=$(cut -d' ' -f1-3 /proc/loadavg)
  stats() { # median and max in ms, and the size, of a file of "seconds bytes" lines
    sort -n "$1" | awk '{ t[NR] = $1 * 1000; size = $2 } END { printf "%.1f %.1f %d", t[int((NR + 1) / 2)], t[NR], size }'
  }
  read -r med max size <<< "$(stats "$TMP/times")"
  read -r omed omax omsize <<< "$(stats "$TMP/times.om")"
  awk -v l="$1" -v t0="$t0" -v t1="$t1" -v s0="$s0" -v s1="$s1" -v hz="$HZ" -v rss="$rss" -v hwm="$hwm" 'BEGIN {
    cpu = (t1 - t0) / hz; wall = s1 - s0
    printf "serve-bench %s: CPU %.2f s in %.0f s = %.2f%% of one core; RSS %.1f MiB (peak %.1f MiB)\n", l, cpu, wall, 100 * cpu / wall, rss / 1024, hwm / 1024 }'
  echo "serve-bench $1: scrape (text) median $med ms, max $max ms, $size bytes, $series series ($proc process names); promtool $lint; load $load"
  echo "serve-bench $1: scrape (OpenMetrics) median $omed ms, max $omax ms, $omsize bytes"
  rm -f "$TMP/times.om"
}

measure idle
"$TMP/procs" "$PROCS" "$NAMES" 200 > "$TMP/procs.out" &
LOAD=$!
sleep 5
echo "serve-bench: load started: $(pgrep -c -f "^$TMP/procs" || true) processes (procs.c)"
measure "load ($PROCS processes, $NAMES names)"
kill $LOAD; wait $LOAD || true; LOAD=""
cat "$TMP/procs.out"
kill -TERM $SERVE; rc=0; wait $SERVE || rc=$?; SERVE=""
echo "serve-bench: serve exited with $rc after SIGTERM; $(grep -v 'metrics on' "$TMP/serve.err" || true)"
