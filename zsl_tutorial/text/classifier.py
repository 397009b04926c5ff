"""Offline zero-shot text classification by similarity in a sentence-embedding space."""
from __future__ import annotations

import warnings
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from .._params import ParamsMixin, not_fitted_error
from ..metrics import per_class_accuracy
from ._checks import _check_labels, _check_template, _check_texts
from . import disk_cache
from .embeddings import _cached_embeddings
from .hub import _ANNOUNCED, BUNDLED_SOURCE, DEFAULT_TEXT_MODEL, load_sentence_model, resolve_device


class LabelEmbeddings(NamedTuple):
    """Candidate labels in one embedding space: ``classes`` (in the order given), the sentences
    behind each label, and their unit-length mean embeddings (n_labels x dim)."""

    classes: np.ndarray
    hypotheses: dict
    embeddings: np.ndarray


class EmbeddingZeroShotClassifier(ParamsMixin):
    """Zero-shot text classification by similarity in a sentence-embedding space, fully offline.

    As in transformers' ``pipeline("zero-shot-classification")``, the candidate labels come at
    call time: ``predict(texts, labels)``. Each label becomes one hypothesis
    (``hypothesis_template.format(label)``), or, given a mapping ``{label: description or
    [descriptions]}``, the mean embedding of the label's descriptions. A text goes to the label
    with the highest cosine similarity: the same idea as Approach 1, where images and class
    descriptions meet in one shared space. ``fit()`` only loads the sentence model: nothing is
    learned, which is what makes it zero-shot.

    Parameters
    ----------
    model : sentence-transformers model; the default, all-MiniLM-L6-v2, runs from the bundled offline copy.
    hypothesis_template : how a bare label becomes a sentence, with one ``{}``.
    temperature : softmax temperature of :meth:`predict_proba` (cosines lie in [-1, 1], so small values).
    device : None picks CUDA when available, else CPU.
    verbose : print, once per model and device, which model runs.
    """

    def __init__(self, model: str = DEFAULT_TEXT_MODEL, *, hypothesis_template: str = "This example is {}.",
                 temperature: float = 0.05, device: str | None = None, verbose: bool = True) -> None:
        self.model = model
        self.hypothesis_template = hypothesis_template
        self.temperature = temperature
        self.device = device
        self.verbose = verbose

    def fit(self, texts: Any = None, y: Any = None) -> "EmbeddingZeroShotClassifier":
        """Find and load the sentence model (``texts`` and ``y`` are ignored: nothing is learned).

        The bundled MiniLM on the CPU loads later, at the first text whose vector the on-disk cache
        (:mod:`~zsl_tutorial.text.disk_cache`) does not hold: a lesson run again loads no model at all.

        The older form ``fit(labels)`` (a list of labels or a mapping label -> descriptions,
        without ``y``) still works for one version, with a ``DeprecationWarning``: those labels
        become the default of ``labels`` in the other methods.
        """
        _check_template(self.hypothesis_template)
        if isinstance(self.temperature, bool) or not isinstance(self.temperature, (int, float)) \
                or not self.temperature > 0:
            raise ValueError(f"temperature must be a positive number, got {self.temperature!r}.")
        old_form = texts is not None and y is None
        if old_form:
            warnings.warn("EmbeddingZeroShotClassifier.fit(labels) is deprecated; call fit() and pass the labels at "
                          "call time: predict(texts, labels), as transformers' zero-shot pipelines do.",
                          DeprecationWarning, stacklevel=2)
            self._check_label_input(texts)
        self.device_ = resolve_device(self.device)
        if disk_cache.identity(self.model, device=self.device_) is not None:
            self.source_ = BUNDLED_SOURCE
        else:
            _, self.source_ = load_sentence_model(self.model, device=self.device_, verbose=False)
        message = f"Zero-shot by embedding similarity: {self.source_} on {self.device_}"
        if self.verbose and message not in _ANNOUNCED:
            print(message)
            _ANNOUNCED.add(message)
        if old_form:
            self.default_labels_ = self.embed_labels(texts)
            # The attributes of the older API, for code written against it.
            self.classes_, self.hypotheses_, self.label_embeddings_ = self.default_labels_
        return self

    @staticmethod
    def _check_label_input(labels: Any) -> None:
        if labels is None or (not isinstance(labels, (str, Mapping)) and hasattr(labels, "__len__") and len(labels) == 0):
            raise ValueError("labels must be a non-empty list of distinct strings (or a mapping label -> descriptions).")

    def embed_labels(self, labels: Sequence[str] | Mapping[str, Sequence[str] | str]) -> LabelEmbeddings:
        """Embed candidate labels (a list) or label descriptions (a mapping label -> sentence(s))."""
        self._check_fitted()
        self._check_label_input(labels)
        if isinstance(labels, Mapping):
            names = _check_labels(list(labels))
            sentences = {name: _check_texts(labels[name], f"descriptions of {name!r}") for name in names}
        else:
            names = _check_labels(labels)
            sentences = {name: [self.hypothesis_template.format(name)] for name in names}
        flat = [t for name in names for t in sentences[name]]
        V = self._embed(flat)  # one encoder call for all labels, then the mean of each label's sentences
        bounds = np.cumsum([0] + [len(sentences[name]) for name in names])
        E = np.stack([V[a:b].mean(axis=0) for a, b in zip(bounds[:-1], bounds[1:])])
        return LabelEmbeddings(np.array(names, dtype=object), sentences, E / np.linalg.norm(E, axis=1, keepdims=True))

    def _labels(self, labels: Any) -> LabelEmbeddings:
        self._check_fitted()
        if labels is not None:
            return self.embed_labels(labels)
        if hasattr(self, "default_labels_"):
            return self.default_labels_
        raise TypeError("labels is missing: pass the candidate labels, e.g. predict(texts, ['sports', 'music']) "
                        "(or a mapping label -> descriptions).")

    def _embed(self, texts: list[str]) -> np.ndarray:
        # Texts are embedded once per model and device: comparing templates re-uses the sentences' vectors.
        return _cached_embeddings(texts, self.model, self.device_)

    def _check_fitted(self) -> None:
        if not hasattr(self, "device_"):
            raise not_fitted_error(self, "fit() (it loads the sentence model) before embedding or predicting")

    def transform(self, texts: Sequence[str] | str) -> np.ndarray:
        """Unit-length embeddings of the texts (n_texts x dim), in the same space as the label embeddings."""
        self._check_fitted()
        return self._embed(_check_texts(texts))

    def decision_function(self, texts: Sequence[str] | str, labels: Any = None) -> np.ndarray:
        """Cosine similarity of each text to each label (n_texts x n_labels), columns in the labels' order."""
        return self._cosines(texts, self._labels(labels))

    def _cosines(self, texts: Sequence[str] | str, cand: LabelEmbeddings) -> np.ndarray:
        return self.transform(texts) @ cand.embeddings.T

    def predict_proba(self, texts: Sequence[str] | str, labels: Any = None) -> np.ndarray:
        """Softmax of the cosines divided by ``temperature``: rows sum to 1."""
        z = self.decision_function(texts, labels) / self.temperature
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str] | str, labels: Any = None) -> np.ndarray:
        """The most similar label of each text."""
        cand = self._labels(labels)
        return cand.classes[np.argmax(self._cosines(texts, cand), axis=1)]

    def score(self, texts: Sequence[str] | str, y: Sequence[str], labels: Any = None) -> float:
        """Per-class top-1 accuracy of :meth:`predict` against the true labels ``y`` (as every ``score``
        of the package); ``metrics.per_sample_accuracy`` gives the plain fraction of texts right."""
        texts = _check_texts(texts)
        cand = self._labels(labels)
        y = np.asarray(list(y), dtype=object)
        if len(y) != len(texts):
            raise ValueError(f"y has {len(y)} labels for {len(texts)} texts.")
        unknown = sorted(set(y) - set(cand.classes))
        if unknown:
            raise ValueError(f"y contains labels that are not among the candidate labels: {unknown[:5]}.")
        index = {c: i for i, c in enumerate(cand.classes)}
        pred = np.argmax(self._cosines(texts, cand), axis=1)
        return per_class_accuracy(np.array([index[c] for c in y]), pred)
