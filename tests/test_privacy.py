"""E-mail addresses from the data are masked wherever orglens prints them, unless asked not to.

The mask keeps the first letter and the domain and adds a stable hash of the whole address, so
that one person keeps one mask (a graph of who works with whom still reads) and two people
never share one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import ibis.expr.types as ir
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from orglens.cli import app
from orglens.engine import connect
from orglens.mining import mine
from orglens.privacy import looks_like_email, mask_email, mask_emails, masked

ANNA, BO = "anna.berg@acme.se", "bo.ek@acme.se"


def test_an_address_is_masked_to_first_letter_hash_and_domain() -> None:
    shown = mask_email(ANNA)
    assert shown.startswith("a***-") and shown.endswith("@acme.se")
    assert len(shown.split("@")[0]) == len("a***-") + 8
    assert "anna" not in shown and "berg" not in shown


def test_an_address_keeps_its_mask_and_two_addresses_never_share_one() -> None:
    assert mask_email(ANNA) == mask_email(ANNA) == mask_emails(f" {ANNA} ").strip()
    assert mask_email("anna.berj@acme.se") != mask_email(ANNA)
    assert len({mask_email(f"a{i}@acme.se") for i in range(10_000)}) == 10_000


def test_addresses_that_differ_in_case_keep_apart_as_the_analyses_kept_them() -> None:
    upper = "Anna.Berg@ACME.se"
    assert mask_email(upper) != mask_email(ANNA)
    assert mask_email(upper).startswith("A***-") and mask_email(upper).endswith("@ACME.se")
    assert masked({upper: 1, ANNA: 2}) == {mask_email(upper): 1, mask_email(ANNA): 2}


def test_a_text_that_is_no_address_is_left_as_it_is() -> None:
    for text in ("Anna Berg", "P001", "anna@localhost", "@acme.se", "12@3.45", f" {ANNA}", ""):
        assert not looks_like_email(text)
        assert mask_email(text) == text


def test_every_address_inside_a_message_is_masked_and_quotes_stay() -> None:
    message = f"manager_id '{ANNA}' is not a person id (nor <{BO}>)."
    assert mask_emails(message) == (
        f"manager_id '{mask_email(ANNA)}' is not a person id (nor <{mask_email(BO)}>)."
    )


def test_masking_twice_changes_nothing() -> None:
    once = mask_emails(f"{ANNA}, {BO}")
    assert mask_emails(once) == once


def test_masked_data_masks_texts_and_keys_and_keeps_numbers() -> None:
    data = {"roles": [{"activities": ["call"], "resources": {ANNA: 3, "Bo": 1}}], "n": 1.5}
    assert masked(data) == {
        "roles": [{"activities": ["call"], "resources": {mask_email(ANNA): 3, "Bo": 1}}],
        "n": 1.5,
    }


@pytest.fixture
def mined_log() -> ir.Table:
    """Anna hands a case to Bo; Cy works alone."""
    hour = [dt.datetime(2024, 1, 1, h, tzinfo=dt.UTC) for h in (9, 10, 11)]
    return connect().read_events(
        pa.table(
            {
                "case_id": ["c1", "c1", "c2"],
                "activity": ["call", "offer", "call"],
                "timestamp": pa.array(hour, pa.timestamp("us", tz="UTC")),
                "resource": [ANNA, BO, "Cy"],
                "group": ["marketing", "sales", "sales"],
                "position": [0, 1, 2],
            }
        )
    )


@pytest.mark.parametrize("what", ["handover", "working-together", "roles"])
def test_mined_resources_are_masked_unless_emails_are_asked_for(
    mined_log: ir.Table, what: str
) -> None:
    found = mine(mined_log, what)
    shown, plain = json.dumps(found.to_dict()), json.dumps(found.to_dict(show_emails=True))
    assert ANNA not in shown and mask_email(ANNA) in shown
    assert ANNA in plain and mask_email(ANNA) not in plain
    assert ANNA not in found.csv_text() and mask_email(ANNA) in found.csv_text()
    assert ANNA in found.csv_text(show_emails=True)


def test_handover_edges_keep_one_node_per_person_when_masked(mined_log: ir.Table) -> None:
    rows = list(csv.DictReader(io.StringIO(mine(mined_log, "handover").csv_text())))
    assert [(row["source"], row["target"], row["count"]) for row in rows] == [
        (mask_email(ANNA), mask_email(BO), "1")
    ]


def test_mine_on_the_command_line_masks_email_resources(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "case_id,activity,timestamp,resource\n"
        f"c1,call,2024-01-01T09:00:00Z,{ANNA}\n"
        f"c1,offer,2024-01-01T10:00:00Z,{BO}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["mine", str(log), "--what", "handover"])
    assert result.exit_code == 0, result.output
    (edge,) = json.loads(result.stdout)["edges"]
    assert (edge["source"], edge["target"]) == (mask_email(ANNA), mask_email(BO))
    assert "@acme.se" in result.stdout and ANNA not in result.stdout


def test_an_error_message_quoting_an_email_masks_it(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        f"id,name,manager_id,unit,cost\nceo,Ada,,Management,100\na,Bo,{ANNA},Sales,50\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert mask_email(ANNA) in result.stderr
    assert ANNA not in result.stderr
