"""Dos personas a la vez (PostgreSQL, dos conexiones reales): exactamente una gana y la otra lee un mensaje,
nunca un 500 ni una edición perdida en silencio. SQLite en memoria no tiene dos conexiones que compitan."""
import threading
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.base.errores import MENSAJE_CONFLICTO
from gestion.reglas import roles as R
from modelos import EstadoPlan, EtapaCronograma, FaseCronograma, HistorialEstado, db

from .fabricas import CONTRASENA
from .formularios import formulario_editable, vistas_de_modelo

CONFLICTO = MENSAJE_CONFLICTO.split(":")[0]
# Lo que cada editor escribe cuando el formulario no tiene texto libre: campo que se compara → (cambios de
# la primera, cambios de la segunda).
CAMPOS_ALTERNOS = {
    "anio_inicio": ({"anio_inicio": "2027", "anio_fin": "2030"}, {"anio_inicio": "2031", "anio_fin": "2034"}),
    "anio": ({"anio": "2031"}, {"anio": "2032"}), "desde": ({"desde": "71"}, {"desde": "72"}),
    "meta_t1": ({"meta_t1": "3"}, {"meta_t1": "4"}),
    "cierra": ({"cierra": "20/04/2099"}, {"cierra": "21/04/2099"}),  # después de la apertura, que es hace días
    "fin": ({"fin": "20/12/2026"}, {"fin": "21/12/2026"}),
}
TEXTOS_PREFERIDOS = ("nombre", "descripcion", "description", "responsable", "formula", "dimension")


@pytest.fixture(autouse=True)
def solo_postgresql(contexto):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("la carrera necesita dos conexiones que compitan: corre en la pasada de PostgreSQL")


def a_la_vez(*funciones):
    """Corre las funciones en hilos que arrancan juntos; devuelve sus resultados en orden."""
    barrera = threading.Barrier(len(funciones))
    resultados = [None] * len(funciones)

    def correr(i, funcion):
        barrera.wait()
        resultados[i] = funcion()

    hilos = [threading.Thread(target=correr, args=(i, f)) for i, f in enumerate(funciones)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    return resultados


def test_dos_aprobaciones_del_mismo_plan_a_la_vez_una_gana_y_la_otra_lee_por_que(navegador, usuarios, fabrica):
    oap, jefe = navegador(usuarios[R.OAP]), navegador(usuarios[R.JEFE_OAP])
    for ronda in range(6):
        plan = fabrica.plan_accion(fabrica.dependencia(f"R{ronda}"), estado=EstadoPlan.ENVIADO)
        fabrica.verificar(plan)  # la actividad 12 exige los puntos de juicio antes de aprobar
        db.session.commit()
        datos = {"id": plan.id}
        respuestas = a_la_vez(lambda datos=datos: oap.post("/admin/planes_accion/aprobar/", data=datos, follow_redirects=True),
                              lambda datos=datos: jefe.post("/admin/planes_accion/aprobar/", data=datos,
                                                            follow_redirects=True))
        assert [r.status_code for r in respuestas] == [200, 200], ronda
        paginas = [r.get_data(as_text=True) for r in respuestas]
        assert sum("quedó aprobado" in p for p in paginas) == 1, ronda
        perdedora = next(p for p in paginas if "quedó aprobado" not in p)
        # Llegó tarde al bloqueo de la fila (conflicto) o después del commit del otro (el estado ya cambió).
        assert CONFLICTO in perdedora or "está aprobado; solo se puede" in perdedora, ronda
        aprobaciones = db.session.scalar(sa.select(sa.func.count()).select_from(HistorialEstado).where(
            HistorialEstado.objeto_id == plan.id, HistorialEstado.objeto_tipo == "plan",
            HistorialEstado.accion == "aprobar"))
        assert aprobaciones == 1, ronda
        assert "psycopg" not in perdedora and "StaleDataError" not in perdedora


@pytest.fixture
def parejas(fabrica, usuarios, navegador):
    """Dos personas con el mismo rol (y la misma dependencia) por cada rol que edita en el panel."""
    m = fabrica.mundo
    segundo = {R.OAP: usuarios[R.JEFE_OAP], R.DIRECTOR: fabrica.usuario(R.DIRECTOR, m.central),
               R.TERRITORIAL: fabrica.usuario(R.TERRITORIAL, m.territorial),
               R.ADMINISTRADOR: fabrica.usuario(R.ADMINISTRADOR)}
    return {rol: (navegador(usuarios[rol]), navegador(otro)) for rol, otro in segundo.items()}


def _campo_a_cambiar(formulario):
    textos = [c for c in formulario.textos if c in formulario.campos]
    for preferido in TEXTOS_PREFERIDOS:
        if preferido in textos:
            return preferido, ({preferido: "Guardado por la primera"}, {preferido: "Guardado por la segunda"})
    for campo, cambios in CAMPOS_ALTERNOS.items():
        if campo in formulario.campos:
            return campo, cambios
    return None


def test_dos_ediciones_a_la_vez_de_cada_modelo_editable_una_gana_la_otra_ve_el_conflicto(
        app, fabrica, usuarios, parejas):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    fabrica.actividad_territorial(plan, {m.territorial: (1, 1, 1, 1)})
    fabrica.proyecto(m.central)
    fabrica.ventana(1)
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.COMPROMISOS, inicio=date(2026, 1, 10),
                                   fin=date(2026, 1, 31)))
    db.session.commit()
    primeros = {rol: par[0] for rol, par in parejas.items()}
    probadas = []
    for vista in vistas_de_modelo(app):
        if not hasattr(vista.model, "version"):
            continue
        encontrado = formulario_editable(vista, primeros)
        if encontrado is None or "/edit/" not in encontrado[1]:
            continue
        rol, url, formulario = encontrado
        cambio = _campo_a_cambiar(formulario)
        assert cambio is not None, f"{vista.endpoint}: diga qué campo cambia cada editor (CAMPOS_ALTERNOS)"
        campo, (uno, otro) = cambio
        primera, segunda = parejas[rol]
        base = {c: v for c, v in formulario.campos.items() if c != "csrf_token"}  # cada uno envía el suyo
        respuestas = a_la_vez(lambda primera=primera, url=url, base=base, uno=uno: primera.post(url, data={**base, **uno}),
                              lambda segunda=segunda, url=url, base=base, otro=otro: segunda.post(url, data={**base, **otro}))
        codigos = sorted(r.status_code for r in respuestas)
        assert codigos == [200, 302], (vista.endpoint, codigos)
        perdedora = next(r for r in respuestas if r.status_code == 200).get_data(as_text=True)
        assert CONFLICTO in perdedora, vista.endpoint
        ganador = (uno if respuestas[0].status_code == 302 else otro)[campo]
        db.session.expire_all()
        guardado = getattr(db.session.get(vista.model, int(url.rsplit("=", 1)[1])), campo)
        assert _como_se_escribe(guardado) == ganador, vista.endpoint
        probadas.append(vista.endpoint)
    assert {"dependencia", "unidadmedida", "politicamipg", "proyectoinversion", "usuario", "rol", "actividad",
            "planes_accion", "objetivo", "indicador", "umbralsemaforo", "vigencia", "ventanareporte",
            "etapacronograma", "metaterritorial"} <= set(probadas), probadas


def _como_se_escribe(valor) -> str:
    if isinstance(valor, date):
        return valor.strftime("%d/%m/%Y")
    if isinstance(valor, Decimal):
        return str(valor.normalize())
    return str(valor)


def test_la_misma_cuenta_entra_desde_varios_equipos_a_la_vez(navegador, usuarios):
    # El ingreso anota fechas y contadores en la fila del usuario: ocho ingresos simultáneos no chocan entre sí.
    correo = usuarios[R.DIRECTOR].email
    clientes = [navegador() for _ in range(8)]
    respuestas = a_la_vez(*[lambda c=c: c.post("/login", data={"email": correo, "password": CONTRASENA})
                            for c in clientes])
    assert [r.status_code for r in respuestas] == [302] * 8
    assert all("Usuario director" in c.texto("/admin/") for c in clientes)


def test_dos_primeras_lecturas_del_tablero_a_la_vez_no_chocan(navegador, usuarios, fabrica):
    """Una vigencia nunca calculada no tiene fila que bloquear: las dos peticiones calculan y una llega tarde a
    guardar. Esa lee lo que guardó la otra (antes respondía 409 «Conflicto» a quien solo miraba su inicio)."""
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    fabrica.reporte(plan, 1, {"A1": 10})
    director, oap = navegador(usuarios[R.DIRECTOR]), navegador(usuarios[R.OAP])
    for _ronda in range(8):
        db.session.execute(sa.text("DELETE FROM cifra_vigencia"))
        db.session.commit()
        respuestas = a_la_vez(lambda: director.get("/admin/"), lambda: oap.get("/admin/tablero/?vigencia=2026"))
        assert [r.status_code for r in respuestas] == [200, 200]
    assert db.session.scalar(sa.text("SELECT count(*) FROM cifra_vigencia")) == 1
