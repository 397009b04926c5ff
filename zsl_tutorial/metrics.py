"""Evaluation metrics for (generalized) zero-shot learning.

All accuracies are *per-class* top-1 (Xian et al. 2018): the mean over classes
of each class's accuracy, so a class with 1,000 test images counts no more
than one with 50.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from ._deps import require
from ._validation import check_class_ids, check_labels, check_mask, check_matrix, check_number, check_scores

__all__ = [
    "per_class_accuracy",
    "per_sample_accuracy",
    "harmonic_mean",
    "GZSLScore",
    "gzsl_scores",
    "calibrated_predict",
    "gzsl_at",
    "BaseNovelScore",
    "base_to_novel",
    "seen_unseen_gap",
    "SeenUnseenCurve",
    "seen_unseen_curve",
    "ausuc",
    "k_occurrence",
    "hubness_skewness",
]


def _check_pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true = check_labels(y_true, name="y_true")
    y_pred = check_labels(y_pred, name="y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; pass one prediction per sample."
        )
    return y_true, y_pred


def per_class_accuracy(y_true, y_pred, classes: Sequence[int] | None = None) -> float:
    """Mean over classes of the fraction of each class's samples predicted correctly.

    ``classes`` restricts the average to those classes (e.g. the unseen ones);
    by default it is every class present in ``y_true``. A listed class with no
    test sample is an error, since its accuracy is undefined.
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    if classes is None:
        cls = np.unique(y_true)
    else:
        if classes is not None and not isinstance(classes, (str, bytes)) and np.asarray(classes).size == 0:
            raise ValueError("classes is empty: there is nothing to average over.")
        # Same checks as labels: a negative id would silently index from the end
        # and a float like 0.7 would be truncated to class 0.
        cls = check_class_ids(classes, "classes")
    # Count over the labels present (np.unique), not up to the largest label: memory stays O(n) however
    # large the ids are (a bincount up to a label of 10^12 would ask for terabytes).
    present, inverse = np.unique(y_true, return_inverse=True)
    counts = np.bincount(inverse)
    hits = np.bincount(inverse[y_true == y_pred], minlength=len(present))
    pos = np.minimum(np.searchsorted(present, cls), len(present) - 1)
    missing = cls[present[pos] != cls]
    if missing.size:
        raise ValueError(
            f"class(es) {missing[:5].tolist()} have no samples in y_true, so their accuracy is undefined."
        )
    return float(np.mean(hits[pos] / counts[pos]))


def per_sample_accuracy(y_true, y_pred) -> float:
    """Plain accuracy over samples (what per-class accuracy is compared against)."""
    y_true, y_pred = _check_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def harmonic_mean(u: float, s: float) -> float:
    """H = 2us / (u + s), and 0 when both are 0. Inputs are accuracies in [0, 1]."""
    for name, v in (("u", u), ("s", s)):
        try:
            check_number(v, name, low=0.0, high=1.0)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{name} must be an accuracy in [0, 1] (a fraction, not a percentage), got {v!r}.") from None
    return float(_harmonic(float(u), float(s)))


def _harmonic(u, s) -> np.ndarray:
    """The one formula for H, elementwise (0 where u + s = 0); the curve and the plots call it too."""
    u, s = np.asarray(u, dtype=float), np.asarray(s, dtype=float)
    total = u + s
    return np.where(total > 0, 2 * u * s / np.where(total > 0, total, 1.0), 0.0)


class GZSLScore(NamedTuple):
    """Generalized ZSL result: unseen accuracy u, seen accuracy s, harmonic mean h."""

    u: float
    s: float
    h: float

    def __str__(self) -> str:  # pragma: no cover - formatting only
        return f"u = {100 * self.u:.1f}%, s = {100 * self.s:.1f}%, H = {100 * self.h:.1f}%"


def gzsl_scores(y_true, y_pred, seen_classes: Sequence[int], unseen_classes: Sequence[int]) -> GZSLScore:
    """u, s and H for predictions made over the union of seen and unseen classes.

    u is per-class accuracy on samples of unseen classes, s on samples of seen
    classes; a sample predicted as *any* wrong class (seen or unseen) counts as
    wrong.
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    seen = check_class_ids(seen_classes, "seen_classes", allow_empty=True)
    unseen = check_class_ids(unseen_classes, "unseen_classes", allow_empty=True)
    if seen.size == 0 or unseen.size == 0:
        raise ValueError("GZSL needs at least one seen and one unseen class.")
    overlap = np.intersect1d(seen, unseen)
    if overlap.size:
        raise ValueError(f"classes {overlap[:5].tolist()} are listed as both seen and unseen.")
    is_unseen = np.isin(y_true, unseen)
    is_seen = np.isin(y_true, seen)
    if not (is_seen | is_unseen).all():
        stray = np.unique(y_true[~(is_seen | is_unseen)])
        raise ValueError(f"y_true has classes {stray[:5].tolist()} that are neither seen nor unseen.")
    if not is_unseen.any() or not is_seen.any():
        which = "unseen" if not is_unseen.any() else "seen"
        raise ValueError(
            f"y_true has no sample of any {which} class, so {which[0]} (and H) is undefined; "
            "GZSL is scored on a test set holding both seen and unseen samples."
        )
    u = per_class_accuracy(y_true[is_unseen], y_pred[is_unseen], np.unique(y_true[is_unseen]))
    s = per_class_accuracy(y_true[is_seen], y_pred[is_seen], np.unique(y_true[is_seen]))
    return GZSLScore(u, s, harmonic_mean(u, s))


def calibrated_predict(scores, seen_mask, gamma: float) -> np.ndarray:
    """Calibrated stacking (Chao et al. 2016): argmax_c of score_c - gamma * [c is seen].

    ``scores`` is (samples x candidate classes); ``seen_mask`` marks the seen
    columns. gamma > 0 penalises seen classes, gamma < 0 favours them. This is
    the course's one implementation of the calibrated argmax.
    """
    scores = check_scores(scores)
    seen_mask = check_mask(seen_mask, scores.shape[1], "seen_mask")
    gamma = check_number(gamma, "gamma")
    return np.argmax(scores - gamma * seen_mask, axis=1)


def _require_seen_and_unseen(seen_mask: np.ndarray) -> None:
    """Refuse a mask with no seen or no unseen column: there would be nothing to compare."""
    if seen_mask.all() or not seen_mask.any():
        raise ValueError("seen_mask must mark at least one seen and one unseen candidate class.")


def _check_scored(scores, y_true, seen_mask, *, need_both: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores (samples x candidates), their true columns and the seen columns' mask, checked together;
    ``need_both``: the mask must mark seen and unseen columns."""
    scores = check_scores(scores)
    seen_mask = check_mask(seen_mask, scores.shape[1], "seen_mask")
    y_true = check_labels(y_true, scores.shape[1], "y_true")
    if len(y_true) != len(scores):
        raise ValueError(f"scores has {len(scores)} rows but y_true has {len(y_true)} labels; "
                         "compute the scores on the same samples, e.g. decision_function(view.X, view.S).")
    if need_both:
        _require_seen_and_unseen(seen_mask)
    return scores, y_true, seen_mask


def gzsl_at(scores, y_true, seen_mask, gamma: float = 0.0) -> GZSLScore:
    """GZSL u, s and H of the calibrated predictions at one ``gamma`` (0: the plain argmax).

    ``scores`` is (samples x candidates), ``y_true`` holds candidate column
    indices and ``seen_mask`` marks the seen columns: exactly what a
    ``View`` from ``ds.gzsl_view()`` carries (``view.y``, ``view.seen_mask``).
    """
    scores, y_true, seen_mask = _check_scored(scores, y_true, seen_mask)
    pred = calibrated_predict(scores, seen_mask, gamma)
    return gzsl_scores(y_true, pred, np.flatnonzero(seen_mask), np.flatnonzero(~seen_mask))


class BaseNovelScore(NamedTuple):
    """CoOp's "base-to-novel" result: base and novel accuracy, each in its own label space, and their HM."""

    base: float
    novel: float
    hm: float

    def __str__(self) -> str:  # pragma: no cover - formatting only
        return f"base = {100 * self.base:.1f}%, novel = {100 * self.novel:.1f}%, HM = {100 * self.hm:.1f}%"


def base_to_novel(scores, y_true, seen_mask) -> BaseNovelScore:
    """The "base-to-novel" numbers of CoOp-style papers (Zhou et al. 2022), which are *not* GZSL.

    Seen ("base") samples are classified among the seen columns only and unseen ("novel") samples
    among the unseen columns only, so the two never compete; the harmonic mean of the two per-class
    accuracies is then reported as "HM". :func:`gzsl_at` scores the same ``scores`` with every class
    competing, which is what the GZSL H of the proposed split measures. Same inputs as :func:`gzsl_at`.
    """
    scores, y_true, seen_mask = _check_scored(scores, y_true, seen_mask, need_both=True)
    best_seen, best_unseen, _ = _best_seen_unseen(scores, seen_mask)
    is_seen = seen_mask[y_true]
    if is_seen.all() or not is_seen.any():
        which = "unseen" if is_seen.all() else "seen"
        raise ValueError(f"y_true has no sample of any {which} class; score a GZSL test view, which holds both.")
    base = per_class_accuracy(y_true[is_seen], best_seen[is_seen])
    novel = per_class_accuracy(y_true[~is_seen], best_unseen[~is_seen])
    return BaseNovelScore(base, novel, harmonic_mean(base, novel))


def seen_unseen_gap(scores, seen_mask) -> np.ndarray:
    """Best seen score minus best unseen score, per row.

    Under calibrated stacking a row goes to its best seen class while gamma is
    below this gap and to its best unseen class once gamma reaches it, so the
    gaps are exactly the gammas at which predictions flip.
    """
    scores = check_scores(scores)
    seen_mask = check_mask(seen_mask, scores.shape[1], "seen_mask")
    _require_seen_and_unseen(seen_mask)
    return _best_seen_unseen(scores, seen_mask)[2]


def _best_seen_unseen(scores: np.ndarray, seen_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(best seen column, best unseen column, their score gap) for every row of validated scores."""
    seen_cols, unseen_cols = np.flatnonzero(seen_mask), np.flatnonzero(~seen_mask)
    best_seen = seen_cols[np.argmax(scores[:, seen_cols], axis=1)]
    best_unseen = unseen_cols[np.argmax(scores[:, unseen_cols], axis=1)]
    rows = np.arange(len(scores))
    return best_seen, best_unseen, scores[rows, best_seen] - scores[rows, best_unseen]


class SeenUnseenCurve(NamedTuple):
    """Points of the seen-unseen accuracy curve, ordered by increasing gamma."""

    gammas: np.ndarray
    unseen: np.ndarray
    seen: np.ndarray
    auc: float

    @property
    def harmonic(self) -> np.ndarray:
        """H at every point of the curve."""
        return _harmonic(self.unseen, self.seen)

    def at(self, gamma: float) -> GZSLScore:
        """u, s and H with calibration ``gamma``: the curve is a step function, constant from each of its
        ``gammas`` up to the next (below the first, it keeps the first point's scores). ``-inf`` puts every
        unseen class out of the running, ``inf`` every seen one."""
        if isinstance(gamma, (float, np.floating)) and np.isinf(gamma):
            i = 0 if gamma < 0 else len(self.gammas) - 1
        else:
            i = max(int(np.searchsorted(self.gammas, check_number(gamma, "gamma"), side="right")) - 1, 0)
        return GZSLScore(float(self.unseen[i]), float(self.seen[i]), float(self.harmonic[i]))

    @property
    def best(self) -> tuple[float, GZSLScore]:
        """The gamma with the highest H on *this* data, and its scores (use on validation data).

        This is the course's one gamma rule; ``CalibratedStacking.fit`` applies it.

        ``gammas[i]`` is a breakpoint where some sample's best seen and best unseen
        scores tie after calibration, so ``calibrated_predict`` there depends on
        tie-breaking and round-off. The scores hold on the whole interval
        ``[gammas[i], gammas[i + 1])``, so we return its midpoint, where
        ``calibrated_predict`` reproduces them.
        """
        H = self.harmonic
        i = int(np.argmax(H))
        g = self.gammas
        gamma = (g[i] + g[i + 1]) / 2 if i + 1 < len(g) else g[i]
        return float(gamma), GZSLScore(float(self.unseen[i]), float(self.seen[i]), float(H[i]))


def seen_unseen_curve(scores, y_true, seen_mask) -> SeenUnseenCurve:
    """Trace the seen-unseen curve exactly, with every gamma at which a prediction flips.

    ``scores`` is (samples x candidates), ``y_true`` holds candidate column
    indices and ``seen_mask`` marks seen columns. Under calibrated stacking a
    sample's prediction depends on gamma only through
    ``delta = best seen score - best unseen score``: it is the best seen class
    while gamma < delta and the best unseen class after. So the curve is a step
    function with breakpoints at the sorted deltas, which we evaluate in one
    vectorised pass instead of a coarse grid.
    """
    scores, y_true, seen_mask = _check_scored(scores, y_true, seen_mask, need_both=True)
    best_seen, best_unseen, delta = _best_seen_unseen(scores, seen_mask)

    true_seen = seen_mask[y_true]
    if not true_seen.any() or true_seen.all():
        raise ValueError("y_true must contain samples of both seen and unseen classes.")
    # Each sample's weight in its group's per-class accuracy: 1 / (n_classes * n_in_class).
    counts = np.bincount(y_true, minlength=scores.shape[1])
    n_seen_cls = np.unique(y_true[true_seen]).size
    n_unseen_cls = np.unique(y_true[~true_seen]).size
    weight = 1.0 / counts[y_true] / np.where(true_seen, n_seen_cls, n_unseen_cls)

    # Seen samples are right while gamma < delta (if their best seen class is right);
    # unseen samples are right once gamma >= delta (if their best unseen class is right).
    seen_ok = true_seen & (best_seen == y_true)
    unseen_ok = ~true_seen & (best_unseen == y_true)
    thresholds = np.unique(delta)
    gammas = np.concatenate([[thresholds[0] - 1.0], thresholds, [thresholds[-1] + 1.0]])
    order = np.argsort(delta, kind="stable")
    d_sorted = delta[order]
    cum_seen = np.concatenate([[0.0], np.cumsum((weight * seen_ok)[order])])
    cum_unseen = np.concatenate([[0.0], np.cumsum((weight * unseen_ok)[order])])
    # For gamma: samples with delta <= gamma go unseen, the rest stay seen.
    k = np.searchsorted(d_sorted, gammas, side="right")
    acc_unseen = cum_unseen[k]
    acc_seen = cum_seen[-1] - cum_seen[k]
    # Integrate s over u with the trapezoid rule; u grows with gamma.
    auc = float(np.trapezoid(acc_seen, acc_unseen)) if hasattr(np, "trapezoid") else float(np.trapz(acc_seen, acc_unseen))
    auc = min(max(auc, 0.0), 1.0)  # summing per-class weights can overshoot 1 by an ulp; an area of a unit square cannot
    return SeenUnseenCurve(gammas, acc_unseen, acc_seen, auc)


def ausuc(scores, y_true, seen_mask) -> float:
    """Area under the seen-unseen curve, in [0, 1] (Chao et al. 2016)."""
    return seen_unseen_curve(scores, y_true, seen_mask).auc


def k_occurrence(queries, targets, k: int = 10, metric: str = "cosine") -> np.ndarray:
    """N_k: how often each target is among the k nearest targets of a query.

    In ZSL the queries are embedded test samples and the targets are class
    prototypes (or other points). A few targets with a very large N_k are
    *hubs*: they are everyone's neighbour, so they soak up predictions.
    """
    NearestNeighbors = require("sklearn.neighbors").NearestNeighbors

    queries = check_matrix(queries, "queries")
    targets = check_matrix(targets, "targets")
    if queries.shape[1] != targets.shape[1]:
        raise ValueError(
            f"queries have {queries.shape[1]} dimensions but targets have {targets.shape[1]}; "
            "embed both in the same space first."
        )
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(targets):
        raise ValueError(f"k must be an integer in [1, {len(targets)}] (the number of targets), got {k!r}.")
    if metric not in {"cosine", "euclidean"}:
        raise ValueError(f"metric must be 'cosine' or 'euclidean', got {metric!r}.")
    nn = NearestNeighbors(n_neighbors=int(k), metric=metric).fit(targets)
    idx = nn.kneighbors(queries, return_distance=False)
    return np.bincount(idx.ravel(), minlength=len(targets))


def hubness_skewness(n_k) -> float:
    """Skewness of the k-occurrence distribution (Radovanovic et al. 2010).

    0 for a symmetric distribution; large positive values mean a few hubs.
    """
    skew = require("scipy.stats").skew

    raw = np.asarray(n_k) if n_k is not None and not isinstance(n_k, (str, bytes)) else np.asarray([n_k], dtype=object)
    if raw.dtype == bool or np.iscomplexobj(raw) or raw.dtype == object or not np.issubdtype(raw.dtype, np.number):
        raise TypeError(f"n_k must hold counts (non-negative numbers), got dtype {raw.dtype}; pass the output of k_occurrence.")
    arr = raw.astype(float)
    if arr.ndim != 1 or arr.size < 3:
        raise ValueError(f"n_k must be 1-D with at least 3 counts, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError("n_k contains NaN or infinite values; pass the counts from k_occurrence.")
    if (arr < 0).any():
        raise ValueError(f"n_k holds negative values (min {arr.min():g}); k-occurrence counts are >= 0.")
    if np.all(arr == arr[0]):
        return 0.0
    return float(skew(arr))
