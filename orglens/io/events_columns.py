"""Columns of an event log: which source column plays which role, and each role's values checked.

The case id is kept as text (``string``): it has about as many distinct values as there are
cases. Activity, resource and group repeat a few values over many events, so they are held as
``dictionary<int32, string>`` (:data:`LABEL`): each distinct text once, and a 4-byte code per
event. Checks on their values (blank cells, placeholders) run on the distinct values, not on
every event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.tables import column_key

__all__ = [
    "CANDIDATES",
    "CANONICAL_NAMES",
    "LABEL",
    "ROLES",
    "event_column",
    "existing_positions",
    "label_codes",
    "labels",
    "name_key",
    "optional_labels",
    "required_labels",
    "required_text",
    "resolve_mapping",
    "row_positions",
]

#: The type of the ``activity``, ``resource`` and ``group`` columns.
LABEL = pa.dictionary(pa.int32(), pa.string())

#: Source column names recognised for each role (compared after :func:`name_key`), best first.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "case": (
        "case:concept:name", "case_id", "caseid", "case", "case_key", "case_number", "trace_id",
        "lead_id", "leadid", "opportunity_id", "opportunityid", "deal_id", "dealid",
        "ticket_id", "ticketid", "contact_id", "record_id", "mql_id", "prospect_id",
    ),
    "activity": (
        "concept:name", "activity", "activity_name", "event", "event_name", "stage",
        "stage_name", "stagename", "deal_stage", "dealstage", "status", "action", "task", "step",
    ),
    "timestamp": (
        "time:timestamp", "timestamp", "event_time", "time", "datetime", "date_time", "date",
        "created_at", "createddate", "created_date", "occurred_at", "start_time", "end_time",
    ),
    "resource": (
        "org:resource", "resource", "owner", "owner_id", "ownerid", "hubspot_owner_id", "user",
        "user_id", "agent", "sales_agent", "performer", "actor", "assignee", "employee",
        "createdbyid", "created_by_id",
    ),
    "group": (
        "org:group", "group", "team", "team_id", "hubspot_team_id", "department", "unit",
        "org_unit", "business_unit",
    ),
}  # fmt: skip
ROLES = tuple(CANDIDATES)
REQUIRED = ("case", "activity", "timestamp")
#: The canonical column of each role.
CANONICAL_NAMES = {role: "case_id" if role == "case" else role for role in ROLES}
# A canonical name given for a role, by its key (``case`` too, as the option is called).
_ROLE_OF_NAME = {"case_id": "case"} | {role: role for role in ROLES}


def name_key(name: str) -> str:
    """The key a column name is matched by: lower case, ``-`` and spaces as ``_``.

    Examples
    --------
    >>> name_key(" Sales-Agent ")
    'sales_agent'
    """
    return column_key(name.replace("-", " "))


def resolve_mapping(
    columns: Sequence[str], given: Mapping[str, str | None], source: str
) -> dict[str, str | None]:
    """The source column of each role: the one ``given`` names, else the best candidate.

    Raises :class:`~orglens.errors.InvalidWorkspace` listing every given column that is not in
    ``columns``, every required role without a column, and a column used for two roles.

    Examples
    --------
    >>> resolve_mapping(["Lead ID", "Stage", "Created At"], {}, "log.csv")["case"]
    'Lead ID'
    """
    by_key: dict[str, str] = {}
    for name in columns:
        by_key.setdefault(name_key(name), name)
    listing = ", ".join(repr(name) for name in columns)
    problems: list[Problem] = []
    resolved: dict[str, str | None] = {}
    # A role given a canonical name the file lacks (`--group group` on an XES log's
    # `org:group`) takes the column that role would have: resolved once the others are.
    borrowed: dict[str, str] = {}
    for role in ROLES:
        wanted = given.get(role)
        if wanted:
            found = wanted if wanted in columns else by_key.get(name_key(wanted))
            if found is None and name_key(wanted) in _ROLE_OF_NAME:
                borrowed[role] = _ROLE_OF_NAME[name_key(wanted)]
            elif found is None:
                problems.append(
                    Problem(
                        f"column {wanted!r} (given for {role}) is not in the file",
                        f"give --{role} one of the columns the file has: {listing}",
                        source,
                        1,
                        wanted,
                    )
                )
            resolved[role] = found
            continue
        resolved[role] = _by_candidates(role, by_key)
        if resolved[role] is None and role in REQUIRED:
            looked = ", ".join(CANDIDATES[role][:6])
            problems.append(
                Problem(
                    f"no {role} column found (looked for {looked}, ...)",
                    f"name it with --{role} COLUMN; the file has: {listing}",
                    source,
                    1,
                )
            )
    for role, other in borrowed.items():
        chosen = resolved[other] if other != role and other not in borrowed else None
        resolved[role] = chosen or _by_candidates(other, by_key)
        if resolved[role] is None:
            problems.append(
                Problem(
                    f"--{role} {given.get(role)!r} names the {other} column, and the file has none",
                    f"give --{role} one of the columns the file has: {listing}",
                    source,
                    1,
                )
            )
    taken: dict[str, str] = {}
    for role in REQUIRED:
        chosen = resolved[role]
        if chosen is not None and chosen in taken:
            problems.append(
                Problem(
                    f"column {chosen!r} is used for both {taken[chosen]} and {role}",
                    f"give --{role} another column",
                    source,
                    1,
                    chosen,
                )
            )
        elif chosen is not None:
            taken[chosen] = role
    if problems:
        raise InvalidWorkspace(problems)
    return resolved


def _by_candidates(role: str, by_key: Mapping[str, str]) -> str | None:
    return next((by_key[key] for key in CANDIDATES[role] if by_key.get(key)), None)


def event_column(
    name: str,
    columns: Sequence[str],
    mapping: Mapping[str, str | None],
    source: str,
    option: str = "--unit",
) -> str:
    """The column of a canonical event table that holds the file's column ``name``, or the
    canonical column ``name``.

    ``columns`` are the table's, ``mapping`` says which source column became each role (the
    import report's ``mapping``). A source column that became a role is found under the
    role's canonical name (``org:group`` → ``group``); other source columns keep their name
    (or a ``source_`` prefix where they clashed with a canonical one).

    Examples
    --------
    >>> table = ["case_id", "activity", "timestamp", "resource", "group", "position", "region"]
    >>> mapping = {"case": "case", "resource": "org:resource", "group": "department"}
    >>> [event_column(n, table, mapping, "log.csv") for n in ("department", "group", "Region")]
    ['group', 'group', 'region']
    """
    by_source = {
        source_name: CANONICAL_NAMES[role]
        for role, source_name in mapping.items()
        if source_name and role in CANONICAL_NAMES
    }
    if name in by_source:
        return by_source[name]
    if name in CANONICAL_NAMES.values() and f"source_{name}" in columns:
        return f"source_{name}"  # the file's own column of that name, renamed on import
    if name in columns:
        return name
    key = name_key(name)
    for candidates in (by_source, {column: column for column in columns}):
        found = next(
            (target for known, target in candidates.items() if name_key(known) == key), None
        )
        if found is not None:
            return found
    if key in _ROLE_OF_NAME:
        return CANONICAL_NAMES[_ROLE_OF_NAME[key]]
    canonical = [*CANONICAL_NAMES.values(), "position"]
    own = [*by_source, *(column for column in columns if column not in canonical)]
    listing = ", ".join(repr(column) for column in dict.fromkeys(own))
    raise InvalidWorkspace(
        Problem(
            f"column {name!r} (given for {option}) is not in the log",
            f"give {option} a column of the file ({listing}) or a canonical one "
            f"({', '.join(CANONICAL_NAMES.values())})",
            source,
            None,
            name,
        )
    )


def required_text(
    raw: pa.Table, name: str | None, role: str, source: str, line_of: Callable[[int], int | None]
) -> pa.ChunkedArray:
    """Column ``name`` as text, refusing an event whose value is missing or blank."""
    assert name is not None
    column = _as_text(raw.column(name))
    if column.null_count or _any_blank(column):
        _refuse_missing(_missing_text(column), name, role, source, line_of)
    return column


def required_labels(
    raw: pa.Table, name: str | None, role: str, source: str, line_of: Callable[[int], int | None]
) -> pa.ChunkedArray:
    """Column ``name`` as :data:`LABEL`, refusing an event whose value is missing or blank."""
    assert name is not None
    column = labels(raw.column(name))
    blank = _blank_codes(column)
    if column.null_count or len(blank):
        missing = pc.or_kleene(pc.is_null(column), pc.is_in(label_codes(column), blank))
        _refuse_missing(missing, name, role, source, line_of)
    return column


def optional_labels(raw: pa.Table, name: str | None) -> pa.ChunkedArray:
    """Column ``name`` as :data:`LABEL`, blank values as null; all null without a column."""
    if name is None:
        return pa.chunked_array([pa.nulls(raw.num_rows, LABEL)])
    column = labels(raw.column(name))
    if not len(_blank_codes(column)):
        return column
    # Rare (cells of spaces): turn the blank values into nulls the simple way.
    text = pc.cast(column, pa.string())
    blank = pc.equal(pc.utf8_trim_whitespace(text), "")
    return labels(pc.if_else(blank, pa.scalar(None, pa.string()), text))


def labels(column: pa.ChunkedArray, *, memory_pool: Any = None) -> pa.ChunkedArray:
    """``column`` as :data:`LABEL`, its chunks sharing one dictionary of distinct, non-null texts.

    A dictionary column of text keeps its codes (the dictionaries of its chunks are unified,
    new codes allocated from ``memory_pool``); any other column is turned into text and encoded.

    Examples
    --------
    >>> encoded = labels(pa.chunked_array([["won", None], ["lost", "won"]]))
    >>> encoded.chunk(1).dictionary.to_pylist(), encoded.chunk(1).indices.to_pylist()
    (['won', 'lost'], [1, 0])
    """
    kind = column.type
    if pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type):
        if kind.index_type != pa.int32():
            column = pc.cast(column, LABEL)
        unified = _unified(column, memory_pool)
        values = unified.chunk(0).dictionary if unified.num_chunks else pa.nulls(0, pa.string())
        if not values.null_count and pc.count_distinct(values).as_py() == len(values):
            return unified
    return _unified(pc.dictionary_encode(_as_text(column)))


def label_codes(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The int32 codes (dictionary indices) of a :data:`LABEL` column, one chunk per chunk."""
    return pa.chunked_array([chunk.indices for chunk in column.chunks], pa.int32())


def existing_positions(raw: pa.Table, resolved: Mapping[str, str | None]) -> pa.Array | None:
    """The ``position`` column of a table that is canonical already (re-read Parquet)."""
    canonical = resolved["case"] == "case_id" and resolved["timestamp"] == "timestamp"
    if not canonical or "position" not in raw.column_names:
        return None
    column = raw.column("position")
    if not pa.types.is_integer(column.type) or column.null_count:
        return None
    return pc.cast(column, pa.int64()).combine_chunks()


def row_positions(count: int) -> pa.Array:
    """``0, 1, ..., count - 1`` as int64, built by Arrow (a Python ``range`` is 10x slower).

    Examples
    --------
    >>> row_positions(3).to_pylist()
    [0, 1, 2]
    """
    every = pc.is_null(pa.nulls(count, pa.bool_()))
    return pc.indices_nonzero(every).view(pa.int64())


def _unified(column: pa.ChunkedArray, memory_pool: Any = None) -> pa.ChunkedArray:
    table = pa.table({"labels": column}).unify_dictionaries(memory_pool=memory_pool)
    return table.column("labels")


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    return pc.cast(column, pa.string())


def _any_blank(text: pa.ChunkedArray) -> bool:
    """Whether a value is empty or only whitespace (one pass, no trimmed copy)."""
    if not len(text):
        return False
    if pc.any(pc.utf8_is_space(text)).as_py():
        return True
    return bool(pc.min(pc.binary_length(text)).as_py() == 0)


def _missing_text(text: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.or_kleene(pc.is_null(text), pc.equal(pc.utf8_trim_whitespace(text), ""))


def _blank_codes(column: pa.ChunkedArray) -> pa.Array:
    """The codes of a :data:`LABEL` column whose text is empty or only whitespace."""
    if not column.num_chunks:
        return pa.nulls(0, pa.int32())
    values = column.chunk(0).dictionary
    empty = pc.invert(pc.cast(pc.binary_length(values), pa.bool_()))
    blank = pc.or_(pc.utf8_is_space(values), empty)
    return pc.cast(pc.indices_nonzero(blank), pa.int32())


def _refuse_missing(
    missing: pa.ChunkedArray,
    name: str,
    role: str,
    source: str,
    line_of: Callable[[int], int | None],
) -> None:
    found = pc.index(pc.fill_null(missing, False), True).as_py()
    if found is None or found < 0:
        return
    row = int(found)
    raise InvalidWorkspace(
        Problem(
            f"event #{row + 1} has no {role} (column {name!r} is empty)",
            f"fill in the {role} of every event, or remove the events without one",
            source,
            line_of(row),
            name,
        )
    )


def compact_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary column of text kept as it is when each value repeats (on average twice or
    more), else decoded to plain text.

    Extra attributes of events are mostly such labels (a channel, a product, a country): held
    as codes, a ten-million-event log's ``channel`` takes 40 MB instead of 138 MB. Engines read
    both as text.

    >>> labels = pa.array(["web", "web", "ad", "web"]).dictionary_encode()
    >>> compact_text(pa.chunked_array([labels])).type
    DictionaryType(dictionary<values=string, indices=int32, ordered=0>)
    >>> compact_text(pa.chunked_array([pa.array(["a", "b", "c"]).dictionary_encode()])).type
    DataType(string)
    """
    kind = column.type
    if not (pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type)):
        return column
    # Chunks that share one dictionary are counted once each: a safe overestimate.
    if sum(len(chunk.dictionary) for chunk in column.chunks) * 2 <= len(column):
        return column
    return pc.cast(column, pa.string())
