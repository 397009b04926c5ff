"""The parameter half of scikit-learn's estimator contract, without importing scikit-learn.

Every estimator-like class of the package (methods, encoders, the image GAN, calibration, the
text classifier) inherits :class:`ParamsMixin`, so ``get_params``, ``set_params``, ``repr`` and
``sklearn.base.clone`` work the same everywhere. The rules it relies on, as in scikit-learn:
every constructor argument is stored unchanged under its own name, and is read in ``fit``.
"""
from __future__ import annotations

import inspect
import warnings
from typing import Any, Mapping

from ._deps import require

__all__ = ["ParamsMixin", "Renamed", "not_fitted_error", "renamed_keywords", "take_renamed"]


class Renamed:
    """An old name of a parameter or attribute: reading or writing it reaches ``new``, with a
    ``DeprecationWarning`` that names the new one. Kept for one version after a rename."""

    def __init__(self, new: str, old: str | None = None) -> None:
        self.new, self.old = new, old  # ``old`` is needed only where __set_name__ is not called (NamedTuple)

    def __set_name__(self, owner: type, name: str) -> None:
        self.old = name

    def warn(self, owner: Any, stacklevel: int = 3) -> None:
        cls = owner if isinstance(owner, type) else type(owner)
        warnings.warn(f"{cls.__name__}'s {self.old!r} is deprecated and will be removed in the next version; "
                      f"use {self.new!r} (the same value).", DeprecationWarning, stacklevel=stacklevel)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        self.warn(obj)
        return getattr(obj, self.new)

    def __set__(self, obj: Any, value: Any) -> None:
        self.warn(obj)
        setattr(obj, self.new, value)


def _renamed(cls: type) -> dict[str, str]:
    """{old name: new name} for every ``Renamed`` attribute of ``cls`` and its bases."""
    return {k: v.new for klass in reversed(cls.__mro__) for k, v in vars(klass).items() if isinstance(v, Renamed)}


def take_renamed(obj: Any, old_names: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
    """Apply constructor arguments given under an old name (``**old_names`` of ``__init__``).

    Each one warns and sets its new name; an unknown name is the ``TypeError`` Python would raise,
    and giving both names is an error too (``defaults``: the new names' default values, to tell).
    """
    renamed = _renamed(type(obj))
    for old, value in old_names.items():
        if renamed.get(old) not in defaults:
            raise TypeError(f"{type(obj).__name__}() got an unexpected keyword argument {old!r}.")
        new = renamed[old]
        if getattr(obj, new) is not defaults[new]:
            raise TypeError(f"{type(obj).__name__}() got both {old!r} and {new!r}; pass only {new!r} "
                            f"({old!r} is its deprecated name).")
        getattr(type(obj), old).warn(obj, stacklevel=4)  # the caller of __init__
        setattr(obj, new, value)


def renamed_keywords(where: str, old_names: Mapping[str, Any], renames: Mapping[str, str],
                     values: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The function version of :func:`take_renamed`: ``values`` (new name -> value) with the keywords
    given under an old name (``renames``: old -> new) moved to their new names, each with a warning."""
    for old, value in old_names.items():
        new = renames.get(old)
        if new is None:
            raise TypeError(f"{where}() got an unexpected keyword argument {old!r}.")
        if values[new] is not defaults[new]:
            raise TypeError(f"{where}() got both {old!r} and {new!r}; pass only {new!r} ({old!r} is its "
                            "deprecated name).")
        warnings.warn(f"{where}'s {old!r} is deprecated and will be removed in the next version; use {new!r} "
                      "(the same value).", DeprecationWarning, stacklevel=3)
        values[new] = value
    return values


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
        renamed = _renamed(type(self))
        nested: dict[str, dict[str, Any]] = {}
        for k, v in params.items():
            head, _, rest = k.partition("__")
            if head not in valid and renamed.get(head) in valid:
                getattr(type(self), head).warn(self)
                k, head = k.replace(head, renamed[head], 1), renamed[head]
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
