"""SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from cookielint import __version__
from cookielint.finding import Report, Severity
from cookielint.reporters.base import Reporter, fingerprints, repository_path, write_json

if TYPE_CHECKING:
    from cookielint.rules import Rule

INFORMATION_URI = "https://github.com/cookielint/cookielint"
RULES_DOC = INFORMATION_URI + "/blob/main/docs/rules.md"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning"}


class SarifReporter(Reporter):
    def report(self, report: Report) -> None:
        root = self.root
        codes = sorted({f.code for f in report.findings})
        index = {code: i for i, code in enumerate(codes)}
        results = [
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": quote(
                                    repository_path(f.path, root), errors="surrogateescape"
                                ),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {"startLine": f.line, "startColumn": f.column},
                        }
                    }
                ],
                "partialFingerprints": {"cookielintFinding/v1": fingerprint},
            }
            for f, fingerprint in zip(report.findings, fingerprints(report, root), strict=True)
        ]
        log = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "cookielint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": [_descriptor(report.rules[code]) for code in codes],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }
        write_json(log, self.stream)


def _descriptor(rule: Rule) -> dict[str, object]:
    anchor = f"{rule.code.lower()}-{rule.name}"
    help_text = f"{rule.rationale}\n\nHow to fix: {rule.hint}"
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary + "."},
        "fullDescription": {"text": " ".join(rule.rationale.split())},
        "help": {
            "text": help_text,
            "markdown": f"{rule.rationale}\n\n**How to fix:** {rule.hint}\n\n"
            f"```yaml\n{rule.fail_example}\n```",
        },
        "helpUri": f"{RULES_DOC}#{anchor}",
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": ["cookie-policy", rule.name], "precision": "very-high"},
    }
