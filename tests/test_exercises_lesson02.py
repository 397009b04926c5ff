"""The lesson-02 exercise checks: a right answer passes, a wrong one gets a hint, a broken one never raises."""
from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_contract import assert_never_raises, assert_not_yet, assert_passes

from zsl_tutorial.exercises import (check_chance_level, check_crossing_point, check_eszsl_closed_form,
                                    check_nearest_prototype)
from zsl_tutorial.methods import ESZSL


# ------------------------------------------------------------------ answers
def prototype_right(A, S):
    A = A / np.linalg.norm(A, axis=1, keepdims=True)
    S = S / np.linalg.norm(S, axis=1, keepdims=True)
    return np.argmax(A @ S.T, axis=1)


def prototype_dot(A, S):  # forgets to normalise: favours long class vectors
    return np.argmax(A @ S.T, axis=1)


def prototype_euclidean(A, S):
    return np.argmin(((A[:, None, :] - S[None]) ** 2).sum(-1), axis=1)


def prototype_scores(A, S):  # returns the similarity matrix instead of labels
    return A @ S.T


def eszsl_right(X, Y, S, gamma, lam):
    d, a = X.shape[0], S.shape[0]
    return np.linalg.inv(X @ X.T + gamma * np.eye(d)) @ X @ Y @ S.T @ np.linalg.inv(S @ S.T + lam * np.eye(a))


def eszsl_swapped(X, Y, S, gamma, lam):  # gamma and lambda on the wrong sides
    d, a = X.shape[0], S.shape[0]
    return np.linalg.inv(X @ X.T + lam * np.eye(d)) @ X @ Y @ S.T @ np.linalg.inv(S @ S.T + gamma * np.eye(a))


def eszsl_no_reg(X, Y, S, gamma, lam):
    return np.linalg.pinv(X @ X.T) @ X @ Y @ S.T @ np.linalg.pinv(S @ S.T)


def eszsl_shape_bug(X, Y, S, gamma, lam):  # X.T @ X is n x n: matmul fails
    n, a = X.shape[1], S.shape[0]
    return np.linalg.inv(X.T @ X + gamma * np.eye(n)) @ X @ Y @ S.T @ np.linalg.inv(S @ S.T + lam * np.eye(a))


def chance_right(view):
    return 1 / len(view.S)


def chance_present_classes(view):  # counts only classes with test samples
    return 1 / len(np.unique(view.y))


def chance_samples(view):
    return 1 / len(view.y)


def crossing_right(ks, few_shot, zero_shot):
    for k, acc in zip(ks, few_shot):
        if acc > zero_shot:
            return k
    return math.inf


def crossing_index(ks, few_shot, zero_shot):  # returns the position, not k
    hits = [i for i, acc in enumerate(few_shot) if acc > zero_shot]
    return hits[0] if hits else math.inf


def crossing_ties_win(ks, few_shot, zero_shot):  # >= counts a tie as a win
    return next((k for k, acc in zip(ks, few_shot) if acc >= zero_shot), math.inf)


def crossing_never_none(ks, few_shot, zero_shot):  # answers the last k when nothing crosses
    return next((k for k, acc in zip(ks, few_shot) if acc > zero_shot), ks[-1])


# -------------------------------------------------------------------- tests
CASES = [
    (check_crossing_point, crossing_right, [crossing_index, crossing_ties_win, crossing_never_none]),
    (check_nearest_prototype, prototype_right, [prototype_dot, prototype_euclidean, prototype_scores]),
    (check_eszsl_closed_form, eszsl_right, [eszsl_swapped, eszsl_no_reg, eszsl_shape_bug]),
    (check_chance_level, chance_right, [chance_present_classes, chance_samples]),
]


@pytest.mark.parametrize("check,right,wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_right_answer_passes(check, right, wrongs, capsys):
    assert_passes(check, [right], capsys)


@pytest.mark.parametrize("check,right,wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_wrong_answers_get_a_hint(check, right, wrongs, capsys):
    assert_not_yet(check, wrongs, capsys)


@pytest.mark.parametrize("check,right,wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_stub_and_broken_answers_never_raise(check, right, wrongs, capsys):
    assert_never_raises(check, capsys)


def test_hints_are_specific(capsys):
    check_nearest_prototype(prototype_dot)
    assert "length" in capsys.readouterr().out
    check_eszsl_closed_form(eszsl_shape_bug)
    assert "shape" in capsys.readouterr().out
    check_chance_level(chance_present_classes)
    assert "candidate" in capsys.readouterr().out


def test_reference_closed_form_matches_the_package_eszsl():
    """The paper's notation (d×n, n×z, a×z) and the package's (n×d, z×a) give the same V."""
    rng = np.random.default_rng(0)
    n, d, a, z = 40, 6, 5, 4
    X, y, S = rng.normal(size=(n, d)), np.arange(n) % z, rng.random((z, a))
    Y = -np.ones((n, z))
    Y[np.arange(n), y] = 1
    model = ESZSL(feature_ridge=0.5, attribute_ridge=2.0).fit(X, y, S)
    np.testing.assert_allclose(eszsl_right(X.T, Y, S.T, 0.5, 2.0), model.V_, rtol=1e-8)
