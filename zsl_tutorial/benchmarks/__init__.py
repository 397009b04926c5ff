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

from .constants import CPU_CLSWGAN, DATASET_ENV, DEFAULT_METHODS, PAPER_METHODS, REAL_DATASETS, SPLIT_SIZES
from .datasets import BenchmarkData, benchmark_datasets, network_disabled, parse_dataset_switch
from .reference import ReferenceTableError, format_reference, published, reference_table
from .runner import BenchmarkResult, compare, format_comparison, ours_minus_paper, plot_comparison, run_benchmarks
from .runtime import (GPU_THROUGHPUT, clswgan_flops, clswgan_seconds, clswgan_throughput, format_runtime,
                      measure_runtime, real_size_stand_in, runtime_table)
from .settings import benchmark_specs

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
