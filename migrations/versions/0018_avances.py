"""Avances: la referencia de la evidencia que no es un enlace (un acta, un informe, «Meta 1.docx»), como la traen
los libros de seguimiento de las oficinas; planes cargados como historia (quién, cuándo, de qué archivo)

Revision ID: 0018_avances
Revises: 0018_estructura
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_avances'
down_revision = "0018_estructura"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('avance') as tabla:
        tabla.add_column(sa.Column('evidencia_referencia', sa.String(length=500), nullable=True))
    with op.batch_alter_table('plan') as tabla:
        tabla.add_column(sa.Column('historia_en', sa.DateTime(timezone=True), nullable=True))
        tabla.add_column(sa.Column('historia_por_id', sa.Integer(), nullable=True))
        tabla.add_column(sa.Column('historia_archivo', sa.String(length=200), nullable=True))
        tabla.create_foreign_key(tabla.f('fk_plan_historia_por_id_usuario'), 'usuario', ['historia_por_id'], ['id'])


def downgrade():
    with op.batch_alter_table('plan') as tabla:
        tabla.drop_constraint(tabla.f('fk_plan_historia_por_id_usuario'), type_='foreignkey')
        tabla.drop_column('historia_archivo')
        tabla.drop_column('historia_por_id')
        tabla.drop_column('historia_en')
    with op.batch_alter_table('avance') as tabla:
        tabla.drop_column('evidencia_referencia')
