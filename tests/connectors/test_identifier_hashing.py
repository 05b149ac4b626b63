"""Identifier normalization and hashing follow the destinations' published rules."""

from __future__ import annotations

import pytest

from connectors.identifiers import hash_or_empty, normalize_email, normalize_phone, sha256_hex


def test_the_normalized_email_hashes_to_metas_published_vector():
    assert sha256_hex(normalize_email("  Test1@Example.com ")) == (
        "9b431636bd164765d63c573c346708846af4f68fe3701a77a3bdd7e7e5166254"
    )


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("+1 (650) 555-1212", "16505551212"),
        ("+44 7700 900123", "447700900123"),
        ("0044 7700 900123", "447700900123"),
        ("1-650-555-1212", "16505551212"),
        ("", ""),
        (None, ""),
        ("n/a", ""),
    ],
)
def test_phones_become_digits_with_country_code_and_no_plus_or_leading_zeros(raw, normalized):
    assert normalize_phone(raw) == normalized


def test_a_normalized_phone_hashes_as_its_digits():
    assert hash_or_empty(normalize_phone("+1 (650) 555-1212")) == sha256_hex("16505551212")


@pytest.mark.parametrize("raw", ["", "   ", None, "not-an-email", 42])
def test_an_unusable_email_normalizes_to_nothing_and_is_never_hashed(raw):
    assert normalize_email(raw) == ""
    assert hash_or_empty(normalize_email(raw)) == ""


def test_hashes_are_lowercase_hex_sha256():
    digest = sha256_hex("a@example.com")
    assert len(digest) == 64
    assert digest == digest.lower()
