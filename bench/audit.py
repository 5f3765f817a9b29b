"""Benchmark: `cookielint audit` of a large HAR against Python's `json.load` of the same file.

    python bench/audit.py            # HARs of 10, 25, 50 and 100 MB (generated once, in bench/.corpus)
    python bench/audit.py --smoke    # 1 and 2 MB, one round: checks that it runs (CI)

Each method runs in its own process, the two taking turns round after round
so that a noisy machine slows them alike:
- audit: `cookielint.commands.audit.execute` on a three-cookie policy with the HAR as a
  before-consent capture (the check rules, the HAR read entry by entry with only
  the fields about cookies decoded, CL601-CL606, a JSON report), as
  `cookielint audit POLICY --before-consent HAR --format json` does;
- json.load: `json.load` of the HAR, what reading it whole would cost at least.

The table gives the median time of the work (after imports) as wall time and
as CPU time (which other load on a shared machine disturbs far less), the
median wall time of the whole process, MB/s, the peak memory of the whole
process (VmHWM from /proc, which starts anew with each process) and the ratios
to json.load; audit's CPU seconds per 10 MB across sizes show whether it grows
linearly.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from har import POLICY, generate  # noqa: E402

CHILD = r"""
import re, sys, time

def peak():
    return int(re.search(r"VmHWM:\s+(\d+) kB", open("/proc/self/status").read()).group(1))

method, har, policy = sys.argv[1:4]
if method == "audit":
    import io, os
    from cookielint.commands import audit
    from cookielint.outputs import Output
    settings = audit.AuditSettings(
        policy=policy, captures=[("before-consent", har)], outputs=[Output("json")]
    )
    sink = open(os.devnull, "w")
    started, cpu = time.perf_counter(), time.process_time()
    status = audit.execute(settings, sink, sink)
    work, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert status in (0, 1), status
else:
    import json
    started, cpu = time.perf_counter(), time.process_time()
    with open(har, "rb") as stream:
        data = json.load(stream)
    work, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert data["log"]["entries"]
print(work, cpu, peak())
"""


def har_file(base: Path, megabytes: float) -> tuple[Path, int]:
    path = base / f"visit-{megabytes:g}MB.har"
    count_file = path.with_suffix(".entries")
    if not count_file.exists():
        count = generate(path, megabytes)
        count_file.write_text(str(count))
    return path, int(count_file.read_text())


def run_once(method: str, har: Path, policy: Path) -> tuple[float, float, float, int]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, method, str(har), str(policy)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{method} failed: {done.stderr}")
    work, cpu, peak_kib = done.stdout.split()
    return float(work), float(cpu), wall, int(peak_kib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny files, one round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="10,25,50,100", help="HAR sizes in MB")
    args = parser.parse_args()
    sizes = [1.0, 2.0] if args.smoke else [float(s) for s in args.sizes.split(",")]
    rounds = 1 if args.smoke else args.rounds
    base = HERE / ".corpus" / ("har-smoke" if args.smoke else "har")
    base.mkdir(parents=True, exist_ok=True)
    policy = base / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {rounds} rounds")
    print(
        "| HAR | entries | method | median work s | median work CPU s | median process s "
        "| MB/s (CPU) | peak MiB | × json.load (work) | × json.load (CPU) | × json.load (process) |"
    )
    print("|" + "---|" * 11)
    per_ten: list[str] = []
    for size in sizes:
        har, entries = har_file(base, size)
        megabytes = har.stat().st_size / 1e6
        results: dict[str, list[tuple[float, float, float, int]]] = {"audit": [], "json.load": []}
        for _ in range(rounds):
            for method in results:  # the methods take turns
                results[method].append(run_once(method, har, policy))
        medians = {
            method: (
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
                statistics.median(r[2] for r in runs),
                max(r[3] for r in runs) / 1024,
            )
            for method, runs in results.items()
        }
        ref = medians["json.load"]
        for method, (work, cpu, wall, peak) in medians.items():
            print(
                f"| {megabytes:.0f} MB | {entries:,} | {method} | {work:.3f} | {cpu:.3f} | {wall:.3f} "
                f"| {megabytes / cpu:.0f} | {peak:.0f} | {work / ref[0]:.2f} | {cpu / ref[1]:.2f} "
                f"| {wall / ref[2]:.2f} |"
            )
        per_ten.append(f"{megabytes:.0f} MB: {medians['audit'][1] / megabytes * 10:.3f} s")
    print()
    print("audit work CPU per 10 MB: " + ", ".join(per_ten))
    if args.smoke:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
