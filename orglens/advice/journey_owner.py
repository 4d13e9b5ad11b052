"""Rule 4 about structure: the CEO as the journey's owner, and a forum of the heads.

- ``ceo_owns_journey`` (rule 4): the CEO as the only common manager of the journey must own its
  design; a forum of the heads may achieve much of a merger.
"""

from __future__ import annotations

from orglens.advice._context import Context, band, between, counted, dominated, tipping
from orglens.advice.finding import BORDERLINE, Evidence, Finding, margin
from orglens.i18n import listed, number, percent, t
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
            verdict=t("advice_journey_owner.verdict_no_journey"),
            because=counted("advice_journey_owner.because_no_journey", len(groups)),
            evidence=evidence,
            conditions=(),
            counter="",
            missing=() if process.journey else (t("advice_journey_owner.missing_journey"),),
        )
    if not manager.is_top:
        return Finding(
            rule=rule,
            triggered=False,
            verdict=t("advice_journey_owner.verdict_below_ceo", manager=manager.name),
            because=t(
                "advice_journey_owner.because_below_ceo",
                n=number(len(groups)),
                names=listed(names),
                manager=manager.name,
            ),
            evidence=evidence,
            conditions=(),
            counter=t("advice_journey_owner.counter_below_ceo", manager=manager.name),
            tipping_point=t("advice_journey_owner.tipping_below_ceo", manager=manager.name),
        )
    return _ceo_must_own(ctx, manager, groups, evidence)


def _ceo_must_own(
    ctx: Context, manager: CommonManager, groups: tuple[str, ...], evidence: dict[str, Evidence]
) -> Finding:
    """Rule 4 when only the CEO (or nobody) manages the whole journey."""
    names = tuple(ctx.unit_name(g) for g in groups)
    nobody = manager.id == VIRTUAL_TOP
    common = (
        t("advice_journey_owner.common_nobody")
        if nobody
        else t("advice_journey_owner.common_ceo", manager=manager.name)
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
    forums = [f.name or t("advice_journey_owner.a_forum") for f in ctx.org.forums]
    owner = t("advice_journey_owner.the_ceo") if nobody else manager.name
    units = number(len(groups))
    return Finding(
        rule="ceo_owns_journey",
        triggered=True,
        verdict=(
            t("advice_journey_owner.verdict_nobody")
            if nobody
            else t("advice_journey_owner.verdict_owner", manager=manager.name, forum=forum_text)
        ),
        because=(
            counted(
                "advice_journey_owner.because_forums",
                len(forums),
                units=units,
                names=listed(names),
                common=common,
                forums=listed(forums),
            )
            if forums
            else t("advice_journey_owner.because", units=units, names=listed(names), common=common)
        ),
        evidence=evidence,
        conditions=(
            t("advice_journey_owner.condition_delegate", owner=owner, units=units),
            t("advice_journey_owner.condition_heads", names=listed(names)),
        ),
        counter=_forum_counter(handoffs, len(groups), None if nobody else owner),
        missing=() if complete else (t("advice_journey_owner.missing_scorecard"),),
        sources=("orglens",) if share is not None else (),
        margin=None if share is None else margin(share, ctx.settings.forum_share_of_merger),
        tipping_point=tipping_point,
    )


def _forum_counter(handoffs: dict[str, float | None], units: int, owner: str | None) -> str:
    """The counter-argument: what a forum leaves as it is, and who keeps it alive (its members
    when ``owner`` is ``None``)."""
    forum, merged = handoffs.get(CEO_FORUM), handoffs.get(MERGE_SALES_MARKETING)
    stays = (
        t("advice_journey_owner.stays_scored", forum=number(forum), merged=number(merged))
        if forum is not None and merged is not None
        else t("advice_journey_owner.stays_units", units=number(units))
    )
    if owner is None:
        return t("advice_journey_owner.counter_members", stays=stays)
    return t("advice_journey_owner.counter_owner", stays=stays, owner=owner)


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
    levels = t(
        "advice_journey_owner.levels",
        forum=number(forum),
        merge=number(merge),
        today=number(today),
    )
    near = margin(share, threshold)
    if near is not None and near < BORDERLINE:
        text = t(
            "advice_journey_owner.forum_borderline",
            threshold=percent(threshold),
            band=between(threshold, percent),
        )
    elif share >= 1:
        text = t(
            "advice_journey_owner.forum_as_much"
            if forum == merge
            else "advice_journey_owner.forum_more",
            levels=levels,
            still=_still(ctx, CEO_FORUM),
        )
    elif share >= threshold:
        text = t(
            "advice_journey_owner.forum_enough",
            share=percent(share),
            levels=levels,
            still=_still(ctx, CEO_FORUM),
        )
    else:
        beaten = dominated(ctx, MERGE_SALES_MARKETING)
        text = (
            t(
                "advice_journey_owner.forum_short_dominated",
                share=percent(share),
                levels=levels,
                dominated=beaten,
            )
            if beaten
            else t("advice_journey_owner.forum_short", share=percent(share), levels=levels)
        )
    return share, text, _forum_tipping(share, threshold, (today, forum, merge), near)


def _no_forum_share(ctx: Context, today: float | None, merge: float | None) -> tuple[str, str]:
    """The forum half of the verdict, and what would tip it, when the scorecard lacks a
    distance or the merger does not shorten escalation."""
    threshold = percent(ctx.settings.forum_share_of_merger)
    if today is None or merge is None or today - merge > 0:
        return (
            t("advice_journey_owner.forum_unknown"),
            t("advice_journey_owner.tipping_unknown", threshold=threshold),
        )
    return (
        t("advice_journey_owner.forum_no_gain", still=_still(ctx, CEO_FORUM)),
        t(
            "advice_journey_owner.tipping_no_gain",
            merge=number(merge),
            today=number(today),
            threshold=threshold,
        ),
    )


def _still(ctx: Context, design: str) -> str:
    """``'.'``, or why a design the scorecard dominates is still worth trying."""
    beaten = dominated(ctx, design)
    return t("advice_journey_owner.still_dominated", dominated=beaten) if beaten else "."


def _forum_tipping(
    share: float, threshold: float, distances: tuple[float, float, float], near: float | None
) -> str:
    """At which forum escalation distance (or threshold) the forum half of the verdict turns;
    ``distances`` are today's, the forum's and the merger's."""
    today, forum, merge = distances
    turn = today - threshold * (today - merge)  # the forum's distance at the threshold
    first, last = band(threshold)
    achieved = (
        t("advice_journey_owner.achieved_times", times=number(share))
        if share >= 1
        else t("advice_journey_owner.achieved_share", share=percent(share))
    )
    if near is not None and near < BORDERLINE:
        return t(
            "advice_journey_owner.tipping_borderline",
            threshold=percent(threshold),
            achieved=achieved,
            low=percent(first),
            high=percent(last),
        )
    if share >= 1:
        change = t("advice_journey_owner.change_enough", turn=number(turn))
    elif share >= threshold:
        change = t("advice_journey_owner.change_enough_or", turn=number(turn), share=percent(share))
    else:
        change = t("advice_journey_owner.change_short", turn=number(turn), share=percent(share))
    measure = t("advice_journey_owner.achieved_levels", achieved=achieved, forum=number(forum))
    return tipping("forum_share_of_merger", percent(threshold), measure, change)
