"""Opt-in progress for the long computations (``progress=True``).

With tqdm installed the bar is tqdm's (a widget in Jupyter); without it, a one-line counter on
standard error that rewrites itself at most five times a second. Off, it costs nothing.

>>> bar = progress(3, "betweenness", enabled=False)
>>> bar.update(); bar.close()
"""

from __future__ import annotations

import sys
import time
from typing import Any

__all__ = ["progress"]


class _Off:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class _Line:
    """A counter on stderr: ``label: 45% (450/1000)``."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done, self.shown = max(total, 1), label, 0, 0.0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.shown >= 0.2 or self.done >= self.total:
            self.shown = now
            sys.stderr.write(f"\r{self.label}: {self.done / self.total:.0%} ({self.done}/{self.total})")
            sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


def progress(total: int, label: str, enabled: bool) -> Any:
    """A progress bar over ``total`` steps (``update(n)``, ``close()``), or a silent one."""
    if not enabled:
        return _Off()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Line(total, label)
    return tqdm(total=total, desc=label)
