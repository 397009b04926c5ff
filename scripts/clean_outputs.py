#!/usr/bin/env python
"""Clean the stored outputs of the lessons, so that a reader without a kernel sees what matters.

    python scripts/clean_outputs.py            # clean notebooks/*.ipynb in place
    python scripts/clean_outputs.py --check    # exit 1 and list what is not clean

``scripts/run_notebooks.py --inplace`` applies the same ``clean`` before it stores a notebook.
Three rules:

- no machine path: the data cache folder reads ``<data cache>``, the home folder ``~``, the
  course folder ``.``;
- no frozen progress bar: a tqdm bar is a live widget whose stored text is its first frame
  ("0%|"), so it is dropped (the bars are ``leave=False``: they vanish when done anyway);
- no raw widget repr and no widget view: a widget's output becomes one readable line that says it
  needs a live kernel and links to Binder (its view would only show "Error displaying widget: model not
  found" in a reopened notebook, since the widget's state lives in the kernel); every widget of the
  course also draws a static figure, stored beside it.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
sys.path.insert(0, str(ROOT))
from zsl_tutorial.repository import REPOSITORY  # noqa: E402

#: What a stored widget reads as without a kernel (GitHub, the website): what it needs, and where to get it.
WIDGET_TEXT = (f"[interactive widget: it needs a live kernel. Launch one on Binder "
               f"(https://mybinder.org/v2/gh/{REPOSITORY}/main?urlpath=lab/tree/notebooks) or Colab (the badge at "
               "the top), or run the lesson locally; the figure shows its starting state]")
_PROGRESS = re.compile(r"\d+%\|")
_WIDGET_REPR = re.compile(r"^\s*[A-Z]\w*\((children|value|description|layout)=")
#: What any absolute path of a machine starts with, for the check.
_MACHINE_PATH = re.compile(r"(?<![\w.~<])(/root|/home|/Users|/tmp|/work|/var|/private)/[^\s\"')]*")


def _replacements() -> list[tuple[str, str]]:
    from zsl_tutorial.config import data_dir  # ROOT is on the path (above)

    pairs = [(str(data_dir(create=False)), "<data cache>"), (str(ROOT), "."), (str(Path.home()), "~")]
    return sorted(pairs, key=lambda p: -len(p[0]))  # the longest first: the cache lives under home


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _sub_paths(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def clean(nb) -> int:
    """Clean ``nb``'s outputs in place; return how many outputs were changed or dropped."""
    pairs, changed = _replacements(), 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            plain = _text(data.get("text/plain", ""))
            if WIDGET_MIME in data and _PROGRESS.search(plain):
                changed += 1
                continue  # a progress bar's first frame
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and _PROGRESS.search(_text(out["text"])):
                lines = [l for l in _text(out["text"]).splitlines(keepends=True) if not _PROGRESS.search(l)]
                changed += 1
                if not "".join(lines).strip():
                    continue
                out["text"] = "".join(lines)
            if WIDGET_MIME in data:
                # The view refers to a widget model that lives only in a running kernel: a reopened
                # notebook would show "Error displaying widget: model not found". Keep the note instead
                # (the static figure is stored beside it).
                del data[WIDGET_MIME]
                data["text/plain"] = WIDGET_TEXT
                changed += 1
            if "text" in out:
                new = _sub_paths(_text(out["text"]), pairs)
                changed += new != _text(out["text"])
                out["text"] = new
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in data:
                    new = _sub_paths(_text(data[mime]), pairs)
                    changed += new != _text(data[mime])
                    data[mime] = new
            kept.append(out)
        cell["outputs"] = kept
    return changed


def problems(nb) -> list[str]:
    """What is still not clean in ``nb``'s stored outputs (empty when clean)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {})
            texts = [_text(out.get("text", ""))] + [_text(data.get(m, "")) for m in ("text/plain", "text/markdown",
                                                                                    "text/html")]
            for t in texts:
                for m in _MACHINE_PATH.finditer(t):
                    found.append(f"cell {i}: machine path {m.group(0)[:60]!r}")
            plain = _text(data.get("text/plain", ""))
            if _PROGRESS.search(plain) or (out.get("name") == "stderr" and _PROGRESS.search(texts[0])):
                found.append(f"cell {i}: a stored progress bar")
            if _WIDGET_REPR.match(plain):
                found.append(f"cell {i}: a raw widget repr")
            if WIDGET_MIME in data:
                found.append(f"cell {i}: a widget view, which a reopened notebook cannot display (model not found)")
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--check", action="store_true", help="only report; exit 1 if anything is not clean")
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    dirty = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            found = problems(nb)
            dirty += bool(found)
            for f in found:
                print(f"{path.name}: {f}")
        elif clean(nb):
            nbformat.write(nb, path)
            print(f"cleaned {path.name}")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main())
