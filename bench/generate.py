"""Deterministic corpora of cookie policies for the benchmark.

    python bench/generate.py --files 1000 --cookies 20 OUT_DIR
    python bench/generate.py --files 1 --cookies 100000 OUT_DIR

About one policy in ten has one mistake of a kind real policies have (a
schema error, a consent mistake, a duplicate, a YAML 1.1 boolean, a
placeholder purpose); the rest are valid. The same arguments always give the
same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PROVIDERS = [
    ("Example", "https://www.example.com", "FR"),
    ("Matomo", "https://matomo.org", "NZ"),
    ("Google", "https://policies.google.com", "IE"),
    ("Meta", "https://www.facebook.com", "IE"),
    ("Cloudflare", "https://www.cloudflare.com", "US"),
]
# (category, consent, party, provider, duration, purpose)
KINDS = [
    (
        "necessary",
        "exempt",
        "first",
        "Example",
        "session",
        "To keep the visitor logged in from one page to another",
    ),
    (
        "necessary",
        "exempt",
        "first",
        "Cloudflare",
        "30 minutes",
        "To tell people from bots and protect the site",
    ),
    (
        "preferences",
        "exempt",
        "first",
        "Example",
        "12 months",
        "To remember the visitor's language",
    ),
    (
        "statistics",
        "exempt",
        "first",
        "Matomo",
        "13 months",
        "To count visits without identifying visitors",
    ),
    (
        "statistics",
        "required",
        "first",
        "Google",
        "P13M",
        "To tell visitors apart in audience statistics",
    ),
    ("marketing", "required", "third", "Meta", "90 days", "To measure and target advertising"),
]
MISTAKES = ["schema", "consent", "duplicate", "truthy", "placeholder"]


def policy(
    index: int, cookies: int, rng: random.Random, broken: bool, distinct: bool = False
) -> str:
    """One policy; ``distinct``: every declaration's purpose its own text, so that no two
    rows of a rendered page are alike but for their name."""
    head = [
        "# yaml-language-server: $schema=../schema/cookie-policy.schema.json",
        "version: 1",
        "site:",
        f"  name: Site number {index}",
        f"  url: https://site{index}.example.org",
        "  languages: [en]",  # its texts are in English only (CL103)
        'updated: "2026-11-29"',  # the date its page shows as last updated
        "providers:",
    ]
    for name, url, country in PROVIDERS:
        head += [f"  - name: {name}", f"    url: {url}", f"    country: {country}"]
    head.append("cookies:")
    blocks = [_cookie(index, number, rng, distinct) for number in range(cookies)]
    if broken:
        _break(blocks, rng)
    return "\n".join(head + [line for block in blocks for line in block]) + "\n"


def _cookie(index: int, number: int, rng: random.Random, distinct: bool = False) -> list[str]:
    category, consent, party, provider, duration, purpose = KINDS[number % len(KINDS)]
    if distinct:
        purpose = f"{purpose} (declaration {number})"
    exempt_statistics = category == "statistics" and consent == "exempt"
    name = (
        f"_pk_id.{index}.{number}"
        if exempt_statistics
        else f"c{index}_{number}_{rng.randrange(10**6):06d}"
    )
    block = [
        f"  - name: {name}",
        f"    provider: {provider}",
        f"    party: {party}",
        f"    category: {category}",
        f"    function: {'Measurement' if category == 'statistics' else 'Site feature'}",
        "    location: [front office, back office]",
        "    purposes:",
        f"      - {purpose}",
        f"    description: Declared for benchmark site {index}, cookie {number}; set on every page.",
        f"    consent: {consent}",
        f"    duration: {duration}",
        "    secure: true",
        "    http_only: true",
        "    same_site: lax",
    ]
    if exempt_statistics:
        block += ["    anonymized: true", "    refresh: false"]
    return block


def _break(blocks: list[list[str]], rng: random.Random) -> None:
    """One mistake of a kind real policies have, in one declaration."""
    mistake = rng.choice(MISTAKES)
    target = blocks[rng.randrange(len(blocks))]
    if mistake == "schema":
        target.insert(1, "    colour: blue")
    elif mistake == "consent":
        marketing = next((b for b in blocks if "    consent: required" in b), target)
        marketing[marketing.index("    category: " + marketing[3].split(": ")[1])] = (
            "    category: marketing"
        )
        marketing[9] = "    consent: exempt"
    elif mistake == "duplicate":
        blocks.append(list(target))
    elif mistake == "truthy":
        target[target.index("    secure: true")] = "    secure: yes"
    else:
        target[7] = "      - TODO"


def generate(out: Path, files: int, cookies: int, seed: int = 2026) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(files):
        path = out / f"policy-{index:05d}.yaml"
        path.write_text(policy(index, cookies, rng, broken=index % 10 == 9), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Generate a deterministic corpus of cookie policies."
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--cookies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    paths = generate(args.out, args.files, args.cookies, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {size / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
