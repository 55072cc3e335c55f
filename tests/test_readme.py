"""Every Python example in the README runs, and the Quick start block holds exactly two commands."""
import re

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_python_examples_run(code, capsys):
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    if "calfnlp.classify(" in code:
        assert "emergency rhabdo ['dark_urine']" in out


def test_quick_start_has_two_commands():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S).group(1)
    lines = [l for l in block.splitlines() if l.strip()]
    assert len(lines) == 2
    assert 'calfnlp classify "my calf is swollen and my urine is dark"' in lines[0]
    assert "pytest" in lines[1] and ".[test]" in lines[1]
