"""Trabajos largos fuera de la petición: informe, remisión, libro del PAI y cargas grandes

Revision ID: 0009_trabajos
Revises: 0008
Create Date: 2026-12-01 12:28:30.333009

"""
import sqlalchemy as sa
from alembic import op

revision = '0009_trabajos'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trabajo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tipo', sa.String(length=40), nullable=False),
    sa.Column('descripcion', sa.String(length=300), nullable=False),
    sa.Column('estado', sa.Enum('en_cola', 'en_curso', 'terminado', 'fallido', name='estado_trabajo', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('hechos', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('mensaje', sa.Text(), nullable=True),
    sa.Column('errores', sa.JSON(), nullable=True),
    sa.Column('parametros', sa.JSON(), nullable=False),
    sa.Column('clave', sa.String(length=200), nullable=True),
    sa.Column('usuario_id', sa.Integer(), nullable=True),
    sa.Column('recurso', sa.String(length=40), nullable=True),
    sa.Column('dependencia_id', sa.Integer(), nullable=True),
    sa.Column('publico', sa.Boolean(), nullable=False),
    sa.Column('archivo', sa.String(length=200), nullable=True),
    sa.Column('nombre_archivo', sa.String(length=200), nullable=True),
    sa.Column('intentos', sa.Integer(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('iniciado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('terminado_en', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("estado <> 'terminado' OR terminado_en IS NOT NULL", name=op.f('ck_trabajo_terminado_con_fecha')),
    sa.CheckConstraint('hechos >= 0 AND total >= 0', name=op.f('ck_trabajo_progreso_no_negativo')),
    sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'], name=op.f('fk_trabajo_dependencia_id_dependencia')),
    sa.ForeignKeyConstraint(['usuario_id'], ['usuario.id'], name=op.f('fk_trabajo_usuario_id_usuario')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trabajo')),
    sa.UniqueConstraint('clave', name=op.f('uq_trabajo_clave'))
    )
    with op.batch_alter_table('trabajo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trabajo_estado'), ['estado'], unique=False)
        batch_op.create_index(batch_op.f('ix_trabajo_usuario_id'), ['usuario_id'], unique=False)



def downgrade():
    with op.batch_alter_table('trabajo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trabajo_usuario_id'))
        batch_op.drop_index(batch_op.f('ix_trabajo_estado'))

    op.drop_table('trabajo')
