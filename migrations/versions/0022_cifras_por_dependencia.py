"""Índice de las cifras guardadas por dependencia: el tablero y el inicio de un director o una DT leen las filas
de su dependencia sin recorrer las de todo el trimestre

Revision ID: 0022_cifras_por_dependencia
Revises: 0021_orden_estable
Create Date: 2026-12-07
"""
from alembic import op

revision = "0022_cifras_por_dependencia"
down_revision = "0021_orden_estable"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_cifra_agregada_dependencia", "cifra_agregada", ["dependencia_id", "vigencia_id", "trimestre"])


def downgrade():
    op.drop_index("ix_cifra_agregada_dependencia", table_name="cifra_agregada")
