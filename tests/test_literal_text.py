"""Text from the data reaches the terminal as written: no markup, no emoji, no control codes.

Each hostile name is put in a workspace (as a manager's name and as a unit) and the command's
output is checked byte by byte: the text is there literally, and no ESC byte, C1 control or
bidirectional override is.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglens.cli import app
from orglens.errors import Problem, UsageError
from orglens.privacy import mask_email
from orglens.terminal import fail, literal, warn

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"
WIDE = {"COLUMNS": "300"}  # no cell is folded over two lines

#: (text in the data, how it must show on the terminal)
HOSTILE = {
    "closing tag": ("Bo [/] Ek", "Bo [/] Ek"),
    "markup": ("[bold red]x[/]", "[bold red]x[/]"),
    "bracketed word": ("Karin Nyström [interim]", "Karin Nyström [interim]"),
    "emoji code": ("Ann :x: Lund", "Ann :x: Lund"),
    "clear screen": ("Cy\x1b[2J\x1b[H", "Cy\\x1b[2J\\x1b[H"),
    "window title": ("Dee\x1b]0;owned\x07", "Dee\\x1b]0;owned\\x07"),
    "OSC-8 link": ("\x1b]8;;http://evil.example\x1b\\Eve\x1b]8;;\x1b\\", "\\x1b]8;;http"),
    "right-to-left override": ("Fay \u202egnp.exe", "Fay \\u202egnp.exe"),
    "isolate": ("Gus \u2066x\u2069", "Gus \\u2066x\\u2069"),
    "C1 control sequence": ("Hal \x9b31m", "Hal \\x9b31m"),
    "DEL": ("Ida\x7f", "Ida\\x7f"),
}
#: What must never reach a terminal from the data.
RAW = ("\x1b", "\x9b", "\x7f", "\u202e", "\u2066", "\u2069", "\u274c")  # ❌ is :x:


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def small_workspace(folder: Path, name: str) -> Path:
    """Four people; ``name`` is the name of the head of Sales and of the Sales unit."""
    rows = [
        ["id", "name", "manager_id", "unit", "cost"],
        ["ceo", "Ada", "", "Management", "100"],
        ["s1", name, "ceo", f"Sales {name}", "50"],
        ["s2", "Bo", "s1", f"Sales {name}", "50"],
        ["s3", "Cy", "s1", f"Sales {name}", "50"],
    ]
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return folder


def assert_shown_literally(output: str, shown: str) -> None:
    assert shown in output
    for raw in RAW:
        assert raw not in output, f"{raw!r} reached the terminal"


@pytest.mark.parametrize(("text", "shown"), HOSTILE.values(), ids=HOSTILE.keys())
def test_analyze_shows_a_hostile_name_literally_in_its_tables(
    runner: CliRunner, tmp_path: Path, text: str, shown: str
) -> None:
    result = runner.invoke(app, ["analyze", str(small_workspace(tmp_path, text))], env=WIDE)
    assert result.exit_code == 0, result.output
    assert_shown_literally(result.stdout, shown)
    assert_shown_literally(result.stdout, f"Sales {shown}")


def test_compare_shows_hostile_names_literally_in_the_advice(
    runner: CliRunner, tmp_path: Path
) -> None:
    workspace = tmp_path / "demo"
    shutil.copytree(DEMO, workspace)
    people = workspace / "people.csv"
    with people.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    rows[0]["name"] = "Karin Nyström [interim] :x:"  # the CEO, named by the advice
    rows[2]["name"] = "Bo [/] \x1b]0;owned\x07\u202eEk"  # the head of Sales
    with people.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["compare", str(workspace)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert_shown_literally(result.stdout, "Karin Nyström [interim] :x:")
    assert_shown_literally(result.stdout, "Bo [/] \\x1b]0;owned\\x07\\u202eEk")


@pytest.mark.parametrize(("text", "shown"), HOSTILE.values(), ids=HOSTILE.keys())
def test_an_error_message_quoting_hostile_text_shows_it_literally(
    runner: CliRunner, tmp_path: Path, text: str, shown: str
) -> None:
    workspace = small_workspace(tmp_path, "Di")
    with (workspace / "people.csv").open("a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow(["s4", "Ed", f"boss {text}", "Sales", "50"])
    result = runner.invoke(app, ["validate", str(workspace)], env=WIDE)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert_shown_literally(result.stderr, shown)


def test_fail_prints_markup_and_emoji_codes_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    problem = Problem("unknown unit '[bold]x[/] :x:'", "fix [red]it[/red]", "people.csv", 3)
    with pytest.raises(Exception, match="2"):
        fail(UsageError(problem))
    assert capsys.readouterr().err == (
        "people.csv:3: unknown unit '[bold]x[/] :x:' — fix [red]it[/red]\n"
    )


def test_mine_csv_shows_hostile_resources_literally(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    with log.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(
            [
                ["case_id", "activity", "timestamp", "resource"],
                ["c1", "call", "2024-01-01T09:00:00Z", "[bold red]x[/]"],
                ["c1", "offer", "2024-01-01T10:00:00Z", "Fay \u202egnp.exe\x1b[2J"],
            ]
        )
    result = runner.invoke(app, ["mine", str(log), "--what", "handover", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("[bold red]x[/],Fay \\u202egnp.exe\\x1b[2J,1,")
    assert_shown_literally(result.stdout, "[bold red]x[/]")


def test_mine_json_writes_bidi_overrides_and_c1_controls_as_escapes(
    runner: CliRunner, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "case_id,activity,timestamp,resource\n"
        "c1,call,2024-01-01T09:00:00Z,Fay \u202egnp\n"
        "c1,offer \x9b31m,2024-01-01T10:00:00Z,Bo\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["mine", str(log), "--what", "dfg,handover"])
    assert result.exit_code == 0, result.output
    assert "Fay \\u202egnp" in result.stdout
    assert "offer \\u009b31m" in result.stdout
    assert_shown_literally(result.stdout, "call")


def test_literal_keeps_the_style_it_is_given_and_no_markup() -> None:
    text = literal("[green]ok[/green]\n", style="bold")
    assert (text.plain, str(text.style), text.spans) == ("[green]ok[/green]\\n", "bold", [])


def test_a_warning_is_shown_literally_with_its_emails_masked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    warn("resource 'anna@acme.se [x]' matches nobody\x1b[2J")
    assert capsys.readouterr().err == (
        f"warning: resource '{mask_email('anna@acme.se')} [x]' matches nobody\\x1b[2J\n"
    )


def test_a_long_message_stays_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    warn("x " * 200)
    assert capsys.readouterr().err.count("\n") == 1
