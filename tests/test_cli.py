import json

import pytest
from typer.testing import CliRunner

from calfnlp.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("calfnlp ")


def test_classify_json_acceptance_examples():
    r = run("classify", "--json", "my calf is swollen and urine is dark")
    d = json.loads(r.stdout)
    assert r.exit_code == 0 and d["urgency"] == "emergency" and "dark_urine" in [f["id"] for f in d["red_flags"]]
    r = run("classify", "--json", "both calves really sore two days after my first leg day, no swelling, pee is normal")
    d = json.loads(r.stdout)
    assert d["top_cause"] == "doms" and d["urgency"] == "self_care" and d["red_flags"] == []


def test_classify_human_output_puts_urgency_first():
    r = run("classify", "no swelling but my calf is rock hard after being kicked and the pain is unbearable")
    assert r.exit_code == 0
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    assert "EMERGENCY" in lines[0]
    assert "Red flags" in r.stdout and "negated" in r.stdout and "not a diagnosis" in r.stdout


def test_classify_reads_stdin():
    r = run("classify", "--json", "-", input="calf cramp at night")
    assert r.exit_code == 0 and json.loads(r.stdout)["top_cause"] == "cramp"


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_the_line_ending_of_stdin_is_not_part_of_the_text(ending):
    # `echo "..." | calfnlp classify -` sends the text and a line ending: a 5,000-character description still fits
    text = "calf cramp at night " * 250
    assert len(text) == 5000
    r = run("classify", "--json", "-", input=text + ending)
    assert r.exit_code == 0
    a = json.loads(r.stdout)
    assert all(text[s["start"]:s["end"]] == s["text"] for s in a["symptoms"])
    assert run("classify", "-", input=text + "x" + ending).exit_code == 2


@pytest.mark.parametrize("args, stdin, message", [
    (["classify", ""], None, "empty"),
    (["classify", "   "], None, "empty"),
    (["classify", "x" * 5001], None, "limit is 5000"),
    (["classify", "-"], b"\xff\xfe\xfa", "not UTF-8"),
    (["batch", "/no/such/file.jsonl"], None, "no such file"),
    (["batch", "notes.docx"], None, "cannot tell the format"),
    (["evaluate", "/no/such/gold.jsonl"], None, "no such file"),
], ids=["empty", "whitespace", "too-long", "undecodable-stdin", "missing-file", "unknown-format", "missing-gold"])
def test_bad_input_is_one_line_and_exit_2(args, stdin, message):
    r = run(*args, input=stdin)
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr + r.stdout


def test_batch_jsonl_keeps_every_line_in_order(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "text": "sore calves after leg day"}),
        json.dumps({"id": "b", "text": ""}),
        "not json",
        json.dumps({"id": "d", "text": "my pee is dark brown after spin"}),
        json.dumps({"text": "no id here, calf cramp"}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("batch", str(src), "-o", str(out))
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    assert r.exit_code == 1
    assert [x["id"] for x in rows] == ["a", "b", "3", "d", "5"]
    assert "error" in rows[1] and "error" in rows[2] and "error" not in rows[0]
    assert rows[3]["urgency"] == "emergency"


def test_batch_csv_txt_and_stdin(tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text('id,text\nx1,"calf cramp at night, eased after a minute"\nx2,can\'t put weight on it\n', encoding="utf-8")
    r = run("batch", str(csv))
    assert r.exit_code == 0
    assert [json.loads(l)["id"] for l in r.stdout.splitlines()] == ["x1", "x2"]
    txt = tmp_path / "in.txt"
    txt.write_bytes(b"sore calves\n\xff\xfe\nmy urine is dark\n")
    r = run("batch", str(txt))
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert r.exit_code == 1 and len(rows) == 3 and "not UTF-8" in rows[1]["error"]
    r = run("batch", "-", input=json.dumps({"id": 7, "text": "calf sore"}) + "\n")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == "7"


def test_explain_terminal_and_html(tmp_path):
    html = tmp_path / "explain.html"
    r = run("explain", "no fever, but I'm short of breath and my L calf is puffy", "--html", str(html))
    assert r.exit_code == 0 and "breathlessness" in r.stdout and "negated" in r.stdout
    page = html.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "fever (negated)" in page and "breathlessness (present)" in page


def test_evaluate_prints_metrics(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"text": "both calves sore two days after my first leg day", "cause": "doms", "urgency": "self_care"},
        {"text": "left calf swollen, hot and red after a long flight", "cause": "dvt", "urgency": "urgent"},
    ]) + "\n")
    out = tmp_path / "metrics.json"
    r = run("evaluate", str(gold), "--json", "-o", str(out))
    m = json.loads(r.stdout)
    assert r.exit_code == 0 and json.loads(out.read_text()) == m
    assert m["calfnlp"]["cases"] == 2 and m["calfnlp"]["top1_all"] == 100.0 and "confusion" in m["calfnlp"]
    assert {"majority", "tfidf_logreg", "findings_rules", "negation_slice"} <= set(m)
    from collections import Counter

    from calfnlp.dataset import load_splits
    from conftest import ROOT

    splits = load_splits(ROOT / "data")
    majority = Counter(r.cause for r in splits["train"] + splits["validation"]).most_common(1)[0][0]
    assert m["majority"]["top1_all"] == 50.0 * sum(majority == c for c in ("doms", "dvt"))
    r = run("evaluate", str(gold), "--no-baselines")
    assert r.exit_code == 0 and "per class" in r.stdout and "tfidf_logreg" not in r.stdout


def test_the_console_script_exits_fast_without_losing_output_or_status(tmp_path):
    """main() ends the process with os._exit after the command (no interpreter teardown): everything
    written must still arrive, to a pipe and to -o files, and the exit status must be the command's."""
    import subprocess
    import sys

    lines = [json.dumps({"id": str(i), "text": t}) for i, t in
             enumerate(["sore calves after leg day", "my calf is swollen and my urine is dark", ""] * 300)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "calfnlp"]
    piped = subprocess.run(cmd + ["batch", str(src)], capture_output=True, text=True)
    # status 1: the 300 empty lines got error records (every line is still answered, in order)
    assert piped.returncode == 1 and "300 line(s)" in piped.stderr and len(piped.stdout.splitlines()) == 900
    assert [json.loads(l)["id"] for l in piped.stdout.splitlines()] == [str(i) for i in range(900)]
    out = tmp_path / "out.jsonl"
    to_file = subprocess.run(cmd + ["batch", str(src), "-o", str(out)], capture_output=True, text=True)
    assert to_file.returncode == 1 and out.read_text(encoding="utf-8") == piped.stdout
    bad = subprocess.run(cmd + ["classify", "  "], capture_output=True, text=True)
    assert bad.returncode == 2 and "empty" in bad.stderr and "Traceback" not in bad.stderr
    ok = subprocess.run(cmd + ["classify", "--json", "calf cramp at night"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["top_cause"] == "cramp"
