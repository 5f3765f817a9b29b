"""The ``diff`` command's work, apart from argument parsing: pairs of files in, a report out, an exit status.

Each pair is one task: the head file is checked (unless ``--no-check``) and,
when its bytes differ from the base's, both are read into the model and
compared. The check and the comparison share one parse of the head file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cookielint import rules
from cookielint.config import ConfigError, Configuration, FileSettings
from cookielint.diff import accepted, sources
from cookielint.diff.changes import (
    DEFAULT_LEVELS,
    ERROR,
    WARNING,
    Change,
    Level,
    Levels,
    compare,
    get,
    renamed,
)
from cookielint.diff.load import Loaded, read_bytes
from cookielint.document import too_large
from cookielint.files import PathError, repository_root
from cookielint.finding import Finding, Report, Severity
from cookielint.outputs import Output, atomic_writer, with_output_file
from cookielint.pipeline import internal_error, lint_bytes, lint_file, unreadable
from cookielint.status import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK
from cookielint.workers import map_tasks

LEVEL_CHOICES = ("error", "warning", "info", "none")


@dataclass
class DiffSettings:
    base: str | None = None
    """BASE of ``diff BASE HEAD``: a file or directory."""
    head: str | None = None
    revision: str | None = None
    """``--base REVISION``: the working tree against this git revision."""
    paths: list[str] = field(default_factory=list)
    """With ``--base``: the paths compared (empty: the configured paths)."""
    outputs: list[Output] = field(default_factory=lambda: [Output("text")])
    check: bool = True
    levels: dict[str, Level | None] = field(default_factory=lambda: dict(DEFAULT_LEVELS))
    ignore_file: Path | None = None
    fail_on: Severity = Severity.ERROR
    configuration: Configuration = field(default_factory=Configuration)
    jobs: int = 1
    color: bool = False


@dataclass(frozen=True)
class FileResult:
    base: str | None
    head: str | None
    status: str
    """added, removed, renamed, modified or unchanged."""


@dataclass
class DiffReport:
    base_label: str
    head_label: str
    commit: str | None
    files: list[FileResult]
    changes: list[Change]
    """Most severe first, then by file and position."""
    accepted: list[tuple[Change, accepted.Acceptance]]
    check: Report | None
    """The check of the head files; None with --no-check."""
    revision: str | None = None

    def count(self, level: Level) -> int:
        return sum(1 for c in self.changes if c.level is level)

    @property
    def changed_files(self) -> int:
        return sum(1 for f in self.files if f.status != "unchanged")


class DiffError(Exception):
    """diff can't do its job (exit 2): bad levels, a bad ignore file, git failing."""


def resolve_levels(
    configured: Mapping[str, str] | None, given: list[str], where: str = "configuration"
) -> dict[str, Level | None]:
    """Default levels, the configuration's over them, then ``--level CLASS=LEVEL`` over both."""
    levels: dict[str, Level | None] = dict(DEFAULT_LEVELS)
    layers: list[tuple[str, list[tuple[str, str]]]] = [
        (where, list((configured or {}).items())),
        ("--level", [tuple(v.split("=", 1)) if "=" in v else (v, "") for v in given]),  # type: ignore[misc]
    ]
    for origin, pairs in layers:
        for selector, level in pairs:
            change_class = get(str(selector))
            if change_class is None:
                raise DiffError(f"{origin}: unknown change class '{selector}'")
            if level not in LEVEL_CHOICES:
                raise DiffError(
                    f"{origin}: '{selector}': level must be one of {', '.join(LEVEL_CHOICES)}, "
                    f"not '{level}'"
                )
            levels[change_class.code] = None if level == "none" else Level(level)
    return levels


@dataclass
class _Task:
    pair: sources.Pair
    settings: FileSettings
    base_settings: FileSettings
    check: bool
    levels: Levels


@dataclass
class _Result:
    findings: list[Finding]
    changes: list[Change]
    status: str


def run(settings: DiffSettings) -> DiffReport:
    configuration = settings.configuration
    exclude = configuration.exclude()
    commit = None
    if settings.revision is not None:
        paths = settings.paths or configuration.paths()
        if "-" in paths:
            raise PathError("diff compares files: standard input (-) can't be compared")
        try:
            commit, pairs = sources.from_git(
                settings.revision,
                paths,
                exclude,
                configuration.cwd,
                configuration.for_file(None).max_file_size,
            )
        except sources.git.GitError as error:
            raise DiffError(str(error)) from None
        base_label, head_label = settings.revision, "the working tree"
    else:
        assert settings.base is not None and settings.head is not None
        pairs = sources.from_paths(settings.base, settings.head, exclude)
        base_label, head_label = settings.base, settings.head
    pairs = sources.pair_renames(pairs, _sites_of_unpaired(pairs, configuration))
    try:
        ignore = accepted.load(settings.ignore_file) if settings.ignore_file is not None else None
    except accepted.AcceptedError as error:
        raise DiffError(str(error)) from None
    tasks = [
        _Task(
            pair,
            configuration.for_file(pair.head.path if pair.head else None),
            configuration.for_file(None),
            settings.check,
            settings.levels,
        )
        for pair in pairs
    ]
    findings: list[Finding] = []
    changes: list[Change] = []
    files = []
    for pair, result in zip(pairs, map_tasks(_work, tasks, settings.jobs, _lost), strict=True):
        findings += result.findings
        changes += result.changes
        files.append(
            FileResult(
                pair.base.display if pair.base else None,
                pair.head.display if pair.head else None,
                result.status,
            )
        )
    kept, accepted_changes = accepted.apply(changes, ignore, settings.levels)
    kept.sort(key=lambda c: c.sort_key)
    findings.sort(key=lambda f: f.sort_key)
    check = None
    # A failure of cookielint itself is reported even with --no-check: it exits 2.
    if settings.check or any(f.code == "CL000" for f in findings):
        checked = [p.head.display for p in pairs if p.head is not None]
        check = Report(checked, findings, rules=rules.used_by(findings))
    return DiffReport(
        base_label, head_label, commit, files, kept, accepted_changes, check, settings.revision
    )


def _sites_of_unpaired(
    pairs: list[sources.Pair], configuration: Configuration
) -> dict[str, str | None]:
    """The site of each added and removed file, when there are both: a rename to find."""
    added = [p.head for p in pairs if p.base is None and p.head is not None]
    removed = [p.base for p in pairs if p.head is None and p.base is not None]
    if not added or not removed:
        return {}
    sites: dict[str, str | None] = {}
    settings = configuration.for_file(None)
    for source in added:
        raw = _read(source.path) if source.path is not None and source.error is None else None
        sites[source.display] = _site(raw, source.display, settings)
    for base in removed:
        raw = base.data if base.data is not None else _read(base.path)
        sites[base.display] = _site(raw, base.display, settings)
    return sites


def _site(raw: bytes | None, display: str, settings: FileSettings) -> str | None:
    if raw is None:
        return None
    loaded = read_bytes(raw, display, settings, knows=False)
    return loaded.policy.site_host if loaded.policy is not None else None


def _read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def _work(task: _Task) -> _Result:
    pair = task.pair
    display = pair.head.display if pair.head else pair.base.display if pair.base else "?"
    try:
        return _compare(task)
    except Exception as error:  # a bug must not hide the other files' results
        return _Result([internal_error(display, error)], [], "modified")


def _compare(task: _Task) -> _Result:
    pair, settings, check = task.pair, task.settings, task.check
    head, base = pair.head, pair.base
    if head is not None and head.error is not None:
        return _Result(unreadable(head.display, head.error) if check else [], [], "modified")
    if head is None:
        assert base is not None
        old = _load_base(base, task.base_settings)
        return _Result([], compare(old, None, task.levels), "removed")
    assert head.path is not None
    if pair.changed is False:
        return _Result(
            lint_file(head.path, head.display, settings).findings if check else [], [], "unchanged"
        )
    raw = _read(head.path)
    if raw is None:  # not a regular file, unreadable: the check says why
        findings = lint_file(head.path, head.display, settings).findings if check else []
        new = Loaded(head.display, None, None, [], "cannot read the file")
        status = "added" if base is None else "modified"
        previous = _load_base(base, task.base_settings) if base is not None else None
        return _Result(findings, compare(previous, new, task.levels), status)
    if base is None:
        new = read_bytes(raw, head.display, settings, check, defer=True)
        found = compare(None, new, task.levels)
        return _Result(new.finish(), found, "added")
    base_raw = base.data if base.data is not None else _read(base.path)
    if base_raw == raw and base.size is None:
        findings = lint_bytes(raw, head.display, settings) if check else []
        if pair.renamed_from is None:
            return _Result(findings, [], "unchanged")
        return _Result(findings, renamed(head.display, pair.renamed_from, task.levels), "renamed")
    new = read_bytes(raw, head.display, settings, check, defer=True)
    old = (
        read_bytes(base_raw, base.display, task.base_settings, knows=False)
        if base_raw is not None
        else _load_base(base, task.base_settings)
    )
    status = "renamed" if pair.renamed_from else "modified"
    found = compare(old, new, task.levels, pair.renamed_from)
    return _Result(new.finish(), found, status)


def _load_base(base: sources.BaseFile, settings: FileSettings) -> Loaded:
    if base.size is not None:
        return Loaded(
            base.display, None, None, [], too_large(base.size, settings.max_file_size).message
        )
    raw = base.data if base.data is not None else _read(base.path)
    if raw is None:
        return Loaded(base.display, None, None, [], "cannot read the file")
    return read_bytes(raw, base.display, settings, knows=False)


def _lost(task: _Task, why: str) -> _Result:
    """A pair whose worker died twice while comparing it: reported, never passed in silence."""
    pair = task.pair
    display = pair.head.display if pair.head else pair.base.display if pair.base else "?"
    return _Result([internal_error(display, RuntimeError(why))], [], "modified")


def exit_status(report: DiffReport, settings: DiffSettings) -> int:
    findings = report.check.findings if report.check is not None else []
    if any(f.code == "CL000" for f in findings):
        return EXIT_FAILURE
    warning_fails = settings.fail_on is Severity.WARNING
    failing_levels = {ERROR, WARNING} if warning_fails else {ERROR}
    if any(c.level in failing_levels for c in report.changes):
        return EXIT_FINDINGS
    failing = set(Severity) if warning_fails else {Severity.ERROR}
    if any(f.severity in failing for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def execute(settings: DiffSettings, stdout: TextIO) -> int:
    from cookielint.diff.reporters import ReportOptions, reporter_class

    report = run(settings)
    root = repository_root(Path.cwd())
    for output in settings.outputs:
        reporter = reporter_class(output.format)
        if output.path is None:
            reporter(stdout, ReportOptions(color=settings.color, root=root)).report(report)
            continue
        with atomic_writer(Path(output.path)) as stream:
            reporter(stream, ReportOptions(root=root)).report(report)
    if all(o.path is not None for o in settings.outputs):
        from cookielint.diff.reporters import summary

        stdout.write(summary(report) + "\n")
    return exit_status(report, settings)


def diff_configuration(configuration: Configuration) -> tuple[dict[str, Any], Path | None]:
    """The ``diff`` table of the configuration that applies to the current directory, and the
    directory its relative paths are relative to."""
    config = configuration.run_file()
    if config is None:
        return {}, None
    table = config.values.get("diff") or {}
    if not isinstance(table, dict):
        raise ConfigError(f"{config.label}: diff must be a table")
    return table, config.directory


def settings_from_arguments(
    *,
    paths: list[str],
    revision: str | None,
    outputs: list[str],
    output_file: str | None,
    check: bool,
    levels: list[str],
    ignore_file: str | None,
    fail_on: str | None,
    configuration: Configuration,
    jobs: int,
    color: bool,
    default_format: str,
) -> DiffSettings:
    """Settings from the command line and the configuration's ``diff`` table (the command
    line wins); raises click.UsageError for bad usage."""
    import click

    from cookielint.diff.reporters import FORMATS

    if revision is None and len(paths) != 2:
        raise click.UsageError(
            "give BASE and HEAD (two files or two directories), or --base GITREF"
        )
    chosen = []
    for value in outputs or [default_format if default_format in FORMATS else "text"]:
        name, sep, path = value.partition("=")
        if name not in FORMATS:
            raise click.BadParameter(
                f"unknown format '{name}' (choose from {', '.join(FORMATS)})",
                param_hint="'--format'",
            )
        if sep and not path:
            raise click.BadParameter(f"'{value}' names no file after '='", param_hint="'--format'")
        chosen.append(Output(name, path or None))
    chosen = with_output_file(chosen, output_file)
    table, directory = diff_configuration(configuration)
    where = "configuration"
    config = configuration.run_file()
    if config is not None:
        where = f"{config.label}: diff.levels"
    resolved = resolve_levels(table.get("levels"), levels, where)
    ignore: Path | None = None
    if ignore_file is not None:
        ignore = Path(ignore_file)
    elif table.get("ignore-file") and directory is not None:
        ignore = Path(_relative_to_cwd(directory / table["ignore-file"], configuration.cwd))
    return DiffSettings(
        base=paths[0] if revision is None else None,
        head=paths[1] if revision is None else None,
        revision=revision,
        paths=paths if revision is not None else [],
        outputs=chosen,
        check=check,
        levels=resolved,
        ignore_file=ignore,
        fail_on=configuration.fail_on(),
        configuration=configuration,
        jobs=jobs,
        color=color,
    )


def _relative_to_cwd(path: Path, cwd: Path) -> str:
    """A configured path as the user would write it from the current directory, where it can."""
    relative = os.path.relpath(path, cwd)
    return str(path) if relative.startswith("..") else relative
