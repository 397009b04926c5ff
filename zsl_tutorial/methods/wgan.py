"""The networks, losses and adversarial loop of f-CLSWGAN: the generator and critic, the WGAN-GP
gradient penalty, their training, and the linear softmax used both as the pre-trained classifier
and as the final one.

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


def _train_softmax(X, y, n_classes, *, epochs, lr, batch_size, gen, dev, desc="", progress=False,
                   if_diverged="lower clf_lr"):
    """A linear softmax classifier (Adam, β1 = 0.5), as in the paper's pre-trained and final classifiers."""
    torch = require("torch")
    nn = require("torch.nn")

    from ..training import adam, build_seeded, check_finite_weights, fit_cross_entropy

    # The initial weights' seed comes from ``gen`` too, so one seed fixes the whole classifier.
    seed = int(torch.randint(0, 2**31 - 1, (1,), generator=gen))
    clf = build_seeded(lambda: nn.Linear(X.shape[1], n_classes), seed, device=dev)
    opt = adam(clf.parameters(), lr=lr, betas=(0.5, 0.999))

    fit_cross_entropy(lambda idx: clf(X[idx]), y, opt, epochs=epochs, batch_size=batch_size, generator=gen,
                      device=dev, desc=desc, progress=progress, record=False)  # no history: reading losses syncs a GPU
    check_finite_weights(clf, desc or "the softmax classifier", if_diverged)
    clf.eval()
    for p in clf.parameters():
        p.requires_grad_(False)
    return clf


def train_conditional_wgan(Xt, yt, At, pre, *, hidden: int, epochs: int, lr: float, batch_size: int, n_critic: int,
                           gp_weight: float, beta: float, paper_init: bool, seed: int, generator,
                           feature_mean=None, snapshot_epochs=(), progress: bool = False):
    """Train G(a, z) and D(x, a) as a conditional WGAN-GP with f-CLSWGAN's classification loss.

    ``Xt`` (n, d) scaled seen features, ``yt`` their labels, ``At`` one normalised attribute row per
    seen class, ``pre`` the frozen seen-class softmax. Each step: ``n_critic`` critic steps, then one
    generator step, each on fresh batches drawn with replacement; ``n // batch_size`` steps per epoch,
    as in the official code. ``feature_mean`` (numpy, d) starts G's output bias when not ``paper_init``.
    Returns ``(G, D, history, snapshots)``: the networks (eval mode), the
    per-epoch losses and, for every epoch in ``snapshot_epochs`` below ``epochs``, a CPU copy of G's weights.
    """
    torch = require("torch")
    F = require("torch.nn.functional")

    from ..training import adam, build_seeded, train_epochs

    gen, dev = generator, Xt.device
    n, d, a = Xt.shape[0], Xt.shape[1], At.shape[1]
    Gen, Crit = _modules()

    def build():
        G = Gen(a, a, hidden, d)
        D = Crit(d, a, hidden)
        if paper_init:
            G.apply(_init_weights)
            D.apply(_init_weights)
        else:
            # PyTorch's init: start G's output at the mean training feature, so that its
            # output ReLU does not start dead on small problems (then G would ignore a).
            G.net[-2].bias.data = torch.as_tensor(feature_mean)
        return G, D

    G, D = build_seeded(build, seed, device=dev)
    opt_g = adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    bs = min(batch_size, n)
    steps = max(1, n // bs)

    def batch():
        idx = torch.randint(0, n, (bs,), generator=gen).to(dev)
        return Xt[idx], yt[idx], At[yt[idx]]

    def noise(m):
        return torch.randn(m, a, generator=gen).to(dev)

    def step(_):
        critic, wasserstein, penalty = [], [], []
        # critic: minimise D(fake) − D(real) + λ·GP
        for p in D.parameters():
            p.requires_grad_(True)
        for _ in range(n_critic):
            xr, _, ar = batch()
            with torch.no_grad():
                xf = G(ar, noise(bs))
            d_real, d_fake = D(xr, ar).mean(), D(xf, ar).mean()
            gp = gradient_penalty(D, xr, xf, ar, generator=gen) if gp_weight > 0 else torch.zeros((), device=dev)
            loss_d = d_fake - d_real + gp_weight * gp
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            # Divided here and summed by train_epochs: the epoch mean over generator steps
            # is then the mean over critic steps too.
            critic.append(float(loss_d.detach()) / n_critic)
            wasserstein.append(float((d_real - d_fake).detach()) / n_critic)
            penalty.append(float(gp.detach()) / n_critic)
        # generator: minimise −D(fake) + β·CE(pretrained softmax(fake), class)
        for p in D.parameters():
            p.requires_grad_(False)
        _, yb, ab = batch()
        xf = G(ab, noise(bs))
        adv = -D(xf, ab).mean()
        cls = F.cross_entropy(pre(xf), yb)
        loss_g = adv + beta * cls
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        return {"critic": critic, "wasserstein": wasserstein, "gp": penalty,
                "generator": float(adv.detach()), "cls": float(cls.detach())}

    keep = {int(e) for e in snapshot_epochs if int(e) < epochs}
    snapshots: dict[int, dict] = {}

    def snapshot(done: int) -> None:
        if done in keep:  # a CPU copy of the weights: a few MB each
            snapshots[done] = {k: v.detach().to("cpu", copy=True) for k, v in G.state_dict().items()}

    history = train_epochs(step, epochs=epochs, steps_per_epoch=steps, desc="f-CLSWGAN", progress=progress,
                           postfix=lambda m: {"W": f"{m['wasserstein']:.3f}", "cls": f"{m['cls']:.2f}"},
                           on_epoch_end=snapshot, if_diverged=f"lower lr (now {lr:g})")
    G.eval()
    D.eval()
    return G, D, history, snapshots
