"""Calidad del reporte guardada (issue 23, punto 4): ítems completos por reporte y actividades sin avance por
dependencia, con las demás cifras guardadas; las cifras ya guardadas se rehacen en la primera lectura

Revision ID: 0018_tablas
Revises: 0018_linea
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_tablas'
down_revision = "0018_linea"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cifra_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('trimestre', sa.SmallInteger(), nullable=False),
        sa.Column('duena_id', sa.Integer(), nullable=False),
        sa.Column('reporte_id', sa.Integer(), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.Column('completos', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cifra_items')),
    )
    with op.batch_alter_table('cifra_items', schema=None) as batch_op:
        batch_op.create_index('ix_cifra_items_vigencia_trimestre', ['vigencia_id', 'trimestre'], unique=False)
    op.create_table(
        'cifra_sin_avance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vigencia_id', sa.Integer(), nullable=False),
        sa.Column('trimestre', sa.SmallInteger(), nullable=False),
        sa.Column('duena_id', sa.Integer(), nullable=False),
        sa.Column('actividades', sa.Integer(), nullable=False),
        sa.Column('sin_avance', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cifra_sin_avance')),
    )
    with op.batch_alter_table('cifra_sin_avance', schema=None) as batch_op:
        batch_op.create_index('ix_cifra_sin_avance_vigencia_trimestre', ['vigencia_id', 'trimestre'], unique=False)
    # Sin la marca de vigencia calculada, la primera lectura rehace todas sus cifras, estas incluidas.
    op.execute("DELETE FROM cifra_vigencia")


def downgrade():
    op.drop_table('cifra_sin_avance')
    op.drop_table('cifra_items')
