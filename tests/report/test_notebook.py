"""The example notebook runs top to bottom, offline, and shows the report's sections."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_example_notebook_runs_and_renders_the_comparison_and_a_chart() -> None:
    notebook = nbformat.read(EXAMPLES / "report.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": EXAMPLES}}
    ).execute()
    html = [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "text/html" in output.get("data", {})
    ]
    assert any("The recommendation" in shown and "<svg" in shown for shown in html)
    assert any("Rekommendationen" in shown for shown in html)
    assert any('data-chart="journey"' in shown for shown in html)
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
