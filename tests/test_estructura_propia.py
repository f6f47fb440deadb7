"""La OAP trae la estructura de un PES o PEI (objetivos, indicadores con su ficha técnica, metas por año) desde las
fichas técnicas que la oficina lleva en su propio libro: las trampas de esos libros armadas aquí, y los libros reales
de un hospital (POA con grupos combinados y estándares escritos), de Tenjo (plan indicativo con metas por año) y de
Medellín (consolidado con meta + año meta y títulos en la fila 8)."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from gestion.importacion import estructura as S
from gestion.importacion.lectura import ImportacionRechazada
from gestion.importacion.mapeo import CampoSinColumna, Mapeo
from gestion.reglas import roles as R
from modelos import EstadoPlan, Indicador, Objetivo, Periodicidad, Tendencia, TipoAcumulacion, TipoPlan, db

HOSPITAL = "ESE_HSVP_REMEDIOS_POA_2022.xlsx"
TENJO = "PLAN_INDICATIVO_TENJO_2024-2027.xlsx"
MEDELLIN = "MEDELLIN_MISE_PPPC_SEGUIMIENTO_2025_CORTE_2025-06-30.xlsx"
TITULOS = ["Objetivo estratégico", "Indicador", "Fórmula", "Unidad de medida", "Línea base", "Año base",
           "Tendencia", "Tipo de acumulación", "Periodicidad", "Dependencia responsable", "Meta 2027", "Meta 2028",
           "Meta 2029", "Meta 2030"]


def _bytes(libro: Workbook) -> bytes:
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _fichas(anio_base=2022) -> bytes:
    """Fichas técnicas como las lleva una oficina: títulos combinados arriba, un objetivo combinado sobre sus
    indicadores, otro en su propia fila de agrupación, sin columna de código, textos en las cifras."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Fichas"
    hoja["A1"] = "FICHAS TÉCNICAS DE INDICADORES PEI 2023-2026"
    hoja.merge_cells("A1:N1")
    hoja.append([])
    hoja.append(TITULOS)  # fila 3
    hoja.append(["Formalizar el empleo", "Personas formalizadas", "Suma", "Número", 100, anio_base, "I",
                 "Acum", "Trimestral", "3200", 110, 120, "130", "140"])  # 4
    hoja.append([None, "Tasa de informalidad", "(V1/V2)*100", "NUM", "58,2", "2022", "A la baja", "No acumulado",
                 "SEMSTRAL", "Dirección de Generación y Protección del Empleo", "< 57 %", "<56%", "55", 54])  # 5
    hoja.merge_cells("A4:A5")
    hoja.append(["Fortalecer la inspección"])  # 6: fila de agrupación que trae solo el objetivo
    hoja.append([None, "Visitas de inspección", "Suma", "Número", "NA", None, "M", "Stock", "Anual", "3200",
                 "Mayor al 80%", None, None, "Nueve (9) visitas"])  # 7
    hoja.append(["Total", None, None, None, 158.2])  # 8
    return _bytes(libro)


def _mapeo(contenido: bytes, plan, hoja="Fichas", fila=3) -> Mapeo:
    sugerida = S.sugerencia(plan, contenido, hoja, fila)
    return Mapeo(hoja, fila, sugerida.columnas)


def _indicadores(plan) -> dict[str, Indicador]:
    return {i.nombre: i for i in db.session.scalars(
        sa.select(Indicador).join(Objetivo).where(Objetivo.plan_id == plan.id))}


@pytest.fixture
def pei(fabrica):
    assert fabrica.mundo.pei.cuatrienio.anio_inicio == 2023  # catálogos y dependencias; el PEI en blanco, otro
    return fabrica.plan_estrategico_en_blanco(TipoPlan.PEI, 2027)


@pytest.fixture
def oap(fabrica):
    assert fabrica.mundo.oap is not None
    return fabrica.usuario(R.OAP)


# --- lo que dicen los estándares escritos -------------------------------------------------------------------------
@pytest.mark.parametrize(("texto", "valor", "tendencia"), [
    ("< 3 %", Decimal(3), Tendencia.DECRECIENTE), ("Mayor al 80%", Decimal(80), Tendencia.CRECIENTE),
    (">=80%", Decimal(80), Tendencia.CRECIENTE), ("<0,01", Decimal("0.01"), Tendencia.DECRECIENTE),
    ("≤ 12", Decimal(12), Tendencia.DECRECIENTE), ("Menor a 30 minutos", Decimal(30), Tendencia.DECRECIENTE),
    ("170 mujeres", Decimal(170), None), ("A la baja con respecto al trimestre anterior", None, Tendencia.DECRECIENTE),
    ("Aumento con respecto al trimestre anterior", None, Tendencia.CRECIENTE),
    # Lo que no se puede leer sin inventar se deja vacío (y se dice).
    ("Que no disminuya con respecto al trimestre anterior", None, None), ("Positivo", None, None),
    ("Nueve (9) Centros de Cuidado", None, None), ("3 para Sello Joven 12 para Alianza Joven", None, None),
    ("1.050", None, None), ("NA", None, None),
])
def test_un_estandar_escrito_se_lee_en_direccion_y_valor_solo_sin_duda(texto, valor, tendencia):
    leido = S.estandar(texto)
    assert (leido.valor, leido.tendencia) == (valor, tendencia)
    assert leido.aviso and texto.split()[0] in leido.aviso


# --- el libro de la oficina ---------------------------------------------------------------------------------------
def test_la_oap_trae_objetivos_indicadores_y_metas_de_las_fichas_de_la_oficina(pei, oap):
    contenido = _fichas()
    mapeo = _mapeo(contenido, pei)
    assert mapeo.columnas["meta_2029"] == "Meta 2029" and mapeo.columnas["objetivo"] == "Objetivo estratégico"
    previa = S.leer(pei, contenido, mapeo)
    assert previa.errores == []
    assert previa.sin_codigo and [i.codigo for i in previa.indicadores] == ["I001", "I002", "I003"]
    assert (8, "fila de totales") in previa.lectura.omitidas
    avisos = " ".join(str(a) for a in previa.avisos)
    assert "«SEMSTRAL» se leyó Semestral" in avisos and "«No acumulado» se leyó Flujo" in avisos
    assert "«Nueve (9) visitas» no se entiende como meta" in avisos and "«NA»: sin valor" in avisos

    resumen = S.importar(pei, contenido, mapeo, oap)
    db.session.commit()
    assert (resumen.objetivos_nuevos, resumen.indicadores_nuevos) == (2, 3)
    objetivos = {o.nombre: [i.nombre for i in o.indicadores] for o in pei.objetivos}
    # El objetivo combinado vale para sus dos filas; el de la fila de agrupación, para la que le sigue.
    assert objetivos == {"Formalizar el empleo": ["Personas formalizadas", "Tasa de informalidad"],
                         "Fortalecer la inspección": ["Visitas de inspección"]}
    por_nombre = _indicadores(pei)
    formalizadas, informalidad, visitas = (por_nombre[n] for n in ("Personas formalizadas", "Tasa de informalidad",
                                                                   "Visitas de inspección"))
    assert (formalizadas.linea_base, formalizadas.anio_linea_base, formalizadas.tendencia) == (
        100, 2022, Tendencia.CRECIENTE)
    assert formalizadas.tipo_acumulacion is TipoAcumulacion.ACUMULADO and formalizadas.responsable.codigo == "3200"
    assert {m.anio: m.valor for m in formalizadas.metas} == {2027: 110, 2028: 120, 2029: 130, 2030: 140}
    assert (informalidad.linea_base, informalidad.tendencia, informalidad.periodicidad) == (
        Decimal("58.2"), Tendencia.DECRECIENTE, Periodicidad.SEMESTRAL)
    assert informalidad.unidad.codigo == "NUM" and informalidad.responsable.codigo == "2200"
    assert {m.anio: m.valor for m in informalidad.metas} == {2027: 57, 2028: 56, 2029: 55, 2030: 54}
    # «NA» y «Nueve (9) visitas» no se inventan: quedan vacíos.
    assert visitas.linea_base is None and visitas.tipo_acumulacion is TipoAcumulacion.STOCK
    assert {m.anio: m.valor for m in visitas.metas} == {2027: 80}


def test_traerlo_otra_vez_sin_codigo_crea_indicadores_nuevos_y_no_pisa_los_de_antes(pei, oap):
    contenido = _fichas()
    S.importar(pei, contenido, _mapeo(contenido, pei), oap)
    db.session.commit()
    S.importar(pei, contenido, _mapeo(contenido, pei), oap)
    db.session.commit()
    codigos = sorted(i.codigo for o in pei.objetivos for i in o.indicadores)
    assert codigos == ["I001", "I002", "I003", "I004", "I005", "I006"]
    assert len(pei.objetivos) == 2  # el mismo nombre es el mismo objetivo


def test_un_anio_mal_escrito_no_deja_importar_nada(pei, oap):
    contenido = _fichas(anio_base=205)
    mapeo = _mapeo(contenido, pei)
    previa = S.leer(pei, contenido, mapeo)
    assert [(e.fila, e.columna) for e in previa.errores] == [(4, "Año de la línea base")]
    assert "205 está fuera de 1990–2100" in previa.errores[0].mensaje
    with pytest.raises(ImportacionRechazada):
        S.importar(pei, contenido, mapeo, oap)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Objetivo.id)).where(Objetivo.plan_id == pei.id)) == 0


def _meta_y_anio(anio_meta) -> bytes:
    libro = Workbook()
    libro.active.append(["Código", "Objetivo", "Indicador", "Meta del indicador", "Año meta"])
    libro.active.append(["IND-1", "Objetivo A", "Personas atendidas en la vigencia", 50, anio_meta])
    libro.active.append(["IND-1", "Objetivo A", "Trámites en línea disponibles", 60, 2028])
    return _bytes(libro)


def test_meta_con_su_anio_fuera_del_cuatrienio_y_codigo_repetido_son_errores(pei):
    contenido = _meta_y_anio(2019)
    previa = S.leer(pei, contenido, Mapeo("Sheet", 1, S.sugerencia(pei, contenido, "Sheet", 1).columnas))
    mensajes = [str(e) for e in previa.errores]
    assert mensajes == ["Fila 2: «Año de la meta»: 2019 no es un año del cuatrienio 2027–2030.",
                        "Fila 3: El indicador IND-1 del objetivo O01 ya viene en la fila 2."]


def test_una_meta_sin_anio_pide_elegir_el_anio_y_puede_valer_para_cada_anio(pei, oap):
    libro = Workbook()
    libro.active.append(["Estrategia", "Indicador", "Estándar"])
    libro.active.append(["Calidad", "Proporción de reingresos en urgencias", "< 3 %"])
    contenido = _bytes(libro)
    mapeo = Mapeo("Sheet", 1, {"objetivo": "Estrategia", "nombre": "Indicador", "meta": "Estándar"})
    with pytest.raises(CampoSinColumna, match="año de la meta"):
        S.leer(pei, contenido, mapeo)
    S.importar(pei, contenido, mapeo, oap, S.Opciones(S.TODOS_LOS_ANIOS))
    indicador = pei.objetivos[0].indicadores[0]
    assert indicador.tendencia is Tendencia.DECRECIENTE
    assert {m.anio: m.valor for m in indicador.metas} == {a: 3 for a in (2027, 2028, 2029, 2030)}


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.COMITE_DIRECTIVO, R.CONTROL_INTERNO, R.ENTIDAD])
def test_solo_la_oap_trae_la_estructura(fabrica, pei, rol):
    usuario = fabrica.usuario(rol, fabrica.mundo.entidad if rol == R.ENTIDAD else (
        fabrica.mundo.central if rol == R.DIRECTOR else None))
    contenido = _fichas()
    with pytest.raises(ImportacionRechazada, match="la OAP"):
        S.importar(pei, contenido, _mapeo(contenido, pei), usuario)
    assert pei.objetivos == []


def test_un_plan_aprobado_no_recibe_estructura(fabrica, oap):
    pei = fabrica.mundo.pei
    fabrica.llevar_estrategico_a(pei, EstadoPlan.APROBADO)
    contenido = _fichas()
    with pytest.raises(ImportacionRechazada):
        S.importar(pei, contenido, _mapeo(contenido, pei), oap)


# --- los libros reales ------------------------------------------------------------------------------------------
def test_el_poa_del_hospital_trae_sus_39_indicadores_con_grupos_combinados_y_estandares(fabrica, oap, libro_real):
    plan = fabrica.plan_estrategico_en_blanco(TipoPlan.PEI, 2020)
    contenido = libro_real(HOSPITAL)
    mapeo = Mapeo("POA 2022", 6, {"objetivo": "ESTRATEGIA", "nombre": "INDICADOR", "meta": "ESTANDAR",
                                  "periodicidad": "PERIODICIDAD"})
    resumen = S.importar(plan, contenido, mapeo, oap, S.Opciones(2022))
    db.session.commit()
    assert (resumen.objetivos_nuevos, resumen.indicadores_nuevos) == (6, 39)
    por_fila = {o.nombre: len(o.indicadores) for o in plan.objetivos}
    # La fila 28 (PPSS) no está combinada pero es de la estrategia de la fila 27.
    assert por_fila == {"DESARROLLO FINANCIERO": 20, "USUARIO EXTERNO E INTERNO": 2,
                        "PRESTACION INTEGRAL DE SERVICIOS DE SALUD": 1, "MEJORA CONTINUA DE LA CALIDAD": 4,
                        "GESTIÓN DE PROCESOS": 10, "CRECIMIENTO Y DESARROLLO INTEGRAL DEL TALENTO HUMANO": 2}
    indicadores = _indicadores(plan)
    # D7:D15 combinada: «A la baja…» vale para las nueve filas.
    assert indicadores["TOTAL VENTA DE SERVICIOS DE SALUD RECAUDO"].tendencia is Tendencia.DECRECIENTE
    satisfaccion = indicadores["PROPORCION DE SATISFACCIÓN GLOBAL DE LA IPS"]
    assert (satisfaccion.tendencia, [(m.anio, m.valor) for m in satisfaccion.metas]) == (
        Tendencia.CRECIENTE, [(2022, 80)])
    caidas = indicadores["TASA DE CAIDAS EN HOSPITALIZACION"]
    assert (caidas.tendencia, [m.valor for m in caidas.metas]) == (Tendencia.DECRECIENTE, [Decimal("0.01")])
    assert indicadores["Cumplimiento de la politica de Participación Social en Salud"].periodicidad is (
        Periodicidad.SEMESTRAL)  # «SEMSTRAL»
    assert indicadores["Cumplimiento de la politica de Participación Social en Salud"].metas == []  # «Cumple»


def _columna(hoja, titulo: str, fila_titulos: int, ocurrencia: int = 1) -> list:
    filas = list(hoja.iter_rows(min_row=fila_titulos, values_only=True))
    titulos = [" ".join(str(t).split()) if t is not None else "" for t in filas[0]]
    indice = [i for i, t in enumerate(titulos) if t == titulo][ocurrencia - 1]
    return [f[indice] for f in filas[1:]]


def test_el_plan_indicativo_de_tenjo_trae_sus_331_metas_con_lineas_base_y_metas_por_anio(fabrica, oap, libro_real):
    plan = fabrica.plan_estrategico_en_blanco(TipoPlan.PEI, 2024)
    contenido = libro_real(TENJO)
    mapeo = Mapeo("PDM", 1, {"objetivo_codigo": "COD,.INT. PROGRAMA", "objetivo": "PROGRAMA PDT",
                             "codigo": "COD META PRODUCTO", "nombre": "INDICADOR", "unidad": "UNIDAD DE MEDIDA",
                             "linea_base": "L.B (2)", "tendencia": "TENDENCIA INDICADOR", "responsable": "RESPONSABLE",
                             **{f"meta_{a}": f"VALOR ESPERADO {a}" for a in range(2024, 2028)}})
    sugerida = S.sugerencia(plan, contenido, "PDM", 1)
    assert {a: sugerida.columnas[f"meta_{a}"] for a in range(2024, 2028)} == {
        a: f"VALOR ESPERADO {a}" for a in range(2024, 2028)}
    resumen = S.importar(plan, contenido, mapeo, oap)
    db.session.commit()
    assert resumen.indicadores_nuevos == 331
    hoja = load_workbook(BytesIO(contenido), read_only=True, data_only=True)["PDM"]
    codigos = _columna(hoja, "COD META PRODUCTO", 1)
    bases = dict(zip(codigos, _columna(hoja, "L.B", 1, 2), strict=True))
    metas = {a: dict(zip(codigos, _columna(hoja, f"VALOR ESPERADO {a}", 1), strict=True)) for a in range(2024, 2028)}
    guardados = {i.codigo: i for o in plan.objetivos for i in o.indicadores}
    for codigo, indicador in guardados.items():
        numero = int(codigo)
        base = bases[numero]
        if isinstance(base, (int, float)):
            assert indicador.linea_base == Decimal(str(base)), codigo  # tal cual la celda, sin redondear
        for anio in range(2024, 2028):
            esperado = metas[anio][numero]
            guardado = next((m.valor for m in indicador.metas if m.anio == anio), None)
            assert guardado == (None if esperado is None else Decimal(str(esperado))), (codigo, anio)
    assert {i.tendencia for i in guardados.values()} == {Tendencia.CRECIENTE, Tendencia.CONSTANTE}  # I y M


def test_el_consolidado_de_medellin_dice_sus_errores_y_corregido_trae_sus_96_indicadores(fabrica, oap, libro_real):
    plan = fabrica.plan_estrategico_en_blanco(TipoPlan.PES, 2024)
    contenido = libro_real(MEDELLIN)
    sugerida = S.sugerencia(plan, contenido, "Consolidado 2025", 8)
    assert {a: sugerida.columnas.get(a) for a in ("codigo", "nombre", "meta", "anio_meta", "tipo_acumulacion",
                                                   "tendencia", "linea_base", "anio_linea_base")} == {
        "codigo": "Código Indicador", "nombre": "Indicador de Producto", "meta": "Meta del indicador",
        "anio_meta": "Año meta", "tipo_acumulacion": "Tipo de acumulación", "tendencia": "Comportamiento deseado",
        "linea_base": "Línea base", "anio_linea_base": "Año base"}
    assert "objetivo_codigo" not in sugerida.columnas  # «Código del Proyecto» no es el código de un objetivo
    columnas = dict(sugerida.columnas, objetivo="Programa Plan de Desarrollo Distrital")
    mapeo = Mapeo("Consolidado 2025", 8, columnas)
    previa = S.leer(plan, contenido, mapeo)
    assert [(e.fila, e.columna) for e in previa.errores] == [
        (15, "Año de la línea base"), (42, "Año de la línea base"), (42, "Indicador"), (43, "Indicador"),
        (77, "Indicador"), (79, "Código del indicador"), (81, "Indicador")]
    assert str(previa.errores[0]) == ("Fila 15: «Año de la línea base»: el año 167 está fuera de 1990–2100: ¿un año "
                                      "mal escrito?")
    assert len(previa.indicadores) == 96

    libro = load_workbook(BytesIO(contenido))  # la oficina corrige las tres celdas y lo sube de nuevo
    hoja = libro["Consolidado 2025"]
    hoja["S15"], hoja["S42"], hoja["D79"] = 2023, 2024, "499-B"
    for fila in (42, 43, 77, 81):  # sin nombre del indicador: el de su producto
        hoja[f"I{fila}"] = hoja[f"H{fila}"].value
    corregido = _bytes(libro)
    S.importar(plan, corregido, mapeo, oap)
    db.session.commit()
    guardados = [i for o in plan.objetivos for i in o.indicadores]
    assert len(guardados) == 96
    datos = list(load_workbook(BytesIO(corregido), read_only=True, data_only=True)["Consolidado 2025"].iter_rows(
        min_row=9, max_row=104, values_only=True))
    # Por código y objetivo (el programa): 432, 460 y 499 se repiten en programas distintos.
    esperadas, programa = {}, None
    for f in datos:  # un programa vacío es el de la fila de arriba
        programa = " ".join(f[1].split()) if f[1] else programa
        esperadas[(str(f[3]), programa)] = (f[20], f[21])
    assert len(esperadas) == 96
    for indicador in guardados:
        meta, anio = esperadas[(indicador.codigo, indicador.objetivo.nombre)]
        if isinstance(meta, (int, float)) and anio:
            assert [(m.anio, m.valor) for m in indicador.metas] == [(anio, Decimal(str(meta)))], indicador.codigo
    acumulaciones = {i.tipo_acumulacion for i in guardados}
    assert acumulaciones == {TipoAcumulacion.ACUMULADO, TipoAcumulacion.FLUJO, TipoAcumulacion.CAPACIDAD,
                             TipoAcumulacion.STOCK, None}


# --- la página ----------------------------------------------------------------------------------------------------
def test_la_oap_sube_asocia_ve_la_previa_e_importa_desde_la_pagina(fabrica, pei, oap, navegador):
    cliente = navegador(oap)
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"
    assert "Subir y asociar columnas" in cliente.get(url).get_data(as_text=True)
    subida = cliente.post(url, data={"archivo": (BytesIO(_fichas()), "fichas.xlsx")},
                          content_type="multipart/form-data")
    assert subida.status_code == 302
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    previa = cliente.get(url, query_string={"libro": clave, "hoja": "Fichas", "fila": 3, "previa": 1})
    pagina = previa.get_data(as_text=True)
    assert previa.status_code == 200
    assert "3 indicador(es) en 2 objetivo(s)" in pagina and "«SEMSTRAL» se leyó Semestral" in pagina
    assert 'id="col_meta_2030"' in pagina
    columnas = {f"col_{a}": t for a, t in _mapeo(_fichas(), pei).columnas.items()}
    importada = cliente.post(url, data={"libro": clave, "hoja": "Fichas", "fila": 3, "elegidas": 1, **columnas})
    assert importada.status_code == 302 and importada.headers["Location"].endswith(f"/plan/{pei.id}")
    db.session.expire_all()
    assert sorted(o.nombre for o in db.session.get(type(pei), pei.id).objetivos) == [
        "Formalizar el empleo", "Fortalecer la inspección"]


def test_la_pagina_sin_columna_obligatoria_deja_al_usuario_en_las_columnas(pei, oap, navegador):
    cliente = navegador(oap)
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"
    subida = cliente.post(url, data={"archivo": (BytesIO(_fichas()), "fichas.xlsx")},
                          content_type="multipart/form-data")
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    respuesta = cliente.get(url, query_string={"libro": clave, "hoja": "Fichas", "fila": 3, "elegidas": 1,
                                               "col_nombre": "Indicador", "previa": 1})
    assert respuesta.status_code == 422
    pagina = respuesta.get_data(as_text=True)
    assert "Asocie una columna a: Objetivo" in pagina and 'id="col_objetivo"' in pagina


def test_el_director_no_trae_la_estructura_por_la_pagina(fabrica, pei, usuarios, navegador):
    cliente = navegador(usuarios[R.DIRECTOR])
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"
    assert cliente.get(url).status_code == 403  # un PEI en borrador no es de su incumbencia
    assert cliente.post(url, data={"archivo": (BytesIO(_fichas()), "f.xlsx")},
                        content_type="multipart/form-data").status_code == 403
    assert db.session.get(type(pei), pei.id).objetivos == []


def _fichas_de(cuantas: int) -> bytes:
    libro = Workbook()
    libro.active.append(["Código", "Objetivo", "Indicador", "Unidad de medida", "Responsable", "Meta A", "Meta B"])
    for n in range(cuantas):
        libro.active.append([f"I{n}", f"Objetivo número {n % 5}", f"Indicador de prueba número {n}", "NUM", "3200",
                             n, n + 1])
    return _bytes(libro)


def _consultas_al_traer(fabrica, oap, cuantas: int, anio: int) -> tuple[int, int]:
    """Las consultas (SELECT) de traer el libro a un plan en blanco y de traerlo otra vez (actualiza)."""
    from .test_exportar import contar_consultas
    plan = fabrica.plan_estrategico_en_blanco(TipoPlan.PEI, anio)
    contenido = _fichas_de(cuantas)
    mapeo = Mapeo("Sheet", 1, {"codigo": "Código", "objetivo": "Objetivo", "nombre": "Indicador",
                               "unidad": "Unidad de medida", "responsable": "Responsable",
                               f"meta_{anio}": "Meta A", f"meta_{anio + 1}": "Meta B"})
    cuentas = []
    for _ in range(2):
        db.session.expire_all()
        plan = db.session.get(type(plan), plan.id)
        with contar_consultas() as consultas:
            S.importar(plan, contenido, mapeo, oap)
        db.session.commit()
        cuentas.append(len(consultas))
    return tuple(cuentas)


def test_las_consultas_no_crecen_con_las_filas_del_libro(fabrica, oap):
    pocas, muchas = _consultas_al_traer(fabrica, oap, 5, 2027), _consultas_al_traer(fabrica, oap, 60, 2031)
    assert pocas == muchas


def test_con_errores_la_previa_ofrece_el_libro_de_la_oficina_con_cada_celda_marcada(pei, oap, navegador):
    cliente = navegador(oap)
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"
    subida = cliente.post(url, data={"archivo": (BytesIO(_fichas(anio_base=205)), "fichas.xlsx")},
                          content_type="multipart/form-data")
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    pagina = cliente.get(url, query_string={"libro": clave, "hoja": "Fichas", "fila": 3, "previa": 1}).get_data(
        as_text=True)
    assert "Errores (1): con ellos no se importa nada" in pagina and "disabled" in pagina
    enlace = re.search(r'href="(/[^"]+)">Descargar su libro con los errores marcados', pagina).group(1)
    descarga = cliente.get(enlace.replace("&amp;", "&"))
    assert descarga.status_code == 200
    hoja = load_workbook(BytesIO(descarga.data))["Fichas"]
    textos = [str(c.value) for fila in hoja.iter_rows(min_row=4, max_row=4) for c in fila if c.value]
    assert any("205 está fuera de 1990–2100" in t for t in textos)
    assert hoja["F4"].value == 205  # la celda de la oficina, marcada en su sitio
    assert hoja["F4"].fill.fgColor.rgb not in (None, "00000000")


def test_un_tipo_de_acumulacion_escrito_a_su_manera_se_pregunta_y_manda_lo_elegido(pei, oap, navegador):
    contenido = _fichas()
    mapeo = _mapeo(contenido, pei)
    previa = S.leer(pei, contenido, mapeo)
    assert previa.acumulaciones_a_elegir == {"no acumulado": ("No acumulado", TipoAcumulacion.FLUJO)}

    cliente = navegador(oap)
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"
    subida = cliente.post(url, data={"archivo": (BytesIO(contenido), "fichas.xlsx")},
                          content_type="multipart/form-data")
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    pagina = cliente.get(url, query_string={"libro": clave, "hoja": "Fichas", "fila": 3, "previa": 1}).get_data(
        as_text=True)
    assert "«No acumulado» es" in pagina and 'name="acum__no acumulado"' in pagina
    columnas = {f"col_{a}": t for a, t in mapeo.columnas.items()}
    elegido = cliente.get(url, query_string={"libro": clave, "hoja": "Fichas", "fila": 3, "elegidas": 1, "previa": 1,
                                             "acum__no acumulado": "capacidad", **columnas}).get_data(as_text=True)
    assert 'value="capacidad" selected' in elegido and "«No acumulado» se leyó Flujo" not in elegido
    cliente.post(url, data={"libro": clave, "hoja": "Fichas", "fila": 3, "elegidas": 1,
                            "acum__no acumulado": "capacidad", **columnas})
    db.session.expire_all()
    assert _indicadores(pei)["Tasa de informalidad"].tipo_acumulacion is TipoAcumulacion.CAPACIDAD


@pytest.mark.parametrize("pedido", [{"fila": -3}, {"fila": 10**9}, {"hoja": "No existe"}, {"anio_meta": "abc"},
                                    {"pagina": -1, "pagina_avisos": 10**6}, {"col_nombre": "No es un título"},
                                    {"acum__no acumulado": "inventado"}])
def test_lo_que_venga_en_la_direccion_no_da_un_500(pei, oap, navegador, pedido):
    cliente = navegador(oap)
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"
    subida = cliente.post(url, data={"archivo": (BytesIO(_fichas()), "fichas.xlsx")},
                          content_type="multipart/form-data")
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    respuesta = cliente.get(url, query_string={"libro": clave, "previa": 1, **pedido})
    assert respuesta.status_code in (200, 422)
    assert "Traer la estructura del plan" in respuesta.get_data(as_text=True)
