"""What every drawing shares: getting an Axes, shortening names, the palette."""

from __future__ import annotations

from typing import Any

from ..errors import RefgraphError

__all__ = ["PALETTE", "axes", "plain", "shorten"]

#: Colours used across refgraph's figures (colour-blind safe, after Okabe and Ito).
PALETTE = {
    "won": "#009E73",
    "lost": "#D55E00",
    "open": "#999999",
    "highlight": "#E69F00",
    "node": "#56B4E9",
    "owner": "#CC79A7",
    "edge": "#0072B2",
}


def pyplot() -> Any:
    """matplotlib.pyplot, imported only when a figure is drawn."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a core dependency
        raise RefgraphError("plotting needs matplotlib: pip install matplotlib") from None
    return plt


def axes(ax: Any = None, *, polar: bool = False, size: tuple[float, float] = (8, 5)) -> Any:
    """``ax`` itself, or the Axes of a new figure of ``size`` inches (polar when asked)."""
    if ax is not None:
        if polar and getattr(ax, "name", "") != "polar":
            raise RefgraphError("this drawing needs a polar Axes: fig.add_subplot(projection='polar')")
        return ax
    fig = pyplot().figure(figsize=size, layout="constrained")
    return fig.add_subplot(projection="polar" if polar else None)


def plain(text: str) -> str:
    """``text`` as matplotlib shows it literally: a ``$`` in a name is not mathtext.

    >>> print(plain("Ke$ha & A$AP"))
    Ke\\$ha & A\\$AP
    """
    return text.replace("$", r"\$")


def shorten(name: str, width: int = 18) -> str:
    """``name`` cut to ``width`` characters with an ellipsis (the full name stays in the data),
    shown literally (:func:`plain`).

    >>> shorten("Maria Gonzalez-Fernandez de la Vega", 16)
    'Maria Gonzalez-…'
    """
    return plain(name if len(name) <= width else name[: width - 1].rstrip() + "…")
