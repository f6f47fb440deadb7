"""La migración 0017_ventanas conserva lo que decía la marca «abierta» al pasar a ventanas por fecha, y reparte
los recordatorios de antes en uno por destinatario y día (sobre una base SQLite en archivo, de 0016 en adelante)."""
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from gestion.base.config import ConfigPruebas
from gestion.base.formato import ZONA
from gestion.fabrica import crear_app
from modelos import db


def test_la_migracion_conserva_lo_que_decia_la_marca(tmp_path):
    app = crear_app(ConfigPruebas, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/m.db")
    hoy = datetime.now(ZONA).date()
    ayer, en_dias = hoy - timedelta(days=1), hoy + timedelta(days=20)
    with app.app_context():
        upgrade(revision="0016_plan_compras")
        with db.engine.begin() as conexion:  # sin llaves foráneas en SQLite: solo lo que la migración lee
            conexion.execute(sa.text(
                "INSERT INTO ventana_reporte (id, vigencia_id, trimestre, abre, cierra, abierta, version) VALUES "
                "(1, 1, 1, '2026-04-01', '2026-04-15', 1, 1), (2, 1, 2, :antes, :despues, 0, 1), "
                "(3, 1, 3, :despues, :mas_tarde, 1, 1), (4, 1, 4, '2026-01-01', '2026-01-15', 0, 1)"),
                {"antes": hoy - timedelta(days=5), "despues": en_dias, "mas_tarde": en_dias + timedelta(days=5)})
            conexion.execute(sa.text(
                "INSERT INTO historial_estado (objeto_tipo, objeto_id, accion, estado_desde, estado_hasta, usuario_id, "
                "en) VALUES ('ventana_reporte', 1, 'abrir', 'cerrada', 'abierta', 7, '2026-04-01 10:00:00')"))
            conexion.execute(sa.text(
                "INSERT INTO recordatorio (paso, descripcion, dependencia_id, plazo, desfase, destinatarios, enviado_en) "
                "VALUES ('reporte-2026-T3', 'Reporte', 5, '2026-10-15', 5, 'a@x.co, b@x.co', '2026-10-10 12:00:00')"))
        upgrade()
        with db.engine.connect() as conexion:
            ventanas = conexion.execute(sa.text("SELECT id, abre, cierra FROM ventana_reporte ORDER BY id")).all()
            reaperturas = conexion.execute(sa.text(
                "SELECT ventana_id, dependencia_id, hasta, usuario_id FROM reapertura_ventana")).all()
            recordatorios = conexion.execute(sa.text(
                "SELECT paso, destinatario, fecha FROM recordatorio ORDER BY destinatario")).all()
        fechas = {i: (date.fromisoformat(a), date.fromisoformat(c)) for i, a, c in ventanas}
        assert fechas == {
            1: (date(2026, 4, 1), date(2026, 4, 15)),  # abierta a mano tras su cierre: la reabre para todas, hoy
            2: (hoy - timedelta(days=5), ayer),  # cerrada a mano en sus fechas: cerró ayer
            3: (hoy, en_dias + timedelta(days=5)),  # abierta a mano antes de abrir: abre hoy
            4: (date(2026, 1, 1), date(2026, 1, 15)),  # cerrada y vencida: igual
        }
        assert reaperturas == [(1, None, hoy.isoformat(), 7)]
        assert recordatorios == [("reporte-2026-T3", "a@x.co", "2026-10-10"), ("reporte-2026-T3", "b@x.co", "2026-10-10")]
        downgrade(revision="0016_plan_compras")
        with db.engine.connect() as conexion:
            assert conexion.execute(sa.text("SELECT destinatarios FROM recordatorio")).scalars().all() == [
                "a@x.co, b@x.co"]
            assert conexion.execute(sa.text("SELECT COUNT(*) FROM reapertura_ventana")).scalar() == 0
        db.engine.dispose()
