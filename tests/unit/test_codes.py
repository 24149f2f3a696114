"""The scan grammar: asset tags with a check digit, commands, locations, certificates, serials.

The typo tests are exhaustive over a sample of tags: every single wrong
character (any of 0-9A-Z, at every position) and every swap of two
neighbouring, differing characters must be refused, so a mistyped tag can
never open another device.
"""

from __future__ import annotations

import random
import string

import pytest

from app.services.codes import (
    Command,
    ScanKind,
    classify,
    format_tag,
    is_valid_tag,
    parse_tag,
    tag_number,
)
from app.services.documents.issued import qr_payload
from app.services.errors import InvalidTag
from app.services.locations import location_code

ALPHABET = string.digits + string.ascii_uppercase
MAX_TAG_NUMBER = 9_999_999


def _sample_numbers() -> list[int]:
    rng = random.Random(20240517)
    randoms = [rng.randint(1, MAX_TAG_NUMBER) for _ in range(1000)]
    return [*range(1, 2001), *randoms, MAX_TAG_NUMBER]


SAMPLE_TAGS = [format_tag(n) for n in _sample_numbers()]


def _single_character_typos(tag: str):
    for i, right in enumerate(tag):
        for wrong in ALPHABET:
            if wrong != right:
                yield tag[:i] + wrong + tag[i + 1:]


def _adjacent_swaps(tag: str):
    for i in range(len(tag) - 1):
        if tag[i] != tag[i + 1]:
            yield tag[:i] + tag[i + 1] + tag[i] + tag[i + 2:]


# --- asset tags ---------------------------------------------------------------------


def test_every_formatted_tag_is_valid_and_scans_as_its_number():
    wrong = [tag for n, tag in zip(_sample_numbers(), SAMPLE_TAGS, strict=True)
             if not is_valid_tag(tag) or classify(tag).kind is not ScanKind.TAG
             or tag_number(tag) != n]
    assert wrong == []


def test_check_digit_is_the_damm_check_digit():
    # The published example of the Damm algorithm: 572 has check digit 4. Leading
    # zeros do not change a Damm check digit, so printed labels stay readable by
    # any Damm implementation (a second system, a spreadsheet).
    assert format_tag(572) == "CD00005724"


def test_every_single_character_typo_is_refused():
    accepted = [typo for tag in SAMPLE_TAGS for typo in _single_character_typos(tag)
                if is_valid_tag(typo)]
    assert accepted == []


def test_single_character_typo_never_scans_as_a_tag():
    as_tag = [typo for tag in SAMPLE_TAGS for typo in _single_character_typos(tag)
              if classify(typo).kind is ScanKind.TAG]
    assert as_tag == []


def test_every_adjacent_swap_is_refused():
    accepted = [swap for tag in SAMPLE_TAGS for swap in _adjacent_swaps(tag) if is_valid_tag(swap)]
    assert accepted == []


def test_adjacent_swap_never_scans_as_a_tag():
    as_tag = [swap for tag in SAMPLE_TAGS for swap in _adjacent_swaps(tag)
              if classify(swap).kind is ScanKind.TAG]
    assert as_tag == []


def test_tag_with_wrong_check_digit_is_reported_as_invalid_tag():
    tag = format_tag(4711)
    typo = tag[:-1] + str((int(tag[-1]) + 1) % 10)
    scan = classify(typo)
    assert (scan.kind, scan.value) == (ScanKind.INVALID_TAG, typo)


def test_parse_tag_accepts_lower_case_and_surrounding_whitespace():
    tag = format_tag(123)
    assert parse_tag(f"  {tag.lower()}\t\r\n") == tag


def test_lower_case_tag_scans_as_the_canonical_tag():
    tag = format_tag(98765)
    scan = classify(f" {tag.lower()}\r")
    assert (scan.kind, scan.value) == (ScanKind.TAG, tag)


def test_parse_tag_refuses_a_typo_and_names_the_input():
    tag = format_tag(2024)
    typo = tag[:4] + tag[5] + tag[4] + tag[6:]
    with pytest.raises(InvalidTag) as err:
        parse_tag(f"  {typo} ")
    assert typo in str(err.value)


@pytest.mark.parametrize("text", ["", "CD", "hello", "CD0000001"])
def test_parse_tag_refuses_what_is_not_a_tag(text):
    with pytest.raises(InvalidTag):
        parse_tag(text)


@pytest.mark.parametrize("number", [0, -1, MAX_TAG_NUMBER + 1])
def test_format_tag_refuses_numbers_out_of_range(number):
    with pytest.raises(ValueError):
        format_tag(number)


# --- commands, locations, certificates ----------------------------------------------


@pytest.mark.parametrize("command", list(Command))
def test_command_barcode_scans_as_its_command(command):
    scan = classify(f"CMD-{command.value}")
    assert (scan.kind, scan.value) == (ScanKind.COMMAND, command.value)


def test_command_barcode_is_recognised_in_lower_case():
    scan = classify("cmd-done\r")
    assert (scan.kind, scan.value) == (ScanKind.COMMAND, Command.DONE.value)


def test_unknown_command_is_reported_as_unknown_not_as_a_serial():
    scan = classify("CMD-FOO")
    assert (scan.kind, scan.value) == (ScanKind.UNKNOWN_COMMAND, "FOO")


@pytest.mark.parametrize("parts", [("A",), ("A", "01", "2"), ("B", "02", "3", "14")])
def test_printed_location_code_scans_as_a_location(parts):
    code = location_code(*parts)
    scan = classify(code)
    assert (scan.kind, scan.value) == (ScanKind.LOCATION, code)


def test_location_code_is_recognised_in_lower_case():
    scan = classify("loc-c-01-3")
    assert (scan.kind, scan.value) == (ScanKind.LOCATION, "LOC-C-01-3")


def test_certificate_qr_code_scans_as_a_certificate():
    payload = qr_payload("HC-2026-00017")
    scan = classify(payload)
    assert (scan.kind, scan.value) == (ScanKind.CERTIFICATE, payload)


# --- serials and unreadable input ---------------------------------------------------


def test_serial_is_trimmed_upper_cased_and_loses_inner_spaces():
    scan = classify("  5cg 123 ab cd \r\n")
    assert (scan.kind, scan.value) == (ScanKind.SERIAL, "5CG123ABCD")


def test_control_characters_inside_a_serial_are_dropped():
    scan = classify("PF1\x1dAB2\x00CD")
    assert (scan.kind, scan.value) == (ScanKind.SERIAL, "PF1AB2CD")


def test_scan_keeps_the_raw_input():
    raw = " pf1ab2cd\r"
    assert classify(raw).raw == raw


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "\x1d\x1e\x04", "\t\x00 \x7f"])
def test_empty_or_control_only_input_is_unreadable(raw):
    assert classify(raw).kind is ScanKind.UNREADABLE


@pytest.mark.parametrize("raw", ["#", "é&\"'(", "A", "€€€€"])
def test_input_outside_every_grammar_is_unreadable(raw):
    assert classify(raw).kind is ScanKind.UNREADABLE
