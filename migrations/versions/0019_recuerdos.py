"""Los mapeos guardados dicen a qué flujo del libro propio pertenecen (actividades, avances, estructura, metas DT,
varias dependencias): los que ya había son de actividades; el nombre es único por flujo y dependencia; los de toda
la entidad (la estructura de un plan estratégico) no tienen dependencia

Revision ID: 0019_recuerdos
Revises: 0018_previa
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_recuerdos'
down_revision = "0018_previa"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mapeo_columnas') as tabla:
        tabla.add_column(sa.Column('destino', sa.String(length=20), server_default='actividades', nullable=False))
        tabla.alter_column('dependencia_id', existing_type=sa.Integer(), nullable=True)
        tabla.drop_constraint('uq_mapeo_columnas_dependencia_id_nombre', type_='unique')
        tabla.create_unique_constraint('uq_mapeo_columnas_destino_dependencia_id_nombre',
                                       ['destino', 'dependencia_id', 'nombre'])
    # Los de varias dependencias se reconocían por la columna de dependencia que guardan en sus opciones.
    mapeos = sa.table('mapeo_columnas', sa.column('id', sa.Integer), sa.column('opciones', sa.JSON),
                      sa.column('destino', sa.String))
    conexion = op.get_bind()
    varias = [i for i, opciones in conexion.execute(sa.select(mapeos.c.id, mapeos.c.opciones))
              if "dependencia" in (opciones or {})]
    if varias:
        conexion.execute(mapeos.update().where(mapeos.c.id.in_(varias)).values(destino='varias'))


def downgrade():
    # Antes solo había mapeos de actividades: los de los otros flujos no caben en la tabla de antes.
    op.execute("DELETE FROM mapeo_columnas WHERE destino <> 'actividades'")
    with op.batch_alter_table('mapeo_columnas') as tabla:
        tabla.drop_constraint('uq_mapeo_columnas_destino_dependencia_id_nombre', type_='unique')
        tabla.create_unique_constraint('uq_mapeo_columnas_dependencia_id_nombre', ['dependencia_id', 'nombre'])
        tabla.drop_column('destino')
        tabla.alter_column('dependencia_id', existing_type=sa.Integer(), nullable=False)
