"""Planes institucionales y estratégicos (los 12 del Decreto 612 de 2018, sembrados) y las actividades de un
Plan de Acción que los integran

Revision ID: 0017_integrado
Revises: 0017_respaldo
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_integrado'
down_revision = '0017_respaldo'
branch_labels = None
depends_on = None

PLANES = (
    (1, "PINAR", "Plan Institucional de Archivos de la Entidad (PINAR)", "Ley 594 de 2000; Decreto 1080 de 2015"),
    (2, "PAA", "Plan Anual de Adquisiciones", "Decreto 1082 de 2015, art. 2.2.1.1.1.4.1"),
    (3, "PAV", "Plan Anual de Vacantes", "Ley 909 de 2004, art. 14"),
    (4, "PPRH", "Plan de Previsión de Recursos Humanos", "Ley 909 de 2004, art. 17"),
    (5, "PETH", "Plan Estratégico de Talento Humano", "Ley 909 de 2004; Decreto 1083 de 2015"),
    (6, "PIC", "Plan Institucional de Capacitación", "Decreto Ley 1567 de 1998"),
    (7, "PII", "Plan de Incentivos Institucionales", "Decreto Ley 1567 de 1998; Ley 909 de 2004"),
    (8, "PTA-SST", "Plan de Trabajo Anual en Seguridad y Salud en el Trabajo", "Decreto 1072 de 2015"),
    (9, "PAAC", "Plan Anticorrupción y de Atención al Ciudadano", "Ley 1474 de 2011, art. 73"),
    (10, "PETI", "Plan Estratégico de Tecnologías de la Información y las Comunicaciones (PETI)",
     "Decreto 1078 de 2015"),
    (11, "PTRSPI", "Plan de Tratamiento de Riesgos de Seguridad y Privacidad de la Información",
     "Decreto 1078 de 2015"),
    (12, "PSPI", "Plan de Seguridad y Privacidad de la Información", "Decreto 1078 de 2015"),
)


def upgrade():
    planes = op.create_table('plan_institucional',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codigo', sa.String(length=20), nullable=False),
    sa.Column('nombre', sa.String(length=200), nullable=False),
    sa.Column('numeral', sa.Integer(), nullable=True),
    sa.Column('referencia_legal', sa.String(length=300), nullable=True),
    sa.Column('dependencia_id', sa.Integer(), nullable=True),
    sa.Column('instancia_adopcion', sa.String(length=200), nullable=True),
    sa.Column('anio_inicio', sa.Integer(), nullable=True),
    sa.Column('anio_fin', sa.Integer(), nullable=True),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('anio_fin IS NULL OR anio_inicio IS NULL OR anio_fin >= anio_inicio', name=op.f('ck_plan_institucional_periodo_ordenado')),
    sa.CheckConstraint('numeral IS NULL OR numeral BETWEEN 1 AND 12', name=op.f('ck_plan_institucional_numeral_del_decreto')),
    sa.ForeignKeyConstraint(['dependencia_id'], ['dependencia.id'], name=op.f('fk_plan_institucional_dependencia_id_dependencia')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_institucional')),
    sa.UniqueConstraint('codigo', name=op.f('uq_plan_institucional_codigo')),
    sa.UniqueConstraint('nombre', name=op.f('uq_plan_institucional_nombre')),
    sa.UniqueConstraint('numeral', name=op.f('uq_plan_institucional_numeral'))
    )
    op.create_table('integracion',
    sa.Column('actividad_id', sa.Integer(), nullable=False),
    sa.Column('plan_institucional_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actividad_id'], ['actividad.id'], name=op.f('fk_integracion_actividad_id_actividad'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_institucional_id'], ['plan_institucional.id'], name=op.f('fk_integracion_plan_institucional_id_plan_institucional')),
    sa.PrimaryKeyConstraint('actividad_id', 'plan_institucional_id', name=op.f('pk_integracion'))
    )
    with op.batch_alter_table('integracion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integracion_plan_institucional_id'), ['plan_institucional_id'], unique=False)
    op.create_table('cifra_integrada',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vigencia_id', sa.Integer(), nullable=False),
    sa.Column('trimestre', sa.SmallInteger(), nullable=False),
    sa.Column('duena_id', sa.Integer(), nullable=False),
    sa.Column('plan_institucional_id', sa.Integer(), nullable=False),
    sa.Column('actividades', sa.Integer(), nullable=False),
    sa.Column('peso_trimestre', sa.BigInteger(), nullable=False),
    sa.Column('suma_trimestre', sa.BigInteger(), nullable=False),
    sa.Column('peso_acumulado', sa.BigInteger(), nullable=False),
    sa.Column('suma_acumulado', sa.BigInteger(), nullable=False),
    sa.Column('incoherentes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cifra_integrada'))
    )
    with op.batch_alter_table('cifra_integrada', schema=None) as batch_op:
        batch_op.create_index('ix_cifra_integrada_vigencia_trimestre', ['vigencia_id', 'trimestre'], unique=False)
    # Las cifras guardadas se rehacen con las del plan integrado (`gestion cifras`, o al leerlas).
    op.execute("DELETE FROM cifra_vigencia")
    # Los 12 del Decreto 612 de 2018, con su norma (la misma lista que gestion.semilla.PLANES_DECRETO_612).
    decreto = "Decreto 612 de 2018 (Decreto 1083 de 2015, art. 2.2.22.3.14, num. {})"
    op.bulk_insert(planes, [
        {"numeral": n, "codigo": c, "nombre": nombre, "referencia_legal": f"{decreto.format(n)}; {norma}",
         "instancia_adopcion": "Comité Institucional de Gestión y Desempeño", "activo": True, "version": 1}
        for n, c, nombre, norma in PLANES])


def downgrade():
    op.drop_table('cifra_integrada')
    with op.batch_alter_table('integracion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integracion_plan_institucional_id'))

    op.drop_table('integracion')
    op.drop_table('plan_institucional')
