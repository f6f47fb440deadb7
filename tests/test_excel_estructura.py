"""Reglas de la casa para los libros: `gestion.excel` solo dibuja (no consulta la base) y las vistas
entregan todo libro generado por un único camino (`vistas.descargas.enviar_libro`)."""
import ast
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]


def _importaciones(ruta: Path) -> set[str]:
    nombres = set()
    for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.Import):
            nombres |= {a.name for a in nodo.names}
        elif isinstance(nodo, ast.ImportFrom):
            nombres |= {f"{nodo.module}.{a.name}" for a in nodo.names} | {nodo.module}
    return nombres


def test_los_escritores_de_libros_no_consultan_la_base():
    consultan = {ruta.name: sorted(n for n in _importaciones(ruta) if n.startswith("sqlalchemy") or n == "modelos.db")
                 for ruta in (RAIZ / "gestion" / "excel").glob("*.py")}
    assert not {nombre: usos for nombre, usos in consultan.items() if usos}


def test_solo_descargas_entrega_archivos():
    """vistas/descargas.py dice ser el único sitio que entrega un archivo al navegador: ninguna otra vista llama
    a send_file."""
    assert [ruta.name for ruta in (RAIZ / "vistas").glob("*.py")
            if "send_file" in ruta.read_text(encoding="utf-8") and ruta.name != "descargas.py"] == []


def test_un_solo_camino_para_enviar_un_libro():
    con_bytesio = [ruta.name for ruta in (RAIZ / "vistas").glob("*.py")
                   if "send_file" in ruta.read_text(encoding="utf-8") and "BytesIO" in ruta.read_text(encoding="utf-8")
                   and ruta.name != "descargas.py"]
    assert not con_bytesio
