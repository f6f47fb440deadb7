"""Endurecimiento: cifras finitas en la base, versión (bloqueo optimista) en catálogos,
usuarios y contenido; bloqueo de cuentas tras fallos de ingreso; segundo
factor; auditoría con dirección e inmutable

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op
from flask_security.datastore import AsaList

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Columna Numeric(p, s) → 10^(p−s): ni NaN (PostgreSQL lo acepta en numeric) ni infinito (SQLite lo guarda).
CIFRAS = {
    'presupuesto_proyecto': {'valor': 10**16},
    'umbral_semaforo': {'desde': 10**12},
    'indicador': {'linea_base': 10**12},
    'meta_indicador': {'valor': 10**12},
    'actividad': {'meta_anual': 10**12, 'meta_t1': 10**12, 'meta_t2': 10**12, 'meta_t3': 10**12,
                  'meta_t4': 10**12, 'peso': 10**3, 'presupuesto': 10**16},
    'meta_territorial': {'meta_t1': 10**12, 'meta_t2': 10**12, 'meta_t3': 10**12, 'meta_t4': 10**12},
    'avance': {'valor_logrado': 10**12, 'presupuesto_comprometido': 10**16, 'presupuesto_pagado': 10**16},
}

# Tablas editables que aún no tenían versión: dos ediciones a la vez ya no se pisan en silencio.
CON_VERSION = ('dependencia', 'cuatrienio', 'vigencia', 'pnd_pacto', 'pnd_linea', 'pnd_objetivo', 'politica_mipg',
               'proyecto_inversion', 'presupuesto_proyecto', 'unidad_medida', 'instancia', 'etapa_cronograma',
               'umbral_semaforo', 'rol', 'usuario', 'objetivo', 'indicador', 'meta_indicador', 'compromiso',
               'ventana_reporte')

RECHAZAR_CAMBIOS = """
CREATE OR REPLACE FUNCTION rechazar_cambio_auditoria() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'El registro de auditoría no se modifica ni se borra.';
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    for tabla in CON_VERSION:
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            # Las filas existentes empiezan en la versión 1, como las nuevas.
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('registro_auditoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direccion', sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        # El registro de auditoría solo crece: ni un UPDATE ni un DELETE, venga de donde venga.
        op.execute(RECHAZAR_CAMBIOS)
        op.execute("CREATE TRIGGER registro_auditoria_inmutable BEFORE UPDATE OR DELETE ON registro_auditoria "
                   "FOR EACH ROW EXECUTE FUNCTION rechazar_cambio_auditoria()")
    with op.batch_alter_table('usuario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intentos_fallidos', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('bloqueado_hasta', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('tf_primary_method', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('tf_totp_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('tf_phone_number', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('mf_recovery_codes', AsaList(), nullable=True))
    for tabla, columnas in CIFRAS.items():
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            for columna, limite in columnas.items():
                batch_op.create_check_constraint(
                    f'{columna}_finita', f'{columna} > -{limite} AND {columna} < {limite}')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER registro_auditoria_inmutable ON registro_auditoria")
        op.execute("DROP FUNCTION rechazar_cambio_auditoria()")
    with op.batch_alter_table('registro_auditoria', schema=None) as batch_op:
        batch_op.drop_column('direccion')
    with op.batch_alter_table('usuario', schema=None) as batch_op:
        for columna in ('mf_recovery_codes', 'tf_phone_number', 'tf_totp_secret', 'tf_primary_method'):
            batch_op.drop_column(columna)
        batch_op.drop_column('bloqueado_hasta')
        batch_op.drop_column('intentos_fallidos')
    for tabla, columnas in CIFRAS.items():
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            for columna in columnas:
                batch_op.drop_constraint(op.f(f'ck_{tabla}_{columna}_finita'), type_='check')
    for tabla in CON_VERSION:
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            batch_op.drop_column('version')
