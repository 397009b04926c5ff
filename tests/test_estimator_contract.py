"""The estimator contract, tested once, and one test that every estimator-like class goes through it.

Every zero-shot method inherits its input checks from ``methods._base.ZSLEstimator`` (which calls
``zsl_tutorial._validation``), and every estimator-like class of the package inherits
``get_params``/``set_params`` from ``zsl_tutorial._params.ParamsMixin``. So:

1. the validation contract is tested here in depth, once, on ``_Prototypes``, the smallest concrete
   ``ZSLEstimator`` (no checks of its own, so every error comes from the base); each case pins the
   error type and the essential words of the message (the argument, the problem, the fix), not its
   whole wording;
2. ``test_every_estimator_goes_through_the_contract`` shows, for every class, that it uses that
   machinery: a ``ParamsMixin``, clonable, strict ``set_params``, sklearn's ``NotFittedError``, and
   for the feature methods one representative bad input at fit and at each prediction entry point;
3. ``test_every_estimator_class_is_in_the_contract_list`` walks the package, so a new class with a
   ``fit`` cannot skip (2);
4. ``test_prediction_never_changes_the_model`` checks that predicting leaves the fitted state alone.

Class-specific checks (each method's own hyper-parameters, CLSWGAN's candidate classes, the image and
text checks of the encoders) stay in the test files of those classes.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import zsl_tutorial
from zsl_tutorial._params import ParamsMixin
from zsl_tutorial.encoders import CNNEncoder
from zsl_tutorial.generative_images import ImageGAN
from zsl_tutorial.methods import (
    CLSWGAN,
    ESZSLCV,
    SAECV,
    ClassDisjointSearch,
    SAE,
    AttributeRegressor,
    CalibratedStacking,
    DeepEncoder,
    ESZSL,
    MiniCLIP,
    ReverseRidge,
    ZSLEstimator,
)
from zsl_tutorial.text import EmbeddingZeroShotClassifier

RNG = np.random.default_rng(0)
X = RNG.normal(size=(30, 5))
Y = np.arange(30) % 3
S = RNG.random((3, 4)) + 0.1
S_NEW = RNG.random((4, 4)) + 0.1  # other (unseen) candidate classes, same attributes
_RNG5 = np.random.default_rng(5)  # a five-class problem for the searches, which hold classes out
S5 = _RNG5.random((5, 4)) + 0.1
Y5 = np.arange(60) % 5
X5 = S5[Y5] @ _RNG5.normal(size=(4, 5)) + 0.1 * _RNG5.normal(size=(60, 5))


def words(*parts: str) -> str:
    """A regex for message parts in this order, whatever the wording between them."""
    return r"[\s\S]*".join(parts)


def _with(arr, i, j, value):
    out = np.array(arr, dtype=float)
    out[i, j] = value
    return out


# =========================================================================== 1. the contract, once
class _Prototypes(ZSLEstimator):
    """The smallest concrete estimator: ridge map from attributes to class means, scores = -distance."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def _fit(self, X, y, S):
        means = np.stack([X[y == c].mean(axis=0) for c in range(len(S))])
        self.W_ = np.linalg.solve(S.T @ S + self.alpha * np.eye(S.shape[1]), S.T @ means)

    def _decision_function(self, X, S):
        P = S @ self.W_
        return -((X[:, None, :] - P[None]) ** 2).sum(axis=2)


FIT_CASES = [
    # (id, X, y, S, exception, the message's essential words)
    ("rows-mismatch", X[:-1], Y, S, ValueError, words("X", "29 rows", "y", "30 labels", "same samples")),
    ("X-nan", _with(X, 3, 1, np.nan), Y, S, ValueError,
     words("X", "1 NaN or infinite", r"row\(s\) \[3\]", "Drop or impute")),
    ("X-inf", _with(X, 0, 0, np.inf), Y, S, ValueError, words("X", "1 NaN or infinite", r"\[0\]")),
    ("S-nan", X, Y, _with(S, 1, 2, np.nan), ValueError, words("S", "1 NaN or infinite", r"\[1\]")),
    ("label-too-big", X, np.where(Y == 2, 3, Y), S, ValueError,
     words("y", "label 3", "only 3 classes", r"\[0, 2\]")),
    ("label-negative", X, Y - 1, S, ValueError, words("y", "negative labels", "from 0")),
    ("S-zero-row", X, Y, np.vstack([S[:2], np.zeros(4)]), ValueError,
     words("S", r"all-zero row\(s\) \[2\]", "Fill in")),
    ("class-without-samples", X, Y % 2, S, ValueError,
     words("S", r"class\(es\) \[2\]", "no training sample", r"S\[np\.unique\(y\)\]")),
    ("single-class", X, np.zeros(30, int), S, ValueError, words("y", "only 1 distinct class", "at least 2")),
    ("S-single-row", X, np.zeros(30, int), S[:1], ValueError, words("S", r"1 class row\(s\)", "at least 2")),
    ("S-empty", X, Y, np.zeros((0, 4)), ValueError, words("S", "empty", "at least one row")),
    ("S-no-columns", X, Y, np.zeros((3, 0)), ValueError, words("S", "empty", "column")),
    ("X-empty", np.zeros((0, 5)), np.zeros(0, int), S, ValueError, words("X", "empty")),
    ("X-3d", X[:, :, None], Y, S, ValueError, words("X", "2-D", "3-D", r"reshape\(len\(X\), -1\)")),
    ("X-1d", X[:, 0], Y, S, ValueError, words("X", "2-D", "1-D", "reshape")),
    ("S-1d", X, Y, S[0], ValueError, words("S", "2-D", "1-D")),
    ("X-strings", X.astype(str), Y, S, TypeError, words("X", "numbers", "dtype <U", "dtype=float")),
    ("X-object", X.astype(object), Y, S, TypeError, words("X", "numbers", "dtype object", "dtype=float")),
    ("X-complex", X.astype(complex), Y, S, TypeError, words("X", "complex", r"\.real")),
    ("S-complex", X, Y, S.astype(complex), TypeError, words("S", "complex", r"\.real")),
    ("X-None", None, Y, S, TypeError, words("X", "2-D numeric array", "NoneType")),
    ("y-bool", X, Y > 0, S, TypeError, words("y", "integer class indices", "booleans", "flatnonzero")),
    ("y-float", X, Y + 0.5, S, TypeError, words("y", "integer class indices", "non-integer floats")),
    ("y-strings", X, np.array(["cat", "dog", "cow"] * 10), S, TypeError,
     words("y", "integer class indices", r"np\.unique")),
    ("y-2d", X, Y[:, None], S, ValueError, words("y", "1-D")),
    ("X-ragged", [[1.0, 2.0], [3.0]], [0, 1], S, ValueError, words("X", "rectangular")),
]


@pytest.mark.parametrize("case", FIT_CASES, ids=[c[0] for c in FIT_CASES])
def test_fit_rejects_bad_input(case):
    _, Xb, yb, Sb, exc, match = case
    with pytest.raises(exc, match=match):
        _Prototypes().fit(Xb, yb, Sb)


PREDICT_CASES = [
    # (id, method, args, exception, the message's essential words)
    ("X-too-few-features", "decision_function", (X[:, :4], S), ValueError,
     words("X", "4 features", "_Prototypes", "fitted on 5")),
    ("S-other-attributes", "decision_function", (X, S[:, :3]), ValueError,
     words("S", "3 auxiliary dimensions", "_Prototypes", "fitted on 4", "same attributes")),
    ("X-nan", "decision_function", (_with(X, 2, 2, np.nan), S), ValueError, words("X", "1 NaN", r"\[2\]")),
    ("S-zero-row", "decision_function", (X, np.vstack([S, np.zeros(4)])), ValueError,
     words("S", r"all-zero row\(s\) \[3\]")),
    ("S-complex", "decision_function", (X, S.astype(complex)), TypeError, words("S", "complex")),
    ("X-strings", "decision_function", (X.astype(str), S), TypeError, words("X", "numbers")),
    ("X-empty", "decision_function", (np.zeros((0, 5)), S), ValueError, words("X", "empty")),
    ("X-1d", "predict", (X[0], S), ValueError, words("X", "2-D", "Flatten")),
    ("predict-single-candidate", "predict", (X, S[:1]), ValueError, words("S", r"1 class row\(s\)", "at least 2")),
    ("score-length", "score", (X, Y[:-1], S), ValueError, words("X", "30 rows", "y", "29 labels")),
    ("score-label-range", "score", (X, Y + 1, S), ValueError, words("y", "label 3", "only 3 classes")),
    ("score-strings", "score", (X, Y.astype(str), S), TypeError, words("y", "integer class indices")),
    ("score-single-candidate", "score", (X, np.zeros(30, int), S[:1]), ValueError,
     words("S", r"1 class row\(s\)", "at least 2")),
]


@pytest.fixture(scope="module")
def prototypes():
    return _Prototypes().fit(X, Y, S)


@pytest.mark.parametrize("case", PREDICT_CASES, ids=[c[0] for c in PREDICT_CASES])
def test_predict_and_score_reject_bad_input(prototypes, case):
    _, method, args, exc, match = case
    with pytest.raises(exc, match=match):
        getattr(prototypes, method)(*args)


def test_unfitted_estimator_says_fit_first():
    for method, args in (("decision_function", (X, S)), ("predict", (X, S)), ("score", (X, Y, S))):
        with pytest.raises(NotFittedError, match=words(r"This _Prototypes is not fitted yet", r"fit\(X, y, S\)")):
            getattr(_Prototypes(), method)(*args)


def test_hyperparameters_are_checked_before_the_data():
    class Picky(_Prototypes):
        def _check_params(self):
            if self.alpha <= 0:
                raise ValueError("alpha must be > 0")

    with pytest.raises(ValueError, match="alpha"):
        Picky(alpha=0).fit(None, Y, S)  # X is bad too, but the parameter is reported first


def test_boolean_and_integer_attributes_mean_zero_and_one():
    # Binary attribute matrices (AwA's predicate matrix) are legitimate: True/False read as 1/0.
    Sb = np.array([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 1]], dtype=bool)
    a = _Prototypes().fit(X, Y, Sb).decision_function(X, Sb)
    b = _Prototypes().fit(X, Y, Sb.astype(float)).decision_function(X, Sb.astype(float))
    c = _Prototypes().fit(X, Y, Sb.astype(int)).decision_function(X, Sb.astype(int))
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(a, c)


def test_candidates_may_be_other_classes_with_the_same_attributes(prototypes):
    assert prototypes.n_features_in_ == 5 and prototypes.n_aux_in_ == 4
    assert prototypes.decision_function(X[:7], S_NEW).shape == (7, 4)
    np.testing.assert_array_equal(prototypes.predict(X, S_NEW), prototypes.decision_function(X, S_NEW).argmax(1))


# =========================================================================== 2. every class goes through it
def _squares(n_per=8, seed=0):
    """Tiny uint8 28x28 images of two classes (a white square top-left or bottom-right)."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], n_per)
    imgs = np.zeros((len(y), 28, 28), np.uint8)
    for i, c in enumerate(y):
        r, s = rng.integers(0, 4, 2)
        off = 2 if c == 0 else 14
        imgs[i, off + r:off + r + 10, off + s:off + s + 10] = 255
    return imgs, y


IMAGES, IMAGE_Y = _squares()
FLAT_IMAGES = IMAGES.reshape(len(IMAGES), -1) / 255.0
S_IMG = np.array([[1.0, 0.0], [0.0, 1.0]])
SC = RNG.normal(size=(12, 4))  # validation scores for calibrated stacking: 2 seen, 2 unseen columns
SC_Y = np.arange(12) % 4
SC_MASK = np.array([True, True, False, False])
TEXTS = ["The striker scored twice.", "Snow is expected tonight.", "Simmer the sauce for an hour."]
TEXT_LABELS = ["sports", "weather", "cooking"]

TORCH_TINY = dict(epochs=1, batch_size=16, progress=False, device="cpu")


@dataclass
class Case:
    """How to make, fit, and use one estimator-like class on tiny data."""

    make: Callable[[], Any]  # an unfitted instance, with some non-default parameters
    fit: Callable[[Any], Any]
    unfitted: Callable[[Any], Any] | None  # a call that must raise NotFittedError before fit
    predictions: Callable[[Any], list]  # the read-only calls (predict, scores, transforms) on a fitted one
    features: bool = False  # a ZSLEstimator taking (X, S): the shared input checks apply


def _zsl_predictions(est):
    out = [est.decision_function(X, S), est.decision_function(X[:7], S_NEW), est.predict(X, S_NEW),
           est.score(X, Y, S)]
    for name in ("embed", "encode", "predict_attributes"):  # the methods' own transforms
        if hasattr(est, name):
            out.append(getattr(est, name)(X))
    if hasattr(est, "decode"):
        out.append(est.decode(S_NEW))
    return out


def _zsl(make):
    return Case(make, lambda e: e.fit(X, Y, S), lambda e: e.decision_function(X, S), _zsl_predictions, True)


CASES = {
    "ESZSL": _zsl(lambda: ESZSL(feature_ridge=0.5, attribute_ridge=2.0)),
    "SAE-semantic": _zsl(lambda: SAE(lam=0.5)),
    "SAE-visual": _zsl(lambda: SAE(direction="visual")),
    "AttributeRegressor": _zsl(lambda: AttributeRegressor(alpha=0.5, metric="euclidean")),
    "ReverseRidge": _zsl(lambda: ReverseRidge(alpha=2.0)),
    "DeepEncoder": _zsl(lambda: DeepEncoder(hidden=4, **TORCH_TINY)),
    # f-CLSWGAN trains its final softmax in fit, so fit is told every class it will be asked about.
    "CLSWGAN": Case(lambda: CLSWGAN(hidden=8, pretrain_epochs=1, clf_epochs=1, n_synth=4, n_critic=1, **TORCH_TINY),
                    lambda e: e.fit(X, Y, S, candidates=np.vstack([S, S_NEW])),
                    lambda e: e.decision_function(X, S), _zsl_predictions, True),
    # The searches hold classes out, so they fit on a five-class problem (same widths as X and S).
    "ESZSLCV": Case(lambda: ESZSLCV(feature_ridges=(0.1, 1.0), attribute_ridges=(1.0, 10.0)), lambda e: e.fit(X5, Y5, S5),
                    lambda e: e.decision_function(X, S), _zsl_predictions, True),
    "SAECV": Case(lambda: SAECV(lams=(0.1, 1.0), direction="visual"), lambda e: e.fit(X5, Y5, S5),
                  lambda e: e.decision_function(X, S), _zsl_predictions, True),
    "ClassDisjointSearch": Case(lambda: ClassDisjointSearch(AttributeRegressor(), {"alpha": [0.1, 1.0]}),
                                lambda e: e.fit(X5, Y5, S5), lambda e: e.decision_function(X, S),
                                _zsl_predictions, True),
    # CalibratedStacking before fit applies the constructor's gamma (documented), so no NotFittedError.
    "CalibratedStacking": Case(
        lambda: CalibratedStacking(gamma=0.3),
        lambda e: e.fit(SC, SC_Y, SC_MASK),
        None,
        lambda e: [e.predict(SC, SC_MASK), e.evaluate(SC, SC_Y, SC_MASK), e.gamma_used],
    ),
    "CNNEncoder": Case(
        lambda: CNNEncoder(feature_dim=4, **TORCH_TINY),
        lambda e: e.fit(IMAGES, IMAGE_Y),
        lambda e: e.transform(IMAGES),
        lambda e: [e.transform(IMAGES), e.decision_function(IMAGES), e.predict(IMAGES), e.score(IMAGES, IMAGE_Y)],
    ),
    # MiniCLIP takes images flattened to rows, in [0, 1], with their shape as a parameter.
    "MiniCLIP": Case(
        lambda: MiniCLIP(image_shape=(28, 28), embed_dim=4, **TORCH_TINY),
        lambda e: e.fit(FLAT_IMAGES, IMAGE_Y, S_IMG),
        lambda e: e.decision_function(FLAT_IMAGES, S_IMG),
        lambda e: [e.decision_function(FLAT_IMAGES, S_IMG), e.predict(FLAT_IMAGES, S_IMG[::-1]),
                   e.score(FLAT_IMAGES, IMAGE_Y, S_IMG), e.embed_images(FLAT_IMAGES), e.embed_texts(S_IMG)],
    ),
    "ImageGAN": Case(
        lambda: ImageGAN(width=2, n_noise=2, **TORCH_TINY),
        lambda e: e.fit(IMAGES, IMAGE_Y, S_IMG),
        lambda e: e.generate(S_IMG, 2),
        lambda e: [e.generate(S_IMG, 2), e.generate(S_IMG[::-1], 1, seed=3)],
    ),
    "EmbeddingZeroShotClassifier": Case(  # fit loads the bundled MiniLM (a few seconds, once per process)
        lambda: EmbeddingZeroShotClassifier(temperature=0.1, verbose=False, device="cpu"),
        lambda e: e.fit(),
        lambda e: e.predict(TEXTS, TEXT_LABELS),
        lambda e: [e.transform(TEXTS), e.decision_function(TEXTS, TEXT_LABELS), e.predict(TEXTS, TEXT_LABELS),
                   e.predict_proba(TEXTS, TEXT_LABELS), e.score(TEXTS, TEXT_LABELS, TEXT_LABELS),
                   e.embed_labels({"sports": ["games and matches"], "music": "songs"})],
    ),
}
SLOW = {"EmbeddingZeroShotClassifier"}  # loads a transformer, as the other text tests (marked slow there too)


def _params(names, xfail=None):
    return [pytest.param(n, id=n, marks=([pytest.mark.slow] if n in SLOW else [])
                         + ([pytest.mark.xfail(strict=True, reason=xfail[n])] if xfail and n in xfail else []))
            for n in names]


@pytest.fixture(scope="module")
def fitted():
    """Each class fitted once on its tiny problem, on first use (torch ones: one epoch)."""
    cache: dict[str, Any] = {}

    def get(name):
        if name not in cache:
            cache[name] = CASES[name].fit(CASES[name].make())
        return cache[name]

    return get


@pytest.mark.parametrize("name", _params(CASES))
def test_every_estimator_goes_through_the_contract(fitted, name):
    case = CASES[name]
    est = case.make()
    cls = type(est)
    assert isinstance(est, ParamsMixin)

    # Parameters: clone keeps them (sklearn's clone also checks each is stored unchanged); set_params is strict.
    params = est.get_params()
    twin = clone(est)
    def plain(p):  # a wrapped estimator is cloned too: compare its parameters, not the object
        return {k: v for k, v in p.items() if not hasattr(v, "get_params")}

    assert type(twin) is cls and twin is not est and plain(twin.get_params()) == plain(params)
    with pytest.raises(ValueError, match=words(cls.__name__, "no parameter 'no_such_param'", "valid")):
        est.set_params(no_such_param=1)
    first = next(iter(params))
    assert est.set_params(**{first: params[first]}) is est and est.get_params() == params

    # Before fit: sklearn's NotFittedError; a clone of a fitted estimator is unfitted again.
    model = fitted(name)
    refit = clone(model)
    assert plain(refit.get_params()) == plain(model.get_params())
    assert not [k for k in vars(refit) if k.endswith("_")], "a clone must be unfitted"
    if case.unfitted is not None:
        for unfitted in (est, refit):
            with pytest.raises(NotFittedError, match=f"This {cls.__name__} is not fitted yet"):
                case.unfitted(unfitted)

    if not case.features:
        return
    # The feature methods: one representative bad input at fit and at every prediction entry point
    # raises the shared error (the cases above), so the class uses the base's checks.
    assert isinstance(est, ZSLEstimator)
    with pytest.raises(ValueError, match=words("X", "1 NaN or infinite", r"\[3\]")):
        case.make().fit(_with(X, 3, 1, np.nan), Y, S)
    wrong_S = words("S", "3 auxiliary dimensions", cls.__name__, "fitted on 4")
    with pytest.raises(ValueError, match=wrong_S):
        model.decision_function(X, S[:, :3])
    with pytest.raises(ValueError, match=wrong_S):
        model.score(X, Y, S[:, :3])
    with pytest.raises(ValueError, match=words("X", "4 features", cls.__name__, "fitted on 5")):
        model.predict(X[:, :4], S)
    # One score column per candidate, in the candidates' order, for any number of candidates.
    scores = model.decision_function(X[:7], S[[2, 0]])
    assert scores.shape == (7, 2) and np.isfinite(scores).all()


# =========================================================================== 3. no class skips the list
NOT_IN_LIST = {ZSLEstimator: "the abstract base: its contract is tested in depth above, on _Prototypes"}


def _package_classes_with_fit():
    found, failed = set(), []
    for info in pkgutil.walk_packages(zsl_tutorial.__path__, "zsl_tutorial."):
        if info.name.rsplit(".", 1)[-1] == "__main__":  # the command line: importing it would run it
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception as exc:  # a module that cannot be imported would hide its classes
            failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
            continue
        for obj in vars(module).values():
            fit = getattr(obj, "fit", None)
            if inspect.isclass(obj) and obj.__module__.startswith("zsl_tutorial") and callable(fit) \
                    and getattr(fit, "__module__", "").startswith("zsl_tutorial"):
                found.add(obj)
    return found, failed


def test_every_estimator_class_is_in_the_contract_list():
    found, failed = _package_classes_with_fit()
    assert not failed, f"modules that could not be imported: {failed}"
    listed = {type(case.make()) for case in CASES.values()}
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in found - listed - set(NOT_IN_LIST))
    assert not missing, f"classes with a fit method that are not in CASES (add them): {missing}"
    stale = sorted(c.__qualname__ for c in listed - found)
    assert not stale, f"listed in CASES but not found in the package: {stale}"


# =========================================================================== 4. predicting changes nothing
def _freeze(value):
    """A comparable snapshot: arrays, tensors and torch modules by value, containers recursively,
    other objects by identity."""
    try:
        import torch
    except ImportError:  # pragma: no cover
        torch = None
    if isinstance(value, np.ndarray):
        return ("array", value.copy())
    if torch is not None and isinstance(value, torch.Tensor):
        return ("array", value.detach().cpu().numpy().copy())
    if torch is not None and isinstance(value, torch.nn.Module):
        return ("module", id(value), value.training,
                {k: v.detach().cpu().numpy().copy() for k, v in value.state_dict().items()})
    if isinstance(value, dict):
        return ("dict", {k: _freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_freeze(v) for v in value])
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(value))
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        return ("value", value)
    return ("object", id(value))


def _differences(before, after, path="") -> list[str]:
    if before[0] != after[0]:
        return [f"{path}: {before[0]} became {after[0]}"]
    kind = before[0]
    if kind == "array":
        a, b = before[1], after[1]
        same = a.shape == b.shape and a.dtype == b.dtype and np.array_equal(
            a, b, equal_nan=a.dtype.kind in "fc")
        return [] if same else [f"{path}: array changed"]
    if kind == "module":
        if before[1:3] != after[1:3]:
            return [f"{path}: module replaced or its train/eval mode changed"]
        return _differences(("dict", {k: ("array", v) for k, v in before[3].items()}),
                            ("dict", {k: ("array", v) for k, v in after[3].items()}), path)
    if kind == "dict":
        a, b = before[1], after[1]
        if a.keys() != b.keys():
            keys = sorted(f"{k!r:.40}" for k in a.keys() ^ b.keys())
            return [f"{path}: {len(keys)} key(s) added or removed: {keys}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{path}[{k!r}]")]
    if kind in ("list", "tuple") or isinstance(before[1], list):
        a, b = before[1], after[1]
        if len(a) != len(b):
            return [f"{path}: length {len(a)} became {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{path}[{i}]")]
    a, b = before[1], after[1]
    same = a == b or (isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b))
    return [] if same else [f"{path}: {a!r} became {b!r}"]


#: Classes whose predictions still change their state (xfail, strict): none since f-CLSWGAN trains its
#: final softmax in fit.
PREDICTION_CHANGES_MODEL: dict[str, str] = {}


@pytest.mark.parametrize("name", _params(CASES, xfail=PREDICTION_CHANGES_MODEL))
def test_prediction_never_changes_the_model(name):
    case = CASES[name]
    model = case.fit(case.make())  # a fresh fit: nothing predicted with it yet
    before = {k: _freeze(v) for k, v in vars(model).items()}
    first = case.predictions(model)
    second = case.predictions(model)
    after = {k: _freeze(v) for k, v in vars(model).items()}
    changes = _differences(("dict", before), ("dict", after), type(model).__name__)
    assert not changes, "prediction changed the fitted model:\n" + "\n".join(changes)
    for a, b in zip(first, second):  # and the same calls give the same answers
        for x, y in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
            if isinstance(x, (np.ndarray, float, int)):
                np.testing.assert_array_equal(x, y)
