"""Rule 4 about structure: the CEO as the journey's owner, and a forum of the heads.

- ``ceo_owns_journey`` (rule 4): the CEO as the only common manager of the journey must own its
  design; a forum of the heads may achieve much of a merger.
"""

from __future__ import annotations

from orglens.advice._context import Context, band, between, dominated, tipping
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import listed, number, percent
from orglens.lenses.journey import CommonManager
from orglens.model import VIRTUAL_TOP
from orglens.scenarios import CEO_FORUM, MERGE_SALES_MARKETING, STATUS_QUO

__all__ = ["ceo_owns_journey"]


def ceo_owns_journey(ctx: Context) -> Finding:
    """Rule 4: the only common manager of the journey must own its design; does a forum of the
    heads achieve much of a merger?

    The forum's share of the merger is ``(d_sq - d_forum) / (d_sq - d_merge)`` on escalation
    distance (``d``) of ``status_quo``, ``ceo_forum`` and ``merge_sales_marketing``, when the
    scorecard has them and the merger shortens escalation at all.
    """
    rule = "ceo_owns_journey"
    process = ctx.analysis.process
    manager = process.journey_common_manager
    groups = tuple(dict.fromkeys(s.group for s in process.journey if s.group is not None))
    names = tuple(ctx.unit_name(g) for g in groups)
    evidence: dict[str, Evidence] = {
        "journey_common_manager": None if manager is None else manager.name,
        "journey_groups": names,
    }
    if manager is None or len(groups) < 2:
        return Finding(
            rule=rule,
            triggered=False,
            verdict="No finding: the declared journey does not cross units.",
            because=f"The declared journey runs through {len(groups)} unit(s) with an owner.",
            evidence=evidence,
            conditions=(),
            counter="",
            missing=() if process.journey else ("journey.csv: the declared customer journey",),
        )
    if not manager.is_top:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=(
                f"No finding: {manager.name}, below the CEO, already manages the whole journey."
            ),
            because=f"The journey's {len(groups)} units ({listed(names)}) meet at {manager.name}.",
            evidence=evidence,
            conditions=(),
            counter=f"{manager.name} must still design the journey on purpose.",
            tipping_point=(
                f"Only a journey stage in a unit outside what {manager.name} manages would "
                "change the verdict."
            ),
        )
    return _ceo_must_own(ctx, manager, groups, evidence)


def _ceo_must_own(
    ctx: Context, manager: CommonManager, groups: tuple[str, ...], evidence: dict[str, Evidence]
) -> Finding:
    """Rule 4 when only the CEO (or nobody) manages the whole journey."""
    names = tuple(ctx.unit_name(g) for g in groups)
    nobody = manager.id == VIRTUAL_TOP
    common = (
        "no manager is common to all of them (they sit under different tops)"
        if nobody
        else f"the only manager common to all of them is {manager.name} (the CEO)"
    )
    escalation = ctx.metric_by_scenario(
        "escalation_distance", (STATUS_QUO, CEO_FORUM, MERGE_SALES_MARKETING)
    )
    handoffs = ctx.metric_by_scenario(
        "cross_unit_handoffs_per_case", (CEO_FORUM, MERGE_SALES_MARKETING)
    )
    evidence.update(escalation_distance=escalation, cross_unit_handoffs_per_case=handoffs)
    share, forum_text, tipping_point = _forum_share(ctx, escalation)
    evidence["forum_share_of_merger"] = share
    complete = len(escalation) == 3 and None not in escalation.values()
    forums = [f.name or "a forum" for f in ctx.org.forums]
    owner = "the CEO" if nobody else manager.name
    return Finding(
        rule="ceo_owns_journey",
        triggered=True,
        verdict=(
            "Name one owner of the whole journey: no single manager manages every unit in it."
            if nobody
            else f"{manager.name} must own the design of the customer journey; {forum_text}"
        ),
        because=(
            f"The journey runs through {len(groups)} units ({listed(names)}) and {common}"
            + (f"; {listed(forums)} already meet(s)." if forums else ".")
        ),
        evidence=evidence,
        conditions=(
            f"{owner} delegates the journey to one executive with authority over all "
            f"{len(groups)} units",
            f"the heads of {listed(names)} already meet and decide on the journey together",
        ),
        counter=_forum_counter(
            handoffs, len(groups), "its members make" if nobody else f"{owner} makes"
        ),
        missing=() if complete else (_SCORECARD,),
        sources=("orglens",) if share is not None else (),
        margin=None if share is None else margin(share, ctx.settings.forum_share_of_merger),
        tipping_point=tipping_point,
    )


def _forum_counter(handoffs: dict[str, float | None], units: int, who: str) -> str:
    forum, merged = handoffs.get(CEO_FORUM), handoffs.get(MERGE_SALES_MARKETING)
    stays = (
        f"its {number(forum)} cross-unit handoffs per case stay ({number(merged)} merged)"
        if forum is not None and merged is not None
        else f"every handoff between the {units} units stays cross-unit"
    )
    return (
        f"A forum changes no reporting line, budget or target: {stays}, and the forum lasts "
        f"only as long as {who} time for it."
    )


_SCORECARD = (
    "scenario metrics (escalation_distance of status_quo, ceo_forum, merge_sales_marketing)"
)


def _forum_share(
    ctx: Context, escalation: dict[str, float | None]
) -> tuple[float | None, str, str]:
    """The forum's share of the merger's gain in escalation distance, how to say it, and what
    would tip it."""
    threshold = ctx.settings.forum_share_of_merger
    today, forum, merge = (
        escalation.get(k) for k in (STATUS_QUO, CEO_FORUM, MERGE_SALES_MARKETING)
    )
    if today is None or forum is None or merge is None or today - merge <= 0:
        return None, *_no_forum_share(ctx, today, merge)
    share = (today - forum) / (today - merge)
    levels = f"{number(forum)} levels with a forum, {number(merge)} merged, {number(today)} today"
    near = margin(share, threshold)
    if near is not None and near < BORDERLINE:
        text = (
            f"a forum of the heads achieves about {percent(threshold)} "
            f"({between(threshold, percent)}) of the merger's shorter escalation, too close to "
            "forum_share_of_merger to say whether it is enough on its own."
        )
    elif share >= 1:
        as_much = "as much as" if forum == merge else "more than"
        text = (
            f"a regular forum of the heads shortens escalation {as_much} the merger does "
            f"({levels}) without moving anyone: try it before merging" + _still(ctx, CEO_FORUM)
        )
    elif share >= threshold:
        text = (
            f"a regular forum of the heads achieves {percent(share)} of the merger's shorter "
            f"escalation ({levels}) without moving anyone: try it before merging"
            + _still(ctx, CEO_FORUM)
        )
    else:
        beaten = dominated(ctx, MERGE_SALES_MARKETING)
        text = (
            f"a forum of the heads achieves only {percent(share)} of the merger's shorter "
            f"escalation ({levels}), so it is not enough on its own"
            + (f", though {beaten}." if beaten else ".")
        )
    return share, text, _forum_tipping(share, threshold, (today, forum, merge), near)


def _no_forum_share(ctx: Context, today: float | None, merge: float | None) -> tuple[str, str]:
    """The forum half of the verdict, and what would tip it, when the scorecard lacks a
    distance or the merger does not shorten escalation."""
    threshold = percent(ctx.settings.forum_share_of_merger)
    if today is None or merge is None or today - merge > 0:
        return (
            "a regular forum of the heads may achieve much of a merger (compare ceo_forum with "
            "merge_sales_marketing).",
            "With the escalation distances of status_quo, ceo_forum and merge_sales_marketing "
            f"the verdict would turn at forum_share_of_merger = {threshold} of the merger's "
            "shorter escalation.",
        )
    return (
        "a merger does not shorten escalation, so a forum of the heads is the cheaper step"
        + _still(ctx, CEO_FORUM),
        f"Only a merger that shortened escalation ({number(merge)} levels merged, "
        f"{number(today)} today) would bring forum_share_of_merger = {threshold} into play.",
    )


def _still(ctx: Context, design: str) -> str:
    """``'.'``, or why a design the scorecard dominates is still worth trying."""
    beaten = dominated(ctx, design)
    return f", although {beaten}: it moves no one and can be stopped." if beaten else "."


def _forum_tipping(
    share: float, threshold: float, distances: tuple[float, float, float], near: float | None
) -> str:
    """At which forum escalation distance (or threshold) the forum half of the verdict turns;
    ``distances`` are today's, the forum's and the merger's."""
    today, forum, merge = distances
    turn = today - threshold * (today - merge)  # the forum's distance at the threshold
    first, last = band(threshold)
    achieved = (
        f"the forum shortens escalation {number(share)} times as much as the merger"
        if share >= 1
        else f"the forum achieves {percent(share)} of the merger's shorter escalation"
    )
    if near is not None and near < BORDERLINE:
        return (
            f"The verdict turns at forum_share_of_merger = {percent(threshold)}; {achieved}: "
            f"below {percent(first)} the forum is not enough on its own, above "
            f"{percent(last)} it is."
        )
    if share >= threshold:
        above = f", or a threshold above {percent(share)}," if share < 1 else ""
        change = f"a forum escalation distance above {number(turn)} levels{above}"
    else:
        change = (
            f"a forum escalation distance of {number(turn)} levels or less, or a threshold of "
            f"{percent(share)},"
        )
    return tipping(
        "forum_share_of_merger", percent(threshold), f"{achieved} ({number(forum)} levels)", change
    )
