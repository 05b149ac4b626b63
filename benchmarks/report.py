"""The benchmark's readable table, built from the same dictionary that is written as JSON."""

from __future__ import annotations

from typing import Any

from benchmarks.measure import MEBIBYTE


def _mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / MEBIBYTE:,.0f} MiB"


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def render(results: dict[str, Any]) -> str:
    """Rows of `what | figure` per step, then one line per batch size for the push."""
    landing, dbt, mix, plan = (
        results["landing"],
        results["dbt_build"],
        results["audience"],
        results["plan"],
    )
    memory = results["peak_rss"]
    rows = [
        ("profiles", f"{results['profiles']:,}"),
        ("generation", f"{landing['generator_seconds']:.1f} s"),
        ("landing size on disk", _mib(landing["landing_bytes"])),
        ("dbt build", f"{dbt['seconds']:.1f} s ({dbt['nodes_passed']} nodes passed)"),
        (
            "plan mix",
            f"{mix['audience_members']:,} members, {mix['ledger_rows']:,} ledger rows: "
            f"{mix['unchanged']:,} unchanged, {mix['entered']:,} entered, "
            f"{mix['changed']:,} changed, {mix['left']:,} left",
        ),
        (
            "plan: summarize_plan",
            f"{plan['summarize_seconds']:.3f} s (median of {plan['repeats']})",
        ),
        ("plan: freeze_plan", f"{plan['freeze_seconds']:.3f} s"),
        ("plan: bare full outer join", f"{plan['bare_join_seconds']:.3f} s"),
        (
            "plan add/update/remove",
            f"engine {_counts(plan['engine_counts'])}, "
            f"bare join {_counts(plan['bare_join_counts'])}: "
            + ("agree" if plan["counts_agree"] else "DISAGREE"),
        ),
        ("peak RSS: benchmark process", _mib(memory["benchmark_process"])),
        ("  peak before the push step", _mib(results["rss_after_plan_bytes"])),
        ("peak RSS: generator (child)", _mib(memory["generator"])),
        ("peak RSS: dbt (child)", _mib(memory["dbt"])),
        ("peak RSS: sandbox (child)", _mib(memory["sandbox"])),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    push = results["push"]
    lines += [
        "",
        f"push: engine over {push['rows']:,} planned adds"
        + (f" (capped from {results['profiles']:,})" if push["capped"] else "")
        + f"; raw socket over {push['raw_rows']:,} rows",
        "(a fresh sandbox without request history per measurement; engine time is the whole",
        " run_sync: plan freezing, ledger writes and run log included)",
        f"{'batch':>7}  {'engine rows/s':>13}  {'engine MB/s':>11}  {'engine s':>9}  "
        f"{'raw rows/s':>11}  {'raw MB/s':>9}  {'engine/raw':>10}",
    ]
    for batch, run in push["runs"].items():
        engine, raw = run["engine"], run["raw_socket"]
        share = (
            f"{engine['rows_per_second'] / raw['rows_per_second']:.0%}"
            if engine["rows_per_second"] and raw["rows_per_second"]
            else "n/a"
        )
        lines.append(
            f"{int(batch):>7,}  {_rate(engine['rows_per_second']):>13}  "
            f"{engine['mb_per_second']:>11.2f}  {engine['seconds']:>9.1f}  "
            f"{_rate(raw['rows_per_second']):>11}  {raw['mb_per_second']:>9.2f}  {share:>10}"
        )
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return "/".join(f"{counts[action]:,}" for action in ("add", "update", "remove"))
