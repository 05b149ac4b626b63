"""The command line answers bad arguments and a missing warehouse with one clear line."""

from __future__ import annotations

import pytest

from activation.cli import main


@pytest.fixture
def no_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "absent.duckdb"
    monkeypatch.setenv("ACTIVATION_WAREHOUSE_PATH", str(path))
    return path


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["approve", "win_back_email", "--removals", "-5"], "must be at least 0, not -5"),
        (["runs", "--limit", "-1"], "must be at least 1, not -1"),
        (["runs", "--limit", "lots"], "'lots' is not a whole number"),
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(argv, problem, no_warehouse, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert problem in capsys.readouterr().err
    assert not no_warehouse.exists()


@pytest.mark.parametrize("argv", [["runs"], ["preview", "win_back_email"]])
def test_a_missing_warehouse_is_one_line_naming_it(argv, no_warehouse, capsys):
    assert main(argv) == 1
    error = capsys.readouterr().err
    assert str(no_warehouse) in error and "build the dbt project first" in error
    assert "Traceback" not in error


def test_an_unknown_sync_lists_the_known_ones(no_warehouse, capsys):
    assert main(["preview", "no_such_sync"]) == 2
    error = capsys.readouterr().err
    assert "no such sync" in error and "win_back_email" in error


def test_help_says_which_warehouse_is_used(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "ACTIVATION_WAREHOUSE_PATH" in capsys.readouterr().out
