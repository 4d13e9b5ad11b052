"""Loading and validating whole workspaces: folders of CSV files, and workbooks."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from orglens.errors import InvalidWorkspace
from orglens.io import load, read_workspace, validate
from orglens.model import Origin

WriteWorkspace = Callable[..., Path]
Problems = Callable[[Path], list[str]]

PEOPLE = (
    "id,name,manager_id,unit,role\n"
    "ceo,Ada,,Management,CEO\n"
    "s1,Bo,ceo,Sales,AE\n"
    "m1,Cy,ceo,Marketing,Marketer\n"
)


# -- reading what is there ---------------------------------------------------------------------


def test_people_only_workspace_derives_units_with_their_functions(
    workspace: WriteWorkspace,
) -> None:
    org = load(workspace(**{"people.csv": PEOPLE}))
    assert org.name == "acme"
    assert [(u.id, u.name, u.function) for u in org.units] == [
        ("Management", "Management", "management"),
        ("Sales", "Sales", "sales"),
        ("Marketing", "Marketing", "marketing"),
    ]
    assert [p.fte for p in org.people] == [1.0, 1.0, 1.0]
    assert org.people[1].origin == Origin("people.csv", 3)
    assert org.warnings == ()


def test_swedish_semicolon_export_with_bom_and_decimal_comma_loads(
    workspace: WriteWorkspace,
) -> None:
    people = (
        "\ufeffid;name;manager_id;unit;cost;fte;competences;Anställd sedan\r\n"
        "p1;Åsa Öberg;;Ledning;612 345,50;1;Strategi|Ledarskap;2019\r\n"
        'p2;Örjan Ärlig;p1;Försäljning;\u00a0480\u00a0000,00;0,5;"B2B;Förhandling";\r\n'
    )
    org = load(workspace(**{"people.csv": people}))
    first, second = org.people
    assert (first.name, second.name) == ("Åsa Öberg", "Örjan Ärlig")
    assert first.attributes == {"Anställd sedan": "2019"}
    assert first.cost == 612345.5 and first.competences == ("Strategi", "Ledarskap")
    assert second.cost == 480000.0 and second.fte == 0.5
    assert second.unit == "Försäljning"
    assert second.competences == ("B2B", "Förhandling")


def test_semicolon_export_reads_names_and_comma_decimals(workspace: WriteWorkspace) -> None:
    people = (
        "\ufeffid;name;manager_id;unit;cost\n"
        "p1;Åsa Öberg;;Ledning;612 345,50\n"
        "p2;Berg, Anna;p1;Sälj;1 000\n"
    )
    org = load(workspace(**{"people.csv": people}))
    assert [(p.name, p.cost) for p in org.people] == [("Åsa Öberg", 612345.5), ("Berg, Anna", 1000)]


def test_tab_delimited_people_load(workspace: WriteWorkspace) -> None:
    people = "id\tname\tmanager_id\tunit\tcost\nceo\tAda\t\tCEO\t100.5\ns1\tBo\tceo\tSales\t90\n"
    org = load(workspace(**{"people.csv": people}))
    assert [(p.id, p.name, p.cost) for p in org.people] == [("ceo", "Ada", 100.5), ("s1", "Bo", 90)]


def test_headers_match_in_any_case_with_surrounding_spaces(workspace: WriteWorkspace) -> None:
    people = " ID ,Name, MANAGER_ID ,  Unit  ,Work_Mode\nceo,Ada,,CEO,Project\ns1,Bo,ceo,Sales,\n"
    org = load(workspace(**{"people.csv": people}))
    assert [(p.id, p.manager_id, p.unit, p.work_mode) for p in org.people] == [
        ("ceo", None, "CEO", "project"),
        ("s1", "ceo", "Sales", None),
    ]


def test_extra_columns_are_kept_as_attributes_under_their_header_text(
    workspace: WriteWorkspace,
) -> None:
    people = "id,manager_id,unit, Employee No ,Site\nceo,,CEO,E-1,Lund\ns1,ceo,Sales,E-2,\n"
    org = load(workspace(**{"people.csv": people}))
    assert [p.attributes for p in org.people] == [
        {"Employee No": "E-1", "Site": "Lund"},
        {"Employee No": "E-2"},
    ]


def test_lists_are_split_on_semicolons_or_pipes_in_any_file(workspace: WriteWorkspace) -> None:
    comma = 'id,manager_id,unit,competences,segments\nceo,,CEO,"SEO; content",SMB|Enterprise\n'
    semicolon = 'id;manager_id;unit;competences;segments\nceo;;CEO;"SEO;content";SMB|Enterprise\n'
    for text in (comma, semicolon):
        (person,) = load(workspace(**{"people.csv": text})).people
        assert person.competences == ("SEO", "content")
        assert person.segments == ("SMB", "Enterprise")


def test_every_file_of_a_full_workspace_is_read(workspace: WriteWorkspace) -> None:
    folder = workspace(
        **{
            "orglens.yaml": "name: Acme AB\ncurrency: SEK\nsettings:\n  span_range: [4, 8]\n"
            "events: later\nscenarios: []\n",
            "units.csv": "id,name,parent,head,function\n"
            "top,Acme,,ceo,\nsal,Nordic Sales,top,,\nmkt,Marketing,top,,Marketing\n",
            "people.csv": "id,manager_id,unit\nceo,,Acme\ns1,ceo,nordic sales\nm1,ceo,mkt\n"
            "s2,s1,sal\n",
            "budget.csv": "id,unit,category,amount,horizon,outcome_unit,description\n"
            "b1,Marketing,brand,1000,Brand,nordic sales,Campaign\n",
            "revenue.csv": "stream,unit,amount,segment\nnew,sal,5000,SMB\n",
            "journey.csv": "order,stage,activity,unit,volume_per_year,effort_hours,work_mode\n"
            "1,Awareness,Campaign,mkt,100,2.5,project\n",
            "coordination.csv": "source,target,weight,kind\ns1,Marketing,2,weekly\nsal,mkt,,\n",
            "segments.csv": "id,name,owner_unit,size,needs\nSMB,,sal,1200,speed\n",
        }
    )
    org = load(folder)
    assert (org.name, org.currency, org.settings.span_range) == ("Acme AB", "SEK", (4, 8))
    assert [(u.id, u.parent, u.function) for u in org.units] == [
        ("top", None, None),
        ("sal", "top", "sales"),
        ("mkt", "top", "marketing"),
    ]
    assert [p.unit for p in org.people] == ["top", "sal", "mkt", "sal"]
    (line,) = org.budget
    assert (line.unit, line.outcome_unit, line.horizon, line.amount) == (
        "mkt",
        "sal",
        "brand",
        1000,
    )
    assert (org.revenue[0].unit, org.revenue[0].segment) == ("sal", "SMB")
    activity = org.journey[0]
    assert (activity.unit, activity.volume_per_year, activity.work_mode) == ("mkt", 100, "project")
    assert [(c.source, c.target, c.weight) for c in org.coordination] == [
        ("s1", "mkt", 2),
        ("sal", "mkt", 1),
    ]
    assert (org.segments[0].name, org.segments[0].owner_unit, org.segments[0].size) == (
        "SMB",
        "sal",
        1200,
    )


def test_units_named_by_name_ignoring_case_map_to_their_ids(workspace: WriteWorkspace) -> None:
    folder = workspace(
        **{
            "units.csv": "id,name\nu1,Sales\nu2,Marketing\n",
            "people.csv": "id,manager_id,unit\nceo,,SALES\nm1,ceo,u2\n",
        }
    )
    assert [p.unit for p in load(folder).people] == ["u1", "u2"]


def test_a_unit_name_shared_by_several_units_is_a_problem(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(
        **{
            "units.csv": "id,name\nse,Sales\nno,Sales\n",
            "people.csv": "id,manager_id,unit\nceo,,sales\n",
        }
    )
    assert problems_in(folder) == [
        "people.csv:2: unit 'sales' is the name of several units ('se', 'no') — use the unit id"
    ]


def test_journey_role_maps_to_the_unit_where_most_people_with_that_role_sit(
    workspace: WriteWorkspace,
) -> None:
    people = (
        "id,manager_id,unit,role\n"
        "ceo,,CEO,CEO\n"
        "a,ceo,Inside Sales,SDR\n"
        "b,ceo,Field Sales,sdr\n"
        "c,ceo,Field Sales,SDR\n"
        "d,ceo,Marketing,Marketer\n"
    )
    journey = (
        "order,stage,activity,unit,role\n"
        "1,Awareness,Campaign,Marketing,\n"
        "2,Consideration,Qualify,,Sdr\n"
        "3,Purchase,Sign,CEO,SDR\n"
    )
    org = load(workspace(**{"people.csv": people, "journey.csv": journey}))
    assert [(a.unit, a.role) for a in org.journey] == [
        ("Marketing", None),
        ("Field Sales", "Sdr"),
        ("CEO", "SDR"),
    ]


def test_unknown_journey_role_is_a_problem(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    journey = "order,stage,activity,role\n1,Awareness,Campaign,Marketer\n2,Close,Sign,Closer\n"
    folder = workspace(**{"people.csv": PEOPLE, "journey.csv": journey})
    assert problems_in(folder) == [
        "journey.csv:3: role 'Closer' is the role of nobody in people.csv — use a role from "
        "people.csv ('AE', 'CEO', 'Marketer'), or fill in the unit"
    ]


def test_journey_row_without_unit_or_role_is_a_problem(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    journey = "order,stage,activity,unit,role\n1,Awareness,Campaign,,\n"
    folder = workspace(**{"people.csv": PEOPLE, "journey.csv": journey})
    assert problems_in(folder) == [
        "journey.csv:2: the row names neither a unit nor a role — fill in unit or role"
    ]


def test_several_people_without_manager_give_a_virtual_top_warning(
    workspace: WriteWorkspace,
) -> None:
    people = "id,manager_id,unit\nhs,,Sales\nhm,,Marketing\ns1,hs,Sales\nhc,,Communications\n"
    org = load(workspace(**{"people.csv": people}))
    assert org.warnings == (
        "3 people have no manager (hs, hm, hc): "
        "analysed as a part of a company under a virtual top",
    )


def test_the_virtual_top_warning_shortens_a_long_list_of_ids(workspace: WriteWorkspace) -> None:
    people = "id,manager_id,unit\n" + "".join(f"p{i},,Sales\n" for i in range(12))
    (warning,) = load(workspace(**{"people.csv": people})).warnings
    assert warning.startswith("12 people have no manager (p0, p1, p2, p3, p4, p5, p6, p7, p8, p9")
    assert "and 2 more)" in warning


def test_workbook_loads_sheets_named_in_any_case_with_its_config_sheet(tmp_path: Path) -> None:
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = "People"
    people.append(["ID", "Name", "Manager_ID", "Unit", "Cost", "Notes"])
    people.append(["ceo", "Åsa Öberg", None, "CEO Office", 612345.5, "founder"])
    people.append(["s1", "Bo", "ceo", "Sales", 480000, None])
    budget = book.create_sheet("BUDGET")
    budget.append(["id", "unit", "amount", "horizon"])
    budget.append(["b1", "sales", 1000, "activation"])
    config = book.create_sheet("orglens")
    config.append(["key", "value"])
    config.append(["name", "Acme AB"])
    config.append(["currency", "SEK"])
    book.create_sheet("Pivot")
    book.save(tmp_path / "book.xlsx")

    org = load(tmp_path / "book.xlsx")
    assert (org.name, org.currency) == ("Acme AB", "SEK")
    assert [(p.name, p.cost, p.attributes) for p in org.people] == [
        ("Åsa Öberg", 612345.5, {"Notes": "founder"}),
        ("Bo", 480000, {}),
    ]
    assert [(u.id, u.function) for u in org.units] == [
        ("CEO Office", "management"),
        ("Sales", "sales"),
    ]
    assert org.budget[0].unit == "Sales"
    assert org.people[1].origin == Origin("book.xlsx[People]", 3)


def test_workbook_problems_are_located_by_sheet_and_row(tmp_path: Path) -> None:
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = "people"
    people.append(["id", "manager_id", "unit", "cost"])
    people.append(["ceo", None, "CEO", "lots"])
    config = book.create_sheet("orglens")
    config.append(["colour", "red"])
    book.save(tmp_path / "book.xlsx")
    assert [str(p) for p in validate(tmp_path / "book.xlsx")] == [
        "book.xlsx[orglens]:1: unknown key 'colour' — use one of: name, currency "
        "(key in column A, value in column B)",
        "book.xlsx[people]:2: cost 'lots' is not a number — write a plain number such as 1234.5",
    ]


def test_workbook_without_people_sheet_is_a_problem(tmp_path: Path) -> None:
    book = Workbook()
    assert book.active is not None
    book.active.title = "Staff"
    book.save(tmp_path / "book.xlsx")
    assert [str(p) for p in validate(tmp_path / "book.xlsx")] == [
        "book.xlsx: the workbook has no sheet named people (sheets: 'book.xlsx[Staff]') — add a "
        "sheet named people; add it with at least the columns id, manager_id, unit "
        "(one row per person)"
    ]


# -- one test per kind of bad input --------------------------------------------------------------


def test_missing_required_column_names_the_columns_that_exist(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(**{"people.csv": "ID,Name,Boss,Unit\nceo,Ada,,CEO\n"})
    assert problems_in(folder) == [
        "people.csv:1: missing required column 'manager_id' — add a column named manager_id; "
        "the columns found are 'ID', 'Name', 'Boss', 'Unit'"
    ]


def test_non_numeric_number_shows_the_value(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = 'id,manager_id,unit,cost\nceo,,CEO,1000\ns1,ceo,Sales,12k\ns2,ceo,Sales,"1,5"\n'
    assert problems_in(workspace(**{"people.csv": people})) == [
        "people.csv:3: cost '12k' is not a number — write a plain number such as 1234.5",
        "people.csv:4: cost '1,5' is not a number — write it with a decimal point and no "
        "thousand separators (1234.5); a decimal comma is read only in ;-delimited files",
    ]


def test_negative_number_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    budget = "id,unit,amount\nb1,Sales,-1 000\n"
    assert problems_in(workspace(**{"people.csv": PEOPLE, "budget.csv": budget})) == [
        "budget.csv:2: amount '-1 000' is negative — make amount 0 or more"
    ]


def test_coordination_weight_must_be_greater_than_zero(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    coordination = "source,target,weight\ns1,m1,0\ns1,Marketing,-2\ns1,ceo,1\n"
    folder = workspace(**{"people.csv": PEOPLE, "coordination.csv": coordination})
    assert problems_in(folder) == [
        "coordination.csv:2: weight '0' is not greater than 0 — give a weight greater than 0, "
        "or delete the row",
        "coordination.csv:3: weight '-2' is not greater than 0 — give a weight greater than 0, "
        "or delete the row",
    ]


def test_unknown_unit_in_budget_points_at_its_line(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    budget = "id,unit,amount,outcome_unit\nb1,Sales,10,\nb2,Legal,20,Sales\n"
    assert problems_in(workspace(**{"people.csv": PEOPLE, "budget.csv": budget})) == [
        "budget.csv:3: unknown unit 'Legal' — use an id from units.csv (or add the unit there)"
    ]


def test_unknown_manager_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    people = PEOPLE + "x1,Ed,boss,Sales,AE\n"
    assert problems_in(workspace(**{"people.csv": people})) == [
        "people.csv:5: manager_id 'boss' of 'x1' is not a person id — use the id of a person in "
        "people.csv, or leave it empty for the top"
    ]


def test_duplicate_id_is_a_problem_on_each_of_its_lines(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = PEOPLE + "s1,Ed,ceo,Sales,AE\n"
    assert problems_in(workspace(**{"people.csv": people})) == [
        "people.csv:3: duplicate person id 's1' (2 rows use it) — give every person its own id",
        "people.csv:5: duplicate person id 's1' (2 rows use it) — give every person its own id",
    ]


def test_cycle_in_managers_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    people = PEOPLE + "a,Al,ceo,Sales,AE\nb,Bea,c,Sales,AE\nc,Cid,b,Sales,AE\n"
    (problem,) = problems_in(workspace(**{"people.csv": people}))
    assert problem.startswith("people.csv:6: manager cycle: 'b' → 'c' → 'b' — someone in the chain")


def test_empty_file_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    folder = workspace(**{"people.csv": PEOPLE, "budget.csv": ""})
    assert problems_in(folder) == [
        "budget.csv: the file is empty — add a header line with the column names and one row per "
        "record, or remove the file"
    ]


def test_people_file_with_only_a_header_is_a_problem(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(**{"people.csv": "id,manager_id,unit\n"})
    assert problems_in(folder) == [
        "people.csv:1: the file has a header but no people — add one row per person below the "
        "header"
    ]


def test_binary_file_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    folder = workspace(**{"people.csv": b"PK\x03\x04\x14\x00\x06\x00"})
    assert problems_in(folder) == [
        "people.csv: the file is binary, not text (it contains NUL bytes) — export the table as "
        "CSV UTF-8 text (a whole workbook can be loaded as one .xlsx)"
    ]


def test_windows_1252_file_loads_with_its_swedish_letters(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = "id;manager_id;unit\nceo;;Ledning\ns1;ceo;Försäljning\n".encode("cp1252")
    assert problems_in(workspace(**{"people.csv": people})) == []


def test_bad_enum_value_lists_the_allowed_ones(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = "id,manager_id,unit,work_mode\nceo,,CEO,Hybrid\n"
    budget = "id,unit,amount,horizon\nb1,CEO,1,BRAND\nb2,CEO,1,long-term\n"
    assert problems_in(workspace(**{"people.csv": people, "budget.csv": budget})) == [
        "people.csv:2: work_mode 'Hybrid' is not one of process, project — use one of: process, "
        "project (or leave it empty)",
        "budget.csv:3: horizon 'long-term' is not one of brand, activation, other — use one of: "
        "brand, activation, other (or leave it empty)",
    ]


def test_empty_required_cell_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    people = "id,manager_id,unit\nceo,,CEO\n,ceo,Sales\ns2,ceo,\n"
    assert problems_in(workspace(**{"people.csv": people})) == [
        "people.csv:3: id is empty — fill in the id, or delete the row",
        "people.csv:4: unit is empty — fill in the unit, or delete the row",
    ]


def test_unknown_yaml_key_lists_the_allowed_ones(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": "name: Acme\nspan: 7\n"})
    assert problems_in(folder) == [
        "orglens.yaml:2: unknown key 'span' — use one of: name, currency, settings, events, "
        "scenarios, advice, decision, columns"
    ]


def test_invalid_yaml_is_a_problem_on_its_line(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": "name: Acme\nsettings: [1, 2\n"})
    (problem,) = problems_in(folder)
    assert problem.startswith("orglens.yaml:3: invalid YAML: ")
    assert problem.endswith(
        "— correct the syntax: one 'key: value' per line, nested keys indented with spaces"
    )


def test_bad_settings_are_problems_not_validation_errors(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "settings:\n  span_range: [9, 3]\n  brand_benchmark: 2\n  spans: 3\n"
    problems = problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config}))
    # every bad setting at its own line: a bad range does not hide a bad benchmark
    assert problems[:2] == [
        "orglens.yaml:2: settings.span_range: span_range must be [min, max] with min <= max, "
        "got [9, 3] — correct the value, or remove it to use the default",
        "orglens.yaml:3: settings.brand_benchmark: Input should be less than or equal to 1 "
        "(got 2) — correct the value, or remove it to use the default",
    ]
    assert problems[2].startswith("orglens.yaml:4: unknown setting 'spans' — use one of: ")
    assert len(problems) == 3


def test_a_bad_range_setting_is_reported_at_its_own_line(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "name: Acme\nsettings:\n  span_range: [9, 3]\n"
    (problem,) = problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config}))
    assert problem.startswith("orglens.yaml:3: settings.span_range: span_range must be")


def test_span_bands_are_read_from_settings_and_bad_bounds_point_at_their_line(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    good = "settings:\n  span_bands: [2, 5]\n"
    org = load(workspace(**{"people.csv": PEOPLE, "orglens.yaml": good}))
    assert org.settings.span_bands == (2, 5)
    bad = "name: Acme\nsettings:\n  level: 1\n  span_bands: [3, 3]\n"
    (problem,) = problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": bad}))
    assert problem.startswith(
        "orglens.yaml:4: settings.span_bands: span_bands must be rising upper bounds "
        "from 1, e.g. [1, 3, 7, 12, 16] (got [3, 3])"
    )


def test_yaml_that_is_not_a_mapping_is_a_problem(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": "- name\n- Acme\n"})
    assert problems_in(folder) == [
        "orglens.yaml:1: the file holds a list, not keys with values — write one 'key: value' "
        "per line (name, currency, settings)"
    ]


def test_repeated_or_non_text_yaml_keys_are_problems(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "name: [Acme]\ncurrency: SEK\ncurrency: EUR\nsettings: fast\n"
    assert problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})) == [
        "orglens.yaml:3: key 'currency' appears twice — keep only one of them",
        "orglens.yaml:1: name ['Acme'] is not text — write the name as text",
        "orglens.yaml:4: settings 'fast' is not a set of keys with values — indent one "
        "'setting: value' per line under settings:",
    ]


def test_unquoted_list_in_a_semicolon_file_says_how_to_fix_it(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = "id;manager_id;unit;competences\nceo;;CEO;SEO;Content\n"
    assert problems_in(workspace(**{"people.csv": people})) == [
        "people.csv:2: the row has 5 cells but the header has 4 columns — put cells that contain "
        "';' in double quotes (or separate list items with |)"
    ]


# -- all problems at once ------------------------------------------------------------------------


def test_every_cell_problem_of_every_file_is_reported_at_once(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    folder = workspace(
        **{
            "orglens.yaml": "colour: red\n",
            "people.csv": "id,manager_id,unit,cost,fte\nceo,,CEO,x,1\ns1,ceo,Sales,5,-1\n",
            "budget.csv": "id,unit\nb1,Sales\n",
            "coordination.csv": "source,target,weight\nceo,s1,0\n",
        }
    )
    assert [problem.split(" — ")[0] for problem in problems_in(folder)] == [
        "orglens.yaml:1: unknown key 'colour'",
        "people.csv:2: cost 'x' is not a number",
        "people.csv:3: fte '-1' is negative",
        "budget.csv:1: missing required column 'amount'",
        "coordination.csv:2: weight '0' is not greater than 0",
    ]


def test_load_raises_invalid_workspace_with_every_problem_validate_lists(
    workspace: WriteWorkspace,
) -> None:
    folder = workspace(**{"people.csv": "id,manager_id,unit,cost\na,,X,-1\nb,,Y,z\n"})
    with pytest.raises(InvalidWorkspace) as raised:
        load(folder)
    assert raised.value.problems == validate(folder)
    assert len(raised.value.problems) == 2


def test_a_valid_workspace_has_no_problems(workspace: WriteWorkspace) -> None:
    assert validate(workspace(**{"people.csv": PEOPLE})) == []


def test_quoted_multiline_cell_keeps_problem_lines_physical(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = (
        "id,name,manager_id,unit,cost\n"
        'ceo,"Ada\nLovelace",,CEO,1\n'
        "s1,Bo,ceo,Sales,x\n"
        's2,"Cy\r\nDe\r\nEk",ceo,Sales,2\n'
        "s3,Ed,ceo,Sales,-3\n"
    )
    assert [p.split(" — ")[0] for p in problems_in(workspace(**{"people.csv": people}))] == [
        "people.csv:4: cost 'x' is not a number",
        "people.csv:8: cost '-3' is negative",
    ]


def test_missing_people_file_is_a_problem(workspace: WriteWorkspace, problems_in: Problems) -> None:
    folder = workspace(**{"units.csv": "id\nu1\n"})
    assert problems_in(folder) == [
        f"{folder}: the workspace has no people.csv — add it with at least the columns id, "
        "manager_id, unit (one row per person)"
    ]


def test_a_path_that_is_neither_folder_nor_workbook_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    (text,) = [str(p) for p in validate(missing)]
    assert text.startswith(f"{missing}: the workspace does not exist — give a folder")
    (tmp_path / "people.csv").write_text("id\n")
    (text,) = [str(p) for p in validate(tmp_path / "people.csv")]
    assert "the workspace is not a workbook" in text


def test_file_names_match_ignoring_case(workspace: WriteWorkspace) -> None:
    org = load(workspace(**{"People.CSV": PEOPLE, "Budget.csv": "id,unit,amount\nb,Sales,1\n"}))
    assert org.budget[0].origin == Origin("Budget.csv", 2)


@settings(max_examples=25, deadline=None)
@given(
    names=st.lists(
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
            min_size=1,
            max_size=20,
        ).filter(lambda name: name == name.strip()),
        min_size=1,
        max_size=5,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_name_written_through_csv_loads_back_exactly(names: list[str], delimiter: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["id", "name", "manager_id", "unit"])
    writer.writerows([f"p{i}", name, "p0" if i else "", "Sales"] for i, name in enumerate(names))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "people.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))
        assert [person.name for person in load(folder).people] == names


def test_a_bad_value_and_an_unknown_manager_are_listed_together(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    people = "id,manager_id,unit,cost\nceo,,Management,100\na,ceo,Sales,abc\nb,nobody,Sales,5\n"
    assert problems_in(workspace(**{"people.csv": people})) == [
        "people.csv:3: cost 'abc' is not a number — write a plain number such as 1234.5",
        "people.csv:4: manager_id 'nobody' of 'b' is not a person id — use the id of a person "
        "in people.csv, or leave it empty for the top",
    ]


def test_events_in_orglens_yaml_name_the_log_relative_to_the_workspace(
    workspace: WriteWorkspace,
) -> None:
    config = "events:\n  path: crm/history.csv\n  case: lead\n  end_activities: Closed won\n"
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})
    events = load(folder).events
    assert events is not None
    assert Path(events.path) == (folder / "crm" / "history.csv").resolve()
    assert (events.case, events.activity, events.end_activities) == ("lead", None, ("Closed won",))


def test_touch_under_events_names_the_first_sales_touch_as_one_activity_or_a_list(
    workspace: WriteWorkspace,
) -> None:
    one = "events:\n  path: log.csv\n  touch: First call\n"
    several = "events:\n  path: log.csv\n  touch: [First call, Demo]\n"
    for config, expected in ((one, ("First call",)), (several, ("First call", "Demo"))):
        events = load(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})).events
        assert events is not None
        assert events.touch == expected


def test_handoff_sla_bands_are_read_from_settings_and_must_rise(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "settings:\n  handoff_sla_bands_s: [60, 3600]\n"
    assert load(
        workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})
    ).settings.handoff_sla_bands_s == (60, 3600)
    falling = "settings:\n  handoff_sla_bands_s: [3600, 60]\n"
    problems = problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": falling}))
    assert len(problems) == 1
    assert "handoff_sla_bands_s must be rising seconds above 0" in problems[0]


def test_an_unknown_key_under_events_is_a_problem(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "name: Acme\nevents:\n  path: log.csv\n  owner: rep\n"
    problems = problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config}))
    assert problems == [
        "orglens.yaml:2: unknown key events.owner — use one of: path, case, activity, "
        "timestamp, resource, group, end_activities, touch, lifecycle"
    ]


def test_written_scenarios_are_read_from_yaml_and_the_scenarios_folder(
    workspace: WriteWorkspace,
) -> None:
    people = "id,manager_id,unit\nceo,,Management\ns,ceo,Sales\nm,ceo,Marketing\n"
    config = (
        "scenarios:\n"
        "  - name: revenue\n"
        "    operations:\n"
        "      - merge: {units: [Sales, Marketing], name: Revenue}\n"
    )
    folder = workspace(**{"people.csv": people, "orglens.yaml": config})
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "forum.yaml").write_text(
        "operations:\n  - forum: {units: [Sales, Marketing]}\n", encoding="utf-8"
    )
    loaded = read_workspace(folder)
    assert [s.name for s in loaded.scenarios] == ["revenue", "forum"]
    assert len(loaded.organization.people) == 3


def test_io_reads_written_scenarios_without_applying_them(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    # Applying (unknown units become problems) is orglens.Workspace's job: see
    # tests/test_workspace_api.py.
    people = "id,manager_id,unit\nceo,,Management\ns,ceo,Sales\n"
    config = (
        "name: Acme\n"
        "scenarios:\n"
        "  - name: revenue\n"
        "    operations:\n"
        "      - merge: {units: [Sales, Brand], name: Revenue}\n"
    )
    folder = workspace(**{"people.csv": people, "orglens.yaml": config})
    assert problems_in(folder) == []
    assert [s.name for s in read_workspace(folder).scenarios] == ["revenue"]


def test_advice_thresholds_are_set_in_orglens_yaml(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "advice:\n  small_go_to_market: 20\n"
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": config})
    assert read_workspace(folder).advice.small_go_to_market == 20
    bad = workspace(**{"people.csv": PEOPLE, "orglens.yaml": "advice:\n  smal: 20\n"})
    (problem,) = problems_in(bad)
    assert problem.startswith("orglens.yaml:1: unknown key advice.smal — use one of: ")


def test_an_unknown_metric_group_under_decision_is_a_problem_at_its_line(
    workspace: WriteWorkspace, problems_in: Problems
) -> None:
    config = "name: Acme\ndecision:\n  weights: {speed: 2}\n"
    (problem,) = problems_in(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config}))
    assert problem.startswith("orglens.yaml:2: decision.weights: ")
    assert "unknown metric group 'speed'" in problem
    assert " — " in problem
