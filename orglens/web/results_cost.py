"""Cost hiding for the role that sees everything but people's cost (``viewer_no_cost``).

Redaction of the output, never of the data: the results are computed on the full data (the
recommendation is the one every other role sees) and what a person's cost or a sum of people's
cost over a unit would show is then removed. Totals of a scenario such as the cost of change
(``first_year_cost``) stay: they are the design's, not a person's.

Where people's cost reaches an output, and what goes:

- the hr lens (``orglens analyze`` JSON): ``people_cost`` of the organization, ``people_cost``
  and ``total_people_cost`` of every unit;
- the budget lens: ``people_cost`` and ``cost`` (people's cost + spend, so that the spend, which
  stays, would give the people's cost back) of the organization, and ``people_cost``, ``cost``,
  ``total_people_cost`` and ``total_cost`` of every unit;
- any other key of those names, wherever it appears (a key of one of these names added to the
  JSON later is hidden without a change here);
- the charts of :data:`COST_CHARTS` (none of the report's charts shows people's cost today: the
  tests draw every chart of a workspace whose costs are all distinct, and fail when one does).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

__all__ = ["COST_CHARTS", "PEOPLE_COST_KEYS", "without_cost", "without_cost_charts"]

#: The JSON keys that hold a person's cost or a sum of people's cost (over a unit, over the
#: organization), removed wherever they appear.
PEOPLE_COST_KEYS = frozenset({"people_cost", "total_people_cost", "cost", "total_cost"})

#: The charts (their ``data-chart`` names) that draw people's cost: left out of every page and
#: of the report for a viewer who may not see it.
COST_CHARTS: frozenset[str] = frozenset()


def without_cost(data: Any, keys: Collection[str] = PEOPLE_COST_KEYS) -> Any:
    """A copy of JSON-ready ``data`` without the ``keys`` (at any depth).

    >>> without_cost({"units": [{"unit": "sales", "people_cost": 9.0, "spend": 2.0}],
    ...               "metrics": {"first_year_cost": 5}})
    {'units': [{'unit': 'sales', 'spend': 2.0}], 'metrics': {'first_year_cost': 5}}
    """
    if isinstance(data, dict):
        return {key: without_cost(value, keys) for key, value in data.items() if key not in keys}
    if isinstance(data, list | tuple):
        return [without_cost(item, keys) for item in data]
    return data


def without_cost_charts(html: str, names: Collection[str] = COST_CHARTS) -> str:
    """``html`` without the report's chart figures (``<figure class="chart" data-chart=...>``)
    whose name is in ``names``.

    >>> page = ('<p>a</p><figure class="chart" data-chart="pay" data-marks="1"><svg></svg>'
    ...         '</figure><figure class="chart" data-chart="spans"></figure>')
    >>> without_cost_charts(page, {"pay"})
    '<p>a</p><figure class="chart" data-chart="spans"></figure>'
    """
    if not names:
        return html
    chosen = "|".join(re.escape(name) for name in sorted(names))
    figure = re.compile(rf'<figure class="chart" data-chart="(?:{chosen})".*?</figure>', re.S)
    return figure.sub("", html)
