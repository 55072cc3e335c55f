"""Red flags gained and lost on the training corpus between a git revision and the working tree.

    python scripts/flag_changes.py [REV]      (default REV: HEAD)

A safety review aid: rules written against a handful of new sentences can fire on ordinary ones. Every
description in data/corpus is classified by REV's package (exported with `git archive` to a temporary folder
and imported from there in a child process) and by the working tree's, and each description whose red flags
differ is printed with its gold urgency, the urgency before and after, and the flags before and after. The
team's own data only: never point this at ../shared/eval.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import glob, json, sys
import calfnlp
assert calfnlp.__file__.startswith(sys.argv[2]), calfnlp.__file__
out = {}
for p in sorted(glob.glob(sys.argv[1] + "/*.jsonl")):
    for line in open(p, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            a = calfnlp.classify(r["text"])
            out[r["text"]] = [r.get("urgency"), a.urgency, sorted(f.id for f in a.red_flags)]
json.dump(out, sys.stdout)
"""


def flags_with(package_root: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(package_root))
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "data" / "corpus"), str(package_root)], env=env,
                          cwd=tempfile.gettempdir(),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "nlp", "models"], capture_output=True,
                             check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        # the installed layout: models/ is the package calfnlp.models (pyproject.toml's package-dir)
        (Path(tmp) / "models").rename(Path(tmp) / "nlp" / "calfnlp" / "models")
        before = flags_with(Path(tmp) / "nlp")
    after = flags_with(ROOT / "nlp")
    changed = [t for t in after if before.get(t, [None, None, []])[2] != after[t][2]]
    for t in changed:
        gold, was, now = after[t][0], before[t][1], after[t][1]
        print(f"gold {gold}: {was} {before[t][2]} -> {now} {after[t][2]}\n  {t[:300]}\n")
    gained = sum(bool(set(after[t][2]) - set(before[t][2])) for t in changed)
    lost = sum(bool(set(before[t][2]) - set(after[t][2])) for t in changed)
    print(f"{len(after)} descriptions; red flags differ on {len(changed)} ({gained} gain a flag, {lost} lose one) "
          f"between {rev} and the working tree")


if __name__ == "__main__":
    main()
