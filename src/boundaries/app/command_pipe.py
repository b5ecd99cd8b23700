"""The command socket as a ``QLocalServer`` named pipe: Windows, where Python has no Unix
sockets. It speaks the same one-line protocol through :class:`~boundaries.app.command_server.
CommandServer`; the tests run it on Linux too (``transport="pipe"``).

``QLocalServer`` closes for good when ``accept`` runs out of file descriptors; the command
server's minute timer listens again then.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from boundaries.app.command_server import Link, LinkCallback, ListenerBase


class PipeListener(ListenerBase):
    """A ``QLocalServer`` on a named pipe, open to this user only."""

    def __init__(
        self,
        on_link: LinkCallback,
        on_data: LinkCallback,
        on_closed: LinkCallback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(on_link, on_data, on_closed, parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self, name: str) -> bool:
        self._server.close()
        self._server.removeServer(name)  # a socket left behind by a crashed instance
        return bool(self._server.listen(name))

    def error_string(self) -> str:
        return str(self._server.errorString())

    def is_listening(self) -> bool:
        return bool(self._server.isListening())

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._on_link(PipeLink(socket, *self._callbacks, parent=self))


class PipeLink(Link):
    def __init__(
        self,
        socket: QLocalSocket,
        on_data: LinkCallback,
        on_closed: LinkCallback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.buffer = bytearray()
        self._socket: QLocalSocket | None = socket
        socket.setParent(self)
        self._on_data = on_data
        self._on_closed = on_closed
        self._reading = True
        socket.readyRead.connect(self._readable)
        socket.disconnected.connect(self._closed)

    @Slot()
    def _readable(self) -> None:
        if self._socket is not None and self._reading:
            self.buffer += bytes(self._socket.readAll().data())
            self._on_data(self)

    def stop_reading(self) -> None:
        self._reading = False

    def send_and_close(self, data: bytes) -> None:
        if self._socket is not None:
            self._socket.write(data)
            self._socket.flush()
            self._socket.disconnectFromServer()  # once written: then ``disconnected``

    def abort(self) -> None:
        if self._socket is not None:
            self._socket.abort()
        self._closed()

    @Slot()
    def _closed(self) -> None:
        if self._socket is None:
            return
        self._socket = None
        self._on_closed(self)
        self.deleteLater()
