"""Búsqueda de las listas en PostgreSQL: un GIN de trigramas por columna en lugar de uno de varias columnas

Revision ID: 0013_busqueda
Revises: 0012_chequeo
Create Date: 2026-12-01
"""
from alembic import op

revision = '0013_busqueda'
down_revision = '0012_chequeo'
branch_labels = None
depends_on = None

BUSQUEDAS = {
    'actividad': ('codigo', 'descripcion', 'indicador'),
    'registro_auditoria': ('tabla', 'usuario_email', 'objeto_id'),
}


def upgrade():
    # En SQLite queda el índice común de 0010_bench, que sirve a los filtros por igualdad.
    if op.get_bind().dialect.name != 'postgresql':
        return
    for tabla, columnas in BUSQUEDAS.items():
        op.drop_index(f'ix_{tabla}_busqueda', table_name=tabla)
        for columna in columnas:
            op.create_index(f'ix_{tabla}_{columna}_trgm', tabla, [columna], unique=False, postgresql_using='gin',
                            postgresql_ops={columna: 'gin_trgm_ops'})


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for tabla, columnas in BUSQUEDAS.items():
        for columna in columnas:
            op.drop_index(f'ix_{tabla}_{columna}_trgm', table_name=tabla)
        op.create_index(f'ix_{tabla}_busqueda', tabla, list(columnas), unique=False, postgresql_using='gin',
                        postgresql_ops={c: 'gin_trgm_ops' for c in columnas})
