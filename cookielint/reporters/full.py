"""Like ``text``, with the offending source line, a caret under the column, and how to fix it."""

from __future__ import annotations

from cookielint.document import LINE_BREAK
from cookielint.escape import visible
from cookielint.finding import Finding, Report
from cookielint.reporters.base import summary
from cookielint.reporters.text import TextReporter


class FullReporter(TextReporter):
    def report(self, report: Report) -> None:
        lines_of: dict[str, list[str] | None] = {}
        for finding in report.findings:
            if finding.path not in lines_of:
                lines_of[finding.path] = _source_lines(report, finding.path)
            self.stream.write(self.line(finding) + "\n")
            self.stream.write(self._snippet(finding, lines_of[finding.path]))
            hint = finding.hint
            self.stream.write(f"  {self.style('= hint:', fg='cyan', bold=True)} {hint}\n\n")
        self.stream.write(self.style(summary(report), bold=True) + "\n")

    def _snippet(self, finding: Finding, lines: list[str] | None) -> str:
        if lines is None or not 1 <= finding.line <= len(lines):
            return ""
        text = lines[finding.line - 1]
        prefix = visible(text[: finding.column - 1]).expandtabs(4)
        shown = visible(text).expandtabs(4)
        number = str(finding.line)
        gutter = " " * len(number)
        bar = self.style("|", fg="blue", bold=True)
        caret = self.style("^", fg="red", bold=True)
        return (
            f"  {gutter} {bar}\n"
            f"  {self.style(number, fg='blue', bold=True)} {bar} {shown}\n"
            f"  {gutter} {bar} {' ' * len(prefix)}{caret}\n"
        )


def _source_lines(report: Report, path: str) -> list[str] | None:
    """The lines of the file as it was read for checking; None for one that was not read (a
    FIFO, a file over the size limit): the file itself is never read again."""
    text = report.sources.get(path)
    if text is None:
        return None
    return LINE_BREAK.split(text)  # split as the positions were counted
