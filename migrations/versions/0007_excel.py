"""Mapeos de columnas guardados para traer un plan desde el libro propio de una oficina

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mapeo_columnas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dependencia_id', sa.Integer(), nullable=False),
        sa.Column('nombre', sa.String(length=120), nullable=False),
        sa.Column('hoja', sa.String(length=31), nullable=False),
        sa.Column('fila_encabezado', sa.Integer(), nullable=False),
        sa.Column('columnas', sa.JSON(), nullable=False),
        sa.Column('actualizado_por_id', sa.Integer(), nullable=False),
        sa.Column('actualizado_en', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actualizado_por_id'], ['usuario.id'],
                                name=op.f('fk_mapeo_columnas_actualizado_por_id_usuario')),
        sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'],
                                name=op.f('fk_mapeo_columnas_dependencia_id_dependencia')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mapeo_columnas')),
        sa.UniqueConstraint('dependencia_id', 'nombre', name=op.f('uq_mapeo_columnas_dependencia_id_nombre')),
    )
    with op.batch_alter_table('mapeo_columnas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mapeo_columnas_dependencia_id'), ['dependencia_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mapeo_columnas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mapeo_columnas_dependencia_id'))
    op.drop_table('mapeo_columnas')
