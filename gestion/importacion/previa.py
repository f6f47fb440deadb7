"""La vista previa de «Traer de un libro propio» como datos simples (textos, números, listas): lo que la página
muestra, igual si se calculó en la petición o en un trabajo (un libro grande), que la guarda en `Trabajo.datos`.

Cada valor sale ya con el formato de su campo (gestion.planes.campos): la página no vuelve a leer el libro."""
from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion.mapeo import Mapeo, Previa

CODIGO = "codigo"


def como_datos(previa: Previa, mapeo: Mapeo) -> dict:
    lectura = previa.lectura
    mostrados = [c for c in CAMPOS if c.nombre in mapeo.columnas or c.nombre == CODIGO]
    return {
        "columnas": [{
            "letra": c.letra, "titulo": c.titulo, "campo": {"nombre": c.campo.nombre, "etiqueta": c.campo.etiqueta},
            "numerica": c.numerica, "escala": c.escala, "escala_motivo": c.escala_motivo, "decimal": c.decimal,
            "decimal_motivo": c.decimal_motivo, "decimal_elegido": c.decimal_elegido, "ambigua": c.ambigua,
            "transformaciones": [{"clase": t.clase, "antes": t.antes, "despues": t.despues,
                                  "sospechosa": t.sospechosa, "cuantas": t.cuantas}
                                 for t in c.transformaciones.values()],
        } for c in lectura.columnas],
        "a_importar": len(lectura.filas),
        "sin_codigo": lectura.sin_codigo,
        "primer_codigo": lectura.filas[0][1].get(CODIGO) if lectura.sin_codigo and lectura.filas else None,
        "omitidas": [[numero, motivo] for numero, motivo in lectura.omitidas],
        "errores": [str(e) for e in previa.errores],
        "filas": [{"numero": f.numero, "errores": f.errores,
                   "valores": {c.nombre: c.formatear(f.valores.get(c.nombre)) for c in mostrados}}
                  for f in previa.filas],
        "por_borrar": [{"codigo": b.codigo, "descripcion": b.descripcion, "reportes": b.reportes,
                        "direcciones": list(b.direcciones)} for b in previa.por_borrar],
        "huella": previa.huella,
    }
