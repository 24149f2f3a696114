"""Reading the files people hand to an importer, strictly: bounded, one encoding, every line accounted for.

Python's `csv` module is forgiving in a way an import must not be: an unclosed quote
(`"forgot`) makes it read every following line into that one cell, and the rows
that vanish there are never reported. `split_records` reads RFC 4180 records
itself and never lets a record run past a problem: an unterminated quote or text
after a closing quote makes that *one physical line* a record with a problem (its
line number), and reading goes on with the next line. So every physical line ends up
in exactly one reported record. Likewise a file that is partly UTF-8 and partly
Windows-1252 (two exports pasted together) decodes without error as either, into
mojibake; `mixed_encoding_lines` finds it so the importer can refuse it.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_
from .errors import DomainError

_BREAK = re.compile(r"\r\n|\r|\n")


class FileNotRegular(DomainError):
    message = N_("“{name}” is not an ordinary file (a device, a pipe or a folder): choose the file "
                 "itself.")


class FileOverLimit(DomainError):
    message = N_("The file is too large ({size} MB, at most {limit} MB).")


class UnterminatedQuote(DomainError):
    message = N_("a quote opened on this line is never closed (the rest of the file would be read "
                 "into one cell): close it or remove it.")


class TextAfterQuote(DomainError):
    message = N_("there is text after a closing quote: a cell that holds a quote must be quoted "
                 "whole, with the quote doubled (\"\").")


def read_capped(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked before it is read:
    /dev/zero, a pipe or a 3 GB file is refused without reading it."""
    name = os.fspath(path)
    with open(name, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FileNotRegular(name=Path(name).name)
        if info.st_size > limit:
            raise FileOverLimit(size=_mb(info.st_size), limit=_mb(limit))
        data = fh.read(limit + 1)  # a file that grows while it is read stops here
    if len(data) > limit:
        raise FileOverLimit(size=_mb(len(data)), limit=_mb(limit))
    return data


def _mb(size: int) -> int:
    return max(1, -(-size // (1024 * 1024)))


def mixed_encoding_lines(data: bytes) -> tuple[list[int], list[int]]:
    """Physical line numbers that are UTF-8 (with letters beyond ASCII) and that are not UTF-8.
    Both lists non-empty means two encodings in one file."""
    utf8: list[int] = []
    other: list[int] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    return utf8, other


def line_list(numbers: list[int], shown: int = 10) -> str:
    """"3, 7, 12" or "3, 7, 12, … (40 lines)": enough to find them, not a wall of numbers."""
    text = ", ".join(map(str, numbers[:shown]))
    return text if len(numbers) <= shown else f"{text}, … ({len(numbers)})"


@dataclass(slots=True)
class Record:
    """One CSV record: the physical line it starts on, its cells, how many lines it spans."""

    line: int
    cells: list[str]
    span: int = 1
    problem: DomainError | None = None

    @property
    def multiline(self) -> bool:
        return self.span > 1


def physical_lines(text: str) -> list[str]:
    lines = _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the line break at the end of the last line
    return lines


def split_records(text: str, delimiter: str) -> list[Record]:
    """Every record of a CSV text; each physical line belongs to exactly one record."""
    lines = physical_lines(text)
    records: list[Record] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if '"' not in line:  # most lines: no quoting, no surprises
            records.append(Record(i + 1, line.split(delimiter)))
            i += 1
            continue
        record = _quoted_record(lines, i, delimiter)
        records.append(record)
        i += record.span
    if sum(r.span for r in records) != len(lines):  # the promise above, kept visible
        raise AssertionError("CSV records do not cover every line")
    return records


def _quoted_record(lines: list[str], first: int, delimiter: str) -> Record:
    cells: list[str] = []
    row, text, p = first, lines[first], 0
    while True:
        if text.startswith('"', p):
            p += 1
            parts: list[str] = []
            while True:
                k = text.find('"', p)
                if k == -1:  # the cell goes on on the next line
                    parts.append(text[p:])
                    row += 1
                    if row >= len(lines):
                        return Record(first + 1, [], 1, UnterminatedQuote())
                    parts.append("\n")
                    text, p = lines[row], 0
                    continue
                parts.append(text[p:k])
                if text.startswith('"', k + 1):
                    parts.append('"')
                    p = k + 2
                    continue
                p = k + 1
                break
            cells.append("".join(parts))
            if p == len(text):
                return Record(first + 1, cells, row - first + 1)
            if text.startswith(delimiter, p):
                p += len(delimiter)
                continue
            return Record(first + 1, [], 1, TextAfterQuote())
        k = text.find(delimiter, p)
        if k == -1:
            cells.append(text[p:])
            return Record(first + 1, cells, row - first + 1)
        cells.append(text[p:k])
        p = k + len(delimiter)
