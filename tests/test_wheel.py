"""Build a wheel, install it into a fresh virtual environment and classify from outside the repo."""
import json
import subprocess
import sys
import sysconfig

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_classifies(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("calfnlp-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # dependencies come from this environment (no network needed); calfnlp itself only from the wheel
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    # after installing, so pip cannot mistake this environment's calfnlp for the wheel's
    with open(f"{purelib}/zz_deps.pth", "w") as fh:
        fh.write(sysconfig.get_paths()["purelib"] + "\n")
    out = subprocess.run([str(venv / "bin" / "calfnlp"), "classify", "--json", "my calf is swollen and my urine is dark"],
                         capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    d = json.loads(out)
    assert d["urgency"] == "emergency" and d["top_cause"] == "rhabdo" and "model_error" not in d
    where = subprocess.run([str(py), "-c", "import calfnlp; print(calfnlp.__file__)"], capture_output=True, text=True,
                           check=True, cwd=tmp_path).stdout
    assert str(venv) in where
