"""Checking the arguments of public functions: a wrong type or value is one clear error.

Each check returns the value in the type the code below needs, or raises a
:class:`~refgraph.errors.DataError` naming the argument and the value it got, so that
``k=2.5``, ``max_hops="4"``, ``max_hops=nan``, ``top=-3`` or ``seed=-1`` never reach the
engine as a bare ``TypeError`` or a silent wrong answer.

>>> count(3, "k", low=1)
3
>>> count(2.5, "k", low=1)
Traceback (most recent call last):
...
refgraph.errors.DataError: field 'k' (value 2.5): k must be a whole number, not float
>>> probability(float("nan"), "p")
Traceback (most recent call last):
...
refgraph.errors.DataError: field 'p' (value nan): p must be a number in [0, 1]
"""

from __future__ import annotations

import numbers
from os import PathLike, fspath
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .errors import DataError

__all__ = ["choice", "count", "flag", "instance", "path", "positive", "probability", "score", "seed", "texts"]

T = TypeVar("T")


def count(value: Any, field: str, *, low: int = 0, high: int | None = None) -> int:
    """``value`` as an ``int`` in [``low``, ``high``]: a whole number (Python's or numpy's), not a
    bool, a float or a string; else a :class:`DataError` naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise DataError(f"{field} must be a whole number, not {type(value).__name__}", field=field, value=value)
    number = int(value)
    if number < low:
        raise DataError(f"{field} must be at least {low}", field=field, value=value)
    if high is not None and number > high:
        raise DataError(f"{field} must be at most {high:,}", field=field, value=value)
    return number


def probability(value: Any, field: str) -> float:
    """``value`` as a ``float`` in [0, 1] (NaN, bools and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= float(value) <= 1:
        raise DataError(f"{field} must be a number in [0, 1]", field=field, value=value)
    return float(value)


def seed(value: Any, field: str = "seed") -> int | None:
    """A random seed: ``None`` (a fresh one) or a whole number of at least 0."""
    return None if value is None else count(value, field)


def instance(value: Any, kind: type[T], field: str, hint: str = "") -> T:
    """``value`` itself when it is a ``kind``; else a :class:`DataError` naming ``field``, the
    kind expected and the one given, followed by ``hint`` (how to get the right one)."""
    if not isinstance(value, kind):
        got = type(value).__name__
        raise DataError(f"{field} must be a {kind.__name__}, not {got}{hint}", field=field, value=got)
    return value


def path(value: Any, field: str = "path") -> Path:
    """``value`` (text or an ``os.PathLike``) as a :class:`~pathlib.Path`.

    >>> path(42)
    Traceback (most recent call last):
    ...
    refgraph.errors.DataError: field 'path' (value 42): path must be a file or folder name (text or a Path), not int
    """
    if not isinstance(value, (str, PathLike)) or not isinstance(fspath(value), str):
        raise DataError(f"{field} must be a file or folder name (text or a Path), not {type(value).__name__}",
                        field=field, value=value)
    return Path(value)


def texts(value: Any, field: str) -> list[str]:
    """One text or an iterable of texts as a list (a single string is one item, not its letters)."""
    items = [value] if isinstance(value, str) else value
    try:
        items = list(items)
    except TypeError:
        raise DataError(f"{field} must be text or a list of texts, not {type(value).__name__}",
                        field=field, value=value) from None
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        raise DataError(f"{field} must hold texts, not {type(bad[0]).__name__}", field=field, value=bad[0])
    return items


def score(value: Any, field: str) -> float:
    """``value`` as a ``float`` in [0, 100], a similarity score (NaN, bools and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= float(value) <= 100:
        raise DataError(f"{field} must be a score from 0 to 100", field=field, value=value)
    return float(value)


def positive(value: Any, field: str) -> float:
    """``value`` as a finite ``float`` above 0 (NaN, infinity, bools and strings refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < float(value) < float("inf"):
        raise DataError(f"{field} must be a number above 0", field=field, value=value)
    return float(value)


def flag(value: Any, field: str) -> bool:
    """``value`` if it is ``True`` or ``False`` (numpy's bools too), nothing else."""
    if not isinstance(value, (bool, np.bool_)):
        raise DataError(f"{field} must be True or False, not {type(value).__name__}", field=field, value=value)
    return bool(value)


def choice(value: Any, field: str, options: tuple[str, ...]) -> str:
    """``value`` if it is one of ``options``; else a :class:`DataError` naming them."""
    if not isinstance(value, str) or value not in options:
        raise DataError(f"choose one of {', '.join(map(repr, options))}", field=field, value=value)
    return value
