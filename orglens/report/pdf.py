"""Print an HTML file to PDF with a headless Chromium found on the machine.

``orglens report W -o report.pdf --format pdf`` writes the HTML report, then prints it here. The
browser is the one installed on the machine (Debian's ``chromium``, or Chrome), run once as a
subprocess; orglens depends on no browser package at run time. The report's print CSS decides
the pages: Chromium's own header and footer (date, file path) are left out.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from orglens.errors import Problem, UsageError

__all__ = ["CHROMIUM_ENV", "CHROMIUM_FLAGS", "CHROMIUM_NAMES", "find_chromium", "html_to_pdf"]

#: An environment variable naming the Chromium to use (a path or a command name).
CHROMIUM_ENV = "ORGLENS_CHROMIUM"
#: Command names looked up on ``PATH``, in this order, when :data:`CHROMIUM_ENV` is not set.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
#: Headless, no sandbox (it needs user namespaces a container may not have), no GPU, and no
#: network of the browser's own (updates, sync, first-run pings): printing a file needs none.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
)

_INSTALL = (
    "install it (Debian/Ubuntu: `apt-get install chromium`) or name one with "
    f"{CHROMIUM_ENV}=/path/to/chromium; or write --format html and print it to PDF from a browser"
)


def find_chromium(environ: Mapping[str, str] | None = None) -> Path | None:
    """The Chromium to print with: :data:`CHROMIUM_ENV` if set, else the first of
    :data:`CHROMIUM_NAMES` on ``PATH``; ``None`` when there is none.

    A :data:`CHROMIUM_ENV` that names nothing executable is a :class:`UsageError` (not a
    silent fall-back to another browser).

    Examples
    --------
    >>> find_chromium({"PATH": "", CHROMIUM_ENV: ""}) is None
    True
    """
    env = os.environ if environ is None else environ
    path = env.get("PATH", "")
    named = env.get(CHROMIUM_ENV, "")
    if named:
        found = shutil.which(named, path=path)
        if found is None:
            raise UsageError(
                Problem(
                    f"{CHROMIUM_ENV}={named!r} is not an executable Chromium",
                    f"point {CHROMIUM_ENV} at one (e.g. /usr/bin/chromium), or unset it",
                )
            )
        return Path(found)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=path)
        if found is not None:
            return Path(found)
    return None


def html_to_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    timeout: float = 120.0,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Print ``html_path`` to ``pdf_path`` with a headless Chromium; return ``pdf_path``.

    Chromium writes the PDF into a scratch folder beside ``pdf_path``, and it is renamed into
    place: a failed or interrupted print never leaves half a file, nor replaces a good one.

    Parameters
    ----------
    html_path
        The HTML file to print (its relative links resolve from its folder).
    pdf_path
        Where to write the PDF; its folder must exist.
    timeout
        Seconds Chromium may take; then it is stopped, with its child processes.
    environ
        The environment to find Chromium in (default: this process's).

    Raises
    ------
    UsageError
        No Chromium on the machine (saying how to install one, or to use ``--format html``),
        the HTML file is missing, or Chromium failed or ran out of time.
    """
    source = Path(html_path).resolve()
    target = Path(pdf_path)
    if not source.is_file():
        raise UsageError(Problem("no such HTML file", "give the report's HTML file", str(source)))
    chromium = find_chromium(environ)
    if chromium is None:
        raise UsageError(
            Problem(
                f"cannot print to PDF: no Chromium found ({CHROMIUM_ENV} is not set, and none "
                f"of {', '.join(CHROMIUM_NAMES)} is on PATH)",
                _INSTALL,
                str(target),
            )
        )
    try:
        scratch = tempfile.TemporaryDirectory(prefix=".orglens-pdf-", dir=target.parent)
    except OSError as error:
        raise UsageError(
            Problem(
                f"cannot write a PDF there ({error.strerror or error})",
                "give a file in an existing folder you can write to",
                str(target),
            )
        ) from None
    with scratch as partial, tempfile.TemporaryDirectory(prefix="orglens-chromium-") as profile:
        printed = Path(partial) / "print.pdf"
        _print(chromium, source, printed, Path(profile), timeout, target)
        os.replace(printed, target)
    return target


def _print(
    chromium: Path, source: Path, out: Path, profile: Path, timeout: float, target: Path
) -> None:
    """Run Chromium once, printing ``source`` into ``out``; :class:`UsageError` if it fails."""
    command = [
        str(chromium),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",  # a fresh profile: no clash with a browser already open
        f"--print-to-pdf={out}",
        source.as_uri(),
    ]
    try:
        # A session of its own, so that a timeout stops Chromium's helper processes too; HOME
        # in the scratch profile, so that nothing is left in the user's (~/.pki, crash reports).
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": str(profile)},
        )
    except OSError as error:
        raise UsageError(
            Problem(
                f"cannot run Chromium ({chromium}): {error.strerror or error}",
                f"check that {chromium} is an executable Chromium, or {_INSTALL}",
                str(target),
            )
        ) from None
    with process:
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise UsageError(
                Problem(
                    f"Chromium ({chromium}) did not finish printing within {timeout:g} s",
                    "try again, or write --format html and print it to PDF from a browser",
                    str(target),
                )
            ) from None
    if process.returncode != 0 or not _is_pdf(out):
        last = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise UsageError(
            Problem(
                f"Chromium ({chromium}) could not print {source.name} "
                f"(exit status {process.returncode}: {' | '.join(last) or 'no message'})",
                f"check that {chromium} runs, or write --format html and print it from a browser",
                str(target),
            )
        )


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(5) == b"%PDF-"
    except FileNotFoundError:
        return False
