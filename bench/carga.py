"""Dos servidores de la app detrás de un nginx, en PostgreSQL a escala de sector o de ministerio (issues 11 y 23).

Uso (la base se crea y se llena con `gestion volumen` si no tiene volumen; nginx se instala con apt-get si falta):

    .venv/bin/python bench/carga.py --base postgresql://postgres@127.0.0.1:5432/gestion_carga \\
        --redis redis://127.0.0.1:6379/8 --clientes 20 --segundos 60 --escribir /tmp/carga.md   # y se copia a bench/RESULTADOS.md

Arranca dos procesos gunicorn (2 workers cada uno, con la clase y los hilos de gunicorn.conf.py) en puertos
distintos, un trabajador de la cola (`gestion trabajador`) y un nginx que reparte entre los dos. Lo común a los
servidores: la base, Redis (límites de ingreso y cola de trabajos) y la carpeta de archivos. Comprueba, yendo a cada
servidor directamente, que nada vive en la memoria de uno: la sesión abierta en uno sirve en el otro (y salir en uno
la cierra en los dos), el límite de fallos de ingreso se cuenta entre los dos, un libro subido a uno lo carga el
trabajador y su libro de errores se descarga del otro, y el correo de una remisión pedida en uno queda por reenviar
a la vista del otro. Luego `--clientes` clientes con sesión recorren durante `--segundos` una mezcla de páginas a
través de nginx: rendimiento, mediana, p95 y errores, y cuántas respuestas dio cada servidor. Después, durante
`--segundos-piso`, los mismos clientes piden la respuesta mínima autenticada (`/_bench/hola`, que los servidores de
la carga registran: bench/wsgi_carga.py): la CPU por petición de la app y de la base en la mezcla, al lado de la de
ese piso.

Con `--servidores 1` (la meta de la issue 23: gunicorn con 2 workers en 2 núcleos) arranca un solo gunicorn, sin
nginx ni las comprobaciones entre servidores, y los clientes le hablan directamente.
"""
import argparse
import http.client
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from io import BytesIO
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

import sqlalchemy as sa  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from gestion.demo import volumen  # noqa: E402
from gestion.demo.cargador import CONTRASENA_POR_DEFECTO as CONTRASENA  # noqa: E402

NGINX, SERVIDORES = 18471, (18472, 18473)
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
FALLOS_PERMITIDOS = 6  # límite de fallos de ingreso por dirección durante la corrida


# --- un cliente HTTP pequeño, con sus cookies y conexión persistente -----------------------------------
class Cliente:
    def __init__(self, puerto: int, direccion: str | None = None):
        self.puerto, self.direccion, self.cookies = puerto, direccion, {}
        self.conexion = None

    def en(self, puerto: int) -> "Cliente":
        """El mismo navegador (sus cookies) hablando con otro servidor."""
        otro = Cliente(puerto, self.direccion)
        otro.cookies = self.cookies
        return otro

    def pedir(self, metodo: str, ruta: str, cuerpo: bytes | None = None, tipo: str | None = None):
        cabeceras = {"Host": f"127.0.0.1:{NGINX}"}
        if self.cookies:
            cabeceras["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if tipo:
            cabeceras["Content-Type"] = tipo
        if self.direccion:
            cabeceras["X-Forwarded-For"] = self.direccion
        for intento in range(2):
            if self.conexion is None:
                self.conexion = http.client.HTTPConnection("127.0.0.1", self.puerto, timeout=120)
            try:
                self.conexion.request(metodo, ruta, body=cuerpo, headers=cabeceras)
                respuesta = self.conexion.getresponse()
                datos = respuesta.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn sync cierra la conexión tras cada respuesta: se abre otra.
                self.conexion.close()
                self.conexion = None
                if intento:
                    raise
        for valor in respuesta.headers.get_all("Set-Cookie") or []:
            galleta = SimpleCookie(valor)
            for nombre, morsel in galleta.items():
                if morsel["expires"] and "1970" in morsel["expires"] or morsel.value == "":
                    self.cookies.pop(nombre, None)
                else:
                    self.cookies[nombre] = morsel.value
        if respuesta.headers.get("Connection", "").lower() == "close":
            self.conexion.close()
            self.conexion = None
        return respuesta.status, respuesta.headers, datos

    def get(self, ruta: str):
        return self.pedir("GET", ruta)

    def texto(self, ruta: str) -> str:
        estado, _, datos = self.get(ruta)
        assert estado == 200, f"GET {ruta} → {estado}"
        return datos.decode()

    def token(self, ruta: str) -> str:
        return CSRF.search(self.texto(ruta)).group(1)

    def post(self, ruta: str, campos: dict, archivos: dict | None = None, token_de: str | None = None):
        campos = {**campos, "csrf_token": self.token(token_de or ruta)}
        if not archivos:
            from urllib.parse import urlencode
            return self.pedir("POST", ruta, urlencode(campos, doseq=True).encode(),
                              "application/x-www-form-urlencoded")
        limite = uuid.uuid4().hex
        partes = []
        for nombre, valor in campos.items():
            partes.append(f'--{limite}\r\nContent-Disposition: form-data; name="{nombre}"\r\n\r\n{valor}\r\n'.encode())
        for nombre, (archivo, contenido) in archivos.items():
            partes.append(f'--{limite}\r\nContent-Disposition: form-data; name="{nombre}"; filename="{archivo}"\r\n'
                          f"Content-Type: application/octet-stream\r\n\r\n".encode() + contenido + b"\r\n")
        partes.append(f"--{limite}--\r\n".encode())
        return self.pedir("POST", ruta, b"".join(partes), f"multipart/form-data; boundary={limite}")

    def ingresar(self, email: str, contrasena: str = CONTRASENA) -> int:
        estado, _, _ = self.post("/login", {"email": email, "password": contrasena})
        return estado


# --- preparar la base y los procesos -------------------------------------------------------------------
def entorno(base: str, redis: str, carpeta: Path) -> dict:
    return {**os.environ, "DATABASE_URL": base, "SECRET_KEY": "carga-clave-comun", "SECURITY_PASSWORD_SALT": "carga-sal",
            "RATELIMIT_STORAGE_URI": redis, "GESTION_REDIS_URL": redis, "GESTION_PROXIES": "1",
            "GESTION_CARPETA_ARCHIVOS": str(carpeta / "archivos"), "GESTION_LIMITE_FALLOS_LOGIN":
            f"{FALLOS_PERMITIDOS} per 10 minutes", "GESTION_TRABAJOS_UMBRAL": "0", "GESTION_URL_BASE":
            f"http://127.0.0.1:{NGINX}", "MAIL_SUPPRESS_SEND": "0", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": "9"}


def preparar_base(base: str, variables: dict, escala: str) -> None:
    """La base con el volumen de `escala`, generado con la sal de contraseñas de la corrida (sin ella no se ingresa):
    se genera si no tiene los planes de acción de la escala (uno por dependencia y vigencia, ±5 %). Una base generada
    fuera de este script no deja ingresar: su sal es otra."""
    esperados = volumen.ESCALAS[escala].dependencias * len(volumen.VIGENCIAS)
    motor = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with motor.connect() as conexion:
            planes = conexion.execute(sa.text("SELECT count(*) FROM plan WHERE tipo = 'pa'")).scalar()
    except sa.exc.OperationalError:
        nombre = base.rsplit("/", 1)[1]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", nombre], check=True)
        planes = 0
    except sa.exc.ProgrammingError:
        planes = 0
    finally:
        motor.dispose()
    if abs(planes - esperados) > esperados // 20:
        print(f"Generando el volumen «{escala}» (gestion volumen y gestion cifras)…", flush=True)
        for orden in (["volumen", "--escala", escala, "--reiniciar"], ["cifras", "--vigencia", str(volumen.ACTUAL)]):
            subprocess.run([str(RAIZ / ".venv/bin/flask"), "--app", "wsgi", "gestion", *orden], cwd=RAIZ,
                           env=variables, check=True)
    else:
        subprocess.run([str(RAIZ / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade"], cwd=RAIZ, env=variables,
                       check=True, capture_output=True)


def asegurar_nginx() -> str:
    ruta = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if ruta is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], check=True)
        ruta = shutil.which("nginx") or "/usr/sbin/nginx"
    return ruta


def configurar_nginx(carpeta: Path) -> Path:
    for sub in ("cuerpo", "proxy", "fastcgi", "uwsgi", "scgi"):
        (carpeta / sub).mkdir(parents=True, exist_ok=True)
    servidores = "\n".join(f"    server 127.0.0.1:{p};" for p in SERVIDORES)
    conf = carpeta / "nginx.conf"
    conf.write_text(f"""worker_processes 1;
daemon off;
pid {carpeta}/nginx.pid;
error_log {carpeta}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {carpeta}/cuerpo; proxy_temp_path {carpeta}/proxy; fastcgi_temp_path {carpeta}/fastcgi;
  uwsgi_temp_path {carpeta}/uwsgi; scgi_temp_path {carpeta}/scgi;
  client_max_body_size 20m;
  upstream app {{
{servidores}
  }}
  server {{
    listen 127.0.0.1:{NGINX};
    location / {{
      proxy_pass http://app;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 120s;
      add_header X-Servidor $upstream_addr always;
    }}
  }}
}}
""")
    return conf


def esperar(puerto: int, segundos: float = 60) -> None:
    limite = time.time() + segundos
    while time.time() < limite:
        try:
            if Cliente(puerto).get("/login")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"el puerto {puerto} no respondió")


def arrancar(base: str, redis: str, carpeta: Path, servidores: int) -> list[subprocess.Popen]:
    variables = entorno(base, redis, carpeta)
    bitacora = open(carpeta / "procesos.log", "ab")
    # La app de wsgi.py con la ruta del piso (bench/wsgi_carga.py).
    procesos = [subprocess.Popen([str(RAIZ / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{p}", "--timeout", "120",
                                  "--pythonpath", str(RAIZ / "bench"), "wsgi_carga:app"], cwd=RAIZ, env=variables,
                                 stdout=bitacora, stderr=bitacora)
                for p in SERVIDORES[:servidores]]
    if servidores == 1:
        esperar(SERVIDORES[0])
        return procesos
    procesos.append(subprocess.Popen([str(RAIZ / ".venv/bin/flask"), "--app", "wsgi", "gestion", "trabajador"],
                                     cwd=RAIZ, env=variables, stdout=bitacora, stderr=bitacora))
    procesos.append(subprocess.Popen([asegurar_nginx(), "-c", str(configurar_nginx(carpeta))], stdout=bitacora,
                                     stderr=bitacora))
    for puerto in (*SERVIDORES, NGINX):
        esperar(puerto)
    return procesos


def detener(procesos: list[subprocess.Popen]) -> None:
    for proceso in procesos:
        proceso.terminate()
    for proceso in procesos:
        try:
            proceso.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proceso.kill()


# --- lo que comparten los servidores ------------------------------------------------------------------
def datos_de_prueba(base: str) -> dict:
    motor = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://"))
    with motor.connect() as c:
        actual = c.execute(sa.text("SELECT id FROM vigencia WHERE anio = 2026")).scalar()
        borrador = c.execute(sa.text(
            "SELECT u.email, p.id FROM plan p JOIN usuario u ON u.dependencia_id = p.dependencia_id "
            "JOIN roles_usuarios ru ON ru.usuario_id = u.id JOIN rol r ON r.id = ru.rol_id "
            "WHERE p.tipo = 'pa' AND p.estado IN ('borrador', 'devuelto') AND p.vigencia_id = :v AND r.name = 'director' "
            "ORDER BY p.id LIMIT 1"), {"v": actual}).one()
        informe = c.execute(sa.text("SELECT id FROM informe_seguimiento ORDER BY id DESC LIMIT 1")).scalar()
        ficha = c.execute(sa.text("SELECT id FROM plan WHERE tipo = 'pa' AND vigencia_id = :v AND estado = 'enviado' "
                                  "LIMIT 1"), {"v": actual}).scalar()
        directores = [e for (e,) in c.execute(sa.text(
            "SELECT email FROM usuario WHERE email LIKE 'director.v%@volumen.gov.co' ORDER BY email LIMIT 10"))]
    motor.dispose()
    return {"director_borrador": borrador[0], "plan_borrador": borrador[1], "informe": informe, "ficha": ficha,
            "directores": directores}


def esperar_trabajo(cliente: Cliente, ruta: str, segundos: float = 300) -> str:
    limite = time.time() + segundos
    while time.time() < limite:
        html = cliente.texto(ruta)
        if "data-recarga" not in html:
            return html
        time.sleep(1)
    raise RuntimeError(f"{ruta} no terminó en {segundos} s")


def comprobar_lo_compartido(datos: dict) -> list[tuple[str, bool, str]]:
    a, b = SERVIDORES
    filas = []

    # Sesión: se abre en A, sirve en B; salir en B la cierra también en A.
    oap = Cliente(a)
    ingreso = oap.ingresar("oap@demo.gov.co")
    en_b = oap.en(b).get("/admin/")[0]
    filas.append(("Ingreso en el servidor A, sesión usada en el B", ingreso == 302 and en_b == 200,
                  f"ingreso {ingreso}, /admin/ en B {en_b}"))
    copia = dict(oap.cookies)
    salida = Cliente(b)
    salida.cookies = dict(copia)
    salida.post("/logout", {}, token_de="/admin/")
    vieja = Cliente(a)
    vieja.cookies = copia
    estado, cabeceras, _ = vieja.get("/admin/")
    filas.append(("Salir en B cierra la sesión copiada que usaba A", estado == 302 and "/login" in cabeceras.get(
        "Location", ""), f"/admin/ en A tras salir en B: {estado}"))

    # Límite de fallos de ingreso por dirección: los de A y los de B suman en Redis.
    atacante = [Cliente(p, "10.77.0.9") for p in (a, b)]
    codigos = [atacante[i % 2].ingresar(f"nadie{i}@demo.gov.co", "equivocada-123") for i in range(FALLOS_PERMITIDOS + 2)]
    filas.append((f"Límite de {FALLOS_PERMITIDOS} fallos por dirección, alternando A y B",
                  codigos[:FALLOS_PERMITIDOS] == [200] * FALLOS_PERMITIDOS and codigos[FALLOS_PERMITIDOS:] == [429, 429],
                  "códigos: " + " ".join(map(str, codigos))))

    # Un libro subido a A lo carga el trabajador (carpeta de archivos y cola comunes) y B muestra el resultado.
    director = Cliente(a)
    director.ingresar(datos["director_borrador"])
    plan = datos["plan_borrador"]
    estado, _, plantilla = director.get(f"/admin/planes_accion/plantilla_actividades/?id={plan}")
    ruta_carga = f"/admin/planes_accion/cargar_actividades/?id={plan}"
    estado, cabeceras, _ = director.post(ruta_carga, {"id": plan}, {"archivo": ("actividades.xlsx", plantilla)})
    pagina = cabeceras.get("Location", "")
    html = esperar_trabajo(director.en(b), pagina) if estado == 302 else ""
    filas.append(("Libro subido a A, cargado por el trabajador, resultado leído en B",
                  "Terminado" in html and "actividades cargadas" in html, f"{estado} → {pagina or 'sin trabajo'}"))

    libro = load_workbook(BytesIO(plantilla))
    hoja = libro["Actividades"]
    hoja.append([c.value for c in hoja[2]])  # el código de la fila 2, repetido: la carga se rechaza
    salida = BytesIO()
    libro.save(salida)
    estado, cabeceras, _ = director.en(b).post(ruta_carga, {"id": plan}, {"archivo": ("actividades.xlsx", salida.getvalue())})
    pagina = cabeceras.get("Location", "")
    html = esperar_trabajo(director, pagina) if estado == 302 else ""
    numero = pagina.rsplit("=", 1)[-1]
    estado_libro, _, marcado = director.get(f"/admin/trabajo/resultado/?id={numero}")
    filas.append(("Libro con errores subido a B: su libro de errores se descarga de A",
                  "Fallido" in html and estado_libro == 200 and marcado.startswith(b"PK"),
                  f"página {pagina}, descarga {estado_libro} ({len(marcado)} bytes)"))

    # La remisión pedida en A va a la cola; el correo que el servidor SMTP no aceptó queda por reenviar, visible en B.
    oap = Cliente(a)
    oap.ingresar("oap@demo.gov.co")
    # La celda del asunto (la casilla de selección de la fila también lo nombra, para el lector de pantalla).
    asunto = 'class="col-asunto">Informe de seguimiento a planes'
    antes = oap.en(b).texto("/admin/correopendiente/").count(asunto)
    ficha = f"/admin/informeseguimiento/ficha/?id={datos['informe']}"
    remision = re.search(r'name="remision" value="([^"]+)"', oap.texto(ficha)).group(1)
    estado, cabeceras, _ = oap.post("/admin/informeseguimiento/remitir/", {"id": datos["informe"], "remision": remision},
                                    token_de=ficha)
    pagina = cabeceras.get("Location", "")
    html = esperar_trabajo(oap.en(b), pagina) if "/trabajo/" in pagina else ""
    otra = oap.en(b).post("/admin/informeseguimiento/remitir/", {"id": datos["informe"], "remision": remision},
                          token_de=ficha)  # el mismo formulario, enviado otra vez al otro servidor
    time.sleep(2)  # por si el segundo envío hubiera ido a la cola
    nuevos = oap.en(b).texto("/admin/correopendiente/").count(asunto) - antes
    filas.append(("Remisión pedida en A, hecha por el trabajador; su correo pendiente se ve en B; repetirla en B no "
                  "la duplica", "Terminado" in html and nuevos == 1 and otra[0] == 302,
                  f"{estado} → {pagina}; segundo envío {otra[0]}; correos nuevos por reenviar: {nuevos}"))
    return filas


# --- la corrida de carga ------------------------------------------------------------------------------
def mezcla(datos: dict) -> dict[str, list[tuple[str, str]]]:
    oap = [("Inicio de la OAP", "/admin/"), ("Lista de PA", "/admin/planes_accion/"),
           ("Bandeja de la OAP", "/admin/planes_accion/?flt0_estado_equals=ENVIADO"),
           ("Tablero (trimestre)", "/admin/tablero/?vigencia=2026&trimestre=2"),
           ("Ficha del plan", f"/admin/planes_accion/ficha/?id={datos['ficha']}"),
           ("Lista de actividades", "/admin/actividad/"), ("Lista de auditoría", "/admin/registroauditoria/"),
           ("Informes", "/admin/informeseguimiento/"), ("Reportes trimestrales", "/admin/reportetrimestral/")]
    director = [("Inicio del director", "/admin/"), ("Lista de PA (director)", "/admin/planes_accion/"),
                ("Actividades (director)", "/admin/actividad/"),
                ("Reportes (director)", "/admin/reportetrimestral/"),
                ("Tablero (director)", "/admin/tablero/?vigencia=2026&trimestre=2")]
    return {"oap": oap, "director": director}


def piso() -> dict[str, list[tuple[str, str]]]:
    ruta = [("Respuesta mínima autenticada (piso)", "/_bench/hola")]
    return {"oap": ruta, "director": ruta}


def correr(datos: dict, clientes: int, segundos: float, puerto: int = NGINX, paginas: dict | None = None,
           al_empezar=None) -> tuple[list, float, list[str]]:
    """Las peticiones medidas, la duración y el rol de cada cliente que llegó a medir. `al_empezar` corre cuando
    todos ingresaron, justo antes de soltarlos: la CPU que se lee ahí no cuenta los ingresos (argon2, ~0,16 s cada
    uno), que no son lo que se mide."""
    paginas = paginas or mezcla(datos)
    registros, activos, cerrojo = [], [], threading.Lock()
    fin = [0.0]
    # El plazo se fija al soltar la barrera, antes de que salga cualquier cliente: fijarlo después dejaba a los
    # que arrancaban primero con un plazo vencido (0) y sin medir nada (visto: clientes de la OAP sin peticiones).
    def soltar():
        if al_empezar is not None:
            al_empezar()
        fin[0] = time.perf_counter() + segundos

    listos = threading.Barrier(clientes + 1, action=soltar)
    # Los ingresos, uno tras otro: varios ingresos simultáneos de la misma cuenta (la OAP de la demo) chocan en
    # la versión del usuario (visto: 500); lo que se mide son las páginas, no los ingresos.
    turno = threading.Lock()

    def cliente(i: int):
        navegador = Cliente(puerto)
        rol = "oap" if i % 2 == 0 else "director"
        email = "oap@demo.gov.co" if rol == "oap" else datos["directores"][(i // 2) % len(datos["directores"])]
        with turno:
            estado = navegador.ingresar(email)
        propios = []
        listos.wait()
        azar = random.Random(i)
        while time.perf_counter() < fin[0]:
            nombre, ruta = azar.choice(paginas[rol])
            inicio = time.perf_counter()
            try:
                codigo, cabeceras, _ = navegador.get(ruta)
                servidor = cabeceras.get("X-Servidor", "?")
            except OSError as error:
                codigo, servidor = f"{type(error).__name__}", "?"
            propios.append((nombre, time.perf_counter() - inicio, codigo if estado == 302 else f"ingreso {estado}",
                            servidor))
        with cerrojo:
            registros.extend(propios)
            if propios:
                activos.append(rol)

    hilos = [threading.Thread(target=cliente, args=(i,)) for i in range(clientes)]
    for hilo in hilos:
        hilo.start()
    listos.wait()
    inicio = fin[0] - segundos
    for hilo in hilos:
        hilo.join()
    return registros, time.perf_counter() - inicio, activos


# --- a dónde va la CPU de la máquina durante la carga -----------------------------------------------------------
# En una máquina compartida hay otros gunicorn y otras bases en el mismo PostgreSQL: los servidores de esta corrida
# se reconocen por su módulo (bench/wsgi_carga.py) y las conexiones de PostgreSQL a su base por el nombre de la base,
# que PostgreSQL pone en el título de cada proceso («postgres: postgres gestion_carga 127.0.0.1(…) idle»).
SERVIDORES_DE_LA_CORRIDA, BASE_DE_LA_CORRIDA = "servidores (gunicorn de esta corrida)", "PostgreSQL (conexiones a esta base)"
GRUPOS = ((SERVIDORES_DE_LA_CORRIDA, "wsgi_carga:app"), ("otros gunicorn de la máquina", "gunicorn"),
          ("trabajador de la cola", "gestion trabajador"), ("PostgreSQL (otras bases y el servicio)", "postgres"),
          ("nginx", "nginx"), ("Redis", "redis-server"))
NOMBRE_DE_LA_BASE = [""]


def _grupo(pid: str, linea_de_orden: str) -> str:
    if int(pid) == os.getpid():
        return "clientes (este script)"
    if NOMBRE_DE_LA_BASE[0] and linea_de_orden.startswith("postgres: ") and f" {NOMBRE_DE_LA_BASE[0]} " in linea_de_orden:
        return BASE_DE_LA_CORRIDA
    return next((nombre for nombre, marca in GRUPOS if marca in linea_de_orden), "otros procesos")


def cpu_por_grupo() -> dict[str, float]:
    """Segundos de CPU (usuario + sistema) gastados hasta ahora por cada grupo de procesos, leídos de /proc."""
    tics = os.sysconf("SC_CLK_TCK")
    grupos: dict[str, float] = {}
    for carpeta in Path("/proc").iterdir():
        if not carpeta.name.isdigit():
            continue
        try:
            campos = (carpeta / "stat").read_text().rsplit(")", 1)[1].split()
            orden = (carpeta / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # terminó mientras se leía
        grupo = _grupo(carpeta.name, orden or campos[0])
        grupos[grupo] = grupos.get(grupo, 0.0) + (int(campos[11]) + int(campos[12])) / tics
    return grupos


def p95(valores):
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(0.95 * (len(ordenados) - 1)))]


def informe(registros, duracion, activos, filas, base, carga, servidores: int = 2) -> str:
    clientes = len(activos)
    ms = [t * 1000 for _, t, _, _ in registros]
    errores = [r for r in registros if r[2] != 200]
    por_servidor = {}
    for _, _, _, servidor in registros:
        por_servidor[servidor] = por_servidor.get(servidor, 0) + 1
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=RAIZ, capture_output=True, text=True).stdout.strip()
    cpu = next((linea.split(":", 1)[1].strip() for linea in Path("/proc/cpuinfo").read_text().splitlines()
                if linea.startswith("model name")), platform.processor())
    lineas = [
        f"Corrida del {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · commit `{commit}` · {platform.node()}: "
        f"{os.cpu_count()} núcleos ({cpu}), Python {platform.python_version()} · base {base.rsplit('@', 1)[-1]} · "
        f"carga de la máquina (loadavg 1 min) al empezar y al terminar: {carga[0]:.1f} → {carga[1]:.1f}",
        "",
        *(["Lo que comparten los servidores, comprobado yendo a cada uno directamente:", "",
            "| comprobación | resultado | detalle |", "|---|---|---|",
            *[f"| {nombre} | {'sí' if bien else '**no**'} | {detalle} |" for nombre, bien, detalle in filas], ""]
          if filas else []),
        f"Carga: {clientes} clientes con sesión (la mitad OAP, la mitad directores) durante {duracion:.0f} s "
        + ("a través de nginx → 2 × gunicorn (2 workers, gunicorn.conf.py):" if servidores == 2 else
           "directamente a 1 gunicorn (2 workers, gunicorn.conf.py):"),
        "",
        f"- **{len(registros) / duracion:.1f} peticiones/s**, {len(registros)} peticiones, mediana "
        f"{statistics.median(ms):.0f} ms, **p95 {p95(ms):.0f} ms**, **errores {len(errores)}**",
        "- respuestas por servidor: " + ", ".join(f"{s}: {n}" for s, n in sorted(por_servidor.items())),
        f"- clientes que midieron: {activos.count('oap')} de la OAP y {activos.count('director')} directores",
        "",
        "| página | peticiones | mediana ms | p95 ms | tiempo de servidor |",
        "|---|---|---|---|---|",
    ]
    total = sum(ms)
    for nombre in sorted({r[0] for r in registros}, key=lambda n: -sum(t for m, t, _, _ in registros if m == n)):
        propios = [t * 1000 for m, t, _, _ in registros if m == nombre]
        lineas.append(f"| {nombre} | {len(propios)} | {statistics.median(propios):.0f} | {p95(propios):.0f} | "
                      f"{100 * sum(propios) / total:.0f} % |")
    if errores:
        lineas += ["", "Errores: " + ", ".join(sorted({f"{m}: {c}" for m, _, c, _ in errores}))]
    return "\n".join(lineas)


def reparto(cpu: dict[str, float], registros, duracion: float, cpu_piso: dict[str, float] | None = None,
            registros_piso=()) -> str:
    """La CPU de la máquina durante la carga, por grupo de procesos y por petición: dice qué acota el caudal. Con
    el piso, la CPU por petición de cada grupo en la fase del piso, al lado."""
    disponible = duracion * (os.cpu_count() or 1)
    lineas = [f"CPU durante la carga ({disponible:.0f} s disponibles en {os.cpu_count()} núcleos):", "",
              "| procesos | CPU s | parte de la máquina | ms por petición | ms por petición del piso | × el piso |",
              "|---|---:|---:|---:|---:|---:|"]
    for grupo, segundos in sorted(cpu.items(), key=lambda par: -par[1]):
        if segundos >= 0.05:
            por_peticion = 1000 * segundos / max(len(registros), 1)
            del_piso = 1000 * (cpu_piso or {}).get(grupo, 0.0) / max(len(registros_piso), 1)
            veces = f"{por_peticion / del_piso:.1f}×" if registros_piso and del_piso >= 0.05 else ""
            lineas.append(f"| {grupo} | {segundos:.1f} | {100 * segundos / disponible:.0f} % | {por_peticion:.1f} | "
                          f"{f'{del_piso:.1f}' if registros_piso else ''} | {veces} |")
    if registros_piso:
        ms = [t * 1000 for _, t, _, _ in registros_piso]
        lineas += ["", f"Piso (`/_bench/hola`, los mismos clientes): {len(registros_piso)} peticiones, mediana "
                       f"{statistics.median(ms):.0f} ms, p95 {p95(ms):.0f} ms, errores "
                       f"{sum(1 for r in registros_piso if r[2] != 200)}."]
    return "\n".join(lineas)


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    argumentos.add_argument("--base", default="postgresql://postgres@127.0.0.1:5432/gestion_carga")
    argumentos.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    argumentos.add_argument("--escala", choices=list(volumen.ESCALAS), default="sector",
                            help="el volumen de la base (la meta de la issue 23 es a escala de sector)")
    argumentos.add_argument("--clientes", type=int, default=20)
    argumentos.add_argument("--segundos", type=float, default=60)
    argumentos.add_argument("--escribir", type=Path, help="archivo .md donde dejar el resultado")
    argumentos.add_argument("--servidores", type=int, choices=(1, 2), default=2,
                            help="1: un gunicorn de 2 workers sin nginx ni comprobaciones entre servidores")
    argumentos.add_argument("--segundos-piso", type=float, default=20,
                            help="segundos de la fase del piso (/_bench/hola); 0 la salta")
    opciones = argumentos.parse_args()

    NOMBRE_DE_LA_BASE[0] = sa.make_url(opciones.base).database or ""
    carpeta = Path(tempfile.mkdtemp(prefix="carga-"))
    variables = entorno(opciones.base, opciones.redis, carpeta)
    preparar_base(opciones.base, variables, opciones.escala)
    from redis import Redis
    Redis.from_url(opciones.redis).flushdb()  # límites y cola de una corrida anterior
    procesos = arrancar(opciones.base, opciones.redis, carpeta, opciones.servidores)
    puerto = NGINX if opciones.servidores == 2 else SERVIDORES[0]
    try:
        datos = datos_de_prueba(opciones.base)
        filas = comprobar_lo_compartido(datos) if opciones.servidores == 2 else []
        for nombre, bien, detalle in filas:
            print(f"{'sí' if bien else 'NO'}  {nombre}: {detalle}", flush=True)
        print(f"Carga: {opciones.clientes} clientes, {opciones.segundos:.0f} s…", flush=True)
        inicio = {}

        def anotar_inicio(fase: str):
            return lambda: inicio.__setitem__(fase, (os.getloadavg()[0], cpu_por_grupo()))

        registros, duracion, activos = correr(datos, opciones.clientes, opciones.segundos, puerto,
                                              al_empezar=anotar_inicio("mezcla"))
        antes, cpu_antes = inicio["mezcla"]
        carga = (antes, os.getloadavg()[0])
        cpu = {g: segundos - cpu_antes.get(g, 0.0) for g, segundos in cpu_por_grupo().items()}
        cpu_piso, registros_piso = {}, []
        if opciones.segundos_piso:
            print(f"Piso: {opciones.clientes} clientes, {opciones.segundos_piso:.0f} s…", flush=True)
            registros_piso, _, _ = correr(datos, opciones.clientes, opciones.segundos_piso, puerto, piso(),
                                          al_empezar=anotar_inicio("piso"))
            cpu_piso = {g: segundos - inicio["piso"][1].get(g, 0.0) for g, segundos in cpu_por_grupo().items()}
    finally:
        detener(procesos)
        shutil.copy(carpeta / "procesos.log", Path(tempfile.gettempdir()) / "carga-procesos.log")
    texto = (informe(registros, duracion, activos, filas, opciones.base, carga, opciones.servidores) + "\n\n"
             + reparto(cpu, registros, duracion, cpu_piso, registros_piso))
    print(texto)
    if opciones.escribir:
        opciones.escribir.write_text(texto + "\n")
    shutil.rmtree(carpeta, ignore_errors=True)


if __name__ == "__main__":
    main()
