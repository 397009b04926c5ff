"""Running a notebook twice, each time in a fresh kernel, prints the same numbers (on the CPU, ZSL_FAST=1).

Seeds come from one helper, ``zsl_tutorial.set_seed`` (Python, NumPy, and torch when loaded), plus
the explicit ``seed=`` of every estimator and loader, which seed their own generators. This test
is the end-to-end check that nothing slipped through: every printed line of the notebook must match
between the two runs, after masking what legitimately differs (wall-clock times, memory addresses,
progress-bar rates). Progress bars (stderr and widget outputs) are ignored.

- 01 covers data loading, splits and the closed-form models.
- 02 trains torch models (the seen-class CNN encoder and the DeepEncoder). Its CNN features are
  normally cached on disk, which would let the second run skip training, so each run gets a fresh
  feature cache: both runs really train the CNN.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET = "application/vnd.jupyter.widget-view+json"
# Wall-clock times, memory addresses and rates legitimately differ between runs.
VOLATILE = [
    (re.compile(r"0x[0-9a-fA-F]+"), "<ADDR>"),
    (re.compile(r"\d+(\.\d+)?\s*(it/s|s/it)"), "<RATE>"),
    (re.compile(r"\[\d\d:\d\d(:\d\d)?<[^\]]*\]"), "[<ELAPSED>]"),
    (re.compile(r"\d+(\.\d+)?\s*(ms|s|sec|seconds|min|minutes)\b"), "<T> s"),
]
CHECKED = "# NBVAL_CHECK_OUTPUT"


def _sanitize(text: str) -> str:
    for rx, repl in VOLATILE:
        text = rx.sub(repl, text)
    return text


def printed(nb) -> list[tuple[int, bool, str]]:
    """(cell index, marked NBVAL_CHECK_OUTPUT?, sanitized text) for everything a code cell printed or returned."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        checked = CHECKED in cell.source
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                if o.name == "stderr":  # warnings and text progress bars
                    continue
                text = o.text
            elif o.output_type in ("execute_result", "display_data"):
                data = o.get("data", {})
                if WIDGET in data:  # a tqdm bar or a widget: its state is not a result
                    continue
                text = data.get("text/plain", "")
                if text.startswith("<Figure size"):
                    continue
            elif o.output_type == "error":
                text = f"ERROR {o.ename}: {o.evalue}"
            else:
                continue
            if not text:
                continue
            if o.output_type == "stream" and out and out[-1][0] == i and out[-1][3]:
                # How stdout is cut into chunks depends on flush timing: compare the joined text.
                out[-1] = (i, checked, out[-1][2] + text, True)
            else:
                out.append((i, checked, text, o.output_type == "stream"))
    return [(i, checked, _sanitize(text)) for i, checked, text, _ in out]


def _execute(path: Path) -> list[tuple[int, bool, str]]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return printed(nb)


def _fresh_feature_cache(data_home: Path, source: Path) -> None:
    """A data dir that shares the downloaded datasets with ``source`` but has no cached CNN features."""
    data_home.mkdir(exist_ok=True)
    if source.is_dir():
        for item in source.iterdir():
            link = data_home / item.name
            if item.name != "features" and not link.exists():
                link.symlink_to(item)
    shutil.rmtree(data_home / "features", ignore_errors=True)


def test_sanitize_masks_times_rates_and_addresses_but_not_numbers():
    assert _sanitize("took 12.5 s (3.1it/s) at 0x7f3a9c, [00:03<00:01, 2.0s/it]") == \
        "took <T> s (<RATE>) at <ADDR>, [<ELAPSED>]"
    assert _sanitize("ZSL top-1 45.2% with 40 seen classes, 1.8x chance") == \
        "ZSL top-1 45.2% with 40 seen classes, 1.8x chance"


def test_printed_ignores_progress_bars_and_figures():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{CHECKED}\nprint(1)")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="acc 0.5 in 2.0 s\n"),
        nbformat.v4.new_output("stream", name="stderr", text="100%|####| 3/3 [00:01<00:00, 2.9it/s]"),
        nbformat.v4.new_output("stream", name="stdout", text="more\n"),
        nbformat.v4.new_output("display_data", data={WIDGET: {"model_id": "x"}, "text/plain": "bar"}),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 100x100 with 1 Axes>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "True"}, execution_count=1),
    ]
    assert printed(nb) == [(0, True, "acc 0.5 in <T> s\nmore\n"), (0, True, "True")]


@pytest.mark.slow
@pytest.mark.parametrize("name, fresh_features", [("01_seen_unseen_auxiliary", False),
                                                  ("02_encoder_zero_shot", True)])
def test_notebook_prints_the_same_numbers_twice(name, fresh_features, monkeypatch, tmp_path):
    monkeypatch.setenv("ZSL_FAST", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = ROOT / "notebooks" / f"{name}.ipynb"
    from zsl_tutorial.config import data_dir

    source = data_dir(create=False)  # the real cache (honours a ZSL_DATA_DIR set by the caller)
    runs = []
    for _ in range(2):
        if fresh_features:
            _fresh_feature_cache(tmp_path / "data", source)
            monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path / "data"))
        runs.append(_execute(path))
    first, second = runs
    assert len(first) > 5, "the notebook printed almost nothing: is it the right one?"
    assert not [t for _, _, t in first if t.startswith("ERROR")], "the notebook raised"
    assert sum(checked for _, checked, _ in first) >= 3, f"expected 3+ {CHECKED} outputs in {name}"
    if fresh_features:
        assert not any("loaded from cache" in t for _, _, t in first + second), "the CNN was not retrained"
    for (i, _, a), (j, _, b) in zip(first, second):
        assert (i, a) == (j, b), f"{name}: cell {i} printed differently in two runs:\n{a}\n---\n{b}"
    assert len(first) == len(second)
