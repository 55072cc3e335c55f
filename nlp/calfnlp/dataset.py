"""Training data: the manifest (file -> sha256, rows, label counts), the splits by writing batch, and
the row schema. Used by `calfnlp train` and `calfnlp evaluate`; never on the classify path."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .assessment import URGENCY_LEVELS
from .errors import CalfnlpError

LABELS = ("doms", "strain", "cramp", "dvt", "pad", "rhabdo", "compartment", "achilles", "nerve", "other")
CORE = ("doms", "strain", "cramp", "dvt", "pad", "rhabdo")
SPLITS = ("train", "validation", "test")
ROW_KEYS = {"text", "cause", "urgency", "batch", "note", "generated"}


class DataError(CalfnlpError, ValueError):
    """Training or evaluation data is malformed or does not match its manifest."""


@dataclass(frozen=True)
class Row:
    text: str
    cause: str
    urgency: str
    batch: str
    id: Optional[str] = None


def read_rows(path: Path, *, require_batch: bool = True) -> list[Row]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{n}: not JSON ({exc.msg})") from None
            text, cause, urgency = obj.get("text"), obj.get("cause"), obj.get("urgency")
            if not isinstance(text, str) or not text.strip():
                raise DataError(f"{path}:{n}: 'text' must be a non-empty string")
            if cause not in LABELS:
                raise DataError(f"{path}:{n}: cause {cause!r} is not one of {', '.join(LABELS)}")
            if urgency not in URGENCY_LEVELS:
                raise DataError(f"{path}:{n}: urgency {urgency!r} is not one of {', '.join(URGENCY_LEVELS)}")
            if require_batch:
                unknown = set(obj) - ROW_KEYS
                if unknown:
                    raise DataError(f"{path}:{n}: unknown key(s) {sorted(unknown)}")
                if obj.get("batch") != path.stem:
                    raise DataError(f"{path}:{n}: batch {obj.get('batch')!r} should be the file name {path.stem!r}")
            rid = obj.get("id")
            rows.append(Row(text, cause, urgency, str(obj.get("batch", "")), None if rid is None else str(rid)))
    return rows


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_manifest(data_dir: Path) -> dict:
    """Describe every corpus file; `splits.json` says which split each batch belongs to."""
    splits = json.loads((data_dir / "splits.json").read_text(encoding="utf-8"))
    files = {}
    for path in sorted((data_dir / "corpus").glob("*.jsonl")):
        rows = read_rows(path)
        files[f"corpus/{path.name}"] = {
            "sha256": sha256_file(path),
            "rows": len(rows),
            "split": _split_of(path.stem, splits),
            "labels": dict(sorted(Counter(r.cause for r in rows).items())),
        }
    return {"files": files, "total_rows": sum(f["rows"] for f in files.values())}


def _split_of(batch: str, splits: dict) -> str:
    for name in SPLITS:
        if batch in splits.get(name, []):
            return name
    raise DataError(f"batch {batch!r} is in no split of data/splits.json")


def load_splits(data_dir: Path) -> dict[str, list[Row]]:
    """Rows by split, after checking every file against data/manifest.json."""
    data_dir = Path(data_dir)
    try:
        manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{data_dir}/manifest.json is missing; run `python scripts/manifest.py`") from None
    on_disk = {f"corpus/{p.name}" for p in (data_dir / "corpus").glob("*.jsonl")}
    listed = set(manifest["files"])
    if on_disk != listed:
        raise DataError(f"data/manifest.json does not list the corpus files: missing {sorted(on_disk - listed)}, "
                        f"stale {sorted(listed - on_disk)}; run `python scripts/manifest.py`")
    out: dict[str, list[Row]] = {s: [] for s in SPLITS}
    for name, entry in manifest["files"].items():
        path = data_dir / name
        if sha256_file(path) != entry["sha256"]:
            raise DataError(f"{path} changed since data/manifest.json was written; run `python scripts/manifest.py`")
        out[entry["split"]].extend(read_rows(path))
    return out


def data_hashes(data_dir: Path) -> dict[str, str]:
    manifest = json.loads((Path(data_dir) / "manifest.json").read_text(encoding="utf-8"))
    return {name: e["sha256"] for name, e in manifest["files"].items()}


def label_counts(rows: Iterable[Row]) -> dict[str, int]:
    return dict(sorted(Counter(r.cause for r in rows).items()))
