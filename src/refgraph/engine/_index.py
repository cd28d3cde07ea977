"""Map contact ids to dense indices, vectorised: the set-up cost of every large graph.

Indices follow the sorted order of the ids, so breaking ties by index breaks them by id.
Integer ids are never hashed: small non-negative ones are placed by a presence table, others
by one integer sort. Fixed-width numpy text (``dtype '<U…'``, what ``np.array(list_of_str)``
gives) is hashed column by column in numpy, the hashes factorised, and every id checked
against its group's first one, so no Python object is touched per id. Arrow string arrays,
and Python strings once copied into one, are dictionary-encoded by Arrow
(:func:`factorize_arrow`); other objects are factorised by pandas when it is installed and by
a dict otherwise. Either way only the unique ids are sorted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError

__all__ = ["as_id_array", "factorize", "factorize_arrow", "factorize_parts", "sort_key"]


def sort_key(value: Any) -> tuple[str, Any]:
    """A key that orders ids of mixed types: by type name, then by value."""
    return (type(value).__name__, value)


def as_id_array(values: Any) -> np.ndarray:
    """``values`` as a 1-D numpy array of ids (integers, or objects for anything else)."""
    arr = np.asarray(values)
    if not isinstance(values, np.ndarray) and arr.dtype.kind in "US":
        arr = np.asarray(values, dtype=object)  # keep each id's own type
    if arr.dtype.kind == "U" and arr.ndim == 1 and arr.size:
        return arr
    if arr.ndim != 1:
        raise DataError(f"contact ids must be a flat sequence, got shape {arr.shape}")
    if arr.size == 0:
        return np.empty(0, dtype=object)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind in "bfc":
        raise DataError(f"contact ids must be integers or strings, not {arr.dtype}")
    return arr.astype(object, copy=False)


def _sorted_uniques(uniques: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    try:
        if all(type(u) is str and not u.endswith("\x00") for u in uniques.tolist()):
            # numpy orders fixed-width text by code point, as Python does, several times faster
            order = np.argsort(uniques.astype(str), kind="stable")
        else:
            order = np.argsort(uniques, kind="stable")
    except TypeError:
        order = np.array(sorted(range(len(uniques)), key=lambda i: sort_key(uniques[i])), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return uniques[order], rank[codes]


def _factorize_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    try:
        import pandas as pd
    except ImportError:
        index: dict[Any, int] = {}
        codes = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
        uniques = np.empty(len(index), dtype=object)
        uniques[:] = list(index)
        return uniques, codes
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=False)
    return np.asarray(uniques, dtype=object), codes.astype(np.int64, copy=False)


def _factorize_integers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    try:
        import pandas as pd
    except ImportError:
        return np.unique(values, return_inverse=True)
    codes, uniques = pd.factorize(values, sort=False)
    return uniques, codes.astype(np.int64, copy=False)


def _factorize_text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Factorise a fixed-width text array by a vectorised 64-bit hash; ``None`` on a collision.

    A second, independent 64-bit hash must agree within every group, so two different ids
    are only merged if they collide in both (about one chance in 2**64 per pair of ids).
    """
    columns = values.view(np.uint32).reshape(len(values), values.dtype.itemsize // 4)
    h = np.full(len(values), np.uint64(14695981039346656037))
    check = np.full(len(values), np.uint64(0x9E3779B97F4A7C15))
    for j in range(columns.shape[1]):  # FNV-1a over the 32-bit code points, and a multiply-add hash
        h ^= columns[:, j]
        h *= np.uint64(1099511628211)
        check += columns[:, j]
        check *= np.uint64(0xBF58476D1CE4E5B9)
        check ^= check >> np.uint64(31)
    hashes, codes = _factorize_integers(h.view(np.int64))
    first = np.empty(len(hashes), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(values) - 1, -1, -1)
    if not np.array_equal(check, check[first][codes]):
        return None  # two different ids share a hash: let the exact path decide
    representatives = values[first]
    order = np.argsort(representatives, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return representatives[order].astype(object), rank[codes]


def factorize_arrow(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize` of an Arrow array of ids: dictionary-encoded by Arrow, only the unique
    ids become Python objects. Strings sort by code point, as Python sorts them.

    >>> ids, codes = factorize_arrow(pa.array(["b", "a", "b"]))
    >>> list(ids), codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    if values.null_count:
        raise DataError("contact ids must not be missing (null)")
    encoded = pc.dictionary_encode(values)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if len(chunks) != 1:
        encoded = pa.chunked_array(chunks).unify_dictionaries()
        dictionary = encoded.chunks[0].dictionary
        indices = np.concatenate([np.asarray(c.indices, dtype=np.int64) for c in encoded.chunks])
    else:
        dictionary, indices = chunks[0].dictionary, np.asarray(chunks[0].indices, dtype=np.int64)
    order = np.asarray(pc.sort_indices(dictionary), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    uniques = np.empty(len(order), dtype=object)
    uniques[:] = dictionary.take(pa.array(order)).to_pylist()
    return uniques, rank[indices]


def factorize_parts(parts: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """:func:`factorize` of the concatenated ``parts``, with the codes given back per part (an
    empty part gets empty codes). Integer ids in a compact range are placed part by part,
    without the concatenation, and coded as 32-bit integers when the ids allow.

    >>> ids, codes = factorize_parts([np.array([7, 3]), np.array([3, 9]), np.empty(0, dtype=object)])
    >>> ids.tolist(), [c.tolist() for c in codes]
    ([3, 7, 9], [[1, 0], [0, 2], []])
    """
    full = [p for p in parts if len(p)]
    if full and all(p.dtype.kind == "i" for p in full):
        top, low, total = max(int(p.max()) for p in full), min(int(p.min()) for p in full), sum(map(len, full))
        if low >= 0 and top < 4 * total + 1024:
            present = np.zeros(top + 1, dtype=bool)
            for p in full:
                present[p] = True
            remap = np.cumsum(present, dtype=np.int32 if top < 2**31 else np.int64)
            np.subtract(remap, 1, out=remap)
            return np.flatnonzero(present), [remap[p] if len(p) else remap[:0] for p in parts]
    ids, codes = factorize(np.concatenate(full or parts[:1]))
    ends = np.cumsum([len(p) for p in parts])
    return ids, [codes[end - len(p) : end] for p, end in zip(parts, ends.tolist(), strict=True)]


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(ids, codes)``: the sorted unique ids and each value's index among them.

    >>> ids, codes = factorize(np.array(["b", "a", "b"], dtype=object))
    >>> list(ids), codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    if values.dtype.kind == "i":
        if len(values) and values.min() >= 0 and values.max() < 4 * len(values) + 1024:
            present = np.zeros(int(values.max()) + 1, dtype=bool)
            present[values] = True
            remap = np.cumsum(present) - 1
            return np.flatnonzero(present), remap[values]
        return np.unique(values, return_inverse=True)
    if values.dtype.kind == "U":
        found = _factorize_text(values)
        if found is not None:
            return found
        values = values.astype(object)
    try:  # Python strings: hashed by Arrow, far faster than as objects
        text = pa.array(values)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # mixed types
        text = None
    if text is not None and pa.types.is_string(text.type) and not text.null_count:
        return factorize_arrow(text)
    uniques, codes = _factorize_objects(values)
    return _sorted_uniques(uniques, codes)
