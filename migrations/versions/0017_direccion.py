"""La tendencia de una actividad (creciente, decreciente, constante): las de antes quedan crecientes

Revision ID: 0017_direccion
Revises: 0017_libros
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_direccion'
down_revision = '0017_libros'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actividad') as tabla:
        tabla.add_column(sa.Column('tendencia', sa.Enum('creciente', 'decreciente', 'constante', name='tendencia',
                                                        native_enum=False, create_constraint=True, length=30),
                                   server_default='creciente', nullable=False))


def downgrade():
    with op.batch_alter_table('actividad') as tabla:
        # Primero su CHECK: SQLite, al rehacer la tabla, lo conservaría citando una columna que ya no está.
        tabla.drop_constraint(op.f('ck_actividad_tendencia'), type_='check')
        tabla.drop_column('tendencia')
