"""The lesson-04 exercise checks: a right answer passes, a wrong one gets a hint, a broken one never raises."""
from __future__ import annotations

import numpy as np

from zsl_tutorial.exercises import check_gradient_penalty, check_gzsl_harmonic


def gp_right(w):
    return (np.linalg.norm(w) - 1.0) ** 2


def gp_no_square(w):
    return np.linalg.norm(w) - 1.0


def gp_squared_norm(w):
    return (np.sum(w**2) - 1.0) ** 2


def gp_stub(w):
    raise NotImplementedError


def gp_broken(w):
    return w.nonexistent


def h_right(acc, seen):
    u, s = acc[~seen].mean(), acc[seen].mean()
    return 0.0 if u + s == 0 else 2 * u * s / (u + s)


def h_per_sample(acc, seen):  # arithmetic mean instead of harmonic
    return (acc[~seen].mean() + acc[seen].mean()) / 2


def h_nan(acc, seen):  # forgets u + s = 0
    u, s = acc[~seen].mean(), acc[seen].mean()
    return 2 * u * s / (u + s)


def h_broken(acc, seen):
    return acc[seen.nonexistent]


def test_gradient_penalty(capsys):
    assert check_gradient_penalty(gp_right) is True
    assert "✓" in capsys.readouterr().out
    for wrong in (gp_no_square, gp_squared_norm):
        assert check_gradient_penalty(wrong) is False
        assert "not yet" in capsys.readouterr().out
    assert check_gradient_penalty(gp_stub) is False
    assert "stub" in capsys.readouterr().out
    assert check_gradient_penalty(gp_broken) is False
    assert "raised AttributeError" in capsys.readouterr().out
    assert check_gradient_penalty(None) is False


def test_gzsl_harmonic(capsys):
    assert check_gzsl_harmonic(h_right) is True
    assert "✓" in capsys.readouterr().out
    assert check_gzsl_harmonic(h_per_sample) is False
    assert "harmonic" in capsys.readouterr().out
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert check_gzsl_harmonic(h_nan) is False
    assert "not yet" in capsys.readouterr().out
    assert check_gzsl_harmonic(h_broken) is False
    assert "raised AttributeError" in capsys.readouterr().out
