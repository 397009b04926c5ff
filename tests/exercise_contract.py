"""What every ``check_...`` promises a learner, asserted in one place for the lesson test files.

A right answer gets a tick; a wrong one "not yet" and a hint; a stub, a crash, ``None`` or a
function that forgets ``return`` get a friendly line, never a traceback.
"""
from __future__ import annotations

from typing import Callable, Iterable


def stub(*args, **kwargs):
    raise NotImplementedError


def broken(*args, **kwargs):
    return 1 / 0


def assert_passes(check: Callable, answers: Iterable[Callable], capsys) -> None:
    for answer in answers:
        assert check(answer) is True, answer.__name__
        assert "✓" in capsys.readouterr().out


def assert_not_yet(check: Callable, answers: Iterable[Callable], capsys) -> None:
    for answer in answers:
        assert check(answer) is False, answer.__name__
        out = capsys.readouterr().out
        assert "not yet" in out and "✓" not in out, (answer.__name__, out)


def assert_never_raises(check: Callable, capsys) -> None:
    """Stub, crash, no answer and a forgotten ``return``: each is a clear "not yet", never an exception."""
    assert check(stub) is False
    assert "still a stub" in capsys.readouterr().out
    assert check(broken) is False
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "Hint" in out
    assert check(None) is False
    assert "not yet" in capsys.readouterr().out
    assert check(lambda *a, **k: None) is False
    assert "returned None" in capsys.readouterr().out


def assert_right_wrong_broken(check: Callable, right: Callable, wrongs: Iterable[tuple[Callable, str]],
                              capsys) -> None:
    """The right answer gets a tick; each wrong one "not yet" with its own hint; broken ones never raise."""
    assert check(right) is True
    assert "✓" in capsys.readouterr().out
    for wrong, hint in wrongs:
        assert check(wrong) is False, wrong.__name__
        out = capsys.readouterr().out
        assert "not yet" in out and hint in out, (wrong.__name__, out)
    assert_never_raises(check, capsys)  # a stub, a crash, no answer, a forgotten return
