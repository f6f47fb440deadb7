"""Archivos subidos: tipo por extensión y contenido, tamaño, nombre generado, y nada huérfano en disco."""
import pytest

from gestion.base import archivos
from gestion.base.archivos import ArchivoRechazado, ArchivoSubido

PDF = b"%PDF-1.7\n%prueba\n"


@pytest.fixture
def carpeta(app, contexto, tmp_path):
    anterior = app.config["GESTION_CARPETA_ARCHIVOS"]
    app.config["GESTION_CARPETA_ARCHIVOS"] = str(tmp_path)
    yield tmp_path
    app.config["GESTION_CARPETA_ARCHIVOS"] = anterior


@pytest.mark.parametrize("archivo, mensaje", [
    (ArchivoSubido("acta.exe", b"MZ"), "Acta: tipo de archivo no permitido; se aceptan csv, pdf"),
    (ArchivoSubido("acta.pdf", b"<html>no soy un pdf</html>"), "el contenido no corresponde a un .pdf"),
    (ArchivoSubido("acta.pdf", b""), "el archivo está vacío"),
    (ArchivoSubido("datos.csv", b"a;b\x00c"), "no es texto"),
])
def test_rechaza_tipo_contenido_y_vacio(carpeta, archivo, mensaje):
    with pytest.raises(ArchivoRechazado, match=mensaje):
        archivos.guardar(archivo, "actas", {"pdf", "csv"}, "Acta")
    assert not any(carpeta.rglob("*.*"))


def test_rechaza_lo_que_supera_el_maximo(app, carpeta):
    with pytest.raises(ArchivoRechazado, match="supera el tamaño máximo"):
        archivos.guardar(ArchivoSubido("acta.pdf", PDF + b"0" * archivos.maximo()), "actas", {"pdf"})


def test_guarda_con_nombre_generado_dentro_de_su_carpeta(carpeta):
    relativo = archivos.guardar(ArchivoSubido("../../etc/acta oficial.PDF", PDF), "actas", {"pdf"})
    ruta = archivos.ruta(relativo, "actas")
    assert ruta.parent == (carpeta / "actas").resolve() and ruta.suffix == ".pdf" and "oficial" not in ruta.name
    assert ruta.read_bytes() == PDF
    assert archivos.tipo_mime(ruta) == "application/pdf"
    assert archivos.ruta("actas/../../secreto.pdf", "actas") is None
    assert archivos.ruta(relativo, "evidencias") is None


def test_lo_escrito_en_una_operacion_deshecha_se_borra(carpeta):
    ruta = archivos.ruta(archivos.guardar(ArchivoSubido("acta.pdf", PDF), "actas", {"pdf"}), "actas")
    archivos.descartar_nuevos()
    assert not ruta.exists()


def test_el_archivo_reemplazado_se_borra_solo_despues_del_commit(carpeta):
    viejo = archivos.guardar(ArchivoSubido("v1.pdf", PDF), "evidencias", {"pdf"})
    archivos.borrar_retirados()  # la operación que lo creó quedó confirmada
    archivos.retirar(viejo, "evidencias")
    nuevo = archivos.guardar(ArchivoSubido("v2.pdf", PDF), "evidencias", {"pdf"})
    assert archivos.ruta(viejo, "evidencias") is not None
    archivos.borrar_retirados()
    assert archivos.ruta(viejo, "evidencias") is None and archivos.ruta(nuevo, "evidencias") is not None
