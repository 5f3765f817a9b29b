"""CL0xx: the file itself — readable, well-formed YAML, one document, what the schema allows."""

from __future__ import annotations

from collections.abc import Iterator

from cookielint.document import TRUTHY_WORDS, Document
from cookielint.finding import Problem
from cookielint.pointer import join_pointer
from cookielint.policy import Cookie, Policy
from cookielint.rules import ERROR, WARNING, cookie_rule, declare, document_rule, example
from cookielint.schema import boolean_shapes, shape_of
from cookielint.suggest import did_you_mean

declare(
    "CL000",
    "internal-error",
    ERROR,
    summary="cookielint itself failed while checking the file",
    rationale="""
        A check raised an unexpected error. The other checks still ran, but
        this file was not fully checked, so cookielint exits with status 2.
        This is a bug in cookielint: please report it with the file that
        triggers it.
    """,
    fail="# any file that makes a check fail",
    ok="# every other file",
    hint="Report the bug with the file that triggers it.",
)

declare(
    "CL001",
    "yaml-syntax",
    ERROR,
    summary="The file is not well-formed YAML",
    rationale="""
        A policy that does not parse cannot be checked, and every tool that
        reads it (the site's consent banner, its policy page) fails too. Only
        safe YAML is read: tags that would build program objects
        (!!python/object and the like) are refused, never run. (YAML 1.2,
        https://yaml.org/spec/1.2.2/)
    """,
    fail="""
        version: 1
        site: {name: Example shop, url: https://shop.example.com
        cookies: []
    """,
    ok="""
        version: 1
        site: {name: Example shop, url: https://shop.example.com}
        cookies: []
    """,
    hint="Fix the YAML where the parser stopped (an unclosed bracket or quote, a bad indent).",
)

declare(
    "CL002",
    "unreadable-file",
    ERROR,
    summary="The file can't be read as one UTF-8 YAML document",
    rationale="""
        A policy is one UTF-8 text file holding one YAML document. A binary
        file, another encoding, a file over the size limit, or a stream of
        several documents (only the first of which most tools read) is not a
        policy every consumer reads the same way.
    """,
    fail="""
        version: 1
        site: {name: Example shop, url: https://shop.example.com}
        cookies: []
        ---
        version: 1
    """,
    ok="""
        version: 1
        site: {name: Example shop, url: https://shop.example.com}
        cookies: []
    """,
    hint="Save the file as UTF-8 and keep one policy per file.",
)

declare(
    "CL003",
    "schema-violation",
    ERROR,
    summary="The policy schema rejects part of the file",
    rationale="""
        schema/cookie-policy.schema.json defines the format: which keys exist,
        which are required, and what values they take. A key the schema does
        not know is most often a typo that silently drops information (a
        misspelt `consent` leaves a cookie with no consent rule at all).
    """,
    fail="""
        version: 1
        site: {name: Example shop, url: https://shop.example.com}
        cookies:
          - name: cart
            provider: Example shop
            party: first
            category: necessary
            purposes: [To keep the visitor's shopping cart]
            consent: exempt
            duration: 2 fortnights
    """,
    ok="""
        version: 1
        site: {name: Example shop, url: https://shop.example.com}
        cookies:
          - name: cart
            provider: Example shop
            party: first
            category: necessary
            purposes: [To keep the visitor's shopping cart]
            consent: exempt
            duration: 4 weeks
    """,
    hint="Use the keys and values the schema allows; editors complete them from the schema.",
)


@document_rule(
    "CL004",
    "duplicate-key",
    ERROR,
    summary="A mapping has the same key twice",
    fail=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          consent: required
          duration: session
    """),
    ok=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          duration: session
    """),
    hint="Remove one of the two keys, keeping the value you mean.",
)
def duplicate_key(document: Document) -> Iterator[Problem]:
    """YAML requires keys to be unique, yet most loaders silently keep the
    last value, so a reader of the file and a program reading it can see
    two different policies. cookielint checks the last value, as loaders
    read it, and reports the duplicate. (YAML 1.2 §3.2.1.1)"""
    for repeated in document.repeated_keys:
        yield Problem(
            f"duplicate key '{repeated.key}' (first on line {repeated.first_line}); "
            "the last value is the one read",
            pointer=join_pointer(*repeated.path),
            key=True,
            line=repeated.line,
            column=repeated.column,
        )


@document_rule(
    "CL006",
    "ambiguous-boolean",
    ERROR,
    summary="A YAML 1.1 truthy word stands where a boolean is expected",
    fail=example("""
        - name: _pk_id.*
          provider: Matomo
          party: first
          category: statistics
          purposes: [To count visits without identifying visitors]
          consent: exempt
          anonymized: yes
          duration: 13 months
    """),
    ok=example("""
        - name: _pk_id.*
          provider: Matomo
          party: first
          category: statistics
          purposes: [To count visits without identifying visitors]
          consent: exempt
          anonymized: true
          duration: 13 months
    """),
    hint="Write true or false.",
)
def ambiguous_boolean(document: Document) -> Iterator[Problem]:
    """YAML 1.1 reads yes, no, on, off, y and n as booleans, YAML 1.2 reads
    them as strings, and loaders disagree on which spellings count, so
    the same file means different things to different tools (the
    "Norway problem"). A policy must say true or false. cookielint reads
    the word as YAML 1.1 would, so other rules still run.
    (YAML 1.1 bool type, https://yaml.org/type/bool.html)"""
    expected = boolean_shapes()
    for path, word in document.words.items():
        if shape_of(path) not in expected:
            continue  # elsewhere the schema's message says to quote it
        value = str(TRUTHY_WORDS[word.word.lower()]).lower()
        yield Problem(
            f"'{path[-1]}: {word.word}' is read as {value} by YAML 1.1 but as a string "
            f"by YAML 1.2; write {value}",
            join_pointer(*path),
            line=word.line,
            column=word.column,
        )


@cookie_rule(
    "CL005",
    "unknown-provider",
    ERROR,
    summary="A cookie names a provider the providers list does not have",
    fail=example(
        """
        - name: _ga
          provider: Gogle
          party: first
          category: statistics
          purposes: [To tell visitors apart in audience statistics]
          consent: required
          duration: 13 months
        """,
        providers="- name: Google",
    ),
    ok=example(
        """
        - name: _ga
          provider: Google
          party: first
          category: statistics
          purposes: [To tell visitors apart in audience statistics]
          consent: required
          duration: 13 months
        """,
        providers="- name: Google",
    ),
    hint="Name one of the listed providers, or add this one to `providers`.",
)
def unknown_provider(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """A policy that lists its providers promises that every cookie belongs to one
    of them, with its address, privacy policy and country; a cookie whose
    provider is not listed (often a typo) breaks that promise, and GDPR
    art. 13(1)(e) requires telling visitors who receives their data."""
    if policy.providers is None or cookie.provider is None:
        return
    if any(p.name is None for p in policy.providers):
        return  # a malformed entry (CL003) may be the one meant
    known = {p.name for p in policy.providers if p.name is not None}
    if cookie.provider not in known:
        yield Problem(
            f"{cookie.label} names provider '{cookie.provider}', which is not in providers"
            f"{did_you_mean(cookie.provider, sorted(known))}",
            cookie.at("provider"),
        )


declare(
    "CL007",
    "unused-suppression",
    WARNING,
    summary="An inline suppression suppresses nothing",
    rationale="""
        A `# cookielint: disable=...` comment that no longer matches any
        finding is a stale exception: the problem it excused was fixed or
        moved, and the comment would silently hide a new one. Like ruff's
        unused-noqa, cookielint reports it so exceptions don't pile up. A
        suppression naming an unknown rule, or a disable-file outside the
        file's leading comments, is reported the same way.
    """,
    fail=example("""
        - name: cart  # cookielint: disable=CL404 -- lives long
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          duration: session
    """),
    ok=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          duration: 2 years  # cookielint: disable=CL404 -- the CDN sets it; browsers cap it
    """),
    hint="Remove the suppression, or the rules in it that no longer apply.",
)

declare(
    "CL008",
    "suppression-without-reason",
    ERROR,
    summary="An inline suppression gives no reason (with require-reason = true)",
    rationale="""
        An exception to a consent rule is a decision someone will have to
        defend: with `require-reason = true` every suppression must say why
        after `--`, next to the line it excuses, so reviewers see the
        reasoning where the exception is.
    """,
    fail=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          duration: 2 years  # cookielint: disable=CL404
    """),
    ok=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          duration: 2 years  # cookielint: disable=CL404 -- the CDN sets it; browsers cap it
    """),
    hint="Add the reason after `--`: `# cookielint: disable=CL404 -- why this is fine`.",
)
