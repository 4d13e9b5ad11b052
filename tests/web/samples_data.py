"""Authorization samples of the data pages (merged into test_authz.py's tables): a small version
uploaded to a workspace, and the upload form (without a file: the allowed answer is 422).

Also what the data pages' tests share: zips of a workspace folder, made in memory."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select

from orglens.model import Organization
from orglens.web.db import reading
from orglens.web.pages_data import store_version
from orglens.web.tables import Member
from orglens.web.upload import unpack

#: A workspace of three people, the smallest the pages show everything of.
TINY = {
    "people.csv": "id,name,manager_id,unit,cost\nceo,Ada,,management,900\n"
    "s,Sam,ceo,sales,500\nk,Kim,ceo,marketing,400\n"
}


def zipped(files: Mapping[str, str | bytes], folder: str = "acme") -> bytes:
    """``files`` (name → text) as a browser uploads a workspace folder: a .zip of ``folder``."""
    sent = io.BytesIO()
    with zipfile.ZipFile(sent, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"{folder}/{name}" if folder else name, text)
    return sent.getvalue()


def folder_zipped(path: Path) -> bytes:
    """The files of the folder ``path`` as a .zip of it (as ``examples/demo`` is uploaded)."""
    return zipped({p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}, "demo")


def small_version(world: Any, ws: int) -> str:
    """A version of :data:`TINY` kept in workspace ``ws`` (uploaded by its owner); its number."""
    with reading(world.engine) as db:
        owner = db.scalars(
            select(Member.user_id).where(Member.workspace_id == ws, Member.role == "owner")
        ).one()
    config = world.config
    config.tmp_dir.mkdir(parents=True, exist_ok=True)
    unpacked = unpack(io.BytesIO(zipped(TINY)), "acme.zip", config.tmp_dir / "sample")
    return str(store_version(world.engine, config, ws, owner, unpacked).number)


DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@cache
def demo_zip() -> bytes:
    """``examples/demo`` as a browser uploads it."""
    return folder_zipped(DEMO)


@cache
def distinct_demo_zip() -> bytes:
    """The demo with every person's cost made distinct and far from a round figure (so that a
    cost shown anywhere is found by its digits)."""
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in DEMO.iterdir() if p.is_file()}
    text = (DEMO / "people.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for index, row in enumerate(rows):
        row["cost"] = str(int(row["cost"]) + 1_009 + 37 * index)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    files["people.csv"] = out.getvalue()
    return zipped(dict(sorted(files.items())), "demo")


def people_cost_figures(org: Organization) -> set[float]:
    """Every person's cost, each unit's own people's cost (and with the units below it), the
    organization's total: what the role without cost may never see (those of 1,000 and more)."""
    children: dict[str | None, list[str]] = {}
    for unit in org.units:
        children.setdefault(unit.parent, []).append(unit.id)
    own = {u.id: sum(p.cost for p in org.people if p.unit == u.id) for u in org.units}

    def below(unit: str) -> Iterator[str]:
        yield unit
        for child in children.get(unit, []):
            yield from below(child)

    figures = {p.cost for p in org.people} | {sum(p.cost for p in org.people)}
    figures |= {own[u.id] for u in org.units} | {
        sum(own[b] for b in below(u.id)) for u in org.units
    }
    return {round(f, 2) for f in figures if f >= 1000}


#: A whole number as a page writes it: bare, or grouped in English (1,234,567) or in Swedish
#: (1 234 567, with no-break spaces).
WRITTEN_NUMBER = re.compile("\\d+(?:[,\u00a0]\\d{3})*")


def written_numbers(text: str) -> set[float]:
    """Every whole number ``text`` writes (``'SEK 3,400,000 and 12'`` → 3400000 and 12)."""
    return {
        float(found.replace(",", "").replace("\u00a0", ""))
        for found in WRITTEN_NUMBER.findall(text)
    }


PATH_SAMPLES = {"version": small_version}

FORM_SAMPLES: dict[str, dict[str, str]] = {"/w/{ws:int}/data": {}}
