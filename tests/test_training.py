"""Tests of zsl_tutorial.training, the one loop behind every torch model of the package (CPU, tiny data)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from zsl_tutorial.training import (  # noqa: E402
    build_seeded,
    predict_in_chunks,
    shuffled_batches,
    train_epochs,
    torch_device,
)


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny networks: one thread is faster, and identical sums whatever the machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def toy(n=37, d=5, c=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    y = rng.integers(0, c, size=n)
    return torch.as_tensor(X), torch.as_tensor(y, dtype=torch.long)


def train_linear(seed, epochs=4, batch_size=8, progress=False):
    """A softmax classifier trained with the helpers, as the package's models are."""
    X, y = toy()
    model = build_seeded(lambda: torch.nn.Linear(X.shape[1], 3), seed, device=torch_device("cpu"))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    gen = torch.Generator().manual_seed(seed)

    def step(idx):
        loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"loss": float(loss.detach())}

    history = train_epochs(step, epochs=epochs, n=len(X), batch_size=batch_size, generator=gen,
                           weight="samples", desc="test", progress=progress)
    with torch.no_grad():
        return history, model(X).numpy()


# ----------------------------------------------------------------- determinism
def test_same_seed_same_history_and_outputs():
    h1, out1 = train_linear(seed=3)
    h2, out2 = train_linear(seed=3)
    assert h1 == h2
    assert np.array_equal(out1, out2)


def test_different_seed_different_history_and_outputs():
    h1, out1 = train_linear(seed=3)
    h2, out2 = train_linear(seed=4)
    assert h1["loss"] != h2["loss"]
    assert not np.allclose(out1, out2)


def test_training_leaves_the_global_rng_alone():
    torch.manual_seed(11)
    expected = torch.rand(3)
    torch.manual_seed(11)
    train_linear(seed=0)
    assert torch.equal(torch.rand(3), expected)


def test_build_seeded_same_seed_same_weights_and_tuples():
    a = build_seeded(lambda: torch.nn.Linear(4, 2), 5)
    b = build_seeded(lambda: torch.nn.Linear(4, 2), 5)
    c = build_seeded(lambda: torch.nn.Linear(4, 2), 6)
    assert torch.equal(a.weight, b.weight)
    assert not torch.equal(a.weight, c.weight)
    g1, d1 = build_seeded(lambda: (torch.nn.Linear(2, 2), torch.nn.Linear(3, 1)), 5, device="cpu")
    g2, d2 = build_seeded(lambda: (torch.nn.Linear(2, 2), torch.nn.Linear(3, 1)), 5, device="cpu")
    assert torch.equal(g1.weight, g2.weight) and torch.equal(d1.weight, d2.weight)
    assert not torch.equal(d1.weight, build_seeded(lambda: torch.nn.Linear(3, 1), 5).weight)  # drawn after G's


# ----------------------------------------------------------------- the loss history
def test_history_has_one_mean_per_epoch():
    history, _ = train_linear(seed=0, epochs=5)
    assert list(history) == ["loss"]
    assert len(history["loss"]) == 5
    assert all(np.isfinite(history["loss"]))


def test_epoch_means_by_samples_and_by_batches():
    n, bs = 10, 4  # batches of 4, 4 and 2

    def step(idx):
        return {"size": float(len(idx)), "const": 2.0}

    gen = torch.Generator().manual_seed(0)
    by_batch = train_epochs(step, epochs=2, n=n, batch_size=bs, generator=gen, progress=False)
    assert by_batch["size"] == [10 / 3, 10 / 3]  # mean over the 3 batches
    assert by_batch["const"] == [2.0, 2.0]
    by_sample = train_epochs(step, epochs=2, n=n, batch_size=bs, generator=gen, weight="samples", progress=False)
    assert by_sample["size"] == [(16 + 16 + 4) / 10] * 2  # each batch weighted by its size


def test_list_values_add_every_update_and_steps_per_epoch():
    calls = []

    def step(batch):
        calls.append(batch)
        return {"critic": [1.0, 2.0, 3.0], "gen": 4.0}

    history = train_epochs(step, epochs=3, steps_per_epoch=2, progress=False)
    assert calls == [None] * 6  # a step that draws its own data gets no indices
    assert history == {"critic": [6.0] * 3, "gen": [4.0] * 3}  # per-step sums, averaged over steps


def test_a_step_that_records_nothing_gives_an_empty_history():
    gen = torch.Generator().manual_seed(0)
    assert train_epochs(lambda idx: {}, epochs=2, n=5, batch_size=2, generator=gen, progress=False) == {}


# ----------------------------------------------------------------- minibatches
def test_minibatches_cover_every_index_exactly_once_per_epoch():
    n, seen = 23, []

    def step(idx):
        seen[-1].append(idx.clone())
        return {}

    gen = torch.Generator().manual_seed(1)
    for _ in range(3):  # one epoch per call, so that each epoch's batches are kept apart
        seen.append([])
        train_epochs(step, epochs=1, n=n, batch_size=5, generator=gen, progress=False)
    orders = []
    for batches in seen:
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        order = torch.cat(batches).numpy()
        assert np.array_equal(np.sort(order), np.arange(n))
        orders.append(order)
    assert not np.array_equal(orders[0], orders[1])  # reshuffled every epoch


def test_shuffled_batches_are_seeded_and_drop_small_ones():
    a = shuffled_batches(11, 4, torch.Generator().manual_seed(2))
    b = shuffled_batches(11, 4, torch.Generator().manual_seed(2))
    c = shuffled_batches(11, 4, torch.Generator().manual_seed(3))
    assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not torch.equal(torch.cat(a), torch.cat(c))
    kept = shuffled_batches(9, 4, torch.Generator().manual_seed(2), min_size=2)  # 4, 4, (1 dropped)
    assert [len(x) for x in kept] == [4, 4]


# ----------------------------------------------------------------- chunked inference
@pytest.mark.parametrize("chunk", [1, 2, 7, 37, 100])
def test_chunked_inference_equals_one_shot(chunk):
    X, _ = toy()
    Xn = X.numpy()
    model = build_seeded(lambda: torch.nn.Linear(5, 3), 0)
    with torch.no_grad():
        whole = model(X).numpy()
    got = predict_in_chunks(lambda xb: model(torch.as_tensor(xb)), Xn, chunk)
    assert got.shape == whole.shape
    np.testing.assert_allclose(got, whole, rtol=1e-6, atol=1e-7)  # a matmul may round per batch size
    exact = predict_in_chunks(lambda xb: torch.as_tensor(xb) * 2 + 1, Xn, chunk, dtype=np.float64)
    assert exact.dtype == np.float64
    assert np.array_equal(exact, (Xn * 2 + 1).astype(np.float64))


@pytest.mark.parametrize("chunk", [1, 3, 50])
def test_chunks_are_processed_in_order(chunk):
    """fn is called once per chunk, in order: a generator inside it draws what a hand-written loop would."""
    rows = np.arange(10)
    gen = torch.Generator().manual_seed(0)
    got = predict_in_chunks(lambda r: torch.randn(len(r), 2, generator=gen) + torch.as_tensor(r)[:, None], rows,
                            chunk)
    ref_gen = torch.Generator().manual_seed(0)
    ref = np.concatenate([(torch.randn(len(r), 2, generator=ref_gen) + torch.as_tensor(r)[:, None]).numpy()
                          for r in np.array_split(rows, range(chunk, 10, chunk))])
    assert np.array_equal(got, ref)


def test_chunked_inference_runs_without_gradients():
    modes = []

    def fn(xb):
        modes.append(torch.is_grad_enabled())
        return torch.as_tensor(xb)

    predict_in_chunks(fn, np.zeros((5, 2), np.float32), 2)
    assert modes == [False, False, False]


# ----------------------------------------------------------------- progress and errors
def test_progress_false_prints_nothing(capsys):
    train_linear(seed=0, progress=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_progress_true_shows_a_bar(capsys):
    train_linear(seed=0, progress=True)
    _, err = capsys.readouterr()
    assert "test" in err  # the bar's description (tqdm writes to stderr)


def test_bad_arguments_are_named():
    gen = torch.Generator().manual_seed(0)
    with pytest.raises(ValueError, match="epochs"):
        train_epochs(lambda idx: {}, epochs=0, n=3, batch_size=2, generator=gen, progress=False)
    with pytest.raises(TypeError, match="epochs"):
        train_epochs(lambda idx: {}, epochs=1.5, n=3, batch_size=2, generator=gen, progress=False)
    with pytest.raises(TypeError, match="steps_per_epoch"):
        train_epochs(lambda idx: {}, epochs=1, progress=False)
    with pytest.raises(ValueError, match="weight"):
        train_epochs(lambda idx: {}, epochs=1, steps_per_epoch=2, weight="samples", progress=False)
    with pytest.raises(ValueError, match="chunk_size"):
        predict_in_chunks(lambda xb: torch.as_tensor(xb), np.zeros((2, 2)), 0)


def test_fit_cross_entropy_learns_and_records_per_epoch():
    from zsl_tutorial.training import fit_cross_entropy

    g = torch.Generator().manual_seed(0)
    X = torch.randn(64, 3, generator=g)
    y = (X[:, 0] > 0).long()
    clf = torch.nn.Linear(3, 2)
    opt = torch.optim.Adam(clf.parameters(), lr=0.1)
    history = fit_cross_entropy(lambda idx: clf(X[idx]), y, opt, epochs=5, batch_size=16,
                                generator=torch.Generator().manual_seed(1), progress=False)
    assert len(history) == 5 and history[-1] < history[0]
    assert fit_cross_entropy(lambda idx: clf(X[idx]), y, opt, epochs=2, batch_size=16,
                             generator=torch.Generator().manual_seed(1), progress=False, record=False) == []


def test_adam_is_the_multi_tensor_update_and_matches_the_per_tensor_one():
    """``training.adam`` (foreach=True, faster on the CPU) takes the very same steps as PyTorch's default loop."""
    import torch

    from zsl_tutorial.training import adam

    def train(make_opt):
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.ReLU(), torch.nn.Linear(7, 3))
        opt = make_opt(net.parameters())
        X, y = torch.randn(32, 5), torch.randint(0, 3, (32,))
        for _ in range(20):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(X), y).backward()
            opt.step()
        return torch.cat([p.detach().flatten() for p in net.parameters()])

    opt = adam([torch.nn.Parameter(torch.zeros(2))], lr=1e-3, betas=(0.5, 0.999))
    assert opt.defaults["foreach"] is True and opt.defaults["betas"] == (0.5, 0.999)
    fast = train(lambda p: adam(p, lr=1e-2, weight_decay=1e-4))
    slow = train(lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-4, foreach=False))
    assert torch.equal(fast, slow)


def test_a_loss_that_becomes_nan_stops_training_with_what_to_change():
    from zsl_tutorial.training import TrainingDiverged, train_epochs

    losses = iter([1.0, 0.5, float("nan"), 0.1])
    with pytest.raises(TrainingDiverged, match=r"toy diverged in epoch 2 of 3: the mean loss is nan\. Fix: lower lr"):
        train_epochs(lambda _: {"loss": next(losses)}, epochs=3, steps_per_epoch=2, desc="toy", progress=False,
                     if_diverged="lower lr")
    assert issubclass(TrainingDiverged, FloatingPointError)
    # finite losses, however large, are not divergence
    assert train_epochs(lambda _: {"loss": 1e300}, epochs=2, steps_per_epoch=1, progress=False) == {"loss": [1e300] * 2}


def test_check_finite_weights_names_the_fix():
    import torch

    from zsl_tutorial.training import TrainingDiverged, check_finite_weights

    layer = torch.nn.Linear(2, 2)
    check_finite_weights(layer, "clf", "lower clf_lr")  # finite: nothing happens
    with torch.no_grad():
        layer.weight[0, 0] = float("inf")
    with pytest.raises(TrainingDiverged, match="clf diverged: its weights hold NaN or infinite values. Fix: lower clf_lr"):
        check_finite_weights(layer, "clf", "lower clf_lr")


@pytest.mark.parametrize("make", ["clswgan", "deep"])
def test_a_huge_learning_rate_is_an_error_that_names_lr_not_nan_scores(make):
    from zsl_tutorial.data.synthetic import make_synthetic
    from zsl_tutorial.methods import CLSWGAN, DeepEncoder
    from zsl_tutorial.training import TrainingDiverged

    ds = make_synthetic(seed=0, n_per_class=20)
    tr, gz = ds.train_view("trainval"), ds.gzsl_view()
    if make == "clswgan":
        est, kw = CLSWGAN(lr=1e20, epochs=2, pretrain_epochs=2, clf_epochs=2, n_synth=10, hidden=32,
                          progress=False), {"candidates": gz.S}
    else:
        est, kw = DeepEncoder(lr=1e20, epochs=3, progress=False), {}
    with pytest.raises(TrainingDiverged, match=r"Fix: lower lr \(now 1e\+20\)"):
        est.fit(tr.X, tr.y, tr.S, **kw)


def test_portable_convolutions_switch_onednn_off_on_the_cpu_only_and_restore_it():
    from zsl_tutorial.training import portable_convolutions

    before = torch.backends.mkldnn.enabled
    with pytest.raises(RuntimeError, match="inside"):
        with portable_convolutions("cpu"):
            assert torch.backends.mkldnn.enabled is False
            raise RuntimeError("inside")
    assert torch.backends.mkldnn.enabled == before  # restored after an error too
    with portable_convolutions("meta"):  # not the CPU: left alone
        assert torch.backends.mkldnn.enabled == before
