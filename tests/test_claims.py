"""``claim``: a lesson's sentence about its numbers, printed with ✓/✗, an error only when asked."""
from __future__ import annotations

import numpy as np
import pytest

from zsl_tutorial.claims import ClaimFailed, claim


@pytest.fixture
def learner(monkeypatch):
    """A learner's kernel: claims are not errors, full mode."""
    monkeypatch.setenv("ZSL_CHECK_CLAIMS", "0")
    monkeypatch.setenv("ZSL_FAST", "0")


def test_a_claim_that_holds_prints_a_tick_with_its_numbers(learner, capsys):
    assert claim("calibration raised H from {a:.1%} to {b:.1%}", 0.538 > 0.348, a=0.348, b=0.538) is None
    assert capsys.readouterr().out == "✓ calibration raised H from 34.8% to 53.8%\n"


def test_a_claim_that_fails_prints_a_cross_and_no_traceback_for_a_learner(learner, capsys):
    assert claim("ESZSL beats ridge ({e:.1f} > {r:.1f})", np.float64(40.0) > 50.0, e=40.0, r=50.0) is None
    assert capsys.readouterr().out == "✗ did not hold: ESZSL beats ridge (40.0 > 50.0)\n"


def test_under_the_tests_a_failing_claim_raises(monkeypatch, capsys):
    monkeypatch.setenv("ZSL_CHECK_CLAIMS", "1")
    monkeypatch.setenv("ZSL_FAST", "0")
    with pytest.raises(ClaimFailed, match=r"does not hold: s drops a little \(31 points\)"):
        claim("s drops a little ({d} points)", 31 < 5, d=31)
    assert "✗" in capsys.readouterr().out
    claim("it holds", True)  # a claim that holds never raises


def test_full_only_claims_are_not_checked_in_fast_mode(monkeypatch, capsys):
    monkeypatch.setenv("ZSL_CHECK_CLAIMS", "1")
    monkeypatch.setenv("ZSL_FAST", "1")
    claim("the GAN wins by {d:+.1f}", False, full_only=True, d=-3.0)
    assert "not checked in fast mode" in capsys.readouterr().out
    monkeypatch.setenv("ZSL_FAST", "0")
    with pytest.raises(ClaimFailed):
        claim("the GAN wins by {d:+.1f}", False, full_only=True, d=-3.0)


@pytest.mark.parametrize("holds", [np.array([True, False]), 1, "yes", None])
def test_holds_must_be_one_bool(learner, holds):
    with pytest.raises(TypeError, match="holds must be a bool"):
        claim("x", holds)


def test_text_must_format_with_the_numbers_given(learner):
    with pytest.raises(ValueError, match=r"does not format with the numbers given \(\['a'\]\)"):
        claim("{a} and {b}", True, a=1)
    with pytest.raises(TypeError, match="text must be the claim"):
        claim("", True)


def test_a_bad_switch_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("ZSL_CHECK_CLAIMS", "maybe")
    with pytest.raises(ValueError, match="ZSL_CHECK_CLAIMS='maybe' is not a yes/no value"):
        claim("x", False)
