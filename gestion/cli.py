"""Comandos: `flask --app wsgi gestion demo` y `flask --app wsgi gestion semilla`."""
import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from gestion.extensiones import db


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


@grupo_gestion.command("recordatorios")
@click.option("--hoy", help="Fecha en que se corre (dd/mm/aaaa); por defecto, hoy.")
@with_appcontext
def recordatorios(hoy):
    """Recuerda los plazos a quien aún no ha enviado (para un cron diario); nunca dos veces lo mismo."""
    from gestion import correo
    from gestion import recordatorios as servicio
    from gestion.formato import leer_fecha

    try:
        dia = leer_fecha(hoy) if hoy else None
    except ValueError:
        raise click.BadParameter("Escriba la fecha como dd/mm/aaaa.", param_hint="--hoy") from None
    enviados = servicio.enviar(dia)
    db.session.commit()
    correo.enviar_pendientes()
    click.echo(f"Recordatorios enviados: {len(enviados)}.")
    for r in enviados:
        click.echo(f"  {r.descripcion} · {r.dependencia.nombre} → {r.destinatarios}")


@grupo_gestion.command("correos")
@with_appcontext
def correos():
    """Reintenta los correos que el servidor SMTP no aceptó."""
    from gestion import correo

    enviados, pendientes = correo.reintentar_pendientes()
    click.echo(f"Correos reenviados: {enviados}; siguen pendientes: {pendientes}.")
