"""What an image generator makes of one attribute vector (lesson 04): the images, the nearest class
prototypes in attribute space, and the seen-class classifier's verdict on the images."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_matrix

__all__ = ["Invention", "nearest_classes", "invent", "check_generator_and_dataset", "edited_attributes"]


@dataclass
class Invention:
    """What a generator makes of one attribute vector (see :func:`invent`).

    ``attributes`` is the vector, ``images`` the generated pictures (n, 28, 28)
    in [0, 1], ``nearest`` the class prototypes nearest to the vector in
    attribute space as ``(class name, Euclidean distance, seen?)``, nearest
    first, and ``predictions`` how many images the seen-class classifier gave
    to each class (``None`` without a classifier), most frequent first.
    """

    attributes: np.ndarray
    images: np.ndarray
    nearest: list[tuple[str, float, bool]]
    predictions: dict[str, int] | None = None

    def summary(self) -> str:
        """One line: the nearest prototype and the classifier's verdict."""
        name, dist, seen = self.nearest[0]
        text = f"nearest prototype: {name}{'' if seen else ' (unseen)'} (distance {dist:.2f})"
        if self.predictions is not None:
            n = len(self.images)
            text += "; seen-class CNN: " + ", ".join(f"{c} {k}/{n}" for c, k in self.predictions.items())
        return text


def check_generator_and_dataset(ds, gan) -> None:
    for attr in ("S", "class_names", "aux_names", "seen_classes"):
        if not hasattr(ds, attr):
            raise TypeError(f"ds must be a ZSLDataset (with S, class_names, aux_names, seen_classes); "
                            f"{type(ds).__name__} has no {attr!r}.")
    if ds.aux_names is None:
        raise ValueError("ds has no aux_names: the attribute editor needs a name for every attribute column.")
    n_aux = getattr(gan, "n_aux_in_", None)
    if n_aux is None:
        from .._deps import require

        raise require("sklearn.exceptions").NotFittedError("The image GAN is not fitted yet. Call fit(images, y, S) first.")
    if ds.S.shape[1] != n_aux:
        raise ValueError(f"ds has {ds.S.shape[1]} attributes, but the GAN was trained with {n_aux}.")


def nearest_classes(a, S, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``S`` (class prototypes) nearest to the vector ``a`` by Euclidean distance: (indices, distances)."""
    S = check_matrix(S, "S")
    a = np.asarray(a, dtype=np.float64)
    if a.shape != (S.shape[1],) or not np.isfinite(a).all():
        raise ValueError(f"a must be a finite vector of {S.shape[1]} attributes (one per column of S), "
                         f"got shape {a.shape}.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(S):
        raise ValueError(f"k must be an integer in [1, {len(S)}], got {k!r}.")
    dist = np.linalg.norm(S - a, axis=1)
    order = np.argsort(dist, kind="stable")[: int(k)]
    return order, dist[order]


def invent(gan, ds, attributes, classifier=None, *, n_images: int = 8, seed: int | None = None,
           k: int = 3) -> Invention:
    """Generate images for one attribute vector and say what it is nearest to.

    Parameters
    ----------
    gan : a fitted :class:`~zsl_tutorial.generative_images.ImageGAN`.
    ds : the dataset whose class prototypes (``ds.S``) and names are compared.
    attributes : the attribute vector (one value per ``ds.aux_names``).
    classifier : optional, with ``predict(uint8 images) -> class ids of ds`` (the seen-class
        CNN, ``animal_features(..., return_encoder=True)``); it can only answer with classes it was trained on.
    n_images, seed : how many images, and the noise seed (the same seed draws the same noise).
    k : how many nearest prototypes to report.
    """
    from ..generative_images import to_uint8

    check_generator_and_dataset(ds, gan)
    a = np.asarray(attributes, dtype=np.float64)
    idx, dist = nearest_classes(a, ds.S, k)
    seen = set(np.asarray(ds.seen_classes).tolist())
    nearest = [(ds.class_names[i], float(d), int(i) in seen) for i, d in zip(idx, dist)]
    images = gan.generate(a[None], n_images, seed=seed)[0]
    predictions = None
    if classifier is not None:
        if not callable(getattr(classifier, "predict", None)):
            raise TypeError(f"classifier must have a predict(images) method, got {type(classifier).__name__}.")
        pred = np.asarray(classifier.predict(to_uint8(images)))
        if pred.shape != (len(images),) or not np.issubdtype(pred.dtype, np.integer) \
                or pred.min() < 0 or pred.max() >= len(ds.class_names):
            raise ValueError("classifier.predict must return one class id of ds (0..n_classes-1) per image.")
        ids, counts = np.unique(pred, return_counts=True)
        order = np.argsort(-counts, kind="stable")
        predictions = {ds.class_names[ids[i]]: int(counts[i]) for i in order}
    return Invention(a, images, nearest, predictions)


def edited_attributes(ds, base: str, edits: dict[str, float]) -> np.ndarray:
    if base not in ds.class_names:
        raise ValueError(f"unknown class {base!r}; choose one of {ds.class_names}.")
    a = ds.S[ds.class_names.index(base)].astype(np.float64).copy()
    for name, value in edits.items():
        if name not in ds.aux_names:
            raise ValueError(f"unknown attribute {name!r}; the attributes are {ds.aux_names}.")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not 0 <= value <= 1:
            raise ValueError(f"attribute {name!r} must be a number in [0, 1], got {value!r}.")
        a[ds.aux_names.index(name)] = float(value)
    return a
