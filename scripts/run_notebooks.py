#!/usr/bin/env python
"""Execute the course notebooks headless, each in a fresh kernel, and measure them.

    python scripts/run_notebooks.py                 # every notebook, full mode
    python scripts/run_notebooks.py --fast          # ZSL_FAST=1
    python scripts/run_notebooks.py 01 03 --json out.json --markdown out.md

For each notebook it records wall time and the peak resident memory of the
kernel process and its children (sampled every 0.1 s), and flags anything over
the budgets of COURSE_DESIGN §8. Executed copies go to build/executed/, never
over the sources
(unless --inplace).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S, BUDGET_MB = 180.0, 2048.0
COURSE_FULL_S, COURSE_FAST_S = 15 * 60.0, 4 * 60.0


class PeakRSS(threading.Thread):
    """Poll the RSS of a process tree and keep the maximum."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.proc, self.interval, self.peak, self._halt = psutil.Process(pid), interval, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def run_one(path: Path, out_dir: Path, timeout: int) -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    error = None
    with client.setup_kernel():
        monitor = PeakRSS(client.km.provisioner.process.pid)
        monitor.start()
        try:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1][:300]
        finally:
            peak = monitor.stop()
    wall = time.perf_counter() - t0
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / path.name)
    return {"notebook": path.stem, "wall_s": round(wall, 1), "peak_mb": round(peak / 2**20),
            "ok": error is None, "error": error,
            "over_budget": wall > BUDGET_S or peak / 2**20 > BUDGET_MB}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("only", nargs="*", help="notebook number prefixes to run (default: all)")
    ap.add_argument("--fast", action="store_true", help="set ZSL_FAST=1")
    ap.add_argument("--timeout", type=int, default=1200, help="per-cell timeout in seconds")
    ap.add_argument("--json", type=Path, help="write results as JSON here")
    ap.add_argument("--markdown", type=Path, help="write a markdown table here")
    ap.add_argument("--inplace", action="store_true",
                    help="store the outputs back into notebooks/ (for authors refreshing checked outputs)")
    args = ap.parse_args(argv)
    if args.fast:
        os.environ["ZSL_FAST"] = "1"
    books = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        books = [b for b in books if any(b.name.startswith(p) for p in args.only)]
    mode = "fast" if args.fast else "full"
    results = []
    for book in books:
        print(f"running {book.name} ({mode}) ...", flush=True)
        out_dir = book.parent if args.inplace else ROOT / "build" / "executed" / mode
        r = run_one(book, out_dir, args.timeout)
        r["mode"] = mode
        results.append(r)
        flag = "OK" if r["ok"] else f"FAILED: {r['error']}"
        print(f"  {r['wall_s']:7.1f} s  {r['peak_mb']:6d} MB  {flag}{'  OVER BUDGET' if r['over_budget'] else ''}",
              flush=True)
    total = sum(r["wall_s"] for r in results)
    course_budget = COURSE_FAST_S if args.fast else COURSE_FULL_S
    lines = [f"| notebook ({mode}) | wall (s) | peak memory (MB) | status |", "|---|---:|---:|---|"]
    for r in results:
        status = "ok" if r["ok"] else "FAILED"
        if r["over_budget"]:
            status += ", over budget"
        lines.append(f"| {r['notebook']} | {r['wall_s']} | {r['peak_mb']} | {status} |")
    lines.append(f"| **total** | {total:.1f} | max {max((r['peak_mb'] for r in results), default=0)} | "
                 f"{'ok' if total <= course_budget else 'over the course budget'} (budget {course_budget:.0f} s) |")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(table + "\n")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"mode": mode, "total_s": round(total, 1), "results": results}, indent=2))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
