"""The `calfnlp` command: a thin layer over the library (no clinical logic here)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from . import __version__
from .errors import CalfnlpError, InputError

app = typer.Typer(
    name="calfnlp",
    help="Read a description of calf pain: findings, likely causes, red flags, urgency and advice. Not a diagnosis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

URGENCY_STYLE = {"emergency": "bold white on red", "urgent": "bold black on yellow", "routine": "bold cyan",
                 "self_care": "bold green"}
URGENCY_TEXT = {"emergency": "EMERGENCY: get emergency care now", "urgent": "URGENT: see a doctor today",
                "routine": "ROUTINE: book a GP or physiotherapist appointment", "self_care": "SELF-CARE: look after it at home"}


def _fail(message: str) -> None:
    typer.echo(f"calfnlp: error: {message}", err=True)
    raise typer.Exit(2)


def _read_text(text: str) -> str:
    if text != "-":
        return text
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        _fail("standard input is not UTF-8 text")
    # the line ending that `echo` or a file's last line adds is not part of the description (nor of its length)
    return text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text


def _version(value: bool) -> None:
    if value:
        typer.echo(f"calfnlp {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    """calfnlp: calf-pain descriptions in, findings, causes and urgency out."""


@app.command()
def classify(
    text: Annotated[str, typer.Argument(help="The description, in quotes; - reads standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one Assessment as JSON.")] = False,
) -> None:
    """Classify one description: urgency, red flags, likely causes, findings and advice."""
    from .api import classify as run

    try:
        a = run(_read_text(text))
    except CalfnlpError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
        return
    from .render import show_assessment

    show_assessment(a)


@app.command()
def batch(
    input: Annotated[str, typer.Argument(help=".jsonl (text, id), .csv (id,text), .txt (one per line) or - (JSONL on stdin).")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSONL here instead of stdout.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="jsonl, csv or txt (default: from the file name).")] = None,
    batch_size: Annotated[int, typer.Option(help="Texts per nlp.pipe batch.")] = 256,
    n_process: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Classify many descriptions: one Assessment (or error record) per input line, in input order.
    Exit status 1 if any line could not be classified."""
    from .api import get_classifier
    from .batchio import count_lines, detect_format, open_input, read_records

    try:
        fmt = fmt or detect_format(input)
        fh = open_input(input)
        total = count_lines(input) if sys.stderr.isatty() else None
        clf = get_classifier()
    except CalfnlpError as exc:
        _fail(str(exc))
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    errors = 0
    try:
        results = clf.classify_records(read_records(fh, fmt), batch_size=batch_size, n_process=n_process)
        from .render import progress

        for item in progress(results, total):
            d = item.to_dict()
            errors += "error" in d
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
    except InputError as exc:
        _fail(str(exc))
    finally:
        if output:
            out.close()
        if fh is not sys.stdin.buffer:
            fh.close()
    if errors:
        typer.echo(f"calfnlp: {errors} line(s) could not be classified (see their error records)", err=True)
        raise typer.Exit(1)


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help="The description; - reads standard input.")],
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write a displaCy rendering to this file.")] = None,
) -> None:
    """Show what calfnlp read: each finding highlighted, negated / hypothetical / past / someone else's marked."""
    from .explain import explain_terminal, write_html

    try:
        t = _read_text(text)
        explain_terminal(t)
        if html:
            write_html(t, html)
            typer.echo(f"wrote {html}", err=True)
    except CalfnlpError as exc:
        _fail(str(exc))


@app.command()
def train(
    data: Annotated[Path, typer.Option(help="Folder with corpus/, splits.json and manifest.json.")] = Path("data"),
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = Path("models"),
) -> None:
    """Train the cause model from data/ into models/ (joblib + numpy weights + meta.json + model card)."""
    from .training import train as run

    try:
        run(data, out, log=lambda m: typer.echo(m, err=True))
    except CalfnlpError as exc:
        _fail(str(exc))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="JSONL with text, cause and urgency per line.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the metrics as JSON here.")] = None,
    data: Annotated[Optional[Path], typer.Option(help="Training data for the baselines (default: ./data).")] = None,
    baselines: Annotated[bool, typer.Option(help="Score the baselines beside calfnlp.")] = True,
) -> None:
    """Score calfnlp on a labelled file beside a majority-class, a TF-IDF + logistic regression and a
    findings + rules baseline: top-1/top-3, macro-F1, per-class precision/recall/F1, confusion matrix,
    urgency metrics (same definitions as the shared scorer) and calibration, overall and on the rows that
    contain a negation."""
    from .evaluation import evaluate as run

    if not gold.is_file():
        _fail(f"no such file: {gold}")
    try:
        result = run(gold, data_dir=data, baselines=baselines)
    except CalfnlpError as exc:
        _fail(str(exc))
    if output:
        output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from .render import show_metrics

    show_metrics(result)


def main() -> None:
    """The console script (and `python -m calfnlp`). Once the command has run, the process ends without
    tearing the interpreter down: freeing spaCy's, numpy's and our objects one by one took about a tenth
    of a cold `calfnlp classify` here (docs/performance.md). Output is flushed and the atexit handlers run
    first, so nothing is lost; only the clean-up the operating system does anyway is skipped."""
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code
    _exit_now(code)


def _exit_now(code) -> None:
    import atexit
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): print it, status 1, as Python does
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # logging.shutdown and any other handler, as a normal exit would run them
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`calfnlp batch ... | head`) or a closed stream
            pass
    os._exit(code)
