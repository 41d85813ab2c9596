"""review decisions: a version per field (optimistic concurrency), the database's instance id

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_version", sa.Integer(), server_default="0", nullable=False)
        )
    # a database reviewed before: each field's version is the number of decisions it had
    op.execute(
        "UPDATE fields SET review_version = (SELECT count(*) FROM reviews"
        " WHERE reviews.document_id = fields.document_id AND reviews.field_path = fields.path)"
    )
    instance = op.create_table(
        "instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instance")),
    )
    op.bulk_insert(instance, [{"id": 1, "instance": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("instance")
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.drop_column("review_version")
