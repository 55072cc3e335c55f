"""Read batch input (JSONL, CSV, TXT, stdin) as (id, text) records and write Assessments as JSONL.

Every input line gives exactly one output line, in order: a line that cannot be read (bad JSON, no text,
undecodable bytes) becomes an error record instead of being dropped.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Union

from .errors import InputError

Record = tuple[Optional[str], Union[str, InputError, None]]
FORMATS = ("jsonl", "csv", "txt")


def detect_format(path: str) -> str:
    if path == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    if suffix in ("csv", "txt"):
        return suffix
    raise InputError(f"cannot tell the format of {path!r}: use a .jsonl, .csv or .txt file, or - for JSONL on stdin")


def open_input(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _decoded_lines(fh: BinaryIO) -> Iterator[tuple[int, Union[str, InputError]]]:
    for n, raw in enumerate(fh, 1):
        try:
            yield n, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield n, InputError(f"line {n}: not UTF-8 text")


def read_records(fh: BinaryIO, fmt: str) -> Iterator[Record]:
    if fmt == "jsonl":
        yield from _jsonl(fh)
    elif fmt == "txt":
        for n, line in _decoded_lines(fh):
            yield str(n), line if isinstance(line, InputError) or line.strip() else InputError(f"line {n}: empty")
    elif fmt == "csv":
        yield from _csv(fh)
    else:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _jsonl(fh: BinaryIO) -> Iterator[Record]:
    for n, line in _decoded_lines(fh):
        if isinstance(line, InputError):
            yield str(n), line
            continue
        if not line.strip():
            yield str(n), InputError(f"line {n}: empty")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield str(n), InputError(f"line {n}: not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield str(n), InputError(f"line {n}: expected a JSON object with a 'text' field")
            continue
        rid = obj.get("id")
        rid = str(n) if rid is None else str(rid)
        text = obj.get("text")
        if not isinstance(text, str):
            yield rid, InputError(f"line {n}: no 'text' string")
        else:
            yield rid, text


def _csv(fh: BinaryIO) -> Iterator[Record]:
    try:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        reader = csv.DictReader(text)
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise InputError("the CSV file needs a header row with a 'text' column (and optionally 'id')")
        for n, row in enumerate(reader, 1):
            rid = row.get("id") or str(n)
            yield rid, row.get("text") or InputError(f"row {n}: empty text")
    except UnicodeDecodeError:
        raise InputError("the CSV file is not UTF-8 text") from None
    except csv.Error as exc:
        raise InputError(f"the CSV file cannot be read: {exc}") from None


def count_lines(path: str) -> Optional[int]:
    if path == "-":
        return None
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)
