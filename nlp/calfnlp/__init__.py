"""calfnlp: read a person's description of calf pain, find what they describe, rank the likely causes
and say how urgently to get care. Not a diagnosis.

Importing calfnlp is cheap: spaCy, the rules and the model load on first use.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["classify", "classify_many", "load", "Assessment", "__version__"]

logging.getLogger("calfnlp").addHandler(logging.NullHandler())

if TYPE_CHECKING:  # pragma: no cover
    from .api import classify, classify_many, load
    from .assessment import Assessment


def __getattr__(name: str):
    if name in ("classify", "classify_many", "load"):
        from . import api

        return getattr(api, name)
    if name == "Assessment":
        from .assessment import Assessment

        return Assessment
    raise AttributeError(f"module 'calfnlp' has no attribute {name!r}")
