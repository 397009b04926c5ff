"""``get_params``/``set_params`` for the package's estimators, as scikit-learn defines them.

scikit-learn's contract: every constructor argument is stored, unchanged, under
its own name; fitted state lives in attributes ending in ``_``. Then these two
methods are all ``sklearn.base.clone`` and the grid searches need. Written here
rather than inherited from ``sklearn.base.BaseEstimator`` because importing
scikit-learn costs about a second, and ``import zsl_tutorial`` stays light.
"""
from __future__ import annotations

import inspect
from typing import Any

__all__ = ["ParamsMixin"]


class ParamsMixin:
    """``get_params`` and ``set_params`` read from the ``__init__`` signature."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p for p in sig.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments, as in sklearn (so ``sklearn.base.clone`` works)."""
        return {p: getattr(self, p) for p in self._param_names()}

    def set_params(self, **params: Any):
        """Set constructor arguments by name; unknown names are an error. Returns ``self``."""
        valid = set(self._param_names())
        for k, v in params.items():
            if k not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {k!r}; valid: {sorted(valid)}.")
            setattr(self, k, v)
        return self
