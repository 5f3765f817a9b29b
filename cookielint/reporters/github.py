"""GitHub Actions workflow commands: one annotation per finding, shown inline in pull requests.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from cookielint.escape import visible
from cookielint.finding import Report, Severity
from cookielint.reporters.base import Reporter, repository_path

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}


class GithubReporter(Reporter):
    def report(self, report: Report) -> None:
        for f in report.findings:
            properties = ",".join(
                f"{key}={escape_property(value)}"
                for key, value in (
                    ("file", repository_path(f.path, self.root)),
                    ("line", str(f.line)),
                    ("col", str(f.column)),
                    ("title", f"{f.code} {f.name}"),
                )
            )
            self.stream.write(f"::{_LEVELS[f.severity]} {properties}::{escape_data(f.message)}\n")


def escape_data(text: str) -> str:
    # GitHub's own escaping (toolkit/packages/core/src/command.ts); control
    # characters are made visible first so that no escape sequence reaches the log.
    return _percent(visible(text))


def escape_property(text: str) -> str:
    # A property's colons and commas are escaped before anything else, so that no
    # "::" is left for the escaping function to break: the file stays the file's name.
    return visible(_percent(text).replace(":", "%3A").replace(",", "%2C"))


def _percent(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
