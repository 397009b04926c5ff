"""Every environment switch of the course, read in one place with one rule.

This is the only module of the package that reads ``os.environ`` for a ``ZSL_*``
or ``HF_*`` variable (a test checks that), so every caller agrees on what a value
means. It uses the standard library only, so anything may import it.

The switches
------------

=================  ==========  ===========================================================
variable           kind        meaning
=================  ==========  ===========================================================
``ZSL_OFFLINE``    yes/no      yes: nothing touches the network (downloads, pretrained
                               weights, the Hugging Face hub, ``pip download``).
``HF_HUB_OFFLINE`` yes/no      counts exactly like ``ZSL_OFFLINE`` (and also tells the
                               Hugging Face libraries themselves to stay offline).
``ZSL_FAST``       yes/no      yes: the same code with fewer epochs and samples (CI).
``ZSL_CHECK_CLAIMS`` yes/no    yes: a lesson's claim that does not hold raises instead of
                               printing ✗ (the tests and ``run_notebooks.py --strict``).
``ZSL_DATA_DIR``   path        the download and cache folder (default: a per-user cache dir).
``ZSL_DEVICE``     text        default torch device: ``auto``, ``cpu``, ``cuda[:i]``, ``mps``.
``ZSL_DATASET``    text        what lesson 07 runs on, e.g. ``synthetic`` or ``AWA2,CUB``.
``ZSL_XLSA17_URL`` URL         a mirror of ``xlsa17.zip``.
``HF_ENDPOINT``    URL         the Hugging Face hub the reachability probe tries.
=================  ==========  ===========================================================

Yes/no values (the same for every yes/no switch): case and surrounding
whitespace are ignored; ``1``, ``true``, ``yes``, ``on`` mean yes; ``0``,
``false``, ``no``, ``off``, the empty string, or leaving it unset mean no.
Anything else raises ``ValueError`` naming the variable, the value and the fix,
because a typo such as ``ZSL_OFFLINE=ture`` silently going online would be
worse than an error. Text and path switches treat empty (or blank) as unset.
"""
from __future__ import annotations

import os
from typing import NamedTuple

__all__ = [
    "OFFLINE_ENV", "HF_OFFLINE_ENV", "OFFLINE_ENVS", "FAST_ENV", "CLAIMS_ENV", "DATA_DIR_ENV", "DEVICE_ENV",
    "DATASET_ENV", "XLSA17_URL_ENV", "HF_ENDPOINT_ENV", "DEFAULT_HF_ENDPOINT", "TRUE_WORDS", "FALSE_WORDS",
    "Switch", "SWITCHES", "parse_yes_no", "flag", "offline", "offline_reason", "fast", "data_dir_override",
    "check_claims", "device_override", "dataset_switch", "xlsa17_url", "hf_endpoint",
]

OFFLINE_ENV = "ZSL_OFFLINE"
HF_OFFLINE_ENV = "HF_HUB_OFFLINE"
#: Checked in this order; the first that says yes is the one :func:`offline_reason` names.
OFFLINE_ENVS = (OFFLINE_ENV, HF_OFFLINE_ENV)
FAST_ENV = "ZSL_FAST"
CLAIMS_ENV = "ZSL_CHECK_CLAIMS"
DATA_DIR_ENV = "ZSL_DATA_DIR"
DEVICE_ENV = "ZSL_DEVICE"
DATASET_ENV = "ZSL_DATASET"
XLSA17_URL_ENV = "ZSL_XLSA17_URL"
HF_ENDPOINT_ENV = "HF_ENDPOINT"
DEFAULT_HF_ENDPOINT = "https://huggingface.co"

# "on"/"off" too, because huggingface_hub accepts "on" for HF_HUB_OFFLINE and ZSL_FAST always did.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})
# What yes and no mean, for the error message of a bad value.
_MEANINGS = {
    OFFLINE_ENV: ("to stay offline", "to go online"),
    HF_OFFLINE_ENV: ("to stay offline", "to go online"),
    FAST_ENV: ("for fast mode", "for the full-size runs"),
    CLAIMS_ENV: ("to make a failing claim an error", "to print it with ✗"),
}


class Switch(NamedTuple):
    """One row of the switch table."""

    name: str
    kind: str  # "yes/no", "path", "text" or "url"
    meaning: str


#: The documented table of every switch (README's "Useful switches" says the same).
SWITCHES: tuple[Switch, ...] = (
    Switch(OFFLINE_ENV, "yes/no", "nothing touches the network: downloads, pretrained weights, the hub, pip"),
    Switch(HF_OFFLINE_ENV, "yes/no", f"counts exactly like {OFFLINE_ENV}"),
    Switch(FAST_ENV, "yes/no", "the same code with fewer epochs and samples"),
    Switch(CLAIMS_ENV, "yes/no", "a lesson's claim that does not hold raises (tests, run_notebooks.py --strict)"),
    Switch(DATA_DIR_ENV, "path", "the download and cache folder (default: a per-user cache dir)"),
    Switch(DEVICE_ENV, "text", "default torch device: auto, cpu, cuda, cuda:<index> or mps"),
    Switch(DATASET_ENV, "text", "what lesson 07 runs on: synthetic, fixture, or xlsa17 names such as AWA2,CUB"),
    Switch(XLSA17_URL_ENV, "url", "a mirror of xlsa17.zip"),
    Switch(HF_ENDPOINT_ENV, "url", f"the Hugging Face hub to probe (default {DEFAULT_HF_ENDPOINT})"),
)


def _raw(name: str) -> str | None:
    """The variable's value as set, or None when unset (the one ``os.environ`` read)."""
    return os.environ.get(name)


def _text(name: str) -> str | None:
    """A text switch: its stripped value, or None when unset, empty or blank."""
    value = (_raw(name) or "").strip()
    return value or None


def parse_yes_no(name: str, value: str | None) -> bool:
    """Parse the value of the yes/no switch ``name`` (see the module doc); ``None`` means unset."""
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    yes, no = _MEANINGS.get(name, ("for yes", "for no"))
    raise ValueError(f"{name}={value!r} is not a yes/no value; set it to 1/true/yes {yes} "
                     f"or 0/false/no (or unset it) {no}.")


def flag(name: str) -> bool:
    """The yes/no switch ``name`` as a bool (``ValueError`` for a value that is neither)."""
    return parse_yes_no(name, _raw(name))


def offline_reason() -> str | None:
    """Which switch makes this session offline, as ``"ZSL_OFFLINE=1"``, or None when online.

    Both variables are always checked, so a bad value in either raises ``ValueError``
    even when the other one already says offline.
    """
    reason = None
    for name in OFFLINE_ENVS:
        if flag(name) and reason is None:
            reason = f"{name}={_raw(name).strip()}"  # type: ignore[union-attr]  # flag() is True: it is set
    return reason


def offline() -> bool:
    """True when ``ZSL_OFFLINE`` or ``HF_HUB_OFFLINE`` says yes: then nothing touches the network."""
    return offline_reason() is not None


def fast() -> bool:
    """True when ``ZSL_FAST`` says yes."""
    return flag(FAST_ENV)


def check_claims() -> bool:
    """True when ``ZSL_CHECK_CLAIMS`` says yes: a lesson claim that fails raises."""
    return flag(CLAIMS_ENV)


def data_dir_override() -> str | None:
    """``ZSL_DATA_DIR``, or None when unset or blank."""
    return _text(DATA_DIR_ENV)


def device_override() -> str | None:
    """``ZSL_DEVICE`` (stripped, case kept for error messages), or None when unset or blank."""
    return _text(DEVICE_ENV)


def dataset_switch() -> str | None:
    """``ZSL_DATASET`` (stripped), or None when unset or blank; ``benchmarks`` parses the names."""
    return _text(DATASET_ENV)


def xlsa17_url() -> str | None:
    """``ZSL_XLSA17_URL``, or None when unset or blank."""
    return _text(XLSA17_URL_ENV)


def hf_endpoint() -> str:
    """``HF_ENDPOINT``, or the public hub when unset or blank."""
    return _text(HF_ENDPOINT_ENV) or DEFAULT_HF_ENDPOINT
