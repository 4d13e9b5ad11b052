"""Streaming XES import: attributes and types, chunking, hostile and damaged files, real logs."""

from __future__ import annotations

import datetime as dt
import gzip
import tracemalloc
import warnings
from pathlib import Path

import pyarrow as pa
import pytest

from orglens.errors import InvalidWorkspace
from orglens.io import xes
from orglens.io.eventlog import import_report, read_events
from orglens.io.xes import read_xes

UTC = dt.UTC
HEAD = '<?xml version="1.0" encoding="UTF-8" ?>\n<log xmlns="http://www.xes-standard.org/">\n'


def event(activity: str, when: str, *extra: str) -> str:
    attributes = "".join(extra)
    return (
        f'<event><string key="concept:name" value="{activity}"/>'
        f'<date key="time:timestamp" value="{when}"/>{attributes}</event>\n'
    )


def trace(case: str, *events: str, attributes: str = "") -> str:
    name = f'<string key="concept:name" value="{case}"/>'
    return f"<trace>{name}{attributes}\n{''.join(events)}</trace>\n"


def log(*traces: str, head: str = HEAD) -> str:
    return head + "".join(traces) + "</log>\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def only_problem(error: pytest.ExceptionInfo[InvalidWorkspace]) -> str:
    assert len(error.value.problems) == 1, error.value.problems
    return str(error.value.problems[0])


SMALL = log(
    trace(
        "c1",
        event(
            "Submit",
            "2024-03-01T10:00:00.000+01:00",
            '<string key="org:resource" value="ann"/>',
            '<int key="amount" value="5"/>',
            '<float key="score" value="0.5"/>',
            '<boolean key="urgent" value="true"/>',
        ),
        event("Approve", "2024-03-01T12:00:00", '<string key="org:group" value="Back office"/>'),
        attributes='<date key="opened" value="2024-02-29T23:00:00Z"/>',
    ),
    trace("c2", event("Submit", "2024-03-02T08:00:00.000+00:00")),
)


def test_events_get_xes_attributes_trace_attributes_and_types(tmp_path: Path) -> None:
    table = read_xes(write(tmp_path, "log.xes", SMALL)).table
    assert table.column_names == [
        "concept:name",
        "time:timestamp",
        "org:resource",
        "amount",
        "score",
        "urgent",
        "org:group",
        "case:concept:name",
        "case:opened",
    ]
    types = {field.name: field.type for field in table.schema}
    assert types["amount"] == pa.int64()
    assert types["score"] == pa.float64()
    assert types["urgent"] == pa.bool_()
    assert types["case:opened"] == pa.timestamp("us", tz="UTC")
    assert table.column("case:concept:name").to_pylist() == ["c1", "c1", "c2"]
    assert table.column("amount").to_pylist() == [5, None, None]


def test_read_events_maps_an_xes_log_to_the_canonical_table(tmp_path: Path) -> None:
    table = read_events(write(tmp_path, "log.xes", SMALL))
    assert table.select(["case_id", "activity", "resource", "group", "position"]).to_pylist() == [
        {"case_id": "c1", "activity": "Submit", "resource": "ann", "group": None, "position": 0},
        {
            "case_id": "c1",
            "activity": "Approve",
            "resource": None,
            "group": "Back office",
            "position": 1,
        },
        {"case_id": "c2", "activity": "Submit", "resource": None, "group": None, "position": 2},
    ]


def test_offsets_are_converted_to_utc_and_dates_without_one_taken_as_utc(tmp_path: Path) -> None:
    table = read_events(write(tmp_path, "log.xes", SMALL))
    assert table.column("timestamp").to_pylist() == [
        dt.datetime(2024, 3, 1, 9, tzinfo=UTC),
        dt.datetime(2024, 3, 1, 12, tzinfo=UTC),
        dt.datetime(2024, 3, 2, 8, tzinfo=UTC),
    ]


def test_a_gzipped_log_reads_like_the_plain_one(tmp_path: Path) -> None:
    plain = read_events(write(tmp_path, "log.xes", SMALL))
    packed = read_events(write(tmp_path, "log.xes.gz", SMALL))
    assert packed.to_pylist() == plain.to_pylist()


def test_nested_list_and_global_attributes_do_not_leak_into_events(tmp_path: Path) -> None:
    text = log(
        trace(
            "c1",
            event(
                "a",
                "2024-01-01T00:00:00Z",
                '<string key="note" value="kept"><string key="inner" value="nested"/></string>',
                '<list key="items"><values><string key="concept:name" value="leak"/>'
                "</values></list>",
            ),
            attributes='<container key="box"><string key="hidden" value="x"/></container>',
        ),
        head=HEAD + '<global scope="event"><string key="org:resource" value="UNKNOWN"/></global>\n'
        '<string key="log attribute" value="not an event"/>\n',
    )
    table = read_xes(write(tmp_path, "log.xes", text)).table
    assert table.to_pylist() == [
        {
            "concept:name": "a",
            "time:timestamp": dt.datetime(2024, 1, 1, tzinfo=UTC),
            "note": "kept",
            "case:concept:name": "c1",
        }
    ]


def test_a_key_seen_with_two_types_is_text(tmp_path: Path) -> None:
    text = log(
        trace(
            "c1",
            event("a", "2024-01-01T00:00:00Z", '<int key="code" value="7"/>'),
            event("b", "2024-01-02T00:00:00Z", '<float key="code" value="7.5"/>'),
            event("c", "2024-01-03T00:00:00Z", '<string key="code" value="n/a"/>'),
        )
    )
    table = read_xes(write(tmp_path, "log.xes", text)).table
    assert table.column("code").to_pylist() == ["7", "7.5", "n/a"]


def test_events_split_across_blocks_and_chunks_are_kept_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xes, "_READ_SIZE", 37)
    monkeypatch.setattr(xes, "CHUNK_EVENTS", 2)
    whole = read_xes(write(tmp_path, "log.xes", SMALL)).table
    text = log(
        *(
            trace(f"c{i}", *(event(f"a{j}", "2024-01-01T00:00:00Z") for j in range(3)))
            for i in range(7)
        )
    )
    table = read_events(write(tmp_path, "many.xes", text))
    assert table.num_rows == 21
    assert table.column("activity").to_pylist() == [f"a{j}" for _ in range(7) for j in range(3)]
    assert table.column("case_id").to_pylist() == [f"c{i}" for i in range(7) for _ in range(3)]
    assert whole.column("amount").to_pylist() == [5, None, None]


def test_python_memory_does_not_grow_with_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xes, "CHUNK_EVENTS", 500)
    monkeypatch.setattr(xes, "_READ_SIZE", 1 << 14)
    one = event(
        "Handle lead", "2024-01-01T10:00:00.000+01:00", '<string key="org:resource" value="10629"/>'
    )

    def peak(traces: int) -> int:
        path = write(
            tmp_path, f"log{traces}.xes", log(*(trace(f"case {i}", one * 5) for i in range(traces)))
        )
        tracemalloc.start()
        read_xes(path)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(10)  # the first read imports modules, which tracemalloc would count
    small, large = peak(400), peak(3200)
    # Eight times the events, but Python holds one block of input and one chunk of events at a
    # time; the output grows in Arrow memory, which tracemalloc does not see.
    assert large < 2 * small


def test_progress_is_reported_up_to_the_file_size(tmp_path: Path) -> None:
    path = write(tmp_path, "log.xes.gz", SMALL)
    calls: list[tuple[int, int]] = []
    read_xes(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)


XXE = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<log><trace><string key="concept:name" value="&secret;"/></trace></log>
"""
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">\n' for i in range(9)
    )
    + ']>\n<log><trace><string key="concept:name" value="&lol8;"/></trace></log>\n'
)


@pytest.mark.parametrize("text", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_a_doctype_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    fed: list[bytes] = []
    monkeypatch.setattr(xes, "_feed", lambda parser, data, final, source: fed.append(data))
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "hostile.xes.gz", text))
    assert only_problem(error).startswith("hostile.xes.gz:2: the XES file declares a DOCTYPE — ")
    assert fed == []


def test_a_doctype_hidden_after_a_long_comment_is_refused_by_the_parser(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?>\n<!--' + "x" * (2 << 20) + "-->\n" + XXE.split("\n", 1)[1]
    with pytest.raises(InvalidWorkspace) as error:
        read_xes(write(tmp_path, "hostile.xes", text))
    assert only_problem(error).startswith("hostile.xes:3: the XES file declares a DOCTYPE")


def test_an_undeclared_entity_is_a_parse_error(tmp_path: Path) -> None:
    text = log(trace("&secret;", event("a", "2024-01-01T00:00:00Z")))
    with pytest.raises(InvalidWorkspace) as error:
        read_xes(write(tmp_path, "log.xes", text))
    assert only_problem(error).startswith(
        "log.xes:3: the file is not well-formed XML (undefined entity"
    )


def test_a_truncated_gz_is_refused(tmp_path: Path) -> None:
    data = gzip.compress(
        log(*(trace(f"c{i}", event("a", "2024-01-01T00:00:00Z")) for i in range(500))).encode()
    )
    path = write(tmp_path, "log.xes", data[: len(data) // 2])
    path = path.rename(tmp_path / "cut.xes.gz")
    with pytest.raises(InvalidWorkspace) as error:
        read_events(path)
    assert only_problem(error).startswith("cut.xes.gz: the compressed file is damaged or truncated")


def test_a_cut_xml_file_is_refused_as_truncated(tmp_path: Path) -> None:
    text = SMALL[: SMALL.index('<trace><string key="concept:name" value="c2"')]
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "cut.xes", text))
    assert "the XES file ends before the log is complete" in only_problem(error)


def test_a_file_that_is_not_xml_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "log.xes", "case,activity\nc1,a\n"))
    assert only_problem(error).startswith("log.xes:1: the file is not well-formed XML")


def test_an_event_without_timestamp_is_reported_with_its_line(tmp_path: Path) -> None:
    text = log(
        trace(
            "c1",
            event("a", "2024-01-01T00:00:00Z"),
            '<event><string key="concept:name" value="b"/></event>\n',
        )
    )
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "log.xes", text))
    assert only_problem(error).startswith("log.xes:5: event #2 has no timestamp")


def test_an_unparsable_timestamp_is_reported_with_line_and_value(tmp_path: Path) -> None:
    text = log(trace("c1", event("a", "2024-01-01T00:00:00Z"), event("b", "yesterday")))
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "log.xes", text))
    assert only_problem(error).startswith("log.xes:5: date 'time:timestamp' has value 'yesterday'")


def test_a_log_without_events_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidWorkspace) as error:
        read_events(write(tmp_path, "log.xes", log(trace("c1"))))
    assert only_problem(error).startswith("log.xes: the log has no events")


# --- the real logs -------------------------------------------------------------------------

#: events, cases, activities, resources, events without resource, groups: SOURCES.md.
PUBLISHED = {
    "06_bpic2013_closed.xes.gz": (6660, 1487, 4, 585, 0, 15),
    "07_bpic2013_incidents.xes.gz": (65533, 7554, 4, 1440, 0, 649),
    "08_receipt.xes.gz": (8577, 1434, 27, 48, 0, 10),
    "bpic2012.xes.gz": (262200, 13087, 24, 68, 18010, 0),
    "helpdesk.xes.gz": (21348, 4580, 14, 22, 0, 0),
    "roadtraffic100traces.xes": (390, 100, 10, 54, 290, 0),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_every_real_log_imports_with_its_published_counts(shared_data: Path, name: str) -> None:
    report = import_report(read_events(shared_data / "eventlogs" / name))
    counts = (
        report.events,
        report.cases,
        report.activities,
        report.resources,
        report.events_without_resource,
        report.groups,
    )
    assert counts == PUBLISHED[name]


@pytest.mark.realdata
def test_the_receipt_log_reports_its_empty_group_placeholder(shared_data: Path) -> None:
    report = import_report(read_events(shared_data / "eventlogs" / "08_receipt.xes.gz"))
    assert report.placeholders == {"group": {"EMPTY": 1936}}


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["roadtraffic100traces.xes", "08_receipt.xes.gz"])
def test_events_equal_pm4py_read_xes_in_the_same_order(shared_data: Path, name: str) -> None:
    pm4py = pytest.importorskip("pm4py")
    path = shared_data / "eventlogs" / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pm4py.read_xes(str(path), variant="iterparse", show_progress_bar=False)
    ours = read_events(path)

    def text(values: list[object]) -> list[object]:
        return [None if value != value else value for value in values]  # NaN → None

    assert ours.column("case_id").to_pylist() == list(theirs["case:concept:name"])
    assert ours.column("activity").to_pylist() == list(theirs["concept:name"])
    assert ours.column("resource").to_pylist() == text(list(theirs["org:resource"]))
    assert ours.column("timestamp").to_pylist() == [
        moment.to_pydatetime() for moment in theirs["time:timestamp"]
    ]
    shared = set(ours.column_names) & set(theirs.columns)
    for name_ in sorted(shared - {"time:timestamp"}):
        values = [
            value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
            for value in theirs[name_]
        ]
        assert ours.column(name_).to_pylist() == text(values), name_
