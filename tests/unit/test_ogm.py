"""Belgian structured communication: check digits mod 97, 97 instead of 0, the +++ layout."""

from __future__ import annotations

import pytest

from app.services import ogm


def test_check_digits_are_the_base_modulo_97():
    assert ogm.make(1234567890) == "123456789002"  # 1234567890 mod 97 = 2


def test_check_digits_are_97_when_the_remainder_is_zero():
    assert ogm.make(97 * 12345) == f"{97 * 12345:010d}97"


def test_printed_as_banks_expect_it():
    assert ogm.formatted("010806817183") == "+++010/8068/17183+++"


@pytest.mark.parametrize("text", ["+++010/8068/17183+++", "010/8068/17183", "010806817183"])
def test_typed_or_pasted_communication_is_recognised(text):
    assert ogm.parse(text) == "010806817183"


@pytest.mark.parametrize("text", ["+++010/8068/17180+++", "010/8068/1718", "abc", ""])
def test_wrong_check_digits_or_length_are_refused(text):
    assert ogm.parse(text) is None and not ogm.is_valid(text)


def test_every_generated_number_is_valid():
    assert all(ogm.is_valid(ogm.make(base)) for base in range(1, 5000, 7))


def test_base_longer_than_ten_digits_is_refused():
    with pytest.raises(ValueError):
        ogm.make(10**10)
