"""The collection tree: Session > Dir/Package > Module > Class > Function.

Nodes carry marks, keywords and the finalizers the setup state runs when a
node goes out of scope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from .stash import Stash
from .marks import Mark, MarkDecorator, get_unpacked_marks


class Keywords(dict):
    """``node.keywords``: this node's own names, read through to its parents'."""

    def __init__(self, node: "Node") -> None:
        super().__init__()
        self._node = node

    def _layers(self) -> Iterator[dict]:
        node: Node | None = self._node
        while node is not None:
            yield node.keywords
            node = node.parent

    def __contains__(self, key: object) -> bool:
        return any(dict.__contains__(layer, key) for layer in self._layers())

    def __getitem__(self, key: Any) -> Any:
        for layer in self._layers():
            if dict.__contains__(layer, key):
                return dict.__getitem__(layer, key)
        raise KeyError(key)

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def _merged(self) -> dict:
        merged: dict = {}
        for layer in reversed(list(self._layers())):
            merged.update(dict.items(layer))
        return merged

    def __iter__(self):
        return iter(self._merged())

    def keys(self):  # type: ignore[override]
        return self._merged().keys()

    def items(self):  # type: ignore[override]
        return self._merged().items()

    def __len__(self) -> int:
        return len(self._merged())


class Node:
    kind = "node"

    def __init__(self, name: str, parent: "Node | None", nodeid: str, path: Path | None = None) -> None:
        self.name = name
        self.parent = parent
        self.nodeid = nodeid
        self.session: Any = parent.session if parent is not None else self
        self.config: Any = parent.config if parent is not None else None
        self.path = path if path is not None else (parent.path if parent is not None else None)
        self.own_markers: list[Mark] = []
        self.keywords = Keywords(self)
        dict.__setitem__(self.keywords, name, True)
        self.extra_keyword_matches: set[str] = set()
        self.stash: Stash = Stash()
        self._store = self.stash
        self._finalizers: list = []

    @property
    def fspath(self) -> Any:
        """The node's path as pytest's legacy ``py.path.local`` (``item.fspath.basename``...)."""
        from .builtin_fixtures import LocalPath
        return LocalPath(self.path) if self.path is not None else None

    def listchain(self) -> list["Node"]:
        chain = []
        node: Node | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        chain.reverse()
        return chain

    def iter_parents(self) -> Iterator["Node"]:
        node: Node | None = self
        while node is not None:
            yield node
            node = node.parent

    def getparent(self, cls: type) -> Any:
        for node in self.iter_parents():
            if isinstance(node, cls):
                return node
        return None

    # The runner asks for marks several times per test: these walk the parents
    # directly rather than through nested generators.
    def iter_markers(self, name: str | None = None) -> Iterator[Mark]:
        return iter(self._markers(name))

    def _markers(self, name: str | None) -> list[Mark]:
        found: list[Mark] = []
        node: Node | None = self
        while node is not None:
            for mark in node.own_markers:
                if name is None or mark.name == name:
                    found.append(mark)
            node = node.parent
        return found

    def iter_markers_with_node(self, name: str | None = None) -> Iterator[tuple["Node", Mark]]:
        node: Node | None = self
        while node is not None:
            for mark in node.own_markers:
                if name is None or mark.name == name:
                    yield node, mark
            node = node.parent

    def get_closest_marker(self, name: str, default: Any = None) -> Any:
        node: Node | None = self
        while node is not None:
            for mark in node.own_markers:
                if mark.name == name:
                    return mark
            node = node.parent
        return default

    def add_marker(self, marker: str | Mark | MarkDecorator, append: bool = True) -> None:
        if isinstance(marker, str):
            from .marks import mark as mark_generator
            marker = getattr(mark_generator, marker)
        mark = marker.mark if isinstance(marker, MarkDecorator) else marker
        if not isinstance(mark, Mark):
            raise ValueError("is not a string or pytest.mark.* Marker")
        dict.__setitem__(self.keywords, mark.name, mark)
        if append:
            self.own_markers.append(mark)
        else:
            self.own_markers.insert(0, mark)

    def listextrakeywords(self) -> set[str]:
        extra: set[str] = set()
        for node in self.iter_parents():
            extra.update(node.extra_keyword_matches)
        return extra

    def listnames(self) -> list[str]:
        return [node.name for node in self.listchain()]

    def addfinalizer(self, fin: Any) -> None:
        self._finalizers.append(fin)

    def setup(self) -> None:
        pass

    @property
    def ihook(self) -> Any:
        return self.config.hook

    def warn(self, warning: Warning) -> None:
        """Issue a warning located at this node (its test's definition), as pytest's `Node.warn`."""
        import warnings
        if not isinstance(warning, Warning):
            raise ValueError(f"warning must be an instance of Warning or subclass, got {warning!r}")
        location = getattr(self, "location", None)
        if location is None or location[1] is None:
            warnings.warn(warning, stacklevel=2)
            return
        warnings.warn_explicit(warning, category=None, filename=str(location[0]), lineno=location[1] + 1)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class Session(Node):
    kind = "session"

    def __init__(self, config: Any) -> None:
        super().__init__("", None, "", config.rootpath)
        self.config = config
        self.session = self
        self.testsfailed = 0
        self.testscollected = 0
        self.shouldstop: Any = False
        self.shouldfail: Any = False
        self.items: list = []


class Dir(Node):
    kind = "dir"
    is_package = False


class Package(Dir):
    kind = "package"
    is_package = True


class Module(Node):
    kind = "module"

    def __init__(self, name: str, parent: Node, nodeid: str, path: Path) -> None:
        super().__init__(name, parent, nodeid, path)
        self.obj: Any = None

    @property
    def module(self) -> Any:
        return self.obj


class Class(Node):
    kind = "class"

    def __init__(self, name: str, parent: Node, nodeid: str, obj: type) -> None:
        super().__init__(name, parent, nodeid)
        self.obj = obj
        self.own_markers.extend(get_unpacked_marks(obj))
        for mark in self.own_markers:
            dict.__setitem__(self.keywords, mark.name, mark)

    @property
    def cls(self) -> type:
        return self.obj

    def newinstance(self) -> Any:
        return self.obj()


class CallSpec:
    """The parameters one parametrized item runs with (``item.callspec``)."""

    __slots__ = ("params", "indices", "_idlist", "marks", "indirect", "scopes")

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.indices: dict[str, int] = {}
        self._idlist: list[str] = []
        self.marks: list[Mark] = []
        self.indirect: set[str] = set()
        self.scopes: dict[str, int] = {}

    def copy(self) -> "CallSpec":
        new = CallSpec()
        new.params = dict(self.params)
        new.indices = dict(self.indices)
        new._idlist = list(self._idlist)
        new.marks = list(self.marks)
        new.indirect = set(self.indirect)
        new.scopes = dict(self.scopes)
        return new

    @property
    def id(self) -> str:
        return "-".join(self._idlist)

    def getparam(self, name: str) -> Any:
        return self.params[name]
