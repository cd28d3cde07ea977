"""What the readers of mail, calendars, address books and CRM exports share: the owner's
contact, a summary of what was left out, and adding what was read to an existing network."""

from __future__ import annotations

import logging
import statistics
from collections import Counter
from collections.abc import Iterable, MutableMapping
from os import PathLike
from pathlib import Path
from typing import Any

from .._checks import instance, texts
from ..errors import DataError, StorageError
from ..records.models import Contact
from ..records.network import Network

__all__ = ["address", "finish", "hours", "median", "paths_of", "start"]

logger = logging.getLogger("refgraph.io")


def paths_of(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> list[Path]:
    """One path or many, as a list of existing paths; a missing one raises :class:`StorageError`."""
    found = [Path(paths)] if isinstance(paths, str | PathLike) else [Path(p) for p in paths]
    if not found:
        raise DataError("no file given", field="paths")
    for path in found:
        if not path.exists():
            raise StorageError(f"{path}: no such file or folder")
    return found


def own_addresses(value: Any, reader: str) -> set[str]:
    """The owner's addresses given to ``reader`` as keys (one address as text, or several); none
    is a :class:`~refgraph.errors.DataError`, raised before any file is read."""
    mine = {address(a) for a in texts(value, "owner_addresses")}
    if not mine:
        raise DataError(f"{reader} needs the owner's own addresses", field="owner_addresses")
    return mine


def address(text: str) -> str:
    """An e-mail address as a key: stripped of spaces and angle brackets, in lower case.

    >>> address(" <Ana.Silva@Globex.Example> ")
    'ana.silva@globex.example'
    """
    return text.strip().strip("<>").strip().lower()


def start(network: Network | None, owner: str | None, owner_name: str,
          owner_addresses: Iterable[str] = ()) -> Network:
    """A new network for a reader to fill, with the owner's contact: ``owner`` (else the owner
    of ``network``, else ``"me"``), its first owner address as e-mail."""
    if network is not None:
        instance(network, Network, "network")
    owner = owner or (network.owner if network is not None else None) or "me"
    mails = [address(a) for a in owner_addresses]
    return Network(owner=owner, contacts=[Contact(id=owner, name=owner_name, email=mails[0] if mails else None)])


def finish(fresh: Network, network: Network | None, what: str, counts: Counter[str],
           summary: MutableMapping[str, int] | None) -> Network:
    """Log and hand back ``counts`` (through ``summary`` when given), then add ``fresh`` to
    ``network`` (all or nothing) or return it."""
    logger.info("%s: %s", what, ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(counts.items())))
    if summary is not None:
        summary.update(counts)
    return fresh if network is None else network.update(fresh)


def median(values: list[float]) -> float | None:
    """The median of ``values``, ``None`` when there are none."""
    return statistics.median(values) if values else None


def hours(value: float) -> str:
    """Hours in words, to one decimal: ``3.5 h``."""
    return f"{round(value, 1):g} h"
