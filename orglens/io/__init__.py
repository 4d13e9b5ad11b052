"""Reading a workspace: a folder of ``orglens.yaml`` and CSV files, or one ``.xlsx`` workbook.

:func:`load` gives the :class:`~orglens.model.Organization`; :func:`validate` lists every
problem, each as ``FILE:LINE: what is wrong — how to fix it``.
"""

from orglens.io.workspace import load, validate

__all__ = ["load", "validate"]
