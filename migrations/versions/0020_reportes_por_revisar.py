"""Índice de los reportes trimestrales por estado y fecha de envío: los reportes por revisar del inicio de la OAP
sin recorrer todos los reportes de todas las vigencias

Revision ID: 0020_reportes_por_revisar
Revises: 0019_recuerdos
Create Date: 2026-12-07
"""
from alembic import op

revision = "0020_reportes_por_revisar"
down_revision = "0019_recuerdos"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_reporte_trimestral_estado_enviado_en", "reporte_trimestral", ["estado", "enviado_en", "id"])


def downgrade():
    op.drop_index("ix_reporte_trimestral_estado_enviado_en", table_name="reporte_trimestral")
