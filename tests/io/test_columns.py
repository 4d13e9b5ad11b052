"""HR exports as they come: headers mapped in orglens.yaml or recognised as synonyms, each guess
and each unused column named in a warning, monthly salaries turned into annual cost."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from orglens.errors import Problem
from orglens.io.columns import ColumnMapping, map_tables, read_column_mapping
from orglens.io.config import read_config, read_config_sheet
from orglens.io.records import read_people
from orglens.io.synonyms import COLUMNS, SYNONYMS, normalize_header
from orglens.io.tables import read_csv
from orglens.io.units import UnitIndex
from orglens.io.workbook import read_workbook, table_from_sheet
from orglens.model import Person

SWEDISH_EXPORT = (
    "Anställningsnr;Namn;Chef;Avdelning;Månadslön\n"
    "1001;Åsa Öberg;;Ledning;85 000\n"
    "1002;Bo Ek;1001;Försäljning;45 000,50\n"
    "1003;Cia Lind;1001;Marknad;41 000\n"
)


@dataclass(frozen=True)
class Read:
    people: list[Person]
    warnings: tuple[str, ...]
    problems: list[str]


def read(people: str | bytes, config: str = "") -> Read:
    """people.csv (and orglens.yaml) read as a workspace reads them: the mapping of the config
    applied to the table, then the people read with its scales."""
    problems: list[Problem] = []
    mapping = read_config(config.encode(), "orglens.yaml", problems).columns
    data = people.encode() if isinstance(people, str) else people
    table = read_csv(data, "people.csv", problems)
    assert table is not None
    mapped = map_tables({"people": table}, mapping, problems)
    found = read_people(
        mapped.tables["people"], UnitIndex.derived(), problems, scales=mapped.people
    )
    return Read(found, mapped.warnings, [str(problem) for problem in problems])


def test_a_swedish_hr_export_loads_without_a_mapping_with_annual_costs() -> None:
    result = read(SWEDISH_EXPORT)
    assert result.problems == []
    assert [(p.id, p.name, p.manager_id, p.unit, p.cost) for p in result.people] == [
        ("1001", "Åsa Öberg", None, "Ledning", 1_020_000.0),
        ("1002", "Bo Ek", "1001", "Försäljning", 540_006.0),
        ("1003", "Cia Lind", "1001", "Marknad", 492_000.0),
    ]


def test_every_header_taken_as_a_synonym_is_named_in_a_warning() -> None:
    guessed, monthly = read(SWEDISH_EXPORT).warnings
    assert guessed.startswith(
        "people.csv: 'Anställningsnr' read as id, 'Namn' read as name, 'Chef' read as "
        "manager_id, 'Avdelning' read as unit, 'Månadslön' read as cost"
    )
    assert monthly == (
        "people.csv: cost 'Månadslön' read as monthly and multiplied by 12 to an annual cost "
        "('Månadslön' is a monthly salary; set cost_period: year if it is not)"
    )


def test_an_explicit_mapping_reads_any_header_and_guesses_nothing() -> None:
    people = "Nr,Vem,Boss,Grupp,Lön\n1,Ada,,Ledning,900000\n2,Bo,1,Sälj,500000\n"
    config = "columns:\n  people: {id: Nr, name: Vem, manager_id: Boss, unit: Grupp, cost: Lön}\n"
    result = read(people, config)
    assert result.problems == []
    assert [(p.id, p.name, p.manager_id, p.unit, p.cost) for p in result.people] == [
        ("1", "Ada", None, "Ledning", 900_000.0),
        ("2", "Bo", "1", "Sälj", 500_000.0),
    ]
    assert result.warnings == ()


def test_cost_period_month_in_the_mapping_makes_cost_annual_and_says_so() -> None:
    config = "columns:\n  people:\n    cost: Lön\n    cost_period: month\n"
    result = read("id,manager_id,unit,Lön\n1,,A,30000\n", config)
    assert result.people[0].cost == 360_000.0
    assert result.warnings == (
        "people.csv: cost 'Lön' read as monthly and multiplied by 12 to an annual cost "
        "(cost_period: month in orglens.yaml)",
    )


def test_cost_period_year_overrides_a_monthly_looking_header() -> None:
    config = "columns:\n  people:\n    cost_period: year\n"
    result = read("id,manager_id,unit,Månadslön\n1,,A,30000\n", config)
    assert result.people[0].cost == 30_000.0


def test_a_plain_salary_header_is_read_as_annual_with_a_hint_that_it_may_be_monthly() -> None:
    result = read("id,manager_id,unit,Lön\n1,,A,30000\n")
    assert result.people[0].cost == 30_000.0
    assert result.warnings == (
        "people.csv: 'Lön' read as cost (if it is monthly, set cost_period: month under "
        "columns: people:) (map them under columns: in orglens.yaml to confirm)",
    )


def test_a_mapping_naming_a_header_the_file_lacks_is_a_problem_at_its_yaml_line() -> None:
    config = "name: Acme\ncolumns:\n  people:\n    unit: Avd\n    cost: Årslön\n"
    result = read("id,manager_id,Avd,Lön\n1,,A,1\n", config)
    assert result.problems == [
        "orglens.yaml:5: columns: people: cost: 'Årslön' is not a column of people.csv — "
        "write one of its headers: 'id', 'manager_id', 'Avd', 'Lön'"
    ]


def test_headers_match_ignoring_case_accents_spaces_underscores_and_hyphens() -> None:
    people = "ANSTÄLLNINGS-NR,Manager-ID,avdelning,E_Post\n1,,A,a@x.se\n"
    result = read(people)
    assert result.problems == []
    assert [(p.id, p.unit, p.email) for p in result.people] == [("1", "A", "a@x.se")]
    assert normalize_header(" Anställnings-nr ") == normalize_header("anstallnings_NR")


def test_two_headers_that_could_be_one_column_are_a_problem_naming_both() -> None:
    result = read("id,Chef,Manager,unit\n1,,,A\n")
    assert result.problems == [
        "people.csv:1: 'Chef' and 'Manager' could both be manager_id — map one in orglens.yaml "
        "(columns: people: manager_id: Chef), or rename the other"
    ]


def test_a_column_under_its_own_name_wins_over_a_synonym_which_stays_an_attribute() -> None:
    result = read("id,manager_id,unit,Department\n1,,Sales,Revenue\n")
    assert result.problems == []
    assert result.people[0].unit == "Sales"
    assert result.people[0].attributes == {"Department": "Revenue"}


def test_a_header_that_looks_like_an_unmapped_column_gets_a_map_it_to_hint() -> None:
    result = read("id,manager_id,unit,Annual Salary SEK,Kön\n1,,A,500000,K\n")
    assert result.people[0].cost == 0.0
    assert result.warnings == (
        "people.csv: 'Annual Salary SEK' is not used: map it to cost? "
        "(columns: people: cost: Annual Salary SEK)",
    )


def test_other_columns_are_kept_as_attributes_without_a_warning() -> None:
    result = read("id,manager_id,unit,Kön,Startdatum,Tom\n1,,A,K,2020-01-01,\n")
    assert result.warnings == ()
    assert result.people[0].attributes == {"Kön": "K", "Startdatum": "2020-01-01"}


def test_an_employment_percentage_becomes_an_fte() -> None:
    result = read("id,manager_id,unit,Sysselsättningsgrad\n1,,A,80\n2,1,A,100\n")
    assert [p.fte for p in result.people] == [0.8, 1.0]
    assert result.warnings[-1] == (
        "people.csv: fte 'Sysselsättningsgrad' read as a percentage and divided by 100 "
        "(100 = full time)"
    )
    assert read("id,manager_id,unit,fte\n1,,A,50%\n").people[0].fte == 0.5


def test_wrong_entries_under_columns_are_problems_at_their_lines() -> None:
    problems: list[Problem] = []
    text = (
        "columns:\n"
        "  staff: {id: Nr}\n"
        "  people:\n"
        "    salary: Lön\n"
        "    cost_period: week\n"
        "    id: Nr\n"
        "    manager_id: Nr\n"
    )
    read_config(text.encode(), "orglens.yaml", problems)
    assert [(problem.line, problem.what) for problem in problems] == [
        (2, "columns: unknown table 'staff'"),
        (4, "columns: people: 'salary' is not a column of people"),
        (5, "columns: people: cost_period 'week' is not one of year, month"),
        (7, "columns: people: manager_id: 'Nr' is already mapped to id"),
    ]


def test_a_mapping_for_a_table_the_workspace_lacks_is_named_in_a_warning() -> None:
    mapping = read_column_mapping({"budget": {"amount": "Belopp"}}, "orglens.yaml", {}, [])
    assert map_tables({}, mapping, []).warnings == (
        "orglens.yaml: columns: budget: the workspace has no budget table, so this mapping is "
        "not used",
    )


def test_other_tables_recognise_their_own_synonyms() -> None:
    problems: list[Problem] = []
    table = read_csv("Från;Till;Vikt\nsales;marketing;3\n".encode(), "coordination.csv", problems)
    assert table is not None
    mapped = map_tables({"coordination": table}, ColumnMapping(), problems)
    assert mapped.tables["coordination"].columns == {"source": 0, "target": 1, "weight": 2}
    assert problems == []


def test_a_workbook_orglens_sheet_holds_the_same_mapping(tmp_path: Path) -> None:
    book = Workbook()
    people = book.active
    people.title = "people"
    people.append(["Nr", "Boss", "Grupp", "Lön"])
    people.append(["1", None, "Ledning", 50000])
    settings = book.create_sheet("orglens")
    for row in (
        ["key", "value"],
        ["columns.people.id", "Nr"],
        ["columns.people.manager_id", "Boss"],
        ["columns.people.unit", "Grupp"],
        ["columns.people.cost", "Lön"],
        ["columns.people.cost_period", "month"],
        ["columns.people.colour", "Röd"],
    ):
        settings.append(row)
    book.save(tmp_path / "book.xlsx")
    problems: list[Problem] = []
    sheets = read_workbook(tmp_path / "book.xlsx", problems)
    assert sheets is not None
    config = read_config_sheet(sheets["orglens"], problems)
    table = table_from_sheet(sheets["people"], problems)
    assert table is not None
    assert [str(problem) for problem in problems] == [
        "book.xlsx[orglens]:7: columns: people: 'colour' is not a column of people — use one "
        "of: id, name, manager_id, unit, role, competences, cost, fte, email, location, "
        "segments, work_mode (and cost_period)"
    ]
    mapped = map_tables({"people": table}, config.columns, problems)
    (person,) = read_people(
        mapped.tables["people"], UnitIndex.derived(), problems, scales=mapped.people
    )
    assert (person.id, person.manager_id, person.unit, person.cost) == ("1", None, "Ledning", 6e5)


def test_every_synonym_names_a_column_of_its_table_and_no_synonym_is_listed_twice() -> None:
    for kind, columns in SYNONYMS.items():
        names = {column.name for column in COLUMNS[kind]}
        assert set(columns) <= names, kind
        written = [
            normalize_header(text.partition("@")[0]) for texts in columns.values() for text in texts
        ]
        assert len(written) == len(set(written)), kind
