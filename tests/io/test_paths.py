"""Workspace paths: files stay inside the workspace unless allowed; odd files named clearly."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from orglens.errors import InvalidWorkspace
from orglens.io import load, read_events, read_workspace, validate

WriteWorkspace = Callable[..., Path]

PEOPLE = "id,name,manager_id,unit\nceo,Ada,,Management\ns1,Bo,ceo,Sales\n"
UNITS = "id,name,parent,head\nManagement,Management,,ceo\nSales,Sales,Management,s1\n"
SECRET = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon\n"
LOG = "case,activity,timestamp\nc1,call,2024-01-01T09:00:00Z\n"


def problems(folder: Path, *, allow_outside: bool = False) -> list[str]:
    return [str(problem) for problem in validate(folder, allow_outside=allow_outside)]


def test_an_absolute_events_path_outside_the_workspace_is_refused_at_its_line(
    workspace: WriteWorkspace, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text(SECRET)
    config = f"name: Acme\nevents:\n  path: {secret}\n"
    found = problems(workspace(**{"people.csv": PEOPLE, "orglens.yaml": config}))
    assert len(found) == 1
    assert found[0].startswith(
        f"orglens.yaml:3: events path '{secret}' leads outside the workspace"
    )
    assert "--allow-outside" in found[0]
    assert "root:x" not in found[0]


def test_an_events_path_climbing_out_with_dotdot_is_refused(
    workspace: WriteWorkspace, tmp_path: Path
) -> None:
    (tmp_path / "other.csv").write_text(SECRET)
    found = problems(workspace(**{"people.csv": PEOPLE, "orglens.yaml": "events: ../other.csv\n"}))
    assert found == [
        f"orglens.yaml:1: events path '../other.csv' leads outside the workspace, to "
        f"'{tmp_path / 'other.csv'}' — copy the file into the workspace folder, or allow files "
        "outside it (--allow-outside; allow_outside=True from Python)"
    ]


def test_an_events_path_outside_is_read_when_allowed(
    workspace: WriteWorkspace, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": f"events: {log}\n"})
    files = read_workspace(folder, allow_outside=True)
    assert files.organization.events is not None
    assert files.organization.events.path == str(log)


def test_an_events_path_that_goes_out_and_back_in_stays_allowed(
    workspace: WriteWorkspace,
) -> None:
    folder = workspace(**{"people.csv": PEOPLE, "events.csv": LOG})
    (folder / "orglens.yaml").write_text(f"events: ../{folder.name}/events.csv\n")
    org = load(folder)
    assert org.events is not None and org.events.path == str(folder.resolve() / "events.csv")


def test_people_csv_linking_to_a_system_file_is_refused_without_quoting_it(
    workspace: WriteWorkspace, tmp_path: Path
) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET)
    folder = workspace()
    (folder / "people.csv").symlink_to(secret)
    found = problems(folder)
    assert found == [
        f"people.csv: leads outside the workspace, to '{secret}' — copy the file into the "
        "workspace folder, or allow files outside it (--allow-outside; allow_outside=True "
        "from Python)"
    ]


def test_people_csv_linking_to_a_file_inside_the_workspace_loads(
    workspace: WriteWorkspace,
) -> None:
    folder = workspace(**{"export.csv": PEOPLE})
    (folder / "people.csv").symlink_to(folder / "export.csv")
    assert [person.id for person in load(folder).people] == ["ceo", "s1"]


def test_a_dangling_people_link_says_so_and_not_that_people_csv_is_missing(
    workspace: WriteWorkspace,
) -> None:
    folder = workspace()
    (folder / "people.csv").symlink_to(folder / "gone.csv")
    (found,) = problems(folder)
    assert found.startswith("people.csv: is a symbolic link to ")
    assert "which does not exist" in found


def test_a_folder_named_people_csv_says_it_is_a_folder(workspace: WriteWorkspace) -> None:
    folder = workspace()
    (folder / "people.csv").mkdir()
    assert problems(folder) == [
        "people.csv: is a folder, not a file — give a CSV file (or move the folder away)"
    ]


def test_a_fifo_named_people_csv_is_named_and_never_waited_on(workspace: WriteWorkspace) -> None:
    folder = workspace()
    os.mkfifo(folder / "people.csv")
    (found,) = problems(folder)
    assert found.startswith("people.csv: is a named pipe (FIFO), not a file")


def test_a_device_is_named_as_a_device_when_outside_files_are_allowed(
    workspace: WriteWorkspace,
) -> None:
    folder = workspace()
    (folder / "people.csv").symlink_to("/dev/null")
    assert problems(folder, allow_outside=True) == [
        "people.csv: is a device, not a file — give a regular file"
    ]


def test_an_unreadable_people_csv_is_the_only_problem_shown(
    workspace: WriteWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workspace(**{"people.csv": PEOPLE, "units.csv": UNITS})
    read_bytes = Path.read_bytes

    def refuse_people(self: Path) -> bytes:
        if self.name == "people.csv":
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse_people)
    assert problems(folder) == [
        "people.csv: the file cannot be read (Permission denied) — check its permissions"
    ]


def test_load_raises_for_a_path_outside_and_names_the_fix(
    workspace: WriteWorkspace, tmp_path: Path
) -> None:
    (tmp_path / "x.csv").write_text(LOG)
    folder = workspace(**{"people.csv": PEOPLE, "orglens.yaml": "events: ../x.csv\n"})
    with pytest.raises(InvalidWorkspace, match="allow_outside=True"):
        load(folder)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.mkdir(), "is a folder, not a file"),
        (lambda path: os.mkfifo(path), "is a named pipe (FIFO)"),
        (lambda path: path.symlink_to(path.parent / "gone.csv"), "which does not exist"),
        (lambda path: None, "does not exist"),
    ],
)
def test_an_event_log_that_is_not_a_regular_file_gets_its_own_message(
    tmp_path: Path, make: Callable[[Path], None], expected: str
) -> None:
    path = tmp_path / "log.csv"
    make(path)
    with pytest.raises(InvalidWorkspace) as raised:
        read_events(path)
    assert expected in str(raised.value)
    assert str(raised.value).startswith(f"{path}: ")
