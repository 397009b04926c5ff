"""Each lesson-06 check passes a right answer, refuses a wrong one with a hint, and survives a broken one."""
from __future__ import annotations

import numpy as np
import pytest
from exercise_contract import assert_never_raises

from zsl_tutorial.exercises import lesson06
from zsl_tutorial.exercises.lesson06 import (check_embedding_zero_shot, check_multi_label_scores,
                                             check_single_label_scores)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def single_right(logits, entailment_id):
    return _softmax(logits[:, entailment_id])


def single_wrong(logits, entailment_id):  # softmax over the three NLI classes, per label
    return _softmax(logits, axis=1)[:, entailment_id]


def single_unstable(logits, entailment_id):  # right idea, but overflows on large logits
    e = np.exp(logits[:, entailment_id])
    return e / e.sum()


def multi_right(logits, entailment_id, contradiction_id):
    return _softmax(logits[:, [contradiction_id, entailment_id]], axis=1)[:, 1]


def multi_wrong(logits, entailment_id, contradiction_id):  # keeps the neutral column
    return _softmax(logits, axis=1)[:, entailment_id]


def cosine_right(T, L):
    T = T / np.linalg.norm(T, axis=1, keepdims=True)
    L = L / np.linalg.norm(L, axis=1, keepdims=True)
    return (T @ L.T).argmax(1)


def cosine_wrong(T, L):  # raw dot product
    return (T @ L.T).argmax(1)


CHECKS = [
    (check_single_label_scores, single_right, single_wrong, "ACROSS the labels"),
    (check_multi_label_scores, multi_right, multi_wrong, "Ignore the neutral column"),
    (check_embedding_zero_shot, cosine_right, cosine_wrong, "long label vectors win"),
]


@pytest.mark.parametrize("check, right, wrong, hint", CHECKS, ids=lambda x: getattr(x, "__name__", ""))
def test_right_wrong_broken(capsys, check, right, wrong, hint):
    assert check(right) is True
    assert "✓" in capsys.readouterr().out
    assert check(wrong) is False
    out = capsys.readouterr().out
    assert "not yet" in out and hint in out
    assert_never_raises(check, capsys)  # a stub, a crash, no answer, a forgotten return


def test_unstable_softmax_gets_the_overflow_hint(capsys):
    with np.errstate(over="ignore", invalid="ignore"):
        assert check_single_label_scores(single_unstable) is False
    assert "overflow" in capsys.readouterr().out


def test_the_references_match_the_pipeline_formulas():
    """The hidden references equal the postprocessing of transformers' ZeroShotClassificationPipeline."""
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (5, 3))
    # transformers: scores = exp(entail) / sum exp(entail)  (multi_label=False), entailment_id = 2
    np.testing.assert_allclose(lesson06._single_label(logits, 2), np.exp(logits[:, 2]) / np.exp(logits[:, 2]).sum())
    # multi_label=True: exp([contra, entail]) normalised per label, keep entail; contradiction_id = 0
    ec = np.exp(logits[:, [0, 2]])
    np.testing.assert_allclose(lesson06._multi_label(logits, 2, 0), ec[:, 1] / ec.sum(1))


def test_checks_are_exported_from_the_package():
    assert set(lesson06.__all__) == {"check_single_label_scores", "check_multi_label_scores",
                                     "check_embedding_zero_shot"}
