"""Network access fails inside the sandbox, with a message that says why.

The engine already refuses to create sockets (the ``socket`` system call
returns EACCES) and the browser APIs behind ``pyodide.http`` are not
reachable; left at that, tests would see "Permission denied" or a
``NameError`` about ``XMLHttpRequest``. ``install()`` makes every common
entry point (sockets, name lookups, ``urllib``, ``http.client``,
``pyodide.http``) raise ``PermissionError`` naming the sandbox instead.
"""

from __future__ import annotations

import errno

from .sandbox_limits import SandboxLimit

MESSAGE = (
    "network access is disabled in the fastest sandbox: tests cannot open "
    "sockets, look up host names or fetch URLs (mock the network instead, "
    "e.g. with monkeypatch)"
)


class NetworkDisabled(PermissionError, SandboxLimit):
    """Raised by every network entry point in the sandbox."""

    limit = "the sandbox has no network access"

    def __init__(self) -> None:
        super().__init__(errno.EACCES, MESSAGE)


# Printed as the type a test catches: "PermissionError: [Errno 2] network access is disabled...".
NetworkDisabled.__module__ = "builtins"
NetworkDisabled.__name__ = NetworkDisabled.__qualname__ = "PermissionError"


def _refuse(*_args: object, **_kwargs: object) -> object:
    raise NetworkDisabled()


def _node_name() -> str:
    """``socket.gethostname()`` where the platform has none: the name ``platform.node()`` gives."""
    import os

    return os.uname().nodename


async def _refuse_async(*_args: object, **_kwargs: object) -> object:
    raise NetworkDisabled()


def preload() -> None:
    """Import the modules ``install`` patches (done before the snapshot is taken)."""
    import socket  # noqa: F401

    try:
        import pyodide.http  # noqa: F401
    except ImportError:
        pass


def install() -> None:
    import socket

    class socket_(socket.socket):  # noqa: N801 (keeps the name users see in reprs)
        __slots__ = ()

        def __init__(self, *_args: object, **_kwargs: object) -> None:
            raise NetworkDisabled()

    socket_.__name__ = socket_.__qualname__ = "socket"
    socket_.__module__ = "socket"
    socket.socket = socket_  # type: ignore[misc]
    socket.SocketType = socket_  # type: ignore[misc]
    # Set even where the platform lacks them (the WASI engine has no name lookups): every
    # other CPython has them, so code calls them without checking, and should get this message.
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo",
                 "create_connection", "create_server", "socketpair", "fromfd"):
        setattr(socket, name, _refuse)
    if not hasattr(socket, "gethostname"):  # WASI: socket.getfqdn() (email.utils.make_msgid) calls it
        socket.gethostname = _node_name  # type: ignore[attr-defined]
    try:
        import pyodide.http as http
    except ImportError:
        return
    for name in ("open_url", "pyxhr"):
        if hasattr(http, name):
            setattr(http, name, _refuse)
    if hasattr(http, "pyfetch"):
        http.pyfetch = _refuse_async
