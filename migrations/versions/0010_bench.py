"""Índices para el volumen de un sector (issue 11): avances por actividad e indicador, actividades por código
y la búsqueda de las listas (en PostgreSQL, GIN de trigramas con pg_trgm)

Revision ID: 0010_bench
Revises: 0009_trabajos
Create Date: 2026-12-01 13:00:00

"""
from alembic import op

revision = '0010_bench'
down_revision = '0009_trabajos'
branch_labels = None
depends_on = None

BUSQUEDAS = {
    'actividad': ('codigo', 'descripcion', 'indicador'),
    'registro_auditoria': ('tabla', 'usuario_email', 'objeto_id'),
}


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index(op.f('ix_avance_actividad_id'), 'avance', ['actividad_id'], unique=False)
    op.create_index(op.f('ix_avance_indicador_id'), 'avance', ['indicador_id'], unique=False)
    op.create_index(op.f('ix_actividad_codigo'), 'actividad', ['codigo'], unique=False)
    for tabla, columnas in BUSQUEDAS.items():
        # En SQLite las opciones de PostgreSQL se ignoran: queda un índice común sobre las mismas columnas.
        op.create_index(f'ix_{tabla}_busqueda', tabla, list(columnas), unique=False, postgresql_using='gin',
                        postgresql_ops={c: 'gin_trgm_ops' for c in columnas})


def downgrade():
    for tabla in BUSQUEDAS:
        op.drop_index(f'ix_{tabla}_busqueda', table_name=tabla)
    op.drop_index(op.f('ix_actividad_codigo'), table_name='actividad')
    op.drop_index(op.f('ix_avance_indicador_id'), table_name='avance')
    op.drop_index(op.f('ix_avance_actividad_id'), table_name='avance')
