import subprocess
import sys

from tests.conftest import ROOT


def test_engine_imports_no_ui_and_no_torch() -> None:
    probe = "import sys, align, align.export; print(sorted(m for m in ('textual', 'rich', 'typer', 'torch', 'sentence_transformers') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
