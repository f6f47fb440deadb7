"""Control Interno registra su verificación por dependencia y periodo (Circular 04 de 2005), al lado de lo que la
dependencia reportó y sin cambiarlo; la publica cuando decide; al cierre genera, firma y exporta la evaluación
institucional por dependencia para Talento Humano (Ley 909 de 2004, art. 39)."""
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base import formato
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, verificacion
from modelos import Avance, EstadoPlan, EstadoReporte, EvaluacionDependencia, ReporteTrimestral, VerificacionControlInterno, db

CUADRO = "/admin/verificacion_oci/cuadro/?vigencia=2026&periodo=T1"


@pytest.fixture
def reportados(fabrica):
    """Dos dependencias con su plan aprobado y su T1 aceptado: la central cumplió la mitad de A2."""
    m = fabrica.mundo
    planes = {d: fabrica.plan_accion(d, EstadoPlan.APROBADO) for d in (m.central, m.central2)}
    fabrica.reporte(planes[m.central], 1, {"A1": 10, "A2": 5}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(planes[m.central2], 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.ACEPTADO)
    return planes


def _fila(dependencia, verificado="85,5", evidencia="Actas y listas de asistencia de marzo.", observacion="",
          version=""):
    n = dependencia.id
    return {f"verificado-{n}": verificado, f"evidencia-{n}": evidencia, f"observacion-{n}": observacion,
            f"version-{n}": version}


def _lo_reportado():
    return db.session.execute(sa.select(ReporteTrimestral.estado, Avance.valor_logrado).join(Avance.reporte)
                              .order_by(Avance.id)).all()


def test_control_interno_verifica_al_lado_del_reporte_sin_cambiarlo(navegador, fabrica, usuarios, reportados):
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    html = ci.texto(CUADRO)
    assert m.central.nombre in html and m.central2.nombre in html and "Sin verificar" in html
    antes = _lo_reportado()

    respuesta = ci.post(CUADRO, data={**_fila(m.central, observacion="Falta el soporte de una visita."),
                                      **_fila(m.central2, verificado="", evidencia="")})
    assert respuesta.status_code == 302
    html = ci.texto(CUADRO)
    assert "Verificaciones guardadas: 1." in html and "Registrada, sin publicar" in html
    fila = db.session.scalar(sa.select(VerificacionControlInterno))
    propia = next(f for f in verificacion.cuadro(m.vigencia, "T1") if f.dependencia_id == m.central.id)
    assert (fila.dependencia_id, fila.periodo, fila.cumplimiento_verificado) == (m.central.id, "T1", Decimal("85.5"))
    assert fila.cumplimiento_dependencia == propia.reportado and fila.publicada_en is None
    assert fila.observacion == "Falta el soporte de una visita." and fila.registrado_por_id == usuarios[R.CONTROL_INTERNO].id
    assert _lo_reportado() == antes  # el reporte de la dependencia sigue como estaba


@pytest.mark.parametrize("verificado, evidencia, mensaje", [
    ("ochenta", "Actas.", "«ochenta» no es un número"),
    ("120", "Actas.", "va de 0 a 100 %; escribió 120"),
    ("85,555", "Actas.", "hasta dos decimales"),
    ("85", "", "diga qué evidencia revisó"),
])
def test_lo_que_no_sirve_se_dice_y_no_se_guarda_nada(navegador, fabrica, usuarios, reportados, verificado,
                                                     evidencia, mensaje):
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    # La otra fila es buena, pero el cuadro se guarda entero o nada.
    html = ci.post(CUADRO, data={**_fila(m.central, verificado, evidencia), **_fila(m.central2)}).get_data(as_text=True)
    assert mensaje in html and m.central.nombre in html
    assert db.session.scalar(sa.select(sa.func.count(VerificacionControlInterno.id))) == 0
    assert f'value="{verificado}"' in html  # lo escrito vuelve al formulario


def test_solo_lo_publicado_lo_leen_la_oap_y_la_dependencia_y_ya_no_cambia(navegador, fabrica, usuarios, reportados):
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    ci.post(CUADRO, data={**_fila(m.central), **_fila(m.central2, "100", "Informe de gestión.")})
    ids = {v.dependencia_id: v.id for v in db.session.scalars(sa.select(VerificacionControlInterno))}
    oap, director, otro = (navegador(usuarios[r]) for r in (R.OAP, R.DIRECTOR, "director2"))
    for cliente in (oap, director):
        assert "85,5" not in cliente.texto("/admin/verificacion_oci/")
        assert cliente.get(f"/admin/verificacion_oci/details/?id={ids[m.central.id]}").status_code == 404
    assert oap.get(CUADRO).status_code == 403 and oap.post(CUADRO, data=_fila(m.central)).status_code == 403

    assert ci.post("/admin/verificacion_oci/publicar/", data={"vigencia": "2026", "periodo": "T1"}).status_code == 302
    assert "publicada: 2 dependencia(s)" in ci.texto(CUADRO)
    assert "85,5" in oap.texto("/admin/verificacion_oci/")
    assert "85,5" in director.texto(f"/admin/verificacion_oci/details/?id={ids[m.central.id]}")
    assert otro.get(f"/admin/verificacion_oci/details/?id={ids[m.central.id]}").status_code == 404
    assert "85,5" not in otro.texto("/admin/verificacion_oci/")

    # Publicada, no se cambia: la página ya no ofrece el campo, y un POST se niega con su razón.
    html = ci.post(CUADRO, data=_fila(m.central, "90", version="1")).get_data(as_text=True)
    assert "ya se publicó y no se cambia" in html
    assert db.session.get(VerificacionControlInterno, ids[m.central.id]).cumplimiento_verificado == Decimal("85.5")
    assert "No hay verificaciones sin publicar" in ci.post(
        "/admin/verificacion_oci/publicar/", data={"vigencia": "2026", "periodo": "T1"},
        follow_redirects=True).get_data(as_text=True)


def test_quien_corrige_lo_que_otro_acaba_de_guardar_recibe_un_mensaje(navegador, fabrica, usuarios, reportados):
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    ci.post(CUADRO, data=_fila(m.central, "70"))
    ci.post(CUADRO, data=_fila(m.central, "75", version="1"))  # un colega corrige primero
    html = ci.post(CUADRO, data=_fila(m.central, "80", version="1")).get_data(as_text=True)
    assert "otra persona guardó esta verificación" in html
    assert db.session.scalar(sa.select(VerificacionControlInterno.cumplimiento_verificado)) == Decimal(75)


def test_la_evaluacion_por_dependencia_se_genera_se_firma_y_sale_en_un_libro(navegador, fabrica, usuarios,
                                                                              reportados):
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    ci.post(CUADRO, data={**_fila(m.central, "60"), **_fila(m.central2, "100", "Informe de gestión.")})
    ci.post("/admin/verificacion_oci/publicar/", data={"vigencia": "2026", "periodo": "T1"})
    evaluacion = "/admin/verificacion_oci/evaluacion/?vigencia=2026"
    assert ci.post(evaluacion, data={"paso": "generar"}).status_code == 302
    filas = {e.dependencia_id: e for e in db.session.scalars(sa.select(EvaluacionDependencia))}
    reportado = {f.clave: f.avance_acumulado for f in cifras.cuadro(m.vigencia, 4).dependencias}
    assert {d: (f.cumplimiento_reportado, f.cumplimiento_verificado, f.periodo_verificado) for d, f in filas.items()} == {
        m.central.id: (reportado[m.central.id], Decimal(60), "T1"),
        m.central2.id: (reportado[m.central2.id], Decimal(100), "T1")}

    assert "Escriba el concepto" in ci.post(evaluacion, data={"paso": "firmar", "concepto": " "}).get_data(as_text=True)
    assert ci.post(evaluacion, data={"paso": "firmar", "concepto": "Cumplimiento verificado con soportes."}).status_code == 302
    html = ci.texto(evaluacion)
    assert "Firmada por" in html and "Cumplimiento verificado con soportes." in html and "Firmar la evaluación" not in html
    assert "ya está firmada" in ci.post(evaluacion, data={"paso": "generar"}).get_data(as_text=True)

    respuesta = ci.get("/admin/verificacion_oci/evaluacion/xlsx/?vigencia=2026")
    hoja = load_workbook(BytesIO(respuesta.data)).active
    filas_libro = list(hoja.iter_rows(values_only=True))
    assert filas_libro[0][:4] == ("Código", "Dependencia", "Cumplimiento reportado por la dependencia",
                                  "Cumplimiento verificado por Control Interno")
    por_codigo = {f[0]: f for f in filas_libro[1:]}
    assert por_codigo[m.central.codigo][3] == Decimal("0.6") or por_codigo[m.central.codigo][3] == 0.6
    assert por_codigo[m.central.codigo][6] == "Cumplimiento verificado con soportes."
    assert hoja.cell(2, 4).number_format.endswith("%")
    assert navegador(usuarios[R.OAP]).get("/admin/verificacion_oci/evaluacion/xlsx/?vigencia=2026").status_code == 403


def test_sin_todas_las_verificaciones_publicadas_no_se_firma(navegador, fabrica, usuarios, reportados):
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    ci.post(CUADRO, data=_fila(m.central))
    ci.post("/admin/verificacion_oci/publicar/", data={"vigencia": "2026", "periodo": "T1"})
    evaluacion = "/admin/verificacion_oci/evaluacion/?vigencia=2026"
    ci.post(evaluacion, data={"paso": "generar"})
    html = ci.post(evaluacion, data={"paso": "firmar", "concepto": "Listo."}).get_data(as_text=True)
    assert f"Faltan verificaciones publicadas de: {m.central2.nombre}" in html
    assert db.session.scalar(sa.select(sa.func.count()).where(EvaluacionDependencia.firmada_en.is_not(None))) == 0


def test_una_entidad_que_verifica_por_semestre(app, fabrica, usuarios, reportados):
    """El primer semestre se verifica contra la cifra acumulada al T2."""
    m = fabrica.mundo
    app.config["GESTION_PERIODO_VERIFICACION"] = "semestre"
    try:
        assert verificacion.periodos() == ("S1", "S2") and verificacion.etiqueta("S1") == "Semestre 1"
        t2 = {f.clave: f.avance_acumulado for f in cifras.cuadro(m.vigencia, 2).dependencias}
        assert {f.dependencia_id: f.reportado for f in verificacion.cuadro(m.vigencia, "S1")} == t2
        with pytest.raises(verificacion.VerificacionInvalida, match="«T1» no es un periodo"):
            verificacion.publicar(m.vigencia, "T1", usuarios[R.CONTROL_INTERNO])
    finally:
        app.config["GESTION_PERIODO_VERIFICACION"] = "trimestre"


def test_el_cuadro_va_por_paginas_busca_por_nombre_y_guarda_la_pagina_que_trae(navegador, fabrica, usuarios,
                                                                             reportados, monkeypatch):
    from vistas import paginacion
    monkeypatch.setattr(paginacion, "POR_PAGINA", 1)
    m = fabrica.mundo
    primera, segunda = sorted((m.central, m.central2), key=lambda d: d.nombre)
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    html = ci.texto(CUADRO)
    assert primera.nombre in html and segunda.nombre not in html
    assert "Dependencias 1 a 1 de 2, por nombre." in html and 'aria-current="page">1<' in html
    html = ci.texto(CUADRO + "&pagina=2")
    assert segunda.nombre in html and primera.nombre not in html

    respuesta = ci.post(CUADRO + "&pagina=2", data=_fila(segunda, "90"))
    assert respuesta.status_code == 302 and "pagina=2" in respuesta.headers["Location"]
    html = ci.texto(respuesta.headers["Location"])
    assert "Verificaciones guardadas: 1." in html and segunda.nombre in html
    assert "de 1 dependencia(s), y ya no se cambia" in html  # publicar cuenta todo el periodo, no la página

    # Sin distinguir mayúsculas ni tildes; «Ver todas» vuelve a la primera página.
    buscado = segunda.nombre.upper().replace("Ó", "O")[-12:]
    html = ci.texto(f"{CUADRO}&q={buscado}")
    assert segunda.nombre in html and primera.nombre not in html and "Ver todas las dependencias" in html
    assert "Ninguna dependencia con «xyz» en el nombre." in ci.texto(f"{CUADRO}&q=xyz")


def test_la_cifra_reportada_del_cuadro_es_la_del_calculo_en_vivo(navegador, fabrica, usuarios, reportados):
    """El cuadro lee las cifras guardadas del tablero: iguales a las del cálculo en vivo, también después de un
    cambio hecho fuera de los servicios (queda pendiente y se recalcula al leer)."""
    m = fabrica.mundo
    ci = navegador(usuarios[R.CONTROL_INTERNO])
    ci.texto(CUADRO)
    avance = db.session.scalars(sa.select(Avance).join(Avance.reporte).where(
        ReporteTrimestral.dependencia_id == m.central.id).order_by(Avance.id)).first()
    avance.valor_logrado = Decimal(1)
    db.session.commit()
    html = ci.texto(CUADRO)
    for periodo, trimestre in (("T1", 1), ("T2", 2), ("T4", 4)):
        en_vivo = {f.clave: f.avance_acumulado for f in cifras.cuadro(m.vigencia, trimestre).dependencias}
        assert {f.dependencia_id: f.reportado for f in verificacion.cuadro(m.vigencia, periodo)} == en_vivo
    assert formato.porcentaje(cifras.cuadro(m.vigencia, 1).dependencias[0].avance_acumulado) in html
