"""Train the cause model from data/ into models/ (same as `calfnlp train`)."""
import sys
from pathlib import Path

from calfnlp.training import train

root = Path(__file__).resolve().parents[1]
train(root / "data", root / "models")
sys.exit(0)
