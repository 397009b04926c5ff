"""Sentence embeddings: texts to unit-length vectors, class descriptions to one vector per class, and a cache."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from . import disk_cache
from .hub import BUNDLED_SOURCE, DEFAULT_TEXT_MODEL, announce, load_sentence_model

_EMBEDDING_CACHE: dict[tuple[str, str], dict[str, np.ndarray]] = {}
_EMBEDDING_CACHE_SIZE = 20_000


def embed_texts(
    texts: Sequence[str] | str,
    model: str = DEFAULT_TEXT_MODEL,
    *,
    normalize: bool = True,
    device: str | None = None,
    batch_size: int = 32,
    verbose: bool = True,
    cache: bool = True,
) -> np.ndarray:
    """Embed sentences into a (n_texts x dim) float array, unit-length rows by default.

    With ``cache`` (the default), the bundled MiniLM's vectors are kept on disk and read back on the
    next call with the same texts and settings, checked against their recorded hash
    (:mod:`~zsl_tutorial.text.disk_cache`): then no model is loaded at all.
    """
    if isinstance(texts, str):
        texts = [texts]
    texts = list(texts)
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ValueError("texts must be a non-empty list of non-empty strings.")
    ident = disk_cache.identity(model, device=device) if cache else None
    if ident is not None:
        kept = disk_cache.read(ident, texts, normalize=normalize, batch_size=batch_size)
        if kept is not None:
            announce(BUNDLED_SOURCE, verbose)  # the same model's vectors: the same line as a load prints
            return kept
    st, _ = load_sentence_model(model, device=device, verbose=verbose)
    emb = np.asarray(st.encode(texts, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=normalize,
                               show_progress_bar=False), dtype=np.float64)
    if ident is not None:
        disk_cache.write(ident, texts, emb, normalize=normalize, batch_size=batch_size)
    return emb


def embed_class_descriptions(descriptions: dict[str, Sequence[str]], class_names: Sequence[str], **kwargs) -> np.ndarray:
    """One auxiliary vector per class: the normalised mean embedding of its sentences.

    Averaging several sentences smooths out the wording of any single one.
    """
    missing = [c for c in class_names if not descriptions.get(c)]
    if missing:
        raise ValueError(f"no description for class(es) {missing[:5]}; give at least one sentence each.")
    sentences = [list(descriptions[c]) for c in class_names]
    emb = embed_texts([t for group in sentences for t in group], **kwargs)  # one call: one model pass, one cache file
    ends = np.cumsum([len(group) for group in sentences])
    E = np.stack([part.mean(axis=0) for part in np.split(emb, ends[:-1])])
    return E / np.linalg.norm(E, axis=1, keepdims=True)



def _cached_embeddings(texts: list[str], model: str, device: str) -> np.ndarray:
    """``embed_texts(texts)``, each text embedded once per model and device (at most
    ``_EMBEDDING_CACHE_SIZE`` texts are kept; then the cache starts again)."""
    cache = _EMBEDDING_CACHE.setdefault((model, device), {})
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    if missing:
        if len(cache) + len(missing) > _EMBEDDING_CACHE_SIZE:
            cache.clear()
        cache.update(zip(missing, embed_texts(missing, model, device=device, verbose=False)))
    return np.stack([cache[t] for t in texts])
