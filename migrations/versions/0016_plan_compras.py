"""Plan de compras de cada vigencia (enlace o archivo) para la publicación del art. 74 de la Ley 1474 de 2011

Revision ID: 0016_plan_compras
Revises: 0015_latido
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_plan_compras'
down_revision = '0015_latido'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_compras',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('enlace', sa.String(length=500), nullable=True),
        sa.Column('archivo', sa.String(length=300), nullable=True),
        sa.Column('nombre_archivo', sa.String(length=200), nullable=True),
        sa.Column('actualizado_en', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actualizado_por_id', sa.Integer(), nullable=False),
        sa.CheckConstraint('enlace IS NOT NULL OR archivo IS NOT NULL',
                           name=op.f('ck_plan_compras_enlace_o_archivo')),
        sa.ForeignKeyConstraint(['vigencia_id'], ['vigencia.id'], name=op.f('fk_plan_compras_vigencia_id_vigencia')),
        sa.ForeignKeyConstraint(['actualizado_por_id'], ['usuario.id'],
                                name=op.f('fk_plan_compras_actualizado_por_id_usuario')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_compras')),
        sa.UniqueConstraint('vigencia_id', name=op.f('uq_plan_compras_vigencia_id')),
    )


def downgrade():
    op.drop_table('plan_compras')
