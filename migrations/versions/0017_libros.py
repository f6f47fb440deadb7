"""Mapeos de columnas del libro propio: la huella de los títulos y las escalas y separadores elegidos

Revision ID: 0017_libros
Revises: 0017_vigente
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_libros'
down_revision = '0017_vigente'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mapeo_columnas') as tabla:
        tabla.add_column(sa.Column('firma', sa.String(length=64), nullable=True))
        tabla.add_column(sa.Column('opciones', sa.JSON(), nullable=True))
        tabla.create_index(tabla.f('ix_mapeo_columnas_firma'), ['firma'], unique=False)


def downgrade():
    with op.batch_alter_table('mapeo_columnas') as tabla:
        tabla.drop_index(tabla.f('ix_mapeo_columnas_firma'))
        tabla.drop_column('opciones')
        tabla.drop_column('firma')
