"""Las cantidades (metas, línea base, valores logrados) guardan seis decimales: «0,167» se guarda como 0,167;
un trabajo guarda lo que devuelve a su página (la vista previa de un libro grande)

Revision ID: 0018_previa
Revises: 0018_avances
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_previa'
down_revision = "0018_avances"
branch_labels = None
depends_on = None

COLUMNAS = {
    'actividad': ('meta_anual', 'meta_t1', 'meta_t2', 'meta_t3', 'meta_t4', 'linea_base'),
    'meta_territorial': ('meta_t1', 'meta_t2', 'meta_t3', 'meta_t4'),
    'indicador': ('linea_base',),
    'meta_indicador': ('valor',),
    'avance': ('valor_logrado',),
}
ANTES, AHORA = sa.Numeric(14, 2), sa.Numeric(18, 6)


def _cambiar(de, a):
    for tabla, columnas in COLUMNAS.items():
        with op.batch_alter_table(tabla) as lote:
            for columna in columnas:
                lote.alter_column(columna, existing_type=de, type_=a)


def upgrade():
    _cambiar(ANTES, AHORA)
    with op.batch_alter_table('trabajo') as tabla:
        tabla.add_column(sa.Column('datos', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('trabajo') as tabla:
        tabla.drop_column('datos')
    # De vuelta a dos decimales: lo que tenga más se redondea (la base lo hace al convertir).
    _cambiar(AHORA, ANTES)
