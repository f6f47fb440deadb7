"""El libro del usuario de vuelta, con cada error en su sitio: la celda equivocada en rojo con el mensaje
de comentario, y una columna «Errores» al final de cada fila con todos los de esa fila. Así no hay que
buscar las filas otra vez en el archivo."""
from collections import defaultdict
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from gestion.importacion.lectura import ErrorFila, abrir, normalizar
from gestion.planes.campos import ETIQUETA_ACTUAL

ROJO = PatternFill("solid", fgColor="F8CBAD")
TITULO_ERRORES = "Errores"


def libro_con_errores(contenido: bytes, errores: list[ErrorFila], hoja: str | None = None, fila_titulos: int = 1,
                      columna_de: dict[str, int] | None = None) -> tuple[bytes, str]:
    """El libro marcado y el nombre de la hoja marcada. `contenido` ya pasó por `lectura.abrir` al
    importarse; se revisa otra vez antes de abrirlo entero.

    Los errores nombran la columna por su título en la plantilla; en el libro propio de una oficina,
    `columna_de` dice en qué columna (desde 1) quedó cada título y `fila_titulos` dónde están los títulos."""
    with abrir(contenido):
        pass
    libro = load_workbook(BytesIO(contenido))
    datos = libro[hoja] if hoja in libro.sheetnames else libro.worksheets[0]
    columnas = {normalizar(c.value): c.column for c in datos[fila_titulos] if c.value is not None}
    # Una plantilla de un año anterior titula la columna como entonces; el error la nombra como hoy.
    for anterior, actual in ETIQUETA_ACTUAL.items():
        if normalizar(anterior) in columnas:
            columnas.setdefault(normalizar(actual), columnas[normalizar(anterior)])
    columnas.update({normalizar(titulo): indice for titulo, indice in (columna_de or {}).items()})
    final = datos.max_column + 1
    if columnas.get(normalizar(TITULO_ERRORES)):
        final = columnas[normalizar(TITULO_ERRORES)]  # un libro ya marcado se vuelve a marcar en la misma columna
    encabezado = datos.cell(row=fila_titulos, column=final, value=TITULO_ERRORES)
    encabezado.font, encabezado.fill = Font(bold=True, color="9C0006"), ROJO
    datos.column_dimensions[encabezado.column_letter].width = 60
    por_fila = defaultdict(list)
    for error in errores:
        por_fila[error.fila].append(error.mensaje)
        columna = columnas.get(normalizar(error.columna)) if error.columna else None
        if columna:
            celda = datos.cell(row=error.fila, column=columna)
            celda.fill = ROJO
            anterior = celda.comment.text + "\n" if celda.comment else ""
            celda.comment = Comment(anterior + error.mensaje, "Planes de gestión", width=320, height=120)
    for fila in range(fila_titulos + 1, datos.max_row + 1):
        mensajes = por_fila.get(fila)
        datos.cell(row=fila, column=final, value="; ".join(mensajes) if mensajes else None)
    libro.active = libro.worksheets.index(datos)
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue(), datos.title
