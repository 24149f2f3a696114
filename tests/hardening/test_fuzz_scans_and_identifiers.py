"""Property-based tests (Hypothesis) of the scan grammar and the identifier normalisation.

Any text a scanner, a keyboard or a file can produce is either read as one kind of code or
refused; it never raises. Budgets are fixed and the examples derandomised so CI is stable:
`pytest tests/hardening --hypothesis-show-statistics` prints how many inputs each property tried.
"""

from __future__ import annotations

import os
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services import scanmap
from app.services.codes import ScanKind, classify, format_tag, normalise_serial
from app.services.errors import ValidationError
from app.services.identifiers import ControlCharacter, fold, normalise_identifier

# CI: a fixed, derandomised budget. A deeper, random run: HARDENING_FUZZ_SCALE=50 pytest tests/hardening
SCALE = int(os.environ.get("HARDENING_FUZZ_SCALE", "1"))
FAST = settings(max_examples=300 * SCALE, deadline=None, derandomize=SCALE == 1)

# Text as it arrives: anything at all, and text near our grammars with look-alike noise in it.
NOISE = st.sampled_from(["\u200b", "\u00ad", "\ufeff", "\u200d", "\x1d", "\r", "\t", " ", "\x00",
                         "\ud800", "ﬁ", "Ⅻ", "²", "\u0301", "é"])
NEAR = st.builds(lambda base, noise, at: base[:at] + noise + base[at:],
                 st.sampled_from(["CD00000013", "LOC-A1.02", "CMD-DONE", "CERT:HC-2026-00012:3F9A",
                                  "SN-12345", "S3Z9NB0K123456", "ＩＮＶ１"]),
                 NOISE, st.integers(0, 12))
SCANS = st.one_of(st.text(max_size=120), NEAR)


@FAST
@given(SCANS)
def test_any_scan_is_classified_or_unreadable_never_an_exception(raw):
    scan = classify(raw)
    assert scan.kind in ScanKind and scan.raw == raw


@FAST
@given(SCANS)
def test_a_classified_code_reads_the_same_when_scanned_again(raw):
    scan = classify(raw)
    if scan.kind in (ScanKind.TAG, ScanKind.SERIAL, ScanKind.LOCATION, ScanKind.CERTIFICATE):
        assert (classify(scan.value).kind, classify(scan.value).value) == (scan.kind, scan.value)


@FAST
@given(SCANS)
def test_any_scan_is_recovered_or_left_alone_never_an_exception(raw):
    mapped, recovered = scanmap.recover(raw)
    assert recovered or mapped == raw


@FAST
@given(st.integers(1, 10**7 - 1), NOISE.filter(lambda n: unicodedata.category(n) == "Cf"))
def test_a_tag_with_an_invisible_character_is_still_that_tag(number, noise):
    tag = format_tag(number)
    assert classify(tag[:4] + noise + tag[4:]).value == tag


@FAST
@given(st.one_of(st.text(max_size=80), NEAR))
def test_normalising_an_identifier_refuses_or_gives_a_stable_visible_text(text):
    try:
        once = normalise_identifier(text)
    except ControlCharacter as refused:
        assert isinstance(refused, ValidationError) and refused.translated()
        return
    assert normalise_identifier(once) == once
    assert not any(unicodedata.category(c) in ("Cf", "Cc", "Cs") for c in once)
    assert unicodedata.normalize("NFKC", once) == once


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7e), max_size=40))
def test_a_full_width_spelling_is_the_same_identifier(text):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in text)  # U+FF01…U+FF5E
    assert normalise_identifier(full_width) == normalise_identifier(text)


@FAST
@given(st.one_of(st.text(max_size=80), NEAR))
def test_folding_is_idempotent_and_serial_keys_never_raise(text):
    assert fold(fold(text)) == fold(text)
    assert normalise_serial(text) == normalise_serial(fold(text))


@pytest.mark.parametrize("noise", ["\u200b", "\u00ad", "\ufeff", "\u2060"])
def test_an_invisible_character_between_letters_is_dropped(noise):
    assert normalise_identifier(f"INV{noise}1") == "INV1"


def test_a_tag_typed_with_a_space_is_that_tag_not_a_new_serial():
    # Found by the fuzzer: "CD 00000000" was a *serial* CD00000000, which is a valid tag.
    assert (classify("CD 0000001 3").kind, classify("CD 0000001 3").value) == (ScanKind.TAG,
                                                                               "CD00000013")
