"""A leaderboard row (:class:`Result`): the numbers of one method on one seed, and what they came from."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


from ..metrics import GZSLScore


#: The columns of a leaderboard, in display order (all but seconds are fractions in [0, 1]).
METRICS = ("zsl", "u", "s", "h", "h_cal", "ausuc", "fit_seconds")


@dataclass(frozen=True)
class Result:
    """One method, one seed, one dataset. Accuracies are fractions; ``gamma`` is the calibration chosen.

    Besides the numbers, ``evaluate`` keeps what they were computed from (not
    compared, not in ``as_dict``; ``leaderboard`` drops them to save memory):
    ``model`` (fitted on trainval), ``scores`` (its GZSL test scores), ``view``
    (``ds.gzsl_view()``), ``calibration`` (the ``CalibratedStacking`` fitted on
    the rehearsal) and ``tuning`` (every grid cell with its validation score).
    """

    method: str
    seed: int
    params: dict
    zsl: float
    u: float
    s: float
    h: float
    u_cal: float
    s_cal: float
    h_cal: float
    gamma: float
    ausuc: float
    fit_seconds: float
    total_seconds: float
    model: Any = field(default=None, repr=False, compare=False)
    scores: Any = field(default=None, repr=False, compare=False)
    view: Any = field(default=None, repr=False, compare=False)
    calibration: Any = field(default=None, repr=False, compare=False)
    tuning: tuple = field(default=(), repr=False, compare=False)

    _ARTEFACTS = ("model", "scores", "view", "calibration", "tuning")

    def as_dict(self) -> dict:
        """The numbers only (what a table or a CSV needs)."""
        return {k: v for k, v in self.__dict__.items() if k not in self._ARTEFACTS}

    @property
    def plain(self) -> GZSLScore:
        """GZSL u, s, H of the plain argmax (γ = 0)."""
        return GZSLScore(self.u, self.s, self.h)

    @property
    def calibrated(self) -> GZSLScore:
        """GZSL u, s, H with the γ chosen on the rehearsal."""
        return GZSLScore(self.u_cal, self.s_cal, self.h_cal)

    def without_artefacts(self) -> "Result":
        """The same numbers without the model and arrays."""
        return dataclasses.replace(self, model=None, scores=None, view=None, calibration=None, tuning=())
