"""`orglens init`: a workspace skeleton with every file documented, and the mapping guessed from
an HR export."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from openpyxl import Workbook
from typer.testing import CliRunner

from orglens.cli_init import register
from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.io import validate
from orglens.io.columns import map_tables
from orglens.io.config import read_config
from orglens.io.init import readme_text, write_skeleton
from orglens.io.records import read_people
from orglens.io.synonyms import COLUMNS
from orglens.io.tables import read_csv
from orglens.io.units import UnitIndex

FILES = (
    "README.md",
    "orglens.yaml",
    "people.csv",
    "units.csv",
    "budget.csv",
    "revenue.csv",
    "journey.csv",
    "coordination.csv",
    "segments.csv",
)
SWEDISH_EXPORT = (
    "Anställningsnr;Namn;Chef;Avdelning;Månadslön;Kön\n"
    "1001;Åsa Öberg;;Ledning;85 000;K\n"
    "1002;Bo Ek;1001;Försäljning;45 000;M\n"
)


def command_line() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("other")(lambda: None)  # with two commands, typer keeps the command names
    return app


def test_init_writes_every_file_the_workspace_reads_csv_files_with_headers_only(
    tmp_path: Path,
) -> None:
    skeleton = write_skeleton(tmp_path / "acme")
    assert skeleton.written == FILES
    assert sorted(path.name for path in (tmp_path / "acme").iterdir()) == sorted(FILES)
    assert (tmp_path / "acme" / "people.csv").read_text() == (
        "id,name,manager_id,unit,role,competences,cost,fte,email,location,segments,work_mode\n"
    )
    assert (tmp_path / "acme" / "coordination.csv").read_text() == "source,target,weight,kind\n"


def test_the_written_orglens_yaml_reads_without_problems(tmp_path: Path) -> None:
    write_skeleton(tmp_path / "acme")
    problems: list[Problem] = []
    config = read_config((tmp_path / "acme" / "orglens.yaml").read_bytes(), "o.yaml", problems)
    assert problems == []
    assert config.name == "acme"


def test_the_readme_documents_every_column_as_required_or_optional_with_an_example_row() -> None:
    readme = readme_text()
    for kind, columns in COLUMNS.items():
        section = readme.split(f"## {kind}.csv")[1].split("\n## ")[0]
        for column in columns:
            assert f"| `{column.name}` | {'required' if column.required else 'optional'} |" in (
                section
            )
        header = ",".join(column.name for column in columns)
        assert f"```csv\n{header}\n" in section
    assert "| `manager_id` | required | the id of their manager; empty for the top | P001 |" in (
        readme
    )


def test_a_skeleton_with_one_person_added_validates(tmp_path: Path) -> None:
    folder = write_skeleton(tmp_path / "acme").folder
    with (folder / "people.csv").open("a", encoding="utf-8") as people:
        people.write("P001,Ada,,Management,CEO,,,,,,,\n")
    assert validate(folder) == []


def test_init_refuses_to_overwrite_existing_files(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "people.csv").write_text("id,manager_id,unit\nmine,,A\n", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        write_skeleton(folder)
    assert str(raised.value) == (
        f"{folder}: people.csv already exists — choose a new folder, or add --force to "
        "overwrite these files"
    )
    assert (folder / "people.csv").read_text() == "id,manager_id,unit\nmine,,A\n"
    assert sorted(path.name for path in folder.iterdir()) == ["people.csv"]


def test_force_overwrites_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "people.csv").write_text("old\n", encoding="utf-8")
    write_skeleton(folder, force=True)
    assert (folder / "people.csv").read_text().startswith("id,name,manager_id,")


def test_init_from_a_swedish_export_copies_it_and_writes_the_guessed_mapping(
    tmp_path: Path,
) -> None:
    export = tmp_path / "hr.csv"
    export.write_bytes(SWEDISH_EXPORT.encode())
    skeleton = write_skeleton(tmp_path / "acme", export=export)
    folder = skeleton.folder
    assert (folder / "people.csv").read_bytes() == export.read_bytes()
    assert skeleton.columns == {
        "id": "Anställningsnr",
        "name": "Namn",
        "manager_id": "Chef",
        "unit": "Avdelning",
        "cost": "Månadslön",
    }
    assert skeleton.cost_period == "month"
    problems: list[Problem] = []
    config = read_config((folder / "orglens.yaml").read_bytes(), "orglens.yaml", problems)
    assert problems == []
    assert dict(config.columns.headers["people"]) == skeleton.columns
    assert config.columns.cost_period == "month"
    # Read as the workspace reads it: the mapping confirms every header, nothing is guessed.
    table = read_csv((folder / "people.csv").read_bytes(), "people.csv", problems)
    assert table is not None
    mapped = map_tables({"people": table}, config.columns, problems)
    people = read_people(
        mapped.tables["people"], UnitIndex.derived(), problems, scales=mapped.people
    )
    assert problems == []
    assert [(p.id, p.manager_id, p.unit, p.cost) for p in people] == [
        ("1001", None, "Ledning", 1_020_000.0),
        ("1002", "1001", "Försäljning", 540_000.0),
    ]
    assert skeleton.warnings == mapped.warnings
    assert not any("read as id" in warning for warning in mapped.warnings)


def test_init_from_a_workbook_converts_its_people_sheet_to_csv(tmp_path: Path) -> None:
    book = Workbook()
    other = book.active
    other.title = "Info"
    other.append(["exported", "2024-05-01"])
    sheet = book.create_sheet("People")
    sheet.append(["Employee ID", "Manager", "Department", "Annual Salary"])
    sheet.append([7, None, "Sales", 612345.5])
    book.save(tmp_path / "hr.xlsx")
    skeleton = write_skeleton(tmp_path / "acme", export=tmp_path / "hr.xlsx")
    assert (skeleton.folder / "people.csv").read_text(encoding="utf-8") == (
        "Employee ID,Manager,Department,Annual Salary\n7,,Sales,612345.5\n"
    )
    assert skeleton.columns == {
        "id": "Employee ID",
        "manager_id": "Manager",
        "unit": "Department",
        "cost": "Annual Salary",
    }
    assert skeleton.cost_period is None


def test_init_from_an_export_without_a_unit_column_says_which_to_map(tmp_path: Path) -> None:
    export = tmp_path / "hr.csv"
    export.write_text("Anst.nr,Namn,Chef\n1,Ada,\n", encoding="utf-8")
    skeleton = write_skeleton(tmp_path / "acme", export=export)
    assert skeleton.warnings[-1] == (
        "people.csv: no column found for unit: map it under columns: people: in orglens.yaml, "
        "or add it to the export"
    )


def test_init_from_a_missing_export_is_a_problem_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as raised:
        write_skeleton(tmp_path / "acme", export=tmp_path / "nowhere.csv")
    assert "the export does not exist" in str(raised.value)
    assert not (tmp_path / "acme").exists()


def test_init_from_an_unreadable_export_lists_its_problems(tmp_path: Path) -> None:
    export = tmp_path / "hr.csv"
    export.write_text("", encoding="utf-8")
    with pytest.raises(InvalidWorkspace) as raised:
        write_skeleton(tmp_path / "acme", export=export)
    assert str(raised.value).startswith("hr.csv: the file is empty")


def test_the_command_writes_the_skeleton_and_names_the_mapping(tmp_path: Path) -> None:
    export = tmp_path / "hr.csv"
    export.write_bytes(SWEDISH_EXPORT.encode())
    result = CliRunner().invoke(
        command_line(), ["init", str(tmp_path / "acme"), "--from", str(export)]
    )
    assert result.exit_code == 0, result.output
    assert "manager_id = 'Chef'" in result.output
    assert "cost is monthly (× 12)" in result.output


def test_the_command_exits_2_with_one_line_when_files_exist(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    write_skeleton(folder)
    result = CliRunner().invoke(command_line(), ["init", str(folder)])
    assert result.exit_code == 2
    assert "already exist — choose a new folder, or add --force" in result.output
    assert "Traceback" not in result.output
