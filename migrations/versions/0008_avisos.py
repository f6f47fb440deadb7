"""Avisos: correo pendiente de reenvío y recordatorios enviados

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'correo_pendiente',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('asunto', sa.String(length=300), nullable=False),
        sa.Column('destinatarios', sa.Text(), nullable=False),
        sa.Column('remitente', sa.String(length=255), nullable=False),
        sa.Column('mensaje', sa.LargeBinary(), nullable=False),
        sa.Column('intentos', sa.Integer(), nullable=False),
        sa.Column('ultimo_error', sa.Text(), nullable=True),
        sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
        sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_correo_pendiente')),
    )
    with op.batch_alter_table('correo_pendiente', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correo_pendiente_enviado_en'), ['enviado_en'], unique=False)
    op.create_table(
        'recordatorio',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('paso', sa.String(length=80), nullable=False),
        sa.Column('descripcion', sa.String(length=300), nullable=False),
        sa.Column('dependencia_id', sa.Integer(), nullable=False),
        sa.Column('plazo', sa.Date(), nullable=False),
        sa.Column('desfase', sa.Integer(), nullable=False),
        sa.Column('destinatarios', sa.Text(), nullable=False),
        sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'],
                                name=op.f('fk_recordatorio_dependencia_id_dependencia')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recordatorio')),
        sa.UniqueConstraint('paso', 'dependencia_id', 'desfase', name=op.f('uq_recordatorio_paso_dependencia_id_desfase')),
    )
    with op.batch_alter_table('recordatorio', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recordatorio_dependencia_id'), ['dependencia_id'], unique=False)


def downgrade():
    op.drop_table('recordatorio')
    op.drop_table('correo_pendiente')
