"""Datos de demostración del sistema de planes de gestión (procedimiento DE-PD-01).

Catálogos (dependencias, políticas MIPG, PND 2022-2026, unidades, instancias, proyectos de
inversión), planes estratégicos del cuatrienio 2023-2026 (PES y PEI), planes de acción de las
vigencias 2025 y 2026, metas territoriales y usuarios de demostración del Ministerio del Trabajo.
Solo contiene literales de Python; el cargador de datos de demostración los lee por nombre.
"""

# Dependencias: centrales, Direcciones Territoriales y entidades adscritas y vinculadas.
# Orden: padres antes que hijos.
DEPENDENCIAS = [
    {"codigo": "1000", "nombre": "Despacho del Ministro", "tipo": "central", "padre": None},
    {"codigo": "1100", "nombre": "Oficina Asesora de Planeación", "tipo": "central", "padre": "1000"},
    {"codigo": "1200", "nombre": "Oficina de Control Interno", "tipo": "central", "padre": "1000"},
    {"codigo": "1300", "nombre": "Oficina Asesora Jurídica", "tipo": "central", "padre": "1000"},
    {"codigo": "1400", "nombre": "Oficina de Tecnologías de la Información y las Comunicaciones",
     "tipo": "central", "padre": "1000"},
    {"codigo": "1500", "nombre": "Oficina de Cooperación y Relaciones Internacionales",
     "tipo": "central", "padre": "1000"},
    {"codigo": "1600", "nombre": "Oficina de Control Interno Disciplinario", "tipo": "central", "padre": "1000"},
    {"codigo": "2000", "nombre": "Viceministerio de Empleo y Pensiones", "tipo": "central", "padre": "1000"},
    {"codigo": "2100", "nombre": "Dirección de Movilidad y Formación para el Empleo",
     "tipo": "central", "padre": "2000"},
    {"codigo": "2200", "nombre": "Dirección de Generación y Protección del Empleo y Subsidio Familiar",
     "tipo": "central", "padre": "2000"},
    {"codigo": "2300", "nombre": "Dirección de Pensiones y Otras Prestaciones", "tipo": "central",
     "padre": "2000"},
    {"codigo": "3000", "nombre": "Viceministerio de Relaciones Laborales e Inspección",
     "tipo": "central", "padre": "1000"},
    {"codigo": "3100", "nombre": "Dirección de Derechos Fundamentales del Trabajo", "tipo": "central",
     "padre": "3000"},
    {"codigo": "3200", "nombre": "Dirección de Inspección, Vigilancia, Control y Gestión Territorial",
     "tipo": "central", "padre": "3000"},
    {"codigo": "3300", "nombre": "Dirección de Riesgos Laborales", "tipo": "central", "padre": "3000"},
    {"codigo": "4000", "nombre": "Secretaría General", "tipo": "central", "padre": "1000"},
    {"codigo": "4100", "nombre": "Subdirección Administrativa y Financiera", "tipo": "central", "padre": "4000"},
    {"codigo": "4200", "nombre": "Subdirección de Gestión del Talento Humano", "tipo": "central", "padre": "4000"},
    # Direcciones Territoriales (código DANE del departamento)
    {"codigo": "DT05", "nombre": "Dirección Territorial de Antioquia", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT08", "nombre": "Dirección Territorial de Atlántico", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT11", "nombre": "Dirección Territorial de Bogotá D.C.", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT13", "nombre": "Dirección Territorial de Bolívar", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT25", "nombre": "Dirección Territorial de Cundinamarca", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT52", "nombre": "Dirección Territorial de Nariño", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT68", "nombre": "Dirección Territorial de Santander", "tipo": "territorial", "padre": "3200"},
    {"codigo": "DT76", "nombre": "Dirección Territorial del Valle del Cauca", "tipo": "territorial",
     "padre": "3200"},
    # Entidades adscritas y vinculadas del Sector Trabajo
    {"codigo": "E01", "nombre": "Servicio Nacional de Aprendizaje – SENA", "tipo": "entidad", "padre": None},
    {"codigo": "E02", "nombre": "Administradora Colombiana de Pensiones – Colpensiones",
     "tipo": "entidad", "padre": None},
    {"codigo": "E03", "nombre": "Superintendencia del Subsidio Familiar", "tipo": "entidad", "padre": None},
    {"codigo": "E04", "nombre": "Unidad Administrativa Especial del Servicio Público de Empleo",
     "tipo": "entidad", "padre": None},
    {"codigo": "E05", "nombre": "Unidad Administrativa Especial de Organizaciones Solidarias",
     "tipo": "entidad", "padre": None},
]

# Políticas de gestión y desempeño institucional del MIPG (Decreto 1083 de 2015, art. 2.2.22.2.1,
# modificado por los Decretos 1499 de 2017, 454 de 2020 y 742 de 2021).
POLITICAS_MIPG = [
    {"codigo": "P01", "nombre": "Planeación Institucional",
     "dimension": "Direccionamiento Estratégico y Planeación"},
    {"codigo": "P02", "nombre": "Gestión Presupuestal y Eficiencia del Gasto Público",
     "dimension": "Direccionamiento Estratégico y Planeación"},
    {"codigo": "P03", "nombre": "Talento Humano", "dimension": "Talento Humano"},
    {"codigo": "P04", "nombre": "Integridad", "dimension": "Talento Humano"},
    {"codigo": "P05", "nombre": "Transparencia, Acceso a la Información Pública y Lucha contra la Corrupción",
     "dimension": "Información y Comunicación"},
    {"codigo": "P06", "nombre": "Fortalecimiento Organizacional y Simplificación de Procesos",
     "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P07", "nombre": "Servicio al Ciudadano", "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P08", "nombre": "Participación Ciudadana en la Gestión Pública",
     "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P09", "nombre": "Racionalización de Trámites", "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P10", "nombre": "Gestión Documental", "dimension": "Información y Comunicación"},
    {"codigo": "P11", "nombre": "Gobierno Digital", "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P12", "nombre": "Seguridad Digital", "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P13", "nombre": "Defensa Jurídica", "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P14", "nombre": "Gestión del Conocimiento y la Innovación",
     "dimension": "Gestión del Conocimiento y la Innovación"},
    {"codigo": "P15", "nombre": "Control Interno", "dimension": "Control Interno"},
    {"codigo": "P16", "nombre": "Seguimiento y Evaluación del Desempeño Institucional",
     "dimension": "Evaluación de Resultados"},
    {"codigo": "P17", "nombre": "Mejora Normativa", "dimension": "Gestión con Valores para Resultados"},
    {"codigo": "P18", "nombre": "Gestión de la Información Estadística",
     "dimension": "Información y Comunicación"},
    {"codigo": "P19", "nombre": "Compras y Contratación Pública",
     "dimension": "Gestión con Valores para Resultados"},
]

# Plan Nacional de Desarrollo 2022-2026 (Ley 2294 de 2023): transformaciones y ejes transversales.
PND = {
    "nombre": "Plan Nacional de Desarrollo 2022-2026 Colombia, Potencia Mundial de la Vida",
    "pactos": [
        {"codigo": "T1", "nombre": "Ordenamiento del territorio alrededor del agua y justicia ambiental",
         "lineas": [
             {"codigo": "T1.L1", "nombre": "Justicia ambiental y gobernanza inclusiva", "objetivos": [
                 {"codigo": "T1.L1.O1", "nombre": "Fortalecer la participación y el diálogo social "
                  "en la gestión ambiental y en la resolución de conflictos socioambientales"},
             ]},
             {"codigo": "T1.L2", "nombre": "El agua y las personas en el centro del ordenamiento territorial",
              "objetivos": [
                 {"codigo": "T1.L2.O1", "nombre": "Consolidar instrumentos de ordenamiento territorial "
                  "que reconozcan el agua como determinante y garanticen la seguridad jurídica de la tierra"},
             ]},
         ]},
        {"codigo": "T2", "nombre": "Seguridad humana y justicia social", "lineas": [
            {"codigo": "T2.L1", "nombre": "Trabajo digno y decente", "objetivos": [
                {"codigo": "T2.L1.O1", "nombre": "Aumentar la formalización laboral y garantizar el "
                 "acceso de los trabajadores a la seguridad social y a condiciones de trabajo decente"},
                {"codigo": "T2.L1.O2", "nombre": "Fortalecer la inspección, vigilancia y control del "
                 "trabajo con presencia territorial y enfoque preventivo"},
                {"codigo": "T2.L1.O3", "nombre": "Promover el diálogo social, la libertad sindical, la "
                 "negociación colectiva y la erradicación del trabajo infantil"},
            ]},
            {"codigo": "T2.L2", "nombre": "Hacia un sistema de protección social universal y adaptativo",
             "objetivos": [
                {"codigo": "T2.L2.O1", "nombre": "Ampliar la cobertura de la protección económica en la "
                 "vejez mediante el sistema de protección social integral para la vejez"},
                {"codigo": "T2.L2.O2", "nombre": "Fortalecer el Sistema General de Riesgos Laborales y "
                 "la seguridad y salud en el trabajo"},
            ]},
            {"codigo": "T2.L3", "nombre": "Expansión de capacidades: más y mejores oportunidades de la "
             "población para lograr sus proyectos de vida", "objetivos": [
                {"codigo": "T2.L3.O1", "nombre": "Fortalecer el Servicio Público de Empleo y la "
                 "intermediación laboral con enfoque diferencial y territorial"},
                {"codigo": "T2.L3.O2", "nombre": "Consolidar el Sistema Nacional de Cualificaciones y la "
                 "formación para el trabajo pertinente"},
            ]},
        ]},
        {"codigo": "T3", "nombre": "Derecho humano a la alimentación", "lineas": [
            {"codigo": "T3.L1", "nombre": "Disponibilidad de alimentos: producción agropecuaria "
             "sostenible y economía campesina", "objetivos": [
                {"codigo": "T3.L1.O1", "nombre": "Promover el trabajo decente y la protección social de "
                 "la población rural y campesina"},
                {"codigo": "T3.L1.O2", "nombre": "Impulsar la asociatividad solidaria de pequeños "
                 "productores agropecuarios"},
            ]},
            {"codigo": "T3.L2", "nombre": "Acceso físico y económico a una alimentación adecuada",
             "objetivos": [
                {"codigo": "T3.L2.O1", "nombre": "Mejorar los ingresos de los hogares en inseguridad "
                 "alimentaria mediante la generación de empleo"},
            ]},
        ]},
        {"codigo": "T4", "nombre": "Transformación productiva, internacionalización y acción climática",
         "lineas": [
            {"codigo": "T4.L1", "nombre": "Reconocimiento e impulso a la economía popular y comunitaria",
             "objetivos": [
                {"codigo": "T4.L1.O1", "nombre": "Fortalecer las unidades económicas de la economía "
                 "popular y las organizaciones de la economía solidaria"},
                {"codigo": "T4.L1.O2", "nombre": "Facilitar el acceso de los trabajadores de la economía "
                 "popular a la protección social"},
            ]},
            {"codigo": "T4.L2", "nombre": "Transición energética justa, segura, confiable y eficiente",
             "objetivos": [
                {"codigo": "T4.L2.O1", "nombre": "Promover empleos verdes y una transición justa de la "
                 "fuerza laboral"},
            ]},
        ]},
        {"codigo": "T5", "nombre": "Convergencia regional", "lineas": [
            {"codigo": "T5.L1", "nombre": "Fortalecimiento institucional como motor de cambio para "
             "recuperar la confianza de la ciudadanía", "objetivos": [
                {"codigo": "T5.L1.O1", "nombre": "Fortalecer las capacidades institucionales en el "
                 "territorio para la prestación de servicios al ciudadano"},
                {"codigo": "T5.L1.O2", "nombre": "Consolidar entidades públicas transparentes, eficientes "
                 "y digitales, con gestión orientada a resultados"},
            ]},
            {"codigo": "T5.L2", "nombre": "Reducción de brechas sociales y económicas entre hogares y "
             "regiones", "objetivos": [
                {"codigo": "T5.L2.O1", "nombre": "Reducir las brechas territoriales de empleo y "
                 "formalidad laboral"},
            ]},
        ]},
        {"codigo": "E1", "nombre": "Paz total e integral", "lineas": [
            {"codigo": "E1.L1", "nombre": "Reincorporación y reparación integral a las víctimas",
             "objetivos": [
                {"codigo": "E1.L1.O1", "nombre": "Generar oportunidades de empleo e ingresos para "
                 "víctimas del conflicto armado y firmantes de paz"},
            ]},
        ]},
        {"codigo": "E2", "nombre": "Actores diferenciales para el cambio", "lineas": [
            {"codigo": "E2.L1", "nombre": "Mujeres en el centro de la política de la vida y la paz",
             "objetivos": [
                {"codigo": "E2.L1.O1", "nombre": "Cerrar las brechas de género en el mercado laboral y "
                 "reconocer la economía del cuidado"},
            ]},
            {"codigo": "E2.L2", "nombre": "Jóvenes con derechos que lideran las transformaciones",
             "objetivos": [
                {"codigo": "E2.L2.O1", "nombre": "Aumentar el acceso de los jóvenes al primer empleo y a "
                 "la formación para el trabajo"},
            ]},
        ]},
    ],
}

# Unidades de medida e instancias (comités)
UNIDADES = [
    {"codigo": "PCT", "nombre": "Porcentaje"},
    {"codigo": "NUM", "nombre": "Número"},
    {"codigo": "PER", "nombre": "Personas"},
    {"codigo": "DOC", "nombre": "Documento"},
    {"codigo": "INF", "nombre": "Informe"},
    {"codigo": "VIS", "nombre": "Visitas"},
    {"codigo": "MUN", "nombre": "Municipios"},
    {"codigo": "COP", "nombre": "Pesos"},
    {"codigo": "PTS", "nombre": "Puntos"},
]

INSTANCIAS = [
    {"codigo": "CSGD", "nombre": "Comité Sectorial de Gestión y Desempeño del Sector Trabajo",
     "tipo": "sectorial"},
    {"codigo": "CD", "nombre": "Comité Directivo", "tipo": "directivo"},
    {"codigo": "CIGD", "nombre": "Comité Institucional de Gestión y Desempeño", "tipo": "institucional"},
]

# Proyectos de inversión (BPIN) con presupuesto por vigencia, en pesos colombianos
PROYECTOS = [
    {"bpin": "2023011000063", "nombre": "Fortalecimiento de la capacidad de gestión institucional "
     "del Ministerio del Trabajo Nacional", "dependencia": "1100",
     "presupuesto": {2025: 1_200_000_000, 2026: 1_350_000_000}},
    {"bpin": "2023011000087", "nombre": "Fortalecimiento de la gestión de las tecnologías de la "
     "información y las comunicaciones del Ministerio del Trabajo Nacional", "dependencia": "1400",
     "presupuesto": {2025: 5_000_000_000, 2026: 5_600_000_000}},
    {"bpin": "2023011000134", "nombre": "Fortalecimiento de la inspección, vigilancia y control del "
     "trabajo y la gestión territorial Nacional", "dependencia": "3200",
     "presupuesto": {2025: 18_500_000_000, 2026: 20_000_000_000}},
    {"bpin": "2023011000156", "nombre": "Implementación de la política pública de trabajo digno y "
     "decente y de los derechos fundamentales del trabajo Nacional", "dependencia": "3100",
     "presupuesto": {2025: 2_300_000_000, 2026: 2_500_000_000}},
    {"bpin": "2023011000178", "nombre": "Fortalecimiento de la promoción y prevención en el Sistema "
     "General de Riesgos Laborales Nacional", "dependencia": "3300",
     "presupuesto": {2025: 2_500_000_000, 2026: 2_700_000_000}},
    {"bpin": "2023011000192", "nombre": "Desarrollo del Sistema Nacional de Cualificaciones y de la "
     "formación para el trabajo Nacional", "dependencia": "2100",
     "presupuesto": {2025: 3_200_000_000, 2026: 3_500_000_000}},
    {"bpin": "2023011000215", "nombre": "Implementación de estrategias para la generación de empleo, "
     "la formalización laboral y la protección al cesante Nacional", "dependencia": "2200",
     "presupuesto": {2025: 4_500_000_000, 2026: 5_200_000_000}},
    {"bpin": "2023011000241", "nombre": "Mejoramiento de la infraestructura física de las sedes de las "
     "Direcciones Territoriales del Ministerio del Trabajo Nacional", "dependencia": "4100",
     "presupuesto": {2025: 3_000_000_000, 2026: 3_400_000_000}},
]

# Plan Estratégico Sectorial 2023-2026
PES = {
    "nombre": "Plan Estratégico Sectorial 2023-2026 Sector Trabajo",
    "objetivos": [
        {"codigo": "OS1", "nombre": "Promover la generación de empleo, la formalización laboral y el "
         "trabajo digno y decente en todo el territorio nacional",
         "pnd": ["T2.L1.O1", "T2.L3.O1", "T5.L2.O1"], "mipg": ["P01", "P07"],
         "indicadores": [
            {"codigo": "OS1-I1", "nombre": "Tasa de formalidad laboral (cotizantes a pensiones sobre "
             "población ocupada)", "formula": "(Ocupados cotizantes a pensiones / Total de ocupados) * 100",
             "unidad": "PCT", "linea_base": 41.9, "metas": {2023: 42.5, 2024: 43.4, 2025: 44.3, 2026: 45.2},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "2200",
             "sinergia": True, "codigo_sinergia": "SIN-5321", "tipo_acumulacion": "stock"},
            {"codigo": "OS1-I2", "nombre": "Personas colocadas a través del Servicio Público de Empleo",
             "formula": "Sumatoria de personas colocadas a través de los prestadores del Servicio Público "
             "de Empleo en la vigencia", "unidad": "PER", "linea_base": 860_000,
             "metas": {2023: 900_000, 2024: 950_000, 2025: 1_000_000, 2026: 1_050_000},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "E04",
             "sinergia": True, "codigo_sinergia": "SIN-5334", "tipo_acumulacion": "flujo"},
            {"codigo": "OS1-I3", "nombre": "Beneficiarios del Mecanismo de Protección al Cesante",
             "formula": "Sumatoria de personas con beneficios del FOSFEC reconocidos en la vigencia",
             "unidad": "PER", "linea_base": 145_000,
             "metas": {2023: 150_000, 2024: 155_000, 2025: 160_000, 2026: 165_000},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "E03",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
        {"codigo": "OS2", "nombre": "Fortalecer la inspección, vigilancia y control del trabajo y la "
         "garantía de los derechos fundamentales en el trabajo",
         "pnd": ["T2.L1.O2", "T2.L1.O3"], "mipg": ["P01", "P09"],
         "indicadores": [
            {"codigo": "OS2-I1", "nombre": "Municipios con cobertura de inspección del trabajo "
             "(permanente o móvil)", "formula": "Número de municipios con al menos una actuación de "
             "inspección del trabajo en el año", "unidad": "MUN", "linea_base": 620,
             "metas": {2023: 680, 2024: 740, 2025: 800, 2026: 860},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "3200",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "stock"},
            {"codigo": "OS2-I2", "nombre": "Tasa de trabajo infantil",
             "formula": "(Niños, niñas y adolescentes de 5 a 17 años que trabajan / Población de 5 a 17 "
             "años) * 100", "unidad": "PCT", "linea_base": 5.9,
             "metas": {2023: 5.6, 2024: 5.3, 2025: 5.0, 2026: 4.7},
             "periodicidad": "anual", "tendencia": "decreciente", "responsable": "3100",
             "sinergia": True, "codigo_sinergia": "SIN-5347", "tipo_acumulacion": "reduccion"},
            {"codigo": "OS2-I3", "nombre": "Visitas de inspección, vigilancia y control realizadas en el "
             "cuatrienio", "formula": "Sumatoria acumulada de visitas de inspección realizadas desde 2023",
             "unidad": "VIS", "linea_base": 0, "metas": {2023: 15_000, 2024: 31_000, 2025: 48_000, 2026: 66_000},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "3200",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
         ]},
        {"codigo": "OS3", "nombre": "Ampliar la protección social de los trabajadores en la vejez y "
         "frente a los riesgos laborales", "pnd": ["T2.L2.O1", "T2.L2.O2", "T4.L1.O2"], "mipg": ["P01"],
         "indicadores": [
            {"codigo": "OS3-I1", "nombre": "Personas vinculadas al Servicio Social Complementario de "
             "Beneficios Económicos Periódicos (BEPS)", "formula": "Número de personas vinculadas a BEPS "
             "al cierre del periodo", "unidad": "PER", "linea_base": 1_950_000,
             "metas": {2023: 2_050_000, 2024: 2_150_000, 2025: 2_250_000, 2026: 2_350_000},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "E02",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "stock"},
            {"codigo": "OS3-I2", "nombre": "Tasa de accidentalidad laboral",
             "formula": "(Accidentes de trabajo calificados / Trabajadores afiliados al SGRL) * 100",
             "unidad": "PCT", "linea_base": 4.6, "metas": {2023: 4.5, 2024: 4.4, 2025: 4.3, 2026: 4.2},
             "periodicidad": "anual", "tendencia": "decreciente", "responsable": "3300",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "reduccion"},
            {"codigo": "OS3-I3", "nombre": "Trabajadores afiliados al Sistema General de Riesgos "
             "Laborales", "formula": "Número de trabajadores afiliados al SGRL al cierre del periodo",
             "unidad": "PER", "linea_base": 11_800_000,
             "metas": {2023: 12_100_000, 2024: 12_400_000, 2025: 12_700_000, 2026: 13_000_000},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "3300",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "stock"},
         ]},
        {"codigo": "OS4", "nombre": "Impulsar la formación para el trabajo, la economía popular y la "
         "economía solidaria como fuentes de ingreso y trabajo digno",
         "pnd": ["T2.L3.O2", "T4.L1.O1", "E2.L2.O1"], "mipg": ["P14", "P01"],
         "indicadores": [
            {"codigo": "OS4-I1", "nombre": "Personas matriculadas en formación profesional integral "
             "titulada del SENA", "formula": "Sumatoria de aprendices matriculados en programas de "
             "formación titulada en la vigencia", "unidad": "PER", "linea_base": 1_430_000,
             "metas": {2023: 1_480_000, 2024: 1_520_000, 2025: 1_560_000, 2026: 1_600_000},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "E01",
             "sinergia": True, "codigo_sinergia": "SIN-5362", "tipo_acumulacion": "flujo"},
            {"codigo": "OS4-I2", "nombre": "Organizaciones de la economía solidaria y popular "
             "fortalecidas", "formula": "Sumatoria acumulada de organizaciones fortalecidas desde 2023",
             "unidad": "NUM", "linea_base": 0, "metas": {2023: 1_200, 2024: 2_600, 2025: 4_200, 2026: 6_000},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "E05",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
            {"codigo": "OS4-I3", "nombre": "Cualificaciones diseñadas en el Marco Nacional de "
             "Cualificaciones", "formula": "Sumatoria acumulada de cualificaciones diseñadas desde 2023",
             "unidad": "NUM", "linea_base": 0, "metas": {2023: 8, 2024: 18, 2025: 28, 2026: 40},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "2100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
         ]},
        {"codigo": "OS5", "nombre": "Fortalecer la capacidad institucional y el desempeño de las "
         "entidades del Sector Trabajo", "pnd": ["T5.L1.O2", "T5.L1.O1"], "mipg": ["P01", "P16", "P11"],
         "indicadores": [
            {"codigo": "OS5-I1", "nombre": "Índice de Desempeño Institucional promedio del Sector Trabajo "
             "(FURAG)", "formula": "Promedio del Índice de Desempeño Institucional de las entidades del "
             "sector", "unidad": "PTS", "linea_base": 82.4,
             "metas": {2023: 83.5, 2024: 85.0, 2025: 86.5, 2026: 88.0},
             "periodicidad": "anual", "tendencia": "creciente", "responsable": "1100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "capacidad"},
            {"codigo": "OS5-I2", "nombre": "Porcentaje de ejecución presupuestal (compromisos) del "
             "Sector Trabajo", "formula": "(Compromisos del sector / Apropiación vigente del sector) * 100",
             "unidad": "PCT", "linea_base": 94.0, "metas": {2023: 95.0, 2024: 95.0, 2025: 95.0, 2026: 95.0},
             "periodicidad": "trimestral", "tendencia": "constante", "responsable": "4100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
    ],
}

# Plan Estratégico Institucional 2023-2026
PEI = {
    "nombre": "Plan Estratégico Institucional 2023-2026 Ministerio del Trabajo",
    "objetivos": [
        {"codigo": "OI1", "nombre": "Diseñar e implementar políticas de generación de empleo, "
         "formalización laboral y protección al cesante con enfoque diferencial",
         "pes": ["OS1"], "pnd": ["T2.L1.O1", "T2.L3.O1", "E2.L1.O1"], "mipg": ["P01"],
         "indicadores": [
            {"codigo": "OI1-I1", "nombre": "Empresas acompañadas en procesos de formalización laboral",
             "formula": "Sumatoria acumulada de empresas acompañadas desde 2023", "unidad": "NUM",
             "linea_base": 0, "metas": {2023: 1_000, 2024: 2_100, 2025: 3_300, 2026: 4_600},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "2200",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
            {"codigo": "OI1-I2", "nombre": "Jóvenes vinculados a prácticas laborales en el sector público "
             "(Estado Joven)", "formula": "Sumatoria de jóvenes vinculados en la vigencia", "unidad": "PER",
             "linea_base": 2_000, "metas": {2023: 2_200, 2024: 2_400, 2025: 2_500, 2026: 2_700},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "2200",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
        {"codigo": "OI2", "nombre": "Fortalecer la inspección, vigilancia y control del trabajo con "
         "presencia territorial, enfoque preventivo y uso de tecnologías",
         "pes": ["OS2"], "pnd": ["T2.L1.O2", "T5.L1.O1"], "mipg": ["P01", "P07"],
         "indicadores": [
            {"codigo": "OI2-I1", "nombre": "Visitas de inspección, vigilancia y control realizadas por las "
             "Direcciones Territoriales", "formula": "Sumatoria de visitas realizadas en la vigencia",
             "unidad": "VIS", "linea_base": 14_500,
             "metas": {2023: 15_000, 2024: 16_000, 2025: 17_000, 2026: 18_000},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "3200",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
            {"codigo": "OI2-I2", "nombre": "Porcentaje de actuaciones administrativas resueltas dentro "
             "del término legal", "formula": "(Actuaciones resueltas en término / Actuaciones que vencen "
             "en el periodo) * 100", "unidad": "PCT", "linea_base": 68.0,
             "metas": {2023: 72.0, 2024: 76.0, 2025: 80.0, 2026: 85.0},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "3200",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
        {"codigo": "OI3", "nombre": "Promover los derechos fundamentales del trabajo, el diálogo social y "
         "la erradicación del trabajo infantil", "pes": ["OS2"], "pnd": ["T2.L1.O3"], "mipg": ["P08", "P01"],
         "indicadores": [
            {"codigo": "OI3-I1", "nombre": "Municipios con la estrategia de prevención y erradicación del "
             "trabajo infantil implementada", "formula": "Sumatoria acumulada de municipios con la "
             "estrategia implementada desde 2023", "unidad": "MUN", "linea_base": 0,
             "metas": {2023: 50, 2024: 110, 2025: 170, 2026: 240},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "3100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
            {"codigo": "OI3-I2", "nombre": "Personas capacitadas en derechos fundamentales del trabajo y "
             "libertad sindical", "formula": "Sumatoria de personas capacitadas en la vigencia",
             "unidad": "PER", "linea_base": 6_500, "metas": {2023: 7_000, 2024: 7_500, 2025: 8_000, 2026: 8_500},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "3100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
        {"codigo": "OI4", "nombre": "Ampliar la protección para la vejez y fortalecer la seguridad y salud "
         "en el trabajo", "pes": ["OS3"], "pnd": ["T2.L2.O1", "T2.L2.O2"], "mipg": ["P01", "P17"],
         "indicadores": [
            {"codigo": "OI4-I1", "nombre": "Empresas asistidas técnicamente en el Sistema de Gestión de "
             "Seguridad y Salud en el Trabajo", "formula": "Sumatoria de empresas asistidas en la vigencia",
             "unidad": "NUM", "linea_base": 1_200, "metas": {2023: 1_300, 2024: 1_400, 2025: 1_500, 2026: 1_600},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "3300",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
            {"codigo": "OI4-I2", "nombre": "Instrumentos normativos de la reforma pensional "
             "reglamentados", "formula": "Sumatoria acumulada de decretos y resoluciones expedidos",
             "unidad": "DOC", "linea_base": 0, "metas": {2023: 0, 2024: 2, 2025: 6, 2026: 9},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "2300",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
         ]},
        {"codigo": "OI5", "nombre": "Fortalecer la formación para el trabajo, la certificación de "
         "competencias y la movilidad laboral",
         "pes": ["OS4"], "pnd": ["T2.L3.O2", "E2.L2.O1", "T4.L1.O1"], "mipg": ["P14"],
         "indicadores": [
            {"codigo": "OI5-I1", "nombre": "Cualificaciones del Marco Nacional de Cualificaciones "
             "diseñadas", "formula": "Sumatoria de cualificaciones diseñadas en la vigencia",
             "unidad": "NUM", "linea_base": 6, "metas": {2023: 8, 2024: 10, 2025: 10, 2026: 12},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "2100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
            {"codigo": "OI5-I2", "nombre": "Trabajadores de la economía popular con competencias "
             "laborales certificadas", "formula": "Sumatoria de personas certificadas en la vigencia",
             "unidad": "PER", "linea_base": 1_500, "metas": {2023: 2_000, 2024: 2_500, 2025: 3_000, 2026: 3_500},
             "periodicidad": "trimestral", "tendencia": "creciente", "responsable": "2100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
        {"codigo": "OI6", "nombre": "Consolidar una gestión institucional eficiente, transparente y "
         "digital, orientada a resultados y al servicio de la ciudadanía",
         "pes": ["OS5"], "pnd": ["T5.L1.O2"], "mipg": ["P01", "P11", "P16", "P19"],
         "indicadores": [
            {"codigo": "OI6-I1", "nombre": "Índice de Desempeño Institucional del Ministerio del Trabajo "
             "(FURAG)", "formula": "Puntaje del Índice de Desempeño Institucional reportado por el DAFP",
             "unidad": "PTS", "linea_base": 84.1, "metas": {2023: 85.0, 2024: 86.5, 2025: 88.0, 2026: 90.0},
             "periodicidad": "anual", "tendencia": "creciente", "responsable": "1100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "capacidad"},
            {"codigo": "OI6-I2", "nombre": "Porcentaje de avance del Plan Estratégico de Tecnologías de "
             "la Información (PETI)", "formula": "(Proyectos del PETI ejecutados / Proyectos del PETI "
             "programados en el cuatrienio) * 100", "unidad": "PCT", "linea_base": 0.0,
             "metas": {2023: 20.0, 2024: 45.0, 2025: 75.0, 2026: 100.0},
             "periodicidad": "semestral", "tendencia": "creciente", "responsable": "1400",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "acumulado"},
            {"codigo": "OI6-I3", "nombre": "Porcentaje de ejecución presupuestal (compromisos) del "
             "Ministerio", "formula": "(Compromisos / Apropiación vigente) * 100", "unidad": "PCT",
             "linea_base": 93.5, "metas": {2023: 95.0, 2024: 95.0, 2025: 95.0, 2026: 95.0},
             "periodicidad": "trimestral", "tendencia": "constante", "responsable": "4100",
             "sinergia": False, "codigo_sinergia": None, "tipo_acumulacion": "flujo"},
         ]},
    ],
}

# Planes de Acción por dependencia (vigencias 2025 y 2026)
PLANES_ACCION = {
    2025: {
        "1100": [
            {"codigo": "A1", "descripcion": "Consolidar y publicar el Plan de Acción Institucional 2025 "
             "integrado a los planes institucionales del Decreto 612 de 2018",
             "objetivo_pei": "OI6", "mipg": "P01", "indicador": "Plan de Acción Institucional publicado",
             "formula": "Número de documentos publicados en la sede electrónica", "unidad": "DOC",
             "meta_anual": 1, "metas_trimestre": [1, 0, 0, 0], "peso": 30,
             "inicio": "2025-01-02", "fin": "2025-01-31", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Planeación Estratégica", "territorial": False},
            {"codigo": "A2", "descripcion": "Realizar el seguimiento trimestral a los planes de acción de "
             "las dependencias y presentar los informes al Comité Institucional de Gestión y Desempeño",
             "objetivo_pei": "OI6", "mipg": "P16", "indicador": "Informes de seguimiento presentados",
             "formula": "Número de informes trimestrales presentados", "unidad": "INF",
             "meta_anual": 4, "metas_trimestre": [1, 1, 1, 1], "peso": 40,
             "inicio": "2025-01-15", "fin": "2025-12-31", "presupuesto": 180_000_000,
             "proyecto": "2023011000063", "responsable": "Grupo de Seguimiento y Evaluación",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Acompañar a las dependencias en la implementación de las "
             "políticas de MIPG y en el reporte del FURAG",
             "objetivo_pei": "OI6", "mipg": "P16", "indicador": "Porcentaje de avance del plan de "
             "acompañamiento MIPG", "formula": "(Acompañamientos realizados / Acompañamientos "
             "programados) * 100", "unidad": "PCT",
             "meta_anual": 100, "metas_trimestre": [20, 30, 30, 20], "peso": 30,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 220_000_000,
             "proyecto": "2023011000063", "responsable": "Grupo de Planeación Estratégica", "territorial": False},
        ],
        "1400": [
            {"codigo": "A1", "descripcion": "Ejecutar los proyectos de la vigencia 2025 del Plan "
             "Estratégico de Tecnologías de la Información (PETI)",
             "objetivo_pei": "OI6", "mipg": "P11", "indicador": "Porcentaje de avance del PETI 2025",
             "formula": "(Actividades del PETI ejecutadas / Actividades programadas) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [15, 25, 30, 30], "peso": 40,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 2_800_000_000,
             "proyecto": "2023011000087", "responsable": "Grupo de Arquitectura y Gobierno de TI",
             "territorial": False},
            {"codigo": "A2", "descripcion": "Implementar el Plan de Seguridad y Privacidad de la "
             "Información y el Plan de Tratamiento de Riesgos de Seguridad Digital",
             "objetivo_pei": "OI6", "mipg": "P12", "indicador": "Porcentaje de ejecución del plan de "
             "seguridad", "formula": "(Controles implementados / Controles programados) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [20, 25, 30, 25], "peso": 35,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 950_000_000,
             "proyecto": "2023011000087", "responsable": "Grupo de Seguridad de la Información",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Integrar trámites y servicios del Ministerio al Portal Único "
             "del Estado Colombiano GOV.CO",
             "objetivo_pei": "OI6", "mipg": "P09", "indicador": "Trámites integrados a GOV.CO",
             "formula": "Número de trámites integrados", "unidad": "NUM",
             "meta_anual": 6, "metas_trimestre": [1, 2, 2, 1], "peso": 25,
             "inicio": "2025-02-15", "fin": "2025-12-15", "presupuesto": 600_000_000,
             "proyecto": "2023011000087", "responsable": "Grupo de Sistemas de Información", "territorial": False},
        ],
        "2100": [
            {"codigo": "A1", "descripcion": "Diseñar cualificaciones del Marco Nacional de Cualificaciones "
             "para sectores productivos priorizados",
             "objetivo_pei": "OI5", "mipg": "P14", "indicador": "Cualificaciones diseñadas",
             "formula": "Número de cualificaciones diseñadas y aprobadas", "unidad": "NUM",
             "meta_anual": 10, "metas_trimestre": [0, 3, 4, 3], "peso": 40,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 1_400_000_000,
             "proyecto": "2023011000192", "responsable": "Grupo del Sistema Nacional de Cualificaciones",
             "territorial": False},
            {"codigo": "A2", "descripcion": "Brindar asistencia técnica a entidades territoriales en la "
             "implementación de la política de formación para el trabajo",
             "objetivo_pei": "OI5", "mipg": "P01", "indicador": "Municipios asistidos técnicamente",
             "formula": "Número de municipios con asistencia técnica realizada", "unidad": "MUN",
             "meta_anual": 40, "metas_trimestre": [5, 12, 13, 10], "peso": 30,
             "inicio": "2025-02-15", "fin": "2025-12-10", "presupuesto": 500_000_000,
             "proyecto": "2023011000192", "responsable": "Grupo de Formación para el Trabajo",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Certificar competencias laborales de trabajadores de la "
             "economía popular", "objetivo_pei": "OI5", "mipg": "P14", "indicador": "Personas certificadas",
             "formula": "Número de personas con certificación de competencias", "unidad": "PER",
             "meta_anual": 3_000, "metas_trimestre": [300, 900, 1_000, 800], "peso": 30,
             "inicio": "2025-03-01", "fin": "2025-12-15", "presupuesto": 900_000_000,
             "proyecto": "2023011000192", "responsable": "Grupo de Formación para el Trabajo",
             "territorial": False},
        ],
        "2200": [
            {"codigo": "A1", "descripcion": "Acompañar a empresas en procesos de formalización laboral a "
             "través de la Red Nacional de Formalización Laboral",
             "objetivo_pei": "OI1", "mipg": "P07", "indicador": "Empresas acompañadas",
             "formula": "Número de empresas acompañadas en la vigencia", "unidad": "NUM",
             "meta_anual": 1_200, "metas_trimestre": [200, 350, 400, 250], "peso": 40,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 1_600_000_000,
             "proyecto": "2023011000215", "responsable": "Grupo de Formalización Laboral", "territorial": False},
            {"codigo": "A2", "descripcion": "Vincular jóvenes a prácticas laborales en entidades públicas "
             "mediante el programa Estado Joven",
             "objetivo_pei": "OI1", "mipg": "P01", "indicador": "Jóvenes vinculados a prácticas",
             "formula": "Número de jóvenes vinculados", "unidad": "PER",
             "meta_anual": 2_500, "metas_trimestre": [0, 800, 1_200, 500], "peso": 35,
             "inicio": "2025-02-15", "fin": "2025-12-15", "presupuesto": 2_400_000_000,
             "proyecto": "2023011000215", "responsable": "Grupo de Empleo para Poblaciones Vulnerables",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Formular lineamientos para el reconocimiento de la economía "
             "popular y comunitaria en la política de empleo",
             "objetivo_pei": "OI1", "mipg": "P17", "indicador": "Documento de lineamientos formulado",
             "formula": "Número de documentos formulados", "unidad": "DOC",
             "meta_anual": 1, "metas_trimestre": [0, 0, 1, 0], "peso": 25,
             "inicio": "2025-03-01", "fin": "2025-09-30", "presupuesto": 300_000_000,
             "proyecto": "2023011000215", "responsable": "Grupo de Formalización Laboral", "territorial": False},
        ],
        "3100": [
            {"codigo": "A1", "descripcion": "Implementar la Estrategia Nacional para la Prevención y "
             "Erradicación del Trabajo Infantil en municipios priorizados",
             "objetivo_pei": "OI3", "mipg": "P01", "indicador": "Municipios con la estrategia implementada",
             "formula": "Número de municipios con plan de acción de la estrategia en ejecución",
             "unidad": "MUN", "meta_anual": 60, "metas_trimestre": [10, 15, 20, 15], "peso": 40,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 1_100_000_000,
             "proyecto": "2023011000156", "responsable": "Grupo de Erradicación del Trabajo Infantil",
             "territorial": False},
            {"codigo": "A2", "descripcion": "Realizar las sesiones de la Comisión Permanente de "
             "Concertación de Políticas Salariales y Laborales y de sus subcomisiones departamentales",
             "objetivo_pei": "OI3", "mipg": "P08", "indicador": "Sesiones de concertación realizadas",
             "formula": "Número de sesiones realizadas", "unidad": "NUM",
             "meta_anual": 48, "metas_trimestre": [12, 12, 12, 12], "peso": 30,
             "inicio": "2025-01-15", "fin": "2025-12-20", "presupuesto": 400_000_000,
             "proyecto": "2023011000156", "responsable": "Grupo de Diálogo Social y Concertación",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Capacitar a trabajadores, empleadores y organizaciones "
             "sindicales en derechos fundamentales del trabajo y libertad sindical",
             "objetivo_pei": "OI3", "mipg": "P08", "indicador": "Personas capacitadas",
             "formula": "Número de personas capacitadas", "unidad": "PER",
             "meta_anual": 8_000, "metas_trimestre": [1_500, 2_500, 2_500, 1_500], "peso": 30,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 600_000_000,
             "proyecto": "2023011000156", "responsable": "Grupo de Diálogo Social y Concertación",
             "territorial": False},
        ],
        "3200": [
            {"codigo": "A1", "descripcion": "Desarrollar jornadas de inspección móvil en municipios sin "
             "presencia permanente de inspectores del trabajo",
             "objetivo_pei": "OI2", "mipg": "P07", "indicador": "Municipios atendidos con inspección móvil",
             "formula": "Número de municipios atendidos", "unidad": "MUN",
             "meta_anual": 120, "metas_trimestre": [20, 35, 40, 25], "peso": 25,
             "inicio": "2025-02-01", "fin": "2025-12-10", "presupuesto": 3_500_000_000,
             "proyecto": "2023011000134", "responsable": "Grupo de Gestión Territorial", "territorial": False},
            {"codigo": "A2", "descripcion": "Realizar visitas de inspección, vigilancia y control de "
             "carácter preventivo y reactivo a través de las Direcciones Territoriales",
             "objetivo_pei": "OI2", "mipg": "P01", "indicador": "Visitas de inspección realizadas",
             "formula": "Número de visitas de inspección realizadas", "unidad": "VIS",
             "meta_anual": 5_275, "metas_trimestre": [1_220, 1_455, 1_455, 1_145], "peso": 35,
             "inicio": "2025-01-15", "fin": "2025-12-15", "presupuesto": 9_000_000_000,
             "proyecto": "2023011000134", "responsable": "Direcciones Territoriales", "territorial": True},
            {"codigo": "A3", "descripcion": "Resolver las actuaciones administrativas sancionatorias y "
             "querellas laborales dentro de los términos legales",
             "objetivo_pei": "OI2", "mipg": "P13", "indicador": "Actuaciones administrativas resueltas",
             "formula": "Número de actuaciones resueltas en término", "unidad": "NUM",
             "meta_anual": 9_000, "metas_trimestre": [2_000, 2_500, 2_500, 2_000], "peso": 20,
             "inicio": "2025-01-15", "fin": "2025-12-20", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Prevención, Inspección, Vigilancia y Control", "territorial": False},
            {"codigo": "A4", "descripcion": "Implementar el módulo de gestión de casos del Sistema de "
             "Información de Inspección del Trabajo",
             "objetivo_pei": "OI2", "mipg": "P11", "indicador": "Porcentaje de avance de la implementación",
             "formula": "(Hitos cumplidos / Hitos programados) * 100", "unidad": "PCT",
             "meta_anual": 100, "metas_trimestre": [10, 30, 30, 30], "peso": 20,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 2_800_000_000,
             "proyecto": "2023011000134", "responsable": "Grupo de Gestión Territorial", "territorial": False},
        ],
        "3300": [
            {"codigo": "A1", "descripcion": "Brindar asistencia técnica a empresas en la implementación "
             "del Sistema de Gestión de Seguridad y Salud en el Trabajo (SG-SST)",
             "objetivo_pei": "OI4", "mipg": "P01", "indicador": "Empresas asistidas técnicamente",
             "formula": "Número de empresas asistidas", "unidad": "NUM",
             "meta_anual": 1_500, "metas_trimestre": [250, 450, 500, 300], "peso": 45,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 1_200_000_000,
             "proyecto": "2023011000178", "responsable": "Grupo de Promoción y Prevención", "territorial": False},
            {"codigo": "A2", "descripcion": "Desarrollar campañas de promoción de la afiliación al Sistema "
             "General de Riesgos Laborales de trabajadores independientes e informales",
             "objetivo_pei": "OI4", "mipg": "P08", "indicador": "Personas sensibilizadas",
             "formula": "Número de personas alcanzadas por las campañas", "unidad": "PER",
             "meta_anual": 20_000, "metas_trimestre": [3_000, 6_000, 7_000, 4_000], "peso": 30,
             "inicio": "2025-03-01", "fin": "2025-12-15", "presupuesto": 800_000_000,
             "proyecto": "2023011000178", "responsable": "Grupo de Promoción y Prevención", "territorial": False},
            {"codigo": "A3", "descripcion": "Elaborar la propuesta de actualización de la tabla de "
             "enfermedades laborales (Decreto 1477 de 2014)",
             "objetivo_pei": "OI4", "mipg": "P17", "indicador": "Propuesta normativa elaborada",
             "formula": "Número de documentos de propuesta normativa", "unidad": "DOC",
             "meta_anual": 1, "metas_trimestre": [0, 0, 0, 1], "peso": 25,
             "inicio": "2025-03-01", "fin": "2025-12-15", "presupuesto": 250_000_000,
             "proyecto": "2023011000178", "responsable": "Grupo de Normatividad en Riesgos Laborales",
             "territorial": False},
        ],
        "4100": [
            {"codigo": "A1", "descripcion": "Ejecutar el Plan Anual de Adquisiciones de la vigencia",
             "objetivo_pei": "OI6", "mipg": "P19", "indicador": "Porcentaje de ejecución del Plan Anual "
             "de Adquisiciones", "formula": "(Procesos adjudicados / Procesos programados) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [20, 30, 30, 20], "peso": 35,
             "inicio": "2025-01-15", "fin": "2025-12-15", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Contratos", "territorial": False},
            {"codigo": "A2", "descripcion": "Adecuar las sedes de las Direcciones Territoriales priorizadas",
             "objetivo_pei": "OI6", "mipg": "P07", "indicador": "Sedes territoriales adecuadas",
             "formula": "Número de sedes con obra recibida a satisfacción", "unidad": "NUM",
             "meta_anual": 4, "metas_trimestre": [0, 1, 2, 1], "peso": 40,
             "inicio": "2025-03-01", "fin": "2025-12-15", "presupuesto": 2_600_000_000,
             "proyecto": "2023011000241", "responsable": "Grupo de Gestión Administrativa", "territorial": False},
            {"codigo": "A3", "descripcion": "Implementar el Programa de Gestión Documental y aplicar las "
             "tablas de retención documental",
             "objetivo_pei": "OI6", "mipg": "P10", "indicador": "Porcentaje de avance del Programa de "
             "Gestión Documental", "formula": "(Actividades ejecutadas / Actividades programadas) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [20, 25, 30, 25], "peso": 25,
             "inicio": "2025-02-01", "fin": "2025-12-15", "presupuesto": 400_000_000, "proyecto": None,
             "responsable": "Grupo de Gestión Documental", "territorial": False},
        ],
    },
    2026: {
        "1100": [
            {"codigo": "A1", "descripcion": "Consolidar y publicar el Plan de Acción Institucional 2026 "
             "integrado a los planes institucionales del Decreto 612 de 2018",
             "objetivo_pei": "OI6", "mipg": "P01", "indicador": "Plan de Acción Institucional publicado",
             "formula": "Número de documentos publicados en la sede electrónica", "unidad": "DOC",
             "meta_anual": 1, "metas_trimestre": [1, 0, 0, 0], "peso": 30,
             "inicio": "2026-01-02", "fin": "2026-01-31", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Planeación Estratégica", "territorial": False,
             "planes": ["PAAC"]},
            {"codigo": "A2", "descripcion": "Realizar el seguimiento trimestral a los planes de acción de "
             "las dependencias y presentar los informes al Comité Institucional de Gestión y Desempeño",
             "objetivo_pei": "OI6", "mipg": "P16", "indicador": "Informes de seguimiento presentados",
             "formula": "Número de informes trimestrales presentados", "unidad": "INF",
             "meta_anual": 4, "metas_trimestre": [1, 1, 1, 1], "peso": 35,
             "inicio": "2026-01-15", "fin": "2026-12-31", "presupuesto": 200_000_000,
             "proyecto": "2023011000063", "responsable": "Grupo de Seguimiento y Evaluación",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Elaborar el balance de resultados del cuatrienio 2023-2026 y "
             "el informe de empalme del PES y del PEI",
             "objetivo_pei": "OI6", "mipg": "P16", "indicador": "Informe de balance y empalme elaborado",
             "formula": "Número de informes elaborados", "unidad": "INF",
             "meta_anual": 1, "metas_trimestre": [0, 1, 0, 0], "peso": 35,
             "inicio": "2026-02-01", "fin": "2026-06-30", "presupuesto": 350_000_000,
             "proyecto": "2023011000063", "responsable": "Grupo de Seguimiento y Evaluación",
             "territorial": False},
        ],
        "1400": [
            {"codigo": "A1", "descripcion": "Ejecutar los proyectos de cierre del Plan Estratégico de "
             "Tecnologías de la Información (PETI) 2023-2026",
             "objetivo_pei": "OI6", "mipg": "P11", "indicador": "Porcentaje de avance del PETI 2026",
             "formula": "(Actividades del PETI ejecutadas / Actividades programadas) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [20, 25, 30, 25], "peso": 40,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 3_100_000_000,
             "proyecto": "2023011000087", "responsable": "Grupo de Arquitectura y Gobierno de TI",
             "territorial": False,
             "planes": ["PETI"]},
            {"codigo": "A2", "descripcion": "Implementar el Plan de Seguridad y Privacidad de la "
             "Información y el Plan de Tratamiento de Riesgos de Seguridad Digital",
             "objetivo_pei": "OI6", "mipg": "P12", "indicador": "Porcentaje de ejecución del plan de "
             "seguridad", "formula": "(Controles implementados / Controles programados) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [20, 25, 30, 25], "peso": 30,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 1_100_000_000,
             "proyecto": "2023011000087", "responsable": "Grupo de Seguridad de la Información",
             "territorial": False,
             "planes": ["PSPI", "PTRSPI"]},
            # Decreciente: menos horas es mejor; desde las 20 de la línea base, cada trimestre el promedio al que
            # debe bajar (un nivel: vale el del último trimestre reportado).
            {"codigo": "A3", "descripcion": "Reducir a 8 horas el tiempo de solución de los incidentes de la "
             "mesa de servicios tecnológicos", "tendencia": "decreciente", "linea_base": 20,
             "tipo_acumulacion": "stock",
             "objetivo_pei": "OI6", "mipg": "P11", "indicador": "Tiempo promedio de solución de incidentes",
             "formula": "Horas entre el registro y la solución / Número de incidentes solucionados",
             "unidad": "NUM", "meta_anual": 8, "metas_trimestre": [16, 12, 10, 8], "peso": 30,
             "inicio": "2026-02-15", "fin": "2026-12-15", "presupuesto": 900_000_000,
             "proyecto": "2023011000087", "responsable": "Grupo de Sistemas de Información", "territorial": False},
        ],
        "2100": [
            {"codigo": "A1", "descripcion": "Diseñar cualificaciones del Marco Nacional de Cualificaciones "
             "para sectores de la transición energética y la economía del cuidado",
             "objetivo_pei": "OI5", "mipg": "P14", "indicador": "Cualificaciones diseñadas",
             "formula": "Número de cualificaciones diseñadas y aprobadas", "unidad": "NUM",
             "meta_anual": 12, "metas_trimestre": [0, 4, 4, 4], "peso": 40,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 1_600_000_000,
             "proyecto": "2023011000192", "responsable": "Grupo del Sistema Nacional de Cualificaciones",
             "territorial": False},
            {"codigo": "A2", "descripcion": "Certificar competencias laborales de trabajadores de la "
             "economía popular", "objetivo_pei": "OI5", "mipg": "P14", "indicador": "Personas certificadas",
             "formula": "Número de personas con certificación de competencias", "unidad": "PER",
             "meta_anual": 3_500, "metas_trimestre": [400, 1_000, 1_200, 900], "peso": 35,
             "inicio": "2026-03-01", "fin": "2026-12-15", "presupuesto": 1_100_000_000,
             "proyecto": "2023011000192", "responsable": "Grupo de Formación para el Trabajo",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Brindar asistencia técnica a entidades territoriales en la "
             "implementación de la política de formación para el trabajo",
             "objetivo_pei": "OI5", "mipg": "P01", "indicador": "Municipios asistidos técnicamente",
             "formula": "Número de municipios con asistencia técnica realizada", "unidad": "MUN",
             "meta_anual": 45, "metas_trimestre": [5, 15, 15, 10], "peso": 25,
             "inicio": "2026-02-15", "fin": "2026-12-10", "presupuesto": 550_000_000,
             "proyecto": "2023011000192", "responsable": "Grupo de Formación para el Trabajo",
             "territorial": False},
        ],
        "2200": [
            {"codigo": "A1", "descripcion": "Acompañar a empresas en procesos de formalización laboral a "
             "través de la Red Nacional de Formalización Laboral",
             "objetivo_pei": "OI1", "mipg": "P07", "indicador": "Empresas acompañadas",
             "formula": "Número de empresas acompañadas en la vigencia", "unidad": "NUM",
             "meta_anual": 1_300, "metas_trimestre": [250, 400, 400, 250], "peso": 40,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 1_900_000_000,
             "proyecto": "2023011000215", "responsable": "Grupo de Formalización Laboral", "territorial": False},
            {"codigo": "A2", "descripcion": "Vincular jóvenes a prácticas laborales en entidades públicas "
             "mediante el programa Estado Joven",
             "objetivo_pei": "OI1", "mipg": "P01", "indicador": "Jóvenes vinculados a prácticas",
             "formula": "Número de jóvenes vinculados", "unidad": "PER",
             "meta_anual": 2_700, "metas_trimestre": [0, 900, 1_300, 500], "peso": 35,
             "inicio": "2026-02-15", "fin": "2026-12-15", "presupuesto": 2_800_000_000,
             "proyecto": "2023011000215", "responsable": "Grupo de Empleo para Poblaciones Vulnerables",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Implementar la ruta de empleabilidad para mujeres cuidadoras "
             "en articulación con el Sistema Nacional de Cuidado",
             "objetivo_pei": "OI1", "mipg": "P08", "indicador": "Mujeres vinculadas a la ruta",
             "formula": "Número de mujeres que completan la ruta de empleabilidad", "unidad": "PER",
             "meta_anual": 1_500, "metas_trimestre": [0, 400, 600, 500], "peso": 25,
             "inicio": "2026-03-01", "fin": "2026-12-15", "presupuesto": 450_000_000,
             "proyecto": "2023011000215", "responsable": "Grupo de Empleo para Poblaciones Vulnerables",
             "territorial": False},
        ],
        "3100": [
            {"codigo": "A1", "descripcion": "Implementar la Estrategia Nacional para la Prevención y "
             "Erradicación del Trabajo Infantil en municipios priorizados",
             "objetivo_pei": "OI3", "mipg": "P01", "indicador": "Municipios con la estrategia implementada",
             "formula": "Número de municipios con plan de acción de la estrategia en ejecución",
             "unidad": "MUN", "meta_anual": 70, "metas_trimestre": [10, 20, 25, 15], "peso": 35,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 1_200_000_000,
             "proyecto": "2023011000156", "responsable": "Grupo de Erradicación del Trabajo Infantil",
             "territorial": False},
            {"codigo": "A2", "descripcion": "Realizar las sesiones de la Comisión Permanente de "
             "Concertación de Políticas Salariales y Laborales y de sus subcomisiones departamentales",
             "objetivo_pei": "OI3", "mipg": "P08", "indicador": "Sesiones de concertación realizadas",
             "formula": "Número de sesiones realizadas", "unidad": "NUM",
             "meta_anual": 52, "metas_trimestre": [13, 13, 13, 13], "peso": 30,
             "inicio": "2026-01-15", "fin": "2026-12-20", "presupuesto": 450_000_000,
             "proyecto": "2023011000156", "responsable": "Grupo de Diálogo Social y Concertación",
             "territorial": False},
            {"codigo": "A3", "descripcion": "Capacitar a trabajadores, empleadores y organizaciones "
             "sindicales en derechos fundamentales del trabajo y libertad sindical",
             "objetivo_pei": "OI3", "mipg": "P08", "indicador": "Personas capacitadas",
             "formula": "Número de personas capacitadas", "unidad": "PER",
             "meta_anual": 8_500, "metas_trimestre": [1_500, 2_700, 2_700, 1_600], "peso": 35,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 650_000_000,
             "proyecto": "2023011000156", "responsable": "Grupo de Diálogo Social y Concertación",
             "territorial": False},
        ],
        "3200": [
            {"codigo": "A1", "descripcion": "Desarrollar jornadas de inspección móvil en municipios sin "
             "presencia permanente de inspectores del trabajo",
             "objetivo_pei": "OI2", "mipg": "P07", "indicador": "Municipios atendidos con inspección móvil",
             "formula": "Número de municipios atendidos", "unidad": "MUN",
             "meta_anual": 140, "metas_trimestre": [25, 40, 45, 30], "peso": 25,
             "inicio": "2026-02-01", "fin": "2026-12-10", "presupuesto": 3_800_000_000,
             "proyecto": "2023011000134", "responsable": "Grupo de Gestión Territorial", "territorial": False},
            {"codigo": "A2", "descripcion": "Realizar visitas de inspección, vigilancia y control de "
             "carácter preventivo y reactivo a través de las Direcciones Territoriales",
             "objetivo_pei": "OI2", "mipg": "P01", "indicador": "Visitas de inspección realizadas",
             "formula": "Número de visitas de inspección realizadas", "unidad": "VIS",
             "meta_anual": 5_775, "metas_trimestre": [1_335, 1_590, 1_590, 1_260], "peso": 40,
             "inicio": "2026-01-15", "fin": "2026-12-15", "presupuesto": 10_000_000_000,
             "proyecto": "2023011000134", "responsable": "Direcciones Territoriales", "territorial": True},
            {"codigo": "A3", "descripcion": "Resolver las actuaciones administrativas sancionatorias y "
             "querellas laborales dentro de los términos legales",
             "objetivo_pei": "OI2", "mipg": "P13", "indicador": "Actuaciones administrativas resueltas",
             "formula": "Número de actuaciones resueltas en término", "unidad": "NUM",
             "meta_anual": 9_600, "metas_trimestre": [2_100, 2_700, 2_700, 2_100], "peso": 20,
             "inicio": "2026-01-15", "fin": "2026-12-20", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Prevención, Inspección, Vigilancia y Control", "territorial": False},
            {"codigo": "A4", "descripcion": "Formar a los inspectores del trabajo en el nuevo régimen "
             "laboral y en el procedimiento administrativo sancionatorio",
             "objetivo_pei": "OI2", "mipg": "P14", "indicador": "Inspectores formados",
             "formula": "Número de inspectores que aprueban el programa de formación", "unidad": "PER",
             "meta_anual": 600, "metas_trimestre": [100, 200, 200, 100], "peso": 15,
             "inicio": "2026-02-15", "fin": "2026-11-30", "presupuesto": 1_200_000_000,
             "proyecto": "2023011000134", "responsable": "Grupo de Gestión Territorial", "territorial": False},
        ],
        "3300": [
            {"codigo": "A1", "descripcion": "Brindar asistencia técnica a empresas en la implementación "
             "del Sistema de Gestión de Seguridad y Salud en el Trabajo (SG-SST)",
             "objetivo_pei": "OI4", "mipg": "P01", "indicador": "Empresas asistidas técnicamente",
             "formula": "Número de empresas asistidas", "unidad": "NUM",
             "meta_anual": 1_600, "metas_trimestre": [300, 450, 500, 350], "peso": 40,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 1_300_000_000,
             "proyecto": "2023011000178", "responsable": "Grupo de Promoción y Prevención", "territorial": False},
            {"codigo": "A2", "descripcion": "Desarrollar campañas de promoción de la afiliación al Sistema "
             "General de Riesgos Laborales de trabajadores independientes e informales",
             "objetivo_pei": "OI4", "mipg": "P08", "indicador": "Personas sensibilizadas",
             "formula": "Número de personas alcanzadas por las campañas", "unidad": "PER",
             "meta_anual": 22_000, "metas_trimestre": [3_500, 6_500, 7_500, 4_500], "peso": 30,
             "inicio": "2026-03-01", "fin": "2026-12-15", "presupuesto": 900_000_000,
             "proyecto": "2023011000178", "responsable": "Grupo de Promoción y Prevención", "territorial": False},
            {"codigo": "A3", "descripcion": "Realizar el seguimiento a la gestión de los recursos del Fondo "
             "de Riesgos Laborales",
             "objetivo_pei": "OI4", "mipg": "P02", "indicador": "Informes de seguimiento elaborados",
             "formula": "Número de informes trimestrales", "unidad": "INF",
             "meta_anual": 4, "metas_trimestre": [1, 1, 1, 1], "peso": 30,
             "inicio": "2026-01-15", "fin": "2026-12-31", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo del Fondo de Riesgos Laborales", "territorial": False},
        ],
        "4100": [
            {"codigo": "A1", "descripcion": "Ejecutar el Plan Anual de Adquisiciones de la vigencia",
             "objetivo_pei": "OI6", "mipg": "P19", "indicador": "Porcentaje de ejecución del Plan Anual "
             "de Adquisiciones", "formula": "(Procesos adjudicados / Procesos programados) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [25, 30, 30, 15], "peso": 35,
             "inicio": "2026-01-15", "fin": "2026-12-15", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Contratos", "territorial": False,
             "planes": ["PAA"]},
            {"codigo": "A2", "descripcion": "Adecuar las sedes de las Direcciones Territoriales priorizadas",
             "objetivo_pei": "OI6", "mipg": "P07", "indicador": "Sedes territoriales adecuadas",
             "formula": "Número de sedes con obra recibida a satisfacción", "unidad": "NUM",
             "meta_anual": 5, "metas_trimestre": [0, 1, 2, 2], "peso": 40,
             "inicio": "2026-03-01", "fin": "2026-12-15", "presupuesto": 3_200_000_000,
             "proyecto": "2023011000241", "responsable": "Grupo de Gestión Administrativa", "territorial": False},
            {"codigo": "A3", "descripcion": "Intervenir el fondo documental acumulado de las Direcciones "
             "Territoriales conforme a las tablas de valoración documental",
             "objetivo_pei": "OI6", "mipg": "P10", "indicador": "Metros lineales de archivo intervenidos",
             "formula": "Número de metros lineales intervenidos", "unidad": "NUM",
             "meta_anual": 800, "metas_trimestre": [100, 250, 250, 200], "peso": 25,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 450_000_000, "proyecto": None,
             "responsable": "Grupo de Gestión Documental", "territorial": False,
             "planes": ["PINAR"]},
        ],
        # La Subdirección de Gestión del Talento Humano integra sus planes del Decreto 612 (numerales 3 a 8).
        "4200": [
            {"codigo": "A1", "descripcion": "Ejecutar el Plan Estratégico de Talento Humano con el Plan Anual de "
             "Vacantes y el Plan de Previsión de Recursos Humanos",
             "objetivo_pei": "OI6", "mipg": "P03", "indicador": "Porcentaje de ejecución del Plan Estratégico "
             "de Talento Humano", "formula": "(Actividades ejecutadas / Actividades programadas) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [20, 30, 30, 20], "peso": 40,
             "inicio": "2026-01-15", "fin": "2026-12-15", "presupuesto": 0, "proyecto": None,
             "responsable": "Grupo de Gestión del Talento Humano", "territorial": False,
             "planes": ["PETH", "PAV", "PPRH"]},
            {"codigo": "A2", "descripcion": "Ejecutar el Plan Institucional de Capacitación y el Plan de "
             "Incentivos Institucionales",
             "objetivo_pei": "OI6", "mipg": "P03", "indicador": "Servidores capacitados",
             "formula": "Número de servidores que terminan una acción de capacitación", "unidad": "NUM",
             "meta_anual": 900, "metas_trimestre": [150, 300, 300, 150], "peso": 35,
             "inicio": "2026-02-01", "fin": "2026-12-15", "presupuesto": 380_000_000, "proyecto": None,
             "responsable": "Grupo de Gestión del Talento Humano", "territorial": False,
             "planes": ["PIC", "PII"]},
            {"codigo": "A3", "descripcion": "Ejecutar el Plan de Trabajo Anual en Seguridad y Salud en el "
             "Trabajo en la sede central y las Direcciones Territoriales",
             "objetivo_pei": "OI6", "mipg": "P03", "indicador": "Porcentaje de ejecución del plan de trabajo "
             "anual en SST", "formula": "(Actividades ejecutadas / Actividades programadas) * 100",
             "unidad": "PCT", "meta_anual": 100, "metas_trimestre": [25, 25, 25, 25], "peso": 25,
             "inicio": "2026-01-15", "fin": "2026-12-15", "presupuesto": 150_000_000, "proyecto": None,
             "responsable": "Grupo de Seguridad y Salud en el Trabajo", "territorial": False,
             "planes": ["PTA-SST"]},
        ],
    },
}

# Quién formula cada plan institucional del Decreto 612 y su periodo (el catálogo los trae sin dependencia).
PLANES_INSTITUCIONALES = {
    "PINAR": ("4100", 2023, 2026), "PAA": ("4100", 2026, 2026), "PAV": ("4200", 2026, 2026),
    "PPRH": ("4200", 2026, 2026), "PETH": ("4200", 2023, 2026), "PIC": ("4200", 2026, 2026),
    "PII": ("4200", 2026, 2026), "PTA-SST": ("4200", 2026, 2026), "PAAC": ("1100", 2026, 2026),
    "PETI": ("1400", 2023, 2026), "PTRSPI": ("1400", 2026, 2026), "PSPI": ("1400", 2026, 2026),
}

# Metas trimestrales por Dirección Territorial de las actividades territoriales:
# vigencia -> (dependencia, actividad) -> Dirección Territorial -> [T1, T2, T3, T4].
METAS_TERRITORIALES = {
    2025: {
        ("3200", "A2"): {
            "DT05": [220, 260, 260, 210],
            "DT08": [110, 130, 130, 100],
            "DT11": [320, 380, 380, 300],
            "DT13": [90, 110, 110, 85],
            "DT25": [120, 140, 140, 110],
            "DT52": [60, 75, 75, 55],
            "DT68": [100, 120, 120, 95],
            "DT76": [200, 240, 240, 190],
        },
    },
    2026: {
        ("3200", "A2"): {
            "DT05": [240, 285, 285, 230],
            "DT08": [120, 140, 140, 110],
            "DT11": [350, 415, 415, 330],
            "DT13": [100, 120, 120, 95],
            "DT25": [130, 155, 155, 120],
            "DT52": [65, 80, 80, 60],
            "DT68": [110, 130, 130, 105],
            "DT76": [220, 265, 265, 210],
        },
    },
}

# Usuarios de demostración
USUARIOS = [
    {"email": "admin@demo.gov.co", "nombre": "Administración del sistema",
     "roles": ["administrador"], "dependencia": None},
    {"email": "oap@demo.gov.co", "nombre": "Andrés Felipe Rojas – Profesional especializado de la "
     "Oficina Asesora de Planeación", "roles": ["oap"], "dependencia": "1100"},
    {"email": "jefe.oap@demo.gov.co", "nombre": "Claudia Patricia Moreno – Jefa de la Oficina Asesora "
     "de Planeación", "roles": ["jefe_oap"], "dependencia": "1100"},
    {"email": "director@demo.gov.co", "nombre": "Laura Gómez Cárdenas – Directora de Inspección, "
     "Vigilancia, Control y Gestión Territorial", "roles": ["director"], "dependencia": "3200"},
    {"email": "director2@demo.gov.co", "nombre": "Jorge Enrique Salazar – Director de Generación y "
     "Protección del Empleo y Subsidio Familiar", "roles": ["director"], "dependencia": "2200"},
    {"email": "territorial@demo.gov.co", "nombre": "Diana Marcela Restrepo – Directora Territorial de "
     "Antioquia", "roles": ["territorial"], "dependencia": "DT05"},
    {"email": "territorial2@demo.gov.co", "nombre": "Carlos Alberto Mejía – Director Territorial del "
     "Valle del Cauca", "roles": ["territorial"], "dependencia": "DT76"},
    {"email": "entidad@demo.gov.co", "nombre": "Natalia Herrera Ospina – Enlace de planeación de la "
     "Unidad del Servicio Público de Empleo", "roles": ["entidad"], "dependencia": "E04"},
    {"email": "comite.sectorial@demo.gov.co", "nombre": "Ricardo Peña Villamizar – Secretaría técnica "
     "del Comité Sectorial de Gestión y Desempeño", "roles": ["comite_sectorial"], "dependencia": None},
    {"email": "comite.directivo@demo.gov.co", "nombre": "Sandra Milena Ortiz – Secretaría técnica del "
     "Comité Directivo", "roles": ["comite_directivo"], "dependencia": None},
    {"email": "comite.institucional@demo.gov.co", "nombre": "Juan Camilo Vargas – Secretaría técnica del "
     "Comité Institucional de Gestión y Desempeño", "roles": ["comite_institucional"], "dependencia": None},
    {"email": "control.interno@demo.gov.co", "nombre": "Martha Lucía Castro – Jefa de la Oficina de "
     "Control Interno", "roles": ["control_interno"], "dependencia": None},
]

# Ajustes de la vigencia 2026 (actividades 20 a 24), con las fechas en que ocurrieron.
AJUSTE_APROBADO_PA = {
    "dependencia": "4100", "solicitado": "2026-11-03", "enviado": "2026-11-05", "revisado": "2026-11-10",
    "aprobado": "2026-11-18",
    "causa": "El Decreto de reducción presupuestal de octubre de 2026 recorta en $ 600.000.000 el proyecto de "
             "adecuación de sedes territoriales.",
    "cambio": "A2 baja a 4 sedes (una menos en el cuarto trimestre) y a $ 2.600.000.000; se agrega A4, "
              "mantenimiento preventivo de sedes, con el peso que cede A3.",
    "revision": "La causa es pertinente: el recorte está soportado en el decreto y el cambio no afecta el "
                "objetivo OI6 del PEI ni la norma aplicable.",
    "decision": "Se aprueba el ajuste; los trimestres 1 a 3 quedan con la versión 1.",
    "cambios": {"A2": {"meta_t4": 1, "meta_anual": 4, "presupuesto": 2_600_000_000}, "A3": {"peso": 15}},
    "nueva": {"codigo": "A4", "descripcion": "Realizar el mantenimiento preventivo de las sedes territoriales "
              "adecuadas", "indicador": "Sedes con mantenimiento preventivo",
              "formula": "Número de sedes con mantenimiento recibido", "meta_t4": 3, "peso": 10,
              "inicio": "2026-10-01", "fin": "2026-12-15", "responsable": "Grupo de Gestión Administrativa"},
}
AJUSTE_POR_REVISAR_PA = {
    "dependencia": "3100", "solicitado": "2026-11-24", "enviado": "2026-11-25",
    "causa": "La Circular 012 de 2026 asigna a la dependencia la socialización de la reforma laboral en "
             "el cuarto trimestre.",
    "cambio": "Subir en 10 la meta del cuarto trimestre de A1.", "sumar_t4": {"A1": 10},
}
AJUSTE_DEVUELTO_PA = {
    "dependencia": "1400", "solicitado": "2026-11-26", "enviado": "2026-11-27", "devuelto": "2026-12-01",
    "causa": "La Resolución 3011 de 2026 adelanta al tercer trimestre la meta de capacitación en seguridad digital.",
    "cambio": "Pasar 10 de la meta de A1 del cuarto trimestre al tercero.", "mover_t4_a_t3": {"A1": 10},
    "devolucion": "El tercer trimestre ya se reportó y su meta no se cambia: deje la del T3 como está y proponga "
                  "el aumento en el T4, o explique la causa en otra solicitud.",
}
AJUSTE_NO_PERTINENTE_PA = {
    "dependencia": "1100", "solicitado": "2026-09-08", "enviado": "2026-09-09", "revisado": "2026-09-15",
    "causa": "El equipo prefiere reportar los tableros de control cada semestre.",
    "cambio": "Reportar A1 como tablero semestral.",
    "revision": "No es pertinente: la causa es una preferencia del equipo, no un cambio de norma, de recursos "
                "ni de lineamientos.",
    "cambios": {"A1": {"indicador": "Tablero de control semestral publicado"}},
}
AJUSTE_PEI_EN_COMITE = {
    "solicitado": "2026-10-20", "enviado": "2026-10-22", "revisado": "2026-10-28",
    "causa": "La actualización del Plan Nacional de Desarrollo eleva la meta de formalización laboral para 2026.",
    "cambio": "Subir en 5 % la meta 2026 del primer indicador del objetivo OI1.",
    "revision": "Pertinente: el ajuste sigue al PND y no afecta los demás objetivos del PEI.",
}
