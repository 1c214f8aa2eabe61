#!/usr/bin/env python3
"""Compares commands (two builds of jjstat, say) round by round, optionally pausing before each
run, and prints each one's median wall time, CPU and peak RSS, and its wall time paired with the
first command's (the median over rounds of its wall / the first's in the same round).

    bench/paired.py [--rounds N] [--pause SECONDS] NAME COMMAND [NAME COMMAND ...]

Each COMMAND runs through sh (redirect its output to a file, as bench/run.sh does). Peak RSS is
what wait4() reports of the child, which counts this script's own pages before the exec (about
15 MiB): a floor, not jjstat's size, for small runs. The order
within a round alternates, so that neither command always runs right after the other.

Why the pause: on the virtual machine of bench/README.md, memory a process touches for the first
time costs about a millisecond a MiB when the host has taken it back (a second or two after the
last process that used it ended), and a twentieth of that right after another process let it go.
The kit's runs meet the first case (a peer runs between two runs of jjstat); runs back to back,
as the kit's bench.py makes them, meet the second, and understate what memory costs. --pause 2.5
makes every run meet the first case ("On 2026-12-04, morning", in bench/README.md).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds before each run")
    parser.add_argument("pairs", nargs="+", help="NAME COMMAND [NAME COMMAND ...]")
    args = parser.parse_args()
    if len(args.pairs) % 2 != 0 or args.rounds < 1:
        parser.error("give NAME COMMAND pairs, and at least one round")
    commands = list(zip(args.pairs[0::2], args.pairs[1::2]))
    runs = {name: [] for name, _ in commands}
    for r in range(args.rounds):
        for name, command in commands if r % 2 == 0 else commands[::-1]:
            time.sleep(args.pause)
            start = time.perf_counter()
            child = subprocess.Popen(command, shell=True)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                print(f"{name}: exit status {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
                return 1
            runs[name].append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))
    first = [wall for wall, _, _ in runs[commands[0][0]]]
    for name, _ in commands:
        walls = [wall for wall, _, _ in runs[name]]
        line = (f"{name:<12} wall {statistics.median(walls) * 1e3:7.1f} ms"
                f"  cpu {statistics.median(cpu for _, cpu, _ in runs[name]) * 1e3:7.1f} ms"
                f"  peak RSS {max(rss for _, _, rss in runs[name]) / 1024:6.1f} MiB")
        if name != commands[0][0]:
            ratio = statistics.median(w / f for w, f in zip(walls, first))
            line += f"  paired {ratio:.3f}x {commands[0][0]}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
