"""Show what the spaCy stage read: the text with every finding highlighted (terminal), or a displaCy span
rendering (HTML). Negated, hypothetical, past and other-person findings look different from present ones."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from rich.console import Console
from rich.text import Text

STYLES = {"present": "bold black on green", "negated": "strike dim", "hypothetical": "italic black on cyan",
          "historical": "black on bright_black", "other_person": "underline black on magenta"}
COLORS = {"present": "#8ee08e", "negated": "#dddddd", "hypothetical": "#9fd8f0", "historical": "#c7c7c7",
          "other_person": "#e2a6f0"}


def _state(span) -> str:
    for flag in ("negated", "hypothetical", "historical", "other_person"):
        if span._.get(flag):
            return flag
    return "present"


_NLP = None


def _doc(text: str):
    """The text through a pipeline that writes spans (the classifier's own pipeline does not)."""
    global _NLP
    import spacy

    from .api import check_text

    if _NLP is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("calf_symptoms")
        nlp.add_pipe("calf_context")
        _NLP = nlp
    return _NLP(check_text(text))


def explain_terminal(text: str, console: Optional[Console] = None) -> None:
    c = console or Console()
    doc = _doc(text)
    out = Text(doc.text)
    spans = list(doc.spans["calf_symptoms"])
    for s in spans:
        out.stylize(STYLES[_state(s)], s.start_char, s.end_char)
    c.print(out)
    c.print()
    for s in spans:
        state = _state(s)
        side = f", {s._.side}" if s._.side else ""
        c.print(Text(f"  {s.text}", style=STYLES[state]), f"→ {s.label_} ({state.replace('_', ' ')}{side})")
    legend = Text("legend: ")
    for state, style in STYLES.items():
        legend.append(state.replace("_", " "), style=style)
        legend.append("  ")
    c.print(legend)


def render_html(text: str) -> str:
    from spacy import displacy
    from spacy.tokens import Span

    doc = _doc(text)
    shown = [Span(doc, s.start, s.end, label=f"{s.label_} ({_state(s).replace('_', ' ')})")
             for s in doc.spans["calf_symptoms"]]
    doc.spans["calfnlp_explain"] = shown
    colors = {sp.label_: COLORS[_state(orig)] for sp, orig in zip(shown, doc.spans["calf_symptoms"])}
    return displacy.render(doc, style="span", page=True, minify=True,
                           options={"spans_key": "calfnlp_explain", "colors": colors})


def write_html(text: str, path: Path) -> Path:
    path = Path(path)
    path.write_text(render_html(text), encoding="utf-8")
    return path
