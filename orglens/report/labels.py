"""The human names of designs, metric groups and metrics, and texts that use them.

The JSON output and the advice name designs and metrics by their ids
(``merge_sales_marketing``, ``cross_unit_handoffs_per_case``); a report reader gets their names
in the report's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from orglens.i18n import catalogue, language, t
from orglens.scenarios import METRICS

__all__ = ["design_label", "group_label", "humane", "metric_label"]


def _named(key: str, fallback: str) -> str:
    return t(key) if key in catalogue(language()) else fallback


def design_label(name: str) -> str:
    """The human name of a design: a built-in's from the catalogue, a written one's own name.

    >>> design_label("merge_sales_marketing"), design_label("my_design")
    ('Merge sales and marketing', 'my_design')
    """
    return _named(f"report.design.{name}", name)


def group_label(group: str) -> str:
    """The human name of a metric group of the recommendation."""
    return _named(f"report.group.{group}", group.replace("_", " "))


def metric_label(key: str) -> str:
    """The full, human name of a scorecard metric (its key, spaced, for a metric the catalogue
    does not name).

    >>> metric_label("coordination_cross_unit_share")
    'Coordination needs that cross units'
    """
    return _named(f"charts_compare.metric.{key}", key.replace("_", " "))


def _lowered(label: str) -> str:
    """A label as it reads inside a sentence: ``'Handoffs between…'`` → ``'handoffs between…'``
    (a name with a capital second letter, like ``'CEO forum'``, stays as it is)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def humane(text: str, designs: Iterable[str]) -> str:
    """``text`` with the ids of ``designs`` and of the scorecard's metrics replaced by their names.

    >>> humane("merge_sales_marketing is better on coordination_cross_unit_share 0.4",
    ...        ["merge_sales_marketing"])
    'Merge sales and marketing is better on coordination needs that cross units 0.4'
    """
    names = {name: design_label(name) for name in designs}
    names |= {metric.key: _lowered(metric_label(metric.key)) for metric in METRICS}
    found = {key: label for key, label in names.items() if key != label}
    if not found:
        return text
    pattern = re.compile(
        r"(?<![\w])("
        + "|".join(map(re.escape, sorted(found, key=len, reverse=True)))
        + r")(?![\w])"
    )
    return pattern.sub(lambda match: found[match[1]], text)
