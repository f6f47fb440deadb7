"""Lista de chequeo guardada por plan de acción (issue 11): la lista de planes, la bandeja y los inicios la leen

Revision ID: 0012_chequeo
Revises: 0011_tablero
Create Date: 2026-12-01 15:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012_chequeo'
down_revision = '0011_tablero'
branch_labels = None
depends_on = None


def upgrade():
    # Vacía al crearla: quien lee calcula y guarda la lista de un plan que no la tenga; `gestion cifras` las
    # calcula todas de una vez.
    op.create_table(
        'chequeo_plan',
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('calculada_en', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_chequeo_plan_plan_id_plan'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_chequeo_plan')),
    )


def downgrade():
    op.drop_table('chequeo_plan')
