"""Zero-shot classification through transformers' pipelines (lesson 06).

- :func:`zero_shot_text` wraps ``transformers.pipeline("zero-shot-classification")`` (NLI, bart-large-mnli);
- :func:`zero_shot_image` wraps ``pipeline("zero-shot-image-classification")`` (CLIP);
- :func:`nli_pairs` shows the (premise, hypothesis) pairs the NLI model scores.

Both return a :class:`ZeroShotResult`. The models come through :mod:`zsl_tutorial.text.hub`, which
raises :class:`~zsl_tutorial.text.hub.ModelUnavailableError` quickly when offline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .._deps import require
from ._checks import _check_labels, _check_template, _check_texts
from .hub import CLIP_MODEL, NLI_MODEL, _load_pipeline


@dataclass
class ZeroShotResult:
    """Scores of each input against each candidate label.

    ``scores[i, j]`` is the score of ``inputs[i]`` for ``labels[j]``, in the order the labels were given
    (the pipelines themselves return each input's labels sorted by score).
    """

    inputs: list
    labels: list[str]
    scores: np.ndarray
    hypotheses: list[str]
    source: str
    multi_label: bool = False

    @property
    def predictions(self) -> list[str]:
        """The best label of each input."""
        return [self.labels[j] for j in np.argmax(self.scores, axis=1)]

    def top(self, i: int = 0, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` best (label, score) pairs of input ``i``."""
        order = np.argsort(-self.scores[i], kind="stable")[:k]
        return [(self.labels[j], float(self.scores[i, j])) for j in order]

    def table(self, k: int | None = None, width: int = 60) -> str:
        """A plain-text table: each input, then its labels from best to worst."""
        k = len(self.labels) if k is None else k
        lines = []
        for i, item in enumerate(self.inputs):
            name = item if isinstance(item, str) else f"image {i}"
            name = name if len(name) <= width else name[: width - 1] + "…"
            lines.append(f"{name}\n    " + "  ".join(f"{lab} {s:.2f}" for lab, s in self.top(i, k)))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def nli_pairs(texts: Sequence[str] | str, labels: Sequence[str], hypothesis_template: str = "This example is {}."):
    """The (premise, hypothesis) pairs that the NLI zero-shot pipeline scores, one per text and label.

    The same pairs, in the same order, as transformers' own ``ZeroShotClassificationArgumentHandler``
    builds (``tests/test_text_zero_shot.py`` compares the two), written out here because importing
    transformers' pipelines to build a list costs seconds.
    """
    texts, labels = _check_texts(texts), _check_labels(labels)
    _check_template(hypothesis_template)
    return [(text, hypothesis_template.format(label)) for text in texts for label in labels]


def zero_shot_text(
    texts: Sequence[str] | str,
    labels: Sequence[str],
    *,
    model: str = NLI_MODEL,
    hypothesis_template: str = "This example is {}.",
    multi_label: bool = False,
    device: str | None = None,
    timeout: float = 3.0,
) -> ZeroShotResult:
    """Classify texts into labels they were never trained on, with ``pipeline("zero-shot-classification")``.

    Each label becomes a hypothesis (``hypothesis_template.format(label)``) and an NLI model scores whether
    the text entails it (Yin et al. 2019). ``multi_label=False``: a softmax of the entailment logits over
    the labels (scores sum to 1). ``multi_label=True``: each label judged alone, entailment against
    contradiction (scores in [0, 1] that need not sum to 1).

    Raises :class:`ModelUnavailableError` within about ``timeout`` seconds when the model is neither cached
    nor downloadable (offline), with a message that says what to do.
    """
    texts, labels = _check_texts(texts), _check_labels(labels)
    _check_template(hypothesis_template)
    if not isinstance(multi_label, bool):
        raise TypeError(f"multi_label must be True or False, got {multi_label!r}.")
    pipe, source = _load_pipeline("zero-shot-classification", model, device, timeout, "text classification (NLI)")
    out = pipe(texts, candidate_labels=labels, hypothesis_template=hypothesis_template, multi_label=multi_label)
    if isinstance(out, dict):
        out = [out]
    scores = np.array([[dict(zip(o["labels"], o["scores"]))[lab] for lab in labels] for o in out], dtype=np.float64)
    return ZeroShotResult(texts, labels, scores, [hypothesis_template.format(l) for l in labels], source, multi_label)


def as_rgb_image(image: Any, size: int | None = 224, *, invert: bool = False):
    """A PIL RGB image from a PIL image or an array (H x W grey, or H x W x 3), upscaled to ``size`` x ``size``.

    uint8 arrays are taken as 0..255, float arrays as 0..1. ``invert=True`` turns white-on-black
    silhouettes (Animal-MNIST) into dark shapes on white, closer to the photos CLIP was trained on.
    """
    from PIL import Image, ImageOps

    if isinstance(image, Image.Image):
        img = image.convert("RGB")
    else:
        arr = np.asarray(image)
        if arr.ndim == 3 and arr.shape[-1] == 1:
            arr = arr[..., 0]
        if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[-1] != 3):
            raise ValueError(f"an image must be H x W or H x W x 3, got shape {arr.shape}.")
        if arr.dtype == np.uint8:
            pass
        elif np.issubdtype(arr.dtype, np.floating):
            if arr.size and (np.nanmin(arr) < 0 or np.nanmax(arr) > 1):
                raise ValueError("float images must lie in [0, 1]; pass uint8 for 0..255.")
            arr = np.round(arr * 255).astype(np.uint8)
        else:
            raise TypeError(f"images must be uint8 (0..255) or float (0..1), got dtype {arr.dtype}.")
        img = Image.fromarray(arr).convert("RGB")
    if invert:
        img = ImageOps.invert(img)
    if size is not None:
        if not isinstance(size, int) or size < 1:
            raise ValueError(f"size must be a positive integer or None, got {size!r}.")
        img = img.resize((size, size), Image.BICUBIC)
    return img


def _image_list(images: Any) -> list:
    from PIL import Image

    if isinstance(images, Image.Image):
        return [images]
    if isinstance(images, np.ndarray):
        if images.ndim == 2 or (images.ndim == 3 and images.shape[-1] in (1, 3)):
            return [images]
        if images.ndim in (3, 4):
            return list(images)
        raise ValueError("images must be one image, a stack (n x H x W or n x H x W x 3) or a list; "
                         f"got shape {images.shape}.")
    if isinstance(images, (list, tuple)) and images:
        return list(images)
    raise TypeError("images must be a PIL image, an array, or a non-empty list of them.")


def zero_shot_image(
    images: Any,
    labels: Sequence[str],
    *,
    model: str = CLIP_MODEL,
    hypothesis_template: str = "This is a photo of {}.",
    device: str | None = None,
    timeout: float = 3.0,
    size: int | None = 224,
    invert: bool = False,
) -> ZeroShotResult:
    """Classify images with ``pipeline("zero-shot-image-classification")`` (CLIP, Radford et al. 2021).

    Each label becomes a caption (``hypothesis_template.format(label)``); CLIP embeds images and captions in
    one space and the scores are a softmax over the captions' similarities. Images may be PIL images or
    uint8 arrays (grey 28 x 28 Animal-MNIST digits are made RGB and upscaled; see :func:`as_rgb_image`).

    Raises :class:`ModelUnavailableError` within about ``timeout`` seconds when the model is unavailable.
    """
    labels = _check_labels(labels)
    _check_template(hypothesis_template)
    pil = [as_rgb_image(im, size=size, invert=invert) for im in _image_list(images)]
    pipe, source = _load_pipeline("zero-shot-image-classification", model, device, timeout,
                                  "image classification (CLIP)")
    out = pipe(pil, candidate_labels=labels, hypothesis_template=hypothesis_template)
    if out and isinstance(out[0], dict):  # a single image gives one flat list
        out = [out]
    scores = np.array([[{d["label"]: d["score"] for d in o}[lab] for lab in labels] for o in out], dtype=np.float64)
    return ZeroShotResult(pil, labels, scores, [hypothesis_template.format(l) for l in labels], source, False)
