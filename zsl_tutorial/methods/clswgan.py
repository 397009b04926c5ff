"""f-CLSWGAN: feature-generating networks for zero-shot learning (Xian, Lorenz, Schiele & Akata, CVPR 2018).

The idea: instead of mapping images to attributes, learn the reverse, a
*generator* ``G(a, z)`` that turns a class description ``a`` and noise ``z``
into a plausible image *feature*. Trained on seen classes only, it can then
synthesize features for unseen classes from their attributes alone, and the
zero-shot problem becomes an ordinary supervised one: a softmax classifier
trained on real seen features plus synthetic unseen features. Because the
unseen classes now have training samples too, the classifier is much less
biased towards the seen classes in generalized ZSL.

Ingredients, as in the paper (and its official code):

- a conditional WGAN-GP: critic ``D(x, a)`` and generator ``G(a, z)`` are MLPs
  with one hidden layer and LeakyReLU(0.2); G ends in a ReLU because CNN
  features are non-negative; the noise has as many dimensions as the
  attributes; the critic takes ``n_critic = 5`` steps per generator step and
  is penalised by ``gp_weight · (‖∇_x̂ D(x̂, a)‖₂ − 1)²`` on random
  interpolates x̂ (Gulrajani et al. 2017), λ = 10;
- a classification loss: a softmax classifier pre-trained on the real seen
  features must recognise the generated ones, weighted by ``beta = 0.01``;
- features are min-max scaled with the training statistics and every
  attribute vector is L2-normalised, inside the estimator.

Usage follows the other estimators, with one addition: the final softmax is trained in ``fit``,
so ``fit`` takes the classes it will choose among, ``candidates`` (seen and unseen)::

    gan = CLSWGAN(seed=0).fit(tr.X, tr.y, tr.S, candidates=gz.S)   # trained on seen classes only
    scores = gan.decision_function(gz.X, gz.S)                        # GZSL: all candidates
    gan.score(zsl.X, zsl.y, zsl.S)                                    # ZSL: the unseen ones only

**Which candidate classes are seen?** A row of ``candidates`` that equals one of the rows of
``S`` is that seen class: the final softmax trains on its *real* features. Every other row is new
and gets ``n_synth`` synthetic features. ``decision_function(X, S)`` accepts any ``S`` whose rows
are among the candidates (the softmax's scores, renormalised over those rows), and refuses
others with a clear error: a prediction never trains anything. Settings of the final softmax
(``n_synth``, ``clf_*``) can be changed cheaply with :meth:`refit_classifier`, which reuses the
trained generator and returns a new model.

torch is imported inside the methods only.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np

from .._deps import require
from .._validation import check_class_matrix, check_int, check_seed
from ._base import ZSLEstimator, check_positive
from .wgan import _train_softmax, gradient_penalty, train_conditional_wgan

__all__ = ["CLSWGAN", "gradient_penalty", "PAPER_PRESETS"]

#: Per-dataset settings of the official f-CLSWGAN scripts (see REFERENCE_NUMBERS.md).
#: The rest is shared: hidden 4096, batch 64, n_critic 5, λ = 10, β = 0.01 (FLO 0.1).
PAPER_PRESETS: dict[str, dict[str, Any]] = {
    "CUB": dict(lr=1e-4, epochs=56, n_synth=300, beta=0.01),
    "SUN": dict(lr=2e-4, epochs=40, n_synth=400, beta=0.01),
    "AWA": dict(lr=1e-5, epochs=30, n_synth=1800, beta=0.01),
    "FLO": dict(lr=1e-4, epochs=80, n_synth=300, beta=0.1),
}



class CLSWGAN(ZSLEstimator):
    """f-CLSWGAN (Xian et al., CVPR 2018): a conditional WGAN-GP that synthesizes features of unseen classes.

    Parameters
    ----------
    hidden : int
        Hidden units of G and D (one hidden layer each). The paper uses 4096;
        the default 512 keeps CPU training to seconds.
    epochs : int
        GAN epochs. One epoch = ``n_train / batch_size`` generator steps, each
        after ``n_critic`` critic steps on fresh batches (as the official code).
    lr : float
        Adam learning rate of G and D (β1 = 0.5, β2 = 0.999).
    beta : float
        Weight of the classification loss of the generated features (paper: 0.01).
    gp_weight : float
        λ of the gradient penalty (paper: 10).
    n_critic : int
        Critic steps per generator step (paper: 5).
    batch_size : int
        GAN batch size (paper: 64).
    n_synth : int
        Synthetic features per new (unseen) candidate class for the final softmax
        (paper: 300 to 1800 depending on the dataset).
    clf_epochs, clf_lr, clf_batch_size :
        Training of the final linear softmax (paper: 25 epochs, lr 1e-3).
    pretrain_epochs : int
        Epochs of the seen-class softmax behind the classification loss.
    snapshot_epochs : tuple of int
        Epochs after which a copy of the generator is kept (``generator_snapshots_``), so that
        :meth:`refit_classifier` can give the model as it was after fewer epochs, without
        training again: this is how the number of epochs is chosen on validation classes at the
        cost of one GAN training (``ClassDisjointSearch`` plans it, see :meth:`plan_grid_fit`).
    paper_init : bool
        Initialise G and D with N(0, 0.02) weights as the official code does
        (the default: it works best on the benchmark-sized problems). With
        ``False``, PyTorch's own initialisation is kept and G's output bias
        starts at the mean training feature; that trains in fewer steps on
        tiny problems (the unit tests), where the N(0, 0.02) start can leave
        G's output ReLU dead.
    seed : int
        Seeds weights, batches, noise and synthesis. On the CPU the same seed
        gives identical scores; CUDA kernels may differ in the last bits.
    device : str or None
        ``None`` picks CUDA when available (``config.default_device``).
    progress : bool
        Show tqdm progress bars.

    For the paper's GPU settings use :meth:`paper_preset`.

    Attributes
    ----------
    generator_, critic_ : torch.nn.Module
        The trained networks (eval mode, on ``device_``).
    history_ : dict of lists
        Per epoch: ``critic`` (critic loss incl. penalty), ``wasserstein``
        (the critic's estimate E D(real) − E D(fake)), ``gp`` (gradient penalty),
        ``generator`` (−E D(fake)) and ``cls`` (classification loss of the
        generated features).
    pretrain_accuracy_ : float
        Training accuracy of the seen-class softmax used for the classification loss.
    """

    #: Tag read by ``zsl_tutorial.evaluation``: ``fit`` takes the candidate classes (``candidates=``).
    candidates_at_fit = True
    #: Settings of the final softmax only: :meth:`refit_classifier` changes them without retraining the GAN.
    #: ``epochs`` is among them: fewer epochs than were trained come from a generator snapshot.
    classifier_params = ("epochs", "n_synth", "clf_epochs", "clf_lr", "clf_batch_size")

    def __init__(
        self,
        hidden: int = 512,
        epochs: int = 20,
        lr: float = 1e-4,
        beta: float = 0.01,
        gp_weight: float = 10.0,
        n_critic: int = 5,
        batch_size: int = 64,
        n_synth: int = 300,
        clf_epochs: int = 25,
        clf_lr: float = 1e-3,
        clf_batch_size: int = 256,
        pretrain_epochs: int = 30,
        snapshot_epochs: tuple = (),
        paper_init: bool = True,
        seed: int = 0,
        device: str | None = None,
        progress: bool = True,
    ) -> None:
        self.paper_init = paper_init
        self.hidden = hidden
        self.epochs = epochs
        self.lr = lr
        self.beta = beta
        self.gp_weight = gp_weight
        self.n_critic = n_critic
        self.batch_size = batch_size
        self.n_synth = n_synth
        self.clf_epochs = clf_epochs
        self.clf_lr = clf_lr
        self.clf_batch_size = clf_batch_size
        self.pretrain_epochs = pretrain_epochs
        self.snapshot_epochs = snapshot_epochs
        self.seed = seed
        self.device = device
        self.progress = progress

    @classmethod
    def paper_preset(cls, dataset: str, **overrides: Any) -> "CLSWGAN":
        """The official settings for ``"CUB"``, ``"SUN"``, ``"AWA"`` (AWA1/AWA2) or ``"FLO"``, for a GPU.

        Hidden 4096, batch 64, 5 critic steps, λ = 10, the per-dataset learning
        rate, epochs, β and synthetic features per class of REFERENCE_NUMBERS.md,
        and the final softmax's 25 epochs at lr 1e-3. ``overrides`` replace any of them.
        """
        key = str(dataset).upper()
        key = "AWA" if key in ("AWA1", "AWA2") else key
        if key not in PAPER_PRESETS:
            raise ValueError(f"no paper preset for {dataset!r}; choose one of {sorted(PAPER_PRESETS)} (or AWA1/AWA2).")
        params = dict(hidden=4096, paper_init=True, batch_size=64, n_critic=5, gp_weight=10.0, clf_epochs=25, clf_lr=1e-3,
                      pretrain_epochs=100, **PAPER_PRESETS[key])
        params.update(overrides)
        return cls(**params)

    # ------------------------------------------------------------ checks
    def _check_params(self) -> None:
        for name, minimum in (("hidden", 1), ("epochs", 1), ("n_critic", 1), ("batch_size", 1), ("n_synth", 1),
                              ("clf_epochs", 1), ("clf_batch_size", 1), ("pretrain_epochs", 1), ("seed", 0)):
            check_int(getattr(self, name), name, minimum)
        check_positive(self.lr, "lr")
        check_positive(self.clf_lr, "clf_lr")
        check_positive(self.beta, "beta", allow_zero=True)
        check_positive(self.gp_weight, "gp_weight", allow_zero=True)
        snaps = self.snapshot_epochs
        if isinstance(snaps, (str, bytes)) or not hasattr(snaps, "__iter__"):
            raise TypeError(f"snapshot_epochs must be a tuple of epoch counts, got {snaps!r}.")
        for e in snaps:
            check_int(e, "snapshot_epochs entry", 1)

    # ------------------------------------------------------------ preprocessing
    def _scale(self, X: np.ndarray) -> np.ndarray:
        return (X - self.min_) / self.range_

    def _unscale(self, Z: np.ndarray) -> np.ndarray:
        return Z * self.range_ + self.min_

    @staticmethod
    def _normalise_aux(S: np.ndarray) -> np.ndarray:
        norm = np.linalg.norm(S, axis=1, keepdims=True)
        return S / np.where(norm > 0, norm, 1.0)

    # ------------------------------------------------------------ training
    def fit(self, X: Any, y: Any, S: Any, *, candidates: Any = None) -> "CLSWGAN":
        """Train the GAN on seen-class samples, then the final softmax over ``candidates``.

        ``S`` holds the seen classes (``y`` indexes its rows), as for every estimator.
        ``candidates`` (default: ``S``) holds every class the model will ever be asked to
        choose among, seen and unseen: rows equal to a row of ``S`` are seen (real
        features), the others get ``n_synth`` synthetic features each. In GZSL pass all
        classes, e.g. ``ds.gzsl_view().S``.
        """
        self._check_params()
        X, y, S = self._validate_fit(X, y, S)
        cand = S if candidates is None else check_class_matrix(candidates, "candidates", min_classes=1)
        if cand.shape[1] != S.shape[1]:
            raise ValueError(f"candidates has {cand.shape[1]} auxiliary dimensions but S has {S.shape[1]}; "
                             "describe every class with the same attributes.")
        self._fit(X, y, S)
        self.candidates_ = cand.copy()
        self.classifier_ = self._train_classifier(cand)
        return self

    def _fit(self, X: np.ndarray, y: np.ndarray, S: np.ndarray) -> None:
        torch = require("torch")

        from ..training import torch_device

        dev = torch_device(self.device)
        self.device_ = str(dev)
        self.min_ = X.min(axis=0)
        rng = X.max(axis=0) - self.min_
        self.range_ = np.where(rng > 0, rng, 1.0)  # constant features stay 0, not nan
        self.S_fit_ = S.copy()
        self.X_fit_ = self._scale(X).astype(np.float32)  # real seen features for the final softmax
        self.y_fit_ = y.copy()

        gen = torch.Generator().manual_seed(int(self.seed))
        Xt = torch.as_tensor(self.X_fit_, device=dev)
        yt = torch.as_tensor(y, dtype=torch.long, device=dev)
        At = torch.as_tensor(self._normalise_aux(S), dtype=torch.float32, device=dev)

        # 1. The seen-class softmax behind the classification loss.
        pre = _train_softmax(Xt, yt, S.shape[0], epochs=int(self.pretrain_epochs), lr=1e-3, batch_size=64,
                             gen=gen, dev=dev, desc="pre-train softmax", progress=self.progress,
                             if_diverged="scale the features to a moderate range (its learning rate is fixed)")
        with torch.no_grad():
            self.pretrain_accuracy_ = float((pre(Xt).argmax(1) == yt).float().mean())

        # 2. The conditional WGAN-GP.
        G, D, self.history_, self.generator_snapshots_ = train_conditional_wgan(
            Xt, yt, At, pre, hidden=int(self.hidden), epochs=int(self.epochs), lr=float(self.lr),
            batch_size=int(self.batch_size), n_critic=int(self.n_critic), gp_weight=float(self.gp_weight),
            beta=float(self.beta), paper_init=bool(self.paper_init), seed=int(self.seed), generator=gen,
            feature_mean=self.X_fit_.mean(axis=0), snapshot_epochs=self.snapshot_epochs, progress=self.progress)
        self.epochs_trained_ = int(self.epochs)
        G.eval()
        D.eval()
        self.generator_, self.critic_ = G, D

    # ------------------------------------------------------------ synthesis
    def _synthesize_scaled(self, S: np.ndarray, n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        torch = require("torch")

        from ..training import predict_in_chunks

        gen = torch.Generator().manual_seed(int(seed))
        A = torch.as_tensor(self._normalise_aux(S), dtype=torch.float32)
        y = np.repeat(np.arange(len(S)), n_per_class)

        def generate(ys: np.ndarray):
            # Noise drawn chunk by chunk, in order; keep the chunk size: torch's randn draws depend on it.
            z = torch.randn(len(ys), S.shape[1], generator=gen)
            return self.generator_(A[torch.as_tensor(ys)].to(self.device_), z.to(self.device_))

        return predict_in_chunks(generate, y, 4096), y

    def synthesize(self, S: Any, n_per_class: int = 100, *, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Generate ``n_per_class`` features for every row (class) of ``S``.

        Returns ``(X_syn, y_syn)``: features in the *original* feature scale
        (comparable with the X given to ``fit``) and labels indexing the rows of
        ``S``. ``seed`` defaults to the estimator's seed; the same seed gives
        the same features.
        """
        S = self._check_S(S)
        n_per_class = check_int(n_per_class, "n_per_class", 1)
        seed = self.seed if seed is None else check_seed(seed)
        Z, y = self._synthesize_scaled(S, n_per_class, int(seed) + 1)
        return self._unscale(Z.astype(np.float64)), y

    # ------------------------------------------------------------ the final classifier
    def seen_rows(self, S: Any) -> np.ndarray:
        """Boolean mask over the rows of ``S``: which equal a class given to ``fit`` (a seen class)."""
        S = self._check_S(S)
        return self._match(S, self.S_fit_) >= 0

    @staticmethod
    def _match(S: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """For each row of S, the index of the identical row of ``reference``, or -1."""
        diff = np.abs(S[:, None, :] - reference[None, :, :]).max(axis=2)
        close = diff <= 1e-9 * max(1.0, float(np.abs(reference).max()))
        return np.where(close.any(axis=1), close.argmax(axis=1), -1)

    def _train_classifier(self, cand: np.ndarray):
        """The final softmax over the rows of ``cand``: real features for seen rows, synthetic for the rest."""
        torch = require("torch")

        match = self._match(cand, self.S_fit_)
        seen_rows, new_rows = np.flatnonzero(match >= 0), np.flatnonzero(match < 0)
        parts_X, parts_y = [], []
        for r in seen_rows:  # real features of the seen candidates
            Xr = self.X_fit_[self.y_fit_ == match[r]]
            parts_X.append(Xr)
            parts_y.append(np.full(len(Xr), r))
        if new_rows.size:
            Z, yz = self._synthesize_scaled(cand[new_rows], int(self.n_synth), int(self.seed) + 1)
            parts_X.append(Z)
            parts_y.append(new_rows[yz])
        Xc = np.concatenate(parts_X).astype(np.float32)
        yc = np.concatenate(parts_y)
        gen = torch.Generator().manual_seed(int(self.seed) + 2)
        return _train_softmax(torch.as_tensor(Xc, device=self.device_),
                              torch.as_tensor(yc, dtype=torch.long, device=self.device_), len(cand),
                              epochs=int(self.clf_epochs), lr=float(self.clf_lr),
                              batch_size=int(self.clf_batch_size), gen=gen, dev=torch.device(self.device_),
                              desc="final softmax", progress=self.progress,
                              if_diverged=f"lower clf_lr (now {float(self.clf_lr):g})")

    def refit_classifier(self, **params: Any) -> "CLSWGAN":
        """A new model with other final-softmax settings (``n_synth``, ``clf_epochs``, ``clf_lr``,
        ``clf_batch_size``), or fewer ``epochs`` (from a generator snapshot, see ``snapshot_epochs``),
        that reuses this model's trained generator; this model is unchanged.

        This is how a search over ``n_synth`` and ``epochs`` costs one GAN training
        (``ClassDisjointSearch`` uses it), and why ``set_params(n_synth=...)`` on a fitted model
        changes nothing until the next ``fit``.
        """
        self._check_fitted()
        unknown = set(params) - set(self.classifier_params)
        if unknown:
            raise ValueError(f"refit_classifier changes only {list(self.classifier_params)}; {sorted(unknown)} need "
                             "a new fit (set_params(...).fit(...)).")
        new = copy.copy(self)  # shares the generator and data (never modified), not the classifier
        new.set_params(**params)
        new._check_params()
        epochs = int(new.epochs)
        if epochs != self.epochs_trained_:
            if epochs not in self.generator_snapshots_:
                raise ValueError(
                    f"refit_classifier(epochs={epochs}): this model trained {self.epochs_trained_} epochs and kept "
                    f"generator snapshots after {sorted(self.generator_snapshots_)} only. Fit with "
                    f"snapshot_epochs=({epochs},) (and epochs >= {epochs + 1}) to choose among fewer epochs.")
            new.generator_ = copy.deepcopy(self.generator_)
            new.generator_.load_state_dict(self.generator_snapshots_[epochs])
            new.generator_.eval()
            new.epochs_trained_ = epochs
            new.generator_snapshots_ = {e: w for e, w in self.generator_snapshots_.items() if e < epochs}
            new.history_ = {k: v[:epochs] for k, v in self.history_.items()}
        new.classifier_ = new._train_classifier(new.candidates_)
        return new

    def plan_grid_fit(self, cells: list) -> "CLSWGAN":
        """Set this (unfitted) model up to serve every cell of a grid that differ only in
        :attr:`classifier_params`: train the largest ``epochs`` once and keep a generator snapshot at
        each smaller one. Called by :func:`~zsl_tutorial.methods.search.search_grid`."""
        wanted = sorted({int(c.get("epochs", self.epochs)) for c in cells})
        return self.set_params(epochs=wanted[-1], snapshot_epochs=tuple(wanted[:-1]))

    def prepare(self, S: Any, seen_mask: Any = None) -> "CLSWGAN":
        """Deprecated: the final softmax is trained in ``fit`` (see its ``candidates``)."""
        warnings.warn("CLSWGAN.prepare is deprecated and does nothing: the final softmax is trained in fit; "
                      "pass fit(..., candidates=S).", DeprecationWarning, stacklevel=2)
        self._columns(self._check_S(S))
        return self

    def _columns(self, S: np.ndarray) -> np.ndarray:
        """Which softmax output serves each row of ``S``; a clear error for a class not given to ``fit``."""
        cols = self._match(S, self.candidates_)
        missing = np.flatnonzero(cols < 0)
        if missing.size:
            raise ValueError(
                f"rows {missing[:5].tolist()} of S are not among the {len(self.candidates_)} candidate classes this "
                "CLSWGAN was fitted for. Its final softmax is trained in fit: pass every class it will be asked "
                "about as fit(X, y, S, candidates=...), e.g. the GZSL view's S (seen + unseen).")
        return cols

    @staticmethod
    def _no_seen_mask(seen_mask: Any) -> None:
        if seen_mask is not None:
            warnings.warn("seen_mask is deprecated and ignored: which candidates are seen is decided in fit "
                          "(rows of candidates equal to a row of S).", DeprecationWarning, stacklevel=3)

    def decision_function(self, X: Any, S: Any, seen_mask: Any = None) -> np.ndarray:
        """Log-probabilities (n_samples, len(S)) of the final softmax, renormalised over the rows of ``S``
        (which must be among the ``candidates`` given to ``fit``)."""
        self._no_seen_mask(seen_mask)
        return super().decision_function(X, S)

    def _decision_function(self, X: np.ndarray, S: np.ndarray) -> np.ndarray:
        torch = require("torch")

        from ..training import predict_in_chunks

        cols = torch.as_tensor(self._columns(S), device=self.device_)

        def log_proba(xb: np.ndarray):
            logits = self.classifier_(torch.as_tensor(self._scale(xb), dtype=torch.float32, device=self.device_))
            return torch.log_softmax(logits[:, cols], dim=1)

        return predict_in_chunks(log_proba, X, 8192, dtype=np.float64)

    def score(self, X: Any, y: Any, S: Any, seen_mask: Any = None) -> float:
        """Per-class top-1 accuracy among the candidate classes in S."""
        self._no_seen_mask(seen_mask)
        return super().score(X, y, S)
