"""Benchmark: rendering and exporting a large policy against checking it, in one run.

    python bench/render.py              # a 10,000-cookie policy, 7 rounds
    python bench/render.py --distinct   # the same, every purpose its own text
    python bench/render.py --smoke      # 200 cookies, one round: checks that it runs (CI)

Every command runs as its own process on the same file, the commands taking
turns round after round so that a noisy machine slows them alike. The table
gives the median wall time, the peak memory, and the ratio to `check`
(the target: rendering takes no longer than checking).

- check: `cookielint check --isolated --jobs 1 FILE` (schema, every rule, positions)
- render markdown / html: `cookielint render FILE [--format html] -o OUT`
- export tcf / cookieconsent: `cookielint export FILE --to ... -o OUT`
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import policy  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(wall, peak, done.returncode)
if done.returncode != 0:
    sys.stderr.buffer.write(done.stderr)
"""


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    cookielint = [sys.executable, "-m", "cookielint"]
    return {
        "check": [*cookielint, "check", "--isolated", "--jobs", "1", str(path)],
        "render markdown": [*cookielint, "render", str(path), "-o", str(out / "page.md")],
        "render html": [*cookielint, "render", str(path), "--format", "html", "-o", str(out / "page.html")],
        "export tcf": [*cookielint, "export", str(path), "--to", "tcf", "-o", str(out / "tcf.json")],
        "export cookieconsent": [
            *cookielint, "export", str(path), "--to", "cookieconsent", "-o", str(out / "cc.mjs"),
        ],
    }  # fmt: skip


def measure(command: list[str]) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    )
    wall, peak, status = done.stdout.split()
    if status != "0":
        raise SystemExit(f"{' '.join(command)} exited {status}:\n{done.stderr}")
    return float(wall), int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cookies", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="every declaration's purpose its own text: no two rows alike but for their name",
    )
    parser.add_argument("--smoke", action="store_true", help="200 cookies, one round")
    arguments = parser.parse_args()
    cookies, rounds = (200, 1) if arguments.smoke else (arguments.cookies, arguments.rounds)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        path = work / "policy.yaml"
        text = policy(0, cookies, random.Random(2026), broken=False, distinct=arguments.distinct)
        path.write_text(text, encoding="utf-8")
        runs = commands(path, work)
        walls: dict[str, list[float]] = {name: [] for name in runs}
        peaks: dict[str, float] = dict.fromkeys(runs, 0.0)
        for _ in range(rounds):
            for name, command in runs.items():
                wall, peak = measure(command)
                walls[name].append(wall)
                peaks[name] = max(peaks[name], peak)
        size = path.stat().st_size / 1e6
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}; "
        f"one policy of {cookies} cookies ({size:.1f} MB"
        f"{', every purpose its own' if arguments.distinct else ''}), {rounds} round(s), medians"
    )
    print("| command | median s | peak MiB | × check |")
    print("|---|---:|---:|---:|")
    check = statistics.median(walls["check"])
    for name in runs:
        median = statistics.median(walls[name])
        print(f"| {name} | {median:.3f} | {peaks[name]:.0f} | {median / check:.2f} |")


if __name__ == "__main__":
    main()
