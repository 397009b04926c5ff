"""A real browser runs a notebook in JupyterLab and sees the course's widgets render and respond.

This is what a learner does: open the notebook in JupyterLab, "Run All Cells",
then drag the γ slider and watch u, s and H change (lesson 03), and pick a start
class in the "invent an animal" editor and watch it follow (lesson 04). The test starts its own
JupyterLab on a free local port with a random token, drives Debian's Chromium
through Playwright, and always stops the server.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; scripts/setup.sh
installs it when run as root) and the ``playwright`` Python package (the test
extra). Never ``playwright install``: we use the system Chromium. Without them
the test skips locally, but fails in CI (``CI=true``), so a missing install
step cannot hide.

Screenshots go to pytest's tmp_path, and are also copied to
``$ZSL_SCREENSHOT_DIR`` when that is set.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "tests" / "browser" / "widget_smoke.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
H_PATTERN = re.compile(r"H = (\d+(?:\.\d+)?)%")


def unavailable(reason: str):
    """Skip locally; fail in CI, where the setup script must have installed everything."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI; see scripts/setup.sh)")
    pytest.skip(reason)


@pytest.fixture
def sync_playwright():
    """Playwright's entry point, once we know that Chromium and Playwright are both here."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is missing: pip install -e '.[test]'")
    return sync_playwright


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer {url} within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen, base: str, token: str) -> None:
    """Shut JupyterLab down (its kernels too), then make sure every process it started is gone."""
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # psutil missing or the server already gone
        children = []
    try:
        req = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                     headers={"Authorization": f"token {token}"})
        urllib.request.urlopen(req, timeout=5).close()
        proc.wait(timeout=15)
    except Exception:
        pass
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    for child in children:  # kernels run in their own session: end them by pid
        try:
            child.kill()
        except Exception:
            pass


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab serving a temporary copy of the smoke notebook; yields (base URL, token)."""
    work = tmp_path / "lab"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)  # autosave must never touch the repository's copy
    token = secrets.token_hex(16)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ZSL_FAST="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.token={token}", f"--port={port}", "--allow-root",
           f"--ServerApp.root_dir={work}", "--ServerApp.port_retries=0",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    # Offline and quiet: no "get notified about Jupyter news?" toast, no update check.
    notification = tmp_path / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    log = tmp_path / "jupyterlab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_answers(f"{base}/api/status?token={token}", proc, log, timeout=90)
        yield base, token
    finally:
        stop_server(proc, base, token)


def h_value(text: str) -> float:
    m = H_PATTERN.search(text)
    assert m, f"no 'H = ..%' in the widget text {text!r}"
    return float(m.group(1))


def save_screenshot(page_or_locator, path: Path) -> None:
    page_or_locator.screenshot(path=str(path))
    target = os.environ.get("ZSL_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


#: Cut-off and overlapping widget parts, as the browser lays them out: a widget or image whose right edge
#: is past the window's, an output area that has to scroll sideways, and sliders of one box that overlap.
LAYOUT_PROBLEMS_JS = """() => {
  const out = [], vw = document.documentElement.clientWidth;
  const name = e => (e.className && e.className.baseVal === undefined ? e.className : e.tagName).toString().slice(0, 60);
  for (const e of document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output img')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1) out.push(`${name(e)}: right edge ${Math.round(r.right)} px > window ${vw} px`);
  }
  for (const e of document.querySelectorAll('.jp-OutputArea-output')) {
    if (e.scrollWidth > e.clientWidth + 1) out.push(`an output scrolls sideways: ${e.scrollWidth} > ${e.clientWidth} px`);
  }
  for (const box of document.querySelectorAll('.jp-OutputArea-output .widget-gridbox, .jp-OutputArea-output .widget-hbox')) {
    const kids = [...box.children].map(k => k.getBoundingClientRect()).filter(r => r.width > 0);
    for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
      const a = kids[i], b = kids[j];
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        out.push(`${name(box)}: children ${i} and ${j} overlap`);
    }
  }
  return out;
}"""


def layout_problems(page) -> list[str]:
    """What :data:`LAYOUT_PROBLEMS_JS` finds on the page now."""
    return page.evaluate(LAYOUT_PROBLEMS_JS)


def open_notebook(browser, base: str, token: str, name: str, viewport: dict):
    """A page with the notebook ``name`` open in JupyterLab and its kernel started and idle (the status bar
    reads "Python 3 (ipykernel) | Idle"): running before that would open the "Select Kernel" dialog."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(30_000)
    page.goto(f"{base}/lab/tree/{name}?token={token}", wait_until="domcontentloaded", timeout=60_000)
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"Python 3.*\|\s*Idle")).first.wait_for(timeout=60_000)
    return page


def test_widgets_render_and_respond_in_jupyterlab(sync_playwright, jupyterlab, tmp_path):
    base, token = jupyterlab  # (sync_playwright comes first: no server is started when we must skip)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            # A laptop's window, where a fixed 942-px grid used to be cut off.
            page = open_notebook(browser, base, token, NOTEBOOK.name, {"width": 1280, "height": 800})

            # Run -> Run All Cells, through the menu bar, as a learner would.
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()

            slider = page.locator(".jp-OutputArea .jupyter-widgets .widget-slider").first
            try:
                slider.wait_for(state="visible", timeout=90_000)
            except Exception:
                save_screenshot(page, tmp_path / "browser_no_slider.png")
                raise
            scores = page.locator(".jp-OutputArea .zsl-gzsl-scores").first
            scores.wait_for(state="visible")
            # Drag only once every cell has run: while the kernel still ran the last cell, and the editor's
            # output grew below, the first press sometimes only selected the cell and the handle stayed put.
            page.locator(".jp-OutputArea .zsl-invent-text").first.wait_for(state="visible", timeout=90_000)
            page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"Python 3.*\|\s*Idle")).first.wait_for(
                timeout=90_000)
            widget = page.locator(".jp-OutputArea .widget-vbox", has=page.locator(".widget-slider")).first
            widget.scroll_into_view_if_needed()
            before_text = scores.inner_text()
            before_h = h_value(before_text)
            readout = slider.locator(".widget-readout")
            before_gamma = readout.inner_text()
            save_screenshot(page, tmp_path / "browser_widget_before.png")

            # Drag the γ handle to the far left end of its track (γ well below the validated value).
            handle = slider.locator(".noUi-handle, .ui-slider-handle").first  # ipywidgets 8 / 7
            track = slider.locator(".noUi-target, .noUi-base, .ui-slider").first
            hb, tb = handle.bounding_box(), track.bounding_box()
            assert hb and tb, "the slider has no on-screen geometry"
            page.mouse.move(hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2)
            page.mouse.down()
            for frac in (0.75, 0.5, 0.25, 0.0):
                x = tb["x"] + frac * (hb["x"] + hb["width"] / 2 - tb["x"])
                page.mouse.move(x, hb["y"] + hb["height"] / 2, steps=5)
            page.mouse.move(tb["x"] - 20, hb["y"] + hb["height"] / 2, steps=3)
            page.mouse.up()

            deadline = time.monotonic() + 20
            after_text = before_text
            while time.monotonic() < deadline and after_text == before_text:
                page.wait_for_timeout(250)
                after_text = scores.inner_text()
            # The kernel may still be working through intermediate γ values of the drag: read the
            # text only once it has stopped changing for a second.
            settled = None
            while time.monotonic() < deadline and settled != after_text:
                settled = after_text
                page.wait_for_timeout(1000)
                after_text = scores.inner_text()
            after_gamma = readout.inner_text()
            save_screenshot(widget, tmp_path / "browser_widget_after.png")
            save_screenshot(page, tmp_path / "browser_page_after.png")

            # Lesson 04's "invent an animal" editor, further down the same notebook: its generated
            # images load, it has one slider per attribute, and choosing a start class updates it.
            invent_text = page.locator(".jp-OutputArea .zsl-invent-text").first
            invent_text.wait_for(state="visible", timeout=150_000)
            invent = page.locator(".jp-OutputArea .zsl-invent").first
            invent.scroll_into_view_if_needed()
            invent_before = invent_text.inner_text()
            invent_img_width = invent.locator("img").first.evaluate("e => e.complete ? e.naturalWidth : -1")
            invent_sliders = invent.locator(".widget-slider").count()
            layout = layout_problems(page)  # both widgets are on the page now
            invent.locator("select").first.select_option(label="zebra (unseen)")
            deadline = time.monotonic() + 30
            invent_after = invent_before
            while time.monotonic() < deadline and "start: zebra" not in invent_after:
                page.wait_for_timeout(250)
                invent_after = invent_text.inner_text()
            save_screenshot(invent, tmp_path / "browser_invent_after.png")
            (tmp_path / "browser_seen.json").write_text(json.dumps(
                {"before": before_text, "after": after_text, "gamma_before": before_gamma,
                 "gamma_after": after_gamma, "invent_before": invent_before, "invent_after": invent_after,
                 "invent_img_width": invent_img_width, "invent_sliders": invent_sliders, "layout": layout},
                ensure_ascii=False, indent=1))
        finally:
            browser.close()

    assert not layout, f"widgets cut off or overlapping at 1280 x 800 (screenshots in {tmp_path}): {layout}"
    assert invent_img_width > 0, "the invent-an-animal images did not load"
    assert invent_sliders == 23, f"expected one slider per Animal-MNIST attribute, found {invent_sliders}"
    assert "start: zebra" in invent_after, f"choosing zebra did not update the editor: {invent_after!r}"

    assert after_gamma != before_gamma, f"the γ readout did not move ({before_gamma})"
    assert after_text != before_text, f"H text did not update after dragging the slider: {before_text!r}"
    after_h = h_value(after_text)
    assert after_h != before_h
    # Dragging γ down from the validated value towards plain argmax brings the seen-class bias back.
    assert after_h < before_h, (before_text, after_text)


LESSON = ROOT / "notebooks" / "03_failure_modes.ipynb"  # stored widgets and figures, as a learner finds them


def test_opening_and_saving_a_lesson_without_edits_changes_no_byte(sync_playwright, jupyterlab, tmp_path):
    """A learner opens a lesson and saves it (or autosave does): the file, and so `git status`, stays as it
    was. The lessons store the metadata that JupyterLab writes (its kernelspec and the kernel's
    language_info, on the Python of constraints.txt), and JupyterLab keeps the freshness stamp."""
    base, token = jupyterlab
    copy = tmp_path / "lab" / LESSON.name
    shutil.copy(LESSON, copy)
    before = copy.read_bytes()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = open_notebook(browser, base, token, LESSON.name, {"width": 1280, "height": 800})
            # The stored widgets read as a note with a link to a live kernel, never as a broken widget.
            page.locator(".jp-OutputArea-output", has_text="needs a live kernel").first.wait_for(timeout=30_000)
            errors = page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count()
            page.locator(".jp-NotebookPanel .jp-Notebook").first.click()
            mtime = copy.stat().st_mtime_ns
            page.keyboard.press("Control+s")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and copy.stat().st_mtime_ns == mtime:
                page.wait_for_timeout(250)
            assert copy.stat().st_mtime_ns != mtime, "JupyterLab did not save the notebook"
        finally:
            browser.close()
    assert errors == 0, f"{errors} stored widget(s) show 'Error displaying widget'"
    after = copy.read_bytes()
    stored = json.loads(before)["metadata"]["language_info"].get("version")
    running = ".".join(map(str, sys.version_info[:3]))
    if stored != running:  # JupyterLab writes the running Python's version: exact only on the pinned one
        after = after.replace(f'"version": "{running}"'.encode(), f'"version": "{stored}"'.encode())
    if after != before:
        import difflib

        diff = "\n".join(list(difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                                   lineterm="", n=1))[:60])
        pytest.fail(f"saving {LESSON.name} unchanged in JupyterLab rewrote it:\n{diff}")


def test_the_layout_check_sees_cut_off_and_overlapping_widgets(sync_playwright):
    """LAYOUT_PROBLEMS_JS on a hand-made page: silent on a clean one, and it names each defect of a broken one."""
    clean = ('<div class="jp-OutputArea-output" style="width:800px"><div class="jupyter-widgets widget-gridbox" '
             'style="display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr))">'
             '<div style="height:20px"></div><div style="height:20px"></div><div style="height:20px"></div></div></div>')
    broken = ('<div class="jp-OutputArea-output" style="width:800px;overflow:auto"><div class="jupyter-widgets '
              'widget-gridbox" style="display:grid;grid-template-columns:repeat(3,310px);width:942px">'
              '<div style="height:20px"></div><div style="height:20px;margin-left:-200px"></div></div></div>')
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 600})
            page.set_content(clean)
            assert layout_problems(page) == []
            page.set_content(broken)
            found = " | ".join(layout_problems(page))
        finally:
            browser.close()
    assert "right edge" in found and "scrolls sideways" in found and "overlap" in found, found
