"""Every hostile input of the corpus: exit 2, one message line per problem, bounded memory."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus import CASES, MAX_CHILD_RSS_MB, Case

#: ``FILE[:LINE]: what is wrong — how to fix it``, the file without spaces.
PROBLEM_LINE = re.compile(r"^(?P<file>[^\s:]+)(?::\d+)?: \S.* — \S.*$")
#: A command still running after this many seconds is killed, and its case fails.
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Outcome:
    """How the command of one case ended."""

    exit_code: int
    stderr: str
    peak_rss_mb: float


#: Runs a command and writes its peak memory (kB) to the file named first; kills it once it
#: holds more than the kB named second, so that a regression cannot take the machine down. A
#: child of the big pytest process would start out with pytest's memory counted as its own
#: (fork copies the counters), so the command is started from this small process instead.
_MEASURED = """
import os, sys, time
pid = os.posix_spawn(sys.argv[3], sys.argv[3:], os.environ)
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        break
    try:
        with open(f"/proc/{pid}/status") as found:
            held = [int(line.split()[1]) for line in found if line.startswith("VmRSS:")]
    except OSError:
        held = []
    if held and held[0] > int(sys.argv[2]):
        os.kill(pid, 9)
    time.sleep(0.05)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run(case: Case, folder: Path) -> Outcome:
    folder.mkdir()
    built = case.build(folder)
    rss = folder / "peak_rss_kb"
    command = [sys.executable, "-m", "orglens", *case.arguments(built)]
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURED, str(rss), str(2 * MAX_CHILD_RSS_MB * 1024), *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=folder,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
    peak = int(rss.read_text()) / 1024 if rss.exists() else float("inf")
    return Outcome(process.returncode, stderr.decode(errors="replace"), peak)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """The outcome of every case, run a few at a time to keep the whole corpus quick."""
    root = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        futures = {case.name: pool.submit(_run, case, root / case.name) for case in CASES}
        return {name: future.result() for name, future in futures.items()}


def test_every_case_of_the_corpus_has_its_own_name() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_with_exit_2_and_a_message_naming_the_file(
    case: Case, outcomes: dict[str, Outcome]
) -> None:
    outcome = outcomes[case.name]
    assert "Traceback" not in outcome.stderr
    assert outcome.exit_code == 2, outcome.stderr
    lines = outcome.stderr.splitlines()
    assert lines, "no message on stderr"
    for line in lines:
        assert PROBLEM_LINE.match(line), line
        assert line.startswith(case.mentions), line


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_refused_in_bounded_memory(
    case: Case, outcomes: dict[str, Outcome]
) -> None:
    assert outcomes[case.name].peak_rss_mb < MAX_CHILD_RSS_MB
