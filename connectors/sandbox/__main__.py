"""Run the sandbox in the foreground: `python -m connectors.sandbox --port 8765`.

Credentials it accepts default to `DEFAULT_CREDENTIALS`; override them with the environment
variables SANDBOX_KLAVIYO_API_KEY, SANDBOX_META_ACCESS_TOKEN and SANDBOX_WEBHOOK_SIGNING_SECRET.
SANDBOX_KEEP_HISTORY=0 keeps no request log, events or member payloads (for load tests).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from connectors.sandbox.server import READY_PREFIX, SandboxServer
from connectors.sandbox.state import SandboxState

_CREDENTIAL_VARIABLES = {
    "klaviyo": "SANDBOX_KLAVIYO_API_KEY",
    "meta": "SANDBOX_META_ACCESS_TOKEN",
    "webhook": "SANDBOX_WEBHOOK_SIGNING_SECRET",
}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve until interrupted or terminated."""
    parser = argparse.ArgumentParser(prog="python -m connectors.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 = any)")
    parser.add_argument("--pid-file", type=Path, help="write '<pid> <url>' here while running")
    args = parser.parse_args(argv)
    state = SandboxState(keep_history=os.environ.get("SANDBOX_KEEP_HISTORY", "1") != "0")
    for service, variable in _CREDENTIAL_VARIABLES.items():
        if os.environ.get(variable):
            state.credentials[service] = os.environ[variable]
    server = SandboxServer(args.port, state)
    # SIGTERM is how the stop helper asks us to go; exit through the same path as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    if args.pid_file is not None:
        args.pid_file.write_text(f"{os.getpid()} {server.url}\n")
    print(f"{READY_PREFIX}{server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if args.pid_file is not None:
            args.pid_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
