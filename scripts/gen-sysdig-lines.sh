#!/bin/sh
# Writes sysdig 0.29.3's own output for each .scap fixture into src/test/resources/sysdig/, the
# expected lines of SysdigLineFixtureTest and DataTextFixtureTest:
#   NAME.txt    TZ=UTC sysdig -r NAME.scap       (default line format)
#   NAME.X.txt  TZ=UTC sysdig -r NAME.scap -X    (buffers in hex and ASCII)
#   NAME.A.txt  TZ=UTC sysdig -r NAME.scap -A    (buffers in printable ASCII)
# and the same for src/test/resources/sysdig/synthetic.scap, written first by the test class
# SyntheticCapture (run after test-compile), whose events cover what the fixtures lack.
# Usage: scripts/gen-sysdig-lines.sh [SHARED_DIR]   (default ../shared, as the tests)
set -eu
shared=${1:-${WIRETOP_SHARED:-../shared}}
out=src/test/resources/sysdig
mkdir -p "$out"
sysdig --version | grep -q '0.29.3' || { echo "sysdig 0.29.3 needed" >&2; exit 1; }
java -cp target/classes:target/test-classes io.wiretop.trace.print.SyntheticCapture "$out/synthetic.scap"
for f in "$shared"/fixtures/scap/*.scap "$out/synthetic.scap"; do
    n=$(basename "$f" .scap)
    # sysdig refuses curl_google_comments.scap and stops early in test_ipv6_client.scap: keep what it printed
    TZ=UTC sysdig -r "$f" > "$out/$n.txt" 2>/dev/null || true
    TZ=UTC sysdig -r "$f" -X > "$out/$n.X.txt" 2>/dev/null || true
    TZ=UTC sysdig -r "$f" -A > "$out/$n.A.txt" 2>/dev/null || true
    for x in "$out/$n".txt "$out/$n".X.txt "$out/$n".A.txt; do [ -s "$x" ] || rm "$x"; done
done
