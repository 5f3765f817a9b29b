"""The one error a configuration can be: it names the file (or option) and the key."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration that can't be used: the command can't do its job (exit 2)."""
