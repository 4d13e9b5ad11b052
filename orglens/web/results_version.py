"""An uploaded version opened with the scenarios written in the web workspace.

The folder of an upload is never written to. :func:`open_version` opens it as it is when no
scenario has been written; otherwise it builds a scratch copy of the folder (hard links, so
that a large event log costs nothing; a plain copy where the scratch folder lies on another
file system) with each written scenario as ``scenarios/NAME.yaml``, opens that, and removes
the copy when the :class:`~orglens.workspace.Workspace` is garbage collected (the event log is
read from it on first use). A problem in a written scenario is reported as the command line
reports it: ``scenarios/NAME.yaml:LINE: what is wrong — how to fix it``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from orglens.errors import InvalidWorkspace, Problem, UsageError
from orglens.workspace import Workspace

__all__ = [
    "MAX_NAME_LENGTH",
    "is_safe_name",
    "name_problem",
    "open_version",
    "scenario_file",
    "validate_scenario",
    "workspace_path",
]

#: The longest name of a written scenario (its file is ``scenarios/NAME.yaml``).
MAX_NAME_LENGTH = 64
# A letter or digit first (no dot files, no option-like names), then letters, digits, _ and -.
_SAFE_NAME = re.compile(r"[^\W_][\w-]*")
_NAME_FIX = (
    f"name it with letters, digits, _ and - (up to {MAX_NAME_LENGTH}, starting with a letter "
    "or a digit), such as growth_team"
)


def is_safe_name(name: str) -> bool:
    """Whether ``name`` can be the file stem of a written scenario (``scenarios/NAME.yaml``).

    Letters (any alphabet, in NFC form), digits, ``_`` and ``-``; a letter or digit first;
    at most :data:`MAX_NAME_LENGTH` characters; never ``status_quo`` (today's organization).

    Examples
    --------
    >>> [is_safe_name(n) for n in ("growth_team", "säljpoddar", "2026-plan")]
    [True, True, True]
    >>> [is_safe_name(n) for n in ("../x", ".hidden", "a b", "", "status_quo", "-rf")]
    [False, False, False, False, False, False]
    """
    return (
        0 < len(name) <= MAX_NAME_LENGTH
        and _SAFE_NAME.fullmatch(name) is not None
        and unicodedata.normalize("NFC", name) == name
        and name != "status_quo"
    )


def name_problem(name: str) -> Problem | None:
    """The :class:`Problem` of a scenario name that cannot be a file stem, else ``None``.

    >>> print(name_problem("../etc"))  # doctest: +ELLIPSIS
    <input>: the scenario name '../etc' cannot be the name of a file — name it with letters, ...
    >>> name_problem("growth_team") is None
    True
    """
    if is_safe_name(name):
        return None
    if name == "status_quo":
        return Problem(
            "the scenario name 'status_quo' is today's organization, the baseline every design "
            "is compared with",
            "give the scenario another name",
        )
    return Problem(f"the scenario name {name!r} cannot be the name of a file", _NAME_FIX)


def scenario_file(name: str) -> str:
    """The file a written scenario is read from, as problems name it: ``scenarios/NAME.yaml``."""
    return f"scenarios/{name}.yaml"


def workspace_path(folder: Path) -> Path:
    """What to open in an uploaded version's ``folder``, found as the upload found it: the
    folder with ``people.csv``, else its one ``.xlsx`` workbook, looking first at the folder,
    then in its one sub-folder (a zip of a workspace folder keeps that folder). A workspace
    folder or a workbook given itself is itself.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> version = pathlib.Path(tempfile.mkdtemp())
    >>> (version / "acme" / "scenarios").mkdir(parents=True)
    >>> _ = (version / "acme" / "People.csv").write_text("id,unit\\nceo,m\\n")
    >>> workspace_path(version).relative_to(version).as_posix()
    'acme'
    """
    if not folder.is_dir():
        return folder
    tops = [entry for entry in folder.iterdir() if entry.is_dir() and not entry.is_symlink()]
    bases: list[Path] = [folder, *(tops if len(tops) == 1 else [])]
    for base in bases:
        if any(entry.name.lower() == "people.csv" for entry in base.iterdir()):
            return base
    for base in bases:
        books = [e for e in base.iterdir() if e.is_file() and e.suffix.lower() == ".xlsx"]
        if len(books) == 1:
            return books[0]
    return folder


def open_version(
    folder: Path,
    scenarios: Mapping[str, str] | None = None,
    *,
    scratch: Path | None = None,
    engine: str | object | None = None,
) -> Workspace:
    """The uploaded version in ``folder`` with the ``scenarios`` written in the web workspace
    (``{name: YAML text}``; each read as ``scenarios/NAME.yaml``, replacing an uploaded file of
    that name), opened as :meth:`Workspace.open` opens a workspace, files never outside it.

    ``folder`` is the version's folder (the workspace in it found by :func:`workspace_path`),
    or the workspace folder or workbook itself.

    ``scratch`` is where the copy is made (default: the system's temporary folder); give one
    on the file system of the uploads so that its files are hard links, not copies.

    Raises
    ------
    InvalidWorkspace
        Every problem of the files and of the written scenarios (as ``orglens validate``
        names them); a written file must hold one scenario, of its own name.
    UsageError
        A scenario name that cannot be a file name, or scenarios written for a version that is
        one workbook (whose scenarios can only be written in the workbook).
    """
    written = dict(scenarios or {})
    for name in written:
        found = name_problem(name)
        if found is not None:
            raise UsageError(found)
    path = workspace_path(folder)
    if not written:
        return Workspace.open(path, engine=engine)
    if not path.is_dir():
        raise UsageError(
            Problem(
                "scenarios written in the browser need a workspace folder, and this version is "
                "one workbook",
                "upload the workspace as a .zip of its folder (orglens.yaml, people.csv, ...)",
                path.name,
            )
        )
    root = Path(tempfile.mkdtemp(prefix="orglens-version-", dir=scratch))
    copy = root / (path.resolve().name or "workspace")
    try:
        _mirror(path, copy, skip={name.casefold() for name in written})
        for name, text in written.items():
            with (copy / scenario_file(name)).open("x", encoding="utf-8") as file:
                file.write(text)
        opened = Workspace.open(copy, engine=engine)
        _check_names(opened, written)
    except InvalidWorkspace as error:
        shutil.rmtree(root, ignore_errors=True)
        raise InvalidWorkspace(_located(error.problems, copy, path)) from None
    except UsageError as error:
        shutil.rmtree(root, ignore_errors=True)
        raise UsageError(_located(error.problems, copy, path)[0]) from None
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    weakref.finalize(opened, shutil.rmtree, root, ignore_errors=True)
    return opened


def validate_scenario(
    folder: Path, name: str, yaml_text: str, *, scratch: Path | None = None
) -> list[Problem]:
    """Every problem of the scenario ``name`` written as ``yaml_text`` for the version in
    ``folder`` (the scenario editor's check): the same messages as ``orglens validate`` gives
    for ``scenarios/NAME.yaml``, the scenario applied to the version's organization. An empty
    list when the scenario is good.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "people.csv").write_text("id,manager_id,unit\\nceo,,m\\ns,ceo,sales\\n")
    >>> validate_scenario(folder, "solo", "operations:\\n  - move: {people: [s], to: m}\\n")
    []
    >>> for problem in validate_scenario(folder, "oops", "operations:\\n  - move: {to: m}\\n"):
    ...     print(problem)  # doctest: +ELLIPSIS
    scenarios/oops.yaml:2: scenario 'oops', operation 1 (move): ...
    >>> print(*validate_scenario(folder, "a/b", ""))  # doctest: +ELLIPSIS
    <input>: the scenario name 'a/b' cannot be the name of a file — ...
    """
    found = name_problem(name)
    if found is not None:
        return [found]
    if not yaml_text.strip():
        return [
            Problem(
                "the scenario is empty",
                "write its operations (and a description), e.g. operations: [{merge: ...}]",
                scenario_file(name),
                1,
            )
        ]
    try:
        open_version(folder, {name: yaml_text}, scratch=scratch)
    except (InvalidWorkspace, UsageError) as error:
        return list(error.problems)
    return []


# -- the scratch copy --------------------------------------------------------------------------


def _mirror(source: Path, target: Path, *, skip: set[str]) -> None:
    """``source``'s files under ``target`` as hard links (copies across file systems); links
    stay links (so that the workspace refuses them as it would in ``source``). The uploaded
    ``scenarios/NAME.yaml`` (``.yml``) of a written scenario's name is left out."""
    target.mkdir()
    for directory, folders, files in os.walk(source):
        here = Path(directory)
        relative = here.relative_to(source)
        for name in folders:
            if (here / name).is_symlink():
                os.symlink(os.readlink(here / name), target / relative / name)
            else:
                (target / relative / name).mkdir()
        for name in files:
            stem, suffix = os.path.splitext(name)
            replaced = suffix.lower() in (".yaml", ".yml") and stem.casefold() in skip
            if relative == Path("scenarios") and replaced:
                continue
            _link(here / name, target / relative / name)
    scenarios = target / "scenarios"
    if scenarios.is_symlink() or (scenarios.exists() and not scenarios.is_dir()):
        raise UsageError(
            Problem("scenarios is not a folder", "upload the workspace with scenarios/ as a folder")
        )
    scenarios.mkdir(exist_ok=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _check_names(opened: Workspace, written: Iterable[str]) -> None:
    """A written file holds one scenario, named as the file (``name:`` may be left out)."""
    problems = []
    for name in written:
        source = scenario_file(name)
        found = [s for s in opened.scenarios if s.origin is not None and s.origin.file == source]
        for scenario in found:
            if scenario.name != name:
                problems.append(
                    Problem(
                        f"scenario {scenario.name!r} is written in the scenario {name!r}",
                        f"write one scenario here, named {name!r} (or leave name: out)",
                        source,
                        scenario.origin.line if scenario.origin else None,
                    )
                )
    if problems:
        raise InvalidWorkspace(problems)


def _located(problems: Iterable[Problem], copy: Path, folder: Path) -> list[Problem]:
    """``problems`` naming the uploaded folder where they named its scratch copy."""
    here, there = str(copy), str(folder)

    def moved(text: str | None) -> str | None:
        return None if text is None else text.replace(here, there)

    return [replace(p, file=moved(p.file), what=moved(p.what) or p.what) for p in problems]
