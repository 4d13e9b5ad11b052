"""The report's text sections: the recommendation, the advice rule by rule, the warnings.

Every figure comes from the :class:`~orglens.workspace.Comparison` the JSON output prints; every
word from the ``report`` catalogue (or the advice texts, already in the report's language).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from orglens.advice import Advice, Finding, Recommendation
from orglens.advice.finding import jsonable
from orglens.i18n import decimal, listed, number, percent, t
from orglens.report.labels import design_label, group_label, humane
from orglens.report.svg import literal

__all__ = [
    "advice_html",
    "finding_html",
    "recommendation_html",
    "warnings_html",
]


#: A weight flip further than this from today's weights is no real alternative: not shown.
WEIGHT_REACH = 10.0


def _paragraphs(texts: Iterable[str], css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return "".join(f"<p{attribute}>{literal(text)}</p>" for text in texts if text)


def _items(texts: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{literal(text)}</li>" for text in texts) + "</ul>"


def recommendation_html(recommendation: Recommendation, findings: Sequence[Finding]) -> str:
    """The bottom line: the recommended design and why, the runner-up, the Pareto front and
    what would flip the choice (weights, and verdicts near their threshold). With one design
    compared (the data allows no other), its score, the front and the weights say nothing and
    are left out."""
    chosen, second = recommendation.recommended, recommendation.runner_up
    scores = {entry.name: entry.score for entry in recommendation.ranked}
    total = len(recommendation.ranked)

    def named(text: str) -> str:
        return humane(text, scores)

    parts = ['<div class="verdict">']
    if chosen is not None:
        score = literal(t("report.score", score=decimal(scores[chosen], 2)))
        parts.append(
            f'<p class="label">{literal(t("report.recommended"))}</p>'
            f'<p class="choice">{literal(design_label(chosen))}'
            + (f' <span class="score">{score}</span>' if total > 1 else "")
            + f"</p>{_paragraphs([named(recommendation.why)])}"
        )
    if second is not None:
        parts.append(
            f'<p class="label">{literal(t("report.runner_up"))}</p>'
            f'<p class="second">{literal(design_label(second))}'
            f' <span class="score">{literal(t("report.score", score=decimal(scores[second], 2)))}'
            "</span></p>"
            f"{_paragraphs([named(recommendation.runner_up_why)])}"
        )
    parts.append("</div>")
    if total > 1:
        parts.append(_front_and_weights(recommendation, named))
    near = [f for f in findings if f.borderline and f.tipping_point]
    parts.append(f"<h3>{literal(t('report.threshold_flips'))}</h3>")
    parts.append(
        _items([named(f.tipping_point) for f in near])
        if near
        else _paragraphs([t("report.no_threshold_flips")])
    )
    return "".join(parts)


def _front_and_weights(recommendation: Recommendation, named: Callable[[str], str]) -> str:
    """The Pareto front and the weight changes that would put another design first."""
    total, front = len(recommendation.ranked), recommendation.pareto
    parts = [f"<h3>{literal(t('report.front'))}</h3>"]
    if len(front) == total:
        parts.append(_paragraphs([t("report.front_all", n=total)]))
    else:
        parts.append(_paragraphs([t("report.front_some", n=len(front), total=total)]))
        parts.append(
            _items(
                [
                    f"{design_label(name)}: {named(text)}"
                    for name, text in recommendation.dominated.items()
                ]
            )
        )
    parts.append(f"<h3>{literal(t('report.what_flips'))}</h3>")
    flips = [
        t(
            "report.weight_flip",
            weight=decimal(flip.flips_at, 1),
            group=group_label(flip.group),
            now=decimal(flip.weight, 1),
            design=design_label(flip.to),
        )
        for flip in recommendation.weight_flips
        if flip.flips_at is not None and flip.to is not None and flip.flips_at <= WEIGHT_REACH
    ]
    parts.append(_items(flips) if flips else _paragraphs([t("report.no_weight_flip")]))
    return "".join(parts)


def _evidence_value(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list):
        return listed(str(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_evidence_value(item)}" for key, item in value.items())
    return str(value)


def finding_html(finding: Finding, designs: Collection[str] = ()) -> str:
    """One rule: verdict, because, evidence table, conditions, counter-argument and margin;
    the ids of ``designs`` and of the metrics in its texts read as their names."""

    def named(text: str) -> str:
        return humane(text, designs)

    state = "applies" if finding.triggered else "not_applies"
    parts = [
        f'<article class="finding {state}" id="rule-{literal(finding.rule)}">',
        f'<p class="state">{literal(t(f"report.{state}"))} · <code>{literal(finding.rule)}</code>'
        "</p>",
        f'<p class="verdict-text">{literal(named(finding.verdict))}</p>',
        f"<p><strong>{literal(t('report.because'))}:</strong> "
        f"{literal(named(finding.because))}</p>",
    ]
    if finding.evidence:
        rows = "".join(
            f'<tr><th scope="row"><code>{literal(key)}</code></th>'
            f"<td>{literal(_evidence_value(jsonable(value)))}</td></tr>"
            for key, value in finding.evidence.items()
        )
        parts.append(
            f'<details><summary>{literal(t("report.evidence"))}</summary><table class="data">'
            f'<thead><tr><th scope="col">{literal(t("report.metric"))}</th>'
            f'<th scope="col">{literal(t("report.value"))}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></details>"
        )
    if finding.conditions:
        parts.append(f"<p><strong>{literal(t('report.conditions'))}:</strong></p>")
        parts.append(_items([named(text) for text in finding.conditions]))
    if finding.counter:
        parts.append(
            f'<p class="counter"><strong>{literal(t("report.counter"))}:</strong> '
            f"{literal(named(finding.counter))}</p>"
        )
    if finding.missing:
        parts.append(
            f"<p><strong>{literal(t('report.missing'))}:</strong> "
            f"{literal(listed(finding.missing))}</p>"
        )
    if finding.margin is not None:
        far = finding.margin >= 1
        note = t("report.margin_far") if far else t("report.margin", margin=percent(finding.margin))
        if finding.borderline:
            note += f" — {t('report.borderline')}"
        parts.append(f'<p class="margin">{literal(note)}</p>')
    if finding.tipping_point:
        parts.append(
            f"<p><strong>{literal(t('report.tipping_point'))}:</strong> "
            f"{literal(named(finding.tipping_point))}</p>"
        )
    parts.append("</article>")
    return "".join(parts)


def advice_html(advice: Advice, designs: Collection[str] = ()) -> str:
    """Every rule of the debate, those that apply here first, then the sources cited."""
    ordered = sorted(advice.findings, key=lambda f: not f.triggered)
    sources = "".join(
        f'<li id="source-{literal(source.id)}">{literal(source.text)}</li>'
        for source in advice.sources
    )
    return (
        "".join(finding_html(f, designs) for f in ordered)
        + f'<h3>{literal(t("report.sources"))}</h3><ol class="sources">{sources}</ol>'
    )


def warnings_html(warnings: Sequence[str]) -> str:
    """What the data left out or what was inferred, as the JSON's ``warnings`` says it."""
    if not warnings:
        return _paragraphs([t("report.no_warnings")])
    return _items(warnings)
