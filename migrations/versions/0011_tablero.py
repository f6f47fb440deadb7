"""Tablero: cifras guardadas por plan, dependencia, objetivo y trimestre, y alertas de coherencia

Revision ID: 0011_tablero
Revises: 0010_bench
Create Date: 2026-12-01 12:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011_tablero'
down_revision = '0010_bench'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cifra_vigencia',
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('margen', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column('calculada_en', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['vigencia_id'], ['vigencia.id'], name=op.f('fk_cifra_vigencia_vigencia_id_vigencia'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('vigencia_id', name=op.f('pk_cifra_vigencia')),
    )
    op.create_table(
        'cifra_pendiente',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('dependencia_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cifra_pendiente')),
    )
    with op.batch_alter_table('cifra_pendiente', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cifra_pendiente_vigencia_id'), ['vigencia_id'], unique=False)
    op.create_table(
        'cifra_agregada',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('trimestre', sa.SmallInteger(), nullable=False),
        sa.Column('duena_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('dependencia_id', sa.Integer(), nullable=False),
        sa.Column('objetivo_id', sa.Integer(), nullable=True),
        sa.Column('territorial', sa.Boolean(), nullable=False),
        sa.Column('actividades', sa.Integer(), nullable=False),
        sa.Column('peso_trimestre', sa.BigInteger(), nullable=False),
        sa.Column('suma_trimestre', sa.BigInteger(), nullable=False),
        sa.Column('peso_acumulado', sa.BigInteger(), nullable=False),
        sa.Column('suma_acumulado', sa.BigInteger(), nullable=False),
        sa.Column('incoherentes', sa.Integer(), nullable=False),
        sa.Column('estado_reporte', sa.Enum('en_reporte', 'reportado', 'devuelto', 'aceptado', name='estado_reporte',
                                            native_enum=False, create_constraint=True, length=30), nullable=True),
        sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cifra_agregada')),
    )
    with op.batch_alter_table('cifra_agregada', schema=None) as batch_op:
        batch_op.create_index('ix_cifra_agregada_vigencia_trimestre', ['vigencia_id', 'trimestre'], unique=False)
    op.create_table(
        'alerta_coherencia',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('trimestre', sa.SmallInteger(), nullable=False),
        sa.Column('duena_id', sa.Integer(), nullable=False),
        sa.Column('orden', sa.Integer(), nullable=False),
        sa.Column('dependencia_id', sa.Integer(), nullable=False),
        sa.Column('codigo', sa.String(length=40), nullable=False),
        sa.Column('ejecucion', sa.BigInteger(), nullable=False),
        sa.Column('avance_fisico', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alerta_coherencia')),
    )
    with op.batch_alter_table('alerta_coherencia', schema=None) as batch_op:
        batch_op.create_index('ix_alerta_coherencia_vigencia_trimestre', ['vigencia_id', 'trimestre'], unique=False)


def downgrade():
    op.drop_table('alerta_coherencia')
    op.drop_table('cifra_agregada')
    op.drop_table('cifra_pendiente')
    op.drop_table('cifra_vigencia')
