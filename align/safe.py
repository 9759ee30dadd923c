"""Article text made safe to show: control characters become visible symbols, one for one."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and C1 controls: any of them can start a terminal escape
# sequence. Each is replaced by one character, so offsets into the text stay valid.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def visible(text: str) -> str:
    """`text` with control characters shown as Unicode control pictures (ESC as ␛)."""
    return _CONTROL.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "␡" if code == 0x7F else "\ufffd"
