"""Starting and stopping the sandbox as a separate process (for the demo and other tools)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from connectors.sandbox.server import READY_PREFIX


@dataclass
class SandboxProcess:
    """A sandbox running in a child process."""

    url: str
    process: subprocess.Popen[str]

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the child and wait for it to exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_sandbox_process(
    port: int = 0, *, pid_file: Path | None = None, env: dict[str, str] | None = None
) -> SandboxProcess:
    """Start `python -m connectors.sandbox` and return once it is listening.

    Args:
        port: Port on 127.0.0.1; 0 picks a free one.
        pid_file: Where to write the child's pid and URL, so another process can stop it.
        env: Environment for the child (default: this process's).
    """
    command = [sys.executable, "-m", "connectors.sandbox", "--port", str(port)]
    if pid_file is not None:
        command += ["--pid-file", str(pid_file)]
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        command, stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith(READY_PREFIX):
        process.kill()
        process.wait()
        raise RuntimeError(f"the sandbox did not start (said {line.strip()!r})")
    return SandboxProcess(url=line[len(READY_PREFIX) :].strip(), process=process)


def stop_sandbox_process(pid_file: Path) -> bool:
    """Stop the sandbox recorded in `pid_file`; returns False when none was running."""
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    finally:
        pid_file.unlink(missing_ok=True)
    return True
