"""A US-configured scanner on a Belgian AZERTY desk: its scans are mapped back, real codes never."""

from __future__ import annotations

import string

import pytest

from app.services.codes import ScanKind, classify, format_tag
from app.services.scanmap import (
    AZERTY_DIGITS,
    BE_AZERTY_TO_US,
    US_TO_BE_AZERTY,
    recover,
    to_azerty,
)

TAG = format_tag(1)  # CD00000013


@pytest.mark.parametrize(
    ("us", "arrives"),
    [("1", "&"), ("2", "é"), ("3", '"'), ("4", "'"), ("5", "("),
     ("6", "§"), ("7", "è"), ("8", "!"), ("9", "ç"), ("0", "à")],
)
def test_every_digit_arrives_as_the_azerty_digit_row(us, arrives):
    assert US_TO_BE_AZERTY[us] == arrives
    assert BE_AZERTY_TO_US[arrives] == us


@pytest.mark.parametrize(
    ("us", "arrives"),
    [("a", "q"), ("q", "a"), ("z", "w"), ("w", "z"), ("m", ","),
     ("A", "Q"), ("Q", "A"), ("Z", "W"), ("W", "Z"), ("M", "?"),
     ("-", ")"), ("_", "°"), ("+", "_"), (":", "M"), (".", ":"), ("/", "=")],
)
def test_moved_keys_follow_the_belgian_layout(us, arrives):
    assert US_TO_BE_AZERTY[us] == arrives


def test_the_table_covers_every_character_of_our_grammars():
    needed = set("0123456789-_:/.+") | set(string.ascii_letters)
    assert needed <= set(US_TO_BE_AZERTY)


def test_the_table_can_be_read_back_without_ambiguity():
    assert len(BE_AZERTY_TO_US) == len(US_TO_BE_AZERTY)


def test_a_tag_arrives_garbled():
    assert to_azerty(TAG) == 'CDàààààà&"'


@pytest.mark.parametrize(
    ("meant", "kind"),
    [
        (TAG, ScanKind.TAG),
        (format_tag(9876543), ScanKind.TAG),
        ("CMD-DONE", ScanKind.COMMAND),
        ("CMD-PRINT_AGAIN", ScanKind.COMMAND),
        ("CMD-UNDO_LAST", ScanKind.COMMAND),
        ("LOC-A-01", ScanKind.LOCATION),
        ("LOC-QZ.03", ScanKind.LOCATION),
        ("CERT:2025-000123/HO", ScanKind.CERTIFICATE),
        ("5CG1234XYZ", ScanKind.SERIAL),
        ("SN-2020/77.A+1", ScanKind.SERIAL),
    ],
)
def test_azerty_scan_is_mapped_back(meant, kind):
    arrived = to_azerty(meant)
    assert arrived != meant
    mapped, was_mapped = recover(arrived)
    assert was_mapped
    assert classify(mapped).kind == kind
    assert classify(mapped).value == classify(meant).value


def test_scanner_control_characters_do_not_stop_the_mapping():
    mapped, was_mapped = recover(to_azerty(TAG) + "\r")
    assert (mapped, was_mapped) == (TAG, True)


@pytest.mark.parametrize(
    "genuine",
    [
        TAG,
        "CMD-DONE",
        "LOC-A-01",
        "CERT:2025-000123",
        "AQZW1234",          # A, Q, Z and W are real serial letters here
        "QAWZ",
        "MXQ42-A",
        "C02XK0AQJG5H",
        "SN-2020/77.A+1",
        "abcqwz",            # lower case: still a serial, only upper-cased by classify
        "CD00000012",        # wrong check digit: refused, but not an AZERTY scan
    ],
)
def test_genuine_codes_are_left_alone(genuine):
    assert recover(genuine) == (genuine, False)


@pytest.mark.parametrize(
    "nonsense",
    [
        "",
        "   ",
        "&",                   # maps to "1": too short for any grammar
        "hello world!",
        "é(çà#",               # '#' is no US grammar key on AZERTY
        "C?D)FOO",             # an unknown command is not recovered
        "°°°°",
        "CDàààààà&&",          # a tag with a wrong check digit stays refused
        "ùùùù",
    ],
)
def test_nonsense_stays_refused(nonsense):
    assert recover(nonsense) == (nonsense, False)


def test_azerty_digits_are_exactly_the_unshifted_digit_row():
    assert AZERTY_DIGITS == set('&é"\'(§è!çà')
