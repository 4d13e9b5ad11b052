"""Streaming XES import: attributes and types, chunking, hostile and damaged files, real logs."""

from __future__ import annotations

import datetime as dt
import gzip
import math
import sys
import tempfile
import tracemalloc
import warnings
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orglens.errors import InvalidWorkspace, UsageError
from orglens.io import xes, xes_expat, xes_rustxes
from orglens.io.eventlog import import_report, read_events
from orglens.io.xes import READER_VARIABLE, XesLog, read_xes

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


def test_a_key_typed_in_one_chunk_and_text_in_a_later_one_is_text_throughout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xes_expat, "READ_SIZE", 64)
    monkeypatch.setattr(xes_expat, "CHUNK_EVENTS", 1)
    text = log(
        trace("c1", event("a", "2024-01-01T00:00:00Z", '<int key="code" value="7"/>')),
        trace("c2", event("b", "2024-01-02T00:00:00Z", '<string key="code" value="n/a"/>')),
        trace("c3", event("c", "2024-01-03T00:00:00Z", '<int key="code" value="8"/>')),
    )
    table = read_xes(write(tmp_path, "log.xes", text), reader="expat").table
    assert table.column("code").to_pylist() == ["7", "n/a", "8"]


def test_events_split_across_blocks_and_chunks_are_kept_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xes_expat, "READ_SIZE", 37)
    monkeypatch.setattr(xes_expat, "CHUNK_EVENTS", 2)
    monkeypatch.setenv(READER_VARIABLE, "expat")  # the chunks are the expat reader's
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
    monkeypatch.setattr(xes_expat, "CHUNK_EVENTS", 500)
    monkeypatch.setattr(xes_expat, "READ_SIZE", 1 << 14)
    one = event(
        "Handle lead", "2024-01-01T10:00:00.000+01:00", '<string key="org:resource" value="10629"/>'
    )

    def peak(traces: int) -> int:
        path = write(
            tmp_path, f"log{traces}.xes", log(*(trace(f"case {i}", one * 5) for i in range(traces)))
        )
        tracemalloc.start()
        read_xes(path, reader="expat")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(10)  # the first read imports modules, which tracemalloc would count
    small, large = peak(400), peak(3200)
    # Eight times the events, but Python holds one block of input and one chunk of events at a
    # time; the output grows in Arrow memory, which tracemalloc does not see.
    assert large < 2 * small


@pytest.mark.parametrize("reader", ["auto", "expat"])
def test_progress_is_reported_up_to_the_file_size(tmp_path: Path, reader: xes.Reader) -> None:
    path = write(tmp_path, "log.xes.gz", SMALL)
    calls: list[tuple[int, int]] = []
    read_xes(path, progress=lambda done, total: calls.append((done, total)), reader=reader)
    size = path.stat().st_size
    assert calls[-1] == (size, size)
    assert all(done <= total == size for done, total in calls)


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
    monkeypatch.setattr(xes_expat, "_feed", lambda parser, data, final, source: fed.append(data))
    monkeypatch.setattr(xes_rustxes, "_quietly", lambda call: fed.append(b"rustxes ran"))
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


# --- the two readers: rustxes and expat give the same table, or the same error ---------------


def outcome(path: Path, reader: xes.Reader) -> tuple[str, object]:
    """What a reader makes of a file: its table as plain values (NaN as a string, so that
    equal tables compare equal), or its error message."""
    try:
        table = read_xes(path, reader=reader).table
    except InvalidWorkspace as error:
        return "error", str(error)
    columns = [
        (
            field.name,
            str(field.type),
            [
                "nan" if isinstance(value, float) and math.isnan(value) else value
                for value in table.column(field.name).to_pylist()
            ],
        )
        for field in table.schema
    ]
    return "table", columns


def assert_same_outcome(path: Path) -> XesLog | None:
    """Both readers agree on ``path``; the default reader's log, if there is one."""
    assert outcome(path, "auto") == outcome(path, "expat")
    try:
        return read_xes(path)
    except InvalidWorkspace:
        return None


def read_by(path: Path) -> str:
    found = assert_same_outcome(path)
    assert found is not None
    return found.reader


def test_a_plain_log_is_read_by_rustxes_with_the_expat_readers_table(tmp_path: Path) -> None:
    for name in ("log.xes", "log.xes.gz"):
        found = read_xes(write(tmp_path, name, SMALL))
        assert (found.reader, found.fallback) == ("rustxes", None)
        assert found.table.equals(read_xes(tmp_path / name, reader="expat").table)


def test_global_defaults_are_not_filled_into_events_by_either_reader(tmp_path: Path) -> None:
    head = HEAD + (
        '<global scope="trace"><string key="channel" value="UNKNOWN"/></global>\n'
        '<global scope="event"><string key="org:role" value="UNKNOWN"/>'
        '<date key="time:timestamp" value="1970-01-01T00:00:00+01:00"/></global>\n'
    )
    text = log(
        trace("c1", event("a", "2024-01-01T00:00:00Z", '<string key="org:role" value="clerk"/>')),
        trace(
            "c2",
            event("b", "2024-01-02T00:00:00Z"),
            attributes='<string key="channel" value="web"/>',
        ),
        head=head,
    )
    path = write(tmp_path, "log.xes.gz", text)
    assert read_by(path) == "rustxes"
    table = read_xes(path).table
    assert table.column("org:role").to_pylist() == ["clerk", None]
    assert table.column("case:channel").to_pylist() == [None, "web"]


def test_columns_come_in_the_order_keys_first_appear_whatever_rustxes_gives(
    tmp_path: Path,
) -> None:
    text = log(
        trace(
            "c1",
            event("a", "2024-01-01T00:00:00Z", '<string key="zeta" value="1"/>'),
            event(
                "b",
                "2024-01-02T00:00:00Z",
                '<string key="omega" value="2"/>',
                '<string key="alpha" value="3"/>',
            ),
            attributes='<string key="y" value="4"/><string key="b" value="5"/>',
        ),
        trace("c2", attributes='<string key="only here" value="no events"/>'),
        trace(
            "c3",
            event("c", "2024-01-03T00:00:00Z", '<string key="beta" value="6"/>'),
            attributes='<string key="m" value="7"/><string key="a" value="8"/>',
        ),
    )
    path = write(tmp_path, "log.xes", text)
    assert read_by(path) == "rustxes"
    assert read_xes(path).table.column_names == [
        "concept:name",
        "time:timestamp",
        "zeta",
        "omega",
        "alpha",
        "beta",
        "case:concept:name",
        "case:y",
        "case:b",
        "case:m",
        "case:a",
    ]


def test_timestamps_agree_to_the_microsecond_before_1970_and_beyond_six_digits(
    tmp_path: Path,
) -> None:
    text = log(
        trace(
            "c1",
            event("a", "2024-03-01T10:00:00.1234567+01:00"),
            event("b", "1960-03-01T10:00:00.9999999-05:30"),
            event("c", "2011-10-01T00:38:44.546+02:00"),
            event("d", "2011-10-01T00:38:44"),
        )
    )
    path = write(tmp_path, "log.xes", text)
    assert read_by(path) == "rustxes"
    assert read_xes(path).table.column("time:timestamp").to_pylist() == [
        dt.datetime(2024, 3, 1, 9, 0, 0, 123456, tzinfo=UTC),
        dt.datetime(1960, 3, 1, 15, 30, 0, 999999, tzinfo=UTC),
        dt.datetime(2011, 9, 30, 22, 38, 44, 546000, tzinfo=UTC),
        dt.datetime(2011, 10, 1, 0, 38, 44, tzinfo=UTC),
    ]


def test_the_log_header_is_skipped_however_it_falls_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- written by <trace> tools -->\n<?pi x?>\n'
        '<log xmlns="http://www.xes-standard.org/">\n<extension name="Concept" prefix="concept" '
        'uri="x"/>\n<global scope="event"><string key="org:resource" value="UNKNOWN"/></global>'
        '\n<classifier name="c" keys="concept:name"/>\n<float key="meta" value="1.5"><string '
        'key="nested" value="&lt;trace&gt;"/></float>\n<!-- <trace> --><![CDATA[<trace>]]>\n'
    )
    text = log(SMALL.split("\n", 2)[2].rsplit("</log>", 1)[0], head=head)
    path = write(tmp_path, "log.xes", text)
    whole = read_xes(path)
    monkeypatch.setattr(xes_rustxes, "READ_SIZE", 7)
    monkeypatch.setattr(xes_expat, "READ_SIZE", 7)
    assert read_by(path) == "rustxes"
    assert read_xes(path).table.equals(whole.table)
    assert whole.table.equals(read_xes(write(tmp_path, "small.xes", SMALL)).table)


def test_a_multi_member_gz_is_read_whole(tmp_path: Path) -> None:
    data = log(*(trace(f"c{i}", event("a", "2024-01-01T00:00:00Z")) for i in range(3))).encode()
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(data[:300]) + gzip.compress(data[300:]))
    assert read_by(path) == "rustxes"
    assert read_xes(path).table.num_rows == 3


def one_event(*extra: str, when: str = "2024-01-01T00:00:00Z", activity: str = "a") -> str:
    """A log of one trace with one event, with ``extra`` event attributes."""
    return log(trace("c1", event(activity, when, *extra)))


PLAIN = one_event()

#: Files that rustxes alone would read differently, or not at all: each goes to the expat
#: reader, which gives its table or its error.
FALLBACKS = {
    "id attribute": one_event('<id key="i" value="A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"/>'),
    "list attribute": one_event(
        '<list key="l"><values><string key="x" value="y"/></values></list>'
    ),
    "empty container": log(
        trace("c1", event("a", "2024-01-01T00:00:00Z"), attributes='<container key="box"/>')
    ),
    "int with a sign": one_event('<int key="n" value="+5"/>'),
    "int with spaces": one_event('<int key="n" value=" 5 "/>'),
    "int that is not": one_event('<int key="n" value="x"/>'),
    "boolean as 1": one_event('<boolean key="b" value="1"/>'),
    "two types": log(
        trace(
            "c1",
            event("a", "2024-01-01T00:00:00Z", '<int key="n" value="7"/>'),
            event("b", "2024-01-02T00:00:00Z", '<float key="n" value="7.50"/>'),
        )
    ),
    "lowercase z": one_event(when="2024-01-01T10:00:00z"),
    "colon before the fraction": one_event(when="2024-01-01T10:00:00:123+01:00"),
    "leap second": one_event(when="2016-12-31T23:59:60Z"),
    "date only": one_event(when="2024-01-01"),
    "other date not a date": one_event('<date key="due" value="soon"/>'),
    "date beyond 2262": one_event(when="9999-12-31T23:59:59Z"),
    "tab in a value": one_event(activity="a\tb"),
    "newline reference": one_event(activity="a&#10;b"),
    "bare ampersand": one_event(activity="R & D"),
    "undefined entity": one_event(activity="&secret;"),
    "entity in a key": one_event('<string key="R&amp;D" value="x"/>'),
    "event key like a trace key": one_event('<string key="case:concept:name" value="E"/>'),
    "event between traces": log(
        trace("c1", event("a", "2024-01-01T00:00:00Z")),
        '<event><string key="concept:name" value="x"/></event>\n',
        trace("c2", event("b", "2024-01-01T00:00:00Z")),
    ),
    "value without key": one_event('<string value="x"/>'),
    "unknown element": one_event('<foo key="f" value="x"/>'),
    "empty event": log(trace("c1", event("a", "2024-01-01T00:00:00Z"), "<event/>")),
    "prefixed elements": PLAIN.replace("<log ", "<xes:log xmlns:xes='x' ")
    .replace("</log>", "</xes:log>")
    .replace("<trace>", "<xes:trace>")
    .replace("</trace>", "</xes:trace>"),
    "latin-1": PLAIN.replace(
        '<?xml version="1.0" encoding="UTF-8" ?>', '<?xml version="1.0" encoding="ISO-8859-1"?>'
    ).replace('value="a"', 'value="caf\\xe9"'),
    "invalid utf-8": PLAIN.replace('value="a"', 'value="caf\\xe9"'),
    "no end tag": PLAIN.replace("</log>", ""),
    "second log": PLAIN + "<log></log>\n",
    "mismatched tag": PLAIN.replace("</trace>", "</trac>"),
    "no traces": log(),
    "no events": log(trace("c1")),
    "not the root log": '<?xml version="1.0"?>\n<events><trace/></events>\n',
}


def as_bytes(name: str, text: str) -> bytes:
    """The file's bytes: UTF-8, except for the two cases that write é in Latin-1."""
    if name in ("latin-1", "invalid utf-8"):
        return text.replace("\\xe9", "\xe9").encode("latin-1")
    return text.encode()


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_a_file_rustxes_would_read_differently_is_read_by_expat(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], name: str
) -> None:
    path = write(tmp_path, "log.xes.gz", as_bytes(name, FALLBACKS[name]))
    found = assert_same_outcome(path)
    if found is not None:
        assert found.reader == "expat"
        assert found.fallback
    # What rustxes printed (or its panic) was captured: the user sees nothing of it.
    assert capfd.readouterr().err == ""


def test_an_unparsable_timestamp_is_reported_by_the_expat_reader_with_its_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    text = log(trace("c1", event("a", "2024-01-01T00:00:00Z"), event("b", "yesterday")))
    with pytest.raises(InvalidWorkspace) as error:
        read_xes(write(tmp_path, "log.xes", text))
    assert only_problem(error).startswith("log.xes:5: date 'time:timestamp' has value 'yesterday'")
    assert capfd.readouterr().err == ""


def test_the_expat_reader_can_be_asked_for_by_argument_or_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "log.xes", SMALL)
    assert (read_xes(path, reader="expat").reader, read_xes(path).reader) == ("expat", "rustxes")
    monkeypatch.setenv(READER_VARIABLE, "expat")
    found = read_xes(path)
    assert (found.reader, found.fallback) == ("expat", None)
    assert read_xes(path, reader="auto").reader == "rustxes"


def test_an_unknown_reader_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "log.xes", SMALL)
    with pytest.raises(UsageError, match="'lxml', which is not an XES reader"):
        read_xes(path, reader="lxml")  # type: ignore[arg-type]
    monkeypatch.setenv(READER_VARIABLE, "fast")
    with pytest.raises(UsageError, match=f"environment variable {READER_VARIABLE} is 'fast'"):
        read_events(path)


def test_without_rustxes_the_expat_reader_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rustxes", None)  # import rustxes now raises ImportError
    found = read_xes(write(tmp_path, "log.xes", SMALL))
    assert (found.reader, found.fallback) == ("expat", "rustxes is not installed")


def test_the_plain_copy_for_rustxes_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    read_xes(write(tmp_path, "log.xes.gz", SMALL))
    with pytest.raises(InvalidWorkspace):
        read_xes(write(tmp_path, "bad.xes", SMALL.replace("</trace>", "</trac>")))
    assert list((tmp_path / "tmp").iterdir()) == []


#: Values that XES writers produce, and some they should not, for each type.
VALUES = {
    "string": ["Submit", "", " padded ", "R&amp;D", "&lt;b&gt;", "café", "[x]", "a\tb",
               "a\nb", "a&#10;b", "&#38;", "0e6b1f4c-2d3a-4b5c-8d9e-0f1a2b3c4d5e", "T10:00:60"],
    "int": ["5", "-3", "007", "+5", " 8", "x", "9223372036854775808"],
    "float": ["1.5", ".5", "1e3", "-0.0", "inf", "1_0", "7"],
    "boolean": ["true", "false", "TRUE", "1"],
    "date": ["2024-03-01T10:00:00Z", "2024-03-01T10:00:00.123+01:00", "2024-03-01",
             "2024-03-01T10:00:00", "2024-03-01T10:00:00.1234567Z", "1960-01-01T00:00:00.5Z",
             "2024-03-01 10:00:00+01:00", "2024-03-01T10:00:00z", "yesterday"],
    "id": ["0e6b1f4c-2d3a-4b5c-8d9e-0f1a2b3c4d5e", "0E6B1F4C-2D3A-4B5C-8D9E-0F1A2B3C4D5E"],
}  # fmt: skip
KEYS = ["concept:name", "time:timestamp", "org:resource", "amount", "note", "due"]


@st.composite
def attributes(draw: st.DrawFn, most: int) -> str:
    # Unique keys: a key written twice in one element is the known difference (test below).
    chosen = draw(st.lists(st.sampled_from(KEYS), max_size=most, unique=True))
    parts = []
    for key in chosen:
        kind = draw(st.sampled_from([*sorted(VALUES), "list", "container", "nested"]))
        if kind in ("list", "container"):
            inner = '<string key="x" value="y"/>'
            inner = f"<values>{inner}</values>" if kind == "list" else inner
            parts.append(f'<{kind} key="{key}">{inner}</{kind}>')
        elif kind == "nested":
            parts.append(f'<string key="{key}" value="kept"><int key="inner" value="1"/></string>')
        else:
            parts.append(f'<{kind} key="{key}" value="{draw(st.sampled_from(VALUES[kind]))}"/>')
    return "".join(parts)


@st.composite
def xes_logs(draw: st.DrawFn) -> str:
    globals_ = draw(st.sampled_from(["", '<global scope="event"><string key="org:resource" '
                                     'value="UNKNOWN"/></global>\n']))  # fmt: skip
    traces = []
    for _ in range(draw(st.integers(0, 4))):
        events = [f"<event>{draw(attributes(4))}</event>\n" for _ in range(draw(st.integers(0, 3)))]
        traces.append(f"<trace>{draw(attributes(3))}\n{''.join(events)}</trace>\n")
    return log(*traces, head=HEAD + globals_)


def test_a_key_written_twice_in_one_event_is_a_known_difference(tmp_path: Path) -> None:
    # Invalid XES (keys are unique within an element). The expat reader keeps the last value,
    # as PM4Py and OpenXES do; rustxes keeps the first, and its table cannot show it.
    path = write(tmp_path, "log.xes", one_event('<string key="x" value="1"/><string key="x" '
                                                'value="2"/>'))  # fmt: skip
    assert read_xes(path).table.column("x").to_pylist() == ["1"]
    assert read_xes(path, reader="expat").table.column("x").to_pylist() == ["2"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=xes_logs())
def test_both_readers_agree_on_any_log(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.xes"
        path.write_text(text, encoding="utf-8")
        assert outcome(path, "auto") == outcome(path, "expat")


# --- the real logs -------------------------------------------------------------------------

#: events, cases, activities, resources, events without resource, groups: SOURCES.md. bpic2012
#: records starts and completions: its completions (the default lifecycle) are counted, of the
#: 262,200 events SOURCES.md counts (tests/io/test_xes_lifecycle.py reads them all).
PUBLISHED = {
    "06_bpic2013_closed.xes.gz": (6660, 1487, 4, 585, 0, 15),
    "07_bpic2013_incidents.xes.gz": (65533, 7554, 4, 1440, 0, 649),
    "08_receipt.xes.gz": (8577, 1434, 27, 48, 0, 10),
    "bpic2012.xes.gz": (164506, 13087, 23, 68, 8142, 0),
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
        # pm4py's own reader: by default pm4py reads with rustxes when it is installed, and
        # rustxes fills in <global> defaults (08_receipt's case:enddate, for one).
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


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_both_readers_give_the_same_table_for_every_real_log(shared_data: Path, name: str) -> None:
    path = shared_data / "eventlogs" / name
    fast, reference = read_xes(path), read_xes(path, reader="expat")
    assert (fast.reader, fast.fallback) == ("rustxes", None)
    assert fast.table.schema == reference.table.schema
    for column in reference.table.column_names:
        assert fast.table.column(column).equals(reference.table.column(column)), column
