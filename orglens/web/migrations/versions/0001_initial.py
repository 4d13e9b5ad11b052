"""The first tables: accounts, sessions, workspaces and members, invitations, versions,
scenarios, cached results, comments, decisions and jobs.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ROLES = "role IN ('owner', 'editor', 'commenter', 'viewer', 'viewer_no_cost')"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _user(
    table: str, name: str, *, nullable: bool = False, ondelete: str | None = None
) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey("users.id", name=f"fk_{table}_{name}_users", ondelete=ondelete),
        nullable=nullable,
    )


def _workspace(table: str) -> sa.Column[int]:
    return sa.Column(
        "workspace_id",
        sa.Integer(),
        sa.ForeignKey(
            "workspaces.id", name=f"fk_{table}_workspace_id_workspaces", ondelete="CASCADE"
        ),
        nullable=False,
    )


def _at(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("lang IN ('en', 'sv')", name="ck_users_lang"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "sessions",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _user("sessions", "user_id", ondelete="CASCADE"),
        _at("created_at"),
        _at("expires_at"),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "sign_in_attempts",
        _id(),
        sa.Column("key", sa.String(400), nullable=False),
        _at("at"),
    )
    op.create_index("ix_sign_in_attempts_key_at", "sign_in_attempts", ["key", "at"])
    op.create_table(
        "workspaces",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        _user("workspaces", "created_by"),
        _at("created_at"),
    )
    op.create_table(
        "members",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey(
                "workspaces.id", name="fk_members_workspace_id_workspaces", ondelete="CASCADE"
            ),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_members_user_id_users", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.CheckConstraint(ROLES, name="ck_members_role"),
    )
    op.create_index("ix_members_user_id", "members", ["user_id"])
    op.create_table(
        "invitations",
        _id(),
        _workspace("invitations"),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        _user("invitations", "created_by"),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        _user("invitations", "used_by", nullable=True),
        sa.CheckConstraint(ROLES, name="ck_invitations_role"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
    )
    op.create_index("ix_invitations_workspace_id", "invitations", ["workspace_id"])
    op.create_table(
        "versions",
        _id(),
        _workspace("versions"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("folder", sa.String(500), nullable=False),
        _user("versions", "created_by"),
        _at("created_at"),
        sa.CheckConstraint("kind IN ('zip', 'xlsx')", name="ck_versions_kind"),
        sa.UniqueConstraint("workspace_id", "number", name="uq_versions_workspace_id"),
    )
    op.create_table(
        "scenarios",
        _id(),
        _workspace("scenarios"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        _user("scenarios", "created_by"),
        _user("scenarios", "updated_by"),
        _at("updated_at"),
        sa.UniqueConstraint("workspace_id", "name", name="uq_scenarios_workspace_id"),
    )
    op.create_table(
        "results",
        _id(),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("versions.id", name="fk_results_version_id_versions", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("version_id", "key", name="uq_results_version_id"),
    )
    op.create_table(
        "comments",
        _id(),
        _workspace("comments"),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column(
            "parent_id",
            sa.Integer(),
            sa.ForeignKey("comments.id", name="fk_comments_parent_id_comments", ondelete="CASCADE"),
            nullable=True,
        ),
        _user("comments", "author_id"),
        sa.Column("body", sa.Text(), nullable=False),
        _at("created_at"),
        _at("edited_at", nullable=True),
        _at("deleted_at", nullable=True),
    )
    op.create_index("ix_comments_workspace_id_target", "comments", ["workspace_id", "target"])
    op.create_table(
        "decisions",
        _id(),
        _workspace("decisions"),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey(
                "versions.id", name="fk_decisions_version_id_versions", ondelete="SET NULL"
            ),
            nullable=True,
        ),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _user("decisions", "decided_by"),
        _at("decided_at"),
    )
    op.create_index("ix_decisions_workspace_id", "decisions", ["workspace_id"])
    op.create_table(
        "jobs",
        _id(),
        _workspace("jobs"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        _user("jobs", "created_by"),
        _at("created_at"),
        _at("finished_at", nullable=True),
        sa.CheckConstraint("kind IN ('optimize')", name="ck_jobs_kind"),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="ck_jobs_status"
        ),
    )
    op.create_index("ix_jobs_workspace_id", "jobs", ["workspace_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])


def downgrade() -> None:
    for table in (
        "jobs",
        "decisions",
        "comments",
        "results",
        "scenarios",
        "versions",
        "invitations",
        "members",
        "workspaces",
        "sign_in_attempts",
        "sessions",
        "users",
    ):
        op.drop_table(table)
