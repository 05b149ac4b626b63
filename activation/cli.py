"""`activation`: the command line for the demo, previews, approvals and the run log."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import uuid

from activation.config import ConfigError


def _sync_named(name: str):
    from dagster_project.project import configured_syncs

    for sync in configured_syncs():
        if sync.name == name:
            return sync
    known = ", ".join(sorted(sync.name for sync in configured_syncs()))
    raise ConfigError("syncs", name, "no such sync", f"use one of: {known}")


def preview(arguments: argparse.Namespace) -> int:
    """Show what a sync would send, writing nothing."""
    from activation.sync import run_sync
    from activation.sync.plan import sample_plan
    from activation.sync.warehouse import connect, default_warehouse_path

    sync = _sync_named(arguments.sync)
    report = run_sync(
        sync,
        warehouse_path=default_warehouse_path(),
        run_id=f"preview-{uuid.uuid4()}",
        dry_run=True,
    )
    print(json.dumps(report.as_metadata(), indent=2))
    with connect(default_warehouse_path(), read_only=True) as connection:
        print(json.dumps(sample_plan(connection, sync.name), indent=2))
        [(evaluated_at,)] = connection.execute(
            "select strftime(evaluated_at, '%Y-%m-%dT%H:%M:%SZ') from main.audience_clock"
        ).fetchall()
    print(
        f"This is the plan of the last dbt build, with audiences evaluated at {evaluated_at}; "
        "data landed since then is not in it until the next build."
    )
    return 0


def approve(arguments: argparse.Namespace) -> int:
    """Release a plan held by the removal guard, once."""
    from activation.sync.guard import NothingToApprove, approve_held_plan
    from activation.sync.warehouse import connect, default_warehouse_path

    sync = _sync_named(arguments.sync)
    with connect(default_warehouse_path()) as connection:
        try:
            removals = approve_held_plan(
                connection, sync, arguments.by or getpass.getuser(), arguments.removals
            )
        except NothingToApprove as refusal:
            print(f"error: {refusal}", file=sys.stderr)
            return 1
    print(f"approved up to {removals} removals for the next run of {sync.name}")
    return 0


def runs(arguments: argparse.Namespace) -> int:
    """Print the newest run-log rows."""
    from activation.sync.warehouse import RUNS_TABLE, connect, default_warehouse_path

    with connect(default_warehouse_path(), read_only=True) as connection:
        relation = connection.sql(
            f"select sync_id, status, finished_at, planned, added, updated, removed, invalid, "
            f"rejected, failed, suppressed, skipped from {RUNS_TABLE} "
            f"order by finished_at desc limit {int(arguments.limit)}"
        )
        relation.show(max_width=200)
    return 0


def demo(arguments: argparse.Namespace) -> int:
    from activation.demo import main as run_demo

    return run_demo()


def whole_number_at_least(minimum: int):
    """An argparse type: a whole number no smaller than `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


_EPILOG = """\
The warehouse is ACTIVATION_WAREHOUSE_PATH (default data/warehouse.duckdb); the demo's is
data/demo/warehouse.duckdb, so to look at the demo's runs:
  ACTIVATION_WAREHOUSE_PATH=data/demo/warehouse.duckdb ACTIVATION_LANDING_DIR=data/demo/landing \\
    activation runs
"""


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from activation.sync.binding import SyncRetargeted
    from activation.sync.engine import PlanOutOfDate
    from activation.sync.warehouse import WarehouseNotReady, default_warehouse_path

    parser = argparse.ArgumentParser(
        prog="activation",
        description=__doc__,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the end-to-end demo against the sandbox").set_defaults(
        handler=demo
    )
    previewing = commands.add_parser("preview", help="dry run: show a sync's plan, send nothing")
    previewing.add_argument("sync")
    previewing.set_defaults(handler=preview)
    approving = commands.add_parser("approve", help="release a plan held by the removal guard")
    approving.add_argument("sync")
    approving.add_argument(
        "--removals",
        type=whole_number_at_least(0),
        help="most removals allowed (default: the plan's)",
    )
    approving.add_argument("--by", help="who approves (default: the current user)")
    approving.set_defaults(handler=approve)
    listing = commands.add_parser("runs", help="show the newest rows of the run log")
    listing.add_argument(
        "--limit", type=whole_number_at_least(1), default=20, help="rows to show (default 20)"
    )
    listing.set_defaults(handler=runs)
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except BrokenPipeError:
        # The reader went away (`activation runs | head`); that is not an error. Point stdout
        # at /dev/null so the flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except (WarehouseNotReady, PlanOutOfDate, SyncRetargeted) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:
        hint = " (a running Dagster job holds it; try again when it finishes)"
        print(
            f"error: cannot use the warehouse {default_warehouse_path()}: {error}"
            + (hint if "lock" in str(error).lower() else ""),
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
