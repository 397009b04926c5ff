"""The lesson-00 exercise checks: a right answer passes, a wrong one gets a hint, a broken one never raises."""
from __future__ import annotations

import numpy as np
import pytest
from exercise_contract import assert_never_raises, assert_not_yet, assert_passes

from zsl_tutorial.exercises import check_chance_accuracy, check_unseen_classes
from zsl_tutorial.exercises.lesson00 import _unseen_cases


# ------------------------------------------------------------------ answers
def unseen_right(y, trainval, class_names):
    seen = np.unique(y[trainval])
    return [name for c, name in enumerate(class_names) if c not in seen]


def unseen_setdiff(y, trainval, class_names):  # another right answer: a numpy array of names
    return np.array(class_names)[np.setdiff1d(np.arange(len(class_names)), y[trainval])]


def unseen_seen_names(y, trainval, class_names):  # returns the seen classes instead
    return [class_names[c] for c in np.unique(y[trainval])]


def unseen_ids(y, trainval, class_names):  # ids, not names
    return list(np.setdiff1d(np.arange(len(class_names)), y[trainval]))


def unseen_indices_as_labels(y, trainval, class_names):  # treats image indices as class ids
    return [name for c, name in enumerate(class_names) if c not in set(trainval.tolist())]


def unseen_per_image(y, trainval, class_names):  # one name per test image: duplicates
    test = np.setdiff1d(np.arange(len(y)), trainval)
    return [class_names[c] for c in y[test] if c not in y[trainval]]


def chance_right(n_seen, n_unseen, generalized=False):
    return 1 / (n_seen + n_unseen) if generalized else 1 / n_unseen


def chance_ignores_setting(n_seen, n_unseen, generalized=False):
    return 1 / n_unseen


def chance_share_of_unseen(n_seen, n_unseen, generalized=False):  # P(guess is *some* unseen class)
    return n_unseen / (n_seen + n_unseen) if generalized else 1 / n_unseen


def chance_percent(n_seen, n_unseen, generalized=False):
    return 100 / (n_seen + n_unseen) if generalized else 100 / n_unseen


def chance_seen(n_seen, n_unseen, generalized=False):
    return 1 / (n_seen + n_unseen) if generalized else 1 / n_seen


# -------------------------------------------------------------------- tests
CASES = [
    (check_unseen_classes, [unseen_right, unseen_setdiff],
     [unseen_seen_names, unseen_ids, unseen_indices_as_labels, unseen_per_image]),
    (check_chance_accuracy, [chance_right],
     [chance_ignores_setting, chance_share_of_unseen, chance_percent, chance_seen]),
]
IDS = ["unseen_classes", "chance_accuracy"]


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
    check_unseen_classes(unseen_ids)
    assert "names" in capsys.readouterr().out
    check_unseen_classes(unseen_indices_as_labels)
    assert "image indices" in capsys.readouterr().out
    check_chance_accuracy(chance_percent)
    assert "percentage" in capsys.readouterr().out
    check_chance_accuracy(chance_share_of_unseen)
    assert "some* unseen class" in capsys.readouterr().out
    check_chance_accuracy(chance_ignores_setting)
    assert "every class is a candidate" in capsys.readouterr().out


def test_unseen_cases_are_well_formed():
    """Every case has at least one unseen class, and every seen class has a training image."""
    for case in _unseen_cases():
        y, trainval, names = case.args
        assert len(names) == y.max() + 1
        unseen = unseen_right(y, trainval, names)
        assert 0 < len(unseen) < len(names)
        assert len(np.unique(y[trainval])) == len(names) - len(unseen)


def test_unseen_classes_on_the_course_split(capsys):
    """On the Animal-MNIST split, the right answer names the default unseen classes (no download: labels only)."""
    from zsl_tutorial.data.animals import ANIMAL_CLASSES as CLASS_NAMES, DEFAULT_UNSEEN
    from zsl_tutorial.data.dataset import make_split

    y = np.repeat(np.arange(len(CLASS_NAMES)), 20)
    splits = make_split(y, unseen=[CLASS_NAMES.index(c) for c in DEFAULT_UNSEEN], n_val=2, seed=0)
    assert unseen_right(y, splits["trainval"], list(CLASS_NAMES)) == sorted(DEFAULT_UNSEEN)
