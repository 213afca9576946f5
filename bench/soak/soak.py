#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The soak's judgement, kept apart from the shell that runs it so that it can be tested on
recorded series (selftest) without a kernel.

  soak.py json-check TAG OUT.json   reads `wiretop --json -v procs` lines on stdin; at EOF writes a
                                    summary: intervals, rows, lost counters, exited rows seen again,
                                    churn children seen, NET bytes per process
  soak.py verdict SAMPLES.tsv JSONSUM CHURN.txt PARAMS...   prints the report, exits 1 on a failure
  soak.py selftest                  the criteria against made-up series that must pass or fail
"""
import json
import sys

MIB = 1024 * 1024

# ---------------------------------------------------------------- the --json stream


def json_check(tag, out_path, lines):
    """Summarises a `wiretop --json -v procs` stream. An exited row is final: its (pid, start) must
    not appear in any of the next three intervals. A churn child is a row whose cmdline is
    `... child TAG`; each is counted once however many intervals it appears in."""
    marker = " child " + tag
    intervals, longest = 0, 0.0
    rows_min, rows_max, exited_max, alive_max = None, 0, 0, 0
    lost = {}
    recent_exited = []          # sets of (pid, start) that were final in the last intervals
    reappeared = []             # (seq, pid, start, comm, exited) of exited rows seen again
    recent_children = []        # children seen in the last intervals (dedup)
    children = children_exited = 0
    unknown = 0                 # rows named <unknown>: a process that could not be identified
    net = {}                    # "pid" -> [in, out] summed over the run
    for line in lines:
        line = line.strip()
        if not line:
            continue
        d = json.loads(line)
        intervals += 1
        if intervals == 1:
            open(out_path + ".ready", "w").close()  # run.sh waits for this before the churn starts
        rows = d["rows"]
        longest = max(longest, d.get("interval_s") or 0)
        for k, v in d.get("lost", {}).items():
            lost[k] = max(lost.get(k, 0), v)
        n = len(rows)
        rows_min = n if rows_min is None else min(rows_min, n)
        rows_max = max(rows_max, n)
        exited_now, children_now = set(), set()
        for r in rows:
            key = (r["pid"], r["start_ticks"])
            if any(key in s for s in recent_exited):
                reappeared.append((d["seq"], r["pid"], r["start_ticks"], r.get("comm"), r.get("exited")))
            if r.get("exited"):
                exited_now.add(key)
            if (r.get("cmdline") or "").endswith(marker):
                children_now.add(key)
                if not any(key in s for s in recent_children):
                    children += 1
                if r.get("exited"):
                    children_exited += 1
            elif r.get("comm") == "<unknown>":
                unknown += 1
            nin, nout = r.get("net_bytes_in") or 0, r.get("net_bytes_out") or 0
            if nin or nout:
                acc = net.setdefault(str(r["pid"]), [0, 0])
                acc[0] += nin
                acc[1] += nout
        exited_max = max(exited_max, len(exited_now))
        alive_max = max(alive_max, n - len(exited_now))
        recent_exited = (recent_exited + [exited_now])[-3:]
        recent_children = (recent_children + [children_now])[-3:]
    summary = {
        "intervals": intervals, "longest_interval_s": longest, "rows_min": rows_min or 0, "rows_max": rows_max,
        "exited_rows_max": exited_max, "alive_rows_max": alive_max, "lost": lost,
        "exited_reappeared": len(reappeared), "reappeared_first": reappeared[:5],
        "children": children, "children_exited_rows": children_exited, "unknown_rows": unknown,
        "net": net,
    }
    with open(out_path, "w") as f:
        json.dump(summary, f)


# ---------------------------------------------------------------- the criteria


def read_samples(path):
    """Samples written by run.sh: t_s rss_kib fds screen_rows live_procs lost_on_screen forks_total."""
    out = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 7 or p[0].startswith("#"):
                continue
            out.append({"t": float(p[0]), "rss": int(p[1]) * 1024, "fds": int(p[2]),
                        "rows": int(p[3]), "live": int(p[4]), "lost": int(p[5]), "forks": int(p[6])})
    return out


def read_churn(path):
    """The churn program's report lines: role -> {key: value}."""
    roles = {}
    with open(path) as f:
        for line in f:
            fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            if "role" in fields:
                roles[fields["role"]] = fields
    return roles


class Limits:
    """What 'flat', 'no growth' and 'bounded' mean. The RSS and fd figures are compared on the
    measured part (after the warm-up), split in two halves: a leak shows as the second half
    standing above the first."""
    rss_max = 200 * MIB             # issue 8: under 200 MiB, every sample
    rss_growth_frac = 0.05          # second half's max over the first half's max: at most 5 % ...
    rss_growth_abs = 8 * MIB        # ... or 8 MiB, whichever is larger (heap steps of a young JVM)
    fd_growth = 2                   # min fds of the second half over the first half's min
    fd_spike = 16                   # any sample over the first half's min (transient /proc reads)
    rate_frac = 0.90                # achieved churn rates at least 90 % of the asked ones
    rows_slack = 50                 # screen rows over live processes + the forks of 2 intervals


def judge(samples, warmup_s, churn, jsum, procs_rate, conns_rate, seconds, interval_s, limits=Limits):
    """Returns (report lines, failures). Every criterion adds one line; a failed one also a failure."""
    lines, fails = [], []

    def check(ok, text):
        lines.append(("ok    " if ok else "FAIL  ") + text)
        if not ok:
            fails.append(text)

    # rates the churn achieved
    cl, sv, sp = churn.get("client", {}), churn.get("server", {}), churn.get("spawner", {})
    procs, conns = int(sp.get("procs", 0)), int(cl.get("conns", 0))
    run_s = float(cl.get("seconds", 0) or seconds) or 1
    errors = int(cl.get("errors", 0)) + int(sv.get("errors", 0)) + int(sp.get("errors", 0))
    moved = int(cl.get("net_out", 0)) + int(cl.get("net_in", 0))
    check(procs / run_s >= limits.rate_frac * procs_rate,
          f"churn: {procs} processes in {run_s:.0f} s = {procs / run_s:.0f}/s (asked {procs_rate}/s)")
    check(conns / run_s >= limits.rate_frac * conns_rate and errors == 0,
          f"churn: {conns} connections = {conns / run_s:.0f}/s (asked {conns_rate}/s), "
          f"{moved} bytes moved by the client, {errors} errors")

    measured = [s for s in samples if s["t"] >= warmup_s]
    check(len(measured) >= 4, f"samples: {len(samples)}, {len(measured)} after the {warmup_s:.0f} s warm-up")
    if len(measured) >= 4:
        half = len(measured) // 2
        first, second = measured[:half], measured[half:]
        rss_all = max(s["rss"] for s in samples)
        f_max, s_max = max(s["rss"] for s in first), max(s["rss"] for s in second)
        allowed = max(limits.rss_growth_frac * f_max, limits.rss_growth_abs)
        check(rss_all < limits.rss_max,
              f"RSS max {rss_all / MIB:.1f} MiB (limit {limits.rss_max / MIB:.0f} MiB); "
              f"start {samples[0]['rss'] / MIB:.1f}, after warm-up {measured[0]['rss'] / MIB:.1f}, "
              f"end {samples[-1]['rss'] / MIB:.1f} MiB")
        check(s_max - f_max <= allowed,
              f"RSS flat: max {f_max / MIB:.1f} MiB in the first half of the measured part, "
              f"{s_max / MIB:.1f} MiB in the second (allowed +{allowed / MIB:.1f} MiB)")
        f_min, s_min = min(s["fds"] for s in first), min(s["fds"] for s in second)
        fd_top = max(s["fds"] for s in measured)
        check(s_min - f_min <= limits.fd_growth and fd_top - f_min <= limits.fd_spike,
              f"fds: {samples[0]['fds']} at start, least {f_min} in the first half, {s_min} in the second, "
              f"most {fd_top} (allowed +{limits.fd_growth}, spikes +{limits.fd_spike})")
        # exited rows stay one interval: at most the exits of the last two intervals (the screen may show
        # the previous snapshot) above the live processes. Exits are bounded by forks (/proc/stat
        # `processes`, which other users of the machine add to), taken over the two sample periods
        # before the sample.
        over, worst = 0, None
        for i in range(2, len(samples)):
            s = samples[i]
            if s["t"] < warmup_s:
                continue
            rates = [(samples[j]["forks"] - samples[j - 1]["forks"]) / max(samples[j]["t"] - samples[j - 1]["t"], 1e-3)
                     for j in (i - 1, i)]
            allowed = s["live"] + 2 * interval_s * max(rates) + limits.rows_slack
            if s["rows"] > allowed:
                over += 1
                worst = worst or (s["t"], s["rows"], int(allowed))
        check(over == 0,
              f"screen rows: {min(s['rows'] for s in measured)}..{max(s['rows'] for s in measured)} "
              f"(live processes {min(s['live'] for s in measured)}..{max(s['live'] for s in measured)}); "
              f"{over} samples above live + the forks of 2 intervals + {limits.rows_slack}"
              + (f", first at {worst[0]:.0f} s: {worst[1]} rows, allowed {worst[2]}" if worst else ""))
    # the screen criteria mean something only if the screen was read: the footer's count is in each sample
    blank = sum(1 for s in samples if s["rows"] <= 0)
    check(blank == 0, f"screen: a row count in the footer of every sample ({blank} without)")
    check(all(s["lost"] == 0 for s in samples), "screen: no LOST shown"
          if all(s["lost"] == 0 for s in samples) else
          f"screen: LOST shown in {sum(1 for s in samples if s['lost'])} samples")

    # the parallel --json run
    lost = jsum.get("lost", {})
    check(jsum.get("intervals", 0) >= seconds / interval_s * 0.8,
          f"--json: {jsum.get('intervals', 0)} intervals, rows {jsum.get('rows_min')}..{jsum.get('rows_max')}, "
          f"exited rows per interval at most {jsum.get('exited_rows_max')}, "
          f"longest interval {jsum.get('longest_interval_s', 0):.2f} s")
    check(sum(lost.values()) == 0 and lost != {}, f"--json lost counters: {lost or 'missing'}")
    check(jsum.get("exited_reappeared", 1) == 0,
          f"exited rows gone after one interval: {jsum.get('exited_reappeared')} seen again "
          f"{jsum.get('reappeared_first', [])}")
    check(jsum.get("children", -1) == procs,
          f"every churned process has a row: {jsum.get('children')} of {procs} "
          f"({jsum.get('children_exited_rows')} rows marked exited, {jsum.get('unknown_rows')} <unknown> rows)")
    for role, r in (("client", cl), ("server", sv)):
        got = jsum.get("net", {}).get(r.get("pid", "?"), [0, 0])
        want = [int(r.get("net_in", 0)), int(r.get("net_out", 0))]
        check(got == want, f"NET of the churn {role} (pid {r.get('pid')}): in/out {got[0]}/{got[1]} bytes, "
                           f"sent by it {want[0]}/{want[1]}")
    return lines, fails


def verdict(argv):
    samples_p, jsum_p, churn_p, warmup, procs_rate, conns_rate, seconds, interval_s = argv
    samples = read_samples(samples_p)
    try:
        with open(jsum_p) as f:
            jsum = json.load(f)
    except (OSError, ValueError):
        jsum = {}
    lines, fails = judge(samples, float(warmup), read_churn(churn_p), jsum, int(procs_rate), int(conns_rate),
                         float(seconds), float(interval_s))
    print("\n".join(lines))
    print("soak: PASS" if not fails else f"soak: FAIL ({len(fails)} criteria)")
    return 0 if not fails else 1


# ---------------------------------------------------------------- selftest


def _series(n=60, rss_mib=120, fds=40, rows=320, live=120, rss_step=0.0, fd_step=0.0, rows_step=0.0, lost_at=-1):
    """A run sampled every 5 s with 200 forks/s (plus a burst of 300 around 150 s) and one interval
    of exited rows on screen (rows = live + 200, + 300 in the burst)."""
    def burst(i):
        return 300 if i in (30, 31) else 0
    return [{"t": 5.0 * i, "rss": int((rss_mib + rss_step * i) * MIB) + (i % 3) * 100_000,
             "fds": int(fds + fd_step * i) + (1 if i % 7 == 0 else 0),
             "rows": int(rows + rows_step * i) + (300 if i == 31 else 0),
             "live": live, "lost": 1 if i == lost_at else 0,
             "forks": 1000 * i + sum(burst(j) for j in range(i + 1))} for i in range(n)]


def _good_churn():
    return {"client": {"pid": "100", "conns": "300000", "errors": "0", "net_in": "64", "net_out": "64",
                       "seconds": "300"},
            "server": {"pid": "101", "conns": "300000", "errors": "0", "net_in": "64", "net_out": "64"},
            "spawner": {"pid": "102", "procs": "60000", "errors": "0"}}


def _good_json():
    return {"intervals": 300, "rows_min": 300, "rows_max": 340, "exited_rows_max": 210,
            "lost": {"ringbuf_full": 0, "conn_map_full": 0}, "exited_reappeared": 0, "children": 60000,
            "children_exited_rows": 60000, "unknown_rows": 0, "net": {"100": [64, 64], "101": [64, 64]}}


def _selftest_stream():
    """json_check on a made-up stream: a child counted once over two intervals, an exited row that
    comes back, NET summed per pid, the largest lost counter kept."""
    import os
    import tempfile

    def row(pid, start, exited=False, cmd="x", nin=0):
        return {"pid": pid, "start_ticks": start, "exited": exited, "cmdline": cmd, "comm": "c",
                "net_bytes_in": nin, "net_bytes_out": None}
    stream = [
        {"seq": 1, "lost": {"ringbuf_full": 0}, "rows": [row(1, 1, nin=5), row(7, 9, cmd="churn child T")]},
        {"seq": 2, "lost": {"ringbuf_full": 2}, "rows": [row(1, 1, nin=6), row(7, 9, True, "churn child T"),
                                                         row(8, 9, True)]},
        {"seq": 3, "lost": {"ringbuf_full": 2}, "rows": [row(1, 1), row(8, 9)]},
    ]
    fd, path = tempfile.mkstemp()
    os.close(fd)
    json_check("T", path, [json.dumps(d) for d in stream])
    with open(path) as f:
        got = json.load(f)
    os.unlink(path)
    os.unlink(path + ".ready")
    want = {"intervals": 3, "children": 1, "children_exited_rows": 1, "exited_reappeared": 1,
            "lost": {"ringbuf_full": 2}, "net": {"1": [11, 0]}, "rows_max": 3, "exited_rows_max": 2}
    wrong = {k: got.get(k) for k in want if got.get(k) != want[k]}
    print(("ok    " if not wrong else "WRONG ") + f"json-check on a made-up stream: {wrong or 'as expected'}")
    return 1 if wrong else 0


def selftest():
    """Each case breaks one thing in otherwise passing data and names the criterion that must fail."""
    import copy
    cases = [("flat run", {}, None)]
    bad_churn = _good_churn()
    bad_churn["spawner"]["procs"] = "30000"
    cases += [
        ("RSS over 200 MiB", {"samples": _series(rss_mib=210)}, "RSS max"),
        ("RSS creeping 6 MiB a minute", {"samples": _series(rss_step=0.5)}, "RSS flat"),
        ("one fd leaked every 30 s", {"samples": _series(fd_step=1 / 6)}, "fds"),
        ("exited rows kept for ever (rows grow)", {"samples": _series(rows_step=200 / 12)}, "screen rows"),
        ("exited rows kept for 3 intervals", {"samples": _series(rows=720)}, "screen rows"),
        ("LOST on screen once", {"samples": _series(lost_at=40)}, "screen: LOST"),
        ("the screen not read once", {"samples": _series()[:20] + [dict(_series()[20], rows=0)] + _series()[21:]},
         "screen: a row count"),
        ("half the process rate", {"churn": bad_churn, "json": {"children": 30000}}, "churn:"),
        ("a lost counter", {"json": {"lost": {"ringbuf_full": 3}}}, "--json lost"),
        ("an exited row seen again", {"json": {"exited_reappeared": 1}}, "exited rows gone"),
        ("a churned process without a row", {"json": {"children": 59999}}, "every churned process"),
        ("NET bytes of a closed connection lost", {"json": {"net": {"100": [0, 64], "101": [64, 64]}}}, "NET of the churn client"),
    ]
    failed = 0
    for name, change, must_fail in cases:
        samples = change.get("samples", _series())
        churn = change.get("churn", _good_churn())
        js = copy.deepcopy(_good_json())
        js.update(change.get("json", {}))
        _, fails = judge(samples, 60, churn, js, 200, 1000, 300, 1.0)
        hit = [f for f in fails if must_fail and f.startswith(must_fail)]
        ok = (not fails) if must_fail is None else (len(fails) == 1 and hit)
        print(("ok    " if ok else "WRONG ") + f"{name}: failures {fails if fails else 'none'}")
        failed += 0 if ok else 1
    failed += _selftest_stream()
    print("selftest: PASS" if not failed else f"selftest: {failed} cases judged wrongly")
    return 1 if failed else 0


def main(argv):
    if len(argv) >= 1 and argv[0] == "json-check" and len(argv) == 3:
        json_check(argv[1], argv[2], sys.stdin)
        return 0
    if len(argv) == 9 and argv[0] == "verdict":
        return verdict(argv[1:])
    if argv == ["selftest"]:
        return selftest()
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
