"""Comandos: `flask --app wsgi gestion demo`, `semilla`, `respaldo`, `restaurar` y `volumen`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from gestion.base.extensiones import db


@click.group("gestion", help="Tareas de la herramienta de planes de gestión.")
def grupo_gestion():
    pass


@grupo_gestion.command("semilla")
@with_appcontext
def semilla():
    """Aplica las migraciones y crea roles y umbrales del semáforo."""
    from gestion.semilla import sembrar

    upgrade()
    sembrar()
    db.session.commit()
    click.echo("Esquema al día; roles y semáforo listos.")


@grupo_gestion.command("demo")
@with_appcontext
def demo():
    """Aplica las migraciones y carga los datos de demostración (se puede repetir)."""
    from gestion.demo.cargador import CONTRASENA_POR_DEFECTO, cargar_demo

    upgrade()
    contrasena = current_app.config.get("GESTION_DEMO_PASSWORD") or CONTRASENA_POR_DEFECTO
    usuarios = cargar_demo(contrasena)
    db.session.commit()
    click.echo("Datos de demostración cargados. Usuarios (contraseña: %s):" % contrasena)
    for usuario in usuarios:
        roles = ", ".join(sorted(usuario.nombres_roles))
        click.echo(f"  {usuario.email:<34} {roles}")
    click.echo("Las demás dependencias: director.<código>@demo.gov.co o enlace.<código>@demo.gov.co, "
               "misma contraseña.")


@grupo_gestion.command("respaldo")
@click.option("--destino", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Carpeta del respaldo (por defecto instance/respaldos).")
@with_appcontext
def respaldo(destino):
    """Respalda la base y los archivos subidos en un .tar.gz."""
    from gestion.base.respaldo import respaldar

    archivo = respaldar(destino or Path(current_app.instance_path) / "respaldos")
    click.echo(f"Respaldo escrito en {archivo}")


@grupo_gestion.command("restaurar")
@click.argument("archivo", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--si", is_flag=True, help="Confirma que se reemplazan la base y los archivos actuales.")
@with_appcontext
def restaurar(archivo, si):
    """Reemplaza la base y los archivos subidos por los de un respaldo."""
    from gestion.base.respaldo import RespaldoInvalido
    from gestion.base.respaldo import restaurar as restaurar_respaldo

    if not si:
        raise click.UsageError("Restaurar reemplaza la base y los archivos actuales: repita la orden con --si.")
    try:
        manifiesto, avisos = restaurar_respaldo(archivo)
    except RespaldoInvalido as error:
        raise click.ClickException(str(error)) from None
    for aviso in avisos:
        click.echo(f"Aviso: {aviso}")
    click.echo(f"Restaurado el respaldo del {manifiesto['en']} ({manifiesto['motor']}).")


@grupo_gestion.command("recordatorios")
@click.option("--hoy", help="Fecha en que se corre (dd/mm/aaaa); por defecto, hoy.")
@with_appcontext
def recordatorios(hoy):
    """Envía los recordatorios de hoy (sin Redis; con él los envía el trabajador): nunca dos veces lo mismo."""
    from gestion.base.formato import leer_fecha
    from gestion.seguimiento import recordatorios as servicio

    try:
        dia = leer_fecha(hoy) if hoy else None
    except ValueError:
        raise click.BadParameter("Escriba la fecha como dd/mm/aaaa.", param_hint="--hoy") from None
    enviados = servicio.enviar(dia)
    click.echo(f"Recordatorios enviados: {len(enviados)}.")
    for r in enviados:
        click.echo(f"  {r.descripcion}{' · ' + r.dependencia.nombre if r.dependencia else ''} → {r.destinatario}")


@grupo_gestion.command("correos")
@with_appcontext
def correos():
    """Reintenta los correos que el servidor SMTP no aceptó."""
    from gestion.base import correo

    enviados, pendientes = correo.reintentar_pendientes()
    click.echo(f"Correos reenviados: {enviados}; siguen pendientes: {pendientes}.")


@grupo_gestion.command("cifras")
@click.option("--vigencia", type=int, default=None, help="Año de la vigencia; por defecto, todas.")
@with_appcontext
def cifras_guardadas(vigencia):
    """Rehace las cifras guardadas del tablero y las listas de chequeo guardadas de los planes de acción (tras
    restaurar una base, migrarla o cambiar GESTION_MARGEN_COHERENCIA)."""
    import sqlalchemy as sa

    from gestion.planes import listas_guardadas
    from gestion.seguimiento.cifras_guardadas import recalcular
    from modelos import Vigencia

    consulta = sa.select(Vigencia).order_by(Vigencia.anio)
    if vigencia is not None:
        consulta = consulta.where(Vigencia.anio == vigencia)
    for fila in db.session.scalars(consulta).all():
        recalcular(fila)
        db.session.commit()
        click.echo(f"Cifras del tablero {fila.anio}: recalculadas.")
        planes = listas_guardadas.rehacer_todas(fila.id)
        db.session.commit()
        click.echo(f"Listas de chequeo {fila.anio}: {planes} planes de acción evaluados.")
    # Rehechas de una vez, las tablas de cifras no tienen estadísticas hasta que pase el autovacuum: PostgreSQL
    # las planeaba como de una fila (visto: un bucle anidado de 66 ms en el tablero de un sector).
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


@grupo_gestion.command("volumen")
@click.option("--escala", type=click.Choice(["ministerio", "sector", "doble"]), default="ministerio",
              show_default=True, help="ministerio: 139 planes, 12 mil actividades; sector: 1.363 planes, 120 mil "
                                      "actividades; doble: dos sectores.")
@click.option("--reiniciar", is_flag=True, help="Borra la base entera y la crea de nuevo antes de generar.")
@with_appcontext
def volumen(escala, reiniciar):
    """Genera datos de volumen para medir las páginas (bench/paginas.py), sobre una base nueva."""
    import time

    from gestion.demo import volumen as servicio
    from gestion.demo.cargador import CONTRASENA_POR_DEFECTO

    if reiniciar:
        servicio.reiniciar()
    else:
        upgrade()
    contrasena = current_app.config.get("GESTION_DEMO_PASSWORD") or CONTRASENA_POR_DEFECTO
    inicio = time.perf_counter()
    try:
        cuentas = servicio.generar(escala, contrasena)
    except servicio.VolumenInvalido as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    servicio.actualizar_estadisticas()
    click.echo(f"Volumen «{escala}» generado en {time.perf_counter() - inicio:.0f} s (contraseña: {contrasena}):")
    for tabla, filas in cuentas.items():
        click.echo(f"  {tabla:<24} {filas:>10,}".replace(",", "."))
    click.echo("Usuarios: director.v0001@volumen.gov.co … , territorial.vt001@volumen.gov.co … y los de la demo.")


@grupo_gestion.command("trabajador")
@click.option("--burst", is_flag=True, help="Atiende los trabajos que hay en la cola y termina.")
@with_appcontext
def trabajador(burst):
    """Atiende la cola de trabajos largos en Redis (GESTION_REDIS_URL): informes, remisiones, libros, cargas; y
    envía los recordatorios del día cada GESTION_RECORDATORIOS_CADA segundos."""
    from gestion.trabajos import cola

    if not cola.url_cola():
        raise click.ClickException("Sin GESTION_REDIS_URL no hay cola: los trabajos corren en la petición.")
    click.echo(f"Trabajador de la cola «{cola.COLA}» en {cola.url_cola()}.")
    cola.trabajar(burst=burst)
