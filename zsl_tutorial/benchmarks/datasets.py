"""Which data lesson 07 runs on: the ``ZSL_DATASET`` switch, the real benchmarks and the stand-ins."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence


from .. import switches
from .constants import DATASET_ENV, REAL_DATASETS, _XLSA17
from .constants import _STAND_INS


# =========================================================================== which data
def network_disabled() -> str | None:
    """Why downloads are off (``"ZSL_OFFLINE=1"`` or ``"HF_HUB_OFFLINE=1"``), or None when they may be tried.

    The one offline rule of :func:`zsl_tutorial.switches.offline_reason`; a bad value raises ``ValueError``.
    """
    return switches.offline_reason()


def parse_dataset_switch(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """Parse a ``ZSL_DATASET`` value: ``None`` for auto (unset, empty or ``auto``), else the names in order.

    Names are comma- (or space-) separated and case-insensitive: ``synthetic``, ``fixture`` and the
    xlsa17 datasets ``AWA1``, ``AWA2``, ``CUB``, ``SUN``, ``APY``. Anything else raises ``ValueError``
    listing the valid values.
    """
    if value is None:
        return None
    if isinstance(value, str):
        tokens = [t for t in value.replace(";", ",").replace(" ", ",").split(",") if t.strip()]
    elif isinstance(value, Sequence):
        tokens = [str(t) for t in value]
    else:
        raise TypeError(f"dataset names must be a string or a list of strings, got {type(value).__name__}.")
    tokens = [t.strip() for t in tokens]
    if not tokens or (len(tokens) == 1 and tokens[0].lower() == "auto"):
        return None
    out: list[str] = []
    bad: list[str] = []
    for t in tokens:
        name = t.lower() if t.lower() in _STAND_INS else t.upper()
        if name not in _STAND_INS and name not in _XLSA17:
            bad.append(t)
        elif name not in out:
            out.append(name)
    if bad:
        raise ValueError(
            f"{DATASET_ENV}={value!r}: unknown dataset name(s) {bad}. Use a comma-separated list of "
            f"{', '.join(_STAND_INS + _XLSA17)} (case does not matter), e.g. {DATASET_ENV}=AWA2,CUB,SUN, or "
            f"leave it unset (auto: the real {', '.join(REAL_DATASETS)} when they are in the data cache, "
            "else the synthetic stand-in)."
        )
    return tuple(out)


class BenchmarkData(NamedTuple):
    """One dataset for lesson 07: its name, the data (``None`` if it could not be had) and what happened."""

    name: str
    dataset: Any
    message: str

    @property
    def available(self) -> bool:
        return self.dataset is not None

    @property
    def real(self) -> bool:
        """True for real xlsa17 features; False for the synthetic stand-in and the fixture."""
        return (self.dataset is not None and self.name in _XLSA17
                and not self.dataset.extras.get("fixture", False))

    @property
    def paper_dataset(self) -> str:
        """Whose published numbers this dataset is compared with (a stand-in: the one it imitates)."""
        if self.name in _XLSA17:
            return self.name
        extras = getattr(self.dataset, "extras", None) or {}
        return str(extras.get("stands_in_for", "AWA2"))


def _synthetic(seed: int) -> Any:
    from ..data import make_synthetic

    ds = make_synthetic(seed=seed)
    ds.extras["stands_in_for"] = "AWA2"
    return ds


#: The fixture lesson 07 runs on: small, but big enough for every method's tuning and calibration.
FIXTURE_KWARGS = dict(n_classes=20, n_unseen=5, n_val=4, n_attributes=16, n_features=64,
                      samples_per_class=30, n_test_seen=6)


def _fixture(root: str | os.PathLike | None, seed: int, fixture_kwargs: Mapping[str, Any] | None) -> Any:
    from ..data.xlsa17 import load_xlsa17, write_xlsa17_fixture

    root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="zsl_xlsa17_fixture_"))
    write_xlsa17_fixture(root, "AWA2", seed=seed, **{**FIXTURE_KWARGS, **(fixture_kwargs or {})})
    # The same call a real dataset goes through; download=False: the files are already there.
    ds = load_xlsa17("AWA2", root=root, download=False, progress=False)
    ds.extras["stands_in_for"] = "AWA2"
    return ds


def _how_to_get(name: str, root: Path, blocked: str | None) -> str:
    unblock = f", with {blocked.split('=')[0]} unset," if blocked else ","
    return (f"To run on the real {name}: on a machine with internet{unblock} set {DATASET_ENV}={name} (or "
            f"{DATASET_ENV}=AWA2,CUB,SUN) and run again; the 0.9 GB archive goes to {root}/xlsa17 once. "
            f"Or download xlsa17.zip by hand and unzip it so that {root}/xlsa17/data/{name}/res101.mat exists.")


def benchmark_datasets(names: str | Sequence[str] | None = None, *, root: str | os.PathLike | None = None,
                       download: bool | None = None, fallback: bool = True, seed: int = 0,
                       fixture_root: str | os.PathLike | None = None,
                       fixture_kwargs: Mapping[str, Any] | None = None,
                       normalize: str | None = None) -> list[BenchmarkData]:
    """What lesson 07 runs on: a list of ``(name, ZSLDataset or None, message)``.

    Parameters
    ----------
    names : str or list, optional
        A ``ZSL_DATASET``-style value; default: the ``ZSL_DATASET`` environment variable; unset means
        auto (see the module doc). A bad name raises ``ValueError``.
    root : path, optional
        Where ``xlsa17/data/<NAME>`` lives (default: the course's data folder).
    download : bool, optional
        Download missing real data. Default: only for names asked for explicitly, and never while
        :func:`network_disabled`. Auto mode never downloads.
    fallback : bool
        When no real or fixture dataset could be loaded, add the synthetic stand-in (with a message),
        so that there is always something to run on.
    seed : int
        Seed of the synthetic stand-in and of the fixture.

    Missing files, no network and damaged downloads never raise here: the entry's dataset is ``None``
    and its message says why and what to do.
    """
    from ..config import data_dir
    from ..data.download import DownloadError
    from ..data.xlsa17 import Xlsa17FormatError, load_xlsa17

    env = switches.dataset_switch()
    explicit = names is not None or env is not None
    wanted = parse_dataset_switch(names if names is not None else env)
    auto = wanted is None
    if auto:
        wanted = REAL_DATASETS
    root_path = Path(root).expanduser() if root is not None else data_dir()
    blocked = network_disabled()
    if download is None:
        download = explicit and not auto and blocked is None
    elif download and blocked is not None:
        download = False

    out: list[BenchmarkData] = []
    for name in wanted:
        if name == "synthetic":
            out.append(BenchmarkData(name, _synthetic(seed), "make_synthetic(seed=%d): the simulator shaped like "
                                     "AwA2 (a stand-in: its numbers are not comparable with the paper's)." % seed))
            continue
        if name == "fixture":
            ds = _fixture(fixture_root, seed, fixture_kwargs)
            out.append(BenchmarkData(name, ds, f"tiny xlsa17-layout fixture ({len(ds.X)} samples, {ds.n_classes} "
                                     f"classes) written to {ds.extras['source']} and read back with load_xlsa17."))
            continue
        try:
            ds = load_xlsa17(name, root=root_path, download=bool(download), normalize=normalize, progress=True)
        except (DownloadError, FileNotFoundError, Xlsa17FormatError, OSError) as exc:
            missing = isinstance(exc, FileNotFoundError) and not download
            if missing and auto:
                msg = (f"{name}: not in the data cache ({root_path}/xlsa17/data/{name}); nothing is downloaded "
                       "in auto mode. ")
            elif missing and blocked is not None:
                msg = (f"{name}: the files are missing and {blocked} says this machine is offline, so no download "
                       "was tried. ")
            elif missing:
                msg = f"{name}: not in the data cache ({root_path}/xlsa17/data/{name}) and download=False. "
            else:
                msg = f"{name}: could not be loaded ({type(exc).__name__}: {exc}). "
            out.append(BenchmarkData(name, None, msg + _how_to_get(name, root_path, blocked)))
            continue
        out.append(BenchmarkData(name, ds, f"{name}: real xlsa17 features from {ds.extras.get('source')} "
                                 f"({len(ds.X):,} images, {ds.n_classes} classes)."))

    if fallback and not any(b.available for b in out):
        why = ("none of the requested datasets could be loaded" if not auto
               else f"none of {', '.join(REAL_DATASETS)} is in the data cache")
        out.append(BenchmarkData("synthetic", _synthetic(seed),
                                 f"Falling back to the synthetic stand-in, because {why}. Its numbers exercise the "
                                 "pipeline but say nothing about the published results."))
    return out
