"""The end-to-end demo: real retail data through dbt audiences into three sandbox destinations.

Day 1 lands everything before the last day of data and runs the whole Dagster job; day 2 lands
the last day and runs again, so people who bought leave the cart abandoners; a third run with
nothing new must send nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import socket
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from activation.runner import REPOSITORY_ROOT, format_sync_table, run_job, sync_runs

DEMO_DIR = REPOSITORY_ROOT / "data" / "demo"
SECRET_VARIABLES = {
    "klaviyo": "KLAVIYO_API_KEY",
    "meta": "META_ACCESS_TOKEN",
    "webhook": "CRM_WEBHOOK_SECRET",
}


def say(text: str = "") -> None:
    print(text, flush=True)


@contextmanager
def step(title: str):
    """Print a step's title, then how long it took."""
    say(f"\n==> {title}")
    started = time.monotonic()
    yield
    say(f"    done in {time.monotonic() - started:.1f}s")


def prepare_environment(demo_dir: Path) -> tuple[Path, Path]:
    """Fresh demo folders, and the environment every part reads its paths and secrets from."""
    if demo_dir.exists():
        shutil.rmtree(demo_dir)
    landing = demo_dir / "landing"
    warehouse = demo_dir / "warehouse.duckdb"
    landing.mkdir(parents=True)
    os.environ["ACTIVATION_LANDING_DIR"] = str(landing)
    os.environ["ACTIVATION_WAREHOUSE_PATH"] = str(warehouse)
    from connectors.sandbox import DEFAULT_CREDENTIALS

    # The sandbox accepts only its own credentials, whatever the shell exported.
    for service, variable in SECRET_VARIABLES.items():
        os.environ[variable] = DEFAULT_CREDENTIALS[service]
    return landing, warehouse


def choose_days(landing: Path, today) -> tuple[Callable[[], str], Callable[[], str]]:
    """Loaders for day 1 and day 2: the real public data if present, else synthetic data."""
    from activation.landing.online_retail import default_source_dir, land_online_retail

    source = default_source_dir()
    start_of_today = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    if (source / "online_retail_uci" / "online_retail.parquet").exists():
        say(f"Source data: UCI Online Retail from {source}")
        return (
            lambda: _describe(
                land_online_retail(landing, source, today=today, until=start_of_today)
            ),
            lambda: _describe(
                land_online_retail(landing, source, today=today, since=start_of_today)
            ),
        )
    from activation.landing.synthetic import generate_synthetic, generate_synthetic_day

    say(
        f"Source data: {source}/online_retail_uci/online_retail.parquet is absent, so the demo "
        "uses the built-in synthetic generator (5,000 made-up profiles). To run on the public "
        "UCI Online Retail data, see the README."
    )
    yesterday = today - timedelta(days=1)
    return (
        lambda: _describe(generate_synthetic(landing, 5000, today=yesterday)),
        lambda: _describe(generate_synthetic_day(landing, 5000, day=today)),
    )


def _describe(report) -> str:
    return str(report)


def run_and_summarize(warehouse: Path, title: str) -> list:
    """Run the whole Dagster job and print the per-sync counts."""
    dbt_log = warehouse.parent / "dbt.log"
    with step(f"{title}: dbt build, plans and syncs through Dagster"):
        # dbt's own lines go to a file (and to the Dagster instance); the engine's progress
        # lines keep the console, through the handler set up in main().
        with dbt_log.open("a") as log, contextlib.redirect_stdout(log):
            result = run_job("activation_job")
        say(f"    dbt's log: {dbt_log}")
    rows = sync_runs(warehouse, result.run_id)
    say(format_sync_table(rows))
    failures = [
        f"{event.step_key}: {event.event_specific_data.error.message.strip().splitlines()[0]}"
        for event in result.all_events
        if event.is_step_failure
        # A plan held by a blocking check is reported in the table, not as a failure.
        and "blocking asset check" not in event.event_specific_data.error.message
    ]
    if failures:
        say("Steps that failed (details in the Dagster UI):\n  " + "\n  ".join(failures))
    return rows


def cart_abandoners(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            row[0]
            for row in connection.execute(
                "select profile_id from main.segment_memberships where audience = 'cart_abandoners'"
            ).fetchall()
        }


def emails_of(warehouse: Path, profile_ids: set[str]) -> set[str]:
    """Normalized emails of the given profiles."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select lower(trim(email)) from main.profiles "
            "where profile_id in (select unnest(?::varchar[])) and email is not null",
            [sorted(profile_ids)],
        ).fetchall()
    return {row[0] for row in rows}


def buyers_since(warehouse: Path, instant: datetime) -> set[str]:
    """Profiles with a completed order at or after `instant`."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select distinct profile_id from main.stg_landing__orders "
            "where ordered_at >= ? and profile_id is not null and not is_refund",
            [instant],
        ).fetchall()
    return {row[0] for row in rows}


def check_buyers_left(sandbox, warehouse: Path, buyers: set[str]) -> list[str]:
    """Problems, if any buyer is still in the email list or the ad audience."""
    emails = emails_of(warehouse, buyers)
    listed = {member.get("email") for member in sandbox.members("klaviyo", "cart-abandoners")}
    hashed = {member.get("EMAIL_SHA256") for member in sandbox.members("meta", "cart-abandoners")}
    problems = [f"{email} is still on the klaviyo list" for email in sorted(emails & listed)]
    problems += [
        f"{email} is still in the meta audience"
        for email in sorted(emails)
        if hashlib.sha256(email.encode()).hexdigest() in hashed
    ]
    return problems


DEFAULT_SANDBOX_PORT = 8765  # the port destinations.yaml names by default


def _sandbox_port() -> int:
    """8765 when it is free, so the demo's ledger is bound to the address `destinations.yaml`
    names by default and a sandbox started later on it is the same place; else any free port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", DEFAULT_SANDBOX_PORT))
        except OSError:
            return 0
    return DEFAULT_SANDBOX_PORT


def next_steps(landing: Path, warehouse: Path, sandbox_url: str) -> str:
    """What to type to look at the demo's results and run it from the UI."""
    from connectors.sandbox import DEFAULT_CREDENTIALS

    secrets = " ".join(
        f"{variable}={DEFAULT_CREDENTIALS[service]}"
        for service, variable in SECRET_VARIABLES.items()
    )
    return (
        "\nRun results: tables activation.sync_runs and activation.sync_rejections in "
        f"{warehouse}; every Dagster run in DAGSTER_HOME={os.environ['DAGSTER_HOME']}."
        "\nTo look around, point the tools at the demo's data first:"
        f"\n  export DAGSTER_HOME={os.environ['DAGSTER_HOME']}"
        f" ACTIVATION_WAREHOUSE_PATH={warehouse} ACTIVATION_LANDING_DIR={landing}"
        "\n  .venv/bin/activation runs                          # the run log"
        "\n  .venv/bin/dagster dev -w workspace.yaml            # the UI, lineage and runs"
        "\nTo run syncs from the UI, start the sandbox (its memberships start empty) and give"
        " it its credentials:"
        f"\n  .venv/bin/python -m connectors.sandbox --port {sandbox_url.rsplit(':', 1)[1]} &"
        f"\n  export ACTIVATION_SANDBOX_URL={sandbox_url}  # where the demo's syncs delivered"
        f"\n  export {secrets}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the process exit code."""
    from connectors.sandbox import SandboxClient, run_sandbox

    # Only the engine's one line per batch reaches the console; Dagster and dbt keep their full
    # logs in the Dagster instance, where the UI shows them.
    progress = logging.StreamHandler(sys.stdout)
    progress.setFormatter(logging.Formatter("    %(message)s"))
    engine_log = logging.getLogger("activation.sync.engine")
    engine_log.addHandler(progress)
    engine_log.setLevel(logging.INFO)
    engine_log.propagate = False
    today = datetime.now(UTC).date()
    landing, warehouse = prepare_environment(DEMO_DIR)
    with run_sandbox(port=_sandbox_port()) as sandbox_url:
        os.environ["ACTIVATION_SANDBOX_URL"] = sandbox_url
        sandbox = SandboxClient(sandbox_url)
        say(f"Sandbox destinations listening on {sandbox_url}")
        day_one, day_two = choose_days(landing, today)
        with step("Day 1: landing everything before today"):
            say(day_one())
        first = run_and_summarize(warehouse, "Run 1")
        abandoners_before = cart_abandoners(warehouse)

        with step("Day 2: landing today's events"):
            say(day_two())
        second = run_and_summarize(warehouse, "Run 2")
        start_of_today = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
        converted = (abandoners_before - cart_abandoners(warehouse)) & buyers_since(
            warehouse, start_of_today
        )
        problems = check_buyers_left(sandbox, warehouse, converted)
        say(
            f"\n{len(converted)} cart abandoners bought today and left the audience: "
            f"{'gone from' if not problems else 'NOT gone from'} both the klaviyo list and the "
            "meta audience 'cart-abandoners'."
        )
        for problem in problems[:10]:
            say(f"ERROR: {problem}")

        third = run_and_summarize(warehouse, "Run 3 (nothing new)")
        sent = sum(row.added + row.updated + row.removed for row in third)
        say(f"\nRun 3 sent {sent} changes (expected 0).")
    say(next_steps(landing, warehouse, sandbox_url))
    healthy = bool(first) and bool(second) and bool(converted) and sent == 0 and not problems
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
