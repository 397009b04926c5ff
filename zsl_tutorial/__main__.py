"""Command line: ``python -m zsl_tutorial env``, ``fetch animals|xlsa17 NAME|models``, or ``bench FOLDER``.

Instructors can pre-fetch every data set and hub model before a workshop in an offline room
(see notebooks/INSTRUCTORS.md).
"""
from __future__ import annotations

import argparse
from pathlib import Path
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zsl_tutorial", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("env", help="print the environment report")
    fetch = sub.add_parser("fetch", help="download and cache a data set")
    fetch.add_argument("dataset", choices=["animals", "xlsa17", "models"])
    fetch.add_argument("names", nargs="*", help="for xlsa17: AWA1 AWA2 CUB SUN APY (default AWA2 CUB SUN); "
                                                "for models: hub ids (default: lesson 06's NLI and CLIP models)")
    bench = sub.add_parser("bench", help="every method on a folder in the xlsa17 layout (a benchmark, not a test)")
    bench.add_argument("folder", help="a folder holding res101.mat and att_splits.mat")
    bench.add_argument("--methods", nargs="+", help="names as in evaluation.course_estimators() (default: all)")
    bench.add_argument("--profile", choices=["cpu", "gpu", "course"], help="settings (default: gpu on CUDA, else cpu)")
    bench.add_argument("--fast", action="store_true", help="fewer epochs, to try the command out")
    bench.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    if args.cmd == "bench":
        from .benchmarks.folder import bench_folder, format_bench

        try:
            rows = bench_folder(args.folder, args.methods, profile=args.profile, fast=args.fast or None,
                                seed=args.seed)
        except (OSError, ValueError) as exc:  # a missing folder, a bad file, an unknown method: one line
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(format_bench(rows, title=f"{args.folder} (seed {args.seed}; peak RSS is the process's high-water mark)"))
        return 0

    if args.cmd == "env":
        from .env import report

        try:
            report()
        except ValueError as exc:  # a switch such as ZSL_OFFLINE=maybe: one line that says the fix
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    t0 = time.perf_counter()
    try:
        if args.dataset == "animals":
            from .data.animals import load_animals

            ds = load_animals(verbose=True)
            print(f"Animal-MNIST ready: {len(ds.X)} images ({time.perf_counter() - t0:.1f} s).")
        elif args.dataset == "models":
            return fetch_models(args.names)
        else:
            from .data.xlsa17 import load_xlsa17

            for name in args.names or ["AWA2", "CUB", "SUN"]:
                ds = load_xlsa17(name, download=True)  # the user asked for it: fetch
                print(f"{name} ready: {ds.X.shape[0]} features ({time.perf_counter() - t0:.1f} s).")
    except (OSError, ValueError) as exc:  # offline, corrupt, or a mistyped name: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def fetch_models(models: list[str] | None = None, timeout: float = 5.0) -> int:
    """Download hub models into the Hugging Face cache, so lesson 06 runs later without a network."""
    from .switches import offline_reason
    from .text import CLIP_MODEL, NLI_MODEL, hub_available

    models = models or [NLI_MODEL, CLIP_MODEL]
    reason = offline_reason()  # the course's one offline rule, read once
    if reason or not hub_available(timeout):
        why = f"offline mode is on ({reason})" if reason else \
              f"the Hugging Face hub could not be reached within {timeout:g} s"
        print(f"error: cannot fetch {', '.join(models)}: {why}. Run this on a machine with internet, then copy "
              "its Hugging Face cache (~/.cache/huggingface/hub, or $HF_HOME) to the offline machines. "
              "Lesson 06 still runs offline with the bundled all-MiniLM-L6-v2.", file=sys.stderr)
        return 1
    from huggingface_hub import snapshot_download

    for model in models:
        t0 = time.perf_counter()
        # Only what transformers loads in PyTorch: hub repos also hold TF, Flax and Rust copies of the weights.
        path = snapshot_download(model, allow_patterns=["*.json", "*.txt", "*.model", "*.safetensors"])
        if not any(Path(path).glob("*.safetensors")):  # an older repo without safetensors weights
            path = snapshot_download(model, allow_patterns=["*.json", "*.txt", "*.model", "pytorch_model.bin"])
        print(f"{model} ready in {path} ({time.perf_counter() - t0:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
