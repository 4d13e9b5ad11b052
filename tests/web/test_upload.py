"""An uploaded workspace is unpacked safely, or refused with one clear problem and nothing left."""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl  # imported up front: its import would count in the memory measured below
import pytest

from orglens import Workspace
from orglens.demo import write_demo
from orglens.errors import InvalidWorkspace, Problem
from orglens.io import workbook
from orglens.web.upload import UploadLimits, unpack

PEOPLE = "id,name,manager_id,unit\nceo,Ada,,Management\ns1,Bo,ceo,Sales\n"
#: The most memory (traced by tracemalloc) unpacking a hostile upload may take.
MAX_PEAK_BYTES = 32 * 2**20
GIB = 2**30


# -- building uploads ------------------------------------------------------------------------


def write_zip(path: Path, files: dict[str, str | bytes | zipfile.ZipInfo]) -> Path:
    """A zip at ``path`` with ``files``; a :class:`~zipfile.ZipInfo` value is an empty entry
    written with that header (a link, a folder...), its content in its ``comment``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            if isinstance(content, zipfile.ZipInfo):
                archive.writestr(content, content.comment)
            else:
                archive.writestr(name, content)
    return path


def entry(name: str, mode: int, content: bytes = b"") -> zipfile.ZipInfo:
    """A zip entry header made on Unix with file ``mode`` (type and permissions)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    info.comment = content
    return info


def patch_central(path: Path, name: str, offset: int, fmt: str, value: int) -> Path:
    """Rewrite a field of entry ``name`` in the central directory of the zip at ``path``."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name.encode():
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into(fmt, data, at + offset, value)
    path.write_bytes(bytes(data))
    return path


def zeros_entry(path: Path, name: str, size: int) -> Path:
    """A zip whose entry ``name`` holds ``size`` zero bytes (a few MB compressed)."""
    block = bytes(16 * 2**20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(name, "w") as out,
    ):
        for _ in range(size // len(block)):
            out.write(block)
    return path


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``bomb.zip``: ``acme/people.csv`` is 1 GiB of zeros, in under 5 MB."""
    folder = tmp_path_factory.mktemp("bomb")
    return zeros_entry(folder / "bomb.zip", "acme/people.csv", GIB)


@pytest.fixture
def into(tmp_path: Path) -> Path:
    """Where the web workspace would keep version 1 of workspace 1."""
    return tmp_path / "data" / "workspaces" / "1" / "v1"


@pytest.fixture(autouse=True)
def _no_strays(into: Path) -> Iterator[None]:
    """No test leaves a scratch file beside the versions, accepted or refused."""
    yield
    if into.parent.exists():
        assert not [path for path in into.parent.iterdir() if path.name.endswith(".part")]


def nothing_left(into: Path) -> bool:
    """Whether the folder an upload was unpacked beside is empty (or was never made)."""
    return not into.parent.exists() or not any(into.parent.iterdir())


def refused(upload: Path, into: Path, limits: UploadLimits | None = None) -> Problem:
    """The one problem ``upload`` is refused with (nothing may be left on disk)."""
    with pytest.raises(InvalidWorkspace) as caught:
        unpack(upload, upload.name, into, limits=limits or UploadLimits())
    assert nothing_left(into)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def peak_memory(action: Callable[[], object]) -> int:
    """The peak of memory (traced by tracemalloc) while ``action`` runs."""
    tracemalloc.start()
    try:
        action()
    except InvalidWorkspace:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def people_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "people"
    for line in PEOPLE.splitlines():
        sheet.append(line.split(","))
    book.save(path)
    return path


# -- what is accepted ------------------------------------------------------------------------


@pytest.fixture
def demo_zip(tmp_path: Path) -> Path:
    """The demo workspace, zipped as a desktop does: in one top folder, ``nordljus/``."""
    files = write_demo(tmp_path / "demo")
    contents: dict[str, str | bytes | zipfile.ZipInfo] = {
        f"nordljus/{path.name}": path.read_bytes() for path in files
    }
    return write_zip(tmp_path / "upload" / "nordljus.zip", contents)


def test_the_demo_workspace_zipped_in_one_top_folder_unpacks_and_validates_clean(
    demo_zip: Path, into: Path
) -> None:
    unpacked = unpack(demo_zip, "nordljus.zip", into)
    assert unpacked.kind == "zip"
    assert unpacked.workspace == "nordljus"
    assert unpacked.folder.parent == into.parent
    assert not into.exists()
    assert set(unpacked.files) == {path.name for path in unpacked.path.iterdir()}
    assert "events.csv" in unpacked.files
    assert unpacked.size == demo_zip.stat().st_size
    assert unpacked.sha256 == hashlib.sha256(demo_zip.read_bytes()).hexdigest()


def test_the_folder_renamed_into_place_opens_as_a_workspace(demo_zip: Path, into: Path) -> None:
    unpacked = unpack(demo_zip, "nordljus.zip", into)
    unpacked.folder.rename(into)
    workspace = Workspace.open(into / unpacked.workspace)
    assert workspace.organization.name == "Nordljus Software AB"
    assert [path.name for path in into.parent.iterdir()] == ["v1"]


def test_an_upload_is_read_from_a_stream_as_well_as_from_a_path(demo_zip: Path, into: Path) -> None:
    with demo_zip.open("rb") as stream:
        unpacked = unpack(stream, "nordljus.zip", into)
        assert not stream.closed
    assert unpacked.sha256 == hashlib.sha256(demo_zip.read_bytes()).hexdigest()


def test_a_workspace_zipped_at_its_root_gets_a_folder_named_as_the_zip(
    tmp_path: Path, into: Path
) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"people.csv": PEOPLE, "scenarios/": b""})
    unpacked = unpack(upload, "acme.zip", into)
    assert unpacked.workspace == "acme"
    assert unpacked.files == ("people.csv",)
    assert Workspace.open(unpacked.path).organization.name == "acme"


def test_an_xlsx_workbook_is_kept_under_its_own_name(tmp_path: Path, into: Path) -> None:
    upload = people_book(tmp_path / "Acme AB.xlsx")
    unpacked = unpack(upload, "C:\\Users\\ada\\Acme AB.xlsx", into)
    assert (unpacked.kind, unpacked.workspace, unpacked.files) == (
        "xlsx",
        "Acme AB.xlsx",
        ("Acme AB.xlsx",),
    )
    assert unpacked.filename == "C:\\Users\\ada\\Acme AB.xlsx"
    assert (unpacked.path).read_bytes() == upload.read_bytes()
    assert len(Workspace.open(unpacked.path).organization.people) == 2


def test_a_workbook_with_an_unsafe_name_is_kept_as_workbook_xlsx(
    tmp_path: Path, into: Path
) -> None:
    upload = people_book(tmp_path / "book.xlsx")
    assert unpack(upload, "..xlsx", into).workspace == "workbook.xlsx"


def test_a_zip_holding_one_workbook_opens_that_workbook(tmp_path: Path, into: Path) -> None:
    book = people_book(tmp_path / "acme.xlsx").read_bytes()
    upload = write_zip(tmp_path / "up.zip", {"acme/acme.xlsx": book, "acme/notes.txt": "hi"})
    unpacked = unpack(upload, "up.zip", into)
    assert unpacked.workspace == "acme/acme.xlsx"
    assert sorted(unpacked.files) == ["acme.xlsx", "notes.txt"]


def test_what_macos_adds_to_a_zip_is_left_out(tmp_path: Path, into: Path) -> None:
    upload = write_zip(
        tmp_path / "acme.zip",
        {
            "acme/people.csv": PEOPLE,
            "acme/.DS_Store": b"\0\0\0\1Bud1",
            "__MACOSX/acme/._people.csv": b"\0\5\26\7",
        },
    )
    unpacked = unpack(upload, "acme.zip", into)
    assert unpacked.workspace == "acme"
    assert unpacked.files == ("people.csv",)
    assert [path.name for path in unpacked.folder.iterdir()] == ["acme"]


def test_files_beside_the_one_top_folder_are_not_unpacked(tmp_path: Path, into: Path) -> None:
    upload = write_zip(tmp_path / "a.zip", {"README.txt": "x", "acme/people.csv": PEOPLE})
    unpacked = unpack(upload, "a.zip", into)
    assert [path.name for path in unpacked.folder.iterdir()] == ["acme"]


def test_unpacked_says_where_it_is_as_json(demo_zip: Path, into: Path) -> None:
    found = unpack(demo_zip, "nordljus.zip", into).to_dict()
    assert list(found) == ["folder", "workspace", "kind", "filename", "size", "sha256", "files"]
    assert found["workspace"] == "nordljus"


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_entries must be positive"):
        UploadLimits(max_entries=0)
    assert UploadLimits().to_dict()["max_ratio"] == 100


# -- what the upload is ----------------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """``size`` bytes of ``x``, counting how many were read."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = b"x" * count
        self.left -= count
        self.given += count
        return count


def test_an_upload_past_its_limit_is_refused_before_it_is_all_read(into: Path) -> None:
    stream = CountingStream(50 * 2**20)
    with pytest.raises(InvalidWorkspace) as caught:
        unpack(stream, "big.zip", into, limits=UploadLimits(max_upload_bytes=3 * 2**20))
    assert str(caught.value).startswith("big.zip: the upload is larger than 3.0 MiB — ")
    assert stream.given <= 5 * 2**20
    assert nothing_left(into)


def test_a_file_that_is_neither_zip_nor_xlsx_is_refused(tmp_path: Path, into: Path) -> None:
    upload = tmp_path / "people.csv"
    upload.write_text(PEOPLE)
    problem = refused(upload, into)
    assert problem.file == "people.csv"
    assert problem.what == "the file is neither a .zip archive nor an .xlsx workbook"


def test_an_old_xls_workbook_is_asked_to_be_saved_as_xlsx(tmp_path: Path, into: Path) -> None:
    upload = tmp_path / "acme.xls"
    upload.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    assert "save it as an Excel Workbook (.xlsx)" in refused(upload, into).fix


def test_a_password_protected_workbook_is_refused(tmp_path: Path, into: Path) -> None:
    upload = tmp_path / "acme.xlsx"
    upload.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "protected by a password" in refused(upload, into).what


def test_a_workbook_directory_is_held_to_the_parts_a_workbook_may_have(
    tmp_path: Path, into: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = people_book(tmp_path / "book.xlsx")
    monkeypatch.setattr(workbook, "MAX_WORKBOOK_PARTS", 0)
    assert refused(upload, into).what.endswith("more than 0 entries need")


def test_a_workbook_with_problems_names_its_sheet_and_row(tmp_path: Path, into: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "people"
    for row in (["id", "manager_id", "unit"], ["ceo", "", "Management"], ["s1", "boss", "Sales"]):
        sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    with pytest.raises(InvalidWorkspace) as caught:
        unpack(tmp_path / "book.xlsx", "book.xlsx", into)
    assert [(p.file, p.line) for p in caught.value.problems] == [("book.xlsx[people]", 3)]
    assert nothing_left(into)


def test_a_zip_that_is_not_a_zip_is_refused(tmp_path: Path, into: Path) -> None:
    upload = tmp_path / "acme.zip"
    upload.write_text(PEOPLE)
    assert refused(upload, into).what.startswith("the file is not a zip archive")


def test_a_name_with_a_newline_is_shown_escaped(tmp_path: Path, into: Path) -> None:
    upload = tmp_path / "x.zip"
    upload.write_text("not a zip")
    with pytest.raises(InvalidWorkspace) as caught:
        unpack(upload, "evil\n.pdf", into)
    assert caught.value.problems[0].file == "'evil\\n.pdf'"


# -- entries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("../evil.csv", "leads out of the folder"),
        ("acme/../../evil.csv", "leads out of the folder"),
        ("acme//people.csv", "has an empty or '.' part"),
        ("./people.csv", "has an empty or '.' part"),
        ("/etc/cron.d/evil", "is an absolute path"),
        ("C:/Windows/evil.dll", "names a drive"),
        ("acme\\..\\evil.csv", "holds a backslash"),
        ("acme/people\n.csv", "holds a control or invisible character"),
        ("acme/\u202evsc.exe", "holds a control or invisible character"),
        ("acme/" + "x" * 300, "has a part longer than 255 bytes"),
    ],
)
def test_an_entry_whose_name_leads_astray_is_refused_by_name(
    tmp_path: Path, into: Path, name: str, what: str
) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, name: "x"})
    problem = refused(upload, into)
    assert problem.what.startswith(f"the entry {name!r} {what}")
    assert problem.file == "acme.zip"


@pytest.mark.parametrize(
    ("mode", "what"),
    [
        (stat.S_IFLNK | 0o777, "is a symbolic link"),
        (stat.S_IFIFO | 0o644, "is a device, pipe or socket"),
        (stat.S_IFCHR | 0o644, "is a device, pipe or socket"),
        (stat.S_IFDIR | 0o755, "is marked both as a folder and as a file"),
    ],
)
def test_an_entry_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, into: Path, mode: int, what: str
) -> None:
    odd = entry("acme/units.csv", mode, b"/etc/passwd")
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "odd": odd})
    assert refused(upload, into).what.startswith(f"the entry 'acme/units.csv' {what}")


def test_two_entries_of_one_name_are_refused(tmp_path: Path, into: Path) -> None:
    upload = tmp_path / "acme.zip"
    with (
        zipfile.ZipFile(upload, "w") as archive,
        pytest.warns(UserWarning, match="Duplicate name"),
    ):
        archive.writestr("acme/people.csv", PEOPLE)
        archive.writestr("acme/people.csv", "id\nintruder\n")
    assert refused(upload, into).what == (
        "the entries 'acme/people.csv' and 'acme/people.csv' have the same name"
    )


def test_two_entries_whose_names_differ_only_in_case_are_refused(
    tmp_path: Path, into: Path
) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "acme/People.csv": "id"})
    assert "have the same name" in refused(upload, into).what


def test_a_file_named_as_a_folder_of_another_entry_is_refused(tmp_path: Path, into: Path) -> None:
    upload = write_zip(
        tmp_path / "acme.zip",
        {"acme/people.csv": PEOPLE, "acme/scenarios": "x", "acme/scenarios/a.yaml": "name: a"},
    )
    assert refused(upload, into).what == (
        "the entry 'acme/scenarios' is a file, but 'acme/scenarios/a.yaml' is inside it"
    )


def test_an_encrypted_entry_is_refused(tmp_path: Path, into: Path) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE})
    patch_central(upload, "acme/people.csv", 8, "<H", 0x1)
    assert refused(upload, into).what == "the entry 'acme/people.csv' is encrypted"


def test_an_entry_compressed_otherwise_than_with_deflate_is_refused(
    tmp_path: Path, into: Path
) -> None:
    upload = tmp_path / "acme.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("acme/people.csv", PEOPLE)
    assert "compressed with method 14, not Deflate" in refused(upload, into).what


def test_an_archive_inside_the_archive_is_refused(tmp_path: Path, into: Path) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "acme/old.ZIP": "PK"})
    assert "is an archive inside the archive" in refused(upload, into).what


def test_too_many_entries_are_refused(tmp_path: Path, into: Path) -> None:
    files: dict[str, str | bytes | zipfile.ZipInfo] = {f"acme/s{n}.yaml": "" for n in range(20)}
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, **files})
    problem = refused(upload, into, UploadLimits(max_entries=10))
    assert problem.what == "the zip has 21 entries, more than the 10 of a workspace"


def test_a_directory_of_entries_larger_than_the_entries_allowed_need_is_refused(
    tmp_path: Path, into: Path
) -> None:
    files: dict[str, str | bytes | zipfile.ZipInfo] = {
        f"acme/{n}{'x' * 200}/{'y' * 200}/{'z' * 200}": "" for n in range(50)
    }
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, **files})
    problem = refused(upload, into, UploadLimits(max_entries=10))
    assert problem.what.startswith("the archive's list of entries takes ")
    assert problem.what.endswith("more than 10 entries need")


def test_a_zip_without_a_workspace_in_it_is_refused(tmp_path: Path, into: Path) -> None:
    upload = write_zip(tmp_path / "x.zip", {"a/people.csv": PEOPLE, "b/notes.txt": "x"})
    problem = refused(upload, into)
    assert problem.what.startswith("the zip has no people.csv, nor one .xlsx workbook")
    assert "'a/people.csv', 'b/notes.txt'" in problem.what
    assert problem.fix == "zip the workspace folder itself (the one with people.csv)"


# -- sizes and bombs -------------------------------------------------------------------------


def test_an_entry_larger_than_one_file_may_be_is_refused(tmp_path: Path, into: Path) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE + "x" * 5000})
    problem = refused(upload, into, UploadLimits(max_entry_bytes=4096))
    assert problem.what.startswith("the entry 'acme/people.csv' inflates to 5,")
    assert problem.what.endswith("more than the 4,096 bytes of one file")


def test_entries_larger_together_than_a_workspace_may_be_are_refused(
    tmp_path: Path, into: Path
) -> None:
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "acme/a": "x" * 3000})
    problem = refused(upload, into, UploadLimits(max_total_bytes=3000))
    assert problem.what.startswith("the zip inflates to 3,")


def test_a_zip_bomb_of_a_gigabyte_of_zeros_is_refused_in_little_memory(
    zip_bomb: Path, into: Path
) -> None:
    problem = refused(zip_bomb, into)
    assert problem.what.startswith("the entry 'acme/people.csv' inflates ")
    assert problem.what.endswith("times of a real file: a zip bomb")
    assert peak_memory(lambda: unpack(zip_bomb, "bomb.zip", into)) < MAX_PEAK_BYTES


def test_a_bomb_that_declares_a_small_size_is_refused_after_that_size(
    zip_bomb: Path, tmp_path: Path, into: Path
) -> None:
    liar = tmp_path / "liar.zip"
    liar.write_bytes(zip_bomb.read_bytes())
    patch_central(liar, "acme/people.csv", 24, "<I", 1000)
    problem = refused(liar, into)
    assert problem.what.startswith("the entry 'acme/people.csv' cannot be unpacked (Bad CRC-32")
    assert peak_memory(lambda: unpack(liar, "liar.zip", into)) < MAX_PEAK_BYTES


def test_a_bomb_whose_entries_claim_more_bytes_than_the_upload_holds_is_refused(
    zip_bomb: Path, tmp_path: Path, into: Path
) -> None:
    liar = tmp_path / "liar.zip"
    liar.write_bytes(zip_bomb.read_bytes())
    patch_central(liar, "acme/people.csv", 20, "<I", GIB)
    assert "they overlap, as in a zip bomb" in refused(liar, into).what


def test_a_workbook_whose_sheet_inflates_hugely_is_refused_in_little_memory(
    tmp_path: Path, into: Path
) -> None:
    book = people_book(tmp_path / "template.xlsx")
    upload = tmp_path / "book.xlsx"
    block = b"<row/>" * (2**20)
    with (
        zipfile.ZipFile(book) as source,
        zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for part in source.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                out.writestr(part, source.read(part))
        with out.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/')
            sheet.write(b'main"><sheetData>')
            for _ in range(512 // 6):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    problem = refused(upload, into)
    assert problem.file == "book.xlsx"
    assert "more than the 200.0 MiB read from a workbook" in problem.what
    assert peak_memory(lambda: unpack(upload, "book.xlsx", into)) < MAX_PEAK_BYTES


# -- the workspace inside --------------------------------------------------------------------


def laughs(key: str) -> str:
    """A "billion laughs" in YAML under ``key``: nine lists of nine aliases, nine deep."""
    levels = [f"  a: &a [{', '.join(['lol'] * 9)}]"]
    for before, this in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"  {this}: &{this} [{', '.join([f'*{before}'] * 9)}]")
    return f"{key}:\n" + "\n".join(levels) + "\n"


def invalid(upload: Path, into: Path) -> list[Problem]:
    """The problems ``upload`` does not validate with (nothing may be left on disk)."""
    with pytest.raises(InvalidWorkspace) as caught:
        unpack(upload, upload.name, into)
    assert nothing_left(into)
    return caught.value.problems


def test_a_workspace_with_problems_is_refused_with_each_file_and_line(
    tmp_path: Path, into: Path
) -> None:
    people = PEOPLE + "s1,Cy,ceo,Sales\ns2,Di,nobody,Sales\n"
    upload = write_zip(tmp_path / "acme.zip", {"acme/people.csv": people})
    problems = invalid(upload, into)
    assert [(problem.file, problem.line) for problem in problems] == [
        ("people.csv", 3),
        ("people.csv", 4),
        ("people.csv", 5),
    ]
    assert str(problems[2]) == (
        "people.csv:5: manager_id 'nobody' of 's2' is not a person id — use the id of a person "
        "in people.csv, or leave it empty for the top"
    )


def test_a_yaml_alias_bomb_in_orglens_yaml_is_refused_at_its_line(
    tmp_path: Path, into: Path
) -> None:
    config = "name: Acme\n" + laughs("settings")
    upload = write_zip(
        tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "acme/orglens.yaml": config}
    )
    (problem,) = invalid(upload, into)
    assert problem.file == "orglens.yaml"
    assert problem.line == 3
    assert "alias" in problem.what or "anchor" in problem.what


def test_a_yaml_alias_bomb_in_a_scenario_is_refused_at_its_line(tmp_path: Path, into: Path) -> None:
    scenario = "name: laughs\n" + laughs("description")
    upload = write_zip(
        tmp_path / "acme.zip",
        {"acme/people.csv": PEOPLE, "acme/scenarios/laughs.yaml": scenario},
    )
    (problem,) = invalid(upload, into)
    assert problem.file is not None and problem.file.endswith("laughs.yaml")
    assert problem.line == 3


def test_an_xes_log_that_declares_entities_is_refused(tmp_path: Path, into: Path) -> None:
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    )
    log = (
        f'<?xml version="1.0"?>\n<!DOCTYPE log [{entities}]>\n<log><trace>'
        '<event><string key="concept:name" value="&e9;"/></event></trace></log>\n'
    )
    upload = write_zip(
        tmp_path / "acme.zip",
        {"acme/people.csv": PEOPLE, "acme/orglens.yaml": "events: log.xes\n", "acme/log.xes": log},
    )
    (problem,) = invalid(upload, into)
    assert problem.file == "log.xes"
    assert problem.what == "the XES file declares a DOCTYPE"


@pytest.mark.parametrize("path", ["../../../../etc/hostname", "/etc/hostname"])
def test_an_event_log_outside_the_upload_is_refused(tmp_path: Path, into: Path, path: str) -> None:
    config = f"name: Acme\nevents:\n  path: {path}\n"
    upload = write_zip(
        tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "acme/orglens.yaml": config}
    )
    (problem,) = invalid(upload, into)
    assert str(problem) == (
        f"orglens.yaml:3: events path {path!r} leads outside the workspace — put the file "
        "inside the workspace folder and name it from there (events: log.csv)"
    )


def test_a_missing_event_log_is_named_from_the_upload_not_from_the_server(
    tmp_path: Path, into: Path
) -> None:
    config = "events: logs/missing.csv\n"
    upload = write_zip(
        tmp_path / "acme.zip", {"acme/people.csv": PEOPLE, "acme/orglens.yaml": config}
    )
    (problem,) = invalid(upload, into)
    assert str(problem) == "logs/missing.csv: does not exist — check the path and the file name"


def test_an_error_of_any_kind_leaves_nothing_behind(into: Path) -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        unpack(Broken(), "acme.zip", into)
    assert nothing_left(into)


def test_unpacked_is_frozen(demo_zip: Path, into: Path) -> None:
    unpacked = unpack(demo_zip, "nordljus.zip", into)
    with pytest.raises(AttributeError):
        unpacked.workspace = "elsewhere"  # type: ignore[misc]
