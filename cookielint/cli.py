"""The command line. It parses arguments and hands plain settings to the commands' work."""

from __future__ import annotations

import sys

import click

from cookielint import __version__, catalogue, rules
from cookielint.check import EXIT_FAILURE, CheckSettings, execute
from cookielint.files import PathError
from cookielint.reporters import REPORTERS
from cookielint.schema import did_you_mean, schema_text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="cookielint")
def cli() -> None:
    """Lint cookie policies written as YAML."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--stdin-filename",
    default="-",
    metavar="NAME",
    help="The file name to report for standard input (-).",
)
def check(paths: tuple[str, ...], output_format: str, stdin_filename: str) -> None:
    """Check policy files. PATHS are files or directories (searched for *.yaml and
    *.yml); - reads standard input. Without PATHS, policies/ is checked.

    Exit status: 0 no errors, 1 errors found, 2 cookielint could not do its job.
    """
    settings = CheckSettings(list(paths), output_format, stdin_filename)
    try:
        status = execute(settings, click.get_text_stream("stdout"))
    except PathError as error:
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
