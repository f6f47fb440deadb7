"""Contraseñas anteriores (issue 22, punto 6): el hash de cada contraseña que un usuario dejó, para no volver a
las últimas

Revision ID: 0017_respaldo
Revises: 0016_plan_compras
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_respaldo'
down_revision = '0016_plan_compras'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'clave_anterior',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('usuario_id', sa.Integer(), nullable=False),
        sa.Column('password', sa.String(length=255), nullable=False),
        sa.Column('cambiada_en', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['usuario_id'], ['usuario.id'], name=op.f('fk_clave_anterior_usuario_id_usuario'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_clave_anterior')),
    )
    op.create_index(op.f('ix_clave_anterior_usuario_id'), 'clave_anterior', ['usuario_id'])


def downgrade():
    op.drop_index(op.f('ix_clave_anterior_usuario_id'), table_name='clave_anterior')
    op.drop_table('clave_anterior')
