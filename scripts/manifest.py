"""Rewrite data/manifest.json (file -> sha256, rows, split, label counts) after changing data/corpus/."""
import json
import sys
from pathlib import Path

from calfnlp.dataset import build_manifest

data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data"
manifest = build_manifest(data)
(data / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
print(f"{data / 'manifest.json'}: {len(manifest['files'])} files, {manifest['total_rows']} rows")
