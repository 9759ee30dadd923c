"""The README and docs/ stay true: every option and key is documented, every shell example runs,
and every figure in a table with a command next to it is what that command prints."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tests.conftest import ROOT
from tui.app import DiffApp
from tui.batch_command import batch_app
from tui.cli import app, eval_app
from tui.gold_command import gold_app
from tui.train_command import train_app
from tui.widgets.help_screen import KEYS

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)
SHARED = ROOT.parent / "shared"
COMMANDS = {"diffnews": app, "diffnews eval": eval_app, "diffnews train": train_app, "diffnews gold": gold_app,
            "diffnews batch": batch_app}


def _examples() -> list[tuple[str, str]]:
    """Every ```sh block, as one script, unless it is marked `<!-- not run: why -->`."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in re.finditer(r"(<!-- not run: [^>]+ -->\n)?```sh\n(.*?)```", text, re.S):
            if not block.group(1):
                found.append((page.name, block.group(2)))
    return found


def _figures() -> list[tuple[str, list[float], str]]:
    """Table rows that give precision, recall and F1 next to the `diffnews eval` command that measures them."""
    rows = []
    for line in TEXT.splitlines():
        command = re.search(r"`(diffnews eval [^`]+)`", line)
        if line.startswith("|") and command:
            numbers = [float(n) for n in re.findall(r"\|\s*\**(\d\.\d{3})\**\s*(?=\|)", line)]
            rows.append((line.split("|")[1].strip(), numbers[:3], command.group(1)))
    return rows


def _in_a_copy(tmp_path: Path, command: str, json_out: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a documented command as a user would, in a folder laid out like a checkout beside ../shared."""
    checkout = tmp_path / "main"
    checkout.mkdir(exist_ok=True)
    for name in ("seeds", "tests"):
        if not (checkout / name).exists():
            (checkout / name).symlink_to(ROOT / name)
    if SHARED.exists() and not (tmp_path / "shared").exists():
        (tmp_path / "shared").symlink_to(SHARED)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    script = "set -euo pipefail\n" + command + (" --json" if json_out else "")
    return subprocess.run(["bash", "-c", script], cwd=checkout, env=env, capture_output=True, text=True, timeout=900)


def test_every_option_of_every_command_is_documented() -> None:
    for name, command in COMMANDS.items():
        for param in typer.main.get_command(command).params:
            for flag in param.opts:
                if flag.startswith("--") and flag != "--help":
                    assert f"`{flag}" in TEXT or f", {flag}`" in TEXT or f"[{flag}" in TEXT, f"{name} {flag}"


def test_every_command_explains_itself() -> None:
    for name in COMMANDS:
        result = subprocess.run([sys.executable, "-m", "tui", *name.split()[1:], "--help"], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "Usage:" in result.stdout, name
        assert f"`{name}" in TEXT, name


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and re.fullmatch(r"diffnews \d+\.\d+\.\d+\n", result.stdout)


def test_every_key_is_documented_and_in_the_help() -> None:
    helped = " ".join(key for key, _ in KEYS)
    for binding in DiffApp.BINDINGS:
        for key in binding.key.split(","):
            shown = {"slash": "/", "plus": "+", "minus": "-", "question_mark": "?", "down": "↓", "up": "↑",
                     "right_square_bracket": "]", "left_square_bracket": "["}.get(key, key)
            if key == "escape":
                continue  # closes the search box, documented with `/`
            if key.isdigit():  # documented as the range `1` … `9`
                assert "`1` … `9`" in TEXT and "1 … 9" in helped, key
                continue
            assert re.search(rf"`{re.escape(shown)}`", TEXT), key
            assert shown in helped, key


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the checkout")
@pytest.mark.parametrize("page, script", _examples())
def test_every_shell_example_runs(tmp_path: Path, page: str, script: str) -> None:
    result = _in_a_copy(tmp_path, script)
    assert result.returncode == 0, f"{page}: {script}\n{result.stderr}"
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the checkout")
@pytest.mark.parametrize("label, figures, command", _figures())
def test_every_figure_is_what_its_command_prints(tmp_path: Path, label: str, figures: list[float], command: str) -> None:
    result = _in_a_copy(tmp_path, command, json_out=True)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    keys = ("precision", "recall", "f1") if "f1" in measured else ("divergence_precision", "divergence_recall")
    assert [measured[k] for k in keys] == pytest.approx(figures[: len(keys)], abs=0.001), label
