"""Regenerate docs/red-flags.md from nlp/calfnlp/safety.py."""
from pathlib import Path

from calfnlp.redflagsdoc import render

path = Path(__file__).resolve().parents[1] / "docs" / "red-flags.md"
path.write_text(render(), encoding="utf-8")
print(f"wrote {path}")
