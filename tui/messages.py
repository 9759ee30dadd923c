"""Messages shared by the app's worker and its widgets."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from align import Prepared
from align.model import Alignment
from align.review import Resolved


@dataclass
class AlignmentProgress(Message):
    """The background alignment moved on: `stage` is 'load' or 'embed'."""

    stage: str
    done: int
    total: int


@dataclass
class AlignmentReady(Message):
    prepared: Prepared
    alignment: Alignment
    resolved: Resolved


@dataclass
class AlignmentFailed(Message):
    error: str
