"""Failures and interruptions lose nothing: the output file is the old one or a whole new one."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def start(out: Path, cache: Path, limit_file_size: int | None = None,
          articles: list[str] = SEEDS) -> subprocess.Popen[str]:
    def limits() -> None:
        if limit_file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    env = dict(os.environ, DIFFNEWS_CACHE_DIR=str(cache))
    return subprocess.Popen([sys.executable, "-m", "tui", *articles, "-f", "json", "-o", str(out)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=limits)


def test_ctrl_c_exits_130_with_one_line_and_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "alignment.json"
    out.write_text("old")
    many = []  # 5,000 new sentences: encoding them takes longer than the wait below
    (tmp_path / "articles").mkdir()
    for k in range(50):
        lines = [f"Report {k}, line {i}: the committee met on day {i % 28 + 1} and voted {i * 7 % 100} to {i % 50}."
                 for i in range(100)]
        many.append(str(tmp_path / "articles" / f"{k}.txt"))
        Path(many[-1]).write_text("\n\n".join(lines), encoding="utf-8")
    process = start(out, tmp_path / "cold-cache", articles=many)
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["diffnews: interrupted"]
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["alignment.json"]


def test_ctrl_c_where_python_cannot_raise_it_still_stops_with_one_line() -> None:
    # The interrupt can land in a callback of the import machinery, where Python prints
    # "Exception ignored ... KeyboardInterrupt" with a traceback and carries on; a finaliser is
    # such a place that can be reached on purpose.
    script = (
        "import sys\n"
        "from tui import cli\n"
        "cli._interrupted.set()\n"
        "sys.unraisablehook = cli._on_unraisable\n"
        "class Finaliser:\n"
        "    def __del__(self):\n"
        "        raise KeyboardInterrupt\n"
        "Finaliser()\n"
        "print('carried on')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 130
    assert result.stderr.strip().splitlines() == ["diffnews: interrupted"]
    assert "carried on" not in result.stdout


def test_a_write_failing_midway_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "alignment.json"
    out.write_text("old")
    process = start(out, tmp_path / "cache", limit_file_size=20_000)  # the JSON is ~120 kB
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    assert stderr.strip().splitlines()[-1].startswith(f"diffnews: error: {out}: cannot write")
    assert "Traceback" not in stderr
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["alignment.json"]


def test_killing_at_any_moment_leaves_old_or_whole_output(tmp_path: Path) -> None:
    out = tmp_path / "alignment.json"
    cache = tmp_path / "cache"
    out.write_text("old")
    done = start(out, cache)  # fill the cache: later runs spend their time exporting and writing
    assert done.wait(timeout=300) == 0
    out.write_text("old")
    for delay in (0.05, 0.2, 0.35, 0.5, 0.8):
        process = start(out, cache)
        time.sleep(delay)
        process.kill()
        process.wait()
        text = out.read_text()
        assert text == "old" or json.loads(text)["schema"] == "diffnews/1"
