"""Keys under which calfnlp's components leave plain data in `doc.user_data` for the later steps.

The spaCy interface is `doc.spans["calf_symptoms"]` with `span._` flags; these lists carry the same facts
as plain tuples so calfnlp's own classify path does not rebuild Span objects (see docs/performance.md).
Every value is a tuple of plain values (no lists or dicts inside), which the garbage collector stops tracking."""

MATCHES = "calfnlp.matches"  # ((start, end, finding id, gap token indices), ...) aligned with doc.spans["calf_symptoms"]
NORMS = "calfnlp.norms"  # each token's NORM after spelling correction
FLAGS = "calfnlp.context"  # ((start_char, end_char, finding id, negated, hypothetical, historical, other_person,
#                              uncertain, side), ...) aligned likewise
TRIGGERS = "calfnlp.triggers"  # ((start, end, category), ...) of every context trigger
PROXY = "calfnlp.proxy"  # True when some finding is about someone else and the writer never mentions their own
#                          body: the person they describe is the patient (only worked out when it matters)
DENIED = "calfnlp.denied"  # indices (into MATCHES) of findings read from a phrase that denies them ("I can walk
#                            on it" is cannot_bear_weight, negated)
