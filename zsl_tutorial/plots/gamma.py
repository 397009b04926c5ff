"""H against the calibration γ, on the rehearsal that chooses it and on the test set that only reports it."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._mpl import pyplot

__all__ = ["gamma_figure", "gamma_range"]


def gamma_range(*curves: Any, include: Sequence[float] = (), pad: float = 0.15) -> tuple[float, float]:
    """The γ interval where the curves change: their inner breakpoints' 1-99 % range, widened to hold 0 and
    every value of ``include`` (a γ a slider starts at), then padded by ``pad`` of its span on each side.

    The one range of the course's γ sliders and figures (``calibration_explorer``, ``gamma_explorer``).
    """
    inner = np.concatenate([c.gammas[1:-1] for c in curves]) if curves else np.zeros(0)
    lo, hi = np.quantile(inner, [0.01, 0.99]) if inner.size else (-1.0, 1.0)
    lo, hi = min(float(lo), 0.0, *include), max(float(hi), 0.0, *include)
    if hi <= lo:
        hi = lo + 1.0
    span = hi - lo
    return lo - pad * span, hi + pad * span


def gamma_figure(rehearsal: Any, test: Any, chosen: float, *, title: str = ""):
    """Step curves of H(γ) for the rehearsal and the test set, the γ chosen on the rehearsal and the test's own
    best γ (a ceiling: looking for it is tuning on the test classes). Returns the figure."""
    plt = pyplot()
    lo, hi = gamma_range(rehearsal, test, include=(chosen,))
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    for curve, label, colour in ((rehearsal, "rehearsal (held-out seen vs val classes)", "tab:blue"),
                                 (test, "test (test_seen vs test_unseen)", "tab:orange")):
        g = np.clip(curve.gammas, lo, hi)
        ax.step(g, 100 * curve.harmonic, where="post", color=colour, label=label)
    at_chosen = test.at(chosen)
    best_gamma, best = test.best
    ax.axvline(chosen, color="tab:green", lw=1.5, label=f"γ chosen on the rehearsal: test H {100 * at_chosen.h:.1f}")
    ax.plot([best_gamma], [100 * best.h], "x", color="tab:red", ms=9, mew=2,
            label=f"best γ on test (a ceiling, not a result): {100 * best.h:.1f}")
    ax.axvline(0.0, color="0.6", lw=0.8, ls=":")
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 100)
    ax.set_xlabel("γ (subtracted from the seen classes' scores)")
    ax.set_ylabel("H (%)")
    ax.set_title(title or "calibrated stacking: H against γ", fontsize=10)
    # below the axes: both ends of every curve run along H = 0, and its peak fills the top
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, frameon=False)
    fig.tight_layout()
    return fig
