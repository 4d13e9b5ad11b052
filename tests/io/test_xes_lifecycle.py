"""XES lifecycle transitions: only completions by default, or every event as activity+transition."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pytest

from orglens.errors import InvalidWorkspace, UsageError
from orglens.io import import_report, read_events, read_log, write_events

BPIC2012 = Path(__file__).parents[2].parent / "shared" / "data" / "eventlogs" / "bpic2012.xes.gz"


def event(activity: str, transition: str | None, hour: int, resource: str = "ann") -> str:
    lifecycle = f'<string key="lifecycle:transition" value="{transition}"/>' if transition else ""
    return (
        f'<event><string key="concept:name" value="{activity}"/>{lifecycle}'
        f'<string key="org:resource" value="{resource}"/>'
        f'<date key="time:timestamp" value="2024-03-01T{hour:02d}:00:00Z"/></event>\n'
    )


def xes(*traces: tuple[str, list[str]]) -> str:
    body = "".join(
        f'<trace><string key="concept:name" value="{case}"/>\n{"".join(events)}</trace>\n'
        for case, events in traces
    )
    return f'<log xmlns="http://www.xes-standard.org/">\n{body}</log>\n'


@pytest.fixture
def started_log(tmp_path: Path) -> Path:
    """Case c1: 'Call' scheduled, started and completed; 'Offer' without a transition."""
    path = tmp_path / "log.xes"
    path.write_text(
        xes(
            (
                "c1",
                [
                    event("Call", "SCHEDULE", 8),
                    event("Call", "START", 9),
                    event("Call", "COMPLETE", 10),
                    event("Offer", None, 11),
                ],
            ),
            ("c2", [event("Call", "start", 9), event("Call", "complete", 12)]),
        )
    )
    return path


def test_only_completions_are_kept_when_starts_are_recorded_too(started_log: Path) -> None:
    table = read_events(started_log)
    assert table.column("activity").to_pylist() == ["Call", "Offer", "Call"]
    assert table.column("case_id").to_pylist() == ["c1", "c1", "c2"]
    assert [t.hour for t in table.column("timestamp").to_pylist()] == [10, 11, 12]


def test_the_report_says_how_many_events_were_left_out(started_log: Path) -> None:
    report = import_report(read_events(started_log))
    assert report.events == 3
    assert (
        "lifecycle: left out 3 of 6 events that are not completions (start 2, schedule 1), "
        "kept 3 — give --lifecycle both to keep every event, as 'activity+transition'"
    ) in report.warnings


def test_both_keeps_every_event_as_activity_plus_transition(started_log: Path) -> None:
    table = read_events(started_log, lifecycle="both")
    assert table.column("activity").to_pylist() == [
        "Call+schedule",
        "Call+start",
        "Call+complete",
        "Offer",
        "Call+start",
        "Call+complete",
    ]
    assert not any("lifecycle" in warning for warning in import_report(table).warnings)


def test_a_log_of_completions_only_is_read_whole_and_without_a_word(tmp_path: Path) -> None:
    path = tmp_path / "done.xes"
    path.write_text(xes(("c1", [event("Call", "complete", 9), event("Offer", "complete", 10)])))
    table = read_events(path)
    assert table.num_rows == 2
    assert not any("lifecycle" in warning for warning in import_report(table).warnings)


def test_a_log_without_transitions_is_the_same_either_way(tmp_path: Path) -> None:
    path = tmp_path / "plain.xes"
    path.write_text(xes(("c1", [event("Call", None, 9), event("Offer", None, 10)])))
    complete, both = read_events(path), read_events(path, lifecycle="both")
    assert complete.column("activity").to_pylist() == both.column("activity").to_pylist()


def test_errors_after_the_selection_point_at_the_source_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "case,activity,lifecycle:transition,timestamp\n"
        "c1,Call,start,2024-03-01T09:00:00Z\n"
        "c1,Call,complete,2024-03-01T10:00:00Z\n"
        "c1,Offer,start,2024-03-01T10:30:00Z\n"
        "c1,Offer,complete,soon\n"
    )
    with pytest.raises(InvalidWorkspace) as raised:
        read_events(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == ("bad.csv", 5)


def test_a_csv_export_of_an_xes_log_is_read_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "case:concept:name,concept:name,lifecycle:transition,time:timestamp\n"
        "c1,Call,start,2024-03-01T09:00:00Z\n"
        "c1,Call,complete,2024-03-01T10:00:00Z\n"
    )
    assert read_events(path).column("activity").to_pylist() == ["Call"]
    both = read_events(path, lifecycle="both").column("activity").to_pylist()
    assert both == ["Call+start", "Call+complete"]


def test_a_parquet_written_by_orglens_is_not_selected_twice(
    started_log: Path, tmp_path: Path
) -> None:
    out = write_events(read_events(started_log, lifecycle="both"), tmp_path / "events.parquet")
    assert read_events(out).num_rows == 6


def test_read_log_passes_the_lifecycle_on(started_log: Path) -> None:
    assert read_log(started_log, lifecycle="both").count().to_pyarrow().as_py() == 6
    assert read_log(started_log).count().to_pyarrow().as_py() == 3


def test_an_unknown_lifecycle_is_a_usage_error(started_log: Path) -> None:
    with pytest.raises(UsageError, match=r"^--lifecycle: lifecycle is 'start'"):
        read_events(started_log, lifecycle="start")  # type: ignore[arg-type]


@pytest.mark.realdata
def test_bpic2012_keeps_its_164506_completions_of_262200_events() -> None:
    if not BPIC2012.exists():
        pytest.skip(f"real data not found at {BPIC2012}")
    table = read_events(BPIC2012)
    assert table.num_rows == 164_506
    assert set(pc.unique(table.column("lifecycle:transition")).to_pylist()) == {"COMPLETE"}
    warning = next(w for w in import_report(table).warnings if w.startswith("lifecycle:"))
    assert warning.startswith(
        "lifecycle: left out 97,694 of 262,200 events that are not completions "
        "(start 71,376, schedule 26,318), kept 164,506"
    )
    both = read_events(BPIC2012, lifecycle="both")
    assert both.num_rows == 262_200
    assert "W_Completeren aanvraag+start" in pc.unique(both.column("activity")).to_pylist()
