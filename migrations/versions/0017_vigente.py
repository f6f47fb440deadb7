"""Ajustes que llegan a lo publicado: la diferencia congelada de cada solicitud y la versión del PAI que publicó
el ajuste (issue 19, punto 6)

Revision ID: 0017_vigente
Revises: 0017_ventanas
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_vigente'
down_revision = '0017_ventanas'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('solicitud_ajuste') as tabla:
        tabla.add_column(sa.Column('cambios', sa.JSON(), nullable=True))
        tabla.add_column(sa.Column('pai_publicado_id', sa.Integer(), nullable=True))
        tabla.create_foreign_key(op.f('fk_solicitud_ajuste_pai_publicado_id_plan'), 'plan', ['pai_publicado_id'],
                                 ['id'])
        tabla.create_index(op.f('ix_solicitud_ajuste_pai_publicado_id'), ['pai_publicado_id'])


def downgrade():
    with op.batch_alter_table('solicitud_ajuste') as tabla:
        tabla.drop_index(op.f('ix_solicitud_ajuste_pai_publicado_id'))
        tabla.drop_constraint(op.f('fk_solicitud_ajuste_pai_publicado_id_plan'), type_='foreignkey')
        tabla.drop_column('pai_publicado_id')
        tabla.drop_column('cambios')
