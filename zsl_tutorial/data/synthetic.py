"""A deterministic simulator shaped like AwA2, for experiments that need many classes.

How the data is made (so learners can reason about it):

1. **Class attributes.** Each class gets a latent profile ``z_c ~ N(0, I_k)``;
   attribute probabilities are ``sigmoid(z_c B)`` with a random loading matrix
   ``B``, which makes attributes correlated the way real ones are ("has hooves"
   goes with "eats grass"). Values lie in [0, 1], like AwA's continuous table.
2. **Class centres.** A fixed random two-layer map turns attributes into
   features: ``h_c = tanh((a_c - mean) W1)`` then ``mu_c = h_c W2`` (non-linear,
   so a linear encoder cannot be perfect). Each class also gets its own offset
   ``class_noise * eta_c`` that no attribute explains: the part of a class you
   can only learn from its images, which is why unseen classes are harder.
3. **Samples.** ``x = softplus(mu_c + noise * eps)``: non-negative like ResNet
   features. ``n_nuisance`` extra dimensions carry pure noise.
4. **Semantic loss by construction.** Attributes listed in
   ``constant_attributes`` are 0 for every seen class but vary among unseen
   classes, so nothing trained on seen classes can learn them.

It is a simulator, not real data: use it where statistics over many classes
matter (hubness, leaderboards, the GAN), and check conclusions on real data.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .dataset import ZSLDataset, make_split

__all__ = ["make_synthetic"]


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def make_synthetic(
    n_seen: int = 40,
    n_unseen: int = 10,
    n_attributes: int = 85,
    n_features: int = 256,
    *,
    n_per_class: int = 100,
    n_nuisance: int = 0,
    noise: float = 4.0,
    class_noise: float = 1.5,
    n_latent: int = 10,
    constant_attributes: Sequence[int] | int = (),
    n_val: int | None = None,
    test_seen_fraction: float = 0.2,
    seed: int = 0,
) -> ZSLDataset:
    """Make a synthetic ZSL benchmark (defaults shaped like AwA2: 40 seen, 10 unseen, 85 attributes).

    Parameters
    ----------
    n_features : informative feature dimensions (the knob for hubness studies).
    n_nuisance : extra dimensions of pure noise.
        The defaults (noise 4.0, class_noise 1.5) were tuned so that a ridge
        encoder lands near AwA2's published picture: ZSL top-1 around 50%,
        and a strong seen-class bias in GZSL (u around 15%, s around 90%).
    noise : per-sample noise; larger makes every class harder.
    class_noise : per-class offset not explained by attributes; larger makes
        *unseen* classes harder relative to seen ones.
    constant_attributes : attribute indices (or a count, taking the first ones)
        held at 0 for all seen classes: semantic loss by construction.
    n_val : seen classes held out for validation (default: a third, as AwA's 27/13).
    """
    for name, v, lo in (("n_seen", n_seen, 2), ("n_unseen", n_unseen, 1), ("n_attributes", n_attributes, 2),
                        ("n_features", n_features, 2), ("n_per_class", n_per_class, 5), ("n_latent", n_latent, 1)):
        if not isinstance(v, (int, np.integer)) or v < lo:
            raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}.")
    if not isinstance(n_nuisance, (int, np.integer)) or n_nuisance < 0:
        raise ValueError(f"n_nuisance must be a non-negative integer, got {n_nuisance!r}.")
    if not (np.isfinite(noise) and np.isfinite(class_noise)) or noise < 0 or class_noise < 0:
        raise ValueError(f"noise and class_noise must be finite and non-negative, got {noise!r} and {class_noise!r}.")
    if isinstance(constant_attributes, (int, np.integer)):
        if constant_attributes < 0:
            raise ValueError(f"constant_attributes as a count must be >= 0, got {constant_attributes!r}.")
        constant = np.arange(int(constant_attributes))
    else:
        constant = np.unique(np.asarray(list(constant_attributes), dtype=np.int64))
    if constant.size and (constant.min() < 0 or constant.max() >= n_attributes):
        raise ValueError(f"constant_attributes must index attributes in [0, {n_attributes - 1}].")
    if constant.size >= n_attributes:
        raise ValueError("at least one attribute must stay informative.")

    rng = np.random.default_rng(seed)
    n_classes = n_seen + n_unseen
    # 1. correlated attributes in [0, 1]
    z = rng.standard_normal((n_classes, n_latent))
    B = rng.standard_normal((n_latent, n_attributes)) * 1.5
    A = 1.0 / (1.0 + np.exp(-(z @ B)))
    if constant.size:
        A[:n_seen, constant] = 0.0
        # Make the lost attributes matter: unseen classes take clear 0/1 values.
        A[n_seen:, constant] = rng.integers(0, 2, size=(n_unseen, constant.size)).astype(float)
    # 2. non-linear map to class centres, plus an unexplained class offset
    hidden = max(n_features, 64)
    W1 = rng.standard_normal((n_attributes, hidden)) * (2.0 / np.sqrt(n_attributes))
    W2 = rng.standard_normal((hidden, n_features)) * (2.0 / np.sqrt(hidden))
    mu = np.tanh((A - A.mean(axis=0)) @ W1) @ W2
    mu += class_noise * rng.standard_normal(mu.shape)
    # 3. samples
    y = np.repeat(np.arange(n_classes), n_per_class)
    X = _softplus(mu[y] + noise * rng.standard_normal((len(y), n_features)))
    if n_nuisance:
        X = np.hstack([X, _softplus(rng.standard_normal((len(y), n_nuisance)))])
    X = X.astype(np.float32)

    splits = make_split(y, np.arange(n_seen, n_classes), n_val=n_val if n_val is not None else max(1, round(n_seen / 3)),
                        test_seen_fraction=test_seen_fraction, seed=seed)
    names = [f"seen_{i:02d}" for i in range(n_seen)] + [f"unseen_{i:02d}" for i in range(n_unseen)]
    return ZSLDataset(
        X, y, names, A, splits, [f"attr_{j:02d}" for j in range(n_attributes)], name="Synthetic",
        description=(f"make_synthetic(seed={seed}): {n_seen} seen / {n_unseen} unseen classes, "
                     f"{n_attributes} attributes, {n_features}+{n_nuisance} dims"),
        extras={"constant_attributes": constant, "seed": seed},
    )
