"""Benchmark: cookielint against check-jsonschema and the YAML parser's floor, in one run.

    python bench/run.py             # the full benchmark (corpora are generated once, in bench/.corpus)
    python bench/run.py --smoke     # tiny corpora, one round: checks that it runs (CI)
    python bench/run.py --baseline OTHER/bin/python   # also another cookielint install, same run

Every method runs as its own process on the same files, the methods taking
turns round after round, so that a noisy machine slows them alike; the table
gives the median wall time, files/s, MB/s, the peak memory (largest resident
set of any one process) and the ratios to check-jsonschema and to the floor.

- cookielint: `cookielint check --isolated --jobs N` (schema, every rule, positions).
- check-jsonschema: `check-jsonschema --schemafile schema/cookie-policy.schema.json FILES`
  (schema only, no positions, no rules), in its fast configuration: ruamel.yaml.clib installed.
- compose floor: PyYAML's CSafeLoader `compose` of every file (nodes with line and
  column) in one process: what any YAML checker with positions must at least do.
- baseline (with --baseline PYTHON): `PYTHON -m cookielint check` with the same options, for
  comparing two versions of cookielint (a change against the commit before it) in one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA = ROOT / "schema" / "cookie-policy.schema.json"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(wall, peak, done.returncode)
if done.returncode not in (0, 1):
    sys.stderr.buffer.write(done.stderr)
"""

FLOOR = """
import sys, yaml
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        yaml.compose(handle.read(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Corpus:
    name: str
    directory: Path
    files: list[Path]

    @property
    def megabytes(self) -> float:
        return sum(p.stat().st_size for p in self.files) / 1e6


def corpus(base: Path, name: str, files: int, cookies: int) -> Corpus:
    directory = base / f"{name}-{files}x{cookies}"
    marker = directory / ".complete"
    if not marker.exists():
        shutil.rmtree(directory, ignore_errors=True)
        generate(directory, files, cookies)
        marker.write_text("")
    return Corpus(name, directory, sorted(directory.glob("*.yaml")))


def methods(
    c: Corpus, jobs: list[int], config: Path, baseline: str | None = None
) -> dict[str, list[str]]:
    files = [str(p) for p in c.files]
    # The configuration only raises the limits, for the 100,000-cookie file. -E -s: no PYTHON*
    # variable (PYTHONUNBUFFERED slows the output) and no user site, as -I for the baseline.
    cookielint = [
        sys.executable, "-E", "-s", "-m", "cookielint", "check", "--config", str(config),
    ]  # fmt: skip
    found = {
        f"cookielint --jobs {j}": [*cookielint, "--jobs", str(j), str(c.directory)] for j in jobs
    }
    if baseline is not None:
        # -I: the installed cookielint of that interpreter, not one in the current directory.
        other = [
            baseline,
            "-I",
            "-m",
            "cookielint",
            "check",
            "--config",
            str(_known_to(baseline, config)),
        ]
        for j in jobs:
            found[f"baseline --jobs {j}"] = [*other, "--jobs", str(j), str(c.directory)]
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    found["check-jsonschema"] = [checker, "--schemafile", str(SCHEMA), *files]
    found["compose floor"] = [sys.executable, "-c", FLOOR, *files]
    return found


def _known_to(baseline: str, config: Path) -> Path:
    """``config``, or for a version that does not know every setting in it (an older one),
    the same less the settings it does not know: the size limit alone."""
    probe = [
        baseline,
        "-I",
        "-m",
        "cookielint",
        "check",
        "--config",
        str(config),
        "--show-settings",
    ]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return config
    older = config.with_name("cookielint-baseline.yaml")
    older.write_text("max-file-size: 64 MiB\n")
    return older


def measure(command: list[str]) -> tuple[float, int]:
    # Long argument lists go through a file-less wrapper: the wrapper's own start is excluded.
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    )
    wall, peak_kib, status = out.stdout.split()
    if int(status) not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({status}): {out.stderr}")
    return float(wall), int(peak_kib)


def bench(
    c: Corpus, jobs: list[int], rounds: int, config: Path, baseline: str | None = None
) -> list[dict[str, object]]:
    commands = methods(c, jobs, config, baseline)
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():  # the methods take turns
            wall, peak = measure(command)
            times[name].append(wall)
            peaks[name].append(peak)
    reference = statistics.median(times["check-jsonschema"])
    floor = statistics.median(times["compose floor"])
    rows = []
    for name in commands:
        median = statistics.median(times[name])
        rows.append(
            {
                "corpus": c.name,
                "method": name,
                "median_s": median,
                "files_per_s": len(c.files) / median,
                "mb_per_s": c.megabytes / median,
                "peak_mib": max(peaks[name]) / 1024,
                "vs_check_jsonschema": median / reference,
                "vs_floor": median / floor,
                "runs": len(times[name]),
            }
        )
    return rows


def table(rows: list[dict[str, object]], sizes: dict[str, str]) -> str:
    header = f"| corpus | method | median s | files/s | MB/s | peak MiB | × check-jsonschema | × floor |\n|{'---|' * 8}\n"
    lines = [
        f"| {r['corpus']} ({sizes[r['corpus']]}) | {r['method']} | {r['median_s']:.3f} | {r['files_per_s']:,.0f} "
        f"| {r['mb_per_s']:.1f} | {r['peak_mib']:.0f} | {r['vs_check_jsonschema']:.2f} | {r['vs_floor']:.2f} |"
        for r in rows
    ]
    return header + "\n".join(lines) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    clib = importlib.util.find_spec("_ruamel_yaml") is not None
    try:
        import yaml

        libyaml = yaml.__with_libyaml__
    except ImportError:
        libyaml = False
    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"libyaml {'yes' if libyaml else 'NO'}; ruamel.yaml.clib {'yes' if clib else 'NO (check-jsonschema slow path)'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark cookielint against check-jsonschema.")
    parser.add_argument(
        "--smoke", action="store_true", help="tiny corpora and one round: only check it runs"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus-dir", type=Path, default=HERE / ".corpus")
    parser.add_argument("--only", nargs="*", help="corpora to run: 1k 10k big one-valid one-error")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument(
        "--baseline",
        metavar="PYTHON",
        help="also measure the cookielint installed for this Python interpreter (another version)",
    )
    args = parser.parse_args()

    base = args.corpus_dir
    if args.smoke:
        base = Path(tempfile.mkdtemp(prefix="cookielint-bench-"))
        plan = {"1k": (50, 5, [1, 2]), "10k": (100, 5, [1, 2]), "big": (1, 2000, [1])}
        rounds = 1
    else:
        plan = {"1k": (1000, 20, [1, 2]), "10k": (10_000, 20, [1, 2]), "big": (1, 100_000, [1])}
        rounds = args.rounds
    corpora = {
        name: corpus(base, name, files, cookies) for name, (files, cookies, _) in plan.items()
    }
    one = corpora["1k"]
    valid = next(p for p in one.files[:9])
    error_dir = base / "one-error"
    error_dir.mkdir(parents=True, exist_ok=True)
    error_file = error_dir / "policy.yaml"
    error_file.write_text(valid.read_text().replace("    party: first\n", "    party: 1st\n", 1))
    valid_dir = base / "one-valid"
    valid_dir.mkdir(parents=True, exist_ok=True)
    (valid_dir / "policy.yaml").write_text(valid.read_text())
    corpora["one-valid"] = Corpus("one-valid", valid_dir, [valid_dir / "policy.yaml"])
    corpora["one-error"] = Corpus("one-error", error_dir, [error_file])
    plan["one-valid"] = plan["one-error"] = (1, 0, [1])

    config = base / "cookielint.yaml"
    config.write_text("max-file-size: 64 MiB\nmax-collections: 2000000\n")  # the ceilings
    # Byte-compile cookielint as `pip install` does, so that no run pays for compiling it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "cookielint")],
        check=True,
        capture_output=True,
    )
    print(f"Machine: {machine()}")
    rows = []
    sizes = {}
    for name, c in corpora.items():
        if args.only and name not in args.only:
            continue
        sizes[name] = f"{len(c.files):,} files, {c.megabytes:.1f} MB"
        jobs = plan[name][2]
        if name.startswith("one") and not args.smoke:
            turns = max(rounds, 9)  # short runs: more of them
        elif name == "big":
            turns = min(rounds, 3)  # check-jsonschema takes minutes here
        else:
            turns = rounds
        rows += bench(c, jobs, turns, config, args.baseline)
        print(f"  {name}: done", file=sys.stderr)
    print(table(rows, sizes))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.smoke:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
