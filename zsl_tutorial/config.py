"""Course-wide settings: where data lives, fast mode, seeds, and the compute device.

The environment switches themselves are read in :mod:`zsl_tutorial.switches`.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np

from . import switches
from ._deps import require
from ._seeding import apply_pending_torch_seed, seed_torch, seed_torch_now_or_later

# seed_torch and apply_pending_torch_seed live in _seeding (so _deps need not import this
# module); they are imported here so that config.seed_torch keeps working.

__all__ = ["data_dir", "fast_mode", "set_seed", "pick", "default_device", "DeviceUnavailableError", "DEVICE_ENV"]

_APP_NAME = "zsl-tutorial"


def data_dir(create: bool = True) -> Path:
    """The download and cache folder: ``$ZSL_DATA_DIR``, else a per-user cache dir.

    Never the git tree, so a clone stays small and a fresh clone re-uses the cache.
    """
    env = switches.data_dir_override()
    if env:
        path = Path(env).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_cache_dir(_APP_NAME))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def fast_mode() -> bool:
    """True under ``ZSL_FAST=1``: the same code with fewer epochs and samples (used by CI).

    ``ZSL_FAST`` takes the yes/no values of :mod:`zsl_tutorial.switches`; anything else is a ``ValueError``.
    """
    return switches.fast()


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``epochs = pick(30, 3)``."""
    return fast if fast_mode() else full


def set_seed(seed: int = 0) -> np.random.Generator:
    """Seed Python, NumPy and PyTorch; return a NumPy Generator.

    This is the course's one seeding helper. Torch is seeded at once when it is
    already imported; otherwise the seed is remembered and applied when the
    package first imports torch (see ``_deps.require``), so calling this never
    pays torch's import cost and torch code run later is still seeded.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    seed_torch_now_or_later(seed)
    return np.random.default_rng(seed)


def limit_threads(n: int = 1, *, torch: bool = True) -> None:
    """Use ``n`` CPU threads in every BLAS/OpenMP pool (NumPy, SciPy, scikit-learn) and in torch.

    Why: the course's models are small, so one thread is about as fast as many, and on
    shared CPUs (Binder, Colab, CI, a busy laptop) extra threads mostly wait for each
    other: 10-40x slow-downs were measured on a loaded 2-core machine. SciPy and
    scikit-learn are imported first, so the limit also reaches the BLAS they bundle.
    ``torch=False`` leaves torch alone (and does not import it).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer number of threads, got {n!r}.")
    require("scipy.linalg")
    require("sklearn.linear_model")
    require("threadpoolctl").threadpool_limits(int(n))
    if torch:
        require("torch").set_num_threads(int(n))


#: Environment variable that sets the device used when none is given (e.g. ``ZSL_DEVICE=cpu`` on a GPU machine).
DEVICE_ENV = switches.DEVICE_ENV

_DEVICE_RE = re.compile(r"^(cpu|cuda|mps)(?::(\d+))?$")
_DEVICE_FORMS = "None or 'auto' (CUDA when available, else CPU), 'cpu', 'cuda', 'cuda:<index>' or 'mps'"


class DeviceUnavailableError(RuntimeError):
    """A device was asked for by name, but this machine (or this torch build) does not have it."""


def _cuda_fix(requested: str, source: str, why: str) -> str:
    where = (f"unset {DEVICE_ENV} or set it to 'cpu'" if source != "device"
             else "pass device='cpu' (or device=None / 'auto', which uses CUDA only when it is there)")
    return (
        f"{source}={requested!r} asks for CUDA, but {why}. Fix: {where}; on Colab choose Runtime > "
        "Change runtime type > GPU and restart the session; locally, install a CUDA build of PyTorch "
        "(https://pytorch.org/get-started/locally/) and check that `nvidia-smi` sees the GPU."
    )


def default_device(device=None) -> str:
    """Resolve a device name for torch: an explicit one is checked and wins, else CUDA when available, else CPU.

    ``None`` or ``"auto"`` read ``$ZSL_DEVICE`` when it is set, and otherwise pick
    ``"cuda"`` if ``torch.cuda.is_available()``, else ``"cpu"``. Explicit names
    (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``, any case, or a ``torch.device``)
    are validated *here*, so a typo raises ``ValueError`` and a missing GPU raises
    :class:`DeviceUnavailableError` (a ``RuntimeError``) that says how to fix it,
    instead of a deep torch traceback in the middle of training.
    """
    source = "device"
    if device is None or (isinstance(device, str) and device.strip().lower() == "auto"):
        env = switches.device_override()
        if not env or env.lower() == "auto":
            torch = require("torch")
            return "cuda" if torch.cuda.is_available() else "cpu"
        device, source = env, f"${DEVICE_ENV}"
    if type(device).__name__ == "device" and type(device).__module__.startswith("torch"):
        device = str(device)  # a torch.device: check it like its name
    if not isinstance(device, str):
        raise TypeError(f"device must be a string such as 'cpu' or 'cuda', a torch.device or None; "
                        f"got {type(device).__name__} {device!r}.")
    name = device.strip().lower()
    match = _DEVICE_RE.match(name)
    if match is None:
        hint = " (torch calls a GPU 'cuda')" if name in {"gpu", "nvidia", "cuda0"} or name.startswith("gpu") else ""
        raise ValueError(f"{source}={device!r} is not a device name{hint}; use {_DEVICE_FORMS}.")
    kind, index = match.group(1), match.group(2)
    if kind == "cpu":
        return name
    torch = require("torch")

    if kind == "cuda":
        if not torch.cuda.is_available():
            why = ("this PyTorch build has no CUDA support (torch.version.cuda is None)"
                   if getattr(torch.version, "cuda", None) is None
                   else "torch.cuda.is_available() is False: no NVIDIA GPU or driver is visible")
            raise DeviceUnavailableError(_cuda_fix(device, source, why))
        if index is not None:
            count = torch.cuda.device_count()
            if int(index) >= count:
                raise DeviceUnavailableError(_cuda_fix(device, source, f"only {count} CUDA device(s) exist "
                                                               f"(indices 0 to {count - 1})"))
        return name
    mps = getattr(torch.backends, "mps", None)
    if mps is None or not mps.is_available():
        raise DeviceUnavailableError(
            f"{source}={device!r} (Apple's Metal GPU) was requested, but torch.backends.mps.is_available() is False "
            "on this machine. Fix: use 'cpu', or None / 'auto'.")
    return name
