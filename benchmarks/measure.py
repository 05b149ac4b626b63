"""Clocks and memory gauges the benchmark reads: child processes, this process, the sandbox."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

MEBIBYTE = 1024 * 1024


@dataclass(frozen=True)
class ChildRun:
    """How one child process went: exit code, wall time, peak RSS and the tail of its output."""

    returncode: int
    seconds: float
    peak_rss_bytes: int
    output_tail: list[str]


def run_child(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    on_line: Callable[[str], None] | None = None,
    keep_lines: int = 40,
) -> ChildRun:
    """Run a command to completion, streaming its output lines, and measure it.

    The child is reaped with `os.wait4`, which returns that child's own resource usage, so its
    peak RSS is not mixed up with any other child this process ran before.
    """
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - the project's own commands, fixed arguments
        list(command),
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    tail: list[str] = []
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.rstrip()
            tail = [*tail[-(keep_lines - 1) :], line]
            if on_line is not None:
                on_line(line)
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        process.kill()
        process.wait()
        raise
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    return ChildRun(process.returncode, time.monotonic() - started, usage.ru_maxrss * 1024, tail)


def own_peak_rss_bytes() -> int:
    """Peak RSS of this process so far (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss_of(pid: int) -> int:
    """Peak RSS of a running process: the kernel's high-water mark, else its current RSS."""
    status = Path(f"/proc/{pid}/status")
    if sys.platform.startswith("linux") and status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return psutil.Process(pid).memory_info().rss


def directory_bytes(path: Path) -> int:
    """Total size of the files under `path`."""
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


class Stopwatch:
    """Wall time of a block: `with Stopwatch() as clock: ...; clock.seconds`."""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self._started
