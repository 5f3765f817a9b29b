"""Every change class of `cookielint diff`: a case where it is reported (exact level, place and
message) and one where it is not."""

from __future__ import annotations

import textwrap

import pytest

from cookielint.diff import changes
from cookielint.diff.accepted import Acceptance, IgnoreFile, apply
from cookielint.diff.changes import CLASSES, compare
from cookielint.diff.load import read_policy

# Line 7 is the first cookie's name; its fields follow in this order.
GA = """\
- name: _ga
  provider: Google
  party: first
  category: statistics
  purposes: [To tell visitors apart in audience statistics]
  consent: required
  duration: 13 months
"""


def policy(cookies: str = GA, updated: str | None = "2026-01-10", providers: str = "") -> str:
    head = "version: 1\nsite:\n  name: Example shop\n  url: https://shop.example.com\n"
    head += f"updated: {updated}\n" if updated else ""
    if providers:
        head += "providers:\n" + textwrap.indent(textwrap.dedent(providers), "  ")
    return head + "cookies:\n" + textwrap.indent(textwrap.dedent(cookies), "  ")


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


BUMPED = "2026-02-01"


def diff(base: str | None, head: str | None) -> list[tuple[str, str, str, int, int, str]]:
    old = read_policy(base, "base.yaml") if base is not None else None
    new = read_policy(head, "head.yaml") if head is not None else None
    found = sorted(compare(old, new), key=lambda c: c.sort_key)
    return [(c.code, c.level.value, c.path, c.line, c.column, c.message) for c in found]


CASES = {
    # code: (base, head, every change expected)
    "CD101 fails": (
        policy(GA),
        policy(edit(GA, "consent: required", "consent: exempt"), updated=BUMPED),
        [
            (
                "CD101",
                "error",
                "head.yaml",
                12,
                14,
                "cookie '_ga': consent changed from required to exempt: it would be set without asking",
            )
        ],
    ),
    "CD101 passes": (policy(GA), policy(GA), []),
    "CD102 fails": (
        policy(edit(GA, "consent: required", "consent: exempt")),
        policy(GA),
        [
            (
                "CD102",
                "info",
                "head.yaml",
                12,
                14,
                "cookie '_ga': consent changed from exempt to required",
            )
        ],
    ),
    "CD102 passes": (
        policy(edit(GA, "consent: required", "consent: exempt")),
        policy(edit(GA, "consent: required", "consent: exempt")),
        [],
    ),
    "CD103 fails": (
        policy(edit(GA, "consent: required", "consent: exempt\n  anonymized: true")),
        policy(
            edit(GA, "consent: required", "consent: exempt\n  anonymized: false"), updated=BUMPED
        ),
        [
            (
                "CD103",
                "error",
                "head.yaml",
                13,
                17,
                "cookie '_ga': anonymized changed from true to false while the cookie is exempt from consent",
            )
        ],
    ),
    "CD103 passes": (
        policy(edit(GA, "consent: required", "consent: required\n  anonymized: true")),
        policy(edit(GA, "consent: required", "consent: required\n  anonymized: false")),
        [],
    ),
    "CD103 fails when anonymized is dropped": (
        policy(edit(GA, "consent: required", "consent: exempt\n  anonymized: true")),
        policy(edit(GA, "consent: required", "consent: exempt"), updated=BUMPED),
        [
            (
                "CD103",
                "error",
                "head.yaml",
                12,
                14,
                "cookie '_ga': anonymized changed from true to not stated while the cookie is exempt from consent",
            )
        ],
    ),
    "CD104 fails": (
        policy(GA),
        policy(GA + "  refresh: true\n", updated=BUMPED),
        [
            (
                "CD104",
                "warning",
                "head.yaml",
                14,
                14,
                "cookie '_ga': refresh changed from not stated to true: its lifetime is extended on every visit",
            )
        ],
    ),
    "CD104 passes": (policy(GA + "  refresh: true\n"), policy(GA + "  refresh: true\n"), []),
    "CD201 fails": (
        policy(GA),
        policy(edit(GA, "category: statistics", "category: necessary"), updated=BUMPED),
        [
            (
                "CD201",
                "error",
                "head.yaml",
                10,
                15,
                "cookie '_ga': category changed from statistics to necessary",
            )
        ],
    ),
    "CD201 passes (statistics to marketing is CD202)": (
        policy(GA),
        policy(edit(GA, "category: statistics", "category: marketing"), updated=BUMPED),
        [
            (
                "CD202",
                "warning",
                "head.yaml",
                10,
                15,
                "cookie '_ga': category changed from statistics to marketing",
            )
        ],
    ),
    "CD202 fails": (
        policy(edit(GA, "category: statistics", "category: preferences")),
        policy(edit(GA, "category: statistics", "category: necessary"), updated=BUMPED),
        [
            (
                "CD202",
                "warning",
                "head.yaml",
                10,
                15,
                "cookie '_ga': category changed from preferences to necessary",
            )
        ],
    ),
    "CD202 passes": (
        policy(edit(GA, "category: statistics", "category: preferences")),
        policy(edit(GA, "category: statistics", "category: preferences")),
        [],
    ),
    "CD203 fails": (
        policy(GA, providers="- name: Google\n"),
        policy(GA, providers="- name: Google\n- name: Hotjar\n", updated=BUMPED),
        [
            (
                "CD203",
                "warning",
                "head.yaml",
                8,
                11,
                "new provider 'Hotjar'",
            )
        ],
    ),
    "CD203 passes": (
        policy(GA, providers="- name: Google\n"),
        policy(GA, providers="- name: Google\n"),
        [],
    ),
    "CD204 fails": (
        policy(GA),
        policy(edit(GA, "party: first", "party: third"), updated=BUMPED),
        [
            (
                "CD204",
                "warning",
                "head.yaml",
                9,
                12,
                "cookie '_ga' is third-party storage of 'Google', which set no third-party storage before",
            )
        ],
    ),
    "CD204 passes": (
        policy(edit(GA, "party: first", "party: third")),
        policy(edit(GA, "party: first", "party: third")),
        [],
    ),
    "CD301 fails": (
        policy(GA),
        policy(
            GA + "- name: _fbp\n  provider: Meta\n  party: first\n  category: necessary\n"
            "  purposes: [To keep the site working]\n  consent: exempt\n  duration: 90 days\n",
            updated=BUMPED,
        ),
        [
            (
                "CD301",
                "error",
                "head.yaml",
                19,
                14,
                "new cookie '_fbp' is exempt from consent, but the knowledge base knows it as "
                "marketing storage set by Meta",
            ),
            ("CD203", "warning", "head.yaml", 15, 15, "new provider 'Meta': it sets cookie '_fbp'"),
        ],
    ),
    "CD301 passes (a tracker asking consent is CD302)": (
        policy(GA),
        policy(
            GA + "- name: _fbp\n  provider: Google\n  party: first\n  category: marketing\n"
            "  purposes: [To measure advertising]\n  consent: required\n  duration: 90 days\n",
            updated=BUMPED,
        ),
        [
            (
                "CD302",
                "warning",
                "head.yaml",
                14,
                11,
                "new cookie '_fbp' requires consent (marketing, set by Google)",
            )
        ],
    ),
    "CD302 fails": (
        policy(GA),
        policy(GA + GA.replace("_ga", "_gid"), updated=BUMPED),
        [
            (
                "CD302",
                "warning",
                "head.yaml",
                14,
                11,
                "new cookie '_gid' requires consent (statistics, set by Google)",
            )
        ],
    ),
    "CD302 passes": (policy(GA), policy(GA), []),
    "CD303 fails": (
        policy(GA),
        policy(
            GA + "- name: cart\n  provider: Google\n  party: first\n  category: necessary\n"
            "  purposes: [To keep the cart]\n  consent: exempt\n  duration: session\n"
        ),
        [
            (
                "CD303",
                "info",
                "head.yaml",
                14,
                11,
                "new cookie 'cart' is exempt from consent (necessary, set by Google)",
            )
        ],
    ),
    "CD303 passes": (policy(GA), policy(GA), []),
    "CD304 fails, at the base file's line": (
        policy(GA + GA.replace("_ga", "_gid")),
        policy(GA),
        [
            (
                "CD304",
                "info",
                "base.yaml",
                14,
                11,
                "cookie '_gid' removed (it was statistics, consent required)",
            )
        ],
    ),
    "CD304 passes": (policy(GA), policy(GA), []),
    "CD401 fails": (
        policy(GA),
        policy(edit(GA, "13 months", "25 months"), updated=BUMPED),
        [
            (
                "CD401",
                "warning",
                "head.yaml",
                13,
                15,
                "cookie '_ga': lifetime made longer, from 13 months to 25 months",
            )
        ],
    ),
    "CD401 passes (the same lifetime written otherwise)": (
        policy(GA),
        policy(edit(GA, "13 months", "P13M")),
        [],
    ),
    "CD402 fails": (
        policy(GA),
        policy(edit(GA, "13 months", "session")),
        [
            (
                "CD402",
                "info",
                "head.yaml",
                13,
                15,
                "cookie '_ga': lifetime made shorter, from 13 months to session",
            )
        ],
    ),
    "CD402 passes": (policy(GA), policy(edit(GA, "13 months", "P13M")), []),
    "CD501 fails": (
        policy(GA),
        policy(
            edit(
                GA,
                "purposes: [To tell visitors apart in audience statistics]",
                "purposes: [To tell visitors apart in audience statistics, To target advertising]",
            ),
            updated=BUMPED,
        ),
        [
            (
                "CD501",
                "warning",
                "head.yaml",
                11,
                63,
                "cookie '_ga': purpose added to a cookie that requires consent: 'To target advertising'",
            )
        ],
    ),
    "CD501 passes (added while exempt is CD502)": (
        policy(edit(GA, "consent: required", "consent: exempt\n  anonymized: true")),
        policy(
            edit(
                edit(GA, "consent: required", "consent: exempt\n  anonymized: true"),
                "purposes: [To tell visitors apart in audience statistics]",
                "purposes: [To tell visitors apart in audience statistics, To count visits]",
            )
        ),
        [
            (
                "CD502",
                "info",
                "head.yaml",
                11,
                15,
                "cookie '_ga': purposes changed from ['To tell visitors apart in audience statistics'] "
                "to ['To tell visitors apart in audience statistics', 'To count visits']",
            )
        ],
    ),
    "CD502 fails": (
        policy(GA),
        policy(edit(GA, "To tell visitors apart", "To distinguish visitors")),
        [
            (
                "CD502",
                "info",
                "head.yaml",
                11,
                15,
                "cookie '_ga': purposes changed from ['To tell visitors apart in audience statistics'] "
                "to ['To distinguish visitors in audience statistics']",
            )
        ],
    ),
    "CD502 passes": (policy(GA), policy(GA), []),
    "CD601 fails": (
        policy(GA + "  secure: true\n  same_site: strict\n"),
        policy(GA + "  secure: false\n  same_site: none\n", updated=BUMPED),
        [
            (
                "CD601",
                "warning",
                "head.yaml",
                14,
                13,
                "cookie '_ga': secure loosened from true to false",
            ),
            (
                "CD601",
                "warning",
                "head.yaml",
                15,
                16,
                "cookie '_ga': same_site loosened from strict to none",
            ),
        ],
    ),
    "CD601 passes": (policy(GA + "  secure: true\n"), policy(GA + "  secure: true\n"), []),
    "CD602 fails": (
        policy(GA + "  same_site: lax\n"),
        policy(GA + "  same_site: strict\n  http_only: true\n"),
        [
            (
                "CD602",
                "info",
                "head.yaml",
                14,
                16,
                "cookie '_ga': same_site tightened from lax to strict",
            ),
            (
                "CD602",
                "info",
                "head.yaml",
                15,
                16,
                "cookie '_ga': http_only tightened from not stated to true",
            ),
        ],
    ),
    "CD602 passes": (policy(GA), policy(GA), []),
    "CD001 fails": (
        policy(GA),
        policy(edit(GA, "13 months", "25 months")),
        [
            (
                "CD001",
                "error",
                "head.yaml",
                5,
                10,
                "1 consent-relevant change (CD401; first: cookie '_ga': lifetime made longer, from "
                "13 months to 25 months) but `updated` stays 2026-01-10: set it to the date of this "
                "change so that visitors are asked again",
            ),
            (
                "CD401",
                "warning",
                "head.yaml",
                13,
                15,
                "cookie '_ga': lifetime made longer, from 13 months to 25 months",
            ),
        ],
    ),
    "CD001 fails without an updated date": (
        policy(GA, updated=None),
        policy(edit(GA, "13 months", "25 months"), updated=None),
        [
            (
                "CD001",
                "error",
                "head.yaml",
                1,
                1,
                "1 consent-relevant change (CD401; first: cookie '_ga': lifetime made longer, from "
                "13 months to 25 months) but the policy has no `updated` date: add one "
                "(updated: YYYY-MM-DD) so that visitors are asked again",
            ),
            (
                "CD401",
                "warning",
                "head.yaml",
                12,
                15,
                "cookie '_ga': lifetime made longer, from 13 months to 25 months",
            ),
        ],
    ),
    "CD001 passes (updated changed)": (
        policy(GA),
        policy(edit(GA, "13 months", "25 months"), updated=BUMPED),
        [
            (
                "CD401",
                "warning",
                "head.yaml",
                13,
                15,
                "cookie '_ga': lifetime made longer, from 13 months to 25 months",
            )
        ],
    ),
    "CD001 passes (only info changes)": (
        policy(GA),
        policy(edit(GA, "13 months", "6 months")),
        [
            (
                "CD402",
                "info",
                "head.yaml",
                13,
                15,
                "cookie '_ga': lifetime made shorter, from 13 months to 6 months",
            )
        ],
    ),
    "CD002 fails": (
        None,
        policy(GA),
        [
            (
                "CD002",
                "info",
                "head.yaml",
                1,
                1,
                "policy added: head.yaml (shop.example.com)",
            ),
            (
                "CD302",
                "warning",
                "head.yaml",
                7,
                11,
                "new cookie '_ga' requires consent (statistics, set by Google)",
            ),
        ],
    ),
    "CD002 passes": (policy(GA), policy(GA), []),
    "CD003 fails": (
        policy(GA),
        None,
        [("CD003", "info", "base.yaml", 1, 1, "policy removed: base.yaml (shop.example.com)")],
    ),
    "CD005 fails": (
        policy(GA),
        "cookies: [\n",
        [
            (
                "CD005",
                "error",
                "head.yaml",
                1,
                1,
                "the head version can't be compared: did not find expected node content "
                "(while parsing a flow node on line 2)",
            )
        ],
    ),
    "CD005 passes": (policy(GA), policy(GA), []),
    "a cookie matched by name and storage, not by position": (
        policy(GA + GA.replace("_ga", "_gid")),
        policy(GA.replace("_ga", "_gid") + GA),
        [],
    ),
    "the same name in another storage is another cookie": (
        policy(GA),
        policy(GA + "  storage: local_storage\n", updated=BUMPED),
        [
            (
                "CD302",
                "warning",
                "head.yaml",
                7,
                11,
                "new local_storage key '_ga' requires consent (statistics, set by Google)",
            ),
            (
                "CD304",
                "info",
                "base.yaml",
                7,
                11,
                "cookie '_ga' removed (it was statistics, consent required)",
            ),
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_change_class(case):
    base, head, expected = CASES[case]
    assert diff(base, head) == sorted(
        expected, key=lambda e: (_rank(e[1]), e[2], e[3], e[4], e[0], e[5])
    )


def _rank(level: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}[level]


def test_every_change_class_has_a_failing_and_a_passing_case():
    for code in CLASSES:
        if code in ("CD004", "CD006"):
            continue  # a rename and the ignore file: tests/test_diff_git.py and below
        assert any(k.startswith(f"{code} fails") for k in CASES), code
        assert any(k.startswith(f"{code} passes") for k in CASES) or code == "CD003", code


def test_renamed_file_with_the_same_content():
    found = changes.renamed("new.yaml", "old.yaml")
    assert [(c.code, c.level.value, c.path, c.line, c.message) for c in found] == [
        ("CD004", "info", "new.yaml", 1, "policy renamed from old.yaml to new.yaml")
    ]


def test_a_file_kept_at_its_path_is_no_rename():
    old = read_policy(policy(GA), "same.yaml")
    new = read_policy(policy(edit(GA, "13 months", "6 months")), "same.yaml")
    assert [c.code for c in compare(old, new)] == ["CD402"]


def test_renamed_file_with_changes_reports_both():
    old = read_policy(policy(GA), "old.yaml")
    new = read_policy(policy(edit(GA, "13 months", "6 months")), "new.yaml")
    found = compare(old, new, renamed_from="old.yaml")
    assert [(c.code, c.line, c.message) for c in found] == [
        ("CD004", 1, "policy renamed from old.yaml to new.yaml"),
        ("CD402", 13, "cookie '_ga': lifetime made shorter, from 13 months to 6 months"),
    ]


def test_levels_change_and_none_disables():
    old = read_policy(policy(GA), "base.yaml")
    new = read_policy(policy(edit(GA, "13 months", "25 months")), "head.yaml")
    levels = dict(changes.DEFAULT_LEVELS, CD401=changes.INFO)
    found = compare(old, new, levels)
    # An info-level change is not consent-relevant: no version gate either.
    assert [(c.code, c.level.value) for c in found] == [("CD401", "info")]
    levels = dict(changes.DEFAULT_LEVELS, CD401=None)
    assert compare(old, new, levels) == []


def test_ignore_file_accepts_and_reports_what_matches_nothing(tmp_path):
    old = read_policy(policy(GA), "base.yaml")
    new = read_policy(policy(GA + GA.replace("_ga", "_gid"), updated=BUMPED), "head.yaml")
    found = compare(old, new)
    ignore = IgnoreFile(
        "accepted.yaml",
        tmp_path,
        [
            Acceptance("CD302", "Reviewed with the DPO", 2, 5, cookie="_gid"),
            Acceptance("CD101", "Left over", 5, 5, cookie="_ga"),
        ],
    )
    kept, accepted = apply(found, ignore, changes.DEFAULT_LEVELS)
    assert [(c.code, e.reason) for c, e in accepted] == [("CD302", "Reviewed with the DPO")]
    assert [(c.code, c.level.value, c.path, c.line, c.column, c.message) for c in kept] == [
        (
            "CD006",
            "warning",
            "accepted.yaml",
            5,
            5,
            "the accepted change CD101 for cookie '_ga' matches no change; remove the entry "
            "(its reason: Left over)",
        )
    ]
    # A passing case: every entry used.
    kept, accepted = apply(
        found, IgnoreFile("accepted.yaml", tmp_path, ignore.entries[:1]), changes.DEFAULT_LEVELS
    )
    assert kept == [] and len(accepted) == 1


def test_readme_lists_every_change_class():
    from conftest import ROOT

    assert changes.markdown_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_pyproject_diff_table_is_read(tmp_path):
    from cookielint.config import Configuration
    from cookielint.diff.command import diff_configuration, resolve_levels

    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cookielint.diff]\nignore-file = "accepted.yaml"\n'
        '[tool.cookielint.diff.levels]\nlifetime-shortened = "none"\nCD202 = "error"\n'
    )
    table, directory = diff_configuration(Configuration(cwd=tmp_path))
    assert directory == tmp_path and table["ignore-file"] == "accepted.yaml"
    levels = resolve_levels(table["levels"], [])
    assert levels["CD402"] is None and levels["CD202"] is changes.ERROR


def test_a_base_that_is_not_a_mapping_is_not_compared():
    assert diff("- just\n- a list\n", policy(GA)) == [
        (
            "CD005",
            "error",
            "base.yaml",
            1,
            1,
            "the base version can't be compared: the file is not a mapping of policy keys",
        )
    ]


def test_many_purposes_are_compared_in_linear_time():
    import time

    many = "  purposes:\n" + "".join(f"    - Purpose number {i}\n" for i in range(20_000))
    old = GA.replace("  purposes: [To tell visitors apart in audience statistics]\n", many)
    new = old.replace("Purpose number 7\n", "Purpose number seven\n").replace(
        "Purpose number 19999\n", "Purpose number 19999\n    - One more\n"
    )
    started = time.perf_counter()
    found = diff(policy(old), policy(new, updated=BUMPED))
    assert time.perf_counter() - started < 10
    # Past the pairing limit a purpose is found or not: the reworded one counts as added.
    assert [(code, line) for code, _, _, line, _, _ in found] == [
        ("CD501", 19),
        ("CD501", 20012),
        ("CD502", 12),
    ]


def test_trackers_are_known_with_the_knowledge_rules_off():
    from cookielint.config import Configuration, Overrides

    settings = Configuration(Overrides(ignore=["CL5"]), isolated=True).for_file(None)
    fbp = (
        "- name: _fbp\n  provider: Meta\n  party: first\n  category: necessary\n"
        "  purposes: [To keep the site working]\n  consent: exempt\n  duration: 90 days\n"
    )
    old = read_policy(policy(GA), "base.yaml", settings, check=True)
    new = read_policy(policy(GA + fbp, updated=BUMPED), "head.yaml", settings, check=True)
    assert [f.code for f in new.findings] == []
    assert [c.code for c in compare(old, new)] == ["CD301", "CD203"]


def test_an_ignore_file_is_placed_in_one_pass_over_its_text(tmp_path, passes_over_text):
    """An entry's place found with a pass of its own cost the file's size times its entries."""
    from cookielint.diff import accepted

    entry = "  - change: CD302\n    reason: Reviewed with the DPO\n    cookie: c{}\n"
    path = tmp_path / "accepted.yaml"
    path.write_text("accepted:\n" + "".join(entry.format(i) for i in range(40)))
    ignore = accepted.load(path)
    assert len(passes_over_text) == 1
    assert [(e.line, e.column, e.cookie) for e in ignore.entries[::39]] == [
        (2, 5, "c0"),
        (119, 5, "c39"),
    ]
