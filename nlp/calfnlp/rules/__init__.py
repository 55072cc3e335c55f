"""Lexicons and rules shipped as validated data (see calfnlp.catalogue)."""
