"""Input checks shared by the text helpers: texts, candidate labels and hypothesis templates."""
from __future__ import annotations

from typing import Sequence


def _check_texts(texts: Sequence[str] | str, name: str = "texts") -> list[str]:
    if isinstance(texts, str):
        texts = [texts]
    if texts is None or not hasattr(texts, "__iter__"):
        raise TypeError(f"{name} must be a string or a list of strings, got {type(texts).__name__}.")
    texts = list(texts)
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ValueError(f"{name} must be a non-empty list of non-empty strings.")
    return texts


def _check_labels(labels: Sequence[str] | str) -> list[str]:
    labels = _check_texts(labels, "labels")
    dup = sorted({l for l in labels if labels.count(l) > 1})
    if dup:
        raise ValueError(f"labels must be distinct; repeated: {dup}.")
    return labels


def _check_template(template: str) -> str:
    if not isinstance(template, str) or template.count("{}") != 1:
        raise ValueError(f"hypothesis_template must contain exactly one '{{}}' for the label, got {template!r}.")
    return template
