"""A :class:`~refgraph.TrustGraph` as GraphML and GEXF, for Gephi, yEd and networkx.

:func:`read_graphml` parses with :mod:`defusedxml`: a file declaring entities (the
"billion laughs" attack) or referring to external ones is refused before anything is
expanded, so a hostile file costs nothing but an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .._checks import path as path_of
from .._files import atomic_write
from ..engine._index import factorize
from ..engine.graph import TrustGraph, as_graph, build_csr, parse_kinds
from ..errors import DataError, FileFormatError, RefgraphError, StorageError, UnknownContactError
from ..records.models import MIN_TRUST

__all__ = ["read_graphml", "write_gexf", "write_graphml"]

_NODE_TEXT = ("name", "organization", "kinds")


# What XML 1.0 cannot hold at all, escaped or not: most control characters, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: Any) -> str:
    """``value`` as text XML can hold: a character it cannot (NUL, ESC, form feed, U+FFFE ...) becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def _clean(g: TrustGraph) -> Any:
    """``g`` as networkx with only strings and numbers as attributes (what the writers accept),
    and only characters XML can hold."""
    import networkx as nx

    G = g.to_networkx()
    if G.graph.get("owner") is None:
        G.graph.pop("owner", None)
    else:
        G.graph["owner"] = _xml_text(G.graph["owner"])
    for _, data in G.nodes(data=True):
        if "kinds" in data:
            data["kinds"] = ";".join(sorted(data["kinds"]))
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = _xml_text(value)
    renamed = {node: _xml_text(node) for node in G if isinstance(node, str) and _NOT_XML.search(node)}
    if len(set(G) - set(renamed) | set(renamed.values())) < len(G):
        raise DataError("two contact ids differ only in characters XML cannot hold; rename one to export",
                        contact=sorted(renamed)[0])
    return nx.relabel_nodes(G, renamed, copy=False) if renamed else G


def _write(g: TrustGraph, path: str | PathLike[str], writer: Callable[[Any, IO[bytes]], None]) -> None:
    G = _clean(g)
    atomic_write(path, lambda fh: writer(G, fh))


def write_graphml(g: TrustGraph, path: str | PathLike[str]) -> None:
    """Write ``g`` as GraphML (atomically): nodes with name, organisation and kinds; edges
    with ``trust`` and ``cost``. Opens in Gephi and in ``networkx.read_graphml``.

    >>> import refgraph as rg, networkx as nx, tempfile, os
    >>> g = rg.sample_network().trust_graph()
    >>> path = os.path.join(tempfile.mkdtemp(), "sample.graphml")
    >>> rg.write_graphml(g, path)
    >>> nx.read_graphml(path).number_of_nodes() == len(g)
    True
    """
    g = as_graph(g)
    import networkx as nx

    _write(g, path, nx.write_graphml)


def write_gexf(g: TrustGraph, path: str | PathLike[str]) -> None:
    """Write ``g`` as GEXF (atomically), Gephi's own format, with the same attributes."""
    g = as_graph(g)
    import networkx as nx

    _write(g, path, nx.write_gexf)


def read_graphml(path: str | PathLike[str], *, trust: str = "trust") -> TrustGraph:
    """Read a GraphML file (as :func:`write_graphml`, Gephi or networkx write it) as a trust graph.

    Every edge needs a ``trust`` value in (0, 1] (the attribute named by ``trust``); node
    attributes ``name``, ``organization`` and ``kinds`` and the graph's ``owner`` are kept.
    The graph is directed when the file's ``edgedefault`` is. Entity declarations are refused
    (defusedxml), so a billion-laughs file raises
    :class:`~refgraph.errors.FileFormatError` at once. Every problem names the file and the
    node, edge, field or value.

    >>> import refgraph as rg, tempfile, os
    >>> g = rg.sample_network().trust_graph()
    >>> path = os.path.join(tempfile.mkdtemp(), "sample.graphml")
    >>> rg.write_graphml(g, path)
    >>> h = read_graphml(path)
    >>> len(h) == len(g), h.number_of_edges() == g.number_of_edges(), h.owner, h.name("me")
    (True, True, 'me', 'Sam Rivera')
    >>> bool(np.allclose(h.edge_trust, g.edge_trust))
    True
    """
    path = path_of(path, "path")
    path = Path(path)
    reader = _GraphMLReader(path, trust)
    try:
        with open(path, "rb") as fh:
            chunks = _Chunks(fh)
            for event, element in iterparse(chunks, events=("start", "end")):
                chunks.events += 1
                reader.see(event, element)
    except RefgraphError:
        raise  # the reader's own, already naming the node or edge (UnknownContactError is a LookupError)
    except ParseError as err:
        line, column = err.position
        raise FileFormatError(f"not well-formed XML (column {column}); the file may be truncated or not GraphML",
                              file=path, line=line) from None
    except DefusedXmlException as err:
        raise FileFormatError(f"refused: the file declares entities or refers to external ones ({err})",
                              file=path) from None
    except (LookupError, UnicodeError) as err:  # the XML declaration names an encoding that does not fit
        raise FileFormatError(f"cannot decode the file with the encoding its XML declaration names ({err})",
                              file=path) from None
    except ValueError as err:  # expat: "multi-byte encodings are not supported" (Shift_JIS, Big5, UTF-7 ...)
        raise FileFormatError(f"the XML parser cannot read the encoding the file declares ({err}); "
                              "save it as UTF-8", file=path) from None
    except OSError as err:
        raise StorageError(f"{path}: cannot read ({err.strerror or err})") from None
    return reader.graph()


class _Chunks:
    """The file, read in chunks that double while the parser reports nothing.

    expat scans an unfinished token again at every chunk it is fed, so one huge attribute
    read in fixed 16 KiB chunks costs time quadratic in its length; doubling keeps it linear,
    and the chunks shrink back once events flow (memory stays flat on a large graph).
    """

    SIZE = 64 * 1024

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.size = self.SIZE
        self.events = self.seen = 0

    def read(self, _: int = -1) -> bytes:
        self.size = self.SIZE if self.events != self.seen else 2 * self.size
        self.seen = self.events
        return self.fh.read(self.size)


class _GraphMLReader:
    """Collects keys, nodes and edges from the parser's events, checking each as it comes."""

    def __init__(self, path: Path, trust: str) -> None:
        self.path = path
        self.trust = trust
        self.keys: dict[str, str] = {}  # key id -> attribute name
        self.directed: bool | None = None
        self.owner: str | None = None
        self.nodes: dict[str, int] = {}
        self.node_data: dict[str, list[str | None]] = {a: [] for a in _NODE_TEXT}
        self.sources: list[int] = []
        self.targets: list[int] = []
        self.weights: list[float] = []
        self.depth = 0  # how many <graph> elements we are inside
        self.top: Element | None = None  # the outer <graph>, emptied of nodes and edges as they are read
        self.open: list[Element] = []  # the elements the parser is inside, outermost first

    def fail(self, message: str, **where: Any) -> FileFormatError:
        return FileFormatError(message, file=self.path, **where)

    def see(self, event: str, element: Element) -> None:
        tag = element.tag.rpartition("}")[2]
        if event == "start":
            self.open.append(element)
        else:
            self.open.pop()
        if tag == "graph":
            self.depth += 1 if event == "start" else -1
            if event == "start" and self.depth == 1:
                if self.directed is not None:
                    raise self.fail("more than one graph in the file; refgraph reads one")
                self.directed = element.get("edgedefault", "directed") == "directed"
                self.top = element
            elif event == "end" and self.depth == 0:
                self.owner = self.data(element).get("owner")
        elif event == "start":
            return
        elif tag == "key":
            self.keys[element.get("id", "")] = element.get("attr.name", element.get("id", ""))
        elif tag in ("node", "edge") and self.depth == 1:
            parent = self.open[-1] if self.open else None
            if parent is not self.top or self.top is None:
                raise self.fail(f"a <{tag}> inside <{'' if parent is None else parent.tag.rpartition('}')[2]}>; "
                                "nodes and edges belong directly in <graph>")
            (self.node if tag == "node" else self.edge)(element)
            self.top.remove(element)  # keeps memory flat on a large file

    def data(self, element: Element) -> dict[str, str]:
        """The element's own ``<data>`` values by attribute name."""
        values = {}
        for child in element:
            if child.tag.rpartition("}")[2] == "data":
                values[self.keys.get(child.get("key", ""), child.get("key", ""))] = (child.text or "").strip()
        return values

    def node(self, element: Element) -> None:
        node_id = element.get("id")
        if not node_id:
            raise self.fail(f"node {len(self.nodes)} has no id", field="id")
        if node_id in self.nodes:
            raise self.fail("this node id appears twice", contact=node_id)
        self.nodes[node_id] = len(self.nodes)
        values = self.data(element)
        for attribute, column in self.node_data.items():
            column.append(values.get(attribute) or None)

    def edge(self, element: Element) -> None:
        k = len(self.sources)
        ends = []
        for end in ("source", "target"):
            contact = element.get(end)
            if contact not in self.nodes:
                raise UnknownContactError(contact, f"{end} of edge {k} in {self.path}; declare every node")
            ends.append(self.nodes[contact])
        directed = element.get("directed")
        if directed is not None and (directed == "true") != self.directed:
            raise self.fail(f"edge {k} goes against the graph's edgedefault; graphs mixing directed and "
                            "undirected edges are not supported", field="directed", value=directed)
        text = self.data(element).get(self.trust)
        if text is None:
            raise self.fail(f"edge {k} ({element.get('source')!r} -> {element.get('target')!r}) has no value",
                            field=self.trust)
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not MIN_TRUST <= value <= 1:
            raise self.fail(f"edge {k} ({element.get('source')!r} -> {element.get('target')!r}): "
                            f"trust must be a number in (0, 1], at least {MIN_TRUST:g}", field=self.trust, value=text)
        self.sources.append(ends[0])
        self.targets.append(ends[1])
        self.weights.append(value)

    def graph(self) -> TrustGraph:
        if self.directed is None:
            raise self.fail("no <graph> element: not a GraphML graph")
        declared = np.empty(len(self.nodes), dtype=object)
        declared[:] = list(self.nodes)
        ids, codes = factorize(declared)
        order = np.empty(len(ids), dtype=np.int64)
        order[codes] = np.arange(len(ids))
        src = codes[np.asarray(self.sources, dtype=np.int64)]
        tgt = codes[np.asarray(self.targets, dtype=np.int64)]
        try:
            matrix = build_csr(src, tgt, np.asarray(self.weights, dtype=np.float64), len(ids),
                               bool(self.directed), ids)
        except DataError as err:
            raise self.fail(err.message, contact=err.contact) from None
        attributes: dict[str, list[Any]] = {a: [column[k] for k in order.tolist()] for a, column in self.node_data.items()}
        attributes["name"] = [name or str(i) for name, i in zip(attributes["name"], ids.tolist(), strict=True)]
        attributes["kinds"] = [parse_kinds(k) for k in attributes["kinds"]]
        owner = self.owner or None
        if owner is not None and owner not in self.nodes:
            raise UnknownContactError(owner, f"the owner named in {self.path}")
        return TrustGraph(ids, matrix, directed=bool(self.directed), owner=owner, attributes=attributes)
