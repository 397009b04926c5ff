"""The one torch training loop behind the package's models, and chunked inference.

``CNNEncoder``, ``DeepEncoder``, ``CLSWGAN`` (its softmax classifiers and its
WGAN) and ``ImageGAN`` all train the same way: build the networks under a seed,
then for every epoch draw shuffled minibatches, take one optimisation step per
batch, record the losses and update a progress bar. This module holds that loop
once; each model only writes its ``step``:

    gen = torch.Generator().manual_seed(seed)     # batch order: its own generator
    model = build_seeded(lambda: make_net(), seed, device=dev)

    def step(idx):                                # one batch of sample indices
        loss = F.cross_entropy(model(X[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"loss": float(loss.detach())}     # what to record

    history = train_epochs(step, epochs=10, n=len(X), batch_size=64, generator=gen,
                           device=dev, weight="samples", desc="my model", progress=True)
    history["loss"]                                # one mean per epoch

torch is imported inside the functions (through ``_deps.require``), so importing
this module stays light.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Mapping, Sequence, TypeVar

import numpy as np

from ._deps import require
from ._validation import check_int

if TYPE_CHECKING:  # annotations only: importing torch here would make the package import heavy
    import torch

__all__ = ["TrainingDiverged", "check_finite_weights", "adam", "torch_device", "build_seeded", "shuffled_batches", "train_epochs", "fit_cross_entropy",
           "predict_in_chunks", "portable_convolutions"]

T = TypeVar("T")


def torch_device(device: Any = None) -> "torch.device":
    """``config.default_device(device)`` as a ``torch.device`` (None: CUDA when available, else CPU)."""
    torch = require("torch")
    from .config import default_device

    return torch.device(default_device(device))


def adam(params: Any, lr: float, **kwargs: Any) -> "torch.optim.Adam":
    """The one Adam of the package, with ``foreach=True``: the multi-tensor update. On the CPU, where
    PyTorch's default is the per-tensor loop, it gave bit-identical results about 25% faster on
    f-CLSWGAN (CUDA picks it by default anyway)."""
    torch = require("torch")
    return torch.optim.Adam(params, lr=lr, foreach=True, **kwargs)


@contextmanager
def portable_convolutions(device: Any) -> Iterator[None]:
    """On the CPU, run convolutions with PyTorch's own kernels instead of oneDNN's, inside the block.

    Why: oneDNN picks its convolution kernels by the CPU's instruction set, and an AVX2 and an
    AVX-512 machine then differ in the last digits, which training amplifies: the same seed gave
    another CNN, and other Animal-MNIST numbers in every lesson, on another machine. PyTorch's
    kernels gave the same bits whether oneDNN was limited to AVX2 or not, and whether ATen ran
    its AVX2 or AVX-512 code (``ONEDNN_MAX_CPU_ISA``, ``ATEN_CPU_CAPABILITY``; measured on the course
    CNN), for about 20% more time on that CNN. On CUDA (or MPS) nothing changes.
    """
    torch = require("torch")
    if torch.device(device).type != "cpu":
        yield
        return
    # Set the switch itself: torch.backends.mkldnn.flags() also resets TF32 and warns about Intel GPUs.
    before = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = before


def build_seeded(build: Callable[[], T], seed: int | None, device: Any = None) -> T:
    """Call ``build()`` (which creates one module or a tuple of modules) with torch seeded by ``seed``.

    The caller's global torch RNG is left as it was (``torch.random.fork_rng``),
    so fitting a model never changes what the learner's next ``torch.randn``
    returns. Only the CPU RNG is forked: the weights are created on the CPU and
    then moved to ``device`` (None: left where they are), so the same seed
    gives the same initial weights on every device. ``seed=None`` does not
    reseed (for networks whose weights are overwritten at once, e.g. by
    ``load_state_dict``).
    """
    torch = require("torch")

    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(int(seed))
        built = build()
    if device is None:
        return built
    if isinstance(built, tuple):
        return tuple(m.to(device) for m in built)  # type: ignore[return-value]
    return built.to(device)


def shuffled_batches(n: int, batch_size: int, generator: "torch.Generator", *, device: Any = None,
                     min_size: int = 1) -> list["torch.Tensor"]:
    """One epoch of minibatches: a permutation of ``range(n)`` drawn from ``generator``, cut into
    ``batch_size`` pieces (the last may be smaller; pieces under ``min_size`` are dropped).

    The permutation comes from the model's own generator, never the global RNG,
    so the batch order depends on the seed alone. It is drawn on the CPU (the
    same order on every device) and each batch is then moved to ``device``.
    """
    torch = require("torch")

    batches = [b for b in torch.randperm(n, generator=generator).split(batch_size) if len(b) >= min_size]
    return batches if device is None else [b.to(device) for b in batches]


class TrainingDiverged(FloatingPointError):
    """A training loop whose loss became NaN or infinite; the message names what to change."""


def check_finite_weights(module: Any, desc: str, if_diverged: str) -> None:
    """Raise :class:`TrainingDiverged` when a trained module holds a NaN or infinite weight (one check at the
    end, for loops that record no loss)."""
    torch = require("torch")
    if not all(bool(torch.isfinite(p).all()) for p in module.parameters()):
        raise TrainingDiverged(f"{desc} diverged: its weights hold NaN or infinite values. Fix: {if_diverged}.")


def train_epochs(
    step: Callable[[Any], Mapping[str, float | Sequence[float]]],
    *,
    epochs: int,
    n: int | None = None,
    batch_size: int | None = None,
    generator: "torch.Generator | None" = None,
    device: Any = None,
    min_batch: int = 1,
    steps_per_epoch: int | None = None,
    weight: Literal["samples", "batches"] = "batches",
    desc: str = "training",
    progress: bool = True,
    postfix: Callable[[dict[str, float]], Mapping[str, str]] | None = None,
    on_epoch_end: Callable[[int], None] | None = None,
    if_diverged: str = "lower the learning rate (lr)",
) -> dict[str, list[float]]:
    """Run ``epochs`` epochs of ``step`` calls; return the loss history, one mean per epoch and key.

    Batches: by default every epoch calls ``step(idx)`` once per batch of
    :func:`shuffled_batches` (``n``, ``batch_size``, ``generator``, ``device``,
    ``min_batch``), so each sample is used once per epoch. With
    ``steps_per_epoch`` the loop calls ``step(None)`` that many times instead,
    for a step that draws its own data (the WGAN samples its batches with
    replacement, several per step).

    Losses: ``step`` returns a dict of floats to record (an empty dict records
    nothing). A list of floats adds each value in turn, for a step that makes
    several updates (the WGAN's critic steps). The epoch mean divides the sum by
    the number of steps (``weight="batches"``), or weights every value by its
    batch's size and divides by the samples seen (``weight="samples"``: the
    mean loss per sample, whatever the size of the last batch).

    Progress: a tqdm bar over epochs (``tqdm.auto``: a widget in notebooks),
    hidden when ``progress`` is False and removed when done (``leave=False``),
    so a notebook's stored output stays clean. ``postfix(means)`` may return
    the labels to show after each epoch, e.g. ``{"loss": "0.123"}``.
    ``on_epoch_end(epochs_done)`` runs after every epoch (f-CLSWGAN keeps snapshots there).

    Divergence: an epoch whose mean loss is NaN or infinite raises :class:`TrainingDiverged`, whose
    message ends with ``if_diverged`` (what to change), instead of returning a model that scores NaN.
    """
    epochs = check_int(epochs, "epochs", 1)
    if weight not in ("samples", "batches"):
        raise ValueError(f"weight must be 'samples' or 'batches', got {weight!r}.")
    if steps_per_epoch is None:
        if n is None or batch_size is None or generator is None:
            raise TypeError("train_epochs needs n, batch_size and generator to draw minibatches "
                            "(or steps_per_epoch, for a step that draws its own data).")
        n, batch_size = check_int(n, "n", 1), check_int(batch_size, "batch_size", 1)
    else:
        steps_per_epoch = check_int(steps_per_epoch, "steps_per_epoch", 1)
        if weight == "samples":
            raise ValueError("weight='samples' needs minibatches of known size; with steps_per_epoch use 'batches'.")
    tqdm = require("tqdm.auto").tqdm

    history: dict[str, list[float]] = {}
    bar = tqdm(range(epochs), desc=desc, disable=not progress, leave=False)
    for epoch in bar:
        if steps_per_epoch is None:
            batches: Sequence[Any] = shuffled_batches(n, batch_size, generator, device=device, min_size=min_batch)
        else:
            batches = [None] * steps_per_epoch
        sums: dict[str, float] = {}
        count = 0
        for idx in batches:
            w = len(idx) if weight == "samples" else 1
            for key, value in step(idx).items():
                total = sums.get(key, 0.0)
                # Python floats, added in batch order: the same sums as the loops this replaced.
                for v in (value if isinstance(value, (list, tuple)) else (value,)):
                    total += float(v) * w
                sums[key] = total
            count += w
        means = {k: s / count if count else float("nan") for k, s in sums.items()}
        bad = [k for k, m in means.items() if count and not np.isfinite(m)]
        if bad:
            bar.close()
            raise TrainingDiverged(f"{desc} diverged in epoch {epoch + 1} of {epochs}: the mean {bad[0]} is "
                                   f"{means[bad[0]]}. Fix: {if_diverged}.")
        for k, m in means.items():
            history.setdefault(k, []).append(m)
        if postfix is not None and means:
            bar.set_postfix(postfix(means))
        if on_epoch_end is not None:
            on_epoch_end(epoch + 1)
    bar.close()
    return history


def fit_cross_entropy(logits: Callable[[Any], "torch.Tensor"], y: "torch.Tensor", optimiser: Any, *, epochs: int,
                      batch_size: int, generator: "torch.Generator", device: Any = None, desc: str = "training",
                      progress: bool = True, record: bool = True,
                      if_diverged: str = "lower the learning rate (lr)") -> list[float]:
    """Minimise the cross-entropy of ``logits(batch_indices)`` against ``y[batch_indices]`` with ``optimiser``,
    over shuffled minibatches; return the mean loss per sample of every epoch (empty with ``record=False``).

    The supervised loop of the CNN encoder, the deep encoder and f-CLSWGAN's softmax classifiers.
    ``record=False`` skips reading the loss back, which would synchronise a GPU at every step.
    """
    F = require("torch.nn.functional")

    def step(idx):
        loss = F.cross_entropy(logits(idx), y[idx])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        return {"loss": float(loss.detach())} if record else {}

    history = train_epochs(step, epochs=epochs, n=len(y), batch_size=batch_size, generator=generator, device=device,
                           weight="samples", desc=desc, progress=progress, if_diverged=if_diverged,
                           postfix=(lambda m: {"loss": f"{m['loss']:.3f}"}) if record else None)
    return history.get("loss", [])


def predict_in_chunks(fn: Callable[[np.ndarray], "torch.Tensor"], X: np.ndarray, chunk_size: int,
                      *, dtype: Any = None) -> np.ndarray:
    """``fn`` applied to ``X[i:i + chunk_size]`` for every chunk, without gradients; the outputs
    concatenated as one numpy array (cast to ``dtype`` if given).

    Chunks bound the memory of large test sets (the activations of one chunk at a
    time). ``fn`` takes a numpy slice and returns a tensor on any device. It is
    called once per chunk, in order, so a ``fn`` that draws noise from a
    generator is reproducible; the chunk size then matters, though, since torch
    draws ``randn(n)`` differently for small and large ``n``.
    """
    torch = require("torch")

    chunk_size = check_int(chunk_size, "chunk_size", 1)
    out = []
    with torch.no_grad():
        for start in range(0, max(len(X), 1), chunk_size):  # max: an empty X still gives fn's output shape
            out.append(fn(X[start:start + chunk_size]).detach().cpu().numpy())
    result = np.concatenate(out)
    return result if dtype is None else result.astype(dtype)
