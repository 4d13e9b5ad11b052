"""The report: charts and sections built from the same result objects as the JSON output.

``orglens report W -o report.html`` writes one offline HTML file; in a notebook, the results
render as its sections (see :mod:`orglens.display`) and ``result.chart(name)`` gives one chart.
"""

# the chart modules and the notebook views register themselves with orglens.display
from orglens.report import (  # noqa: F401
    charts_budget,
    charts_compare,
    charts_org,
    charts_process,
    notebook,
)
from orglens.report.chart import Chart, DataTable

__all__ = ["Chart", "DataTable"]
