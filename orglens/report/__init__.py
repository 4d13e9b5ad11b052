"""The report: charts and sections built from the same result objects as the JSON output.

``orglens report W -o report.html`` writes one offline HTML file; in a notebook, the results
render as its sections (see :mod:`orglens.display`) and ``result.chart(name)`` gives one chart.
"""

# isort: off
# The chart modules and the notebook views register themselves with orglens.display, in this
# order: the order in which `result.charts` lists the names.
from orglens.report import (  # noqa: F401
    charts_budget,
    charts_ownership,
    charts_customer,
    charts_compare,
    charts_tradeoffs,
    charts_spans,
    charts_org,
    charts_journey,
    charts_funnel,
    charts_process,
    notebook,
)

# isort: on
from orglens.report.chart import Chart, DataTable

__all__ = ["Chart", "DataTable"]
