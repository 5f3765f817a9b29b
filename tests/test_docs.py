"""The front door stays true: README commands, the rules table and docs/rules.md match the code."""

from __future__ import annotations

import re

from conftest import ROOT

from cookielint import catalogue

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)


def test_readme_has_the_two_quick_start_commands():
    install_and_lint, install_and_test = _shell_blocks()[:2]
    assert install_and_lint.endswith("cookielint check policies/")
    assert "pip install ." in install_and_lint
    assert install_and_test.endswith("pytest")
    assert "'.[test]'" in install_and_test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _shell_blocks()[1] in ci


def test_readme_rule_table_is_current():
    assert catalogue.markdown_table() in README


def test_docs_rules_page_is_current():
    """Regenerate with: cookielint rules --format markdown > docs/rules.md"""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue.markdown()


def test_readme_suppression_example_is_true(tmp_path):
    """Every suppression in the README's example is used: the example checks clean."""
    from cookielint.pipeline import lint_text

    (example,) = [
        b for b in re.findall(r"```yaml\n(.*?)\n```", README, flags=re.S) if "disable-file" in b
    ]
    assert lint_text(example + "\n", "example.yaml") == []
    bare = "\n".join(
        line.split("  # cookielint")[0]
        for line in example.splitlines()
        if "# cookielint" not in line.lstrip()[:14]
    )
    assert {f.code for f in lint_text(bare + "\n", "bare.yaml")} == {
        "CL202",
        "CL206",
        "CL403",
        "CL404",
    }


def test_the_policy_format_reference_is_current():
    """Regenerate with: python -m cookielint.format_reference > docs/policy-format.md"""
    from cookielint import format_reference

    assert (ROOT / "docs" / "policy-format.md").read_text(encoding="utf-8") == (
        format_reference.markdown()
    )


def test_the_policy_format_reference_covers_the_schema():
    import re

    from cookielint.schema import schema

    page = (ROOT / "docs" / "policy-format.md").read_text(encoding="utf-8")
    root = schema()
    for node in (root, root["properties"]["site"], *root["$defs"].values()):
        for name in node.get("properties", {}):
            assert f"| `{name}` |" in page, name
    # every unit the duration pattern allows is explained in the prose
    pattern = root["$defs"]["cookie"]["properties"]["duration"]["pattern"]
    for unit in re.findall(r"([a-z]+)s\?", pattern):
        assert f"`{unit}`" in page, unit
