"""Lesson 07's pipeline: published numbers, the ZSL_DATASET switch, per-dataset settings, and the whole run end to end
on files in the xlsa17 layout (no real data, no internet)."""
from __future__ import annotations

import urllib.request

import numpy as np
import pytest
from scipy.io import loadmat, savemat

from zsl_tutorial import benchmarks as B
from zsl_tutorial.data import xlsa17
from zsl_tutorial.data.xlsa17 import write_xlsa17_fixture
from zsl_tutorial.evaluation import course_methods


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for var in (B.DATASET_ENV, "ZSL_OFFLINE", "HF_HUB_OFFLINE", "ZSL_XLSA17_URL", "ZSL_DEVICE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ZSL_DATA_DIR", str(tmp_path / "cache"))  # an empty cache: nothing real is there


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("no network access may be attempted here")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def _unmark(folder):
    """Make a fixture look like the real release (drop the marker), so the real-data code path runs on it."""
    path = folder / "att_splits.mat"
    mat = {k: v for k, v in loadmat(path).items() if not k.startswith("__") and k != xlsa17._FIXTURE_KEY}
    savemat(path, mat)


SMALL = dict(n_classes=12, n_unseen=3, n_val=3, n_attributes=10, n_features=24, samples_per_class=15, n_test_seen=4)


# =========================================================================== published numbers
def test_reference_table_parses_the_bundled_file():
    rows = B.reference_table()
    assert len(rows) == 140
    assert {r["marker"] for r in rows} == {"P", "S", "M"}
    assert B.published("ESZSL", "awa2") == {"zsl": (58.6, "S"), "u": (5.9, "S"), "s": (77.8, "S"), "h": (11.0, "S")}
    assert B.published("SAE (semantic)", "CUB")["zsl"] == (33.3, "S")  # our name maps to the paper's row
    assert B.published("f-CLSWGAN", "CUB") == {"zsl": (57.3, "P"), "u": (43.7, "S"), "s": (57.7, "S"),
                                               "h": (49.7, "S")}
    assert B.published("f-CLSWGAN", "AWA2") == {}  # the paper reports AWA1 only: nothing invented
    assert B.published("f-CLSWGAN", "AWA1")["h"] == (59.6, "S")
    assert all(mk == "M" for _, mk in B.published("DAP", "SUN").values())
    assert B.published("Deep encoder", "AWA2") == {}
    mvp = B.published("ESZSL", "CUB", source="mvp18/Popular-ZSL-Algorithms")
    assert mvp == {"u": (14.7, "S"), "s": (56.5, "S"), "h": (23.3, "S")}


def test_format_reference_marks_markers_and_gaps():
    text = B.format_reference(methods=["ESZSL", "f-CLSWGAN", "DAP"], source=None)
    lines = text.splitlines()
    assert lines[0].startswith("| method | source | AWA2 ZSL")
    fgan = next(line for line in lines if line.startswith("| f-CLSWGAN"))
    assert "| — | — |" in fgan and "57.3 [P]" in fgan and "43.7 / 57.7 / 49.7 [S]" in fgan
    assert "46.1 [M]" in next(line for line in lines if line.startswith("| DAP"))
    assert "[M] UNVERIFIED" in text
    assert "[M]" not in B.format_reference(methods=["ESZSL"])  # the legend lists only the markers used


@pytest.mark.parametrize("body, match", [
    ("source,method,dataset,value,marker\n", "first line"),
    ("X,ESZSL,AWA2,zsl,58.6,Q\n", "unknown marker 'Q'"),
    ("X,ESZSL,AWA2,top5,58.6,S\n", "unknown metric 'top5'"),
    ("X,ESZSL,AWA2,zsl,586,S\n", "not an accuracy"),
    ("X,ESZSL,AWA2,zsl,n/a,S\n", "not a number"),
    ("X,ESZSL,AWA2,zsl,58.6\n", "expected 6 fields"),
    ("X,ESZSL,AWA2,zsl,58.6,S\nX,ESZSL,awa2,zsl,58.0,S\n", "already given on line 2"),
    ("X,ESZSL,AWA2,u,5.9,S\nX,ESZSL,AWA2,s,77.8,S\nX,ESZSL,AWA2,h,17.0,S\n", "mistyped"),
    (",ESZSL,AWA2,zsl,58.6,S\n", "must not be empty"),
])
def test_reference_table_rejects_malformed_files(tmp_path, body, match):
    path = tmp_path / "ref.csv"
    header = "source,method,dataset,metric,value,marker\n"
    path.write_text(body if body.startswith("source,method,dataset,value") else header + body)
    with pytest.raises(B.ReferenceTableError, match=match):
        B.reference_table(path)


def test_reference_errors_name_the_line(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("source,method,dataset,metric,value,marker\nX,A,CUB,zsl,50,S\n\nX,A,CUB,u,5,Z\n")
    with pytest.raises(B.ReferenceTableError, match="ref.csv, line 4"):
        B.reference_table(path)


def test_ours_minus_paper():
    ours = {"zsl": 60.0, "u": 10.0, "s": 80.0, "h": 17.8}
    d = B.ours_minus_paper(ours, {"zsl": (58.6, "S"), "h": 11.0, "u": None})
    assert d["zsl"] == pytest.approx(1.4) and d["h"] == pytest.approx(6.8) and d["u"] is None
    assert set(d) == {"zsl", "h", "u"}
    assert B.ours_minus_paper({"zsl": None}, {"zsl": 50.0}) == {"zsl": None}


# =========================================================================== the switch
@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("  ", None), ("auto", None), ("AUTO", None),
    ("synthetic", ("synthetic",)), ("Fixture", ("fixture",)),
    ("awa2, cub;SUN", ("AWA2", "CUB", "SUN")), ("AWA2 AWA2,cub", ("AWA2", "CUB")),
    ("fixture,synthetic", ("fixture", "synthetic")), (["sun", "apy"], ("SUN", "APY")),
])
def test_parse_dataset_switch(value, expected):
    assert B.parse_dataset_switch(value) == expected


@pytest.mark.parametrize("bad", ["AWA3", "cub,imagenet", "synth", "auto,CUB"])
def test_a_bad_switch_value_is_a_clear_error(bad, monkeypatch):
    with pytest.raises(ValueError, match="unknown dataset name") as err:
        B.parse_dataset_switch(bad)
    msg = str(err.value)
    assert "ZSL_DATASET" in msg and "synthetic, fixture, AWA1, AWA2, CUB, SUN, APY" in msg
    monkeypatch.setenv(B.DATASET_ENV, bad)
    with pytest.raises(ValueError, match="unknown dataset name"):
        B.benchmark_datasets()
    with pytest.raises(TypeError):
        B.parse_dataset_switch(3)


def test_auto_without_cache_falls_back_to_synthetic_and_downloads_nothing(no_network, monkeypatch):
    calls = []
    real_load = xlsa17.load_xlsa17

    def spy(name, **kwargs):
        calls.append((name, kwargs["download"]))
        return real_load(name, **kwargs)

    monkeypatch.setattr(xlsa17, "load_xlsa17", spy)
    data = B.benchmark_datasets()
    assert [d.name for d in data] == ["AWA2", "CUB", "SUN", "synthetic"]
    assert calls == [("AWA2", False), ("CUB", False), ("SUN", False)]
    for d in data[:3]:
        assert d.dataset is None and not d.available and not d.real
        assert "not in the data cache" in d.message and "ZSL_DATASET=" in d.message and "res101.mat" in d.message
    syn = data[-1]
    assert syn.available and not syn.real and syn.paper_dataset == "AWA2"
    assert "Falling back" in syn.message and "synthetic" in syn.message


@pytest.mark.parametrize("flag", ["ZSL_OFFLINE", "HF_HUB_OFFLINE"])
def test_explicit_names_offline_give_a_message_not_a_crash(no_network, monkeypatch, flag):
    monkeypatch.setenv(flag, "1")
    monkeypatch.setenv(B.DATASET_ENV, "AWA2,CUB")
    assert B.network_disabled() == f"{flag}=1"
    data = B.benchmark_datasets()
    assert [d.name for d in data] == ["AWA2", "CUB", "synthetic"]
    assert data[0].dataset is None and f"{flag}=1" in data[0].message and "no download was tried" in data[0].message
    assert f"with {flag} unset" in data[0].message  # the way out names the variable
    assert "none of the requested datasets" in data[-1].message
    assert B.benchmark_datasets("AWA2", fallback=False)[0].dataset is None  # no fallback when asked not to
    assert len(B.benchmark_datasets("AWA2", fallback=False)) == 1


def test_explicit_names_online_try_the_download_and_report_failure(monkeypatch):
    monkeypatch.setenv("ZSL_XLSA17_URL", "http://127.0.0.1:9/xlsa17.zip")  # nothing listens there
    data = B.benchmark_datasets("SUN", fallback=False)
    assert data[0].dataset is None
    assert "could not be loaded" in data[0].message and "OfflineError" in data[0].message


def test_synthetic_and_fixture_switches(tmp_path, monkeypatch):
    monkeypatch.setenv(B.DATASET_ENV, "synthetic")
    (syn,) = B.benchmark_datasets()
    assert syn.available and syn.dataset.name == "Synthetic" and not syn.real and syn.paper_dataset == "AWA2"
    monkeypatch.setenv(B.DATASET_ENV, "fixture")
    (fix,) = B.benchmark_datasets(fixture_root=tmp_path / "fx", fixture_kwargs=SMALL)
    assert fix.available and not fix.real and fix.dataset.extras["fixture"]
    assert (tmp_path / "fx" / "xlsa17" / "data" / "AWA2" / "res101.mat").exists()
    assert "read back with load_xlsa17" in fix.message and fix.paper_dataset == "AWA2"
    assert fix.dataset.n_classes == SMALL["n_classes"]


def test_a_damaged_cache_is_reported_as_such(tmp_path, no_network):
    root = tmp_path / "release"
    folder = write_xlsa17_fixture(root, "SUN", **SMALL)
    (folder / "res101.mat").write_bytes(b"not a mat file")
    (sun,) = B.benchmark_datasets("SUN", root=root, download=False, fallback=False)
    assert sun.dataset is None and "could not be loaded" in sun.message and "res101.mat" in sun.message
    (cub,) = B.benchmark_datasets("CUB", root=root, download=False, fallback=False)
    assert "and download=False" in cub.message


def test_auto_uses_what_is_in_the_cache(tmp_path, no_network):
    root = tmp_path / "release"  # the cache folder refuses fixtures; any folder can be root
    _unmark(write_xlsa17_fixture(root, "CUB", **SMALL))
    data = B.benchmark_datasets(root=root)
    assert [(d.name, d.available) for d in data] == [("AWA2", False), ("CUB", True), ("SUN", False)]
    cub = data[1]
    assert cub.real and cub.paper_dataset == "CUB" and "real xlsa17 features" in cub.message


# =========================================================================== settings per dataset
def test_specs_on_simulated_data_are_the_course_settings():
    for target in ("synthetic", "fixture"):
        specs = B.benchmark_specs(target, device="cpu", fast=False)
        course = course_methods(include=B.DEFAULT_METHODS, fast=False)
        assert [(s.name, s.fixed, s.grid, s.select) for s in specs] == [(s.name, s.fixed, s.grid, s.select)
                                                                        for s in course]


def test_cpu_and_gpu_settings_for_real_data(monkeypatch):
    cpu = {s.name: s for s in B.benchmark_specs("AWA2", device="cpu", fast=False)}
    g = cpu["f-CLSWGAN"]
    assert g.fixed["hidden"] == 256 and g.fixed["lr"] == B.CPU_CLSWGAN["AWA"]["lr"]
    assert g.grid == {"epochs": [4, 8], "n_synth": [300, 600]} and g.post_fit == ("epochs", "n_synth")
    assert g.select == "gzsl" and "epochs" not in g.fixed
    assert "n_synth" not in g.fixed and "device" not in g.fixed and "seed" not in g.fixed
    assert cpu["SAE (semantic)"].grid["lam"][0] == 0.001
    gpu = {s.name: s for s in B.benchmark_specs("CUB", profile="gpu", fast=False)}
    p = gpu["f-CLSWGAN"].fixed
    assert (p["hidden"], p["lr"], p["epochs"], p["batch_size"], p["n_critic"], p["beta"]) == (4096, 1e-4, 56, 64, 5, 0.01)
    assert gpu["f-CLSWGAN"].grid == {"n_synth": [100, 300, 600]}
    # with CUDA present, the default profile for real data is the paper's
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    auto = {s.name: s for s in B.benchmark_specs("SUN", fast=False)}
    assert auto["f-CLSWGAN"].fixed["hidden"] == 4096 and auto["f-CLSWGAN"].fixed["lr"] == 2e-4
    fast = {s.name: s for s in B.benchmark_specs("SUN", profile="gpu", fast=True)}
    assert fast["f-CLSWGAN"].fixed["epochs"] == 1 and len(fast["f-CLSWGAN"].grid["n_synth"]) == 1
    with pytest.raises(ValueError, match="profile"):
        B.benchmark_specs("AWA2", profile="tpu")
    with pytest.raises(TypeError):
        B.benchmark_specs(3)


# =========================================================================== end to end
def test_pipeline_end_to_end_on_xlsa17_files(tmp_path, no_network, capsys):
    """write the files -> the loader -> evaluate every method (fast) -> the table with paper columns."""
    root = tmp_path / "release"  # the cache folder refuses fixtures; any folder can be root
    _unmark(write_xlsa17_fixture(root, "AWA2", **SMALL))
    data = B.benchmark_datasets("AWA2", root=root)
    assert [(d.name, d.real) for d in data] == [("AWA2", True)]
    assert data[0].dataset.X.shape == (SMALL["n_classes"] * SMALL["samples_per_class"], SMALL["n_features"])

    results = B.run_benchmarks(data, seed=0, device="cpu", fast=True, progress=False)
    assert [(r.dataset, r.result.method) for r in results] == [("AWA2", m) for m in B.DEFAULT_METHODS]
    assert all(r.device == "cpu" and r.real and r.paper_dataset == "AWA2" for r in results)
    for r in results:
        res = r.result
        for v in (res.zsl, res.u, res.s, res.h, res.h_cal, res.ausuc):
            assert 0.0 <= v <= 1.0
        assert res.h == pytest.approx(2 * res.u * res.s / (res.u + res.s) if res.u + res.s else 0.0)
    # the real-data settings ran (the CPU profile's n_synth grid starts at 300; fast keeps its first value)
    real_gan = next(r.result for r in results if r.result.method == "f-CLSWGAN")
    assert real_gan.params["n_synth"] == 300
    # the same results, labelled as a stand-in, to see how simulated data is marked
    results += [r._replace(dataset="fixture", real=False) for r in results[:1]]

    rows = B.compare(results)
    by = {(r["dataset"], r["method"]): r for r in rows}
    es = by[("AWA2", "ESZSL")]
    assert es["paper"]["zsl"] == (58.6, "S") and es["paper_source"] == "Xian et al. TPAMI 2018"
    assert es["delta"]["zsl"] == pytest.approx(es["zsl"] - 58.6)
    assert es["delta"]["h"] == pytest.approx(es["h"] - 11.0) and es["note"] == ""
    assert by[("AWA2", "SAE (semantic)")]["paper"]["h"] == (2.2, "S")
    gan = by[("AWA2", "f-CLSWGAN")]
    assert gan["paper"] == {} and all(v is None for v in gan["delta"].values())
    assert "no published AWA2 row" in gan["note"] and "AWA1" in gan["note"]
    assert "no published counterpart" in by[("AWA2", "Deep encoder")]["note"]
    stand_in = by[("fixture", "ESZSL")]
    assert stand_in["note"].startswith("**not comparable**: simulated stand-in, not AWA2")
    assert stand_in["paper"] == {} and all(v is None for v in stand_in["delta"].values())
    assert stand_in["stand_in_gap"] == pytest.approx(max(abs(d) for d in es["delta"].values() if d is not None))
    assert es["stand_in_gap"] is None

    table = B.format_comparison(rows)
    lines = table.splitlines()
    assert lines[0].startswith("| dataset | method | ZSL | u | s | H | H calibrated")
    assert len([line for line in lines if line.startswith("| AWA2 |")]) == 4
    assert "(58.6 [S], " in next(line for line in lines if line.startswith("| AWA2 | ESZSL"))
    assert any(line.startswith("| fixture * |") for line in lines)
    assert "[M] unverified" in table

    import matplotlib

    matplotlib.use("Agg")
    ax = B.plot_comparison(rows, "h")
    assert len(ax.patches) == 3 * len(rows)  # ours, ours calibrated, published
    assert len(B.plot_comparison(rows, "zsl").patches) == 2 * len(rows)
    with pytest.raises(ValueError, match="calibrated"):
        B.plot_comparison(rows, "u", calibrated=True)
    with pytest.raises(ValueError, match="metric"):
        B.plot_comparison(rows, "auc")


def test_run_benchmarks_needs_data():
    with pytest.raises(ValueError, match="no dataset to run on"):
        B.run_benchmarks([B.BenchmarkData("AWA2", None, "missing")], progress=False)
    with pytest.raises(TypeError, match="BenchmarkData"):
        B.run_benchmarks([("AWA2", None, "missing")], progress=False)


def test_run_benchmarks_checks_the_device_first(monkeypatch):
    import torch

    from zsl_tutorial.config import DeviceUnavailableError

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    data = [B.BenchmarkData("synthetic", object(), "")]
    with pytest.raises(DeviceUnavailableError, match="device='cpu'"):
        B.run_benchmarks(data, device="cuda", progress=False)


# =========================================================================== run time
def test_real_size_stand_in_has_the_real_shape():
    ds = B.real_size_stand_in("SUN", scale=0.02, n_features=16)
    size = B.SPLIT_SIZES["SUN"]
    assert ds.n_classes == 717 and ds.S.shape == (717, 102) and ds.X.shape[1] == 16
    assert len(ds.seen_classes) == 645 and len(ds.classes_in("val")) == size.n_val == 65
    assert ds.extras["stands_in_for"] == "SUN"
    full = B.real_size_stand_in("AWA2", scale=0.01, n_features=8)
    assert len(full.X) == 50 * 10  # at least 10 images per class
    assert B.SPLIT_SIZES["AWA2"].n_images == 37_322 and B.SPLIT_SIZES["CUB"].n_images == 11_788
    with pytest.raises(ValueError, match="scale"):
        B.real_size_stand_in("CUB", scale=0)
    with pytest.raises(ValueError, match="unknown dataset"):
        B.real_size_stand_in("FLO")


def test_measure_runtime_extrapolates_linearly():
    rows = B.measure_runtime("AWA2", ["ESZSL"], scale=0.05, n_features=32, progress=False)
    (r,) = rows
    assert r["method"] == "ESZSL" and r["device"] == "cpu" and r["n_samples"] == 50 * 37
    assert r["seconds"] > 0 and r["seconds_full_size"] == pytest.approx(r["seconds"] / 0.05)


def test_runtime_table_is_complete():
    rows = B.runtime_table()
    assert {(r["dataset"], r["method"]) for r in rows} == {(d, m) for d in B.REAL_DATASETS for m in B.DEFAULT_METHODS}
    assert all(r["seconds"] > 0 and r["device"] == "cpu" for r in rows)
    text = B.format_runtime(rows)
    assert text.splitlines()[0] == "| method | AWA2 | CUB | SUN |" and " min |" in text


def test_clswgan_flops_scales_as_counted():
    base = B.clswgan_flops(6400, 2048, 85, hidden=4096, epochs=1)
    assert B.clswgan_flops(6400, 2048, 85, hidden=4096, epochs=30) == pytest.approx(30 * base)
    assert B.clswgan_flops(12800, 2048, 85, hidden=4096, epochs=1) == pytest.approx(2 * base)
    assert B.clswgan_flops(6400, 2048, 85, hidden=2048, epochs=1) == pytest.approx(base / 2, rel=0.01)
    # one step, by hand: g = 2*b*(2a*h + h*d), c = 2*b*((d+a)*h + h), step = k*(g + 10c) + 3g + 3c
    a, d, h, b, k = 3, 5, 7, 2, 5
    g, c = 2 * b * (2 * a * h + h * d), 2 * b * ((d + a) * h + h)
    assert B.clswgan_flops(b, d, a, hidden=h, epochs=1, batch_size=b, n_critic=k) == k * (g + 10 * c) + 3 * g + 3 * c
    # AWA2's paper recipe is hundreds of TFLOP: hours on a CPU, minutes on a GPU
    awa2 = B.clswgan_flops(23_527, hidden=4096, epochs=30)
    assert 1e14 < awa2 < 1e16


def test_clswgan_throughput_and_seconds():
    r = B.clswgan_throughput(hidden=8, n_features=16, n_attributes=4, n_classes=3, steps=2, batch_size=8)
    assert r["device"] == "cpu" and r["hidden"] == 8 and r["threads"] >= 1
    assert r["seconds_per_step"] > 0 and r["flops_per_second"] > 0
    assert r["flops_per_second"] == pytest.approx(
        B.clswgan_flops(16, 16, 4, hidden=8, epochs=1, batch_size=8) / (2 * r["seconds_per_step"]))
    with pytest.raises(ValueError, match="steps"):
        B.clswgan_throughput(steps=0)
    # evaluate trains twice: on the rehearsal ((1 - holdout) of the train classes' images) and on trainval
    z = B.SPLIT_SIZES["CUB"]
    n_rehearsal = int(0.8 * z.n_trainval * (z.n_seen - z.n_val) / z.n_seen)
    flops = (B.clswgan_flops(n_rehearsal, 2048, 312, hidden=256, epochs=10)
             + B.clswgan_flops(z.n_trainval, 2048, 312, hidden=256, epochs=10))
    assert B.clswgan_seconds("cub", 1e9, hidden=256, epochs=10) == pytest.approx(flops / 1e9)
    with pytest.raises(ValueError, match="unknown dataset"):
        B.clswgan_seconds("FLO", 1e9, hidden=256, epochs=1)
    with pytest.raises(ValueError, match="flops_per_second"):
        B.clswgan_seconds("CUB", 0, hidden=256, epochs=1)
