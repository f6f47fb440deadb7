"""Administración: usuarios y roles (administrador), auditoría e historial (lectura)."""
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

import sqlalchemy as sa
from flask import g, request
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_security import hash_password
from markupsafe import Markup
from sqlalchemy.orm import MANYTOONE, defer, joinedload, undefer
from wtforms import PasswordField, ValidationError, validators

from gestion.base import formato
from gestion.base.ingreso import motivo_clave_debil
from gestion.reglas import flujo
from gestion.reglas import roles as R
from modelos import HistorialEstado, InformeSeguimiento, RegistroAuditoria, Rol, Usuario, db

from .base import VistaModelo, VistaSoloLectura
from .etiquetas import ACCIONES_AUDITORIA, TABLA_DE_VISTA, TABLAS, etiqueta_campo, etiqueta_tabla
from .exportar import FILAS_POR_LOTE


class VistaUsuarios(VistaModelo):
    recurso = "usuarios"
    permite_eliminar = False  # se desactiva: borrar rompería el historial de quién hizo qué
    column_list = ("email", "nombre", "roles", "dependencia", "active", "last_login_at")
    column_searchable_list = ("email", "nombre")
    column_filters = ("active", "roles.name", "dependencia.nombre")
    column_default_sort = "email"
    form_columns = ("email", "nombre", "roles", "dependencia", "active", "clave_nueva")
    column_details_list = ("email", "nombre", "roles", "dependencia", "active", "confirmed_at",
                           "last_login_at", "current_login_at", "login_count")
    form_extra_fields = {"clave_nueva": PasswordField(
        "Contraseña nueva", [validators.Optional(), validators.Length(max=128)],
        description="Déjela vacía para no cambiarla. Mínimo 12 caracteres; ni palabras comunes ni del ministerio.")}
    column_select_related_list = (Usuario.dependencia,)

    def on_model_change(self, form, model, is_created):
        nombres = {r.name for r in model.roles}
        if nombres & R.CON_DEPENDENCIA and model.dependencia is None:
            raise ValidationError("Un director, una Dirección Territorial o una entidad debe tener dependencia.")
        if form.clave_nueva.data:
            motivo = motivo_clave_debil(form.clave_nueva.data, model)
            if motivo:
                raise ValidationError(motivo)
            model.password = hash_password(form.clave_nueva.data)
            model.fs_uniquifier = uuid.uuid4().hex  # cierra las sesiones abiertas con la clave anterior
        elif is_created:
            raise ValidationError("Asigne una contraseña al usuario nuevo.")
        if is_created:
            model.fs_uniquifier = uuid.uuid4().hex
        elif not model.active:
            model.fs_uniquifier = uuid.uuid4().hex  # el usuario desactivado sale de inmediato


class VistaRoles(VistaModelo):
    recurso = "usuarios"
    permite_crear = permite_eliminar = False  # los roles son los del procedimiento
    column_list = ("name", "description")
    form_columns = ("description",)


# --- la auditoría como la lee una persona: etiquetas, cifras y fechas de Colombia, «antes → después» -----
# Un correo pendiente se nombra por su asunto: leerlo entero traía su .eml (megas, con el informe adjunto).
_NOMBRES = ("codigo", "nombre", "descripcion", "email", "anio", "bpin", "numero", "asunto")


def _texto_valor(tabla: str, campo: str, valor) -> str:
    """Un valor guardado en `cambios` (texto, número o lista) con el formato de su columna."""
    if valor is None or valor == "":
        return "—"
    if isinstance(valor, list):
        return ", ".join(str(v) for v in valor) or "—"
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    tabla_sa = db.metadata.tables.get(tabla)
    columna = tabla_sa.c.get(campo) if tabla_sa is not None else None
    tipo = columna.type if columna is not None else None
    try:
        if isinstance(tipo, sa.Enum) and tipo.enum_class is not None:
            return tipo.enum_class(valor).etiqueta
        if isinstance(tipo, sa.Boolean):
            return "Sí" if valor in (1, "1", "true", "True") else "No"
        if isinstance(tipo, sa.Numeric):
            cifra = Decimal(str(valor))
            return formato.pesos(cifra) if (tipo.precision, tipo.scale) == (18, 2) else formato.cantidad(cifra)
        if isinstance(tipo, sa.DateTime):
            return formato.fecha(datetime.fromisoformat(str(valor)))
        if isinstance(tipo, sa.Date):
            return formato.fecha(date.fromisoformat(str(valor)))
    except (ValueError, InvalidOperation):
        pass
    if columna is not None and columna.foreign_keys:
        return f"n.º {valor}"
    return str(valor)


def cambios_legibles(registro) -> list[str]:
    """«Presupuesto: $ 250 → $ 250.000.000» por campo cambiado; en un alta o un borrado, «campo: valor»."""
    lineas = []
    for campo, valor in (registro.cambios or {}).items():
        etiqueta = etiqueta_campo(campo, registro.tabla)
        if registro.accion == "editar" and isinstance(valor, list) and len(valor) == 2:
            antes, despues = (_texto_valor(registro.tabla, campo, v) for v in valor)
            lineas.append(f"{etiqueta}: {antes} → {despues}")
        else:
            lineas.append(f"{etiqueta}: {_texto_valor(registro.tabla, campo, valor)}")
    return lineas


def _corto(texto: str, largo: int = 120) -> str:
    return texto if len(texto) <= largo else texto[:largo - 1] + "…"


@cache
def _modelo_de_tabla(tabla: str):
    """Los modelos no cambian con el proceso andando: recorrer los ~60 mapeos por tabla citada era el 3 % de la
    lista de auditoría."""
    return next((m.class_ for m in db.Model.registry.mappers if getattr(m.local_table, "name", None) == tabla), None)


@cache
def _sus_referencias(modelo) -> tuple:
    """Lo que nombra a una fila sin código ni nombre («2026 · Formulación»: su vigencia) llega con ella, no una
    consulta por cada una."""
    return tuple(joinedload(r.class_attribute) for r in sa.inspect(modelo).relationships if r.direction is MANYTOONE)


def _por_sus_columnas(tabla: str, tabla_sql, columnas, ids):
    """Las filas `ids` de una tabla que se nombra por sus columnas (código, nombre…), como texto, para juntarlas
    con las de las demás tablas citadas en una sola consulta."""
    textos = [sa.cast(c, sa.Text) for c in columnas] + [sa.cast(sa.null(), sa.Text)] * (2 - len(columnas))
    return sa.select(sa.literal(tabla, sa.Text).label("tabla"), tabla_sql.c.id.label("id"),
                     textos[0].label("primera"), textos[1].label("segunda")).where(tabla_sql.c.id.in_(ids))


def nombres_de_filas(pares) -> dict[tuple[str, int], str]:
    """(tabla, id en texto) → cómo se llama esa fila hoy (su código y nombre, o su texto): las tablas que se
    nombran por sus columnas, en una consulta (una por tabla eran ~5 en la primera página del registro); las que
    se nombran por su texto, una consulta cada una."""
    por_tabla: dict[str, set[int]] = defaultdict(set)
    for tabla, objeto_id in pares:
        if tabla and str(objeto_id or "").isdigit():
            por_tabla[tabla].add(int(objeto_id))
    nombres, ramas = {}, []
    for tabla, ids in por_tabla.items():
        # Una importación se anota con la página que la hizo («planes_accion.cargar_actividades»).
        vista = tabla.split(".")[0]
        modelo = _modelo_de_tabla(TABLA_DE_VISTA.get(vista, vista))
        if modelo is None or "id" not in modelo.__table__.c:
            continue
        columnas = [modelo.__table__.c[c] for c in _NOMBRES if c in modelo.__table__.c][:2]
        if columnas:
            ramas.append(_por_sus_columnas(tabla, modelo.__table__, columnas, ids))
        else:
            for objeto in db.session.scalars(sa.select(modelo).where(modelo.id.in_(ids))
                                             .options(*_sus_referencias(modelo))):
                nombres[(tabla, str(objeto.id))] = _corto(str(objeto))
    if ramas:
        for tabla, objeto_id, *valores in db.session.execute(ramas[0] if len(ramas) == 1 else sa.union_all(*ramas)):
            nombres[(tabla, str(objeto_id))] = _corto(" · ".join(v for v in valores if v not in (None, "")))
    return nombres


def _nombres_en_curso() -> dict:
    if "nombres_de_filas" not in g:
        g.nombres_de_filas = {}
    return g.nombres_de_filas


def nombrar_filas(pares) -> None:
    """Deja a mano los nombres de las filas de una página (o de un lote de la exportación)."""
    pares = [(tabla, str(objeto_id)) for tabla, objeto_id in pares if objeto_id is not None]
    faltan = [p for p in pares if p not in _nombres_en_curso()]
    _nombres_en_curso().update({p: None for p in faltan})
    _nombres_en_curso().update(nombres_de_filas(faltan))


def nombre_de_fila(tabla: str, objeto_id: int | None, cambios: dict | Callable[[], dict] | None = None) -> str:
    """La fila por su nombre; si ya no existe (un borrado), el que guardó el registro (`cambios`, o la función
    que los lee: solo se leen si la fila ya no existe)."""
    if objeto_id is None:
        return etiqueta_tabla(tabla)
    if (tabla, str(objeto_id)) not in _nombres_en_curso():
        nombrar_filas([(tabla, objeto_id)])
    actual = _nombres_en_curso().get((tabla, str(objeto_id)))
    if actual:
        return actual
    cambios = (cambios() if callable(cambios) else cambios) or {}
    guardado = next((cambios[c] for c in _NOMBRES if isinstance(cambios.get(c), (str, int)) and cambios[c] != ""),
                    None)
    return f"{str(guardado)[:80]} (ya no existe)" if guardado is not None else f"{etiqueta_tabla(tabla)} borrado"


def _registro(vista, contexto, modelo, nombre):
    """Qué fila, por su nombre: su código y nombre o su texto."""
    return nombre_de_fila(modelo.tabla, modelo.objeto_id, lambda: modelo.cambios)


class ConNombresDeFila:
    """Mezcla para las listas que citan filas de otras tablas (`columnas_de_fila`: atributos tabla e id): los
    nombres de una página, o de cada lote de la exportación, se leen con una consulta por tabla."""

    columnas_de_fila = ("tabla", "objeto_id")

    def _pares(self, filas):
        tabla, objeto_id = self.columnas_de_fila
        return [(getattr(f, tabla), getattr(f, objeto_id)) for f in filas]

    def get_list(self, *argumentos, **opciones):
        resultado = super().get_list(*argumentos, **opciones)
        if opciones.get("execute", True) and isinstance(resultado, tuple) and resultado[1] is not None:
            nombrar_filas(self._pares(resultado[1]))
        return resultado

    def filas_exportadas(self, columnas):
        consulta = self.consulta_exportada()

        def filas():
            lote = []
            for fila in consulta:
                lote.append(fila)
                if len(lote) == FILAS_POR_LOTE:
                    yield from self._lote(lote, columnas)
                    lote = []
            yield from self._lote(lote, columnas)
        return filas()

    def _lote(self, lote, columnas):
        g.nombres_de_filas = {}  # la memoria no crece con la exportación
        nombrar_filas(self._pares(lote))
        return [[self.valor_exportado(fila, nombre) for nombre, _ in columnas] for fila in lote]


def _cambios(vista, contexto, modelo, nombre):
    lineas = cambios_legibles(modelo)
    if not lineas:
        return ""
    return Markup("<ul class=\"list-unstyled mb-0\">{}</ul>").format(
        Markup("").join(Markup("<li>{}</li>").format(linea) for linea in lineas))


def _opciones(etiquetas: dict) -> list[tuple[str, str]]:
    return sorted(etiquetas.items(), key=lambda par: par[1])


class VistaAuditoria(ConNombresDeFila, VistaSoloLectura):
    recurso = "auditoria"
    can_view_details = True
    column_list = ("en", "usuario_email", "direccion", "accion", "tabla", "objeto_id")
    column_details_list = ("en", "usuario_email", "direccion", "accion", "tabla", "objeto_id", "cambios")
    column_filters = (FilterEqual(RegistroAuditoria.accion, "Acción", options=_opciones(ACCIONES_AUDITORIA)),
                      FilterEqual(RegistroAuditoria.tabla, "Tabla", options=_opciones(TABLAS)),
                      "objeto_id", "usuario_email", "direccion", "en")
    column_searchable_list = ("tabla", "usuario_email", "objeto_id")
    named_filter_urls = True  # /admin/registroauditoria/?flt0_tabla_equals=usuario se lee y se comparte
    column_default_sort = ("en", True)

    def get_list(self, *argumentos, execute=True, **opciones):
        """La página sin los cambios de cada registro, que la lista no muestra (el alta de un correo pendiente
        guardaba su .eml entero: megas por fila). Solo los registros de filas que ya no existen los leen, en una
        consulta, porque de ellos sale el nombre que tenía la fila."""
        total, consulta = super().get_list(*argumentos, execute=False, **opciones)
        if not execute:
            return total, consulta
        filas = consulta.options(defer(RegistroAuditoria.cambios)).all()
        nombrar_filas(self._pares(filas))
        sin_fila = [f.id for f in filas if f.objeto_id is not None
                    and not _nombres_en_curso().get((f.tabla, str(f.objeto_id)))]
        if sin_fila:
            db.session.execute(sa.select(RegistroAuditoria).where(RegistroAuditoria.id.in_(sin_fila))
                               .options(undefer(RegistroAuditoria.cambios))
                               .execution_options(populate_existing=True)).all()
        return total, filas

    @property
    def simple_list_pager(self) -> bool:
        """El registro entero se hojea con «anterior» y «siguiente», sin total: contar su millón de filas en un
        sector costaba 64 ms en cada página (un total por el id más alto mentiría: una transacción deshecha deja
        huecos en la secuencia). Con búsqueda o filtros sí se cuenta: ese total es el que se busca."""
        return not request.args.get("search") and not any(k.startswith("flt") for k in request.args)

    column_formatters = {
        "accion": lambda v, c, m, n: ACCIONES_AUDITORIA.get(m.accion, m.accion.replace("_", " ").capitalize()),
        "tabla": lambda v, c, m, n: etiqueta_tabla(m.tabla),
        "objeto_id": _registro,
        "cambios": _cambios,
    }
    # El archivo dice lo que dice la pantalla: etiquetas y nombres, no códigos.
    exportar_como = {
        "accion": lambda m: ACCIONES_AUDITORIA.get(m.accion, m.accion.replace("_", " ").capitalize()),
        "tabla": lambda m: etiqueta_tabla(m.tabla),
        "objeto_id": lambda m: nombre_de_fila(m.tabla, m.objeto_id, m.cambios),
    }


def _paso(atributo: str):
    return lambda v, c, m, n: getattr(flujo.paso_legible(m), atributo)


class VistaHistorial(ConNombresDeFila, VistaSoloLectura):
    recurso = "auditoria"
    columnas_de_fila = ("objeto_tipo", "objeto_id")
    column_list = ("en", "objeto_tipo", "objeto_id", "accion", "estado_desde", "estado_hasta", "usuario",
                   "observacion")
    column_filters = (FilterEqual(HistorialEstado.objeto_tipo, "Objeto",
                                  options=_opciones({t.__tablename__: TABLAS.get(t.__tablename__, t.__tablename__)
                                                     for t in (*flujo.MAQUINAS, InformeSeguimiento)})),
                      "accion", "estado_hasta")
    column_default_sort = ("en", True)
    column_select_related_list = (HistorialEstado.usuario,)
    column_formatters = {
        "objeto_tipo": lambda v, c, m, n: etiqueta_tabla(m.objeto_tipo),
        "objeto_id": lambda v, c, m, n: nombre_de_fila(m.objeto_tipo, m.objeto_id),
        "accion": _paso("accion"), "estado_desde": _paso("desde"), "estado_hasta": _paso("hasta"),
    }
    exportar_como = {
        "objeto_tipo": lambda m: etiqueta_tabla(m.objeto_tipo),
        "objeto_id": lambda m: nombre_de_fila(m.objeto_tipo, m.objeto_id),
        "accion": lambda m: flujo.paso_legible(m).accion,
        "estado_desde": lambda m: flujo.paso_legible(m).desde,
        "estado_hasta": lambda m: flujo.paso_legible(m).hasta,
    }


def vistas_administracion():
    categoria = "Administración"
    return [
        VistaUsuarios(Usuario, "Usuarios", categoria),
        VistaRoles(Rol, "Roles", categoria),
        VistaAuditoria(RegistroAuditoria, "Auditoría", categoria),
        VistaHistorial(HistorialEstado, "Historial de estados", categoria),
    ]
