"""The published numbers (``resources/reference_numbers.csv``): reading, checking and formatting them."""
from __future__ import annotations

import csv
import math
import os
from pathlib import Path
from typing import Mapping, Sequence


from ..metrics import _harmonic
from .constants import PAPER_METHODS, REAL_DATASETS
from .constants import _MARKERS, _METRICS, _REFERENCE_CSV


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
