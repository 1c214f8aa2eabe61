#!/usr/bin/env python3
"""Check jjstat's answers to Q1-Q4 against the benchmark kit's independent reference.

usage: check_jjstat.py OUTDIR SIZE DATA.csv  > check_jjstat_SIZE.md

OUTDIR holds jjstat_qN_SIZE.csv, the stdout of bench/peers/jjstat_qN.sh DATA.csv
(jjstat's own CSV: the columns of `growth` (those --columns names), `rank` and
`describe`). Each file is
converted to the kit's column layout (written to OUTDIR/jjstat_converted/ for
inspection), read back with the kit's check.load and compared, field by field,
with check.reference(DATA.csv) through check.cmp_fields, so the verdicts mean
what they mean in the kit's check.py:
  exact      = same text once both are printed to the query's decimals
  last-digit = one unit apart in the last printed decimal
  other      = anything larger, a missing or extra row, or an empty value

Conversion:
  Q1  growth:   from_value -> v2016, to_value -> v2020, pct_change -> pct,
                cagr (percent per year) / 100 -> cagr (a fraction)
  Q2  rank:     rank, entity, value
  Q3  rank --by cagr: rank, entity, value (percent per year) / 100 -> cagr.
                `rank` prints neither v2016 nor v2020, so Q3 checks the ranked
                list (rank, entity) and cagr only.
  Q4  describe: indicator, period, count, sum, mean, min, max
The percent-to-fraction step is decimal (no binary rounding is added).

Also reported, per query: the largest relative difference between jjstat's
full printed value and the reference float (a finer look than the printed
decimals), and anything odd in jjstat's own columns (rows for other periods,
duplicate keys, a non-zero `missing`, a Q2/Q3 row for another indicator).

The kit lives at <repo>/../shared/bench (override with BENCH_KIT=DIR).
Exit status: 0 when every field is exact or last-digit and every ranked list
is the reference's; 1 otherwise (a missing or unreadable output included).
"""
import csv
import importlib.util
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIT = Path(os.environ.get("BENCH_KIT") or HERE.parent.parent / "shared" / "bench")

KIT_COLUMNS = {
    1: ["entity", "indicator", "v2016", "v2020", "pct", "cagr"],
    2: ["rank", "entity", "value"],
    3: ["rank", "entity", "v2016", "v2020", "cagr"],
    4: ["indicator", "period", "count", "sum", "mean", "min", "max"],
}
# The fields compared per query (Q3: v2016/v2020 are not in jjstat's output).
FIELDS = {1: ("v2016", "v2020", "pct", "cagr"), 2: ("value",), 3: ("cagr",),
          4: ("count", "sum", "mean", "min", "max")}


def load_kit_check():
    """The kit's check.py as a module (its reference, load, fmt and cmp_fields)."""
    path = KIT / "check.py"
    if not path.is_file():
        sys.exit("check_jjstat.py: the kit's check.py is not at %s (set BENCH_KIT)" % path)
    spec = importlib.util.spec_from_file_location("kit_check", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def percent_to_fraction(text):
    """'4.5227' (percent) -> '0.045227', exactly; empty stays empty."""
    if text == "":
        return ""
    try:
        return str(Decimal(text).scaleb(-2))
    except InvalidOperation:
        return text


def read_rows(path):
    """jjstat's CSV as a list of dicts keyed by its header."""
    with open(path, encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        hdr = next(rd, None)
        if hdr is None:
            return []
        return [dict(zip(hdr, r)) for r in rd if r]


def convert(q, rows, odd):
    """jjstat's rows of query q -> rows in the kit's layout; notes oddities in odd."""
    out = []
    seen = set()
    for r in rows:
        if q == 1:
            # (bench/peers/jjstat_q1.sh asks for the kit's columns only: no periods to check.)
            if "from" in r and (r.get("from"), r.get("to")) != ("2016", "2020"):
                odd.append("row for %s->%s: %s" % (r.get("from"), r.get("to"), r.get("entity")))
            key = (r["entity"], r["indicator"])
            out.append({"entity": r["entity"], "indicator": r["indicator"], "v2016": r["from_value"],
                        "v2020": r["to_value"], "pct": r["pct_change"],
                        "cagr": percent_to_fraction(r["cagr"])})
        elif q in (2, 3):
            want_period = "2020" if q == 2 else "2016/2020"
            if r.get("indicator") != "rd_spending" or r.get("period") != want_period:
                odd.append("row for %s %s" % (r.get("indicator"), r.get("period")))
            key = (r["rank"], r["entity"])
            if q == 2:
                out.append({"rank": r["rank"], "entity": r["entity"], "value": r["value"]})
            else:
                out.append({"rank": r["rank"], "entity": r["entity"], "v2016": "", "v2020": "",
                            "cagr": percent_to_fraction(r["value"])})
        else:
            if r.get("missing", "0") not in ("0", ""):
                odd.append("missing=%s for %s %s" % (r["missing"], r["indicator"], r["period"]))
            key = (r["indicator"], r["period"])
            out.append({c: r[c] for c in KIT_COLUMNS[4]})
        if key in seen:
            odd.append("duplicate row %s" % (key,))
        seen.add(key)
    return out


def write_kit_layout(path, q, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=KIT_COLUMNS[q], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def compare(kit, ref, got, fields, tally, rel):
    """Compare the reference's fields with got's through kit.cmp_fields; track the relative gap."""
    for c in fields:
        have = got.get(c, "")
        if have == "":
            tally["other"] += 1
            if len(tally["examples"]) < 3:
                tally["examples"].append("%s empty (want %s)" % (c, kit.fmt(c, ref[c])))
            continue
        kit.cmp_fields({c: ref[c]}, {c: have}, tally)
        want = float(ref[c])
        if want != 0:
            rel[0] = max(rel[0], abs(float(have) - want) / abs(want))


def check_query(kit, ref, q, src, conv):
    """One table row: (rows, tally, ranked-list verdict, largest relative gap, oddities)."""
    odd = []
    write_kit_layout(conv, q, convert(q, read_rows(src), odd))
    got = kit.load(conv, q)
    tally = {"exact": 0, "last-digit": 0, "other": 0, "examples": []}
    rel = [0.0]
    listok = "-"
    if q in (1, 4):
        missing = [k for k in ref if k not in got]
        extra = [k for k in got if k not in ref]
        tally["other"] += len(missing) + len(extra)
        if missing or extra:
            tally["examples"].append("missing %d extra %d (e.g. %s)" % (
                len(missing), len(extra), (missing + extra)[0]))
        for k, rv in ref.items():
            if k in got:
                compare(kit, rv, got[k], FIELDS[q], tally, rel)
    else:
        same = [(x[0], x[1]) for x in ref] == [(x[0], x[1]) for x in got]
        listok = "same" if same else "DIFFERS: got %s" % [(x[0], x[1][-5:]) for x in got][:12]
        gm = {(x[0], x[1]): x[2] for x in got}
        for rank, e, rv in ref:
            if (rank, e) in gm:
                compare(kit, rv, gm[(rank, e)], FIELDS[q], tally, rel)
    return len(got), tally, listok, rel[0], odd


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    outdir, size, data = sys.argv[1], sys.argv[2], sys.argv[3]
    kit = load_kit_check()
    ref = kit.reference(data)
    convdir = os.path.join(outdir, "jjstat_converted")
    os.makedirs(convdir, exist_ok=True)
    print("## jjstat cross-check, size %s (reference: the kit's check.py, stdlib Python, fsum)\n" % size)
    print("| query | fields compared | rows | fields exact | last-digit | other | ranked list | examples "
          "| max rel. diff, full precision |")
    print("|---|---|---:|---:|---:|---:|---|---|---:|")
    ok = True
    notes = []
    for q in (1, 2, 3, 4):
        src = os.path.join(outdir, "jjstat_q%d_%s.csv" % (q, size))
        if not os.path.isfile(src):
            print("| Q%d | - | - | - | - | - | no output: %s | | |" % (q, src))
            ok = False
            continue
        conv = os.path.join(convdir, "jjstat_q%d_%s.csv" % (q, size))
        try:
            n, tally, listok, rel, odd = check_query(kit, ref[q], q, src, conv)
        except (KeyError, ValueError, StopIteration) as ex:
            print("| Q%d | - | - | - | - | - | unreadable: %r | | |" % (q, ex))
            ok = False
            continue
        ok = ok and tally["other"] == 0 and listok in ("-", "same")
        print("| Q%d | %s | %d | %d | %d | %d | %s | %s | %.1e |" % (
            q, ", ".join(FIELDS[q]), n, tally["exact"], tally["last-digit"], tally["other"], listok,
            "; ".join(tally["examples"]), rel))
        if odd:
            notes.append("Q%d: %d odd row(s) in jjstat's own columns, e.g. %s" % (q, len(odd), "; ".join(odd[:3])))
    print("\nQ3 compares the ranked list and cagr only: `jjstat rank --by cagr` prints neither v2016 nor v2020.")
    print("Converted files (the kit's layout): %s/" % convdir)
    for n in notes:
        print("\n" + n)
    print("\nVerdict: %s" % ("PASS (every field exact or last-digit, every ranked list the reference's)"
                             if ok else "FAIL (see `other` and `ranked list`)"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
