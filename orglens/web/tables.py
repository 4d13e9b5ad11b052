"""The database tables (SQLAlchemy 2 declarative); ``migrations/`` creates them.

Times are naive UTC (:func:`orglens.web.db.utcnow`) in every database. Text columns holding
JSON say so in their name's comment; the row classes carry no behaviour.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "Comment",
    "Decision",
    "Invitation",
    "Job",
    "Member",
    "Result",
    "Scenario",
    "Session",
    "SignInAttempt",
    "User",
    "Version",
    "Workspace",
]

#: Constraint names stable across SQLite and PostgreSQL, so that migrations can name them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}

ROLES = "'owner', 'editor', 'commenter', 'viewer', 'viewer_no_cost'"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _users(ondelete: str | None = None) -> ForeignKey:
    return ForeignKey("users.id", ondelete=ondelete)


def _workspaces() -> ForeignKey:
    return ForeignKey("workspaces.id", ondelete="CASCADE")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("lang IN ('en', 'sv')", name="lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Session(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    user_id: Mapped[int] = mapped_column(_users("CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class SignInAttempt(Base):
    """A failed sign-in, under its e-mail (``email:...``) and under its client (``addr:...``)."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(DateTime)


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int] = mapped_column(_users())
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (CheckConstraint(f"role IN ({ROLES})", name="role"),)

    workspace_id: Mapped[int] = mapped_column(_workspaces(), primary_key=True)
    user_id: Mapped[int] = mapped_column(_users("CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(f"role IN ({ROLES})", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(_workspaces(), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    role: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[int] = mapped_column(_users())
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_by: Mapped[int | None] = mapped_column(_users())


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        CheckConstraint("kind IN ('zip', 'xlsx')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(_workspaces())
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per workspace
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(500))  # as uploaded, shown literally
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    folder: Mapped[str] = mapped_column(String(500))  # relative to --data
    created_by: Mapped[int] = mapped_column(_users())
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Scenario(Base):
    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(_workspaces())
    name: Mapped[str] = mapped_column(String(200))
    yaml: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(_users())
    updated_by: Mapped[int] = mapped_column(_users())
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Result(Base):
    """A cached result of one version (``payload`` is JSON text)."""

    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Comment(Base):
    """A comment on ``target``: ``recommendation``, ``scenario:NAME`` or ``finding:ID``."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_workspace_id_target", "workspace_id", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(_workspaces())
    target: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(_users())
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(_workspaces(), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"))
    scenario: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(_users())
    decided_at: Mapped[datetime] = mapped_column(DateTime)


class Job(Base):
    """A background job; ``params`` and ``result`` are JSON values."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("kind IN ('optimize')", name="kind"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(_workspaces(), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), index=True)
    progress: Mapped[float] = mapped_column(Float)  # 0..1
    message: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int] = mapped_column(_users())
    created_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
