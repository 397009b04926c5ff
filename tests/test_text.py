"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (no network)."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.text import embed_class_descriptions, embed_texts

pytestmark = pytest.mark.slow


def test_embeddings_are_unit_rows_and_say_what_was_used(capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    E = embed_texts(["a zebra has stripes", "a bird has wings"])
    assert E.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-6)


def test_meaning_is_captured():
    E = embed_texts(["A zebra is a horse with black and white stripes.", "A horse has hooves and a mane.",
                     "A small bird with wings and a beak."])
    assert E[0] @ E[1] > E[0] @ E[2]


def test_class_descriptions_are_averaged_and_normalised():
    S = embed_class_descriptions({"a": ["one cat", "a small cat"], "b": ["a big truck"]}, ["a", "b"])
    assert S.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(S, axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("bad", [[], [""], ["ok", 3]])
def test_bad_texts_are_refused(bad):
    with pytest.raises(ValueError, match="non-empty"):
        embed_texts(bad)


def test_missing_description_is_named():
    with pytest.raises(ValueError, match="no description for class"):
        embed_class_descriptions({"a": ["x"]}, ["a", "b"])
