"""Train a pair model from gold files, and measure it leave-one-case-out.

Every sentence pair of every case (page furniture aside) is an example: linked in the gold or
not. The model is scikit-learn's logistic regression on standardised features, saved as plain
numbers (`align.pair_model`), so diffnews needs scikit-learn only here. Its threshold and floor
(see `match.group`) are chosen leave-one-case-out: each case is scored by a model trained on the
others, and of the settings within F1_TOLERANCE of the best F1 over all of them, the highest
threshold is kept, then the highest floor. A case of a news gold is one cluster, so that is
leave-one-cluster-out: both are chosen on clusters the model has not seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from align import Prepared
from align.evaluate import GoldCase, Score, grouped_links, score
from align.features import FEATURES
from align.model import DiffnewsError
from align.pair_model import PairModel

THRESHOLDS = tuple(round(0.10 + 0.02 * k, 2) for k in range(36))
FLOORS = (0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
F1_TOLERANCE = 0.01
REGULARISATION = 1.0  # scikit-learn's C: measured flat from 0.1 to 10 on the shared gold


def examples(case: GoldCase, prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Every eligible sentence pair of a case: its features, and whether the gold links it."""
    rows, labels = [], []
    for pair in prepared.features:
        eligible = np.outer([not s.boilerplate for s in prepared.articles[pair.x].sentences],
                            [not s.boilerplate for s in prepared.articles[pair.y].sentences])
        linked = np.zeros(eligible.shape, dtype=bool)
        for a, i, b, j in case.links:
            if (a, b) == (pair.x, pair.y):
                linked[i, j] = True
        rows.append(pair.values[eligible])
        labels.append(linked[eligible])
    return np.vstack(rows), np.concatenate(labels)


def fit(cases: Sequence[GoldCase], prepared: Sequence[Prepared], encoder: str, threshold: float = 0.5) -> PairModel:
    """A logistic regression over the examples of all `cases`."""
    from sklearn.linear_model import LogisticRegression

    found = [examples(c, p) for c, p in zip(cases, prepared)]
    rows, labels = np.vstack([r for r, _ in found]), np.concatenate([y for _, y in found])
    if labels.all() or not labels.any():
        raise DiffnewsError("the gold needs both linked and unlinked sentence pairs to train on")
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=REGULARISATION, max_iter=5000).fit((rows - mean) / scale, labels)
    return PairModel(encoder=encoder, features=FEATURES, mean=_rounded(mean), scale=_rounded(scale),
                     weights=_rounded(regression.coef_[0]), bias=round(float(regression.intercept_[0]), 6),
                     threshold=threshold)


def held_out(cases: Sequence[GoldCase], prepared: Sequence[Prepared], encoder: str,
             progress: Callable[[int, int], None] | None = None) -> list[Prepared]:
    """Each case scored by a model fitted on all the other cases (its threshold not yet chosen)."""
    if len(cases) < 2:
        raise DiffnewsError("leave-one-out needs at least two cases")
    scored = []
    for k, (case, mine) in enumerate(zip(cases, prepared)):
        others = [c for c in range(len(cases)) if c != k]
        model = fit([cases[c] for c in others], [prepared[c] for c in others], encoder)
        scored.append(replace(mine, pair_scores=model.rescore(mine.features, mine.pair_scores)))
        if progress:
            progress(k + 1, len(cases))
    return scored


def totals(cases: Sequence[GoldCase], scored: Sequence[Prepared]) -> dict[tuple[float, float], Score]:
    """The micro scores of already scored cases at every (threshold, floor) of THRESHOLDS x FLOORS."""
    found = {}
    for floor in FLOORS:
        at_floor = [replace(p, floor=floor) for p in scored]
        for t in THRESHOLDS:
            found[(t, floor)] = sum((score(c.links, grouped_links(p, t)) for c, p in zip(cases, at_floor)),
                                    Score(0, 0, 0))
    return found


def best_setting(curve: dict[tuple[float, float], Score]) -> tuple[float, float]:
    """Of the (threshold, floor) settings within F1_TOLERANCE of the best F1, the highest threshold,
    then the highest floor: where F1 is flat, fewer and surer links serve a reader better."""
    best = max(s.f1 for s in curve.values())
    return max(setting for setting, s in curve.items() if s.f1 >= best - F1_TOLERANCE)


def train(cases: Sequence[GoldCase], prepared: Sequence[Prepared], encoder: str, sources: Sequence[Path],
          progress: Callable[[int, int], None] | None = None) -> PairModel:
    """A model fitted on every case, with the threshold and floor chosen leave-one-case-out, and
    the held-out figures at them."""
    curve = totals(cases, held_out(cases, prepared, encoder, progress))
    threshold, floor = best_setting(curve)
    at = curve[(threshold, floor)]
    model = fit(cases, prepared, encoder, threshold)
    trained_on = tuple({"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
                       for path in sources)
    return replace(model, floor=floor, trained_on=trained_on,
                   loco={"cases": len(cases), "links": at.gold, "precision": round(at.precision, 4),
                         "recall": round(at.recall, 4), "f1": round(at.f1, 4)})


def loco(cases: Sequence[GoldCase], prepared: Sequence[Prepared], encoder: str,
         progress: Callable[[int, int], None] | None = None,
         scored: Sequence[Prepared] | None = None) -> list[tuple[Prepared, float]]:
    """Each case scored by a model `train` made from all the other cases, with that model's
    threshold (and floor): nothing about a case, its threshold included, is learned from it.
    The models learn from `prepared` and score `scored` (the same cases, their vectors made
    another way: int8 vectors scored by models trained on float ones), or `prepared` itself."""
    if len(cases) < 3:
        raise DiffnewsError("leave-one-out with a threshold chosen on the rest needs at least three cases")
    found = []
    for k, mine in enumerate(scored or prepared):
        others = [c for c in range(len(cases)) if c != k]
        model = train([cases[c] for c in others], [prepared[c] for c in others], encoder, [])
        found.append((replace(mine, pair_scores=model.rescore(mine.features, mine.pair_scores), floor=model.floor),
                      model.threshold))
        if progress:
            progress(k + 1, len(cases))
    return found


def _rounded(values: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(v), 6) for v in values)
