"""The in-process DuckDB that orglens opens by default: Ibis's DuckDB backend, started lean.

Ibis's DuckDB backend imports pandas the first time it returns a result, even as Arrow: its
``to_pyarrow`` loads a module that defines the pandas conversion too. pandas takes 0.3–0.5 s to
import on a two-core machine, a fifth of ``orglens mine`` on a million events, for nothing:
orglens reads every result as Arrow. :class:`LeanDuckDB` returns the same Arrow tables without
that import. Everything else is Ibis's backend, unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.backends.duckdb  # type: ignore[import-untyped]
import ibis.expr.datatypes as dt  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]
import pyarrow as pa  # type: ignore[import-untyped]
from ibis.formats.pyarrow import PyArrowData  # type: ignore[import-untyped]

__all__ = ["LeanDuckDB", "connect"]


class _DuckDBArrow(PyArrowData):  # type: ignore[misc]
    """Ibis's conversion of a DuckDB Arrow result to the expression's types.

    DuckDB has no Arrow null type: a value of Ibis's null type (an untyped ``ibis.null()``)
    arrives as an int32 of nulls, which Arrow cannot cast to its null type.
    """

    @classmethod
    def convert_scalar(cls, scalar: pa.Scalar, dtype: dt.DataType) -> pa.Scalar:
        if dtype.is_null():
            return pa.scalar(None)
        return super().convert_scalar(scalar, dtype)

    @classmethod
    def convert_column(cls, column: pa.Array, dtype: dt.DataType) -> pa.Array:
        if dtype.is_null():
            return pa.nulls(len(column))
        return super().convert_column(column, dtype)


class LeanDuckDB(ibis.backends.duckdb.Backend):  # type: ignore[misc]
    """Ibis's DuckDB backend, whose ``to_pyarrow`` does not import pandas."""

    def to_pyarrow(
        self,
        expr: ir.Expr,
        /,
        *,
        params: Mapping[ir.Scalar, Any] | None = None,
        limit: int | str | None = None,
        **kwargs: Any,
    ) -> pa.Table:
        relation = self._to_duckdb_relation(expr, params=params, limit=limit, **kwargs)
        return expr.__pyarrow_result__(relation.to_arrow_table(), data_mapper=_DuckDBArrow)


def connect() -> LeanDuckDB:
    """A new in-memory DuckDB database, as an Ibis backend."""
    backend: LeanDuckDB = LeanDuckDB().connect()
    return backend
