"""CSV exports read by their header, row by row, each row with the line it starts on."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from vaultnet.core.incoming import Parsed


def rows(text: str, parsed: Parsed) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every row; unreadable rows are reported and skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            parsed.error(f"line {start}", f"unreadable CSV row: {exc}; skipped")
            if reader.line_num < start:
                return  # the reader cannot move on: nothing more to read
            start = reader.line_num + 1
            continue
        yield start, row
        start = reader.line_num + 1


def header_key(cell: str) -> str:
    """A header cell as looked up: case-insensitive, without BOM or surrounding blanks."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def records(
    text: str,
    parsed: Parsed,
    is_header: Callable[[list[str]], bool],
    expected: str,
    source: str,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, header key -> cell) of every data row after the first row ``is_header`` accepts.

    Lines before the header (LinkedIn's notes) are ignored. A row with more or fewer cells
    than the header is reported and skipped; blank rows are ignored. A file without such a
    header is refused, naming the importer that fits it when another one does.
    """
    header: list[str] | None = None
    for line, row in rows(text, parsed):
        if header is None:
            keys = [header_key(c) for c in row]
            if is_header(keys):
                header = keys
            continue
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            parsed.error(
                f"line {line}",
                f"expected {len(header)} fields, found {len(row)} (a quote or comma out of"
                " place?); skipped",
            )
            continue
        yield line, dict(zip(header, row, strict=True))
    if header is None:
        from vaultnet.app.importers import which_source
        from vaultnet.core.errors import UsageError

        fits = which_source(text)
        if fits is not None and fits != source:
            raise UsageError(
                f"this is not a {source} export: it looks like a {fits} one;"
                f" use `vaultnet import {fits} FILE`"
            )
        raise UsageError(f"no header row found; expected one like {expected}")
