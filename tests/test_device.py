"""config.default_device: auto picks CUDA only when it is there; explicit names are checked with errors that say the fix."""
from __future__ import annotations

import pytest
import torch

from zsl_tutorial.config import DEVICE_ENV, DeviceUnavailableError, default_device


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(DEVICE_ENV, raising=False)


@pytest.fixture
def no_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


@pytest.fixture
def one_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)


@pytest.mark.parametrize("auto", [None, "auto", "AUTO", " auto "])
def test_auto_picks_cuda_when_available(one_gpu, auto):
    assert default_device(auto) == "cuda"


@pytest.mark.parametrize("auto", [None, "auto"])
def test_auto_falls_back_to_cpu(no_cuda, auto):
    assert default_device(auto) == "cpu"


def test_explicit_cpu_wins_even_with_a_gpu(one_gpu):
    assert default_device("cpu") == "cpu"
    assert default_device(" CPU ") == "cpu"
    assert default_device(torch.device("cpu")) == "cpu"


def test_explicit_cuda_with_a_gpu(one_gpu):
    assert default_device("cuda") == "cuda"
    assert default_device("CUDA:0") == "cuda:0"


@pytest.mark.parametrize("name", ["cuda", "cuda:0", "Cuda"])
def test_cuda_without_cuda_names_the_fix(no_cuda, name):
    with pytest.raises(DeviceUnavailableError) as err:
        default_device(name)
    msg = str(err.value)
    assert isinstance(err.value, RuntimeError)
    assert repr(name) in msg and "device='cpu'" in msg and "Runtime" in msg
    assert "pytorch.org" in msg  # how to get a CUDA build


def test_cpu_only_build_is_named(no_cuda, monkeypatch):
    monkeypatch.setattr(torch.version, "cuda", None)
    with pytest.raises(DeviceUnavailableError, match="no CUDA support"):
        default_device("cuda")
    monkeypatch.setattr(torch.version, "cuda", "12.1")
    with pytest.raises(DeviceUnavailableError, match="no NVIDIA GPU or driver"):
        default_device("cuda")


def test_a_gpu_index_that_does_not_exist(one_gpu):
    with pytest.raises(DeviceUnavailableError, match=r"only 1 CUDA device\(s\)"):
        default_device("cuda:1")


@pytest.mark.parametrize("bad", ["gpu", "GPU:0", "cuda:x", "cuda:", "cpu0", "tpu", "", "  ", "no-such-device"])
def test_invalid_strings(bad):
    with pytest.raises(ValueError, match="not a device name") as err:
        default_device(bad)
    assert "'cpu', 'cuda'" in str(err.value)


def test_gpu_gets_a_hint():
    with pytest.raises(ValueError, match="torch calls a GPU 'cuda'"):
        default_device("gpu")


@pytest.mark.parametrize("bad", [0, 1.5, ["cpu"], True])
def test_non_strings(bad):
    with pytest.raises(TypeError, match="device must be a string"):
        default_device(bad)


def test_environment_variable_sets_the_default(one_gpu, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV, "cpu")
    assert default_device(None) == "cpu"  # e.g. keep a shared GPU free
    assert default_device("cuda") == "cuda"  # an explicit argument still wins
    monkeypatch.setenv(DEVICE_ENV, "auto")
    assert default_device() == "cuda"


def test_environment_variable_is_checked_too(no_cuda, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV, "cuda")
    with pytest.raises(DeviceUnavailableError, match=f"unset {DEVICE_ENV}"):
        default_device()
    monkeypatch.setenv(DEVICE_ENV, "gpu")
    with pytest.raises(ValueError, match=rf"\${DEVICE_ENV}='gpu'"):
        default_device()


def test_mps_without_mps(monkeypatch):
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(DeviceUnavailableError, match="mps"):
        default_device("mps")


def test_the_methods_fail_early_and_clearly(no_cuda):
    """A torch method asked for CUDA on a CPU machine raises the same clear error, not a torch traceback."""
    import numpy as np

    from zsl_tutorial.methods import CLSWGAN, DeepEncoder

    rng = np.random.default_rng(0)
    X, y, S = rng.random((20, 4)), np.repeat(np.arange(2), 10), rng.random((2, 3))
    for model in (DeepEncoder(epochs=1, device="cuda", progress=False),
                  CLSWGAN(epochs=1, hidden=8, pretrain_epochs=1, device="cuda", progress=False)):
        with pytest.raises(DeviceUnavailableError, match="device='cpu'"):
            model.fit(X, y, S)


def test_empty_string_in_environment_means_auto(no_cuda, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV, "")
    assert default_device() == "cpu"
