"""Identifier normalization and hashing, per destination rules."""

from __future__ import annotations

import hashlib
import re
from typing import Any

_NON_DIGITS = re.compile(r"\D")
# Deliberately loose: the destination is the judge of deliverability; this only catches values
# that cannot possibly be an address, so they are reported `invalid` instead of being sent.
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(value: Any) -> str:
    """Trim and lowercase an email; return `""` when it is not shaped like an address."""
    if not isinstance(value, str):
        return ""
    email = value.strip().lower()
    return email if _EMAIL_SHAPE.match(email) else ""


def normalize_phone(value: Any) -> str:
    """Digits only, country code first, no `+` and no leading zeros (Meta's rule).

    The number must already carry its country code (E.164-like input); a national number
    cannot be completed without knowing the country, so it is passed through as digits.
    """
    if value is None or isinstance(value, bool):
        return ""
    digits = _NON_DIGITS.sub("", str(value)).lstrip("0")
    return digits


def sha256_hex(value: str) -> str:
    """Lowercase hex SHA-256 of a UTF-8 string."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def hash_or_empty(value: str) -> str:
    """The hash of a normalized value, or `""` for an empty one (never hash nothing)."""
    return sha256_hex(value) if value else ""
