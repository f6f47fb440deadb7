"""Ajustes (actividades 20 a 24): la solicitud lleva su versión propuesta, su envío y su decisión

La tabla no tenía filas (no había cómo crearlas): se reconstruye con la forma nueva.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ABIERTOS = "estado IN ('en_preparacion', 'solicitado', 'pertinente')"


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contenido_devuelto', sa.JSON(), nullable=True))
    op.drop_table('solicitud_ajuste')
    op.create_table(
        'solicitud_ajuste',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('plan_propuesto_id', sa.Integer(), nullable=True),
        sa.Column('solicitante_id', sa.Integer(), nullable=False),
        sa.Column('solicitado_en', sa.DateTime(timezone=True), nullable=False),
        sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=True),
        sa.Column('cambio_propuesto', sa.Text(), nullable=False),
        sa.Column('causa', sa.Text(), nullable=False),
        sa.Column('estado', sa.Enum('en_preparacion', 'solicitado', 'pertinente', 'no_pertinente', 'aprobado',
                                    'rechazado', 'retirado', name='estado_ajuste', native_enum=False,
                                    create_constraint=True, length=30), nullable=False),
        sa.Column('revision', sa.Text(), nullable=True),
        sa.Column('revisado_por_id', sa.Integer(), nullable=True),
        sa.Column('revisado_en', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision', sa.Text(), nullable=True),
        sa.Column('decidido_por_id', sa.Integer(), nullable=True),
        sa.Column('decidido_en', sa.DateTime(timezone=True), nullable=True),
        sa.Column('acta_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("estado NOT IN ('pertinente', 'no_pertinente') OR "
                           "(revision IS NOT NULL AND revisado_por_id IS NOT NULL)",
                           name=op.f('ck_solicitud_ajuste_revision_con_responsable')),
        sa.CheckConstraint("estado NOT IN ('aprobado', 'rechazado') OR (decidido_por_id IS NOT NULL"
                           " AND decidido_en IS NOT NULL)", name=op.f('ck_solicitud_ajuste_decision_con_responsable')),
        sa.ForeignKeyConstraint(['acta_id'], ['acta.id'], name=op.f('fk_solicitud_ajuste_acta_id_acta')),
        sa.ForeignKeyConstraint(['decidido_por_id'], ['usuario.id'],
                                name=op.f('fk_solicitud_ajuste_decidido_por_id_usuario')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_solicitud_ajuste_plan_id_plan')),
        sa.ForeignKeyConstraint(['plan_propuesto_id'], ['plan.id'],
                                name=op.f('fk_solicitud_ajuste_plan_propuesto_id_plan')),
        sa.ForeignKeyConstraint(['revisado_por_id'], ['usuario.id'],
                                name=op.f('fk_solicitud_ajuste_revisado_por_id_usuario')),
        sa.ForeignKeyConstraint(['solicitante_id'], ['usuario.id'],
                                name=op.f('fk_solicitud_ajuste_solicitante_id_usuario')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_solicitud_ajuste')),
        sa.UniqueConstraint('plan_propuesto_id', name=op.f('uq_solicitud_ajuste_plan_propuesto_id')),
    )
    with op.batch_alter_table('solicitud_ajuste', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solicitud_ajuste_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_solicitud_ajuste_abierta', ['plan_id'], unique=True,
                              sqlite_where=sa.text(ABIERTOS), postgresql_where=sa.text(ABIERTOS))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('contenido_devuelto')
    op.drop_table('solicitud_ajuste')
    op.create_table(
        'solicitud_ajuste',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('solicitante_id', sa.Integer(), nullable=False),
        sa.Column('solicitado_en', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cambio_propuesto', sa.Text(), nullable=False),
        sa.Column('causa', sa.Text(), nullable=False),
        sa.Column('estado', sa.Enum('solicitado', 'pertinente', 'no_pertinente', 'aprobado', 'rechazado',
                                    name='estado_ajuste', native_enum=False, create_constraint=True, length=30),
                  nullable=False),
        sa.Column('revision', sa.Text(), nullable=True),
        sa.Column('revisado_por_id', sa.Integer(), sa.ForeignKey('usuario.id'), nullable=True),
        sa.Column('revisado_en', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decidido_por_id', sa.Integer(), sa.ForeignKey('usuario.id'), nullable=True),
        sa.Column('decidido_en', sa.DateTime(timezone=True), nullable=True),
        sa.Column('acta_id', sa.Integer(), sa.ForeignKey('acta.id'), nullable=True),
        sa.Column('plan_resultante_id', sa.Integer(), sa.ForeignKey('plan.id'), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_solicitud_ajuste_plan_id_plan')),
        sa.ForeignKeyConstraint(['solicitante_id'], ['usuario.id'],
                                name=op.f('fk_solicitud_ajuste_solicitante_id_usuario')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_solicitud_ajuste')),
    )
    with op.batch_alter_table('solicitud_ajuste', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solicitud_ajuste_plan_id'), ['plan_id'], unique=False)
