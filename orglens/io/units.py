"""Naming units: by id or by name, declared in ``units.csv`` or derived from people.

Any file may name a unit by its id or, ignoring case, by its name; :class:`UnitIndex` maps
both to the id. Without ``units.csv`` the units are the distinct ``unit`` values of people
(spellings that differ only in case are one unit), and each gets the function its name
suggests (:func:`function_of_name`).
"""

from __future__ import annotations

from collections.abc import Iterable

from orglens.errors import Problem
from orglens.model import FUNCTIONS, Origin, Unit

__all__ = ["UnitIndex", "function_of_name", "normalize_function"]

_FUNCTION_WORDS = {
    "sales": "sales",
    "marketing": "marketing",
    "communications": "communications",
    "communication": "communications",
    "comms": "communications",
    "product": "product",
    "products": "product",
    "hr": "hr",
    "people": "hr",
    "finance": "finance",
    "management": "management",
    "executive": "management",
    "ceo": "management",
    "operations": "operations",
}
# Words that usually qualify another function ("Sales Operations", "Product Management").
_GENERIC_FUNCTIONS = frozenset({"management", "operations"})


def function_of_name(name: str) -> str | None:
    """The function a unit name suggests, or ``None``.

    The last specific function word wins, since English puts the head noun last ("Product
    Marketing" is marketing); "management" and "operations" only count when no other function
    word is present ("Sales Operations" is sales).

    Examples
    --------
    >>> [function_of_name(n) for n in ("Product Marketing", "Sales Ops", "People & Culture")]
    ['marketing', 'sales', 'hr']
    >>> function_of_name("Customer Success Nordics"), function_of_name("CEO office")
    ('customer_success', 'management')
    >>> function_of_name("Legal") is None
    True
    """
    words = "".join(char if char.isalnum() else " " for char in name.lower()).split()
    found: list[str] = []
    for position, word in enumerate(words):
        if word == "customer" and words[position + 1 : position + 2] == ["success"]:
            found.append("customer_success")
        elif word in _FUNCTION_WORDS:
            found.append(_FUNCTION_WORDS[word])
    specific = [function for function in found if function not in _GENERIC_FUNCTIONS]
    candidates = specific or found
    return candidates[-1] if candidates else None


def normalize_function(text: str | None, name: str) -> str | None:
    """The ``function`` of a declared unit: a recognised function in its canonical spelling,
    other text as it is, and the function the name suggests when the cell is empty.

    Examples
    --------
    >>> normalize_function("Customer Success", "CS"), normalize_function("Comms", "X")
    ('customer_success', 'communications')
    >>> normalize_function("Legal", "Legal"), normalize_function(None, "Nordic Sales")
    ('Legal', 'sales')
    """
    if text is None:
        return function_of_name(name)
    key = "_".join(text.lower().split())
    if key in FUNCTIONS:
        return key
    return _FUNCTION_WORDS.get(key, text)


class UnitIndex:
    """Finds the id of a unit named by id or, ignoring case, by name.

    Built from declared units with :meth:`declared`, or empty with :meth:`derived`, in which
    case :meth:`resolve` with ``declare_at`` adds the units people name.

    Examples
    --------
    >>> index = UnitIndex.declared([("u1", "Sales"), ("u2", "HR")])
    >>> index.resolve("u1"), index.resolve("SALES"), index.resolve("Legal")
    ('u1', 'u1', 'Legal')
    """

    def __init__(
        self, units: Iterable[tuple[str, str]], *, derived: bool, source: str | None = None
    ) -> None:
        self._ids: set[str] = set()
        self._by_key: dict[str, list[str]] = {}
        self._derived: dict[str, Origin] = {}
        self._is_derived = derived
        self._sources = {source} if source else set()
        self._people_source: str | None = None
        for unit_id, name in units:
            self._ids.add(unit_id)
            self._add_key(unit_id.casefold(), unit_id)
            self._add_key(name.casefold(), unit_id)

    @classmethod
    def declared(cls, units: Iterable[tuple[str, str]], source: str | None = None) -> UnitIndex:
        """An index of declared units, given as ``(id, name)`` pairs read from ``source``."""
        return cls(units, derived=False, source=source)

    @classmethod
    def derived(cls) -> UnitIndex:
        """An empty index that grows with the units people name."""
        return cls((), derived=True)

    def _add_key(self, key: str, unit_id: str) -> None:
        ids = self._by_key.setdefault(key, [])
        if unit_id not in ids:
            ids.append(unit_id)

    def resolve(self, value: str, *, declare_at: Origin | None = None) -> str | tuple[str, ...]:
        """The id ``value`` names; a tuple of ids when it names several units by name.

        An unknown ``value`` comes back unchanged (the organization reports it), unless the
        index is derived and ``declare_at`` is given: then it becomes a new unit.
        """
        if value in self._ids:
            return value
        ids = self._by_key.get(value.casefold())
        if ids is not None:
            return ids[0] if len(ids) == 1 else tuple(ids)
        if self._is_derived and declare_at is not None:
            self._ids.add(value)
            self._add_key(value.casefold(), value)
            self._derived[value] = declare_at
        return value

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._ids

    @property
    def is_derived(self) -> bool:
        """Whether the units are those people name (there is no ``units.csv``)."""
        return self._is_derived

    def people_read(self, source: str) -> None:
        """Note that the people of ``source`` have been read (their units named)."""
        self._people_source = source

    def complete(self, problems: list[Problem], reading: str) -> bool:
        """Whether every unit and person is known while the table ``reading`` is read: people
        were read, and neither their file nor the units' has a problem (without units.csv, no
        file but ``reading`` has one: an unreadable units.csv would look like no units.csv).
        Only then is a name missing from the index certainly wrong, rather than the echo of a
        row or file that could not be read."""
        if self._people_source is None:
            return False
        if self._is_derived:
            return all(problem.file == reading for problem in problems)
        sources = {*self._sources, self._people_source}
        return not any(problem.file in sources for problem in problems)

    def derived_units(self) -> tuple[Unit, ...]:
        """The units people named, in order of first use, with the function each name suggests."""
        return tuple(
            Unit(id=name, name=name, function=function_of_name(name), origin=origin)
            for name, origin in self._derived.items()
        )
