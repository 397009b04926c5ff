"""The parameter half of scikit-learn's estimator contract, without importing scikit-learn.

Every estimator-like class of the package (methods, encoders, the image GAN, calibration, the
text classifier) inherits :class:`ParamsMixin`, so ``get_params``, ``set_params``, ``repr`` and
``sklearn.base.clone`` work the same everywhere. The rules it relies on, as in scikit-learn:
every constructor argument is stored unchanged under its own name, and is read in ``fit``.
"""
from __future__ import annotations

import inspect
from typing import Any

from ._deps import require

__all__ = ["ParamsMixin", "not_fitted_error"]


class ParamsMixin:
    """``get_params`` / ``set_params`` / ``__repr__`` from the constructor's signature."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values()
                if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments, as in scikit-learn (so ``sklearn.base.clone`` works).

        With ``deep``, a wrapped estimator's parameters come too, as ``estimator__alpha``.
        """
        out = {p: getattr(self, p) for p in self._param_names()}
        if deep:
            for name, value in list(out.items()):
                if hasattr(value, "get_params") and not isinstance(value, type):
                    out.update({f"{name}__{k}": v for k, v in value.get_params(deep=True).items()})
        return out

    def set_params(self, **params: Any) -> "ParamsMixin":
        """Set constructor arguments by name (``estimator__alpha`` for a wrapped estimator's); unknown names
        are an error. Takes effect at the next ``fit``."""
        valid = set(self._param_names())
        nested: dict[str, dict[str, Any]] = {}
        for k, v in params.items():
            head, _, rest = k.partition("__")
            if head not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {head!r}; valid: {sorted(valid)}.")
            if rest:
                nested.setdefault(head, {})[rest] = v
            else:
                setattr(self, k, v)
        for head, sub in nested.items():
            getattr(self, head).set_params(**sub)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def not_fitted_error(obj: object, how: str = "fit(X, y, S) on the training (seen) classes before "
                                             "decision_function, predict or score") -> Exception:
    """The package's one not-fitted error: scikit-learn's ``NotFittedError`` (a ``ValueError``
    and an ``AttributeError``), imported lazily because scikit-learn is slow to import."""
    NotFittedError = require("sklearn.exceptions").NotFittedError
    return NotFittedError(f"This {type(obj).__name__} is not fitted yet. Call {how}.")
