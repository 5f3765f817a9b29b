"""Every console example in the README is run, and prints exactly what the README shows.

A ```console block holds commands (``$ command``, continued on the next line after a
trailing backslash) each followed by its output, standard output and standard error as a
terminal shows them. Commands in one block may be separated by a blank line, which is not
part of the output. The blocks run in README order, in one copy of the repository (so a
block may use what an earlier one wrote), with the installed ``cookielint`` first on PATH.
A block that can't run here says why in a comment on the line before it:
``<!-- not-run: needs a deployed site -->``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"
NOT_RUN = re.compile(r"<!--\s*not-run:\s*(?P<reason>\S.*?)\s*-->")

# Not part of a fresh clone: what building, testing and installing leave behind.
_LEFT_BEHIND = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "node_modules",
    "build",
    "dist",
}
_LEFT_BEHIND_AT = {Path(".ci", "tools"), Path("bench", ".corpus")}


def _left_behind(directory: str, names: list[str]) -> set[str]:
    here = Path(directory).relative_to(ROOT)
    return {
        name
        for name in names
        if name in _LEFT_BEHIND or name.endswith(".egg-info") or here / name in _LEFT_BEHIND_AT
    }


@dataclass
class Command:
    line: int
    """The README line of the ``$``."""
    text: str
    output: str


@dataclass
class Block:
    line: int
    commands: list[Command]
    skip: str | None = None
    """Why the block is not run, from its not-run comment."""


def console_blocks(text: str) -> list[Block]:
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        previous = next((line for line in reversed(lines[:i]) if line.strip()), "")
        marker = NOT_RUN.search(previous)
        start, i = i + 1, i + 1
        while lines[i].strip() != "```":
            i += 1
        blocks.append(
            Block(start, _commands(lines[start:i], start + 1), marker["reason"] if marker else None)
        )
        i += 1
    return blocks


def _commands(body: list[str], first_line: int) -> list[Command]:
    commands: list[Command] = []
    j = 0
    if body and not body[0].startswith("$ "):
        raise ValueError(f"README.md:{first_line}: a console block starts with a $ command")
    while j < len(body):
        line_number = first_line + j
        text = body[j][2:]
        while text.endswith("\\") and j + 1 < len(body):
            j += 1
            text = text[:-1] + body[j]
        j += 1
        output: list[str] = []
        while j < len(body) and not body[j].startswith("$ "):
            output.append(body[j])
            j += 1
        if j < len(body) and output and output[-1] == "":
            output.pop()  # the blank line between two commands
        commands.append(Command(line_number, text, "".join(f"{o}\n" for o in output)))
    return commands


def test_the_first_screen_shows_a_failing_example_and_its_fix():
    text = README.read_text(encoding="utf-8")
    first_screen = text[: text.index("\n## ")]
    run = [c.text for b in console_blocks(first_screen) if b.skip is None for c in b.commands]
    assert run == [
        "cookielint check examples/bad.yaml",
        "diff examples/bad.yaml examples/fixed.yaml",
        "cookielint check examples/fixed.yaml",
    ]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository as a fresh clone has it."""
    copy = tmp_path_factory.mktemp("readme") / "cookielint"
    shutil.copytree(ROOT, copy, ignore=_left_behind, symlinks=True)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    return copy


def _environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        # What would change the output from what a person at a terminal sees.
        if key not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "COOKIELINT_SCHEMA_BACKEND")
        and not key.startswith("PYTEST")
    }
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    environment["COLUMNS"] = "80"  # help text wraps as in an 80-column terminal
    environment["PYTHONUNBUFFERED"] = "1"  # output and errors interleave as on a terminal
    return environment


def test_every_console_example_prints_what_the_readme_shows(workspace: Path):
    environment = _environment()
    mismatches = []
    for block in console_blocks(README.read_text(encoding="utf-8")):
        if block.skip is not None:
            continue
        for command in block.commands:
            result = subprocess.run(
                ["bash", "-c", command.text],
                cwd=workspace,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=300,
            )
            if result.stdout != command.output:
                mismatches.append(
                    f"README.md:{command.line}: $ {command.text}\n"
                    f"--- the README shows\n{command.output}--- it prints\n{result.stdout}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_not_run_blocks_say_why():
    text = README.read_text(encoding="utf-8")
    for match in re.finditer(r"<!--\s*not-run", text):
        assert NOT_RUN.match(text, match.start()), text[match.start() : match.start() + 60]


def test_console_blocks_are_parsed_as_documented():
    text = (
        "<!-- not-run: needs a deployed site -->\n\n```console\n$ one\nout\n\n$ two \\\n  --x\n"
        "```\n\n```console\n$ three\nlast\n\n```\n"
    )
    first, second = console_blocks(text)
    assert first.skip == "needs a deployed site"
    assert [(c.line, c.text, c.output) for c in first.commands] == [
        (4, "one", "out\n"),
        (7, "two   --x", ""),
    ]
    assert second.skip is None
    assert [(c.text, c.output) for c in second.commands] == [("three", "last\n\n")]


# The install story is one story: from the repository, pinned to a commit, everywhere.
GIT_URL = "git+https://github.com/cookielint/cookielint@<commit>"


def test_every_install_instruction_is_the_pinned_repository():
    text = README.read_text(encoding="utf-8")
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for wrong in ("pip install cookielint", "v0.1.0", "rev: v"):
        assert wrong not in text and wrong not in hooks
    installs = re.findall(r"pip install (\S+)", text)
    assert set(installs) == {".", "-e", f'"{GIT_URL}"'}
    assert installs.count(f'"{GIT_URL}"') >= 3  # Quick start, GitHub Actions, GitLab CI, and more
    pre_commit = re.search(r"- repo: (\S+)\n    rev: (\S+)\n", text)
    assert pre_commit is not None
    assert f"git+{pre_commit[1]}@{pre_commit[2]}" == GIT_URL


def test_the_readme_says_which_policy_fields_are_required():
    from cookielint.schema import load_schema

    schema = load_schema()
    text = README.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)`(?:, `\w+`)? \| (yes|no) \|", text, flags=re.M))
    top = set(schema["properties"])
    declaration = set(schema["$defs"]["cookie"]["properties"])
    required = set(schema["required"]) | set(schema["$defs"]["cookie"]["required"])
    # Two tables: the top level, then a declaration ("name" is in both and required in both).
    assert {k for k, v in rows.items() if v == "yes"} == required
    assert top | declaration == set(rows) | {"path", "http_only"}


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_policy_example_is_a_clean_policy():
    from cookielint.pipeline import lint_text

    (example,) = [
        b for b in _blocks("yaml") if b.startswith("# yaml-language-server") and "site:" in b
    ]
    assert lint_text(example, "policies/example.yaml") == []


def test_the_readme_configuration_examples_are_valid_configurations(tmp_path):
    from cookielint.config import ConfigFile
    from cookielint.config.files import load

    examples = [("pyproject.toml", b) for b in _blocks("toml")]
    examples += [
        (".cookielint.yaml", b) for b in _blocks("yaml") if b.startswith("# .cookielint.yaml")
    ]
    assert len(examples) >= 2
    for index, (name, text) in enumerate(examples):
        (tmp_path / str(index)).mkdir()
        (tmp_path / str(index) / name).write_text(text)
        loaded = load(tmp_path / str(index) / name)
        assert isinstance(loaded, ConfigFile) and loaded.values, text


def test_every_yaml_example_in_the_readme_is_yaml():
    import yaml

    for block in _blocks("yaml"):
        yaml.safe_load(block)
