"""How results show in a notebook: a registry the report fills, read by the results' methods.

The results (:class:`~orglens.lenses.Analysis`, :class:`~orglens.Comparison`,
:class:`~orglens.Workspace`...) live below :mod:`orglens.report` in the layers, so they cannot
import it. They inherit :class:`Displayed`, whose ``_repr_html_`` and ``chart`` look up what the
report registered for their type with :func:`renders_html` and :func:`draws`;
``import orglens`` loads the report, so a notebook that imports orglens shows them as the
report's sections.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from orglens.errors import Problem, UsageError

__all__ = ["Displayed", "Drawn", "draws", "renders_html"]

_T = TypeVar("_T")


class Drawn(Protocol):
    """What a chart builder returns (:class:`orglens.report.Chart`)."""

    @property
    def name(self) -> str: ...

    def to_html(self) -> str: ...

    def _repr_html_(self) -> str: ...


_HTML: dict[type, Callable[[Any], str]] = {}
_CHARTS: dict[type, dict[str, Callable[..., Drawn]]] = {}


def renders_html(kind: type) -> Callable[[Callable[[_T], str]], Callable[[_T], str]]:
    """Register the function that renders a ``kind`` as HTML (a notebook's display)."""

    def register(render: Callable[[_T], str]) -> Callable[[_T], str]:
        _HTML[kind] = render
        return render

    return register


def draws(kind: type, name: str) -> Callable[[Callable[..., Drawn]], Callable[..., Drawn]]:
    """Register the builder of the chart ``name`` of a ``kind`` (``builder(result, **options)``)."""

    def register(build: Callable[..., Drawn]) -> Callable[..., Drawn]:
        _CHARTS.setdefault(kind, {})[name] = build
        return build

    return register


def _registered(kind: type, table: Mapping[type, _T]) -> _T | None:
    for klass in kind.__mro__:
        if klass in table:
            return table[klass]
    return None


class Displayed:
    """A result that a notebook renders as the report's section, and whose charts are objects."""

    def _repr_html_(self) -> str | None:
        render = _registered(type(self), _HTML)
        return None if render is None else render(self)

    @property
    def charts(self) -> tuple[str, ...]:
        """The names :meth:`chart` takes."""
        return tuple(_registered(type(self), _CHARTS) or ())

    def chart(self, name: str, /, **options: Any) -> Drawn:
        """The chart ``name`` (see :attr:`charts`), built from this result: a notebook shows it,
        ``.save("x.svg")`` or ``.save("x.html")`` writes it."""
        builders = _registered(type(self), _CHARTS) or {}
        if name not in builders:
            raise UsageError(
                Problem(
                    f"{type(self).__name__} has no chart {name!r}",
                    f"use one of {', '.join(sorted(builders)) or '(none: import orglens.report)'}",
                )
            )
        return builders[name](self, **options)
