"""Event resources matched to people: ignoring case, with the share matched and a warning when
most of the log matches nobody (a result of 0 from unmatched data is a defect, not a finding)."""

from __future__ import annotations

from pathlib import Path

import orglens

PEOPLE = (
    "id,name,manager_id,unit,email\n"
    "ceo,Eva Lind,,Management,eva@acme.example\n"
    "m1,Mia Ek,ceo,Marketing,mia@acme.example\n"
    "s1,Sam Berg,ceo,Sales,sam@acme.example\n"
)
UNITS = (
    "id,name,parent,function\n"
    "Management,Management,,\n"
    "Marketing,Marketing,Management,marketing\n"
    "Sales,Sales,Management,sales\n"
)


def workspace(tmp_path: Path, resources: tuple[str, str], *, ends: bool = True) -> Path:
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    marketer, seller = resources
    lines = ["case_id,activity,timestamp,resource"]
    for case in range(4):
        lines += [
            f"c{case},MQL,2025-01-0{case + 1}T09:00:00Z,{marketer}",
            f"c{case},Call,2025-01-0{case + 1}T10:00:00Z,{seller}",
            f"c{case},Won,2025-01-0{case + 1}T11:00:00Z,{seller}",
        ]
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    yaml = "events:\n  path: events.csv\n"
    if ends:
        yaml += "  end_activities: [Won]\n"
    (tmp_path / "orglens.yaml").write_text(yaml, encoding="utf-8")
    return tmp_path


def test_resources_match_people_ignoring_case_of_emails_and_names(tmp_path: Path) -> None:
    analysis = orglens.Workspace.open(workspace(tmp_path, ("MIA@ACME.EXAMPLE", "sam berg")))
    observed = analysis.analysis().process.observed
    assert observed is not None
    assert observed.resources is not None
    assert observed.resources.to_dict() == {
        "resources": 2,
        "matched": 2,
        "events": 12,
        "events_matched": 12,
        "events_matched_share": 1.0,
        "unmatched_examples": {},
    }
    assert observed.handoffs.cross.count == 4  # MQL (Marketing) → Call (Sales) in each case
    assert analysis.analysis().warnings == ()


def test_a_log_whose_resources_match_nobody_says_so_instead_of_zero_handoffs(
    tmp_path: Path,
) -> None:
    opened = orglens.Workspace.open(workspace(tmp_path, ("u-17", "u-42")))
    analysis = opened.analysis()
    observed = analysis.process.observed
    assert observed is not None and observed.handoffs.cross.count == 0
    assert observed.resources is not None and observed.resources.events_matched == 0
    (warning,) = [w for w in analysis.warnings if w.startswith("events:")]
    assert warning.startswith("events: 12 of 12 events (100%) are done by resources that match")
    assert "'u-42' (8 events), 'u-17' (4 events)" in warning
    assert warning in analysis.to_dict()["warnings"]
    assert warning in opened.compare().to_dict()["warnings"]


def test_leakage_without_declared_end_activities_infers_them_and_warns(tmp_path: Path) -> None:
    analysis = orglens.Workspace.open(workspace(tmp_path, ("m1", "s1"), ends=False)).analysis()
    observed = analysis.process.observed
    assert observed is not None
    # Every case ends with Won after a within-Sales step: nothing leaks, and Won is inferred.
    assert observed.leakage.end_activities == ("Won",)
    assert observed.leakage.end_activities_inferred
    assert observed.leakage.leaked_cases == 0
    assert any("inferred from the log: 'Won'" in warning for warning in analysis.warnings)
