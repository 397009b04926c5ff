"""MiniCLIP, CLIP in miniature: its loss, its training, its zero-shot use, and clear errors."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from zsl_tutorial.methods import MiniCLIP, clip_loss  # noqa: E402


def _images(n_per=24, seed=0):
    """Three classes of 16x16 images: a bright bar that is horizontal, vertical or diagonal."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1, 2], n_per)
    X = rng.random((len(y), 16, 16)) * 0.2
    for i, c in enumerate(y):
        k = rng.integers(3, 13)
        if c == 0:
            X[i, k, :] = 1.0
        elif c == 1:
            X[i, :, k] = 1.0
        else:
            X[i, np.arange(16), np.arange(16)] = 1.0
    return X.reshape(len(y), -1), y


def test_clip_loss_is_the_mean_of_both_directions():
    import torch.nn.functional as F

    logits = torch.tensor([[5.0, 0.0], [4.0, 1.0], [0.0, 3.0]])
    y = torch.tensor([0, 0, 1])
    i2t = F.cross_entropy(logits, y)
    col0 = -F.log_softmax(logits[:, 0], dim=0)[:2].mean()   # text 0: its two images
    col1 = -F.log_softmax(logits[:, 1], dim=0)[2]            # text 1: its one image
    assert float(clip_loss(logits, y)) == pytest.approx(float((i2t + (col0 + col1) / 2) / 2), abs=1e-6)
    # Right answers, equally sure within a class, beat wrong ones; the order of the batch does not matter.
    right = 10 * F.one_hot(y, 2).float()
    assert float(clip_loss(right, y)) < float(clip_loss(logits, y)) < float(clip_loss(right.flip(1), y))
    perm = torch.tensor([2, 0, 1])
    assert float(clip_loss(logits[perm], y[perm])) == pytest.approx(float(clip_loss(logits, y)), abs=1e-6)


def test_it_learns_the_seen_classes_and_is_deterministic():
    X, y = _images()
    S = np.eye(3) + 0.05
    a = MiniCLIP(image_shape=(16, 16), embed_dim=8, epochs=25, lr=5e-3, batch_size=24, progress=False).fit(X, y, S)
    b = MiniCLIP(image_shape=(16, 16), embed_dim=8, epochs=25, lr=5e-3, batch_size=24, progress=False).fit(X, y, S)
    assert a.score(X, y, S) > 0.9
    np.testing.assert_array_equal(a.decision_function(X, S), b.decision_function(X, S))
    assert a.loss_history_[-1] < a.loss_history_[0]
    np.testing.assert_allclose(np.linalg.norm(a.embed_images(X[:5]), axis=1), 1.0, atol=1e-6)


def test_unseen_classes_come_in_through_their_descriptions():
    # Train on horizontal and vertical bars; the diagonal class is unseen. Its description is a new row of S.
    X, y = _images(n_per=32)
    S_all = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    seen = y < 2
    m = MiniCLIP(image_shape=(16, 16), embed_dim=8, epochs=6, batch_size=32, progress=False).fit(X[seen], y[seen], S_all[:2])
    scores = m.decision_function(X, S_all)
    assert scores.shape == (len(X), 3)
    # The scores are cosines over the learnt temperature: |score| <= 1 / temperature.
    assert np.abs(scores).max() <= 1 / m.temperature_ + 1e-6


def test_the_temperature_is_learnt_only_when_asked():
    X, y = _images()
    S = np.eye(3)
    fixed = MiniCLIP(image_shape=(16, 16), embed_dim=4, epochs=3, lr=0.05, learn_temperature=False,
                     progress=False).fit(X, y, S)
    learnt = MiniCLIP(image_shape=(16, 16), embed_dim=4, epochs=3, lr=0.05, progress=False).fit(X, y, S)
    assert fixed.temperature_ == pytest.approx(0.07)
    assert learnt.temperature_ != pytest.approx(0.07) and learnt.temperature_ >= 0.01 - 1e-9  # CLIP's cap: 1/100


def test_bad_images_get_clear_errors():
    X, y = _images()
    m = MiniCLIP(image_shape=(16, 16), progress=False)
    with pytest.raises(ValueError, match="needs 784"):
        MiniCLIP(image_shape=(28, 28), progress=False).fit(X, y, np.eye(3))
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        m.fit(X * 255, y, np.eye(3))
    with pytest.raises(ValueError, match="image_shape must be"):
        MiniCLIP(image_shape=(16,), progress=False).fit(X, y, np.eye(3))
    with pytest.raises(ValueError, match="batch_size"):
        MiniCLIP(image_shape=(16, 16), batch_size=1, progress=False).fit(X, y, np.eye(3))
