"""A program on a pseudo-terminal, driven as a person at a keyboard drives it.

``Terminal`` starts a command with a pty as its controlling terminal (so readline edits
lines and Ctrl-C is a signal, as in a real shell), types into it and waits, with a
deadline, until the expected text has been printed. Nothing here sleeps.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

DEADLINE = 60.0  # generous: a busy CI machine starts Python slowly; a pass never waits this long
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-B]|\x1b[=>]|\r|\x07")


def screen_text(raw: str) -> str:
    """What a person reads: terminal escapes and carriage returns removed."""
    return _ESCAPES.sub("", raw)


class Terminal:
    """``argv`` running on a pty of ``columns`` × ``rows``, with ``env`` and ``cwd``."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        columns: int = 80,
        rows: int = 24,
    ) -> None:
        self.output = ""  # everything printed so far, escapes and all
        self._seen = 0  # where in the screen the next expect() starts looking
        self.status: int | None = None
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal
            os.chdir(cwd)
            os.execvpe(argv[0], list(argv), dict(env))  # noqa: S606 - argv is the test's own
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def type(self, keys: str) -> None:
        """Send keys: text, "\\r" for Enter, "\\x04" Ctrl-D, "\\x03" Ctrl-C, "\\t" Tab."""
        os.write(self.fd, keys.encode())

    def expect(self, pattern: str, deadline: float = DEADLINE) -> re.Match[str]:
        """Wait until ``pattern`` (a regex over the text as read) appears after the last match."""
        regex = re.compile(pattern)
        end = time.monotonic() + deadline
        while True:
            match = regex.search(self.screen, self._seen)
            if match:
                self._seen = match.end()
                return match
            if not self._read(end - time.monotonic()):
                raise AssertionError(f"never printed {pattern!r}; the screen:\n{self.screen}")

    def wait(self, deadline: float = DEADLINE) -> int:
        """Read until the program closes the terminal; its exit status (128 + signal if killed)."""
        end = time.monotonic() + deadline
        while self._read(end - time.monotonic()):
            pass
        if time.monotonic() >= end:
            os.kill(self.pid, signal.SIGKILL)
            raise AssertionError(f"still running after {deadline}s; the screen:\n{self.screen}")
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status)
        if self.status < 0:
            self.status = 128 - self.status
        return self.status

    @property
    def screen(self) -> str:
        return screen_text(self.output)

    def close(self) -> None:
        """Stop the program if it still runs (a failed test)."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(self.fd)
            self.status = -1

    def _read(self, timeout: float) -> bool:
        """Read what is there within ``timeout``; False at the end of output or the deadline."""
        if timeout <= 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed its terminal
            return False
        if not chunk:
            return False
        self.output += chunk.decode(errors="replace")
        return True
