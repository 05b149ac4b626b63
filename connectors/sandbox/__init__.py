"""Local servers on 127.0.0.1 that behave like Klaviyo, Meta custom audiences and a webhook.

    with run_sandbox() as url:
        client = SandboxClient(url)
        ...

Run it for the demo with `python -m connectors.sandbox --port 8765`.
"""

from connectors.sandbox.client import SandboxClient
from connectors.sandbox.process import SandboxProcess, start_sandbox_process, stop_sandbox_process
from connectors.sandbox.server import SandboxServer, run_sandbox
from connectors.sandbox.state import DEFAULT_CREDENTIALS, SandboxState

__all__ = [
    "DEFAULT_CREDENTIALS",
    "SandboxClient",
    "SandboxProcess",
    "SandboxServer",
    "SandboxState",
    "run_sandbox",
    "start_sandbox_process",
    "stop_sandbox_process",
]
