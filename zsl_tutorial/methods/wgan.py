"""The networks and losses of f-CLSWGAN: the generator and critic, the WGAN-GP gradient penalty, and
the linear softmax used both as the pre-trained classifier and as the final one.

torch is imported inside the functions only.
"""
from __future__ import annotations

from .._deps import require


def gradient_penalty(critic, real, fake, cond, alpha=None, generator=None):
    """WGAN-GP penalty: mean over the batch of (‖∇_x̂ critic(x̂, cond)‖₂ − 1)².

    x̂ = α·real + (1 − α)·fake with one α ~ U(0, 1) per sample (or the given
    ``alpha``, shape (n, 1)). The result keeps the graph, so it can be
    back-propagated into the critic's weights. For a linear critic
    ``w·x + v·a + b`` the gradient is ``w`` everywhere, so the penalty is
    exactly ``(‖w‖₂ − 1)²``, whatever α.
    """
    torch = require("torch")

    if real.shape != fake.shape:
        raise ValueError(f"real {tuple(real.shape)} and fake {tuple(fake.shape)} must have the same shape.")
    if alpha is None:
        alpha = torch.rand(real.shape[0], 1, generator=generator).to(real.device)
    x_hat = (alpha * real.detach() + (1 - alpha) * fake.detach()).requires_grad_(True)
    out = critic(x_hat, cond)
    (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    return ((grad.norm(2, dim=1) - 1) ** 2).mean()


def _modules():
    """The torch modules, defined on first use so importing this file does not import torch."""
    global _G, _D
    try:
        return _G, _D
    except NameError:
        pass
    torch = require("torch")
    nn = require("torch.nn")

    class Generator(nn.Module):
        """G(a, z): [a, z] → hidden (LeakyReLU 0.2) → features (ReLU)."""

        def __init__(self, n_aux: int, n_noise: int, hidden: int, d: int) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(n_aux + n_noise, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, d),
                                     nn.ReLU())

        def forward(self, a, z):
            return self.net(torch.cat([a, z], dim=1))

    class Critic(nn.Module):
        """D(x, a): [x, a] → hidden (LeakyReLU 0.2) → one unbounded score."""

        def __init__(self, d: int, n_aux: int, hidden: int) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(d + n_aux, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

        def forward(self, x, a):
            return self.net(torch.cat([x, a], dim=1)).squeeze(1)

    _G, _D = Generator, Critic
    return _G, _D


def _init_weights(module) -> None:
    # As in the official code: N(0, 0.02) weights, zero biases.
    nn = require("torch.nn")

    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, 0.0, 0.02)
        nn.init.zeros_(module.bias)


def _train_softmax(X, y, n_classes, *, epochs, lr, batch_size, gen, dev, desc="", progress=False):
    """A linear softmax classifier (Adam, β1 = 0.5), as in the paper's pre-trained and final classifiers."""
    torch = require("torch")
    nn = require("torch.nn")

    from ..training import build_seeded, fit_cross_entropy

    # The initial weights' seed comes from ``gen`` too, so one seed fixes the whole classifier.
    seed = int(torch.randint(0, 2**31 - 1, (1,), generator=gen))
    clf = build_seeded(lambda: nn.Linear(X.shape[1], n_classes), seed, device=dev)
    opt = torch.optim.Adam(clf.parameters(), lr=lr, betas=(0.5, 0.999))

    fit_cross_entropy(lambda idx: clf(X[idx]), y, opt, epochs=epochs, batch_size=batch_size, generator=gen,
                      device=dev, desc=desc, progress=progress, record=False)  # no history: reading losses syncs a GPU
    clf.eval()
    for p in clf.parameters():
        p.requires_grad_(False)
    return clf
