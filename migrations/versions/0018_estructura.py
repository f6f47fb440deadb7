"""El año de la línea base de un indicador estratégico (las fichas técnicas lo traen junto a la línea base)

Revision ID: 0018_estructura
Revises: 0018_tablas
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_estructura"
down_revision = "0018_tablas"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("indicador") as tabla:
        tabla.add_column(sa.Column("anio_linea_base", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("indicador") as tabla:
        tabla.drop_column("anio_linea_base")
