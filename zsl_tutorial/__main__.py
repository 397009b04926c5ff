"""Command line: ``python -m zsl_tutorial env``, ``fetch animals|xlsa17 NAME|models``, ``bench FOLDER``, or
``study FEATURES CLASSES --unseen ...`` (a zero-shot study of your own files, written as a markdown report).

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
    study = sub.add_parser("study", help="a zero-shot study of your own features and class table (lesson 08)")
    study.add_argument("features", help=".npz with X and labels, or .csv with a label column")
    study.add_argument("classes", help=".csv with a class column, attribute columns, optionally description")
    study.add_argument("--unseen", nargs="+", required=True, help="the unseen class names, chosen in advance")
    study.add_argument("--val", nargs="+", help="seen classes to tune on (default: --n-val drawn per seed)")
    study.add_argument("--n-val", type=int, help="how many seen classes to draw for tuning (default: a third)")
    study.add_argument("--aux", choices=["attributes", "description"], default="attributes")
    study.add_argument("--methods", nargs="+", help="names as in evaluation.course_estimators() (default: all)")
    study.add_argument("--baseline", default="ESZSL", help="the method every other is compared with")
    study.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    study.add_argument("--n-boot", type=int, default=2000)
    study.add_argument("--fast", action="store_true", help="fewer epochs, to try the command out")
    study.add_argument("--out", help="write the report here too (markdown)")
    args = parser.parse_args(argv)

    if args.cmd == "study":
        from ._io import atomic_write
        from .evaluation.study import run_study

        try:
            result = run_study(args.features, args.classes, unseen=args.unseen, val=args.val, n_val=args.n_val,
                               aux=args.aux, methods=args.methods, baseline=args.baseline, seeds=args.seeds,
                               n_boot=args.n_boot, fast=args.fast or None)
        except (OSError, ValueError, TypeError) as exc:  # a bad file, class or method: one line that says the fix
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(result.report)
        if args.out:
            with atomic_write(args.out, "w", encoding="utf-8") as fh:
                fh.write(result.report)
            print(f"report written to {args.out}", file=sys.stderr)
        return 0

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
