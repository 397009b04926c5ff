#!/usr/bin/env python
"""Execute the course notebooks headless, each in a fresh kernel, and measure them against the budgets.

    python scripts/run_notebooks.py                   # every notebook, full mode
    python scripts/run_notebooks.py --mode fast       # ZSL_FAST=1 (also: --fast)
    python scripts/run_notebooks.py --mode both       # full, then fast: the benchmark table of the course
    python scripts/run_notebooks.py 01 03 --json out.json --markdown out.md
    python scripts/run_notebooks.py --inplace 02      # store the outputs back into notebooks/ (authors)

For each notebook and mode it records
- ``wall_s``: execution time, first cell to last (``startup_s``, the kernel start, is recorded apart);
- ``peak_mb``: peak resident memory of the kernel process *and all its children* (e.g. DataLoader
  workers, pip, a sub-process), sampled every ``--interval`` seconds and combined with the kernel's own
  exact high-water mark (``VmHWM`` from /proc on Linux), so a spike between samples is not missed;
- ``ok`` / ``error``: whether every cell ran (a failure, a cell timeout or a dead kernel is recorded
  and the next notebook still runs);
- ``over_budget`` and ``budget_notes``: which budget of COURSE_DESIGN §8 it breaks.

Budgets (all overridable, which the self-test uses with tiny values):
- each notebook in full mode: ≤ 120 s wall and ≤ 2 GB peak (``--budget-s``, ``--budget-mb``);
  the memory budget applies in fast mode too (Binder's limit does not care about the mode);
- the whole course: ≤ 8 min in full mode, ≤ 2 min under ZSL_FAST=1 (``--course-budget-s``,
  ``--fast-course-budget-s``).

Results go to a JSON file and a markdown table (default ``build/benchmarks/notebooks.{json,md}``) and to
stdout. Executed copies go to ``build/executed/<mode>/``, never over the sources unless ``--inplace``
(full mode only, and only for notebooks that ran without error). With ``--strict`` or ``--inplace`` the kernels
get ``ZSL_CHECK_CLAIMS=1``, so a lesson claim (``zsl_tutorial.claims.claim``) that its numbers contradict fails
the notebook. Exit status: 1 if a notebook failed, 2 with ``--strict`` if only budgets were broken, else 0.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import psutil
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clean_outputs  # noqa: E402  (the same folder: scripts/)
import freshness  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The budget column of COURSE_DESIGN.md §8, exactly (README quotes the same table).
BUDGET_S, BUDGET_MB = 120.0, 2048.0
COURSE_FULL_S, COURSE_FAST_S = 8 * 60.0, 2 * 60.0
MODES = ("full", "fast")


def _hwm_bytes(pid: int) -> int:
    """The kernel's own high-water mark of resident memory (Linux), 0 where unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class PeakRSS(threading.Thread):
    """Poll the summed RSS of a process and its descendants; keep the maximum."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.proc, self.interval = pid, psutil.Process(pid), interval
        self.peak, self.hwm, self._halt = 0, 0, threading.Event()

    def sample(self) -> None:
        try:
            procs = [self.proc] + self.proc.children(recursive=True)
        except psutil.Error:
            return
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:  # a child that just exited
                pass
        self.peak = max(self.peak, total)
        self.hwm = max(self.hwm, _hwm_bytes(self.pid))

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self.sample()
        self._halt.set()
        self.join()
        # The kernel alone never exceeded its high-water mark; the tree's sampled sum covers children.
        return max(self.peak, self.hwm)


@contextmanager
def fast_env(fast: bool):
    """Set (or clear) ZSL_FAST for the kernels started inside, restoring the caller's value afterwards."""
    before = os.environ.get("ZSL_FAST")
    if fast:
        os.environ["ZSL_FAST"] = "1"
    else:
        os.environ.pop("ZSL_FAST", None)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ZSL_FAST", None)
        else:
            os.environ["ZSL_FAST"] = before


def _short(exc: BaseException) -> str:
    lines = [l for l in str(exc).strip().splitlines() if l.strip()]
    return f"{type(exc).__name__}: {lines[-1] if lines else ''}"[:300]


def run_one(path: Path, out_dir: Path, timeout: int, interval: float = 0.1, failed_dir: Path | None = None,
            stamp_mode: str | None = None) -> dict:
    """Execute one notebook in a fresh kernel; return its measurements (never raises for a notebook error).

    The executed copy goes to ``out_dir``, or to ``failed_dir`` (when given) if a cell failed, so that
    ``--inplace`` never overwrites a source notebook with a half-run one. With ``stamp_mode``, a
    notebook that ran through records what produced its outputs (``freshness.stamp``).
    """
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="zsl-kernel-") as sockets:
        # IPC sockets in a private folder: nothing travels over TCP (whose unencrypted use the
        # kernel warns about), and the socket files go with the folder.
        km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
        try:
            return _run_in(nb, path, km, out_dir, timeout, interval, failed_dir, stamp_mode)
        finally:  # nbclient shuts down only the kernels of managers it created itself
            if km.has_kernel:
                km.shutdown_kernel(now=True)
            km.cleanup_resources()


def _run_in(nb, path: Path, km, out_dir: Path, timeout: int, interval: float, failed_dir: Path | None,
            stamp_mode: str | None) -> dict:
    """``run_one`` with its kernel manager."""
    # "immediate": the measurements are taken, so do not wait seconds for a polite kernel shutdown.
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3", shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(path.parent)}})
    t_start = time.perf_counter()
    error, failed_cell, wall = None, None, 0.0
    peak = 0
    with client.setup_kernel():
        startup = time.perf_counter() - t_start
        # Store the kernel's language_info as JupyterLab writes it on opening the notebook, so that opening
        # and saving a lesson unchanged leaves it byte for byte as it was (on the Python of constraints.txt).
        info = client.wait_for_reply(client.kc.kernel_info())
        nb.metadata["language_info"] = info["content"]["language_info"]
        monitor = PeakRSS(client.km.provisioner.process.pid, interval)
        monitor.start()
        t0 = time.perf_counter()
        index = -1
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            error, failed_cell = _short(exc), index
        finally:
            wall = time.perf_counter() - t0
            peak = monitor.stop()
    target = failed_dir if (error is not None and failed_dir is not None) else out_dir
    target.mkdir(parents=True, exist_ok=True)
    clean_outputs.clean(nb)  # no machine path, frozen progress bar or raw widget repr in what is stored
    if stamp_mode is not None and error is None:
        freshness.stamp(nb, stamp_mode)
    nbformat.write(nb, target / path.name)
    return {"notebook": path.stem, "wall_s": round(wall, 2), "startup_s": round(startup, 2),
            "peak_mb": round(peak / 2**20, 1), "ok": error is None, "error": error, "failed_cell": failed_cell,
            "executed_copy": str(target / path.name)}


def judge(r: dict, mode: str, budget_s: float | None, budget_mb: float) -> dict:
    """Add ``over_budget`` and human-readable ``budget_notes`` to one result."""
    notes = []
    if budget_s is not None and r["wall_s"] > budget_s:
        notes.append(f"wall {r['wall_s']:.1f} s > {budget_s:g} s")
    if r["peak_mb"] > budget_mb:
        notes.append(f"peak {r['peak_mb']:.0f} MB > {budget_mb:g} MB")
    return {**r, "mode": mode, "over_budget": bool(notes), "budget_notes": notes}


def markdown(report: dict) -> str:
    """One table per mode, with a totals row against the course budget."""
    out = [f"Notebook benchmarks ({report['host']['cpu_count']} CPU cores, python {report['host']['python']}, "
           f"{report['host']['platform']}; {report['started']})", ""]
    for mode, block in report["modes"].items():
        per_nb = block["budget_s"]
        out += [f"### {mode} mode" + (" (ZSL_FAST=1)" if mode == "fast" else ""),
                "",
                f"Budgets: {'≤ %g s and ' % per_nb if per_nb is not None else ''}≤ {block['budget_mb']:g} MB per "
                f"notebook; ≤ {block['course_budget_s']:g} s for the course.",
                "",
                "| notebook | wall (s) | kernel start (s) | peak memory (MB) | status |",
                "|---|---:|---:|---:|---|"]
        for r in block["results"]:
            status = "ok" if r["ok"] else f"**FAILED** (cell {r['failed_cell']}: {r['error']})".replace("|", "\\|")
            if r["over_budget"]:
                status += "; **over budget**: " + ", ".join(r["budget_notes"])
            out.append(f"| {r['notebook']} | {r['wall_s']:.1f} | {r['startup_s']:.1f} | {r['peak_mb']:.0f} | {status} |")
        total_status = ("ok" if not block["over_course_budget"]
                        else f"**over the course budget** ({block['total_s']:.1f} s > {block['course_budget_s']:g} s)")
        out += [f"| **total** | {block['total_s']:.1f} | | max {block['max_peak_mb']:.0f} | {total_status} |", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("only", nargs="*", help="notebook number prefixes to run (default: all)")
    ap.add_argument("--mode", choices=("full", "fast", "both"), default=None,
                    help="full (default), fast (ZSL_FAST=1) or both, each notebook in a fresh kernel")
    ap.add_argument("--fast", action="store_true", help="same as --mode fast")
    ap.add_argument("--notebooks-dir", type=Path, default=ROOT / "notebooks", help="where the NN_*.ipynb live")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "build" / "executed",
                    help="executed copies go to OUT_DIR/<mode>/")
    ap.add_argument("--timeout", type=int, default=1200, help="per-cell timeout in seconds")
    ap.add_argument("--interval", type=float, default=0.1, help="memory sampling interval in seconds")
    ap.add_argument("--json", type=Path, default=ROOT / "build" / "benchmarks" / "notebooks.json",
                    help="write the results as JSON here")
    ap.add_argument("--markdown", type=Path, default=ROOT / "build" / "benchmarks" / "notebooks.md",
                    help="write the markdown table here")
    ap.add_argument("--budget-s", type=float, default=BUDGET_S, help="per-notebook wall budget, full mode")
    ap.add_argument("--fast-budget-s", type=float, default=None, help="per-notebook wall budget, fast mode (none)")
    ap.add_argument("--budget-mb", type=float, default=BUDGET_MB, help="per-notebook peak memory budget")
    ap.add_argument("--course-budget-s", type=float, default=COURSE_FULL_S, help="whole course, full mode")
    ap.add_argument("--fast-course-budget-s", type=float, default=COURSE_FAST_S, help="whole course, fast mode")
    ap.add_argument("--inplace", action="store_true",
                    help="store the full-mode outputs back into the notebooks (for authors refreshing outputs)")
    ap.add_argument("--strict", action="store_true",
                    help="exit with status 2 when a budget is broken (claims are checked with --strict and --inplace)")
    args = ap.parse_args(argv)
    if args.fast and args.mode not in (None, "fast"):
        ap.error("--fast contradicts --mode " + args.mode)
    if args.strict or args.inplace:
        # A lesson claim that its numbers contradict is an error here, so it is never stored or passed.
        os.environ["ZSL_CHECK_CLAIMS"] = "1"
    # Without --mode or --fast, ZSL_FAST decides, so `ZSL_FAST=1 bash scripts/course.sh --execute` runs fast
    # mode; --inplace alone means full mode (the only one it stores).
    from zsl_tutorial.switches import fast as fast_switch

    from_env = not (args.mode or args.fast or args.inplace) and fast_switch()
    mode_arg = args.mode or ("fast" if args.fast or from_env else "full")
    print(f"mode: {mode_arg}" + (" (from ZSL_FAST)" if from_env else ""), flush=True)
    modes = list(MODES) if mode_arg == "both" else [mode_arg]

    books = sorted(args.notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        books = [b for b in books if any(b.name.startswith(p) for p in args.only)]
    if not books:
        print(f"no notebooks matched {args.only or '*'} in {args.notebooks_dir}", file=sys.stderr)
        return 1

    report = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "host": {"python": platform.python_version(), "platform": f"{platform.system()} {platform.machine()}",
                 "cpu_count": os.cpu_count()},
        "modes": {},
    }
    for mode in modes:
        budget_s = args.budget_s if mode == "full" else args.fast_budget_s
        course_budget = args.course_budget_s if mode == "full" else args.fast_course_budget_s
        results = []
        with fast_env(mode == "fast"):
            for book in books:
                print(f"running {book.name} ({mode}) ...", flush=True)
                out_dir = book.parent if (args.inplace and mode == "full") else args.out_dir / mode
                stamp_mode = mode if (args.inplace and mode == "full") else None
                r = judge(run_one(book, out_dir, args.timeout, args.interval, failed_dir=args.out_dir / mode,
                                  stamp_mode=stamp_mode), mode, budget_s, args.budget_mb)
                results.append(r)
                flag = "ok" if r["ok"] else f"FAILED in cell {r['failed_cell']}: {r['error']}"
                over = f"  OVER BUDGET ({', '.join(r['budget_notes'])})" if r["over_budget"] else ""
                print(f"  {r['wall_s']:7.1f} s  {r['peak_mb']:7.0f} MB  {flag}{over}", flush=True)
        total = round(sum(r["wall_s"] for r in results), 2)
        report["modes"][mode] = {
            "results": results, "total_s": total, "max_peak_mb": max(r["peak_mb"] for r in results),
            "budget_s": budget_s, "budget_mb": args.budget_mb, "course_budget_s": course_budget,
            "over_course_budget": total > course_budget,
        }
    table = markdown(report)
    print(table)
    for mode in modes:
        where = (args.notebooks_dir if (args.inplace and mode == "full") else args.out_dir / mode).resolve()
        print(f"{mode} mode: the executed notebooks are in {where}" +
              (" (outputs stored back into the lessons)" if args.inplace and mode == "full" else ""))
    for path, text in ((args.markdown, table + "\n"), (args.json, json.dumps(report, indent=2) + "\n")):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    everything = [r for block in report["modes"].values() for r in block["results"]]
    if not all(r["ok"] for r in everything):
        return 1
    over = any(r["over_budget"] for r in everything) or any(b["over_course_budget"] for b in report["modes"].values())
    return 2 if (over and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
