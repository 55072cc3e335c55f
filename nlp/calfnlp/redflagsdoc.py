"""Render docs/red-flags.md from the rules in safety.py, so clinicians can review the layer without Python."""
from __future__ import annotations

from . import safety


def render() -> str:
    lines = [
        "# calfnlp red flags",
        "",
        "Generated from `nlp/calfnlp/safety.py` by `python scripts/red_flags_doc.py`; a test fails when this file is",
        "out of date. Each rule reads only the extracted findings that are the patient's own and current (not negated,",
        "not hypothetical, not a past resolved event, not about someone else; hedged mentions count; risk factors such",
        "as a previous clot count when past), never the cause model, and raises urgency to at least its level. `cauda_equina` is an id added to the contract's list.",
        "",
        "| id | level | fires on | advice | source |",
        "|---|---|---|---|---|",
    ]
    for r in safety.RULES:
        lines.append(f"| `{r.id}` | {r.level} | {r.triggers} | {r.advice} | {r.source} |")
    lines += ["", "## Usual level by cause (no red flag)", "", "| cause | level | advice | source |", "|---|---|---|---|"]
    for cause, (level, advice, source) in safety.CAUSE_CARE.items():
        lines.append(f"| `{cause}` | {level} | {advice} | {source} |")
    level, advice, source = safety.UNSURE_CARE
    lines.append(f"| no cause named, a sign present | {level} | {advice} | {source} |")
    level, advice, source = safety.UNSURE_MILD_CARE
    lines.append(f"| no cause named, no sign | {level} | {advice} | {source} |")
    lines += ["", "Modifiers: a strain that is getting worse or has lasted two weeks or more, or cramps that keep "
              "coming back, are `routine` (NHS: Sprains and strains; NHS: Leg cramps).", ""]
    return "\n".join(lines)
