"""One chart of the report: its drawing, its one-line takeaway and the data table beneath it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from orglens.i18n import t
from orglens.report.svg import literal

__all__ = ["Chart", "DataTable"]


@dataclass(frozen=True)
class DataTable:
    """The numbers a chart shows, as a reader (or a screen reader) would read them: ``header``
    and ``rows`` of text already formatted in the report's language."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_html(self, caption: str) -> str:
        head = "".join(f'<th scope="col">{literal(cell)}</th>' for cell in self.header)
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{literal(cell)}</th>'
                if index == 0
                else f"<td>{literal(cell)}</td>"
                for index, cell in enumerate(row)
            )
            + "</tr>"
            for row in self.rows
        )
        return (
            f'<table class="data"><caption>{literal(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


@dataclass(frozen=True)
class Chart:
    """A chart built from the same result objects as the JSON output.

    ``name`` is stable (``"tradeoffs"``, ``"org_today"``...); ``svg`` the drawing (inline SVG,
    no script); ``marks`` how many data marks it draws (each ``class="mark"``); ``table`` the
    same numbers as text. A notebook displays it; :meth:`save` writes it to a file.
    """

    name: str
    title: str
    takeaway: str
    svg: str
    table: DataTable
    marks: int

    def to_html(self) -> str:
        """The chart as the report shows it: title, takeaway, drawing, and the data table in a
        ``<details>`` a reader opens. A chart with nothing to draw (its takeaway says what data
        would fill it) shows its title and takeaway only."""
        caption = (
            f"<figcaption><strong>{literal(self.title)}</strong>"
            f'<span class="takeaway">{literal(self.takeaway)}</span></figcaption>'
        )
        head = f'<figure class="chart" data-chart="{literal(self.name)}" data-marks="{self.marks}">'
        if not self.marks:
            return f"{head}{caption}</figure>"
        return (
            f'{head}{caption}<div class="drawing">{self.svg}</div>'
            f"<details><summary>{literal(self.table_summary)}</summary>"
            f"{self.table.to_html(self.title)}</details></figure>"
        )

    @property
    def table_summary(self) -> str:
        return t("report.data_table")

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the chart to ``path``: ``.svg`` the drawing alone, otherwise an HTML page with
        its title, takeaway and table. Returns the path."""
        target = Path(path)
        if target.suffix.lower() == ".svg":
            target.write_text(self.svg, encoding="utf-8")
        else:
            target.write_text(
                f'<!doctype html><meta charset="utf-8"><title>{literal(self.title)}</title>'
                f"{self.to_html()}",
                encoding="utf-8",
            )
        return target
