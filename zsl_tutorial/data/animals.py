"""Animal-MNIST: 10,000 real 28x28 animal images in 10 classes, with our attribute table.

The images come from the MIT-licensed PyPI package ``animal-mnist==0.4``. Its
install would pull in tensorflow, so we never install it: we fetch the wheel
with ``pip download --no-deps``, check the pinned sha256 of the two data files
inside, read their pickles with an unpickler that admits numpy arrays and
nothing else, and cache the result as a plain ``.npz``.

The cache's content is pinned too (:data:`_CACHE_SHA256`, which follows from the pinned files) and
checked on every read, so a damaged or altered cache (zeroed images, shuffled labels) is rebuilt from
the wheel with a one-line notice instead of loading. One process at a time fetches the wheel or
writes the cache (a lock next to each); the others wait, then read the result.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import pickle
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import switches
from .._locks import cache_lock
from .._npzcache import CacheDamaged, read_npz, write_npz
from ..config import data_dir
from .archives import CORRUPT_ERRORS
from .dataset import ZSLDataset, make_split

__all__ = [
    "ANIMAL_CLASSES",
    "DEFAULT_UNSEEN",
    "load_animals",
    "animal_attributes",
    "animal_descriptions",
    "fetch_animal_mnist",
    "restricted_loads",
    "UnsafePickleError",
]

#: Label order of the package (labels 0-9).
ANIMAL_CLASSES = ("bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra")
#: The default unseen classes. The zebra is the course's running example
#: ("a horse with stripes"); cat and giraffe make the unseen set less trivial.
DEFAULT_UNSEEN = ("cat", "giraffe", "zebra")
#: Seen classes held out as pseudo-unseen for hyper-parameter tuning.
DEFAULT_VAL = ("dog", "sheep")

_PACKAGE = "animal-mnist==0.4"
_WHEEL = "animal_mnist-0.4-py3-none-any.whl"
_WHEEL_SHA256 = "aeebf3d9de4552d6fd2d5701424e1a5b9020f8e5115d68df9db252f2f53ce2ce"
# The files we actually read are pinned, so a rebuilt wheel with the same data still verifies.
_MEMBERS = {
    "images": ("animal_mnist/data/Animal_MNIST/animal_data_version_3.gz",
               "68a30346781a0984f839463a4615d2decb899d1ce65091bb92586311754a34ce"),
    "labels": ("animal_mnist/data/Animal_MNIST/animal_label_version_3.gz",
               "dec8dba7c469830989fbab46825021a08a38470753a512f27ada847eced97b57"),
}
_CACHE_NAME = "animal_mnist_v0.4.npz"
#: ``content_sha256`` of the cache's arrays: images (10000, 28, 28) uint8 and labels (10000,) int64, as
#: read from the pinned files above. A cache that does not match is rebuilt.
_CACHE_SHA256 = "b3ecf6fca2e4a6d4291355e68105c24a9020ce1ee2e01de410583ed0dceff377"
_CACHE_BYTES = 10000 * 28 * 28 + 10000 * 8
_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


class UnsafePickleError(pickle.UnpicklingError):
    """Raised when a pickle asks for anything beyond a plain numpy array."""


def _latin1_encode(text, encoding="utf-8"):
    """``_codecs.encode`` restricted to latin-1: how protocol 2 stores ``bytes`` (the array buffer)."""
    if not isinstance(text, str) or str(encoding).lower().replace("_", "-") not in {"latin1", "latin-1"}:
        raise UnsafePickleError("refusing _codecs.encode with anything but a str and latin-1 in a pickle.")
    return text.encode("latin-1")


def _numpy_pickle_callables() -> dict[str, object]:
    """numpy's own array-rebuilding callables, taken from what numpy itself pickles.

    Asking numpy (rather than importing ``numpy._core``, which numpy < 2 lacks)
    works on every numpy version: protocols 2-4 rebuild with ``_reconstruct``,
    protocol 5 with ``_frombuffer``.
    """
    probe = np.arange(2, dtype=np.uint8)
    return {"_reconstruct": probe.__reduce__()[0], "_frombuffer": probe.__reduce_ex__(5)[0]}


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Admit exactly the globals numpy needs to rebuild an ndarray, nothing else.

    A pickle can name any importable callable (``os.system``, ...) and the
    default unpickler would call it. Ours resolves only numpy's array
    reconstruction (either numpy module path, protocols 2-5), ``numpy.ndarray``,
    ``numpy.dtype`` and a latin-1-only ``_codecs.encode`` (protocol 2's bytes).
    """

    _ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) not in self._ALLOWED:
            raise UnsafePickleError(
                f"refusing to load {module}.{name} from a pickle: only numpy arrays are accepted "
                "(the file may be corrupt or malicious)."
            )
        if module == "_codecs":
            return _latin1_encode
        if name in ("_reconstruct", "_frombuffer"):
            return _numpy_pickle_callables()[name]
        return getattr(np, name)


def restricted_loads(data: bytes) -> np.ndarray:
    """Unpickle ``data`` if and only if it is a numpy array."""
    obj = _ArrayOnlyUnpickler(io.BytesIO(data)).load()
    if not isinstance(obj, np.ndarray):
        raise UnsafePickleError(f"expected a numpy array in the pickle, got {type(obj).__name__}.")
    return obj


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_animal_mnist(dest: Path | None = None, *, quiet: bool = True) -> Path:
    """Download the ``animal-mnist`` wheel with ``pip download --no-deps`` and return its path.

    pip handles mirrors, proxies and certificates the same way as any other
    install on this machine, and ``--no-deps`` keeps tensorflow out. In offline
    mode (``ZSL_OFFLINE`` or ``HF_HUB_OFFLINE``) pip is not run: the same error
    says where to put a copy of the wheel. One process at a time runs pip for
    a given ``dest``; another waits, then finds the wheel.
    """
    dest = Path(dest) if dest is not None else data_dir() / "wheels"
    dest.mkdir(parents=True, exist_ok=True)
    wheel = dest / _WHEEL
    if wheel.exists():
        return wheel
    reason = switches.offline_reason()
    if reason:  # pip download is network access too
        raise _fetch_error(f"{reason} is set, so pip was not run", wheel)
    with cache_lock(dest, what="the Animal-MNIST wheel"):
        if wheel.exists():  # another process fetched it while this one waited
            return wheel
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--only-binary=:all:", "-d", str(dest), _PACKAGE]
        if quiet:
            cmd.insert(4, "-q")
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:  # pip missing or hanging network
            raise _fetch_error(str(exc), wheel) from exc
        if result.returncode != 0 or not wheel.exists():
            raise _fetch_error(((result.stderr or result.stdout).strip().splitlines()[-1:] or [""])[0], wheel)
    return wheel


def _fetch_error(detail: str, wheel: Path) -> OSError:
    """Why the wheel could not be fetched, and how to put a copy in place by hand."""
    return OSError(
        f"Could not download the Animal-MNIST images ({_PACKAGE}) from PyPI: {detail}\n"
        f"Offline? On a machine with internet run\n    pip download --no-deps {_PACKAGE} -d <folder>\n"
        f"and copy {_WHEEL} to {wheel}. (Do not `pip install` it: it would pull in tensorflow.)"
    )


def _read_wheel(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read and verify the two data files inside the wheel."""
    arrays = {}
    try:
        with zipfile.ZipFile(wheel) as zf:
            for key, (member, digest) in _MEMBERS.items():
                try:
                    raw = zf.read(member)
                except KeyError:
                    raise OSError(f"{wheel} does not contain {member}; it is not the animal-mnist 0.4 wheel.") from None
                if _sha256(raw) != digest:
                    raise OSError(
                        f"{member} inside {wheel} has sha256 {_sha256(raw)[:16]}..., expected {digest[:16]}...: "
                        "the download is corrupt or was tampered with. Delete the wheel and try again."
                    )
                arrays[key] = restricted_loads(gzip.decompress(raw))
    except CORRUPT_ERRORS as exc:  # not a zip, a bad CRC, a broken deflate stream...
        raise OSError(f"{wheel} is not a valid wheel ({type(exc).__name__}: {exc}); delete it and try again.") from exc
    images, labels = arrays["images"], np.asarray(arrays["labels"]).astype(np.int64).ravel()
    if images.shape != (10000, 28, 28) or images.dtype != np.uint8 or labels.shape != (10000,):
        raise OSError(f"unexpected Animal-MNIST arrays: images {images.shape} {images.dtype}, labels {labels.shape}.")
    return images, labels


def _read_cache(cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """The cached images and labels, checked against the pinned hash; :class:`CacheDamaged` otherwise."""
    arrays = read_npz(cache, ("images", "labels"), max_bytes=_CACHE_BYTES, sha256=_CACHE_SHA256)
    return arrays["images"], arrays["labels"]


def _load_images(cache_dir: Path | None = None, *, verbose: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Images and labels, from the verified .npz cache or (first time, or when damaged) from the wheel."""
    cache_dir = Path(cache_dir) if cache_dir is not None else data_dir()
    cache = cache_dir / _CACHE_NAME
    try:
        return _read_cache(cache)  # no lock needed: the file only ever changes by an atomic rename
    except (FileNotFoundError, CacheDamaged):
        pass
    with cache_lock(cache, what="the Animal-MNIST cache"):
        problem = None
        try:
            return _read_cache(cache)  # another process may have rebuilt it while this one waited
        except FileNotFoundError:
            pass
        except CacheDamaged as exc:
            problem = str(exc)
            _notice(f"Cached Animal-MNIST at {cache} is damaged; rebuilding it from the wheel ({problem}).", verbose)
            cache.unlink(missing_ok=True)
        if verbose:
            print(f"Fetching Animal-MNIST ({_PACKAGE}) once; it will be cached in {cache_dir}.")
        try:
            wheel = fetch_animal_mnist(cache_dir / "wheels")
            try:
                images, labels = _read_wheel(wheel)
            except OSError:
                wheel.unlink(missing_ok=True)  # so the next call downloads a fresh copy
                raise
        except OSError as exc:
            if problem is None:
                raise
            raise OSError(f"The cached Animal-MNIST at {cache} was damaged ({problem}) and could not be rebuilt. "
                          f"{exc}") from exc
        write_npz(cache, {"images": images, "labels": labels})
    return images, labels


def _notice(message: str, verbose: bool) -> None:
    """One line about a rebuilt cache: printed with the rest of the narration, else a warning."""
    if verbose:
        print(message)
    else:
        warnings.warn(message, RuntimeWarning, stacklevel=4)  # the caller of load_animals


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(_RESOURCES / name, newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if not row[next(iter(row))].startswith("#")]


def animal_attributes() -> tuple[np.ndarray, list[str], list[str]]:
    """The authored class x attribute table: (matrix in [0, 1], class names, attribute names)."""
    rows = _read_csv("animal_attributes.csv")
    attrs = [k for k in rows[0] if k != "class"]
    classes = [r["class"] for r in rows]
    if tuple(classes) != ANIMAL_CLASSES:
        raise ValueError(f"animal_attributes.csv must list the classes in label order {ANIMAL_CLASSES}.")
    A = np.array([[float(r[a]) for a in attrs] for r in rows])
    return A, classes, attrs


def animal_descriptions() -> dict[str, list[str]]:
    """A few plain-English sentences per class, for text-embedding auxiliary information."""
    out: dict[str, list[str]] = {c: [] for c in ANIMAL_CLASSES}
    for row in _read_csv("animal_descriptions.csv"):
        out[row["class"]].append(row["sentence"])
    return out


def load_animals(
    unseen: Sequence[str] = DEFAULT_UNSEEN,
    *,
    val: Sequence[str] | None = DEFAULT_VAL,
    test_seen_fraction: float = 0.2,
    seed: int = 0,
    n_per_class: int | None = None,
    cache_dir: Path | None = None,
    verbose: bool = True,
) -> ZSLDataset:
    """Animal-MNIST as a ``ZSLDataset``: uint8 images (n x 28 x 28) and the attribute table as ``S``.

    ``unseen`` picks the classes held out entirely; ``val`` the seen classes
    held out for tuning. ``n_per_class`` subsamples (deterministically) for
    quick experiments.
    """
    # A lone string is one class name, not a sequence of letters.
    unseen = [unseen] if isinstance(unseen, str) else list(unseen)
    val = [val] if isinstance(val, str) else val
    unknown = [c for c in list(unseen) + list(val or []) if c not in ANIMAL_CLASSES]
    if unknown:
        raise ValueError(f"unknown class name(s) {unknown}; choose from {list(ANIMAL_CLASSES)}.")
    images, labels = _load_images(cache_dir, verbose=verbose)
    if n_per_class is not None:
        if not 5 <= n_per_class <= 1000:
            raise ValueError("n_per_class must be between 5 and 1000.")
        rng = np.random.default_rng(seed)
        keep = np.sort(np.concatenate([rng.choice(np.flatnonzero(labels == c), n_per_class, replace=False)
                                       for c in range(len(ANIMAL_CLASSES))]))
        images, labels = images[keep], labels[keep]
    A, _, attrs = animal_attributes()
    idx = {c: i for i, c in enumerate(ANIMAL_CLASSES)}
    splits = make_split(
        labels,
        [idx[c] for c in unseen],
        val=None if val is None else [idx[c] for c in val],
        test_seen_fraction=test_seen_fraction,
        seed=seed,
    )
    return ZSLDataset(
        images, labels, list(ANIMAL_CLASSES), A, splits, attrs, name="Animal-MNIST",
        description="Animal-MNIST (PyPI animal-mnist 0.4, MIT): 28x28 silhouettes; zebras keep their stripes.",
    )
