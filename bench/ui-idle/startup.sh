#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up of the interactive UI: time from launching the JVM to the first screen (the table's title
# line in a detached tmux pane, 120x40, polled every 10 ms), and the programs the JVM executes while
# it starts, shows the table and quits (execve calls under strace -f, in one extra run: strace slows
# the start, so that run is not timed). Same synthetic UI as run.sh (DemoMain: no kernel, no root).
# Usage: [JAVA_OPTS=...] bench/ui-idle/startup.sh [runs=5] [procs=500]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}; PROCS=${2:-500}
BUILD=target-uibench
mvn -q -B -o -Dbuild.dir=$BUILD -DskipTests -DskipKernelTests test-compile
mvn -q -B -o -Dbuild.dir=$BUILD dependency:build-classpath -Dmdep.outputFile=$BUILD/cp.txt
CP="$PWD/$BUILD/classes:$PWD/$BUILD/test-classes:$(cat $BUILD/cp.txt)"
SESSION=wiretop-ui-start-$$
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT
JAVA="java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${JAVA_OPTS:-}"

# starts the UI in a fresh pane ($1: a command prefix) and prints the ms until the table shows
first_screen() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  local t0 t1
  t0=$(date +%s%N)
  tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "TERM=xterm-256color $1 $JAVA -cp '$CP' io.wiretop.ui.DemoMain $PROCS 2000 default /tmp/$SESSION.log"
  for _ in $(seq 3000); do
    if tmux capture-pane -p -t "$SESSION" 2>/dev/null | grep -q "Viewing: Processes"; then
      t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); return 0
    fi
    sleep 0.01
  done
  echo "startup: the UI did not show within 30 s" >&2; return 1
}

quit() {
  tmux send-keys -t "$SESSION" q
  for _ in $(seq 500); do tmux has-session -t "$SESSION" 2>/dev/null || return 0; sleep 0.02; done
}

times=()
for i in $(seq "$RUNS"); do
  times+=("$(first_screen "")"); sleep 1; quit
done
printf 'startup: first screen after %s ms (runs: %s)\n' \
  "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "${times[*]}"

TRACE=/tmp/$SESSION.strace
first_screen "strace -f -qq -e trace=execve -e signal=none -o $TRACE" >/dev/null; sleep 2; quit; sleep 1
echo "startup: programs executed by the JVM from start to quit: $(grep -c 'execve(' "$TRACE" | awk '{print $1 - 1}')" \
  "($(grep -o 'execve("[^"]*' "$TRACE" | sed 's/execve("//' | tail -n +2 | sort | uniq -c | tr -s ' ' | paste -sd, -))"
rm -f "$TRACE"
