"""Avances: la referencia de la evidencia que no es un enlace (un acta, un informe, «Meta 1.docx»), como la traen
los libros de seguimiento de las oficinas

Revision ID: 0018_avances
Revises: 0017_direccion
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_avances'
down_revision = '0017_direccion'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('avance') as tabla:
        tabla.add_column(sa.Column('evidencia_referencia', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('avance') as tabla:
        tabla.drop_column('evidencia_referencia')
