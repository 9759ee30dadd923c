"""The pair model: a logistic regression over `features.FEATURES` that gives each sentence pair
the probability that a careful reader links them ("the same statement").

It is a small JSON file: the features it expects, how to standardise them, the weights, the
threshold and the floor (how weak a link may be inside a statement, as a share of the
threshold) chosen leave-one-cluster-out when it was trained, and what it was trained on.
`diffnews train` writes one; `align/pair_model.json` is the one diffnews ships, trained on the
shared independent gold (see the README for the command that rebuilds it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from align.features import FEATURES, PairFeatures
from align.match import PairScores
from align.model import DiffnewsError

FORMAT = 1
SHIPPED = Path(__file__).with_name("pair_model.json")


@dataclass(frozen=True)
class PairModel:
    encoder: str  # the sentence-embedding model whose cosines it was trained on
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float  # the probability at which two sentences align, chosen leave-one-cluster-out
    floor: float = 1.0  # every two members of a group score at least floor x threshold (see match.group)
    trained_on: tuple[dict[str, Any], ...] = ()  # each gold file: name, cases, links, sha256
    loco: dict[str, float] = field(default_factory=dict)  # precision, recall, f1 of the held-out clusters

    def probabilities(self, pair: PairFeatures) -> np.ndarray:
        """The link probability of every sentence pair of one article pair."""
        z = (pair.values - np.asarray(self.mean, dtype=np.float32)) / np.asarray(self.scale, dtype=np.float32)
        logit = z @ np.asarray(self.weights, dtype=np.float32) + np.float32(self.bias)
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float32)

    def rescore(self, features: tuple[PairFeatures, ...], pair_scores: tuple[PairScores, ...]) -> tuple[PairScores, ...]:
        """`pair_scores` with their score replaced by this model's probability (cosine and lexical kept)."""
        return tuple(replace(s, score=self.probabilities(f)) for f, s in zip(features, pair_scores))

    def to_json(self) -> str:
        """The model as JSON text (written with `export.write_atomic`)."""
        return json.dumps({"format": FORMAT, **asdict(self)}, indent=1) + "\n"


def load(path: Path) -> PairModel:
    """A pair model from its JSON file; a DiffnewsError names what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DiffnewsError(f"{path}: cannot read the pair model ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DiffnewsError(f"{path}: not a pair model (not JSON)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DiffnewsError(f"{path}: not a pair model of format {FORMAT}")
    try:
        model = PairModel(
            encoder=str(data["encoder"]), features=tuple(data["features"]),
            mean=tuple(float(v) for v in data["mean"]), scale=tuple(float(v) for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]), bias=float(data["bias"]),
            threshold=float(data["threshold"]), floor=float(data.get("floor", 1.0)),
            trained_on=tuple(data.get("trained_on", ())),
            loco={k: float(v) for k, v in data.get("loco", {}).items()})
    except (KeyError, TypeError, ValueError) as error:
        raise DiffnewsError(f"{path}: a pair model needs {error}") from None
    if not 0.0 < model.floor <= 1.0:
        raise DiffnewsError(f"{path}: a pair model's floor is a share of its threshold, above 0 and at most 1")
    if model.features != FEATURES or not len(model.mean) == len(model.scale) == len(model.weights) == len(FEATURES):
        raise DiffnewsError(f"{path}: the pair model's features are not this diffnews's ({', '.join(FEATURES)})")
    return model


@cache
def shipped() -> PairModel:
    """The pair model diffnews ships."""
    return load(SHIPPED)
