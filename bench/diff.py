"""Benchmark: `cookielint diff` of two versions of the 1,000-file corpus against `check` of one.

    python bench/diff.py            # 1,000 files of 20 cookies, 10% changed, 5 rounds
    python bench/diff.py --smoke    # tiny corpus, one round: checks that it runs (CI)

The second version changes one file in ten the way pull requests do: a consent
made exempt, a lifetime made longer, a cookie added, a cookie removed, a purpose
reworded. Every method runs as its own process on the same files, the methods
taking turns round after round; the table gives the median wall time and the
ratio to `check` of the head version with the same --jobs.

- check: `cookielint check --isolated --jobs N HEAD_DIR`
- diff BASE HEAD: `cookielint diff --isolated --jobs N BASE_DIR HEAD_DIR` (compares, and checks the head)
- diff --base: `cookielint diff --isolated --jobs N --base HEAD~1 policies` in a git
  repository whose last two commits are the base and the head version, as in CI

Wall time is what a user waits; CPU time (user + system, of the process and its
workers) is what the work costs, and moves less when other processes share the
machine. Both are medians over the rounds.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import machine  # noqa: E402

EDITS = ["consent", "longer", "add", "remove", "purpose"]


def change(text: str, kind: str) -> str:
    """One pull request's worth of change to a generated policy."""
    if kind == "consent" and "    consent: required\n" in text:
        return text.replace("    consent: required\n", "    consent: exempt\n", 1)
    if kind == "longer" and "    duration: 90 days\n" in text:
        return text.replace("    duration: 90 days\n", "    duration: 180 days\n", 1)
    if kind == "remove":
        return text[: text.rindex("  - name: ")]
    if kind == "purpose":
        return text.replace(
            "      - To remember the visitor's language\n",
            "      - To remember the language the visitor chose\n",
            1,
        )
    return text + (
        "  - name: _hjSessionUser_*\n"
        "    provider: Example\n"
        "    party: first\n"
        "    category: statistics\n"
        "    purposes:\n"
        "      - To tell visitors apart in heatmaps\n"
        "    consent: required\n"
        "    duration: 12 months\n"
    )


def versions(base: Path, files: int, cookies: int, changed: float) -> tuple[Path, Path, Path]:
    """The base corpus, the head corpus (``changed`` of its files edited), and a git
    repository whose last two commits are the base and the head."""
    old, new, repo = base / "base", base / "head", base / "repo"
    marker = base / f".complete-{files}x{cookies}-{changed}-v2"
    if marker.exists():
        return old, new, repo
    shutil.rmtree(base, ignore_errors=True)
    paths = generate(old, files, cookies)
    rng = random.Random(16)
    chosen = set(rng.sample(range(len(paths)), round(len(paths) * changed)))
    new.mkdir(parents=True)
    for index, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        if index in chosen:
            text = change(text, EDITS[index % len(EDITS)])
        (new / path.name).write_text(text, encoding="utf-8")
    policies = repo / "policies"
    shutil.copytree(old, policies)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=repo, check=True)
    for path in new.iterdir():
        shutil.copyfile(path, policies / path.name)
    subprocess.run([*git, "commit", "-q", "-a", "-m", "head"], cwd=repo, check=True)
    marker.write_text("")
    return old, new, repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny corpus, one round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--corpus-dir", type=Path, default=HERE / ".corpus" / "diff")
    args = parser.parse_args()
    if args.smoke:
        base = Path(tempfile.mkdtemp(prefix="cookielint-bench-diff-"))
        files, cookies, rounds = 50, 5, 1
    else:
        base, files, cookies, rounds = args.corpus_dir, 1000, 20, args.rounds
    old, new, repo = versions(base, files, cookies, 0.10)
    cookielint = [sys.executable, "-m", "cookielint"]
    commands: dict[tuple[str, int], tuple[list[str], Path | None]] = {}
    for jobs in args.jobs:
        j = ["--isolated", "--jobs", str(jobs)]
        commands[("check HEAD", jobs)] = ([*cookielint, "check", *j, str(new)], None)
        commands[("diff BASE HEAD", jobs)] = ([*cookielint, "diff", *j, str(old), str(new)], None)
        commands[("diff --base HEAD~1", jobs)] = (
            [*cookielint, "diff", *j, "--base", "HEAD~1", "policies"],
            repo,
        )
    times: dict[tuple[str, int], list[float]] = {key: [] for key in commands}
    cpu: dict[tuple[str, int], list[float]] = {key: [] for key in commands}
    for _ in range(rounds):
        for key, (command, cwd) in commands.items():  # the methods take turns
            wall, used = _timed(command, cwd)
            times[key].append(wall)
            cpu[key].append(used)
    print(f"Machine: {machine()}")
    size = sum(p.stat().st_size for p in new.iterdir()) / 1e6
    print(
        f"Corpus: {files:,} files of {cookies} cookies ({size:.1f} MB), 10% changed; "
        f"{rounds} rounds, medians\n"
    )
    print("| method | --jobs | wall s | × check | CPU s | × check |\n|---|---|---|---|---|---|")
    for (name, jobs), measured in times.items():
        median = statistics.median(measured)
        reference = statistics.median(times[("check HEAD", jobs)])
        used = statistics.median(cpu[(name, jobs)])
        used_reference = statistics.median(cpu[("check HEAD", jobs)])
        print(
            f"| {name} | {jobs} | {median:.3f} | {median / reference:.2f} "
            f"| {used:.3f} | {used / used_reference:.2f} |"
        )
    if args.smoke:
        shutil.rmtree(base, ignore_errors=True)


def _timed(command: list[str], cwd: Path | None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` (its worker processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr.decode()}")
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, used


if __name__ == "__main__":
    main()
