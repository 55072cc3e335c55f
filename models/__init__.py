"""The trained cause model, shipped inside the calfnlp wheel (see MODEL_CARD.md)."""
