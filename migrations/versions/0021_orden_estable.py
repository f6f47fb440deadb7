"""El índice del código de las actividades lleva el id: la lista ordena por código y desempata por id, y así sus
páginas no repiten ni pierden filas con el mismo código

Revision ID: 0021_orden_estable
Revises: 0020_reportes_por_revisar
Create Date: 2026-12-07
"""
from alembic import op

revision = "0021_orden_estable"
down_revision = "0020_reportes_por_revisar"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_actividad_codigo_id", "actividad", ["codigo", "id"])
    op.drop_index("ix_actividad_codigo", table_name="actividad")


def downgrade():
    op.create_index("ix_actividad_codigo", "actividad", ["codigo"])
    op.drop_index("ix_actividad_codigo_id", table_name="actividad")
