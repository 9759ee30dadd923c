import subprocess
import sys

from tests.conftest import ROOT


def test_engine_is_strictly_typed() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "align"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
