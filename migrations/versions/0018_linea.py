"""La línea base y el tipo de acumulación de una actividad: las de antes quedan sin ellos (se miden como siempre)

Revision ID: 0018_linea
Revises: 0017_direccion
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_linea'
down_revision = "0017_direccion"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actividad') as tabla:
        tabla.add_column(sa.Column('linea_base', sa.Numeric(14, 2), nullable=True))
        tabla.add_column(sa.Column('tipo_acumulacion', sa.Enum('flujo', 'stock', 'acumulado', 'capacidad', 'reduccion',
                                                               name='tipo_acumulacion', native_enum=False,
                                                               create_constraint=True, length=30), nullable=True))
        tabla.create_check_constraint(op.f('ck_actividad_linea_base_no_negativo'), 'linea_base >= 0')
        tabla.create_check_constraint(op.f('ck_actividad_linea_base_finita'),
                                      'linea_base > -1000000000000 AND linea_base < 1000000000000')


def downgrade():
    with op.batch_alter_table('actividad') as tabla:
        # Primero sus CHECK: SQLite, al rehacer la tabla, los conservaría citando columnas que ya no están.
        tabla.drop_constraint(op.f('ck_actividad_linea_base_no_negativo'), type_='check')
        tabla.drop_constraint(op.f('ck_actividad_linea_base_finita'), type_='check')
        tabla.drop_constraint(op.f('ck_actividad_tipo_acumulacion'), type_='check')
        tabla.drop_column('tipo_acumulacion')
        tabla.drop_column('linea_base')
