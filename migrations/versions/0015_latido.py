"""Trabajos: el latido de un trabajo en curso (issue 22), para saber en un minuto o dos que su proceso murió

Revision ID: 0015_latido
Revises: 0014_control_interno
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_latido'
down_revision = '0014_control_interno'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('trabajo') as tabla:
        tabla.add_column(sa.Column('latido', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('trabajo') as tabla:
        tabla.drop_column('latido')
