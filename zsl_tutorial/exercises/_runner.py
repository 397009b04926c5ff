"""The machinery behind every ``check_...`` function: run hidden tests, print friendly feedback.

A check never raises at the learner. It returns True or False and prints one line:
a tick, "not yet" with a hint, or what went wrong inside their code.
"""
from __future__ import annotations

import traceback
from typing import Any, Callable, Iterable

__all__ = ["Case", "run_checks", "NotImplementedYet"]


class NotImplementedYet(Exception):
    """Raise from a stub to mark an exercise as not attempted yet."""


class Case:
    """One hidden test: call the learner's function on ``args`` and judge the result with ``ok``."""

    def __init__(self, args: tuple, ok: Callable[[Any], bool], hint: str, kwargs: dict | None = None) -> None:
        self.args, self.kwargs, self.ok, self.hint = args, kwargs or {}, ok, hint


def _is_stub_error(exc: BaseException) -> bool:
    return isinstance(exc, (NotImplementedError, NotImplementedYet)) or (
        isinstance(exc, TypeError) and "NoneType" in str(exc) and "not" in str(exc)
    )


def run_checks(name: str, fn_or_value: Any, cases: Iterable[Case] | Callable[[Any], tuple[bool, str]],
               *, value: bool = False, success: str = "") -> bool:
    """Run ``cases`` against the learner's answer and print the verdict; never raises."""
    label = f"[{name}]"
    if fn_or_value is None or fn_or_value is Ellipsis:
        print(f"{label} not yet: fill in your answer, then run this cell again.")
        return False
    try:
        if value:
            passed, hint = cases(fn_or_value)  # type: ignore[operator]
            if passed:
                print(f"{label} ✓ correct. {success}".rstrip())
                return True
            print(f"{label} not yet: {hint}")
            return False
        if not callable(fn_or_value):
            print(f"{label} not yet: pass your function itself (no parentheses), e.g. check(my_function).")
            return False
        for case in cases:  # type: ignore[union-attr]
            try:
                result = fn_or_value(*case.args, **case.kwargs)
            except Exception as exc:  # the learner's code failed: show where, kindly
                if _is_stub_error(exc) or result_is_stub(exc):
                    print(f"{label} not yet: the function is still a stub. Replace the `...` / `raise` with your code.")
                    return False
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                print(f"{label} not yet: your function raised {type(exc).__name__}: {exc} "
                      f"(line {frame.lineno}: `{(frame.line or '').strip()}`). Hint: {case.hint}")
                return False
            if result is None:
                print(f"{label} not yet: your function returned None. Did you forget `return`?")
                return False
            try:
                good = bool(case.ok(result))
            except Exception:
                good = False
            if not good:
                print(f"{label} not yet: {case.hint}")
                return False
    except Exception as exc:  # a bug in the check itself must not reach the learner either
        print(f"{label} could not be checked ({type(exc).__name__}: {exc}). Please report this.")
        return False
    print(f"{label} ✓ all hidden tests pass. {success}".rstrip())
    return True


def result_is_stub(exc: BaseException) -> bool:
    return "stub" in str(exc).lower()
