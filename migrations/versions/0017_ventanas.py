"""Ventanas por fecha (sin la marca «abierta»; reaperturas para todas las dependencias) y recordatorios uno por
destinatario y día

Revision ID: 0017_ventanas
Revises: 0017_integrado
Create Date: 2026-12-07

Lo que la marca decía y las fechas no, se conserva: una ventana cerrada a mano antes de su cierre queda
cerrada (cierra ayer); una abierta a mano antes de abrir, abre hoy; una abierta a mano después de su cierre
queda reabierta para todas hasta hoy, a nombre de quien la abrió y con el motivo dicho (la OAP decide después).
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0017_ventanas'
down_revision = '0017_integrado'
branch_labels = None
depends_on = None

ventana = sa.table('ventana_reporte', sa.column('id', sa.Integer), sa.column('abre', sa.Date),
                   sa.column('cierra', sa.Date), sa.column('abierta', sa.Boolean))
reapertura = sa.table('reapertura_ventana', sa.column('ventana_id', sa.Integer), sa.column('dependencia_id', sa.Integer),
                      sa.column('motivo', sa.Text), sa.column('hasta', sa.Date), sa.column('usuario_id', sa.Integer),
                      sa.column('en', sa.DateTime(timezone=True)))
historial = sa.table('historial_estado', sa.column('id', sa.Integer), sa.column('objeto_tipo', sa.String),
                     sa.column('objeto_id', sa.Integer), sa.column('accion', sa.String),
                     sa.column('usuario_id', sa.Integer))
COLUMNAS_RECORDATORIO = ('paso', 'descripcion', 'dependencia_id', 'plazo', 'desfase', 'enviado_en')
TIPOS = {'dependencia_id': sa.Integer, 'plazo': sa.Date, 'desfase': sa.Integer, 'enviado_en': sa.DateTime(timezone=True),
         'fecha': sa.Date}


def _recordatorio(*otras):
    """La tabla con tipos: SQLite devuelve fechas como texto si la consulta no los dice."""
    return sa.table('recordatorio', *(sa.column(c, TIPOS.get(c, sa.String)) for c in (*COLUMNAS_RECORDATORIO, *otras)))


def _ventanas_por_fecha(conexion) -> None:
    hoy = datetime.now(ZoneInfo('America/Bogota')).date()
    ayer = hoy - timedelta(days=1)
    conexion.execute(sa.update(ventana).where(
        ventana.c.abierta.is_(False), ventana.c.abre <= hoy, ventana.c.cierra >= hoy)
        .values(cierra=ayer, abre=sa.case((ventana.c.abre > ayer, ayer), else_=ventana.c.abre)))
    conexion.execute(sa.update(ventana).where(ventana.c.abierta.is_(True), ventana.c.abre > hoy)
                     .values(abre=hoy, cierra=sa.case((ventana.c.cierra < hoy, hoy), else_=ventana.c.cierra)))
    for ventana_id, cierra in conexion.execute(sa.select(ventana.c.id, ventana.c.cierra).where(
            ventana.c.abierta.is_(True), ventana.c.cierra < hoy)).all():
        quien = conexion.scalar(sa.select(historial.c.usuario_id).where(
            historial.c.objeto_tipo == 'ventana_reporte', historial.c.objeto_id == ventana_id,
            historial.c.accion == 'abrir', historial.c.usuario_id.is_not(None)).order_by(historial.c.id.desc()))
        if quien is None:
            continue  # nadie a cuyo nombre dejarla abierta: cierra por su fecha
        conexion.execute(sa.insert(reapertura).values(
            ventana_id=ventana_id, dependencia_id=None, hasta=hoy, usuario_id=quien, en=datetime.now(ZoneInfo('UTC')),
            motivo=f'Estaba abierta a mano después de su cierre ({cierra:%d/%m/%Y}) cuando las ventanas pasaron a '
                   'regirse por sus fechas: queda abierta hasta hoy y la OAP decide si la reabre.'))


def _tabla_recordatorio(unico):
    op.create_table(
        'recordatorio',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('paso', sa.String(length=120), nullable=False),
        sa.Column('descripcion', sa.String(length=300), nullable=False),
        sa.Column('dependencia_id', sa.Integer(), nullable=unico is not None),
        sa.Column('plazo', sa.Date(), nullable=unico is not None),
        sa.Column('desfase', sa.Integer(), nullable=unico is not None),
        *((sa.Column('destinatario', sa.String(length=255), nullable=False),
           sa.Column('fecha', sa.Date(), nullable=False)) if unico else
          (sa.Column('destinatarios', sa.Text(), nullable=False),)),
        sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'],
                                name=op.f('fk_recordatorio_dependencia_id_dependencia')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recordatorio')),
        sa.UniqueConstraint(*(unico or ('paso', 'dependencia_id', 'desfase')),
                            name=op.f('uq_recordatorio_' + '_'.join(unico or ('paso', 'dependencia_id', 'desfase')))),
    )
    op.create_index(op.f('ix_recordatorio_dependencia_id'), 'recordatorio', ['dependencia_id'], unique=False)


def upgrade():
    conexion = op.get_bind()
    with op.batch_alter_table('reapertura_ventana', schema=None) as batch_op:
        batch_op.alter_column('dependencia_id', existing_type=sa.Integer(), nullable=True)
    _ventanas_por_fecha(conexion)
    with op.batch_alter_table('ventana_reporte', schema=None) as batch_op:
        batch_op.drop_column('abierta')

    # Un recordatorio por destinatario y día (antes, uno por dependencia con los correos juntos).
    anterior = _recordatorio('destinatarios')
    anteriores = conexion.execute(sa.select(anterior)).mappings().all()
    op.drop_table('recordatorio')
    _tabla_recordatorio(('paso', 'destinatario', 'fecha'))
    tabla = _recordatorio('destinatario', 'fecha')
    filas = [{**{c: fila[c] for c in COLUMNAS_RECORDATORIO}, 'destinatario': correo.strip(),
              'fecha': fila['plazo'] - timedelta(days=fila['desfase'])}
             for fila in anteriores for correo in fila['destinatarios'].split(',') if correo.strip()]
    if filas:
        conexion.execute(sa.insert(tabla), filas)


def downgrade():
    conexion = op.get_bind()
    nueva = _recordatorio('destinatario')
    filas = conexion.execute(sa.select(nueva).where(nueva.c.dependencia_id.is_not(None))
                             .order_by(nueva.c.destinatario, nueva.c.enviado_en)).mappings().all()
    juntas = {}
    for fila in filas:
        clave = (fila['paso'], fila['dependencia_id'], fila['desfase'])
        if clave in juntas:
            if fila['destinatario'] not in juntas[clave]['destinatarios'].split(', '):
                juntas[clave]['destinatarios'] += ', ' + fila['destinatario']
        else:
            juntas[clave] = {**{c: fila[c] for c in COLUMNAS_RECORDATORIO}, 'destinatarios': fila['destinatario']}
    op.drop_table('recordatorio')
    _tabla_recordatorio(None)
    if juntas:
        conexion.execute(sa.insert(_recordatorio('destinatarios')), list(juntas.values()))
    with op.batch_alter_table('ventana_reporte', schema=None) as batch_op:
        batch_op.add_column(sa.Column('abierta', sa.Boolean(), nullable=False, server_default=sa.false()))
    hoy = datetime.now(ZoneInfo('America/Bogota')).date()
    conexion.execute(sa.update(ventana).where(ventana.c.abre <= hoy, ventana.c.cierra >= hoy).values(abierta=True))
    conexion.execute(sa.delete(reapertura).where(reapertura.c.dependencia_id.is_(None)))
    with op.batch_alter_table('reapertura_ventana', schema=None) as batch_op:
        batch_op.alter_column('dependencia_id', existing_type=sa.Integer(), nullable=False)
