"""The command line an instructor uses to pre-fetch everything before an offline workshop."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from zsl_tutorial.__main__ import main


def test_fetch_models_offline_fails_fast_with_a_clear_message(monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t0 = time.perf_counter()
    rc = main(["fetch", "models"])
    err = capsys.readouterr().err
    assert rc == 1
    assert time.perf_counter() - t0 < 5
    assert "facebook/bart-large-mnli" in err and "openai/clip-vit-base-patch32" in err
    assert "offline mode is on" in err and "Hugging Face cache" in err


def test_fetch_models_unreachable_hub_names_the_timeout(monkeypatch, capsys):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    # Port 9 on localhost: nothing listens, so the probe fails at once without touching the internet.
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    rc = main(["fetch", "models", "some-org/some-model"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "some-org/some-model" in err and "could not be reached" in err


def test_fetch_rejects_unknown_dataset():
    proc = subprocess.run([sys.executable, "-m", "zsl_tutorial", "fetch", "imagenet"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr and "models" in proc.stderr


def test_fetch_xlsa17_unknown_name_is_one_line_not_a_traceback(monkeypatch, tmp_path):
    env = {"ZSL_DATA_DIR": str(tmp_path), "ZSL_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "zsl_tutorial", "fetch", "xlsa17", "NOPE"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "unknown xlsa17 dataset 'NOPE'" in proc.stderr and "AWA2" in proc.stderr


def test_fetch_xlsa17_offline_names_the_manual_copy(tmp_path):
    env = {"ZSL_DATA_DIR": str(tmp_path), "ZSL_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "zsl_tutorial", "fetch", "xlsa17", "AWA2"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert str(tmp_path / "xlsa17.zip") in proc.stderr and "res101.mat" in proc.stderr
    assert not any(tmp_path.rglob("*.mat"))  # nothing half-written


def test_bench_runs_every_named_method_on_an_xlsa17_folder(tmp_path, capsys):
    from zsl_tutorial.data.xlsa17 import write_xlsa17_fixture

    folder = write_xlsa17_fixture(tmp_path, "CUB", n_classes=10, n_unseen=3, n_val=3, n_attributes=6, n_features=16)
    before = sorted(p.name for p in folder.iterdir())
    rc = main(["bench", str(folder), "--fast", "--methods", "ESZSL", "Ridge → attributes"])
    out = capsys.readouterr().out
    assert rc == 0
    rows = [line for line in out.splitlines() if line.startswith("| ESZSL") or line.startswith("| Ridge")]
    assert len(rows) == 2 and all(len(r.split("|")) == 10 for r in rows)  # 8 numbers a row
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written into the user's folder


def test_bench_bad_folder_and_method_are_one_line_errors(tmp_path, capsys):
    assert main(["bench", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.startswith("error:")
    from zsl_tutorial.data.xlsa17 import write_xlsa17_fixture

    folder = write_xlsa17_fixture(tmp_path, "CUB", n_classes=10, n_unseen=3, n_val=3)
    assert main(["bench", str(folder), "--methods", "NoSuchMethod"]) == 1
    assert "unknown method" in capsys.readouterr().err


def test_study_writes_the_report_of_a_study_on_your_own_files(tmp_path, capsys):
    from zsl_tutorial.data import write_digits_example

    features, classes = write_digits_example(tmp_path)
    out = tmp_path / "report.md"
    rc = main(["study", str(features), str(classes), "--unseen", "3", "7", "9", "--n-val", "2", "--fast",
               "--methods", "ESZSL", "SAE (visual)", "--seeds", "0", "1", "--n-boot", "200", "--out", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "| ESZSL |" in printed and "SAE (visual), calibrated | ESZSL, calibrated" in printed
    assert out.read_text(encoding="utf-8") in printed + "\n"


def test_study_mistakes_are_one_line_errors(tmp_path, capsys):
    from zsl_tutorial.data import write_digits_example

    features, classes = write_digits_example(tmp_path)
    assert main(["study", str(features), str(classes), "--unseen", "3", "nine"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unseen: 1 name(s) not in the class table: 'nine'") and "Traceback" not in err
    assert main(["study", str(features), str(classes), "--unseen", "3", "7", "--methods", "ESZSL",
                 "--baseline", "SAE (visual)"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: baseline 'SAE (visual)'") and "Traceback" not in err
    assert not (tmp_path / "report.md").exists()
