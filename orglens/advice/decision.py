"""The bottom line: the scorecard turned into a ranked recommendation, and what would flip it.

The method (also in the README):

1. **Pareto front**: the designs no other design dominates (dominated = no better on any metric
   and worse on at least one; :func:`orglens.scenarios.dominance`), on the metrics every
   compared design has a value for (a metric missing for one design would let dominance go
   round in a circle and leave no front).
2. **Normalised metrics**: for each metric, across the designs compared, a design's value
   becomes ``(worst - value) / (worst - best)``: 1 for the best design, 0 for the worst, in the
   metric's direction. A metric on which all designs are equal, or that fewer than two designs
   have, says nothing about the choice and is left out; so is a metric whose values differ by
   less than :data:`NEGLIGIBLE` (1%) of the largest of them in size (0.770 against 0.769 is no
   difference worth a full point of score). A design without a value for a metric is left out
   of that metric.
3. **Group scores**: each metric group of :data:`~orglens.model.METRIC_GROUPS` scores the mean
   of its metrics' normalised values; a group none of whose metrics count is left out.
4. **Score**: the weighted mean of the group scores that count, with the weights of
   ``decision: weights:`` (:data:`~orglens.model.decision.DEFAULT_WEIGHTS` by default): from 0
   to 1, higher is better.
5. **Recommended**: the design with the highest score on the Pareto front (so it is never
   dominated); **runner-up**: the next on the front (the next overall when the front has one
   design). Ties keep the order the designs are compared in.
6. **Flips**: for each weight, the value it would have to take (others unchanged) for another
   design of the front to overtake the recommended one; ``None`` when no value would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orglens.i18n import listed, number, t
from orglens.model import METRIC_GROUPS, DecisionSettings
from orglens.scenarios import Metric, ScenarioScore, Scorecard, dominance

__all__ = [
    "NEGLIGIBLE",
    "Ranked",
    "Recommendation",
    "WeightFlip",
    "recommend",
    "threshold_flips",
]

#: A metric whose values across the designs differ by less than this share of the largest of
#: them (in size) is taken as equal for the score: normalising would stretch the difference to
#: a whole point.
NEGLIGIBLE = 0.01


@dataclass(frozen=True)
class Ranked:
    """One design's score, and the score of each metric group that counts for it."""

    name: str
    score: float
    groups: Mapping[str, float]
    on_pareto_front: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": round(self.score, 6),
            "groups": {group: round(value, 6) for group, value in self.groups.items()},
            "on_pareto_front": self.on_pareto_front,
        }


@dataclass(frozen=True)
class WeightFlip:
    """How far one group's weight would have to move to change the recommended design."""

    group: str
    weight: float
    flips_at: float | None
    to: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "weight": self.weight,
            "flips_at": None if self.flips_at is None else round(self.flips_at, 6),
            "to": self.to,
        }


@dataclass(frozen=True)
class Recommendation:
    """The recommended design, the runner-up, the Pareto front, the ranking and its flips."""

    recommended: str | None
    why: str
    runner_up: str | None
    runner_up_why: str
    pareto: tuple[str, ...]
    dominated: Mapping[str, str]
    weights: Mapping[str, float]
    ranked: tuple[Ranked, ...]
    weight_flips: tuple[WeightFlip, ...]
    threshold_flips: tuple[Mapping[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"recommended", "why", "runner_up", "runner_up_why", "pareto", "dominated",
        "weights", "ranked", "flips": {"weights", "thresholds"}}``."""
        return {
            "recommended": self.recommended,
            "why": self.why,
            "runner_up": self.runner_up,
            "runner_up_why": self.runner_up_why,
            "pareto": list(self.pareto),
            "dominated": dict(self.dominated),
            "weights": dict(self.weights),
            "ranked": [entry.to_dict() for entry in self.ranked],
            "flips": {
                "weights": [flip.to_dict() for flip in self.weight_flips],
                "thresholds": [dict(flip) for flip in self.threshold_flips],
            },
        }


def recommend(
    scorecard: Scorecard,
    /,
    *,
    settings: DecisionSettings | None = None,
    threshold_flips: Sequence[Mapping[str, Any]] = (),
) -> Recommendation:
    """Rank the designs of ``scorecard`` and recommend one (see the module doc for the method).

    Examples
    --------
    >>> from orglens.model import CoordinationNeed, Organization, Person, Unit
    >>> from orglens.scenarios import compare
    >>> org = Organization(
    ...     people=[Person(id="ceo", unit="top"),
    ...             Person(id="s", manager_id="ceo", unit="sales"),
    ...             Person(id="m", manager_id="ceo", unit="mkt")],
    ...     units=[Unit(id="top"), Unit(id="sales", parent="top", function="sales"),
    ...            Unit(id="mkt", parent="top", function="marketing")],
    ...     coordination=[CoordinationNeed(source="s", target="m", weight=1)],
    ... )
    >>> choice = recommend(compare(org))
    >>> choice.pareto
    ('status_quo', 'ceo_forum', 'merge_sales_marketing')
    >>> choice.recommended
    'merge_sales_marketing'
    """
    used = settings or DecisionSettings()
    weights = {group: float(used.weights.get(group, 0.0)) for group in METRIC_GROUPS}
    scores = scorecard.scenarios
    groups = _group_scores(scores, scorecard.metrics)
    front = _front(scores, scorecard.metrics)
    total = {score.name: _weighted(groups[score.name], weights) for score in scores}
    order = {score.name: index for index, score in enumerate(scores)}
    ranked = tuple(
        Ranked(name, total[name], groups[name], name in front)
        for name in sorted(total, key=lambda name: (-total[name], order[name]))
    )
    on_front = [entry.name for entry in ranked if entry.on_pareto_front]
    recommended = on_front[0] if on_front else None
    others = [entry.name for entry in ranked if entry.name != recommended]
    runner_up = (on_front[1] if len(on_front) > 1 else others[0]) if others else None
    by_name = {score.name: score for score in scores}
    return Recommendation(
        recommended=recommended,
        why=_why(recommended, runner_up, groups, weights, total, by_name),
        runner_up=runner_up,
        runner_up_why=_why(runner_up, recommended, groups, weights, total, by_name),
        pareto=front,
        dominated={
            score.name: _dominated_text(score, by_name, scorecard.metrics)
            for score in scores
            if score.dominated_by
        },
        weights=weights,
        ranked=ranked,
        weight_flips=tuple(
            _weight_flip(group, weights, groups, recommended, on_front[1:])
            for group in METRIC_GROUPS
        ),
        threshold_flips=tuple(threshold_flips),
    )


# -- scores -------------------------------------------------------------------------------------


def _front(scores: Sequence[ScenarioScore], metrics: Sequence[Metric]) -> tuple[str, ...]:
    """The designs no other dominates on the metrics every compared design has a value for.

    Comparing only where all have values keeps dominance a strict order, so the front is never
    empty; where every design has every metric this is the scorecard's own ``dominated_by``.
    """
    shared = [m for m in metrics if all(s.metrics.get(m.key) is not None for s in scores)]
    beaten = dominance({s.name: s.metrics for s in scores}, shared)
    return tuple(score.name for score in scores if not beaten[score.name])


def _group_scores(
    scores: Sequence[ScenarioScore], metrics: Sequence[Metric]
) -> dict[str, dict[str, float]]:
    """``{design: {group: mean normalised value}}`` over the metrics that count (module doc)."""
    direction = {metric.key: metric.better for metric in metrics}
    normalised: dict[str, dict[str, float]] = {score.name: {} for score in scores}
    for key, better in direction.items():
        values = {s.name: float(v) for s in scores if (v := s.metrics.get(key)) is not None}
        if len(values) < 2 or _negligible(values.values()):
            continue
        best = max(values.values()) if better == "higher" else min(values.values())
        worst = min(values.values()) if better == "higher" else max(values.values())
        for name, value in values.items():
            normalised[name][key] = (worst - value) / (worst - best)
    found: dict[str, dict[str, float]] = {}
    for name, by_metric in normalised.items():
        found[name] = {
            group: sum(by_metric[key] for key in keys if key in by_metric)
            / sum(key in by_metric for key in keys)
            for group, keys in METRIC_GROUPS.items()
            if any(key in by_metric for key in keys)
        }
    return found


def _negligible(values: Iterable[float]) -> bool:
    """Whether ``values`` are all equal, or differ by less than :data:`NEGLIGIBLE` of the
    largest of them in size."""
    found = list(values)
    spread = max(found) - min(found)
    return spread == 0 or spread < NEGLIGIBLE * max(abs(value) for value in found)


def _weighted(groups: Mapping[str, float], weights: Mapping[str, float]) -> float:
    counted = sum(weights[group] for group in groups)
    if not counted:
        return 0.0
    return sum(weights[group] * value for group, value in groups.items()) / counted


# -- flips --------------------------------------------------------------------------------------


def _weight_flip(
    group: str,
    weights: Mapping[str, float],
    groups: Mapping[str, Mapping[str, float]],
    recommended: str | None,
    rivals: Sequence[str],
) -> WeightFlip:
    """The weight of ``group`` at which a rival on the front would first overtake the choice."""
    current = weights[group]
    nearest: tuple[float, str] | None = None
    if recommended is not None:
        for rival in rivals:
            at = _crossing(group, weights, groups[recommended], groups[rival])
            if at is not None and (
                nearest is None or abs(at - current) < abs(nearest[0] - current)
            ):
                nearest = (at, rival)
    if nearest is None:
        return WeightFlip(group, current, None, None)
    return WeightFlip(group, current, nearest[0], nearest[1])


def _crossing(
    group: str, weights: Mapping[str, float], ours: Mapping[str, float], theirs: Mapping[str, float]
) -> float | None:
    """The weight ``w >= 0`` of ``group`` at which the two designs' scores are equal and the
    rival would lead beyond it; ``None`` when none exists.

    A design's score is ``sum(w_g * s_g) / sum(w_g)`` over its groups; over the groups both
    designs have, the difference of the scores has the sign of ``sum(w_g * (ours_g -
    theirs_g))``, linear in the weight of ``group``.
    """
    shared = set(ours) & set(theirs)
    if group not in shared:
        return None
    rest = sum(weights[g] * (ours[g] - theirs[g]) for g in shared if g != group)
    gap = ours[group] - theirs[group]
    if gap == 0:
        return None
    at = -rest / gap
    if at < 0:
        return None
    current = weights[group]
    # Moving the weight past `at` helps the rival only in the direction that lowers our lead.
    moving_up_helps = gap < 0
    if (moving_up_helps and at <= current) or (not moving_up_helps and at >= current):
        return None
    return at


# -- wording ------------------------------------------------------------------------------------


def _why(
    name: str | None,
    other: str | None,
    groups: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float],
    total: Mapping[str, float],
    by_name: Mapping[str, ScenarioScore],
) -> str:
    """One sentence from the metric groups that decide between ``name`` and ``other``."""
    if name is None:
        return ""
    if other is None:
        return t("advice_decision.only_design", name=name)
    ours, theirs = groups[name], groups[other]
    gains = sorted(
        (weights[g] * (ours[g] - theirs[g]), g)
        for g in set(ours) & set(theirs)
        if ours[g] != theirs[g]
    )
    better = [g for gain, g in reversed(gains) if gain > 0][:2]
    worse = [g for gain, g in gains if gain < 0][:1]
    if not better and not worse:
        return t("advice_decision.tie", name=name, other=other, score=number(total[name]))
    key = "advice_decision.why_" + (
        "better_worse" if better and worse else "better" if better else "worse"
    )
    return t(
        key,
        name=name,
        score=number(total[name]),
        other_score=number(total[other]),
        other=other,
        better=listed(_group_text(g, by_name[name], by_name[other]) for g in better),
        worse=_group_text(worse[0], by_name[name], by_name[other]) if worse else "",
    )


def _group_text(group: str, ours: ScenarioScore, theirs: ScenarioScore) -> str:
    """``group`` named by its most telling metric with the two values."""
    for key in METRIC_GROUPS[group]:
        mine, other = ours.metrics.get(key), theirs.metrics.get(key)
        if mine is not None and other is not None and mine != other:
            return t(
                "advice_decision.group_metric",
                group=t(f"advice_decision.group_{group}"),
                metric=key,
                ours=number(mine),
                theirs=number(other),
            )
    return t(f"advice_decision.group_{group}")


def _dominated_text(
    score: ScenarioScore, by_name: Mapping[str, ScenarioScore], metrics: Sequence[Metric]
) -> str:
    """Which design dominates ``score``, on which metrics it is worse, and that the rest tie."""
    winner = by_name[score.dominated_by[0]]
    worse = [
        m.key
        for m in metrics
        if (a := score.metrics.get(m.key)) is not None
        and (b := winner.metrics.get(m.key)) is not None
        and a != b
    ]
    compared = sum(
        score.metrics.get(m.key) is not None and winner.metrics.get(m.key) is not None
        for m in metrics
    )
    rest = compared - len(worse)
    equal = t(f"advice_decision.equal_{'one' if rest == 1 else 'other'}", n=number(rest))
    if len(score.dominated_by) > 1:
        return t(
            "advice_decision.dominated_also",
            winner=winner.name,
            others=listed(score.dominated_by[1:]),
            worse=listed(worse),
            equal=equal,
        )
    return t("advice_decision.dominated", winner=winner.name, worse=listed(worse), equal=equal)


def threshold_flips(findings: Sequence[Any]) -> tuple[dict[str, Any], ...]:
    """The findings whose verdict turns on a threshold, with their margin and tipping point."""
    return tuple(
        {
            "rule": f.rule,
            "margin": round(f.margin, 6),
            "borderline": f.borderline,
            "tipping_point": f.tipping_point,
        }
        for f in findings
        if f.margin is not None
    )
