"""The landing contract as data, and a check of a landing folder against it.

`docs/landing_contract.md` describes the same tables for people; loaders and tests use this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

LANDING_SUFFIXES = (".parquet", ".jsonl")


@dataclass(frozen=True)
class Column:
    """One contract column: its name, logical type, and whether a file may leave it out."""

    name: str
    type: str
    optional: bool = False


def _columns(spec: str) -> tuple[Column, ...]:
    # "name type" pairs, a trailing "?" marking an optional column.
    columns = []
    for item in spec.split(","):
        name, type_ = item.split()
        columns.append(Column(name.rstrip("?"), type_, optional=name.endswith("?")))
    return tuple(columns)


TABLES: dict[str, tuple[Column, ...]] = {
    "profiles": _columns(
        "profile_id string, email string, phone string, first_name? string, last_name? string,"
        " country_code string, time_zone string, created_at timestamp, is_synthetic? boolean"
    ),
    "events": _columns(
        "event_id string, profile_id string, anonymous_id string, event_type string,"
        " channel string, occurred_at timestamp, product_id string, order_id string,"
        " original_occurred_at? timestamp, is_synthetic? boolean"
    ),
    "orders": _columns(
        "order_id string, profile_id string, anonymous_id string, ordered_at timestamp,"
        " is_refund boolean, currency string, country_code? string,"
        " original_ordered_at? timestamp, is_synthetic? boolean"
    ),
    "order_lines": _columns(
        "order_id string, line_number integer, product_id string, quantity integer,"
        " unit_price decimal"
    ),
    "products": _columns("product_id string, name string, category string, is_merchandise boolean"),
    "product_prices": _columns(
        "product_id string, price decimal, currency string, valid_from timestamp,"
        " is_synthetic? boolean"
    ),
    "consent": _columns(
        "profile_id string, channel string, is_opted_in boolean, recorded_at timestamp,"
        " source? string, is_synthetic? boolean"
    ),
}

# The DuckDB types a batch file may carry for each contract type: those the staging models
# convert to the contract type without a conversion error. Text in a timestamp column is then
# read value by value, to be ISO 8601.
INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
    | {"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
)
NUMERIC_TYPES = INTEGER_TYPES | {"DECIMAL", "FLOAT", "DOUBLE"}
TIMESTAMP_TYPES = frozenset(
    {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}
    | {"DATE", "VARCHAR"}
)
ACCEPTED_TYPES: dict[str, tuple[frozenset[str], str]] = {
    "string": (frozenset({"VARCHAR"}), "VARCHAR"),
    "boolean": (frozenset({"BOOLEAN"}), "BOOLEAN"),
    "integer": (NUMERIC_TYPES, "a numeric type"),
    "decimal": (NUMERIC_TYPES, "a numeric type"),
    "timestamp": (TIMESTAMP_TYPES, "TIMESTAMP WITH TIME ZONE, TIMESTAMP, DATE or ISO 8601 text"),
}
# DuckDB reads a column that holds only NULLs as type "NULL", which fits every contract type.
NULL_TYPE = "NULL"

EVENT_TYPES = (
    "product_viewed",
    "product_added",
    "order_completed",
    "order_refunded",
    "session_started",
    "app_opened",
)
CONSENT_CHANNELS = ("email", "sms", "push", "ads")


def default_landing_dir() -> Path:
    """`ACTIVATION_LANDING_DIR`, else `data/landing` in the repository; read at call time."""
    configured = os.environ.get("ACTIVATION_LANDING_DIR")
    return (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "data" / "landing"
    )


def required_columns(table: str) -> tuple[str, ...]:
    """Names of the columns every file of `table` must carry."""
    return tuple(column.name for column in TABLES[table] if not column.optional)


def batch_files(landing_dir: Path | str, table: str) -> list[Path]:
    """The batch files of one table, in batch order (file names sort by batch time)."""
    folder = Path(landing_dir) / table
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in LANDING_SUFFIXES)


def ignored_files(landing_dir: Path | str, table: str) -> list[Path]:
    """Entries of a table folder that are not batch files, so nothing reads them.

    Hidden names (a leading dot) are left out: loaders write a batch beside its final name as
    a hidden partial file, and tools leave files like `.DS_Store`.
    """
    folder = Path(landing_dir) / table
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix not in LANDING_SUFFIXES and not path.name.startswith(".")
    )


@dataclass(frozen=True)
class LandingCheck:
    """What a check of the landing folder found: problems stop a build, warnings do not."""

    problems: list[str]
    warnings: list[str]


def check_landing(landing_dir: Path | str) -> LandingCheck:
    """Check every table folder against the contract, one readable line per finding.

    A problem is a missing table, or a batch file that is empty, unreadable, lacks a required
    column, or holds a column whose type the contract does not accept. A warning is a file
    in a table folder that nothing reads because of its suffix, or an entry of the landing
    folder that is not a table of the contract (e.g. a misspelt `customers/`).
    """
    problems, warnings = [], []
    with duckdb.connect() as connection:
        for table in TABLES:
            files = batch_files(landing_dir, table)
            if not files:
                problems.append(
                    f"{table}: no *.parquet or *.jsonl files in {Path(landing_dir) / table}"
                )
            for path in files:
                problems.extend(
                    f"{table}: {line}" for line in _file_problems(connection, table, path)
                )
            warnings.extend(
                f"{table}: ignored {path}: only *.parquet and *.jsonl files are read"
                for path in ignored_files(landing_dir, table)
            )
    root = Path(landing_dir)
    if root.is_dir():
        warnings.extend(
            f"ignored {path}: not a table of the landing contract ({', '.join(TABLES)})"
            for path in sorted(root.iterdir())
            if path.name not in TABLES and not path.name.startswith(".")
        )
    return LandingCheck(problems, warnings)


def validate_landing(landing_dir: Path | str) -> list[str]:
    """Every way the landing folder breaks the contract, one readable line each; empty if none.

    `check_landing` returns the same problems together with warnings.
    """
    return check_landing(landing_dir).problems


def column_types(connection: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Each column of one batch file with the DuckDB type it reads as, e.g. `DECIMAL(18,3)`.

    Parquet files state their types. JSON Lines are read as the staging models read them, but
    the types are inferred from every line rather than a sample, so that a bad value on the
    last line shows too. That costs a pass over the file: one to two seconds per 200 MB.
    """
    if path.suffix == ".parquet":
        described = connection.execute("describe select * from read_parquet(?)", [str(path)])
    else:
        described = connection.execute(
            "describe select * from read_json(?, format = 'newline_delimited', sample_size = -1)",
            [str(path)],
        )
    return {row[0]: row[1] for row in described.fetchall()}


def _file_problems(connection: duckdb.DuckDBPyConnection, table: str, path: Path) -> list[str]:
    """What is wrong with one batch file of `table`, one line each."""
    if path.is_file() and path.stat().st_size == 0:
        return [f"{path} is empty (0 bytes): remove it, or land the batch again with its columns"]
    try:
        found = column_types(connection, path)
    except duckdb.Error as error:
        return [f"cannot read {path}: {_first_line(error)}"]
    if path.suffix == ".jsonl" and list(found) == ["json"]:
        # DuckDB falls back to one `json` column when lines are not objects, or there are none.
        return [f"{path} holds no JSON objects, one per line, to read columns from"]
    problems = []
    missing = [name for name in required_columns(table) if name not in found]
    if missing:
        problems.append(f"{path} lacks required columns {', '.join(missing)}")
    for column in TABLES[table]:
        if column.name in found:
            problem = _type_problem(connection, path, column, found[column.name])
            if problem:
                problems.append(f"{path} {problem}")
    return problems


def _type_problem(
    connection: duckdb.DuckDBPyConnection, path: Path, column: Column, found: str
) -> str | None:
    """Why `found`, the DuckDB type of `column` in the file at `path`, breaks the contract."""
    base_type = found.split("(")[0].strip('"')
    if base_type == NULL_TYPE:
        return None
    accepted, described = ACCEPTED_TYPES[column.type]
    if base_type not in accepted:
        mixed = " (its values mix JSON types)" if base_type == "JSON" else ""
        return (
            f"column {column.name} is {found}{mixed}; the contract says {column.type} ({described})"
        )
    if column.type == "timestamp" and base_type == "VARCHAR":
        text = _text_that_is_not_a_timestamp(connection, path, column.name)
        if text is not None:
            return f"column {column.name} holds {text!r}, which is not an ISO 8601 timestamp"
    return None


def _text_that_is_not_a_timestamp(
    connection: duckdb.DuckDBPyConnection, path: Path, name: str
) -> str | None:
    """The first value of a text column that does not read as an instant, if any."""
    if path.suffix == ".parquet":
        # A lambda, as `columns(?)` would read the name as a pattern matching `original_<name>`.
        landed = "(select columns(lambda column_name: column_name = ?) from read_parquet(?))"
        parameters = [name, str(path)]
    else:
        # Naming the one column spares inferring the others' types again.
        landed = "read_json(?, format = 'newline_delimited', columns = ?)"
        parameters = [str(path), {name: "VARCHAR"}]
    row = connection.execute(
        f"select value from {landed} as landed(value)"
        " where value is not null and try_cast(value as timestamptz) is null limit 1",
        parameters,
    ).fetchone()
    return None if row is None else row[0]


def _first_line(error: Exception) -> str:
    # DuckDB appends the failing SQL to its messages; the first line says what went wrong.
    return str(error).splitlines()[0]
