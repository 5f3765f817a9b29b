"""JUnit XML: one test case per file checked with findings, one failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cookielint.escape import visible
from cookielint.finding import Report
from cookielint.reporters.base import Reporter


class JunitReporter(Reporter):
    def report(self, report: Report) -> None:
        by_path: dict[str, list] = {}
        for finding in report.findings:
            by_path.setdefault(finding.path, []).append(finding)
        failures = len(report.findings)
        suites = ET.Element(
            "testsuites", name="cookielint", tests=str(report.files), failures=str(failures)
        )
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="cookielint",
            tests=str(report.files),
            failures=str(failures),
            errors="0",
            skipped="0",
        )
        for path in report.checked:
            # XML 1.0 can't hold most control characters even escaped: show them as text.
            case = ET.SubElement(
                suite, "testcase", classname="cookielint", name=visible(path), file=visible(path)
            )
            for f in by_path.get(path, ()):
                failure = ET.SubElement(
                    case, "failure", type=f"{f.code} {f.name}", message=visible(f.message)
                )
                failure.text = visible(
                    f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}"
                )
        ET.indent(suites)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(ET.tostring(suites, encoding="unicode"))
        self.stream.write("\n")
