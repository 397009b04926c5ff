"""The course's text data: the hand-labelled zero-shot sentences, and masking class names in descriptions."""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Mapping, Sequence

from ._checks import _check_texts

_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def text_benchmark(split: str | None = None) -> tuple[list[str], list[str]]:
    """The course's hand-labelled zero-shot sentences: ``(sentences, labels)``.

    64 sentences over 8 topics (sports, cooking, weather, travel, technology, health, music, finance),
    labelled by hand before any model saw them. ``split="dev"`` gives 2 per topic for choosing templates,
    ``split="test"`` the other 6 per topic for reporting, ``None`` all of them.
    """
    if split not in (None, "dev", "test"):
        raise ValueError(f"split must be None, 'dev' or 'test', got {split!r}.")
    with open(_RESOURCES / "zero_shot_sentences.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if split is None or r["split"] == split]
    return [r["sentence"] for r in rows], [r["label"] for r in rows]


def mask_class_names(descriptions: Mapping[str, Sequence[str]],
                     replacement: str = "this animal") -> dict[str, list[str]]:
    """Replace each class's own name (with a/an, plural) in its descriptions, so that naming it is no give-away.

    ``{"zebra": ["A zebra is a horse-like animal ..."]}`` -> ``{"zebra": ["This animal is a horse-like animal ..."]}``.
    Other classes' names stay: a zebra described as "like a horse" is exactly the hard case.
    """
    out = {}
    for name, sentences in descriptions.items():
        pattern = re.compile(rf"\b(?:(?:an?|the)\s+)?{re.escape(name)}(?:e?s)?\b", re.IGNORECASE)
        masked = []
        for s in _check_texts(sentences, f"descriptions of {name!r}"):
            t = pattern.sub(replacement, s)
            masked.append(t[0].upper() + t[1:] if t.startswith(replacement) else t)
        out[name] = masked
    return out
