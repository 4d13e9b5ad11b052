"""The bundled demo company: committed files, size, e-mails, budget, tensions, and a clean load."""

from __future__ import annotations

import csv
from collections import Counter
from itertools import pairwise
from pathlib import Path

from orglens.demo import DEMO_FILES, write_demo
from orglens.model import Settings

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


def _rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _department_of() -> dict[str, str]:
    """Each unit id → the unit directly below the top unit that holds it (or the top unit)."""
    parent = {u["id"]: u["parent"] for u in _rows("units.csv")}
    top = next(uid for uid, p in parent.items() if not p)
    department = {}
    for uid in parent:
        current = uid
        while parent[current] and parent[current] != top:
            current = parent[current]
        department[uid] = current
    return department


def test_committed_demo_files_equal_a_fresh_generation(tmp_path: Path) -> None:
    written = write_demo(tmp_path)
    assert [path.name for path in written] == list(DEMO_FILES)
    for path in written:
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), (
            f"{path.name} differs: run `python examples/demo/generate.py` and commit the result"
        )


def test_write_demo_creates_the_directory_and_leaves_only_its_files(tmp_path: Path) -> None:
    out = tmp_path / "new" / "demo"
    write_demo(out)
    write_demo(out)  # a second run replaces the files in place
    assert sorted(path.name for path in out.iterdir()) == sorted(DEMO_FILES)


def test_demo_company_has_between_130_and_170_people() -> None:
    assert 130 <= len(_rows("people.csv")) <= 170


def test_every_demo_person_has_an_email_of_their_own() -> None:
    emails = [p["email"] for p in _rows("people.csv")]
    assert all(e.endswith("@nordljus.example") and e.count("@") == 1 for e in emails)
    assert len(set(emails)) == len(emails)


def test_demo_names_keep_swedish_letters() -> None:
    names = "".join(p["name"] for p in _rows("people.csv"))
    assert {"å", "ä", "ö"} <= set(names.lower())


def test_demo_brand_share_of_marketing_spend_is_below_the_benchmark() -> None:
    """Brand share = brand / (brand + activation); below benchmark whether or not comms counts."""
    function = {u["id"]: u["function"] for u in _rows("units.csv")}
    budget = _rows("budget.csv")
    for functions in ({"marketing"}, {"marketing", "communications"}):
        spend: dict[str, float] = {"brand": 0.0, "activation": 0.0, "other": 0.0}
        for line in budget:
            if function[line["unit"]] in functions:
                spend[line["horizon"]] += float(line["amount"])
        share = spend["brand"] / (spend["brand"] + spend["activation"])
        assert 0.2 < share < Settings().brand_benchmark


def test_demo_activation_spend_serves_the_sales_result() -> None:
    function = {u["id"]: u["function"] for u in _rows("units.csv")}
    serving_sales = [
        line
        for line in _rows("budget.csv")
        if line["horizon"] == "activation"
        and function[line["unit"]] == "marketing"
        and function[line["outcome_unit"]] == "sales"
    ]
    assert len(serving_sales) >= 3


def test_demo_has_an_overloaded_sales_manager_and_player_coaches() -> None:
    people = _rows("people.csv")
    spans = Counter(p["manager_id"] for p in people if p["manager_id"])
    unit_of = {p["id"]: p["unit"] for p in people}
    function = {u["id"]: u["function"] for u in _rows("units.csv")}
    sales_spans = [span for pid, span in spans.items() if function[unit_of[pid]] == "sales"]
    assert max(sales_spans) > 15
    assert sum(3 <= span <= 5 for span in spans.values()) >= 2


def test_demo_journey_crosses_marketing_sales_and_customer_success_repeatedly() -> None:
    department = _department_of()
    path = [department[a["unit"]] for a in _rows("journey.csv")]
    crossings = [(a, b) for a, b in pairwise(path) if a != b]
    assert {"marketing", "sales", "customer-success", "communications"} <= set(path)
    assert crossings.count(("marketing", "sales")) >= 2
    assert len(crossings) >= 8


def test_communications_uses_a_segment_nobody_defined_and_shares_one_with_marketing() -> None:
    defined = {s["id"] for s in _rows("segments.csv")}
    department = _department_of()
    used: dict[str, set[str]] = {}
    for person in _rows("people.csv"):
        segments = {s for s in person["segments"].split(";") if s}
        used.setdefault(department[person["unit"]], set()).update(segments)
    assert used["communications"] - defined == {"opinion-leaders"}
    assert used["communications"] & used["marketing"]
    assert all(segments <= defined for dept, segments in used.items() if dept != "communications")


def test_loading_the_demo_gives_no_problems_and_keeps_extra_columns() -> None:
    from orglens.io import load

    org = load(DEMO)
    assert org.name == "Nordljus Software AB"
    assert org.currency == "SEK"
    assert org.warnings == ()
    assert len(org.people) == len(_rows("people.csv"))
    assert len(org.journey) == len(_rows("journey.csv"))
    assert org.people[0].attributes["start_date"] == _rows("people.csv")[0]["start_date"]
    assert org.units[0].attributes["cost_center"] == "CC-100"


def test_the_ceo_is_the_only_common_manager_of_the_demo_journey() -> None:
    from orglens.io import load

    org = load(DEMO)
    owners = {org.structure.unit_owner[a.unit] for a in org.journey if a.unit is not None}
    assert None not in owners
    ceo = org.structure.top
    assert org.person_by_id[ceo].role == "Chief Executive Officer"
    assert org.structure.lowest_common_manager(o for o in owners if o) == ceo
