"""Step 1: land N synthetic profiles with the project's generator, in a child process.

A child keeps the generator's DuckDB memory out of the benchmark's own peak RSS, and lets that
peak be reported on its own. `python -m benchmarks.landing DIR PROFILES` is the child's side.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import MEBIBYTE, directory_bytes, run_child

RESULT_PREFIX = "landing-report "


def generate_landing(
    landing_dir: Path, profiles: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Run the generator in a child and return its time, rows, size on disk and peak RSS."""
    progress(f"generating {profiles:,} synthetic profiles into {landing_dir}")
    run = run_child([sys.executable, "-m", "benchmarks.landing", str(landing_dir), str(profiles)])
    found = [line for line in run.output_tail if line.startswith(RESULT_PREFIX)]
    if run.returncode != 0 or not found:
        raise RuntimeError("the synthetic generator failed:\n" + "\n".join(run.output_tail))
    report = json.loads(found[-1][len(RESULT_PREFIX) :])
    size = directory_bytes(landing_dir)
    progress(f"landed {size / MEBIBYTE:,.1f} MiB in {report['seconds']:.1f}s")
    return {
        "profiles": profiles,
        "generator_seconds": report["seconds"],
        "process_seconds": round(run.seconds, 3),
        "rows": report["rows"],
        "landing_bytes": size,
        "peak_rss_bytes": run.peak_rss_bytes,
    }


def main(argv: list[str]) -> int:
    """Child side: generate, then print the report as one JSON line."""
    from activation.landing.synthetic import generate_synthetic

    landing_dir, profiles = Path(argv[0]), int(argv[1])
    report = generate_synthetic(landing_dir, profiles)
    print(RESULT_PREFIX + json.dumps({"seconds": report.seconds, "rows": report.rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
