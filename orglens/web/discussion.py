"""Discussions: the comments on one target of a workspace, as the pages show them.

A *target* is what a thread is about: ``recommendation``, ``scenario:NAME`` (a design, by its
name) or ``finding:ID`` (an advice finding, by its rule's id); :func:`is_target` tells which
texts are targets. :func:`discussion` reads one target's comments into a JSON-able dict, in
reading order with each comment's depth (:func:`orglens.web.threads.flatten`), which the
template ``_discussion.html`` renders. Bodies are HTML only through
:func:`orglens.web.markdown.render` (everything typed is escaped); an author is shown by name,
never by e-mail address; a deleted comment keeps its place in the thread without its text or
its author. :func:`clean_body` is what the pages store of a typed body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from orglens.i18n import t
from orglens.web import markdown
from orglens.web.tables import Comment, User
from orglens.web.threads import build, flatten

__all__ = [
    "MAX_KEY_LENGTH",
    "RECOMMENDATION",
    "body_problem",
    "clean_body",
    "discussion",
    "discussions",
    "is_target",
    "target_label",
]

#: The target of the recommendation's thread.
RECOMMENDATION: Final = "recommendation"
#: The longest scenario name or finding id a target may hold.
MAX_KEY_LENGTH: Final = 100
# A letter or digit first, then letters (any alphabet), digits, _ and - (scenario names as
# orglens.web.results_version allows them, and status_quo); finding ids are a rule's id.
_NAME = re.compile(r"[^\W_][\w-]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_target(text: str) -> bool:
    """Whether ``text`` names something comments can be on.

    Examples
    --------
    >>> [is_target(x) for x in ("recommendation", "scenario:growth_team", "scenario:säljpoddar")]
    [True, True, True]
    >>> [is_target(x) for x in ("finding:span_after_merge", "finding:a.b-2")]
    [True, True]
    >>> [is_target(x) for x in ("", "scenario:", "scenario:../x", "finding:<b>", "Recommendation")]
    [False, False, False, False, False]
    >>> is_target("scenario:" + "x" * 101), is_target("scenario:a b")
    (False, False)
    """
    if text == RECOMMENDATION:
        return True
    kind, colon, key = text.partition(":")
    if not colon or not 0 < len(key) <= MAX_KEY_LENGTH:
        return False
    if kind == "scenario":
        return _NAME.fullmatch(key) is not None and unicodedata.normalize("NFC", key) == key
    if kind == "finding":
        return _ID.fullmatch(key) is not None
    return False


def target_label(target: str) -> str:
    """What a page calls ``target``, in the current language.

    >>> target_label("recommendation"), target_label("scenario:growth_team")
    ('the recommendation', 'scenario growth_team')
    """
    if target == RECOMMENDATION:
        return t("web_discussion.target_recommendation")
    kind, _, key = target.partition(":")
    if kind == "scenario":
        return t("web_discussion.target_scenario", name=key)
    return t("web_discussion.target_finding", id=key)


def clean_body(text: str) -> str:
    """A typed body as it is stored: line breaks as ``\\n``, no blank lines around it, and the
    characters no database can hold (NUL, lone surrogates) replaced by U+FFFD.

    >>> clean_body("\\r\\n  Hello\\r\\nworld\\x00  \\n\\n")
    'Hello\\nworld\\ufffd'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return _SURROGATE.sub("\ufffd", text).strip()


def body_problem(body: str) -> str | None:
    """Why ``body`` (as :func:`clean_body` gives it) cannot be posted, in the current language;
    ``None`` when it can.

    >>> body_problem("Fine."), body_problem("") is not None
    (None, True)
    """
    if not body:
        return t("web_discussion.body_blank")
    if len(body) > markdown.MAX_BODY:
        return t("web_discussion.body_long", most=markdown.MAX_BODY, length=len(body))
    return None


@dataclass(frozen=True, slots=True)
class _Entry:
    """One comment as :func:`orglens.web.threads.build` reads it, with what the page shows."""

    id: int
    parent_id: int | None
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    author_id: int
    author: str
    body: str

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def _iso(value: datetime | None) -> str | None:
    """A naive UTC time as ISO 8601 with ``Z`` (as :func:`orglens.web.render.to_json`)."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


@lru_cache(maxsize=4096)
def _rendered(body: str) -> str:
    """:func:`orglens.web.markdown.render` of ``body``, kept for the next view (a thread is
    read far more often than written: 50 users on a thread of 500 comments rendered each
    comment again on every view)."""
    return str(markdown.render(body))


def _shown(entry: _Entry, depth: int, viewer: int | None) -> dict[str, Any]:
    mine = viewer is not None and entry.author_id == viewer
    if entry.deleted:
        author, body_html, body = None, "", None
    else:
        author, body_html = entry.author, _rendered(entry.body)
        body = entry.body if mine else None
    return {
        "id": entry.id,
        "parent_id": entry.parent_id,
        "depth": depth,
        "author": author,
        "body_html": body_html,
        "body": body,
        "created_at": _iso(entry.created_at),
        "edited_at": None if entry.deleted else _iso(entry.edited_at),
        "deleted": entry.deleted,
        "mine": mine,
    }


def discussion(db: Session, workspace_id: int, target: str, viewer: int | None) -> dict[str, Any]:
    """The comments on ``target`` in workspace ``workspace_id`` as ``viewer`` (a user id, or
    ``None``) sees them: a JSON-able dict.

    ``{"target", "count", "comments"}``: ``count`` is the number of comments not deleted;
    ``comments`` lists every comment in reading order (a comment before its replies, siblings
    oldest first), each ``{"id", "parent_id", "depth", "author", "body_html", "body",
    "created_at", "edited_at", "deleted", "mine"}``. ``author`` is the author's name
    (``None`` once deleted); ``body_html`` the body rendered by
    :func:`orglens.web.markdown.render` (``""`` once deleted); ``body`` the raw text of the
    viewer's own comments, for editing (``None`` for others' and deleted ones); times are ISO
    8601 UTC with ``Z``; ``depth`` is 0 for a top-level comment, capped at
    :data:`orglens.web.threads.MAX_DEPTH`.
    """
    return discussions(db, workspace_id, [target], viewer)[target]


def discussions(
    db: Session, workspace_id: int, targets: Iterable[str], viewer: int | None
) -> dict[str, dict[str, Any]]:
    """:func:`discussion` of each of ``targets``, read in one query (a comparison page shows
    the recommendation's, every finding's and every design's)."""
    wanted = list(dict.fromkeys(targets))
    rows = db.execute(
        select(Comment, User.name)
        .join(User, User.id == Comment.author_id)
        .where(Comment.workspace_id == workspace_id, Comment.target.in_(wanted))
    ).all()
    entries: dict[str, list[_Entry]] = {target: [] for target in wanted}
    for comment, name in rows:
        entries[comment.target].append(
            _Entry(
                id=comment.id,
                parent_id=comment.parent_id,
                created_at=comment.created_at,
                edited_at=comment.edited_at,
                deleted_at=comment.deleted_at,
                author_id=comment.author_id,
                author=name,
                body=comment.body,
            )
        )
    found = {}
    for target, listed in entries.items():
        shown = [_shown(node.row, depth, viewer) for depth, node in flatten(build(listed))]
        count = sum(not entry.deleted for entry in listed)
        found[target] = {"target": target, "count": count, "comments": shown}
    return found
