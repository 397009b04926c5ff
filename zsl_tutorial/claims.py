"""A lesson's claims about its own numbers, checked by the run that prints them.

A sentence such as "calibration raised H" is only as true as the numbers of this
run. ``claim`` states it next to the code that measures it::

    claim("calibration raised H from {before:.1%} to {after:.1%}", after > before, before=h, after=h_cal)

prints ``✓ calibration raised H from 34.8% to 53.8%`` when it holds. When it does not,
a learner sees ``✗ did not hold: ...`` with the same numbers (never a traceback), while
the tests and ``scripts/run_notebooks.py --strict`` (which set ``ZSL_CHECK_CLAIMS=1``)
raise :class:`ClaimFailed`, so a lesson whose text its numbers contradict cannot land.

A claim that only holds at full size (more epochs, more samples) passes ``full_only=True``:
in fast mode it is printed as not checked, and checked in full mode only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import switches

__all__ = ["ClaimFailed", "claim"]


class ClaimFailed(AssertionError):
    """A lesson claim that its own numbers contradict (raised only when ``ZSL_CHECK_CLAIMS`` says yes)."""


def _as_bool(holds: Any) -> bool:
    # A bool, or a 0-d numpy bool from a comparison; an array is ambiguous, so refuse it.
    if isinstance(holds, (bool, np.bool_)):
        return bool(holds)
    raise TypeError(f"holds must be a bool (the claim's test, e.g. after > before), got {type(holds).__name__}; "
                    "for arrays, say which: all(...) or any(...).")


def claim(text: str, holds: Any, *, full_only: bool = False, **numbers: Any) -> None:
    """Print ``text`` (formatted with ``numbers``) with ✓ when ``holds``, ✗ when not.

    Returns nothing, so a cell that ends with a claim shows only the printed line. With
    ``ZSL_CHECK_CLAIMS=1`` a claim that does not hold raises :class:`ClaimFailed`.
    """
    if not isinstance(text, str) or not text.strip():
        raise TypeError("text must be the claim as a non-empty string, e.g. 'H rose from {a:.1%} to {b:.1%}'.")
    try:
        message = text.format(**numbers)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"text {text!r} does not format with the numbers given ({sorted(numbers)}): {exc!r}; "
                         "pass every {name} it uses as a keyword argument.") from None
    if full_only and switches.fast():
        print(f"· {message} (not checked in fast mode: it needs the full-size run)")
        return
    if _as_bool(holds):
        print(f"✓ {message}")
        return
    print(f"✗ did not hold: {message}")
    if switches.check_claims():
        raise ClaimFailed(f"A lesson claim does not hold: {message}. Rewrite the sentence to say what the "
                          "numbers show, or change the experiment so that it becomes true.")
