"""Command line: ``python -m zsl_tutorial env`` or ``python -m zsl_tutorial fetch animals|xlsa17 NAME``.

Instructors can pre-fetch every data set before a workshop in an offline room.
"""
from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zsl_tutorial", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("env", help="print the environment report")
    fetch = sub.add_parser("fetch", help="download and cache a data set")
    fetch.add_argument("dataset", choices=["animals", "xlsa17"])
    fetch.add_argument("names", nargs="*", help="for xlsa17: AWA1 AWA2 CUB SUN APY (default AWA2 CUB SUN)")
    args = parser.parse_args(argv)

    if args.cmd == "env":
        from .env import report

        report()
        return 0
    t0 = time.perf_counter()
    try:
        if args.dataset == "animals":
            from .data.animals import load_animals

            ds = load_animals(verbose=True)
            print(f"Animal-MNIST ready: {len(ds.X)} images ({time.perf_counter() - t0:.1f} s).")
        else:
            from .data.xlsa17 import load_xlsa17

            for name in args.names or ["AWA2", "CUB", "SUN"]:
                ds = load_xlsa17(name)
                print(f"{name} ready: {ds.X.shape[0]} features ({time.perf_counter() - t0:.1f} s).")
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
