"""The command line. It parses arguments and hands plain settings to the commands' work."""

from __future__ import annotations

import os
import sys

import click

from cookielint import __version__, catalogue, rules
from cookielint.check import EXIT_FAILURE, CheckSettings, Output, OutputError, execute
from cookielint.files import PathError
from cookielint.finding import Severity
from cookielint.reporters import REPORTERS
from cookielint.schema import did_you_mean, schema_text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "outputs",
    type=OutputSpec(),
    multiple=True,
    help=f"Report format: {', '.join(REPORTERS)}. Repeat it for several reports; "
    "FORMAT=PATH writes that report to a file. Default: github under GitHub Actions, else text.",
)
@click.option(
    "--output-file",
    "-o",
    metavar="PATH",
    help="Write the report to PATH instead of standard output (a summary still goes to the terminal).",
)
@click.option(
    "--stdin-filename",
    default="-",
    metavar="NAME",
    help="The file name to report for standard input (-).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Color terminal output; auto honours NO_COLOR and FORCE_COLOR.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Also show how many findings each rule has, most frequent first.",
)
@click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when there are findings (for report-only jobs)."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="The lowest severity that makes the exit status 1.",
)
def check(
    paths: tuple[str, ...],
    outputs: tuple[Output, ...],
    output_file: str | None,
    stdin_filename: str,
    color: str,
    statistics: bool,
    exit_zero: bool,
    fail_on: str,
) -> None:
    """Check policy files. PATHS are files or directories (searched for *.yaml and
    *.yml); - reads standard input. Without PATHS, policies/ is checked.

    Exit status: 0 no errors, 1 errors found, 2 cookielint could not do its job.
    """
    chosen = list(outputs) or [Output(_default_format())]
    if output_file is not None:
        if len(chosen) > 1 or chosen[0].path is not None:
            raise click.UsageError(
                "--output-file goes with a single --format; use --format FORMAT=PATH for several"
            )
        chosen = [Output(chosen[0].format, output_file)]
    if sum(1 for o in chosen if o.path is None) > 1:
        raise click.UsageError(
            "only one --format can write to standard output; give the others a file (FORMAT=PATH)"
        )
    stdout = click.get_text_stream("stdout")
    settings = CheckSettings(
        paths=list(paths),
        outputs=chosen,
        stdin_filename=stdin_filename,
        color=_use_color(color, stdout),
        statistics=statistics,
        exit_zero=exit_zero,
        fail_on=Severity(fail_on),
    )
    try:
        status = execute(settings, stdout, click.get_text_stream("stderr"))
    except (PathError, OutputError) as error:
        fail(str(error))
    sys.exit(status)


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
    click.echo(catalogue.markdown() if output_format == "markdown" else catalogue.table(), nl=False)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule, given by code (CL201) or name (statistics-exempt-not-anonymized)."""
    found = rules.get(rule)
    if found is None:
        choices = [r.code for r in rules.all_rules()] + [r.name for r in rules.all_rules()]
        fail(f"unknown rule '{rule}'{did_you_mean(rule, choices)}")
    click.echo(catalogue.explain(found), nl=False)


@cli.command()
def schema() -> None:
    """Print the policy JSON Schema."""
    click.echo(schema_text(), nl=False)


def fail(message: str) -> None:
    click.echo(f"cookielint: error: {message}", err=True)
    sys.exit(EXIT_FAILURE)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # never a traceback: a failure of cookielint itself is exit 2
        click.echo(
            f"cookielint: internal error: {type(error).__name__}: {error} (please report this bug)",
            err=True,
        )
        sys.exit(EXIT_FAILURE)
