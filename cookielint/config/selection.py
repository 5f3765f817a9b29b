"""Which rules run: selectors (ALL, codes, family prefixes, names) resolved to rule codes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cookielint import rules
from cookielint.config.errors import ConfigError
from cookielint.suggest import closest_rule

# A file that could not be read, parsed or checked was not checked: that can't be
# turned off or suppressed, or a broken file would pass.
ALWAYS_ON = frozenset({"CL000", "CL001", "CL002"})

# One layer of selection, from one source: (select or None, extend-select, ignore).
Layer = tuple[Sequence[str] | None, Sequence[str], Sequence[str]]


def codes_of(selector: str) -> frozenset[str] | None:
    """The codes a selector names: ALL, a code, a family prefix (CL2, CL20) or a rule name;
    None when it names none."""
    if selector == "ALL":
        return frozenset(rules.RULES)
    if re.fullmatch(r"CL\d{1,3}", selector):
        codes = frozenset(code for code in rules.RULES if code.startswith(selector))
        return codes or None
    rule = rules.get(selector)
    return frozenset({rule.code}) if rule is not None else None


def resolve_selector(selector: str) -> frozenset[str]:
    """The codes a selector names; a ConfigError with the closest rule's name when none."""
    codes = codes_of(selector)
    if codes is None:
        raise ConfigError(f"unknown rule '{selector}'{closest_rule(selector)}")
    return codes


def select(layers: Iterable[Layer]) -> frozenset[str]:
    """Rule selection, layer by layer (the file, then the command line), each select/extend/ignore."""
    enabled = set(rules.RULES)
    for chosen, extend, ignore in layers:
        if chosen is not None:
            enabled = {code for selector in chosen for code in resolve_selector(selector)}
        for selector in extend:
            enabled |= resolve_selector(selector)
        for selector in ignore:
            enabled -= resolve_selector(selector)
    return frozenset(enabled)


def check_selectors(selectors: Iterable[str], where: str) -> None:
    for selector in selectors:
        try:
            resolve_selector(selector)
        except ConfigError as error:
            raise ConfigError(f"{where}: {error}") from None
