"""The grader's end of a worker's pipes: frames read with a deadline, their text made safe.

The frames are worker/wire.py's (its `Frames` splits the bytes); what this side adds is the
waiting: a deadline, a second pipe to watch (the worker's CTL: "the child exited"), and caps
checked before a reply is parsed. Every frame decoded here gets `clean_text` for the text it
carries (autograder/sanitize.py): the worker's text is made valid and capped where it arrives.
"""

from __future__ import annotations

import io
import os
import queue
import select
import subprocess
import threading
import time
from typing import IO, Any, Protocol

from autograder.sanitize import clean_text
from autograder.worker import wire

# What a reply may hold, checked before it is parsed: JSON of N small items costs ~100 N bytes
# here, so a 60 MB frame of `[[],[],...]` would cost gigabytes. Arrays travel as base64 (one
# item however large); legitimate replies are far below both limits.
REPLY_LIMIT = 16 * 1024 * 1024
REPLY_ITEMS = 1_000_000


def received(body: bytes) -> Any:
    """A frame's body from a worker, decoded: its text valid and capped (sanitize.clean_text)."""
    return wire.decode(body, clean=clean_text)


class FrameSource(Protocol):
    """Where the worker handle waits for a frame: a reply pipe, CTL, or a process's exit."""

    @property
    def fd(self) -> int | None:
        """What another reader may watch (None: nothing to watch)."""

    def frame(self, deadline: float, watch: int | None = None) -> Any: ...
    def close(self) -> None: ...


class ReplyReader:
    """Reads frames from a pipe with a deadline, watching a second pipe."""

    def __init__(self, fd: int, stream: IO[bytes] | None = None, limit: int = wire.MAX_FRAME,
                 items: int | None = None):
        self.fd = fd
        self.stream = stream  # closed with the reader, when given
        self.frames = wire.Frames(limit, what="reply")
        self.items = items

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()

    def _chunk(self, size: int, left: float, watch: int | None) -> bytes | None:
        """Up to `size` bytes (b"" at end of file), or None when nothing came within `left`."""
        fds = [self.fd] + ([watch] if watch is not None else [])
        ready, _, _ = select.select(fds, [], [], left)
        if self.fd in ready:
            return os.read(self.fd, max(65536, size))
        if ready:
            raise InterruptedError  # the watched pipe has news (the child exited)
        return None

    def frame(self, deadline: float, watch: int | None = None) -> Any:
        while (body := self.frames.pop()) is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            chunk = self._chunk(self.frames.needed(), left, watch)
            if chunk == b"":
                raise EOFError("worker closed its pipe")
            if chunk:
                self.frames.buffer += chunk
        if self.items is not None and \
                body.count(b",") + body.count(b"[") + body.count(b"{") > self.items:
            raise wire.CodecError(f"reply of more than {self.items} items")
        return received(body)

    def drop(self) -> None:
        """Discard whatever is buffered or waiting in the pipe (junk aimed at the next call)."""
        self.frames.buffer.clear()
        while select.select([self.fd], [], [], 0)[0]:
            try:
                if not os.read(self.fd, 1 << 16):
                    return
            except OSError:
                return


class CtlReader(ReplyReader):
    """The worker's CTL pipe (worker -> grader only): a raw fd of ours."""

    def close(self) -> None:
        os.close(self.fd)


class ThreadReplyReader(ReplyReader):
    """The same frames where select() cannot wait on a pipe (Windows): a thread reads the pipe
    and the caller waits on a queue with the deadline."""

    def __init__(self, stream: io.BufferedReader):
        # not given the stream: the pump closes it (see below)
        super().__init__(stream.fileno(), None, REPLY_LIMIT, REPLY_ITEMS)
        self.chunks: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: io.BufferedReader) -> None:
        while True:
            try:
                chunk = stream.read1(65536)
            except (OSError, ValueError):
                chunk = b""
            self.chunks.put(chunk)
            if not chunk:  # close() from another thread would wait for a read that may block
                stream.close()
                return

    def _chunk(self, size: int, left: float, watch: int | None) -> bytes | None:
        try:
            chunk = self.chunks.get(timeout=left)
        except queue.Empty:
            return None
        if not chunk:
            self.chunks.put(chunk)  # end of file stays end of file
        return chunk


class ExitWatch:
    """Stands in for CTL where there is none (portable): the process's exit is its "exited"."""

    fd: int | None = None

    def __init__(self, process: subprocess.Popen[bytes]):
        self.process = process

    def frame(self, deadline: float, watch: int | None = None) -> wire.Message:
        try:
            status = self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise TimeoutError from None
        # one submission per process: the next one gets a fresh process
        return {"op": "exited", "status": status, "restart": True}

    def close(self) -> None:
        pass
