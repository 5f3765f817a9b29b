"""Hostile and broken input: every file gets findings or a clean pass, never an exception or a hang.

Every case is generated here; nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import STATISTICS_EXEMPT_POLICY, VALID_POLICY, run_cookielint

from cookielint.pipeline import lint_bytes

BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n"
)

# name → (bytes, the codes expected: the exact list of findings' codes)
CORPUS: dict[str, tuple[bytes, list[str]]] = {
    "empty": (b"", ["CL003"]),
    "only-comments": (b"# nothing here\n# at all\n", ["CL003"]),
    "top-level-scalar": (b"hello\n", ["CL003"]),
    "top-level-list": (b"- a\n- b\n", ["CL003"]),
    "null-document": (b"null\n", ["CL003"]),
    "bom": (b"\xef\xbb\xbf" + VALID_POLICY.encode(), []),
    "utf-16": (VALID_POLICY.encode("utf-16"), ["CL002"]),
    "latin-1": ("version: 1\nsite: {name: Café}\n".encode("latin-1"), ["CL002"]),
    "nul-bytes": (b"version: 1\x00\n", ["CL002"]),
    "binary": (bytes(range(256)) * 4, ["CL002"]),
    "crlf": (VALID_POLICY.replace("\n", "\r\n").encode(), []),
    "cr": (VALID_POLICY.replace("\n", "\r").encode(), []),
    "tabs": (b"version: 1\n\tsite: x\n", ["CL001"]),
    "very-long-line": (
        VALID_POLICY.replace("Example shop\n", "x" * 1_000_000 + "\n", 1).encode(),
        [],
    ),
    "unsafe-tag": (b"version: !!python/object/apply:os.system ['echo pwned']\n", ["CL001"]),
    "custom-tag": (b"version: !secret 1\n", ["CL001"]),
    "set-tag": (b"version: 1\ncookies: !!set {a, b}\n", ["CL001"]),
    "merge-keys-and-anchors": (
        (
            VALID_POLICY + "  - &c {name: b, provider: p, party: first, category: necessary,"
            " purposes: [x], consent: exempt, duration: session}\n  - {<<: *c, name: c}\n"
        ).encode(),
        [],
    ),
    "bad-merge": (b"a: &x 1\nb:\n  <<: *x\n", ["CL001"]),
    "non-string-keys": (
        VALID_POLICY.encode() + b"1: x\nnull: y\ntrue: z\n",
        ["CL003", "CL003", "CL003"],
    ),
    "complex-key": (b"? [a, b]\n: c\n", ["CL003"]),
    "duplicate-keys-everywhere": (
        b"version: 1\nversion: 1\nsite: {name: a, name: b, url: 'https://x.org'}\ncookies: []\ncookies: []\n",
        ["CL004", "CL004", "CL004"],
    ),
    "multiple-documents": (VALID_POLICY.encode() + b"---\nversion: 2\n", ["CL002"]),
    "billion-laughs": (BILLION_LAUGHS.encode(), ["CL002"]),
    "recursive-alias": (b"a: &a [*a]\n", ["CL001"]),
    "deep-nesting": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", ["CL002"]),
    "deep-but-allowed": (
        b"a: " + b"[" * 50 + b"]" * 50 + b"\n",
        ["CL003", "CL003", "CL003", "CL003"],
    ),
    "control-character": (b"version: 1\nsite: \x07\n", ["CL001"]),
    "lone-surrogate-escape": (
        b'version: 1\nsite: {name: "\\ud800", url: "https://x.org"}\ncookies: []\n',
        ["CL001"],
    ),
    "huge-int": (b"version: " + b"9" * 5000 + b"\nsite: x\ncookies: []\n", ["CL003", "CL003"]),
    "nan-and-inf": (b"version: .nan\nsite: .inf\ncookies: []\n", ["CL003", "CL003"]),
    "timestamps-and-binary": (
        b"version: 2001-12-14\nsite: !!binary aGVsbG8=\ncookies: []\n",
        ["CL003", "CL003"],
    ),
    "cookies-as-mapping": (
        b"version: 1\nsite: {name: a, url: 'https://x.org'}\ncookies: {a: 1}\n",
        ["CL003"],
    ),
    "cookie-as-string": (
        b"version: 1\nsite: {name: a, url: 'https://x.org'}\ncookies: [a]\n",
        ["CL003"],
    ),
    "wrong-types-everywhere": (
        b"version: 1\nsite: {name: a, url: 'https://x.org'}\nproviders: [x, {name: [1]}]\n"
        b"cookies:\n  - {name: 1, provider: [], party: 3, category: {}, purposes: [1, null, [x]],"
        b" consent: true, duration: 5, domain: false, path: [], secure: 'no', same_site: 1}\n",
        ["CL003"] * 15,
    ),
    "unclosed-quote": (b'version: 1\nsite: "abc\n', ["CL001"]),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_corpus(name):
    raw, expected = CORPUS[name]
    started = time.perf_counter()
    findings = lint_bytes(raw, f"{name}.yaml")
    assert time.perf_counter() - started < 5
    assert sorted(f.code for f in findings) == sorted(expected), [
        (f.code, f.message) for f in findings
    ]
    lines = max(1, raw.count(b"\n") + raw.count(b"\r") + 1)
    for f in findings:
        assert 1 <= f.line <= lines and f.column >= 1, f


def test_unsafe_tag_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    raw = f"version: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    lint_bytes(raw, "x.yaml")
    assert not marker.exists()


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc"
)
def test_billion_laughs_is_fast_and_small():
    """Refused in well under a second with under 100 MiB peak memory, measured in a fresh process.

    The peak is the process's VmHWM, which starts anew with the program (getrusage's
    ru_maxrss would carry over the peak of the test process that started it).
    """
    code = f"""
import re, time
from cookielint.pipeline import lint_bytes
def peak():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
before = peak()
started = time.perf_counter()
findings = lint_bytes({BILLION_LAUGHS.encode()!r}, "laughs.yaml")
elapsed = time.perf_counter() - started
print(elapsed, peak(), peak() - before, [f.code for f in findings])
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    elapsed, peak_kib, growth_kib, codes = result.stdout.split(maxsplit=3)
    assert codes.strip() == "['CL002']"
    assert float(elapsed) < 0.5
    assert int(peak_kib) < 100 * 1024  # the whole process, Python and its imports included
    assert int(growth_kib) < 10 * 1024


def test_every_kind_of_file_in_one_run(tmp_path):
    for name, (raw, _) in CORPUS.items():
        (tmp_path / f"{name}.yaml").write_bytes(raw)
    result = run_cookielint("check", "--format", "json", str(tmp_path))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr and result.stderr == b""
    report = json.loads(result.stdout)
    assert report["files"] == len(CORPUS)
    by_file: dict[str, list[str]] = {}
    for f in report["findings"]:
        by_file.setdefault(Path(f["path"]).stem, []).append(f["code"])
    for name, (_, expected) in CORPUS.items():
        assert sorted(by_file.get(name, [])) == sorted(expected), name


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_socket_are_reported_not_hung_on(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.yaml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    (tmp_path / "good.yaml").write_text(VALID_POLICY)
    try:
        for args in ([str(tmp_path)], [str(fifo), str(sock_path)]):
            result = subprocess.run(
                [sys.executable, "-m", "cookielint", "check", "--format", "json", *args],
                capture_output=True,
                timeout=30,
            )
            findings = json.loads(result.stdout)["findings"]
            assert {(Path(f["path"]).name, f["code"]) for f in findings} == {
                ("pipe.yaml", "CL002"),
                ("sock.yaml", "CL002"),
            }
            assert all(
                f["message"] == "not a regular file (a FIFO, socket or device); skipped"
                for f in findings
            )
    finally:
        server.close()


def test_symlink_loops(tmp_path):
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "back").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "dir" / "p.yaml").write_text(VALID_POLICY)
    result = subprocess.run(
        [sys.executable, "-m", "cookielint", "check", "--format", "json", str(tmp_path)],
        capture_output=True,
        timeout=30,
    )
    report = json.loads(result.stdout)
    assert report["files"] == 2
    (finding,) = report["findings"]
    assert (Path(finding["path"]).name, finding["code"]) == ("loop.yaml", "CL002")
    assert finding["message"].startswith("cannot read the file: ")


def test_paths_with_spaces_and_non_ascii_names(tmp_path):
    path = tmp_path / "politique des témoins ✓.yaml"
    path.write_text(STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", str(path))
    assert result.returncode == 1
    assert result.stdout.decode().startswith(f"{path}:11:14: CL201 [error] ")


@pytest.mark.skipif(
    sys.platform != "linux", reason="needs a file system that takes any bytes as a name"
)
def test_undecodable_file_name(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.yaml"
    with open(name, "wb") as handle:
        handle.write(STATISTICS_EXEMPT_POLICY.encode())
    for fmt in ("text", "full", "json", "github", "junit", "sarif", "gitlab"):
        result = run_cookielint("check", "--format", fmt, str(tmp_path))
        assert result.returncode == 1, (fmt, result.stderr)
        assert result.stderr == b""
    assert b"caf\\udce9.yaml:11:14: CL201" in run_cookielint("check", str(tmp_path)).stdout


def test_file_deleted_between_discovery_and_reading(tmp_path, monkeypatch):
    from cookielint import run as run_module
    from cookielint.config import Configuration

    keep = tmp_path / "a.yaml"
    keep.write_text(STATISTICS_EXEMPT_POLICY)
    gone = tmp_path / "b.yaml"
    gone.write_text(VALID_POLICY)
    real_discover = run_module.discover

    def discover_then_delete(*args, **kwargs):
        sources = list(real_discover(*args, **kwargs))
        gone.unlink()
        return sources

    monkeypatch.setattr(run_module, "discover", discover_then_delete)
    report = run_module.run(Configuration(), [str(tmp_path)])
    assert [(Path(f.path).name, f.code) for f in report.findings] == [
        ("a.yaml", "CL201"),
        ("b.yaml", "CL002"),
    ]
    assert report.findings[1].message == "cannot read the file: No such file or directory"


def test_unreadable_directory_is_reported(tmp_path, monkeypatch):
    from cookielint import run as run_module
    from cookielint.config import Configuration

    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "p.yaml").write_text(STATISTICS_EXEMPT_POLICY)
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)  # as root, chmod can't make a directory unreadable
    report = run_module.run(Configuration(), [str(tmp_path)])
    assert [(Path(f.path).name, f.code, f.message) for f in report.findings] == [
        ("locked", "CL002", "cannot read the directory: Permission denied"),
        (
            "p.yaml",
            "CL201",
            "cookie '_ga' is statistics exempt from consent but not declared anonymized: true",
        ),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its permissions")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text(VALID_POLICY)
    path.chmod(0)
    result = run_cookielint("check", "--format", "json", str(path))
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["message"]) == (
        "CL002",
        "cannot read the file: Permission denied",
    )


def test_one_broken_file_does_not_hide_the_others(tmp_path):
    (tmp_path / "a-broken.yaml").write_bytes(b"\x00\x01")
    (tmp_path / "b-syntax.yaml").write_text("cookies: [\n")
    (tmp_path / "c-stats.yaml").write_text(STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", "--format", "json", str(tmp_path))
    assert [(Path(f["path"]).name, f["code"]) for f in json.loads(result.stdout)["findings"]] == [
        ("a-broken.yaml", "CL002"),
        ("b-syntax.yaml", "CL001"),
        ("c-stats.yaml", "CL201"),
    ]


def test_one_malformed_cookie_does_not_hide_the_others():
    broken = "  - name: broken\n    provider: [not, a, string]\n    party: 3\n"
    text = (
        STATISTICS_EXEMPT_POLICY
        + broken
        + STATISTICS_EXEMPT_POLICY.split("cookies:\n")[1].replace("_ga", "_gid")
    )
    findings = [
        (f.code, f.line, f.message.split(" ")[1]) for f in lint_bytes(text.encode(), "p.yaml")
    ]
    assert findings == [
        ("CL201", 11, "'_ga'"),
        ("CL003", 13, "'broken':"),  # missing category
        ("CL003", 13, "'broken':"),  # missing consent
        ("CL003", 13, "'broken':"),  # missing duration
        ("CL101", 13, "'broken'"),
        ("CL003", 14, "'broken':"),
        ("CL003", 15, "'broken':"),
        ("CL201", 21, "'_gid'"),
    ]


def test_a_bug_in_a_rule_is_cl000_and_exit_2_while_the_others_run(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text(STATISTICS_EXEMPT_POLICY.replace("duration: 13 months", "duration: 2 years"))
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(
        "from cookielint import rules\n"
        "def boom(cookie, policy):\n    raise ZeroDivisionError('division by zero')\n"
        "rules.RULES['CL204'] = rules.RULES['CL204'].with_check(boom)\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run(
        [sys.executable, "-m", "cookielint", "check", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{path}:6:5: CL000 [error] rule CL204 (statistics-exempt-too-long) failed: "
        "ZeroDivisionError: division by zero; please report this bug with the file that triggers it"
    )
    assert [line.split()[1] for line in lines[1:-1]] == ["CL201", "CL404"]


def test_read_only_guarantee(tmp_path):
    """No kind of run writes to, renames or touches the files it checks."""
    files = {}
    for name, (raw, _) in list(CORPUS.items())[:12]:
        path = tmp_path / "policies" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
        os.utime(path, (1_000_000_000, 1_000_000_000))
        files[path] = raw
    (tmp_path / "policies" / "stats.yaml").write_text(
        "# cookielint: disable-file=CL404\n" + STATISTICS_EXEMPT_POLICY
    )
    os.utime(tmp_path / "policies" / "stats.yaml", (1_000_000_000, 1_000_000_000))
    files[tmp_path / "policies" / "stats.yaml"] = (
        tmp_path / "policies" / "stats.yaml"
    ).read_bytes()
    listing = sorted(os.listdir(tmp_path / "policies"))
    runs = [
        ["check", "policies"],
        ["check", "--format", "full", "--statistics", "policies"],
        [
            "check",
            "--format",
            "sarif=out.sarif",
            "--format",
            "junit=out.xml",
            "--format",
            "github",
            "policies",
        ],
        ["check", "--format", "json", "--output-file", "out.json", "policies"],
        ["check", "--show-settings", "policies/stats.yaml"],
        ["check", "--select", "CL2", "--exit-zero", "policies"],
    ]
    for args in runs:
        run_cookielint(*args, cwd=tmp_path)
    for path, raw in files.items():
        assert path.read_bytes() == raw, path
        assert path.stat().st_mtime == 1_000_000_000, path
    assert sorted(os.listdir(tmp_path / "policies")) == listing
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.json",
        "out.sarif",
        "out.xml",
        "policies",
    ]


# Found by hunting for crashes: each is a case that once broke ----------------------------------------

H = 'version: 1\nsite: {name: S, url: "https://s.example.com"}\n'
C = "provider: P, party: first, category: necessary, purposes: [To keep it], consent: exempt, duration: session"


def _found(text: str) -> list[tuple[str, int, int]]:
    from cookielint.pipeline import lint_text

    return [(f.code, f.line, f.column) for f in lint_text(text, "p.yaml")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a truthy word under a key that a later duplicate replaces: only what is read counts
        (H + "cookies:\n  - {secure: yes}\ncookies: []\n", [("CL004", 5, 1)]),
        (H + "cookies:\n  - {secure: yes}\ncookies: x\n", [("CL004", 5, 1), ("CL003", 5, 10)]),
        (
            H + "cookies:\n  - {name: a, " + C + ", secure: yes, secure: 1}\n",
            [("CL004", 4, 136), ("CL003", 4, 144)],
        ),
        # durations of hundreds of digits are longer than any cap, not a crash
        (
            H
            + "cookies:\n  - {name: a, "
            + C.replace("session", "'" + "9" * 400 + " days'")
            + "}\n",
            [("CL404", 4, 114)],
        ),
        (
            H + "cookies:\n  - {name: a, " + C.replace("session", "P" + "9" * 5000 + "D") + "}\n",
            [("CL404", 4, 114)],
        ),
        # a !!timestamp on a word is that word, which the schema reports
        (H + "cookies: []\nversion: !!timestamp hello\n", [("CL004", 4, 1), ("CL003", 4, 10)]),
        # two << keys: the last wins, as in PyYAML, and the repeated key is reported
        (
            H
            + "cookies:\n  - name: a\n    <<: {consent: required}\n    <<: {consent: exempt}\n    provider: P\n"
            "    party: first\n    category: marketing\n    purposes: [x]\n    duration: session\n",
            [("CL202", 4, 5), ("CL004", 6, 5)],
        ),
        # << as a value is no merge key: PyYAML refuses it too
        (H + "cookies: []\nname: <<\n", [("CL001", 4, 7)]),
        # an alias as a key is the text of the scalar it names
        (
            "&k a: 1\n*k : 2\n",
            # the key read last (through the alias) is where the unknown key 'a' is
            [("CL003", 1, 1), ("CL003", 1, 1), ("CL003", 1, 1), ("CL003", 2, 1), ("CL004", 2, 1)],
        ),
        # a truthy word reached through an alias is reported where it is used
        (
            H + "x: &n no\ncookies:\n  - {name: a, " + C + ", secure: *n}\n",
            [("CL003", 3, 1), ("CL006", 5, 131)],
        ),
        # version 1.0 is not the integer 1
        (H.replace("version: 1", "version: 1.0") + "cookies: []\n", [("CL003", 1, 10)]),
        # a malformed path is CL003 only, not also "a path other than /"
        (
            H + "cookies:\n  - {name: __Host-a, " + C + ", secure: true, path: [/]}\n",
            [("CL003", 4, 150)],
        ),
        # a malformed providers entry: CL003, not a confusing CL005 too
        (H + "providers: [P]\ncookies:\n  - {name: a, " + C + "}\n", [("CL003", 3, 13)]),
    ],
)
def test_cases_that_once_broke(text, expected):
    assert _found(text) == expected


def test_language_tags_get_their_hint():
    from cookielint.pipeline import lint_text

    (finding,) = lint_text(H.replace("}", ", languages: [english]}") + "cookies: []\n", "p.yaml")
    assert (
        finding.message
        == "'site.languages[0]' 'english' is not a BCP 47 language tag (en, fr, pt-BR)"
    )


def test_utf32_is_named():
    (finding,) = lint_bytes(VALID_POLICY.encode("utf-32"), "p.yaml")
    assert finding.message == "file is UTF-32 encoded; policies must be UTF-8"


def test_standard_input_is_read_only_up_to_the_limit():
    result = subprocess.run(
        [sys.executable, "-m", "cookielint", "check", "--format", "json", "-"],
        stdin=open("/dev/zero", "rb"),  # noqa: SIM115 - never ends
        capture_output=True,
        timeout=60,
    )
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["message"]) == (
        "CL002",
        "file is 5,242,881 bytes, over the 5,242,880-byte limit",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", ""], "cookielint: error: path does not exist: ''\n"),
        (["check", "-", "-"], "cookielint: error: standard input (-) can be checked only once\n"),
        (
            ["check", "x" * 300 + ".yaml"],
            f"cookielint: error: cannot use path {'x' * 300}.yaml: File name too long\n",
        ),
    ],
)
def test_unusable_paths_exit_2(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "cookielint", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert (result.returncode, result.stderr) == (2, message)


def test_output_that_cannot_be_written_exits_2():
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "cookielint", "schema"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert (result.returncode, result.stderr) == (
        2,
        "cookielint: error: cannot write output: No space left on device\n",
    )
    result = subprocess.run(
        f"{sys.executable} -m cookielint check policies >&-",
        shell=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert (result.returncode, result.stderr) == (
        2,
        "cookielint: error: cannot write output: standard output is closed\n",
    )


def test_stdin_filename_finds_the_configuration(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".cookielint.yaml").write_text("ignore: [CL201]\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run_cookielint(
        "check", "--stdin-filename", "sub/x.yaml", "-", stdin=STATISTICS_EXEMPT_POLICY, cwd=tmp_path
    )
    assert (result.returncode, result.stdout.decode()) == (0, "No problems found in 1 file.\n")


def test_nesting_limit_from_configuration(tmp_path):
    (tmp_path / ".cookielint.yaml").write_text("max-nesting-depth: 3\n")
    (tmp_path / "p.yaml").write_text(VALID_POLICY)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run_cookielint("check", "--format", "json", "p.yaml", cwd=tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["message"]) == ("CL002", "nested deeper than 3 levels")


def test_report_files_get_ordinary_permissions(tmp_path):
    (tmp_path / "p.yaml").write_text(VALID_POLICY)
    run_cookielint("check", "--format", f"json={tmp_path / 'out.json'}", str(tmp_path / "p.yaml"))
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_many_suppressions_stay_linear():
    body = "".join(f"  - {{name: c{i}, {C}}}  # cookielint: disable=CL404\n" for i in range(3000))
    started = time.perf_counter()
    findings = _found(H + "cookies:\n" + body)
    # Every one is unused; 100 are shown, and one more finding says how many were not.
    assert len(findings) == 101 and {code for code, _, _ in findings} == {"CL007"}
    assert time.perf_counter() - started < 5
