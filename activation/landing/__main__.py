"""Land data: `python -m activation.landing {online-retail,synthetic,otto} [--landing-dir DIR]`."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from activation.cli import whole_number_at_least
from activation.landing.contract import default_landing_dir
from activation.landing.online_retail import SourceDataMissingError, land_online_retail
from activation.landing.otto import land_otto_sessions
from activation.landing.synthetic import DEFAULT_PROFILES, DEFAULT_SEED, generate_synthetic


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m activation.landing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    retail = commands.add_parser("online-retail", help="land the UCI Online Retail invoices")
    synthetic = commands.add_parser("synthetic", help="land made-up profiles and activity")
    otto = commands.add_parser("otto", help="land the OTTO session sample as JSON Lines events")
    for command in (retail, synthetic, otto):
        command.add_argument(
            "--landing-dir",
            type=Path,
            default=None,
            help="default: ACTIVATION_LANDING_DIR, else data/landing",
        )
    for command in (retail, otto):
        command.add_argument("--source-dir", type=Path, help="folder holding the source data")
    for command in (retail, synthetic):
        command.add_argument("--today", type=date.fromisoformat, help="default: today (UTC)")
    retail.add_argument("--since", type=datetime.fromisoformat, help="window start (UTC)")
    retail.add_argument("--until", type=datetime.fromisoformat, help="window end, excluded")
    synthetic.add_argument("--profiles", type=whole_number_at_least(1), default=DEFAULT_PROFILES)
    synthetic.add_argument("--seed", default=DEFAULT_SEED)
    synthetic.add_argument("--churn-day", action="store_true", help="land today as a 2nd batch")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run one loader and print its report; returns the exit code."""
    arguments = parse_arguments(argv)
    arguments.landing_dir = arguments.landing_dir or default_landing_dir()
    try:
        if arguments.command == "online-retail":
            report = land_online_retail(
                arguments.landing_dir,
                arguments.source_dir,
                today=arguments.today,
                until=arguments.until,
                since=arguments.since,
            )
        elif arguments.command == "synthetic":
            report = generate_synthetic(
                arguments.landing_dir,
                arguments.profiles,
                today=arguments.today,
                seed=arguments.seed,
                churn_day=arguments.churn_day,
            )
        else:
            report = land_otto_sessions(arguments.landing_dir, arguments.source_dir)
    except (SourceDataMissingError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
