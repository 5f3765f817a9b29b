"""The command line. It parses arguments and hands plain settings to the commands' work."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from cookielint import __version__, rules
from cookielint.commands.check import CheckSettings, execute
from cookielint.config import ConfigError, Configuration, Overrides
from cookielint.config.show import describe
from cookielint.escape import visible
from cookielint.files import PathError
from cookielint.outputs import Output, OutputError, confined, with_output_file
from cookielint.reporters import REPORTERS
from cookielint.run import default_jobs
from cookielint.schema import schema_text
from cookielint.status import EXIT_FAILURE, EXIT_INTERRUPTED
from cookielint.suggest import closest_rule, did_you_mean


class Commands(click.Group):
    """The command group: whole first sentences in --help, and a way forward for a path
    given where a command belongs."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        word = args[0] if args else ""
        if word and self.get_command(ctx, word) is None and _looks_like_a_path(word):
            shown = visible(word)
            raise click.UsageError(
                f"'{shown}' is not a command; to check it: cookielint check {_quoted(shown)}",
                ctx,
            )
        return super().resolve_command(ctx, args)


def _quoted(word: str) -> str:
    import shlex

    return shlex.quote(word)


def _looks_like_a_path(word: str) -> bool:
    return "/" in word or word.endswith((".yaml", ".yml", ".json")) or os.path.exists(word)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="cookielint")
def cli() -> None:
    """Lint cookie policies written as YAML."""


class OutputSpec(click.ParamType):
    """``FORMAT`` or ``FORMAT=PATH``: a report format, and the file it goes to."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "FORMAT[=PATH]"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Output:
        if isinstance(value, Output):
            return value
        name, sep, path = str(value).partition("=")
        if name not in REPORTERS:
            choices = ", ".join(REPORTERS)
            self.fail(
                f"unknown format '{name}' (choose from {choices}){did_you_mean(name, list(REPORTERS))}",
                param,
                ctx,
            )
        if sep and not path:
            self.fail(f"'{value}' names no file after '='", param, ctx)
        return Output(name, path or None)


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):  # https://no-color.org
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


known_cookies_option = click.option(
    "--known-cookies",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Add to the knowledge of well-known cookies: cookielint's YAML format or an Open "
    "Cookie Database CSV. Repeatable; later files win.",
)

# Options several commands share, each defined once.
F = TypeVar("F", bound=Callable[..., Any])
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Use this configuration file (.cookielint.yaml or pyproject.toml) for every file.",
)
isolated_option = click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
color_option = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Color terminal output; auto honours NO_COLOR and FORCE_COLOR.",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many files (default: the number of CPUs; 1 checks in this process).",
)


def fail_on_option(what: str) -> Callable[[F], F]:
    """``--fail-on``: the lowest ``what`` (severity, level) that makes the exit status 1."""
    return click.option(
        "--fail-on",
        type=click.Choice(["error", "warning"]),
        default=None,
        help=f"The lowest {what} that makes the exit status 1 (default: the configured one, "
        "else error).",
    )


def _selectors(values: tuple[str, ...]) -> list[str]:
    """Repeatable, comma-separated rule selectors: --ignore CL404,CL206 --ignore CL302."""
    return [s.strip() for value in values for s in value.split(",") if s.strip()]


def _per_file_ignores(values: tuple[str, ...]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for value in values:
        glob, sep, selectors = value.rpartition(":")
        if not sep or not glob:
            raise click.BadParameter(
                f"'{value}' is not GLOB:RULES", param_hint="'--per-file-ignores'"
            )
        table.setdefault(glob, []).extend(_selectors((selectors,)))
    return table


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "outputs",
    type=OutputSpec(),
    multiple=True,
    help=f"Report format: {', '.join(REPORTERS)}. Repeat it for several reports; "
    "FORMAT=PATH writes that report to a file. Default: the configured format, "
    "else github under GitHub Actions, else text.",
)
@click.option(
    "--output-file",
    "-o",
    metavar="PATH",
    help="Write the report to PATH instead of standard output (a summary still goes to the terminal).",
)
@click.option(
    "--stdin-filename",
    default=None,
    metavar="NAME",
    help="The file name to report for standard input (-); configuration is found from it.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Run only these rules (codes, prefixes, names, ALL).",
)
@click.option("--extend-select", multiple=True, metavar="RULES", help="Run these rules too.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Don't run these rules.")
@click.option(
    "--per-file-ignores",
    multiple=True,
    metavar="GLOB:RULES",
    help="Don't run these rules on files matching GLOB (relative to the current directory).",
)
@config_option
@isolated_option
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the configured exclude to files named on the command line too "
    "(default: the force-exclude setting, else off; the pre-commit hook turns it on).",
)
@known_cookies_option
@jobs_option
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings that apply to each PATH, and where each comes from, instead of checking.",
)
@color_option
@click.option(
    "--statistics",
    is_flag=True,
    help="Also show how many findings each rule has, most frequent first.",
)
@click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when there are findings (for report-only jobs)."
)
@fail_on_option("severity")
def check(
    paths: tuple[str, ...],
    outputs: tuple[Output, ...],
    output_file: str | None,
    stdin_filename: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    per_file_ignores: tuple[str, ...],
    config_path: str | None,
    isolated: bool,
    force_exclude: bool | None,
    known_cookies: tuple[str, ...],
    jobs: int | None,
    show_settings: bool,
    color: str,
    statistics: bool,
    exit_zero: bool,
    fail_on: str | None,
) -> None:
    """Check policy files. PATHS are files or directories (searched for *.yaml and
    *.yml); - reads standard input. Without PATHS, the configured paths (policies/).

    Exit status: 0 no errors, 1 errors found, 2 cookielint could not do its job.
    """
    if stdin_filename is not None and "-" not in paths:
        raise click.UsageError(
            f"--stdin-filename names standard input, but '-' is not among the paths: "
            f"add - to check standard input as {visible(stdin_filename)}, or leave out "
            "--stdin-filename"
        )
    if config_path is not None and isolated:
        raise click.UsageError(
            "--config and --isolated contradict each other: --config uses one configuration "
            "file for everything, --isolated uses none; give one of them"
        )
    overrides = Overrides(
        select=_selectors(select) or None,
        extend_select=_selectors(extend_select),
        ignore=_selectors(ignore),
        per_file_ignores=_per_file_ignores(per_file_ignores),
        fail_on=fail_on,
        known_cookies=list(known_cookies),
        force_exclude=force_exclude,
    )
    try:
        configuration = Configuration(overrides, config_path, isolated)
        if show_settings:
            for path in paths or ["."]:
                say(describe(configuration, Path(path)))
            sys.exit(0)
        chosen = _outputs(list(outputs), output_file, configuration)
        stdout = sys.stdout
        settings = CheckSettings(
            paths=list(paths),
            outputs=chosen,
            stdin_filename=stdin_filename or "-",
            color=_use_color(color, stdout),
            statistics=statistics,
            exit_zero=exit_zero,
            fail_on=configuration.fail_on(),
            configuration=configuration,
            jobs=jobs or default_jobs(),
        )
        inputs = [str(c.path) for c in (configuration.run_file(), configuration.explicit) if c]
        status = execute(settings, stdout, sys.stderr, inputs)
    except (PathError, OutputError, ConfigError) as error:
        fail(str(error))
    sys.exit(status)


def _outputs(
    given: list[Output], output_file: str | None, configuration: Configuration
) -> list[Output]:
    if not given:
        configured = configuration.formats()
        spec = OutputSpec()
        given = [spec.convert(f, None, None) for f in configured or [_default_format()]]
        config = configuration.run_file()
        if configured and config is not None:
            # Report paths from a configuration file stay inside its directory.
            given = [
                Output(
                    o.format, confined(o.path, config.directory, config.label) if o.path else None
                )
                for o in given
            ]
    return with_output_file(given, output_file)


@cli.command()
@click.argument("policy", type=click.Path(dir_okay=False))
@click.option(
    "--before-consent",
    "before",
    multiple=True,
    metavar="CAPTURE",
    help="A capture taken before the visitor chose (repeatable).",
)
@click.option(
    "--after-accept",
    "accept",
    multiple=True,
    metavar="CAPTURE",
    help="A capture taken after accepting everything (repeatable).",
)
@click.option(
    "--after-reject",
    "reject",
    multiple=True,
    metavar="CAPTURE",
    help="A capture taken after refusing (repeatable).",
)
@click.option(
    "--consent-marker",
    metavar="REGEX",
    help="Split each --before-consent HAR: entries from the first request whose URL "
    "matches REGEX on count as after accepting.",
)
@click.option("--no-check", is_flag=True, help="Don't run the check rules on the policy.")
@click.option(
    "--format",
    "outputs",
    type=OutputSpec(),
    multiple=True,
    help=f"Report format: {', '.join(REPORTERS)}; FORMAT=PATH writes it to a file.",
)
@click.option("--output-file", "-o", metavar="PATH", help="Write the report to PATH.")
@click.option("--select", multiple=True, metavar="RULES", help="Run only these rules.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Run these rules too.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Don't run these rules.")
@config_option
@isolated_option
@known_cookies_option
@color_option
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@fail_on_option("severity")
def audit(
    policy: str,
    before: tuple[str, ...],
    accept: tuple[str, ...],
    reject: tuple[str, ...],
    consent_marker: str | None,
    no_check: bool,
    outputs: tuple[Output, ...],
    output_file: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    isolated: bool,
    known_cookies: tuple[str, ...],
    color: str,
    exit_zero: bool,
    fail_on: str | None,
) -> None:
    """Check a policy against captures of what a browser stored.

    Captures are HAR files, Playwright storageState, DevTools cookie dumps, cookies.txt,
    or `cookielint scan` output. The check rules run too (unless --no-check), with the
    same reports and exit status as check."""
    from cookielint.commands import audit as auditing

    if not (before or accept or reject):
        raise click.UsageError(
            "give at least one capture (--before-consent, --after-accept or --after-reject)"
        )
    overrides = Overrides(
        select=_selectors(select) or None,
        extend_select=_selectors(extend_select),
        ignore=_selectors(ignore),
        fail_on=fail_on,
        known_cookies=list(known_cookies),
    )
    try:
        configuration = Configuration(overrides, config_path, isolated)
        if not Path(policy).is_file():
            fail(f"policy does not exist: {policy}")
        stdout = sys.stdout
        settings = auditing.AuditSettings(
            policy=policy,
            captures=[("before-consent", c) for c in before]
            + [("after-reject", c) for c in reject]
            + [("after-accept", c) for c in accept],
            consent_marker=consent_marker,
            run_check=not no_check,
            outputs=_outputs(list(outputs), output_file, configuration),
            color=_use_color(color, stdout),
            exit_zero=exit_zero,
            fail_on=configuration.fail_on(),
            configuration=configuration,
        )
        status = auditing.execute(settings, stdout, sys.stderr)
    except (auditing.AuditError, OutputError, ConfigError) as error:
        fail(str(error))
    sys.exit(status)


@cli.command()
@click.argument("url")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Where to write <phase>.json and <phase>.har.",
)
@click.option("--accept", metavar="SELECTOR", help="The consent banner's accept-all button.")
@click.option("--reject", metavar="SELECTOR", help="The consent banner's refuse button.")
@click.option(
    "--page",
    "pages",
    multiple=True,
    metavar="URL",
    help="Another page to visit after URL, in each phase (repeatable; same origin "
    "unless --other-origins).",
)
@click.option("--other-origins", is_flag=True, help="Allow --page URLs on other origins.")
@click.option(
    "--browser",
    metavar="PATH",
    help="The Chromium to drive (default: chromium, chromium-browser or google-chrome "
    "on PATH, else Playwright's own).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=30,
    show_default=True,
    help="Seconds per page to load, settle and click.",
)
@click.option(
    "--ignore-https-errors",
    is_flag=True,
    help="Accept invalid certificates (a preview deployment's self-signed one).",
)
@click.option(
    "--browser-arg",
    "browser_args",
    multiple=True,
    metavar="ARG",
    help="A command-line switch for Chromium (repeatable).",
)
def scan(
    url: str,
    out: str,
    accept: str | None,
    reject: str | None,
    pages: tuple[str, ...],
    other_origins: bool,
    browser: str | None,
    timeout: float,
    ignore_https_errors: bool,
    browser_args: tuple[str, ...],
) -> None:
    """Capture what a headless Chromium stores on a visit, before and after consent.

    For each phase (before consent; with --accept / --reject, after each choice) a fresh
    browser visits URL and writes DIR/<phase>.json and DIR/<phase>.har: captures for
    `cookielint audit`."""
    from cookielint.commands import scan as scanning

    settings = scanning.ScanSettings(
        url=url,
        out=Path(out),
        accept=accept,
        reject=reject,
        pages=list(pages),
        browser=browser,
        timeout=timeout,
        other_origins=other_origins,
        ignore_https_errors=ignore_https_errors,
        browser_args=list(browser_args),
    )
    stderr = sys.stderr
    try:
        written = scanning.run(settings, stderr if scanning.show_progress(stderr) else None)
    except scanning.ScanError as error:
        fail(str(error))
    for path in written:
        click.echo(f"wrote {visible(str(path))}")


@cli.command()
@click.option(
    "--from",
    "captures",
    multiple=True,
    metavar="CAPTURE",
    help="Draft the policy from this capture (repeatable): every item observed.",
)
@click.option(
    "--site-url", metavar="URL", help="The site's URL (default: the one the captures visited)."
)
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    help="Write the policy to PATH (never over an existing file without --force) "
    "instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option(
    "--schema",
    "schema_reference",
    default=None,
    metavar="REF",
    help="The schema the modeline names (default: cookie-policy.schema.json, as "
    "written by `cookielint schema`).",
)
@known_cookies_option
def init(
    captures: tuple[str, ...],
    site_url: str | None,
    output: str | None,
    force: bool,
    schema_reference: str | None,
    known_cookies: tuple[str, ...],
) -> None:
    """Write a starter policy, or a draft policy from captures.

    With --from, every cookie and storage key the captures saw is drafted, filled in from
    the knowledge base where it knows them. Purposes left as TODO are for a person to
    write; check reports them until then."""
    from cookielint.commands import init as initializing
    from cookielint.knowledge import KnowledgeError

    schema = schema_reference or initializing.SCHEMA_REFERENCE
    try:
        if captures:
            known = tuple(str(Path(p).resolve()) for p in known_cookies)
            text = initializing.draft(list(captures), site_url, known, schema)
        else:
            text = initializing.starter(site_url, schema)
        initializing.write(text, output, force)
    except (initializing.InitError, KnowledgeError) as error:
        fail(str(error))


@cli.command(name="rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="text: a table; markdown: the rules documentation page (docs/rules.md).",
)
def list_rules(output_format: str) -> None:
    """List every rule: code, name, severity and summary."""
    from cookielint import catalogue

    click.echo(catalogue.markdown() if output_format == "markdown" else catalogue.table(), nl=False)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule: why it exists, how to fix what it finds, and examples. RULE is a code
    (CL201), a name (statistics-exempt-not-anonymized) or a family prefix (CL2) to list."""
    from cookielint import catalogue

    found = rules.get(rule)
    if found is None:
        family = catalogue.family(rule)
        if family is None:
            fail(f"unknown rule '{visible(rule)}'{closest_rule(rule)}")
        click.echo(family, nl=False)
        return
    click.echo(catalogue.explain(found), nl=False)


@cli.command()
@click.argument("name")
@known_cookies_option
def lookup(name: str, known_cookies: tuple[str, ...]) -> None:
    """Show what is known about a cookie name, with sources. Every matching entry of the
    knowledge base, exact or wildcard; exit status 1 when nothing is known about NAME."""
    from cookielint import knowledge

    try:
        base = knowledge.load(tuple(str(Path(p).resolve()) for p in known_cookies))
    except knowledge.KnowledgeError as error:
        fail(str(error))
    entries = base.lookup(name)
    if not entries:
        say(f"Nothing is known about '{name}'.")
        sys.exit(1)
    for entry in entries:
        lifetime = entry.lifetime.text if entry.lifetime is not None else "unknown"
        kind = "pattern" if entry.is_wildcard else "exact name"
        if entry.generic:
            kind += "; a generic name other software uses too: no rule relies on it"
        say(f"{entry.name}  ({kind})")
        say(f"  provider:  {entry.provider}")
        say(f"  category:  {entry.category}")
        say(f"  party:     {entry.party or 'unknown'}")
        say(f"  lifetime:  {lifetime}")
        say(f"  storage:   {entry.storage}")
        if entry.description:
            say(f"  about:     {entry.description}")
        say(f"  source:    {entry.source}")
        if entry.unverified:
            say(
                f"  unverified: {', '.join(entry.unverified)} (not checked against the provider's own page)"
            )
        if entry.origin != "built-in":
            say(f"  from:      {entry.origin}")
        say("")
    notes = {
        entry.provider: base.providers[entry.provider].note
        for entry in entries
        if entry.provider in base.providers
    }
    for provider, note in notes.items():
        if note:
            say(f"{provider}: {note}")


SCHEMAS = {
    "policy": "cookie-policy.schema.json",
    "config": "cookielint-config.schema.json",
    "known-cookies": "known-cookies.schema.json",
}


@cli.command()
@click.argument("name", type=click.Choice(list(SCHEMAS)), default="policy")
def schema(name: str) -> None:
    """Print a JSON Schema: of policies (the default), of the configuration, or of known-cookies
    files. Save it next to your files for editors: cookielint schema > cookie-policy.schema.json"""
    click.echo(schema_text(SCHEMAS[name]), nl=False)


@cli.command(name="diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--base",
    "revision",
    metavar="GITREF",
    help="Compare the working tree's PATHS (default: the configured paths) with this git "
    "revision, read through git. Without it: diff BASE HEAD, two files or two directories.",
)
@click.option(
    "--format",
    "outputs",
    multiple=True,
    metavar="FORMAT[=PATH]",
    help="text, markdown, json, github or sarif; repeat it for several reports, =PATH writes "
    "one to a file. Default: github under GitHub Actions, else text.",
)
@click.option("--output-file", "-o", metavar="PATH", help="Write the (single) report to PATH.")
@click.option("--no-check", is_flag=True, help="Don't run the check's rules on the head files.")
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="CLASS=LEVEL",
    help="Set a change class's level: error, warning, info or none (not reported). Repeatable.",
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Changes accepted, each with a reason (default: the configured diff.ignore-file).",
)
@fail_on_option("level")
@config_option
@isolated_option
@known_cookies_option
@jobs_option
@color_option
def diff(
    paths: tuple[str, ...],
    revision: str | None,
    outputs: tuple[str, ...],
    output_file: str | None,
    no_check: bool,
    levels: tuple[str, ...],
    ignore_file: str | None,
    fail_on: str | None,
    config_path: str | None,
    isolated: bool,
    known_cookies: tuple[str, ...],
    jobs: int | None,
    color: str,
) -> None:
    """What changed for visitors' consent: diff BASE HEAD (two policy files or directories),
    or diff --base GITREF [PATHS] (the working tree against a git revision). Each change
    has a class, a level (error, warning, info) and the regulation behind it; the head files
    are checked too.

    Exit status: 0 nothing at the failing level, 1 changes or findings at it, 2 cookielint
    could not do its job.
    """
    from cookielint.diff import command

    stdout = sys.stdout
    try:
        settings = command.settings_from_arguments(
            paths=list(paths),
            revision=revision,
            outputs=list(outputs),
            output_file=output_file,
            check=not no_check,
            levels=list(levels),
            ignore_file=ignore_file,
            fail_on=fail_on,
            configuration=Configuration(
                Overrides(fail_on=fail_on, known_cookies=list(known_cookies)), config_path, isolated
            ),
            jobs=jobs or default_jobs(),
            color=_use_color(color, stdout),
            default_format=_default_format(),
        )
        status = command.execute(settings, stdout)
    except click.UsageError:
        raise
    except (PathError, OutputError, ConfigError, command.DiffError) as error:
        fail(visible(str(error)))  # it may quote a revision, a file name or a key as given
    sys.exit(status)


@cli.command()
@click.argument("policy", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="The page's markup.",
)
@click.option(
    "--lang",
    "language",
    metavar="TAG",
    help="The page's language (a BCP 47 tag). Default: the policy's first language, else en.",
)
@click.option(
    "--template",
    "template_dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="A directory whose templates (page.md, page.html, standalone.html) replace the built-in ones.",
)
@click.option("--standalone", is_flag=True, help="HTML: a whole page, not a fragment to include.")
@click.option(
    "-o", "--output", metavar="PATH", help="Write the page to PATH (default: standard output)."
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 with a diff when PATH (-o) is not what would be rendered.",
)
def render(
    policy: str,
    output_format: str,
    language: str | None,
    template_dir: str | None,
    standalone: bool,
    output: str | None,
    check: bool,
) -> None:
    """Render POLICY as the page visitors read: one table per category, in one language.

    Exit status: 0 rendered (or current with --check), 1 the policy's form is not sound
    or the page is stale, 2 cookielint could not do its job.
    """
    from cookielint.commands import render as rendering

    settings = rendering.RenderSettings(
        policy, output_format, language, template_dir, output, check, standalone
    )
    sys.exit(rendering.execute(settings, sys.stdout, sys.stderr))


@cli.command()
@click.argument("policy", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Choice(["tcf", "klaro", "cookieconsent", "ocd-csv"]),
    help="The format to write.",
)
@click.option(
    "--as",
    "form",
    type=click.Choice(["json", "module"]),
    default=None,
    help="klaro and cookieconsent: a JSON file or an ES module (export default ...). "
    "Default: json for klaro, module for cookieconsent.",
)
@click.option("-o", "--output", metavar="PATH", help="Write to PATH (default: standard output).")
def export(policy: str, target: str, form: str | None, output: str | None) -> None:
    """Export POLICY for a consent tool or a shared database: an IAB TCF Device Storage
    Disclosure, a Klaro or cookieconsent v3 configuration, or Open Cookie Database rows.

    What the target can't hold is listed on standard error. Exit status: 0 written, 1 the
    policy can't be expressed in the target (nothing is written), 2 cookielint could not
    do its job.
    """
    from cookielint.commands import export as exporting

    settings = exporting.ExportSettings(policy, target, form, output)
    sys.exit(exporting.execute(settings, sys.stdout, sys.stderr))


def say(text: str, err: bool = False) -> None:
    """Print ``text``, each of its lines through the one escaping function."""
    click.echo("\n".join(visible(line) for line in text.split("\n")), err=err)


def fail(message: str) -> NoReturn:
    say(f"cookielint: error: {message}", err=True)
    sys.exit(EXIT_FAILURE)


def main() -> None:
    # Whatever the terminal's encoding, a character it can't show is escaped, not a crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with standard output closed
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
        click.echo("cookielint: error: cannot write output: standard output is closed", err=True)
        sys.exit(EXIT_FAILURE)
    try:
        status = cli(standalone_mode=False)
    except (KeyboardInterrupt, click.Abort):
        # Ctrl-C: every report file already written was written whole; none half.
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:  # a usage error: arguments may be file names
        shown = io.StringIO()
        error.show(shown)
        say(shown.getvalue().rstrip("\n"), err=True)
        sys.exit(error.exit_code)
    except BrokenPipeError:  # the reader went away (| head): nothing more to say
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        sys.exit(EXIT_FAILURE)
    except OSError as error:  # writing the report failed: a full disk, a closed pipe
        say(f"cookielint: error: cannot write output: {error.strerror or error}", err=True)
        sys.exit(EXIT_FAILURE)
    except Exception as error:  # never a traceback: a failure of cookielint itself is exit 2
        say(
            f"cookielint: internal error: {type(error).__name__}: {error} (please report this bug)",
            err=True,
        )
        sys.exit(EXIT_FAILURE)
    sys.exit(status if isinstance(status, int) else 0)
