#!/usr/bin/env python3
"""jjstat against its peers, as Markdown tables.  usage: report.py RESULTS_DIR

Reads what bench/run.sh leaves in RESULTS_DIR:
  sizes.tsv                 size, rows, bytes (as the kit's run_all.sh writes it)
  versions.txt              date, machine, jjstat commit, peers' versions
  raw/tp_qN_SIZE.json       the kit's bench.py: every command of one (query, size), interleaved
  raw/tp_qN_SIZE_slow.json  the same for peers run in a block of their own (csvkit)
  raw/startup.json          hyperfine --export-json of the start-up case
  raw/rss_startup_NAME.txt  GNU time %M (KiB) of a start-up command (NAME: its name, [^A-Za-z0-9] -> _)
  check_jjstat_SIZE.md      bench/check_jjstat.py's verdict
Ratios are jjstat / peer: under 1 means jjstat is faster (or smaller). The wall ratio is
paired: the median over rounds of jjstat's wall / the peer's wall in the same round.
"""
import json
import os
import re
import statistics
import sys

RES = sys.argv[1] if len(sys.argv) == 2 else sys.exit(__doc__)
RAW = os.path.join(RES, "raw")
JJ = "jjstat"
FLOOR = "wc -l"
PEER_ORDER = ["duckdb", "polars", "awk", "mlr", "datamash", "sqlite", "pandas", "csvkit"]
QNAMES = {1: "Q1 growth", 2: "Q2 top-10 by value", 3: "Q3 top-10 by CAGR", 4: "Q4 describe"}
# Issue 4's goals, stated at 10M rows: each query 5x faster than the fastest peer; Q1 under 256 MiB.
GOAL_RATIO = 0.20
GOAL_Q1_RSS_KIB = 256 * 1024
GOAL_STARTUP = 2.0


def med(xs):
    return statistics.median(xs)


def fmt_t(sec):
    return "%.1f ms" % (sec * 1000) if sec < 1 else "%.2f s" % sec


def fmt_rss(kib):
    if kib is None or kib < 0:
        return "-"
    if kib >= 1024 * 1024:
        return "%.2f GiB" % (kib / 1024 / 1024)
    return "%.0f MiB" % (kib / 1024) if kib >= 10 * 1024 else "%.1f MiB" % (kib / 1024)


def fmt_x(r):
    return "-" if r is None else "%.2fx" % r


def line(*cells):
    print("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")


def sizes():
    out = {}
    path = os.path.join(RES, "sizes.tsv")
    if os.path.exists(path):
        for row in open(path):
            s, rows, size = row.split()
            out[s] = (int(rows), int(size))
    return out


def load_tp(q, s):
    """name -> (runs, paired) for one query and size."""
    out = {}
    for suffix, paired in (("", True), ("_slow", False)):
        p = os.path.join(RAW, "tp_q%d_%s%s.json" % (q, s, suffix))
        if os.path.exists(p):
            for name, d in json.load(open(p))["results"].items():
                if d["runs"]:
                    out[name] = (d["runs"], paired)
    return out


def wall(runs):
    return med([r["wall"] for r in runs])


def peak(runs):
    return max(r["maxrss_kib"] for r in runs)


def failed(runs):
    bad = [r["exit"] for r in runs if r["exit"] != 0]
    return " (exit %d in %d of %d runs)" % (bad[0], len(bad), len(runs)) if bad else ""


def ratio(jj, other, paired):
    """jjstat / other: paired per round when both ran in the same rounds, else median / median.

    None when a run of either failed: the time of a crash is no answer."""
    if failed(jj) or failed(other):
        return None
    if paired:
        by_round = {r["round"]: r["wall"] for r in other}
        xs = [r["wall"] / by_round[r["round"]] for r in jj if r["round"] in by_round]
        if xs:
            return med(xs)
    return wall(jj) / wall(other)


def ordered(names):
    rest = sorted(n for n in names if n not in PEER_ORDER and n not in (JJ, FLOOR))
    return [n for n in PEER_ORDER if n in names] + rest


def header(sz):
    print("# jjstat against its peers (bench/run.sh)\n")
    vpath = os.path.join(RES, "versions.txt")
    if os.path.exists(vpath):
        for v in open(vpath):
            if v.split(":")[0] in ("date_utc", "machine", "os", "load", "page cache", "jjstat", "build"):
                print("- " + v.rstrip())
        print()
    if sz:
        print("Data: " + ", ".join("%s = %s rows, %s bytes" % (s, "{:,}".format(r), "{:,}".format(b))
                                   for s, (r, b) in sz.items()) + ".\n")
    print("Whole process, warm page cache. Throughput: the kit's bench.py, jjstat and the peers interleaved "
          "round by round with a CPU-speed probe before each run; wall = median of the rounds; peak RSS = "
          "largest single process, max over the rounds (GNU time %M). Ratios are jjstat / peer: under "
          "1.00x jjstat is faster or smaller. The wall ratio is paired (median over rounds of jjstat's wall "
          "/ the peer's wall in the same round).\n")


def failures(sz):
    """A warning at the top when jjstat exited non-zero in any timed run."""
    bad = []
    for s in sz:
        for q in (1, 2, 3, 4):
            jj = load_tp(q, s).get(JJ)
            if jj and failed(jj[0]):
                bad.append("%s %s%s" % (QNAMES[q], s, failed(jj[0])))
    if bad:
        print("**jjstat failed in timed runs: %s. Its times there are not answers; ratios are left out.**\n"
              % "; ".join(bad))


def summary(sz):
    rows = []
    for s in sz:
        for q in (1, 2, 3, 4):
            tp = load_tp(q, s)
            if JJ not in tp:
                continue
            jj = tp[JJ][0]
            peers = {k: v for k, v in tp.items() if k not in (JJ, FLOOR)}
            fastest = min(peers, key=lambda k: wall(peers[k][0])) if peers else None
            rows.append((q, s, jj, fastest, peers.get(fastest), tp.get(FLOOR)))
    if not rows:
        return
    print("## Summary: jjstat against the fastest peer\n")
    print("Goals of issue 4 (stated at 10M rows): each query at most %.2fx the fastest peer's wall; "
          "Q1 under 256 MiB peak.\n" % GOAL_RATIO)
    line("query", "size", "jjstat wall", "jjstat peak RSS", "fastest peer", "its wall", "jjstat / fastest",
         "jjstat / wc -l", "goal at 10m")
    line("---", "---", "---:", "---:", "---", "---:", "---:", "---:", "---")
    for q, s, jj, fastest, fr, fl in rows:
        r = ratio(jj, fr[0], fr[1]) if fr else None
        goal = "-"
        if s == "10m" and r is not None and not failed(jj):
            ok = r <= GOAL_RATIO and (q != 1 or peak(jj) < GOAL_Q1_RSS_KIB)
            goal = "met" if ok else "not met"
        line(QNAMES[q], s, fmt_t(wall(jj)) + failed(jj), fmt_rss(peak(jj)), fastest or "-",
             fmt_t(wall(fr[0])) if fr else "-", fmt_x(r), fmt_x(ratio(jj, fl[0], fl[1]) if fl else None), goal)
    print()


def per_size(sz):
    for s in sz:
        tables = [(q, load_tp(q, s)) for q in (1, 2, 3, 4)]
        if not any(JJ in tp for _, tp in tables):
            continue
        rounds = max(len(tp[JJ][0]) for _, tp in tables if JJ in tp)
        print("## %s: every peer (%s rows, %d rounds)\n" % (s, "{:,}".format(sz[s][0]), rounds))
        line("query", "command", "wall median", "min..max", "CPU user+sys", "peak RSS", "jjstat / it, wall",
             "jjstat / it, peak RSS")
        line("---", "---", "---:", "---:", "---:", "---:", "---:", "---:")
        for q, tp in tables:
            if JJ not in tp:
                continue
            jj = tp[JJ][0]
            for name in [JJ] + ordered(tp) + ([FLOOR] if FLOOR in tp else []):
                runs, paired = tp[name]
                walls = [r["wall"] for r in runs]
                label = name + (" (floor)" if name == FLOOR else "") + ("" if paired else " (own block)")
                rr = None if name == JJ else ratio(jj, runs, paired)
                rm = None if name in (JJ, FLOOR) or peak(runs) <= 0 else peak(jj) / peak(runs)
                line(QNAMES[q], label, fmt_t(med(walls)) + failed(runs),
                     "%s..%s" % (fmt_t(min(walls)), fmt_t(max(walls))),
                     fmt_t(statistics.mean(r["user"] + r["sys"] for r in runs)),
                     fmt_rss(peak(runs)) if name != FLOOR else "-", fmt_x(rr), fmt_x(rm))
        print()
        probes = [r["probe"] for _, tp in tables for runs, _ in tp.values() for r in runs if r.get("probe")]
        if probes:
            lo = min(probes)
            print("Speed probe before every run: min %.0f ms, median %.0f ms, max %.0f ms; %d of %d over 1.5x "
                  "the minimum (the machine's slow phase).\n" % (
                      lo * 1000, med(probes) * 1000, max(probes) * 1000,
                      sum(1 for x in probes if x > 1.5 * lo), len(probes)))


def rss_startup(name):
    path = os.path.join(RAW, "rss_startup_%s.txt" % re.sub(r"[^A-Za-z0-9]", "_", name))
    try:
        vals = [int(x) for x in open(path).read().split() if x.isdigit()]
    except FileNotFoundError:
        return None
    return max(vals) if vals else None


def startup():
    p = os.path.join(RAW, "startup.json")
    if not os.path.exists(p):
        return
    res = json.load(open(p))["results"]
    by = {r["command"]: r for r in res}
    true = by.get("/bin/true")
    jj = next((r for r in res if r["command"].startswith("jjstat (embedded")), None)
    print("## Start-up: one whole query on tiny input (hyperfine -N)\n")
    print("jjstat (embedded) is `jjstat growth rd_spending --format csv` on the data built into the binary "
          "(no file); the others run Q1 (datamash: Q4) on the 60-row panel through their kit script "
          "(a `/bin/sh` wrapper, whose cost is the `sh -c 'exec /bin/true'` row). "
          "Goal of issue 4: jjstat (embedded) under %.0fx `/bin/true`.\n" % GOAL_STARTUP)
    if true and true["median"] > 1.5 * true["min"]:
        print("**The machine was busy: `/bin/true` took %s median against %s at best, so these start-up "
              "times measure the scheduler. Rerun on a quiet machine before quoting them.**\n" % (
                  fmt_t(true["median"]), fmt_t(true["min"])))
    line("command", "wall median", "min..max", "CPU user+sys", "peak RSS", "it / /bin/true",
         "jjstat (embedded) / it", "runs")
    line("---", "---", "---:", "---:", "---:", "---:", "---:", "---:")
    for r in res:
        line(r["command"], fmt_t(r["median"]), "%s..%s" % (fmt_t(r["min"]), fmt_t(r["max"])),
             fmt_t(r["user"] + r["system"]), fmt_rss(rss_startup(r["command"])),
             fmt_x(r["median"] / true["median"]) if true else "-",
             fmt_x(jj["median"] / r["median"]) if jj and r is not jj else "-", len(r["times"]))
    print()


def checks(sz):
    found = False
    for s in sz:
        p = os.path.join(RES, "check_jjstat_%s.md" % s)
        if not os.path.exists(p):
            continue
        if not found:
            print("## Answers: jjstat against the kit's reference (bench/check_jjstat.py)\n")
            found = True
        text = open(p).read()
        verdict = next((x for x in text.splitlines() if x.startswith("Verdict:")), "Verdict: (none)")
        print("- %s: %s (details: `%s`; peers: `check_peers_%s.md`)" % (s, verdict[len("Verdict: "):], p, s))
    if found:
        print()


def main():
    sz = {s: v for s, v in sizes().items() if s != "tiny"}
    header(sizes())
    failures(sz)
    summary(sz)
    startup()
    per_size(sz)
    checks(sz)


if __name__ == "__main__":
    main()
