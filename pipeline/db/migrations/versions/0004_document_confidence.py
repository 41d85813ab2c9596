"""fields.document_confidence: the confidence a field's own report gave it, kept beside
`confidence` when cross-year agreement raises that (issue #16, pipeline/archive/agreement.py)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table copy); existing rows keep NULL: their confidence is their
    # report's, as nothing raised it before this revision
    op.add_column("fields", sa.Column("document_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("fields", "document_confidence")
