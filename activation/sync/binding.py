"""Which destination, endpoint and target each sync's ledger rows were delivered to.

The ledger is keyed by sync name. If a sync's declaration is edited to point at another
destination or target, its ledger rows would describe the wrong place: the new destination would
be treated as already holding everyone, and the old one would keep its members with nobody
managing them; ids the old account assigned could even name someone else in the new one. So the
first delivery binds a sync to its destination, endpoint and target, and a sync whose binding no
longer matches its configuration is refused while its ledger holds anyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from activation.sync.warehouse import BINDINGS_TABLE, LEDGER_TABLE

if TYPE_CHECKING:
    from activation.config import SyncConfig


class SyncRetargeted(RuntimeError):
    """A sync now points somewhere other than where its ledger rows were delivered."""


def check_binding(
    connection: duckdb.DuckDBPyConnection, sync: SyncConfig, *, dry_run: bool = False
) -> None:
    """Refuse a retargeted sync that still holds people; otherwise record its binding.

    Raises:
        SyncRetargeted: The declaration names another destination or target than the one the
            ledger's rows for this sync were delivered to.
    """
    bound = connection.execute(
        f"select destination, endpoint, target from {BINDINGS_TABLE} where sync_id = ?",
        [sync.name],
    ).fetchone()
    declared = (sync.destination.name, sync.destination.endpoint, sync.target)
    if bound is not None and bound[1] is None:
        bound = (bound[0], declared[1], bound[2])  # bound before endpoints were recorded
    if bound is not None and tuple(bound) != declared:
        held = connection.execute(
            f"select count(*) from {LEDGER_TABLE} where sync_id = ?", [sync.name]
        ).fetchone()[0]
        if held:
            raise SyncRetargeted(
                f"sync {sync.name!r} now points at {_place(declared)}, but the ledger holds "
                f"{held} people it delivered to {_place(bound)}. Sending on would treat the new "
                "place as already holding them and leave them unmanaged in the old one. Point "
                "the sync back, or declare the new place as a new sync (a new name starts an "
                "empty ledger) and retire the old one deliberately."
            )
    if not dry_run:
        connection.execute(
            f"insert or replace into {BINDINGS_TABLE} "
            "(sync_id, destination, endpoint, target, bound_at) values (?, ?, ?, ?, now())",
            [sync.name, *declared],
        )


def _place(binding) -> str:
    destination, endpoint, target = binding
    return (
        f"destination {destination!r} at {endpoint or 'an unrecorded endpoint'}, target {target!r}"
    )
