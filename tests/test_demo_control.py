"""La demostración, vista el 07/12/2026, muestra lo que pide el issue 20: la ventana del T3 cerrada en su fecha
con una reapertura y su motivo, la del T4 sin cruzarse con el PAI siguiente, el orden de calidad del reporte
en el tablero, un indicador decreciente, un trimestre verificado por Control Interno y un ajuste devuelto."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from gestion.demo.cargador import cargar_demo
from gestion.planes import ajustes
from gestion.reglas import ventanas
from gestion.seguimiento import recordatorios
from modelos import (
    Dependencia,
    EstadoAjuste,
    Indicador,
    SolicitudAjuste,
    Tendencia,
    Usuario,
    VerificacionControlInterno,
    Vigencia,
    db,
    en_momento,
)

from .fabricas import CONTRASENA

EL_7_DE_DICIEMBRE = datetime(2026, 12, 7, 15, tzinfo=timezone.utc)


@pytest.fixture
def demo(contexto):
    usuarios = {u.email: u for u in cargar_demo(CONTRASENA)}
    db.session.commit()
    with en_momento(EL_7_DE_DICIEMBRE):
        yield usuarios


def test_la_demo_el_7_de_diciembre(navegador, demo):
    v2026 = db.session.scalar(sa.select(Vigencia).filter_by(anio=2026))
    t3, t4 = ventanas.ventana_de(v2026.id, 3), ventanas.ventana_de(v2026.id, 4)
    assert ventanas.en_palabras(t3) == "cerrada el 15/10/2026; reabierta para 1 dependencia"
    assert (t4.abre, t4.cierra) == (date(2027, 2, 1), date(2027, 2, 15)) and ventanas.cruces(t4) == []
    [reapertura] = t3.reaperturas
    assert reapertura.motivo.startswith("El enlace de reporte estuvo en incapacidad")

    oap = navegador(demo["oap@demo.gov.co"])
    lista = oap.texto("/admin/ventanareporte/?flt0_0=2026")
    assert "Cerrada el 15/10/2026; reabierta para 1 dependencia" in lista and "incapacidad" in lista
    tablero = oap.texto("/admin/tablero/?vigencia=2026&trimestre=3")
    assert "cerrada el 15/10/2026" in tablero and "Calidad del reporte, trimestre 3" in tablero
    assert "Ver la calidad del reporte completa" in tablero
    # Lo demás que el issue pide ver, ya en la demo: un indicador decreciente, el T3 verificado por Control
    # Interno y un ajuste devuelto a preparación con sus observaciones.
    assert db.session.scalar(sa.select(sa.func.count(Indicador.id)).where(
        Indicador.tendencia == Tendencia.DECRECIENTE)) > 0
    assert db.session.scalar(sa.select(sa.func.count(VerificacionControlInterno.id)).where(
        VerificacionControlInterno.vigencia_id == v2026.id, VerificacionControlInterno.periodo == "T3")) > 0
    devueltas = db.session.scalars(sa.select(SolicitudAjuste).filter_by(estado=EstadoAjuste.EN_PREPARACION)).all()
    assert any(ajustes.ultima_devolucion(s) is not None for s in devueltas)

    # Quien reporta por la dependencia reabierta ve su T3 abierto hasta el 11/12; otra que no reportó, cerrado.
    def quien_reporta(codigo):
        return db.session.scalar(sa.select(Usuario).join(Dependencia, Usuario.dependencia_id == Dependencia.id)
                                 .where(Dependencia.codigo == codigo, Usuario.email.like(f"%.{codigo.lower()}@%")))

    reabierto = navegador(quien_reporta("2300")).texto("/admin/reportetrimestral/nuevo/?vigencia=2026")
    assert "reabierta hasta el 11/12/2026" in reabierto and "Reportar T3" in reabierto
    otro = navegador(quien_reporta("1400")).texto("/admin/reportetrimestral/nuevo/?vigencia=2026")
    assert "cerrada el 15/10/2026" in otro and "reabierta" not in otro
    # 2300 aún no envía: se le recuerda el día antes de su nuevo cierre; a 1400, con la ventana cerrada, no.
    avisos = [a for a in recordatorios.pendientes(date(2026, 12, 10)) if a.paso == "reporte-2026-T3"]
    assert [a.dependencia_id for a in avisos] == [reapertura.dependencia_id]
