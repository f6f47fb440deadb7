"""Control Interno: verificación por dependencia y periodo, evaluación institucional por dependencia

Revision ID: 0014_control_interno
Revises: 0013_busqueda
Create Date: 2026-12-07 05:23:24.626521

"""
import sqlalchemy as sa
from alembic import op

revision = '0014_control_interno'
down_revision = '0013_busqueda'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluacion_dependencia',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vigencia_id', sa.Integer(), nullable=False),
    sa.Column('dependencia_id', sa.Integer(), nullable=False),
    sa.Column('cumplimiento_reportado', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('cumplimiento_verificado', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('periodo_verificado', sa.String(length=2), nullable=True),
    sa.Column('concepto', sa.Text(), nullable=True),
    sa.Column('generada_por_id', sa.Integer(), nullable=False),
    sa.Column('generada_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('firmada_por_id', sa.Integer(), nullable=True),
    sa.Column('firmada_en', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(firmada_en IS NULL) = (firmada_por_id IS NULL)', name=op.f('ck_evaluacion_dependencia_firmada_con_responsable')),
    sa.CheckConstraint('cumplimiento_reportado > -10000 AND cumplimiento_reportado < 10000', name=op.f('ck_evaluacion_dependencia_cumplimiento_reportado_finita')),
    sa.CheckConstraint('cumplimiento_verificado > -10000 AND cumplimiento_verificado < 10000', name=op.f('ck_evaluacion_dependencia_cumplimiento_verificado_finita')),
    sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'], name=op.f('fk_evaluacion_dependencia_dependencia_id_dependencia')),
    sa.ForeignKeyConstraint(['firmada_por_id'], ['usuario.id'], name=op.f('fk_evaluacion_dependencia_firmada_por_id_usuario')),
    sa.ForeignKeyConstraint(['generada_por_id'], ['usuario.id'], name=op.f('fk_evaluacion_dependencia_generada_por_id_usuario')),
    sa.ForeignKeyConstraint(['vigencia_id'], ['vigencia.id'], name=op.f('fk_evaluacion_dependencia_vigencia_id_vigencia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluacion_dependencia')),
    sa.UniqueConstraint('vigencia_id', 'dependencia_id', name=op.f('uq_evaluacion_dependencia_vigencia_id_dependencia_id'))
    )
    op.create_table('verificacion_oci',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vigencia_id', sa.Integer(), nullable=False),
    sa.Column('dependencia_id', sa.Integer(), nullable=False),
    sa.Column('periodo', sa.String(length=2), nullable=False),
    sa.Column('cumplimiento_dependencia', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('cumplimiento_verificado', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('evidencia', sa.Text(), nullable=False),
    sa.Column('observacion', sa.Text(), nullable=True),
    sa.Column('registrado_por_id', sa.Integer(), nullable=False),
    sa.Column('registrado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('publicada_por_id', sa.Integer(), nullable=True),
    sa.Column('publicada_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("periodo IN ('T1', 'T2', 'T3', 'T4', 'S1', 'S2')", name=op.f('ck_verificacion_oci_periodo_valido')),
    sa.CheckConstraint('(publicada_en IS NULL) = (publicada_por_id IS NULL)', name=op.f('ck_verificacion_oci_publicada_con_responsable')),
    sa.CheckConstraint('cumplimiento_dependencia > -10000 AND cumplimiento_dependencia < 10000', name=op.f('ck_verificacion_oci_cumplimiento_dependencia_finita')),
    sa.CheckConstraint('cumplimiento_verificado > -10000 AND cumplimiento_verificado < 10000', name=op.f('ck_verificacion_oci_cumplimiento_verificado_finita')),
    sa.CheckConstraint('cumplimiento_verificado >= 0 AND cumplimiento_verificado <= 100', name=op.f('ck_verificacion_oci_cumplimiento_porcentaje')),
    sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'], name=op.f('fk_verificacion_oci_dependencia_id_dependencia')),
    sa.ForeignKeyConstraint(['publicada_por_id'], ['usuario.id'], name=op.f('fk_verificacion_oci_publicada_por_id_usuario')),
    sa.ForeignKeyConstraint(['registrado_por_id'], ['usuario.id'], name=op.f('fk_verificacion_oci_registrado_por_id_usuario')),
    sa.ForeignKeyConstraint(['vigencia_id'], ['vigencia.id'], name=op.f('fk_verificacion_oci_vigencia_id_vigencia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verificacion_oci')),
    sa.UniqueConstraint('vigencia_id', 'dependencia_id', 'periodo', name=op.f('uq_verificacion_oci_vigencia_id_dependencia_id_periodo'))
    )
    with op.batch_alter_table('verificacion_oci', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verificacion_oci_dependencia_id'), ['dependencia_id'], unique=False)



def downgrade():
    with op.batch_alter_table('verificacion_oci', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verificacion_oci_dependencia_id'))

    op.drop_table('verificacion_oci')
    op.drop_table('evaluacion_dependencia')
