"""Lesson 07's pipeline: the real benchmarks (xlsa17 AWA2, CUB, SUN) next to the published numbers.

One function per step, so that a notebook cell, a test and a batch script all run the same code:

- :func:`reference_table` reads the published numbers (``resources/reference_numbers.csv``), each with
  its source and a marker: ``P`` primary source, ``S`` third-party copy, ``M`` unverified;
- :func:`benchmark_datasets` decides what to run on from the ``ZSL_DATASET`` switch and returns
  ``(name, ZSLDataset or None, message)`` triples. It never raises for lack of network: a dataset that
  cannot be had comes back as ``None`` with a message that says why and what to do, and, when nothing
  real is available, the synthetic stand-in takes its place;
- :func:`benchmark_specs` gives per-dataset method settings: the paper's f-CLSWGAN preset on a GPU,
  smaller CPU settings otherwise, the course's settings on simulated data;
- :func:`run_benchmarks` runs :func:`zsl_tutorial.evaluation.evaluate` for every dataset and method
  (tune on validation classes, refit, test; calibrated stacking's γ from the rehearsal);
- :func:`compare` and :func:`format_comparison` put ours next to the paper, with ours − paper;
- :func:`measure_runtime`, :func:`runtime_table` and :func:`clswgan_flops` say how long a real run takes.

The switch, ``ZSL_DATASET`` (or the ``names`` argument), is a comma-separated list of
``synthetic``, ``fixture``, ``AWA1``, ``AWA2``, ``CUB``, ``SUN``, ``APY``:

- unset / ``auto``: the real AWA2, CUB and SUN *if they are already in the data cache* (nothing is
  downloaded unasked: the archive is 0.9 GB), else the synthetic stand-in, with a message;
- ``synthetic``: ``make_synthetic`` (AwA2-shaped simulator);
- ``fixture``: a tiny dataset written by ``write_xlsa17_fixture`` into a temporary folder and read back
  through ``load_xlsa17``, exactly like the real files;
- dataset names: load them, downloading ``xlsa17.zip`` when missing, unless ``ZSL_OFFLINE=1`` or
  ``HF_HUB_OFFLINE=1`` says the machine is offline (the rule of :func:`zsl_tutorial.switches.offline`).
"""
from __future__ import annotations

import csv
import math
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from . import switches
from ._deps import require
from .config import default_device, pick
from .metrics import _harmonic

__all__ = [
    "DATASET_ENV",
    "REAL_DATASETS",
    "DEFAULT_METHODS",
    "SPLIT_SIZES",
    "PAPER_METHODS",
    "CPU_CLSWGAN",
    "ReferenceTableError",
    "reference_table",
    "published",
    "format_reference",
    "network_disabled",
    "parse_dataset_switch",
    "BenchmarkData",
    "benchmark_datasets",
    "benchmark_specs",
    "BenchmarkResult",
    "run_benchmarks",
    "ours_minus_paper",
    "compare",
    "format_comparison",
    "plot_comparison",
    "real_size_stand_in",
    "measure_runtime",
    "runtime_table",
    "format_runtime",
    "clswgan_flops",
    "clswgan_throughput",
    "clswgan_seconds",
    "GPU_THROUGHPUT",
]

#: The environment variable that chooses the data of lesson 07 (see the module doc).
DATASET_ENV = switches.DATASET_ENV
#: What lesson 07 runs on when ``ZSL_DATASET`` is unset and the files are in the cache.
REAL_DATASETS = ("AWA2", "CUB", "SUN")
#: The methods of lesson 07, as named by ``evaluation.course_methods``.
DEFAULT_METHODS = ("ESZSL", "SAE (semantic)", "Deep encoder", "f-CLSWGAN")
_XLSA17 = ("AWA1", "AWA2", "CUB", "SUN", "APY")
_STAND_INS = ("synthetic", "fixture")
_RESOURCES = Path(__file__).resolve().parent / "resources"
_REFERENCE_CSV = _RESOURCES / "reference_numbers.csv"
_RUNTIME_CSV = _RESOURCES / "runtime_measured.csv"
_METRICS = ("zsl", "u", "s", "h")
_MARKERS = {"P": "primary source", "S": "third-party copy of the paper", "M": "UNVERIFIED"}


class SplitSize(NamedTuple):
    """Class and sample counts of one proposed split (Xian et al. 2018; ``REFERENCE_NUMBERS.md``)."""

    n_seen: int
    n_unseen: int
    n_val: int  # seen classes held out for tuning (train_loc / val_loc)
    n_attributes: int
    n_trainval: int
    n_test_seen: int
    n_test_unseen: int

    @property
    def n_images(self) -> int:
        return self.n_trainval + self.n_test_seen + self.n_test_unseen

    @property
    def n_classes(self) -> int:
        return self.n_seen + self.n_unseen


#: Sizes of the xlsa17 proposed splits (version 1).
SPLIT_SIZES: dict[str, SplitSize] = {
    "SUN": SplitSize(645, 72, 65, 102, 10_320, 2_580, 1_440),
    "CUB": SplitSize(150, 50, 50, 312, 7_057, 1_764, 2_967),
    "AWA1": SplitSize(40, 10, 13, 85, 19_832, 4_958, 5_685),
    "AWA2": SplitSize(40, 10, 13, 85, 23_527, 5_882, 7_913),
    "APY": SplitSize(20, 12, 5, 64, 5_932, 1_483, 7_924),
}

#: Our method name -> (source, method) of its published row. Methods missing here have none.
PAPER_METHODS: dict[str, tuple[str, str]] = {
    "ESZSL": ("Xian et al. TPAMI 2018", "ESZSL"),
    "SAE (semantic)": ("Xian et al. TPAMI 2018", "SAE"),
    "SAE (visual)": ("Xian et al. TPAMI 2018", "SAE"),
    "f-CLSWGAN": ("Xian et al. CVPR 2018", "f-CLSWGAN"),
}

#: f-CLSWGAN on a CPU: the paper's recipe (batch 64, 5 critic steps, λ = 10, β = 0.01) with a
#: 16× narrower network (hidden 256, not 4096) and fewer epochs, so that one dataset trains in minutes,
#: not hours (:func:`clswgan_flops` counts why: the critic's first layer sees 2048 + A inputs, five
#: times per step, plus the gradient penalty); a larger learning rate than the paper's makes up for
#: the fewer steps. A compromise chosen for run time, NOT tuned on the real features (this course's CI
#: has no real data): on a GPU, ``benchmark_specs`` uses ``CLSWGAN.paper_preset`` instead. ``n_synth``
#: is a grid, chosen by H on the GZSL rehearsal (never on test classes), around the paper's value.
CPU_CLSWGAN: dict[str, dict[str, Any]] = {
    "AWA": dict(hidden=256, epochs=5, lr=1e-4, pretrain_epochs=10, clf_epochs=10, n_synth=[300, 1000, 1800]),
    "CUB": dict(hidden=256, epochs=10, lr=5e-4, pretrain_epochs=10, clf_epochs=10, n_synth=[100, 300]),
    "SUN": dict(hidden=256, epochs=8, lr=5e-4, pretrain_epochs=10, clf_epochs=10, n_synth=[100, 400]),
}


# =========================================================================== published numbers
class ReferenceTableError(ValueError):
    """``reference_numbers.csv`` (or a file in its format) is malformed; the message names the line."""


def reference_table(path: str | os.PathLike | None = None) -> list[dict]:
    """The published numbers, one dict per number: ``source, method, dataset, metric, value, marker``.

    ``value`` is a float in % and ``marker`` one of ``"P"`` (primary source), ``"S"`` (third-party
    copy) or ``"M"`` (unverified). The file is checked as it is read: known metrics and markers,
    values in [0, 100], no number given twice, and every (u, s, h) triple consistent with
    H = 2us/(u+s) within rounding. Any problem raises :class:`ReferenceTableError` naming the line.
    """
    path = Path(path) if path is not None else _REFERENCE_CSV
    header = ["source", "method", "dataset", "metric", "value", "marker"]
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        first = next(reader, None)
        if first is None or [c.strip() for c in first] != header:
            raise ReferenceTableError(f"{path}: the first line must be {','.join(header)}, got {first!r}.")
        for lineno, cells in enumerate(reader, start=2):
            if not cells or all(not c.strip() for c in cells):
                continue
            where = f"{path.name}, line {lineno}"
            if len(cells) != len(header):
                raise ReferenceTableError(f"{where}: expected {len(header)} fields, got {len(cells)}: {cells!r}.")
            source, method, dataset, metric, value, marker = (c.strip() for c in cells)
            if not (source and method and dataset):
                raise ReferenceTableError(f"{where}: source, method and dataset must not be empty.")
            if metric not in _METRICS:
                raise ReferenceTableError(f"{where}: unknown metric {metric!r}; use one of {', '.join(_METRICS)}.")
            if marker not in _MARKERS:
                raise ReferenceTableError(f"{where}: unknown marker {marker!r}; use P, S or M.")
            try:
                number = float(value)
            except ValueError:
                raise ReferenceTableError(f"{where}: value {value!r} is not a number.") from None
            if not (math.isfinite(number) and 0.0 <= number <= 100.0):
                raise ReferenceTableError(f"{where}: value {number} is not an accuracy in % (0 to 100).")
            key = (source, method, dataset.upper(), metric)
            if key in seen:
                raise ReferenceTableError(f"{where}: {method} / {dataset} / {metric} from {source!r} is already "
                                          f"given on line {seen[key]}.")
            seen[key] = lineno
            rows.append({"source": source, "method": method, "dataset": dataset.upper(), "metric": metric,
                         "value": number, "marker": marker})
    # H must be the harmonic mean of u and s (both rounded to 0.1, so allow a little slack).
    by_key: dict[tuple, dict[str, float]] = {}
    for r in rows:
        by_key.setdefault((r["source"], r["method"], r["dataset"]), {})[r["metric"]] = r["value"]
    for (source, method, dataset), vals in by_key.items():
        if {"u", "s", "h"} <= set(vals):
            u, s, h = vals["u"], vals["s"], vals["h"]
            expected = 100 * float(_harmonic(u / 100, s / 100))  # the table is in %
            if abs(expected - h) > 0.15:
                raise ReferenceTableError(
                    f"{path.name}: {method} on {dataset} ({source}) has u={u}, s={s}, h={h}, but 2us/(u+s) = "
                    f"{expected:.2f}; one of the three numbers is mistyped.")
    return rows


def published(method: str, dataset: str, *, source: str | None = None,
              table: Sequence[Mapping] | None = None) -> dict[str, tuple[float, str]]:
    """The published numbers of one method on one dataset: ``{metric: (value in %, marker)}``.

    ``method`` is a name of the table (``"ESZSL"``, ``"SAE"``, ``"f-CLSWGAN"``, ...) or one of ours
    (``"SAE (semantic)"``, see :data:`PAPER_METHODS`). Returns ``{}`` when nothing was published,
    e.g. f-CLSWGAN on AWA2 (the paper reports AWA1 only).
    """
    table = reference_table() if table is None else table
    if method in PAPER_METHODS:
        mapped_source, method = PAPER_METHODS[method]
        source = source or mapped_source
    dataset = str(dataset).upper()
    return {r["metric"]: (r["value"], r["marker"]) for r in table
            if r["method"] == method and r["dataset"] == dataset and (source is None or r["source"] == source)}


def _cell(vals: Mapping[str, tuple[float, str]], metrics: Sequence[str]) -> str:
    if not any(m in vals for m in metrics):
        return "—"
    marks = {vals[m][1] for m in metrics if m in vals}
    text = " / ".join(f"{vals[m][0]:.1f}" if m in vals else "—" for m in metrics)
    return text + " " + " ".join(f"[{k}]" for k in sorted(marks))


def format_reference(table: Sequence[Mapping] | None = None, *, methods: Sequence[str] | None = None,
                     datasets: Sequence[str] = REAL_DATASETS, source: str | None = None) -> str:
    """A markdown table of the published numbers: ZSL and GZSL u / s / H per dataset, with markers."""
    table = reference_table() if table is None else table
    pairs: list[tuple[str, str]] = []
    for r in table:
        if (source is None or r["source"] == source) and (methods is None or r["method"] in methods):
            if (r["source"], r["method"]) not in pairs:
                pairs.append((r["source"], r["method"]))
    if methods is not None:
        pairs.sort(key=lambda p: list(methods).index(p[1]))
    head = "| method | source | " + " | ".join(f"{d} ZSL | {d} u / s / H" for d in datasets) + " |"
    lines = [head, "|---|---|" + "---:|---:|" * len(datasets)]
    used: set[str] = set()
    for src, method in pairs:
        cells = []
        for d in datasets:
            vals = published(method, d, source=src, table=table)
            used |= {m for _, m in vals.values()}
            cells += [_cell(vals, ("zsl",)), _cell(vals, ("u", "s", "h"))]
        lines.append(f"| {method} | {src} | " + " | ".join(cells) + " |")
    legend = "; ".join(f"[{k}] {v}" for k, v in _MARKERS.items() if k in used)
    lines.append("")
    lines.append(f"Markers: {legend}. — = not published for that dataset.")
    return "\n".join(lines)


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
    from .data import make_synthetic

    ds = make_synthetic(seed=seed)
    ds.extras["stands_in_for"] = "AWA2"
    return ds


#: The fixture lesson 07 runs on: small, but big enough for every method's tuning and calibration.
FIXTURE_KWARGS = dict(n_classes=20, n_unseen=5, n_val=4, n_attributes=16, n_features=64,
                      samples_per_class=30, n_test_seen=6)


def _fixture(root: str | os.PathLike | None, seed: int, fixture_kwargs: Mapping[str, Any] | None) -> Any:
    from .data.xlsa17 import load_xlsa17, write_xlsa17_fixture

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
    from .config import data_dir
    from .data.download import DownloadError
    from .data.xlsa17 import Xlsa17FormatError, load_xlsa17

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


# =========================================================================== settings per dataset
def _preset_key(name: str) -> str | None:
    name = name.upper()
    if name in ("AWA1", "AWA2"):
        return "AWA"
    return name if name in ("CUB", "SUN") else None


def benchmark_specs(target: Any, methods: Sequence[str] = DEFAULT_METHODS, *, device: str | None = None,
                    fast: bool | None = None, profile: str | None = None) -> list:
    """Method specs for one dataset: real-data settings for xlsa17, the course's on simulated data.

    ``target`` is a :class:`BenchmarkData` or a dataset name. ``profile`` is ``"gpu"`` (the paper's
    f-CLSWGAN preset, :meth:`CLSWGAN.paper_preset`), ``"cpu"`` (:data:`CPU_CLSWGAN`), or ``"course"``
    (``evaluation.course_methods`` unchanged). Default: ``"course"`` for the synthetic stand-in and the
    fixture, else ``"gpu"`` when the resolved device is CUDA and ``"cpu"`` otherwise. ``fast`` (default
    ``ZSL_FAST``) shrinks every epoch count, for tests.
    """
    from .evaluation import course_methods
    from .methods import CLSWGAN

    if isinstance(target, BenchmarkData):
        name, real = target.paper_dataset if target.real else target.name, target.real
    elif isinstance(target, str):
        name = target.strip()
        real = name.upper() in _XLSA17
        name = name.upper() if real else name.lower()
    else:
        raise TypeError(f"target must be a BenchmarkData or a dataset name, got {type(target).__name__}.")
    if profile is None:
        profile = ("gpu" if default_device(device).startswith("cuda") else "cpu") if real else "course"
    if profile not in ("gpu", "cpu", "course"):
        raise ValueError(f"profile must be 'gpu', 'cpu' or 'course', got {profile!r}.")
    quick = fast if fast is not None else pick(False, True)
    specs = course_methods(include=methods, fast=quick)
    if profile == "course":
        return specs

    out = []
    key = _preset_key(name)
    for spec in specs:
        if spec.name in ("SAE (semantic)", "SAE (visual)"):
            # ResNet features carry more energy per sample than the simulator's: search a wider λ range.
            spec = replace(spec, grid={"lam": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]})
        elif spec.name == "Deep encoder":
            spec = replace(spec, fixed={"hidden": 1024 if profile == "gpu" else 512,
                                        "epochs": 2 if quick else (50 if profile == "gpu" else 30)})
        elif spec.name == "f-CLSWGAN" and key is not None:
            if profile == "gpu":
                params = CLSWGAN.paper_preset(key).get_params()
                n = params["n_synth"]
                grid = [max(50, n // 3), n, 2 * n]
            else:
                params = dict(CPU_CLSWGAN[key])
                grid = list(params["n_synth"])
            for k in ("seed", "device", "progress", "n_synth"):
                params.pop(k, None)
            if quick:
                params.update(epochs=1, pretrain_epochs=2, clf_epochs=2)
                grid = grid[:1]
            spec = replace(spec, fixed=params, grid={"n_synth": grid})
        out.append(spec)
    return out


# =========================================================================== running
class BenchmarkResult(NamedTuple):
    """One method on one dataset: ``evaluation.Result`` plus where it ran and what it is compared with."""

    dataset: str
    paper_dataset: str
    real: bool
    device: str
    result: Any  # evaluation.Result


def run_benchmarks(data: Iterable[BenchmarkData], methods: Sequence[str] = DEFAULT_METHODS, *, seed: int = 0,
                   device: str | None = None, fast: bool | None = None, profile: str | None = None,
                   progress: bool = True) -> list[BenchmarkResult]:
    """``evaluation.evaluate`` for every available dataset and method (datasets that are ``None`` are skipped)."""
    from .evaluation import evaluate

    dev = default_device(device)  # a clear error now rather than deep inside training
    jobs = []
    for bd in data:
        if not isinstance(bd, BenchmarkData):
            raise TypeError(f"expected BenchmarkData entries (from benchmark_datasets), got {type(bd).__name__}.")
        if bd.available:
            for spec in benchmark_specs(bd, methods, device=dev, fast=fast, profile=profile):
                jobs.append((bd, spec))
    if not jobs:
        raise ValueError("no dataset to run on: every entry is None (see their messages).")
    bar = None
    if progress:
        tqdm = require("tqdm.auto").tqdm
        bar = tqdm(total=len(jobs), desc="benchmarks")
    out = []
    for bd, spec in jobs:
        if bar is not None:
            bar.set_postfix_str(f"{bd.name}: {spec.name}")
        res = evaluate(spec, bd.dataset, seed=seed, device=dev)
        out.append(BenchmarkResult(bd.name, bd.paper_dataset, bd.real, dev, res))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return out


# =========================================================================== ours vs the paper
def ours_minus_paper(ours: Mapping[str, float | None], paper: Mapping[str, Any]) -> dict[str, float | None]:
    """``ours − paper`` for every metric of ``paper`` (in % points); ``None`` where either side is missing.

    ``paper`` values may be numbers or ``(value, marker)`` pairs, as :func:`published` returns.
    """
    out: dict[str, float | None] = {}
    for metric, theirs in paper.items():
        if isinstance(theirs, tuple):
            theirs = theirs[0]
        mine = ours.get(metric)
        out[metric] = None if mine is None or theirs is None else float(mine) - float(theirs)
    return out


def compare(results: Iterable[BenchmarkResult], table: Sequence[Mapping] | None = None) -> list[dict]:
    """One row per result: ours (in %), the published numbers with markers, ``ours − paper``, and a note.

    Keys: ``dataset, paper_dataset, real, method, device, zsl, u, s, h, u_cal, s_cal, h_cal, ausuc,
    gamma, fit_seconds, total_seconds, paper_source, paper (metric -> (value, marker)), delta (metric ->
    float or None), note``.
    """
    table = reference_table() if table is None else table
    rows = []
    for br in results:
        r = br.result
        ours = {m: 100.0 * getattr(r, m) for m in ("zsl", "u", "s", "h", "u_cal", "s_cal", "h_cal")}
        mapped = PAPER_METHODS.get(r.method)
        notes = []
        paper: dict[str, tuple[float, str]] = {}
        if mapped is None:
            notes.append("no published counterpart (the course's own)")
        else:
            paper = published(mapped[1], br.paper_dataset, source=mapped[0], table=table)
            if not paper:
                others = sorted({t["dataset"] for t in table if t["method"] == mapped[1] and t["source"] == mapped[0]})
                notes.append(f"no published {br.paper_dataset} row ({mapped[0]} reports {', '.join(others)}); "
                             "nothing invented")
            if any(mk == "M" for _, mk in paper.values()):
                notes.append("[M] paper numbers are unverified")
        if not br.real:
            notes.append(f"simulated stand-in for {br.paper_dataset}: Δ only exercises the code")
        full = {m: paper.get(m) for m in _METRICS}
        rows.append({
            "dataset": br.dataset, "paper_dataset": br.paper_dataset, "real": br.real, "method": r.method,
            "device": br.device, **ours, "ausuc": r.ausuc, "gamma": r.gamma, "params": r.params,
            "fit_seconds": r.fit_seconds, "total_seconds": r.total_seconds,
            "paper_source": mapped[0] if mapped else None,
            "paper": {m: v for m, v in full.items() if v is not None},
            "delta": ours_minus_paper(ours, full),
            "note": "; ".join(notes),
        })
    return rows


def _fmt(v: float | None, signed: bool = False) -> str:
    if v is None:
        return "—"
    return f"{v:+.1f}" if signed else f"{v:.1f}"


def format_comparison(rows: Sequence[Mapping], metrics: Sequence[str] = ("zsl", "u", "s", "h"),
                      *, calibrated: bool = True, seconds: bool = True) -> str:
    """A markdown table of :func:`compare` rows: each cell is ``ours (paper [marker], ours − paper)``."""
    labels = {"zsl": "ZSL", "u": "u", "s": "s", "h": "H"}
    head = ["dataset", "method"] + [labels.get(m, m) for m in metrics]
    if calibrated:
        head.append("H calibrated (u / s)")
    if seconds:
        head.append("time (s)")
    head.append("notes")
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 3) + "---|"]
    for r in rows:
        cells = [r["dataset"] + ("" if r["real"] else " *"), r["method"]]
        for m in metrics:
            p = r["paper"].get(m)
            if p is None:
                cells.append(_fmt(r[m]))
            else:
                cells.append(f"{_fmt(r[m])} ({p[0]:.1f} [{p[1]}], {_fmt(r['delta'][m], signed=True)})")
        if calibrated:
            cells.append(f"{_fmt(r['h_cal'])} ({_fmt(r['u_cal'])} / {_fmt(r['s_cal'])})")
        if seconds:
            cells.append(f"{r['total_seconds']:.1f}")
        cells.append(r["note"] or "")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Cells: ours (paper [marker], ours − paper), in %. [P] primary source, [S] third-party copy, "
                 "[M] unverified. — = no published number. * = not real data.")
    return "\n".join(lines)


def plot_comparison(rows: Sequence[Mapping], metric: str = "h", ax: Any = None, *, calibrated: bool | None = None) -> Any:
    """Grouped bars: ours next to the published number for every (dataset, method) row. Returns the axes.

    For ``metric="h"`` a third bar (``calibrated``, on by default there) shows our H after calibrated stacking.
    Rows on simulated data are starred; a missing published number is written out, an [M] one is flagged.
    """
    plt = require("matplotlib.pyplot")

    if metric not in ("zsl", "u", "s", "h"):
        raise ValueError(f"metric must be one of zsl, u, s, h; got {metric!r}.")
    calibrated = (metric == "h") if calibrated is None else bool(calibrated)
    if calibrated and metric != "h":
        raise ValueError("calibrated bars exist for metric='h' only.")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(5.0, 1.3 * len(rows)), 3.4))
    x = np.arange(len(rows))
    bars = [("ours", [r[metric] for r in rows], "tab:blue")]
    if calibrated:
        bars.append(("ours, calibrated", [r["h_cal"] for r in rows], "tab:cyan"))
    bars.append(("published", [r["paper"].get(metric, (np.nan, ""))[0] for r in rows], "tab:gray"))
    width = 0.8 / len(bars)
    offsets = [(j - (len(bars) - 1) / 2) * width for j in range(len(bars))]
    for (label, values, color), off in zip(bars, offsets):
        ax.bar(x + off, values, width, label=label, color=color)
    for i, r in enumerate(rows):
        p = r["paper"].get(metric)
        if p is None:
            ax.text(i + offsets[-1], 1, "none\npublished", ha="center", va="bottom", fontsize=7, color="0.35",
                    rotation=90)
        elif p[1] == "M":
            ax.text(i + offsets[-1], p[0] + 1, "[M]", ha="center", va="bottom", fontsize=7, color="tab:red")
    names = {"zsl": "ZSL top-1", "u": "GZSL u", "s": "GZSL s", "h": "GZSL H"}
    ax.set_xticks(x, [f"{r['dataset']}{'' if r['real'] else '*'}\n{r['method']}" for r in rows], fontsize=8)
    ax.set_ylabel(f"{names[metric]} (%)")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper right", fontsize=8)
    if not all(r["real"] for r in rows):
        stand = sorted({r["paper_dataset"] for r in rows if not r["real"]})
        ax.text(0.0, -0.22, f"* simulated data, compared with {', '.join(stand)}'s published numbers only to show "
                "the layout", transform=ax.transAxes, fontsize=7, color="0.35", va="top")
    return ax


# =========================================================================== run time
def real_size_stand_in(name: str, *, scale: float = 1.0, n_features: int = 2048, seed: int = 0) -> Any:
    """A synthetic dataset with ``name``'s numbers of classes, attributes and validation classes, ``n_features``
    dimensions and ``scale`` times its number of images: for timing, not for accuracy."""
    from .data import make_synthetic

    name = str(name).upper()
    if name not in SPLIT_SIZES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(SPLIT_SIZES)}.")
    if not (isinstance(scale, (int, float)) and 0 < scale <= 1):
        raise ValueError(f"scale must be in (0, 1], got {scale!r}.")
    size = SPLIT_SIZES[name]
    per_class = max(10, int(round(scale * size.n_images / size.n_classes)))
    ds = make_synthetic(size.n_seen, size.n_unseen, size.n_attributes, n_features, n_per_class=per_class,
                        n_val=size.n_val, seed=seed)
    ds.name = f"{name}-sized stand-in"
    ds.extras["stands_in_for"] = name
    return ds


def measure_runtime(name: str, methods: Sequence[str] = DEFAULT_METHODS, *, scale: float = 1.0,
                    n_features: int = 2048, seed: int = 0, device: str | None = "cpu",
                    profile: str | None = None, fast: bool | None = None, progress: bool = True) -> list[dict]:
    """Time the real-data pipeline on a synthetic dataset of ``name``'s shape (see :func:`real_size_stand_in`).

    Uses the settings a real run would use (``benchmark_specs(name, ...)``, profile ``"cpu"`` unless CUDA
    is chosen). Returns one dict per method: ``dataset, method, device, n_samples, scale, seconds`` (the
    whole evaluate: tuning, refit, scoring), ``fit_seconds`` (the final refit alone) and
    ``seconds_full_size`` = ``seconds / scale``, a linear extrapolation to the real number of images:
    about right for the neural methods, whose epochs scale with the samples, and pessimistic for ESZSL
    and SAE, part of whose cost (d × d matrices) does not grow with the samples.
    """
    from .evaluation import evaluate

    dev = default_device(device)
    ds = real_size_stand_in(name, scale=scale, n_features=n_features, seed=seed)
    specs = benchmark_specs(name.upper(), methods, device=dev, fast=fast, profile=profile)
    rows = []
    jobs = specs
    if progress:
        tqdm = require("tqdm.auto").tqdm
        jobs = tqdm(specs, desc=f"timing {name} (x{scale:g})")
    for spec in jobs:
        res = evaluate(spec, ds, seed=seed, device=dev)
        rows.append({"dataset": name.upper(), "method": spec.name, "device": dev, "n_samples": len(ds.X),
                     "scale": float(scale), "seconds": res.total_seconds, "fit_seconds": res.fit_seconds,
                     "seconds_full_size": res.total_seconds / scale})
    return rows


def runtime_table(path: str | os.PathLike | None = None) -> list[dict]:
    """The run times measured once at full size (``resources/runtime_measured.csv``; see its ``.md`` note)."""
    path = Path(path) if path is not None else _RUNTIME_CSV
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("seconds", "fit_seconds", "peak_mb", "n_samples", "threads"):
            if k in r and r[k] not in ("", None):
                r[k] = float(r[k])
    return rows


def format_runtime(rows: Sequence[Mapping], *, value: str = "seconds") -> str:
    """Minutes per dataset (columns) and method (rows) as markdown."""
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    lines = ["| method | " + " | ".join(datasets) + " |", "|---|" + "---:|" * len(datasets)]
    for m in methods:
        cells = []
        for d in datasets:
            hit = [r for r in rows if r["method"] == m and r["dataset"] == d]
            cells.append(f"{float(hit[0][value]) / 60:.1f} min" if hit else "—")
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: Assumed *effective* fp32 throughput of a GPU on f-CLSWGAN's small (batch 64) matrix products:
#: about half of the card's peak. An assumption for estimates, not a measurement.
GPU_THROUGHPUT = {"T4 (Colab free tier)": 4e12, "V100": 7e12, "A100": 15e12}


def clswgan_flops(n_samples: int, n_features: int = 2048, n_attributes: int = 85, *, hidden: int = 4096,
                  epochs: int = 30, batch_size: int = 64, n_critic: int = 5) -> float:
    """Floating-point operations of f-CLSWGAN's adversarial training (the dominant cost), by counting.

    One generator step = ``n_critic`` critic iterations + one generator update; there are
    ``n_samples // batch_size`` steps per epoch (as in :class:`~zsl_tutorial.methods.CLSWGAN`). With
    ``g`` and ``c`` the multiply-adds of one forward pass of G and D on a batch (2 flops each):

    - critic iteration: G forward (no grad), D forward on real and fake, their backward (≈ 2 × forward),
      and the gradient penalty (forward, input gradient and its backward ≈ 4 × forward): g + 10 c;
    - generator update: G and D forward and backward: 3 g + 3 c.

    The small softmax classifiers are left out. A model, good to a factor of about 2, for estimates.
    """
    a, d, h, b = n_attributes, n_features, hidden, batch_size
    g = 2.0 * b * (2 * a * h + h * d)
    c = 2.0 * b * ((d + a) * h + h)
    per_step = n_critic * (g + 10 * c) + 3 * g + 3 * c
    return float(epochs * max(1, n_samples // b) * per_step)


def clswgan_throughput(*, hidden: int = 512, n_features: int = 2048, n_attributes: int = 85, n_classes: int = 40,
                       steps: int = 10, epochs: int = 1, batch_size: int = 64, device: str | None = "cpu",
                       seed: int = 0) -> dict:
    """Measure how fast f-CLSWGAN's adversarial training runs *here*, in flops per second.

    Fits :class:`~zsl_tutorial.methods.CLSWGAN` on random data of the given shape: once for one step to
    warm up (first-call costs of torch), then for ``epochs`` epochs of ``steps`` generator steps, timed.
    The timed fit includes one tiny pre-training epoch, one epoch of the final softmax and the set-up,
    so the rate is slightly pessimistic. Returns ``{"seconds_per_step", "flops_per_second", "device",
    "hidden", "n_features", "threads"}``; flops are those :func:`clswgan_flops` counts.
    """
    torch = require("torch")

    from .methods import CLSWGAN

    for name, v in (("hidden", hidden), ("n_features", n_features), ("n_attributes", n_attributes),
                    ("n_classes", n_classes), ("steps", steps), ("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}.")
    dev = default_device(device)
    rng = np.random.default_rng(seed)
    n = steps * batch_size
    X = rng.random((n, n_features), dtype=np.float32)
    y = np.arange(n) % n_classes
    S = rng.random((n_classes, n_attributes))

    def fit(m: int, e: int) -> float:
        model = CLSWGAN(hidden=hidden, epochs=e, batch_size=batch_size, pretrain_epochs=1, clf_epochs=1,
                        seed=seed, device=dev, progress=False)
        if dev.startswith("cuda"):
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        model.fit(X[:m], y[:m], S)
        if dev.startswith("cuda"):
            torch.cuda.synchronize()
        return time.perf_counter() - t0

    fit(batch_size, 1)  # warm-up
    seconds = fit(n, epochs)
    flops = clswgan_flops(n, n_features, n_attributes, hidden=hidden, epochs=epochs, batch_size=batch_size)
    return {"seconds_per_step": seconds / (epochs * steps), "flops_per_second": flops / seconds, "device": dev,
            "hidden": hidden, "n_features": n_features, "threads": torch.get_num_threads()}


def clswgan_seconds(name: str, flops_per_second: float, *, hidden: int, epochs: int, batch_size: int = 64,
                    n_critic: int = 5, n_features: int = 2048, holdout: float = 0.2) -> float:
    """Seconds of adversarial training in one ``evaluate`` of f-CLSWGAN on dataset ``name`` at a given speed.

    ``evaluate`` trains the GAN twice: on the GZSL rehearsal (the ``train`` classes minus a ``holdout``
    share, about ``(1 − holdout) · n_train`` samples) and on ``trainval``. The final softmax classifiers
    are not counted (minutes on a CPU for SUN's 717 classes, seconds on a GPU).
    """
    name = str(name).upper()
    if name not in SPLIT_SIZES:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(SPLIT_SIZES)}.")
    if not flops_per_second > 0:
        raise ValueError(f"flops_per_second must be > 0, got {flops_per_second!r}.")
    size = SPLIT_SIZES[name]
    n_train = size.n_trainval * (size.n_seen - size.n_val) / size.n_seen
    total = 0.0
    for n in (int((1 - holdout) * n_train), size.n_trainval):
        total += clswgan_flops(n, n_features, size.n_attributes, hidden=hidden, epochs=epochs,
                               batch_size=batch_size, n_critic=n_critic)
    return total / flops_per_second
