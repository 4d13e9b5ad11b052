"""Tiny companies for the scenario tests, and a Hypothesis strategy for random ones."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from orglens.model import CoordinationNeed, JourneyActivity, Organization, Person, Unit

Step = tuple[str, str, float | None]  # stage, unit, volume


def journey(steps: Sequence[Step]) -> tuple[JourneyActivity, ...]:
    return tuple(
        JourneyActivity(order=i, stage=stage, activity=f"a{i}", unit=unit, volume_per_year=v)
        for i, (stage, unit, v) in enumerate(steps, start=1)
    )


def needs(pairs: Sequence[tuple[str, str, float]]) -> tuple[CoordinationNeed, ...]:
    return tuple(CoordinationNeed(source=s, target=t, weight=w) for s, t, w in pairs)


def small_company(
    steps: Sequence[Step] = (), coordination: Sequence[tuple[str, str, float]] = ()
) -> Organization:
    """The CEO in ``top``; sales (head s, with the team sales-north under n), marketing (head m)
    and communications (head c) below it.

    ========  ======  =====================================  ============
    person    unit    manager, role                          cost, place
    ========  ======  =====================================  ============
    ceo       top     -, CEO                                 300
    s         sales   ceo, Head of sales                     200
    s1        sales   s, AE                                  120, Oslo
    s2        sales   s, SDR (competence crm)                80, Oslo
    s3        sales   s, SDR (competence crm)                90, -
    n         north   s, Team lead                           150
    n1        north   n, AE                                  100
    m         mkt     ceo, Head of marketing                 180
    m1        mkt     m, Marketer (competence crm)           100
    c         comms   ceo, Head of communications            170
    ========  ======  =====================================  ============
    """
    people = [
        Person(id="ceo", unit="top", role="CEO", cost=300),
        Person(id="s", manager_id="ceo", unit="sales", role="Head of sales", cost=200),
        Person(id="s1", manager_id="s", unit="sales", role="AE", cost=120, location="Oslo"),
        Person(
            id="s2",
            manager_id="s",
            unit="sales",
            role="SDR",
            cost=80,
            location="Oslo",
            competences=("crm",),
        ),
        Person(id="s3", manager_id="s", unit="sales", role="SDR", cost=90, competences=("crm",)),
        Person(id="n", manager_id="s", unit="north", role="Team lead", cost=150),
        Person(id="n1", manager_id="n", unit="north", role="AE", cost=100),
        Person(id="m", manager_id="ceo", unit="mkt", role="Head of marketing", cost=180),
        Person(
            id="m1", manager_id="m", unit="mkt", role="Marketer", cost=100, competences=("crm",)
        ),
        Person(id="c", manager_id="ceo", unit="comms", role="Head of communications", cost=170),
    ]
    units = [
        Unit(id="top", name="Company", function="management", head="ceo"),
        Unit(id="sales", name="Sales", parent="top", head="s", function="sales"),
        Unit(id="north", name="Sales North", parent="sales", head="n", function="sales"),
        Unit(id="mkt", name="Marketing", parent="top", head="m", function="marketing"),
        Unit(id="comms", name="Communications", parent="top", head="c", function="communications"),
    ]
    return Organization(
        people=people, units=units, journey=journey(steps), coordination=needs(coordination)
    )


@st.composite
def companies(draw: st.DrawFn) -> Organization:
    """A CEO over 2–4 departments ``d0``..., each with a head ``h0``..., members ``d0m0``...
    reporting to the head, and 0–2 teams ``d0t0``... (head ``d0t0h``, members ``d0t0m0``...);
    a random journey and random coordination needs over those units and people."""
    people = [Person(id="ceo", unit="top")]
    units = [Unit(id="top", head="ceo")]
    locations = st.sampled_from([None, "Oslo", "Lund"])
    segments = st.lists(st.sampled_from(["smb", "ent"]), max_size=2, unique=True)

    def staff(unit: str, parent: str, boss: str, head: str, size: int) -> None:
        units.append(Unit(id=unit, parent=parent, head=head))
        people.append(Person(id=head, manager_id=boss, unit=unit, cost=draw(st.integers(1, 9))))
        for i in range(size):
            people.append(
                Person(
                    id=f"{unit}m{i}",
                    manager_id=head,
                    unit=unit,
                    role=draw(st.sampled_from(["AE", "SDR", "Marketer"])),
                    cost=draw(st.integers(1, 9)),
                    location=draw(locations),
                    segments=tuple(draw(segments)),
                )
            )

    for d in range(draw(st.integers(2, 4))):
        staff(f"d{d}", "top", "ceo", f"h{d}", draw(st.integers(0, 4)))
        for t in range(draw(st.integers(0, 2))):
            staff(f"d{d}t{t}", f"d{d}", f"h{d}", f"d{d}t{t}h", draw(st.integers(0, 3)))
    unit_ids = [u.id for u in units]
    refs = unit_ids + [p.id for p in people]
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["s1", "s2", "s3"]),
                st.sampled_from(unit_ids),
                st.one_of(st.none(), st.integers(1, 1000).map(float)),
            ),
            max_size=7,
        )
    )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(refs), st.sampled_from(refs), st.integers(1, 5).map(float)),
            max_size=6,
        )
    )
    return Organization(
        people=people, units=units, journey=journey(steps), coordination=needs(pairs)
    )
