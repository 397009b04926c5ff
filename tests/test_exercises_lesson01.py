"""The lesson-01 exercise checks: a right answer passes, a wrong one gets a hint, a broken one never raises."""
from __future__ import annotations

import numpy as np
import pytest
from exercise_contract import assert_never_raises, assert_not_yet, assert_passes

from zsl_tutorial.data.dataset import make_split
from zsl_tutorial.exercises import check_is_leak_free, check_most_similar_class, check_zsl_gzsl_predict
from zsl_tutorial.exercises.lesson01 import _leak_cases


# ------------------------------------------------------------------ most similar class
def similar_right(S, c):
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    sim = Sn @ Sn[c]
    sim[c] = -np.inf
    return int(np.argmax(sim))


def similar_sorted(S, c):  # another right answer: second entry of the ranking (no ties in the cases)
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    return np.argsort(-(Sn @ Sn[c]))[1]


def similar_self(S, c):  # forgets to exclude the class itself
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    return int(np.argmax(Sn @ Sn[c]))


def similar_delete(S, c):  # deletes row c: later indices shift by one
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    return int(np.argmax(np.delete(Sn, c, axis=0) @ Sn[c]))


def similar_dot(S, c):
    sim = S @ S[c]
    sim[c] = -np.inf
    return int(np.argmax(sim))


def similar_euclidean(S, c):
    d = np.linalg.norm(S - S[c], axis=1)
    d[c] = np.inf
    return int(np.argmin(d))


def similar_scores(S, c):  # the similarity vector instead of an index
    Sn = S / np.linalg.norm(S, axis=1, keepdims=True)
    return Sn @ Sn[c]


# ------------------------------------------------------------------ leak-free split
def leak_right(y, splits):
    trainval, test_seen, test_unseen = splits["trainval"], splits["test_seen"], splits["test_unseen"]
    no_unseen_class = not np.intersect1d(y[trainval], y[test_unseen]).size
    no_shared_image = not np.intersect1d(trainval, np.concatenate([test_seen, test_unseen])).size
    disjoint_val = not np.intersect1d(y[splits["train"]], y[splits["val"]]).size
    return no_unseen_class and no_shared_image and disjoint_val


def leak_sets(y, splits):  # another right answer, with Python sets, returning numpy bools
    cls = {k: set(y[v].tolist()) for k, v in splits.items()}
    idx = {k: set(v.tolist()) for k, v in splits.items()}
    return np.bool_(not (cls["trainval"] & cls["test_unseen"])
                    and not (idx["trainval"] & (idx["test_seen"] | idx["test_unseen"]))
                    and not (cls["train"] & cls["val"]))


def leak_indices_only(y, splits):  # checks shared images only, never classes
    tv = splits["trainval"]
    return not np.intersect1d(tv, np.concatenate([splits["test_seen"], splits["test_unseen"]])).size


def leak_no_val_rule(y, splits):  # forgets rule 3
    return (not np.intersect1d(y[splits["trainval"]], y[splits["test_unseen"]]).size
            and not np.intersect1d(splits["trainval"], np.concatenate([splits["test_seen"], splits["test_unseen"]])).size)


def leak_val_by_index(y, splits):  # rule 3 on image indices (always disjoint), not classes
    return (not np.intersect1d(y[splits["trainval"]], y[splits["test_unseen"]]).size
            and not np.intersect1d(splits["trainval"], np.concatenate([splits["test_seen"], splits["test_unseen"]])).size
            and not np.intersect1d(splits["train"], splits["val"]).size)


def leak_classes_as_indices(y, splits):  # compares index arrays where labels are meant
    return (not np.intersect1d(splits["trainval"], splits["test_unseen"]).size
            and not np.intersect1d(splits["trainval"], splits["test_seen"]).size
            and not np.intersect1d(splits["train"], splits["val"]).size)


def leak_always_true(y, splits):
    return True


def leak_string(y, splits):  # a truthy string instead of a bool
    return "yes" if leak_right(y, splits) else "no"


# ------------------------------------------------------------------ ZSL versus GZSL
def predict_right(scores, seen_mask):
    unseen = np.flatnonzero(~seen_mask)
    return unseen[np.argmax(scores[:, unseen], axis=1)], np.argmax(scores, axis=1)


def predict_masked(scores, seen_mask):  # another right answer: mask the seen columns with -inf
    return np.argmax(np.where(seen_mask, -np.inf, scores), axis=1), scores.argmax(1)


def predict_local(scores, seen_mask):  # ZSL positions among the unseen columns, not class indices
    return np.argmax(scores[:, ~seen_mask], axis=1), np.argmax(scores, axis=1)


def predict_swapped(scores, seen_mask):
    zsl, gzsl = predict_right(scores, seen_mask)
    return gzsl, zsl


def predict_seen_only(scores, seen_mask):  # restricts to the seen columns
    seen = np.flatnonzero(seen_mask)
    return seen[np.argmax(scores[:, seen], axis=1)], np.argmax(scores, axis=1)


def predict_same(scores, seen_mask):  # no difference between the settings
    p = np.argmax(scores, axis=1)
    return p, p


def predict_last_columns(scores, seen_mask):  # assumes the unseen classes are the last columns
    n_seen = int(seen_mask.sum())
    return n_seen + np.argmax(scores[:, n_seen:], axis=1), np.argmax(scores, axis=1)


def predict_one_array(scores, seen_mask):  # returns only one array
    return predict_right(scores, seen_mask)[0]


# -------------------------------------------------------------------- tests
CASES = [
    (check_most_similar_class, [similar_right, similar_sorted],
     [similar_self, similar_delete, similar_dot, similar_euclidean, similar_scores]),
    (check_is_leak_free, [leak_right, leak_sets],
     [leak_indices_only, leak_no_val_rule, leak_val_by_index, leak_classes_as_indices, leak_always_true, leak_string]),
    (check_zsl_gzsl_predict, [predict_right, predict_masked],
     [predict_local, predict_swapped, predict_seen_only, predict_same, predict_last_columns, predict_one_array]),
]
IDS = ["most_similar_class", "is_leak_free", "zsl_gzsl_predict"]


@pytest.mark.parametrize("check,rights,wrongs", CASES, ids=IDS)
def test_right_answers_pass(check, rights, wrongs, capsys):
    assert_passes(check, rights, capsys)


@pytest.mark.parametrize("check,rights,wrongs", CASES, ids=IDS)
def test_wrong_answers_get_a_hint(check, rights, wrongs, capsys):
    assert_not_yet(check, wrongs, capsys)


@pytest.mark.parametrize("check,rights,wrongs", CASES, ids=IDS)
def test_stub_and_broken_answers_never_raise(check, rights, wrongs, capsys):
    assert_never_raises(check, capsys)


def test_hints_are_specific(capsys):
    expected = [
        (check_most_similar_class, similar_self, "itself"),
        (check_most_similar_class, similar_delete, "np.delete"),
        (check_most_similar_class, similar_euclidean, "distance"),
        (check_most_similar_class, similar_dot, "long rows"),
        (check_is_leak_free, leak_indices_only, "compares *classes*"),
        (check_is_leak_free, leak_val_by_index, "class 2 has images in both train and val"),
        (check_is_leak_free, leak_classes_as_indices, "compares *classes*"),
        (check_is_leak_free, leak_always_true, "zebra-like"),
        (check_zsl_gzsl_predict, predict_local, "np.flatnonzero(~seen_mask)"),
        (check_zsl_gzsl_predict, predict_last_columns, "do not assume where the unseen columns are"),
    ]
    for check, wrong, needle in expected:
        check(wrong)
        out = capsys.readouterr().out
        assert needle in out, (wrong.__name__, out)


def test_leak_cases_hold_what_their_hints_say():
    """The clean cases are clean and every leaky case breaks exactly the rule its hint names (or two)."""
    verdicts = [leak_right(*c.args) for c in _leak_cases()]
    assert verdicts == [True, False, False, False, True, False]


def test_a_make_split_split_is_leak_free():
    """The right answer agrees with the package: make_split's splits pass, a leaked one fails."""
    y = np.repeat(np.arange(8), 15)
    splits = make_split(y, unseen=[1, 6], n_val=2, seed=3)
    assert leak_right(y, splits)
    splits["trainval"] = np.union1d(splits["trainval"], np.flatnonzero(y == 6)[:4])
    assert not leak_right(y, splits)
