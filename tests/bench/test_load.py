"""The load benchmark of the web workspace (bench/load.py), in its tiniest run: the real server
in a subprocess, two users for three seconds. No timing is asserted, only that every kind of
request was made and answered as expected."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load


def test_percentiles_are_taken_by_nearest_rank() -> None:
    assert load.percentile([0.3, 0.1, 0.2], 50) == 0.2
    assert load.percentile([0.3, 0.1, 0.2], 99) == 0.3
    assert load.percentile(list(range(1, 11)), 90) == 9


def test_a_row_counts_its_errors_and_its_slowest_request() -> None:
    samples = [load.Sample("comment", "", 0.01, None), load.Sample("comment", "", 0.5, "HTTP 500")]
    row = load.Row.of("comment", samples)
    assert (row.count, row.errors, row.max) == (2, 1, 0.5)
    assert row.cells() == "| comment | 2 | 1 | 10 | 500 | 500 | 500 |"


def test_computed_pages_are_reported_cold_and_warm_apart() -> None:
    samples = [
        load.Sample("dashboard", "cold", 0.4, None),
        load.Sample("dashboard", "warm", 0.01, None),
        load.Sample("dashboard", "warm", 0.02, None),
    ]
    rows = {row.label: row for row in load.rows_of(samples)}
    assert rows["dashboard (cold)"].count == 1
    assert rows["dashboard (warm)"].count == 2
    assert rows["**all pages**"].count == 3
    assert rows["**all pages, warm only**"].max == 0.02


@pytest.mark.parametrize("workers", [1, 2])
def test_two_users_for_three_seconds_make_every_kind_of_request_without_error(
    capsys: pytest.CaptureFixture[str], workers: int
) -> None:
    outcome = load.main(
        [
            *("--users", "2", "--seconds", "3", "--think", "0.1", "--uploads", "4"),
            *("--workers", str(workers)),
        ]
    )
    printed = capsys.readouterr().out
    assert ("2 processes" in printed) is (workers == 2)
    assert "| request | count | errors | p50 | p95 | p99 | max |" in printed
    kinds = {sample.kind for sample in outcome.samples}
    assert kinds == {*load.CYCLE, load.UPLOAD}
    assert [s for s in outcome.samples if s.error is not None] == []
    assert {s.phase for s in outcome.samples if s.kind == "dashboard"} >= {"cold"}
    assert outcome.comments > 0
    assert outcome.versions >= 3  # two in the setup, at least one upload in the run
    assert "- No errors: met (0 of" in printed
    assert outcome.server_cpu_s is not None and outcome.server_cpu_s > 0
