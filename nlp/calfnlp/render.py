"""Human-readable terminal output with rich (the CLI's presentation, no clinical logic)."""
from __future__ import annotations

from typing import Iterable, Iterator, Optional, TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .assessment import Assessment

T = TypeVar("T")
URGENCY = {
    "emergency": ("EMERGENCY", "bold white on red", "get emergency care now"),
    "urgent": ("URGENT", "bold black on yellow", "see a doctor today"),
    "routine": ("ROUTINE", "bold cyan", "book a GP or physiotherapist appointment"),
    "self_care": ("SELF-CARE", "bold green", "look after it at home"),
}


def show_assessment(a: Assessment, console: Optional[Console] = None) -> None:
    c = console or Console()
    name, style, meaning = URGENCY[a.urgency]
    c.print(Text(f" {name} ", style=style), Text(f" {meaning}", style="bold"))
    if a.red_flags:
        c.print("\n[bold red]Red flags[/]")
        for f in a.red_flags:
            c.print(f"  [red]•[/] {f.id.replace('_', ' ')}: “{f.evidence}”  [dim]({f.source})[/]")
    c.print("\n[bold]Advice[/]")
    c.print(f"  {a.advice}")
    if a.causes:
        c.print("\n[bold]Likely causes[/]" + ("" if a.top_cause else " [dim](too unsure to name one)[/]"))
        for cause in a.causes[:3]:
            bar = "█" * max(1, round(cause.probability * 20))
            ev = f"  [dim]{', '.join(cause.evidence)}[/]" if cause.evidence else ""
            c.print(f"  {cause.label:<12} {cause.probability:5.0%} [magenta]{bar}[/]{ev}")
    elif a.model_error:
        c.print(f"\n[yellow]Cause model unavailable[/] [dim]({a.model_error}); red flags and urgency still apply[/]")
    if a.symptoms:
        c.print("\n[bold]What calfnlp read[/]")
        for s in a.symptoms:
            marks = [m for m in ("negated", "hypothetical", "historical", "other_person") if getattr(s, m)]
            text = f"“{s.text}” → {s.id}"
            if marks:
                c.print(f"  [dim strike]{text}[/] [yellow]({', '.join(marks).replace('_', ' ')})[/]")
            else:
                c.print(f"  {text}" + (" [dim](hedged)[/]" if s.uncertain else ""))
    c.print(f"\n[dim]{a.disclaimer}[/]")


def progress(items: Iterable[T], total: Optional[int]) -> Iterator[T]:
    """Yield items, showing a progress bar on stderr for long inputs read from a file into a terminal."""
    if not total or total < 200:
        yield from items
        return
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("classifying", total=total)
        for item in items:
            yield item
            bar.advance(task)


KEYS = ("cases", "top1_all", "top3_all", "top1_core", "top3_core", "macro_f1_core", "urgency_exact", "under_triage",
        "emergency_sensitivity", "urgent_or_higher_sensitivity", "self_care_over_triage", "ece")


def show_metrics(result: dict, console: Optional[Console] = None) -> None:
    """Print calfnlp's metrics beside the baselines', then calfnlp's per-class figures and confusion matrix."""
    c = console or Console()
    systems = [k for k in ("calfnlp", "majority", "tfidf_logreg", "findings_rules") if k in result]
    t = Table(title="side by side (same gold rows)")
    t.add_column("metric")
    for name in systems:
        t.add_column(name, justify="right")
    for k in KEYS:
        t.add_row(k, *[str(result[name].get(k)) for name in systems])
    c.print(t)
    neg = result.get("negation_slice", {})
    if neg:
        t = Table(title=f"rows with a negation ({neg['calfnlp']['cases']})")
        t.add_column("metric")
        for name in systems:
            t.add_column(name, justify="right")
        for k in ("top1_all", "top1_core", "urgency_exact"):
            t.add_row(k, *[str(neg[name].get(k)) for name in systems])
        c.print(t)
    if "note" in result:
        c.print(f"[dim]{result['note']}[/]")
    m = result["calfnlp"]
    pc = Table(title="calfnlp per class")
    for col in ("label", "precision", "recall", "f1", "support"):
        pc.add_column(col)
    for label, v in m["per_class"].items():
        if v["support"] or v["precision"]:
            pc.add_row(label, f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1']:.2f}", str(v["support"]))
    c.print(pc)
    labels = sorted({p for row in m["confusion"].values() for p in row} | set(m["confusion"]))
    cm = Table(title="calfnlp confusion (rows gold, columns predicted top_cause)")
    cm.add_column("gold")
    for l in labels:
        cm.add_column(l[:8], justify="right")
    for g, row in m["confusion"].items():
        cm.add_row(g, *[str(row.get(l, "")) for l in labels])
    c.print(cm)
