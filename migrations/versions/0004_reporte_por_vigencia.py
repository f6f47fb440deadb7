"""Reporte trimestral por vigencia: un PES o PEI se reporta cada año de su cuatrienio

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-25 19:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reporte_trimestral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vigencia_id', sa.Integer(), nullable=True))
    # Los reportes existentes son de planes de acción: su vigencia es la del plan.
    op.execute("UPDATE reporte_trimestral SET vigencia_id = "
               "(SELECT plan.vigencia_id FROM plan WHERE plan.id = reporte_trimestral.plan_id)")
    with op.batch_alter_table('reporte_trimestral', schema=None) as batch_op:
        batch_op.alter_column('vigencia_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_reporte_trimestral_plan_id_dependencia_id_trimestre', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_reporte_trimestral_plan_id_dependencia_id_vigencia_id_trimestre'),
            ['plan_id', 'dependencia_id', 'vigencia_id', 'trimestre'])
        batch_op.create_foreign_key(batch_op.f('fk_reporte_trimestral_vigencia_id_vigencia'), 'vigencia',
                                    ['vigencia_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_reporte_trimestral_vigencia_id'), ['vigencia_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reporte_trimestral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporte_trimestral_vigencia_id'))
        batch_op.drop_constraint(batch_op.f('fk_reporte_trimestral_vigencia_id_vigencia'), type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('uq_reporte_trimestral_plan_id_dependencia_id_vigencia_id_trimestre'), type_='unique')
        batch_op.create_unique_constraint('uq_reporte_trimestral_plan_id_dependencia_id_trimestre',
                                          ['plan_id', 'dependencia_id', 'trimestre'])
        batch_op.drop_column('vigencia_id')
