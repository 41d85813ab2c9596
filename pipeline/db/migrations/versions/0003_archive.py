"""the archive as evidence (issue #16): agencies, their names, archive checks; documents point
to an agency and carry their place in the agency-year; fields carry the cross-year verdict

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
)
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("by_reviewer", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["agencies.id"],
            name=op.f("fk_agencies_parent_id_agencies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("key", name=op.f("uq_agencies_key")),
    )
    op.create_table(
        "agency_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_agency_names_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_names")),
        sa.UniqueConstraint("key", name=op.f("uq_agency_names_key")),
    )
    op.create_index(op.f("ix_agency_names_agency_id"), "agency_names", ["agency_id"], unique=False)
    op.create_table(
        "archive_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("binding", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year_a", sa.Integer(), nullable=True),
        sa.Column("year_b", sa.Integer(), nullable=True),
        sa.Column("document_a_id", sa.Integer(), nullable=True),
        sa.Column("document_b_id", sa.Integer(), nullable=True),
        sa.Column("fields_a", JSON, nullable=False),
        sa.Column("fields_b", JSON, nullable=False),
        sa.Column("value_a", sa.Float(), nullable=True),
        sa.Column("value_b", sa.Float(), nullable=True),
        sa.Column("expected", sa.Text(), nullable=False),
        sa.Column("difference", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("culprit_document_id", sa.Integer(), nullable=True),
        sa.Column("culprit_field", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_archive_checks_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["culprit_document_id"],
            ["documents.id"],
            name=op.f("fk_archive_checks_culprit_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_a_id"],
            ["documents.id"],
            name=op.f("fk_archive_checks_document_a_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_b_id"],
            ["documents.id"],
            name=op.f("fk_archive_checks_document_b_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_checks")),
    )
    op.create_index(
        "ix_archive_checks_agency_years",
        "archive_checks",
        ["agency_id", "year_a", "year_b"],
        unique=False,
    )
    op.create_index(op.f("ix_archive_checks_rule"), "archive_checks", ["rule"], unique=False)
    op.create_index(op.f("ix_archive_checks_outcome"), "archive_checks", ["outcome"], unique=False)
    op.create_index(
        op.f("ix_archive_checks_document_a_id"), "archive_checks", ["document_a_id"], unique=False
    )
    op.create_index(
        op.f("ix_archive_checks_document_b_id"), "archive_checks", ["document_b_id"], unique=False
    )
    # plain ADD COLUMN, no foreign keys: on SQLite a new constraint means copying the table,
    # and dropping the old `documents` would cascade to every field, check and review row
    op.add_column("documents", sa.Column("agency_id", sa.Integer(), nullable=True))
    op.add_column(
        "documents",
        sa.Column("agency_by_reviewer", sa.Boolean(), server_default="0", nullable=False),
    )
    op.add_column("documents", sa.Column("series_role", sa.String(length=16), nullable=True))
    op.add_column("documents", sa.Column("same_as_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_documents_agency_id"), "documents", ["agency_id"], unique=False)
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cross_year", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.drop_column("cross_year")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), never a copy of `documents`
    op.drop_index(op.f("ix_documents_agency_id"), table_name="documents")
    for column in ("same_as_id", "series_role", "agency_by_reviewer", "agency_id"):
        op.drop_column("documents", column)
    op.drop_table("archive_checks")
    op.drop_index(op.f("ix_agency_names_agency_id"), table_name="agency_names")
    op.drop_table("agency_names")
    op.drop_table("agencies")
