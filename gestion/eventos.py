"""El trabajo que corre al guardar, en un solo lugar: cada evento de la sesión de SQLAlchemy que la app escucha,
quién lo atiende y por qué ahí, en el orden en que corren los de un mismo evento.

Los manejadores viven en su módulo (privados: solo este los registra); lo que un flush o una sentencia masiva
tocó lo describe una vez `gestion.base.tocado`, y la auditoría, las cifras guardadas y las listas de chequeo
guardadas lo leen de ahí. Los eventos de Session son del proceso, no de una app: `configurar_eventos` los
registra una sola vez aunque las pruebas armen muchas apps, y ningún módulo los registra al importarse.

Fuera de esta tabla queda `modelos.base._acotar_cifra` (evento de Column, no de la sesión): pone el CHECK de cada
cifra mientras se declaran los modelos, antes de que exista una app.
"""
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from gestion.base import auditoria, ingreso, tocado, validacion
from gestion.planes import listas_guardadas
from gestion.seguimiento import cifras_guardadas

# (evento, manejador, qué hace y por qué corre ahí)
EVENTOS = (
    # Antes del flush: todo se puede leer todavía y rechazar sin haber escrito nada.
    ("before_flush", tocado._antes_de_guardar,
     "carga las columnas de lo que se va a borrar: después del flush su fila ya no está para saber de qué plan era"),
    ("before_flush", auditoria._antes_de_guardar,
     "rechaza editar o borrar el registro de auditoría, antes de que llegue a la base"),
    ("before_flush", validacion.revisar_sesion,
     "rechaza con un mensaje en español lo que la columna no puede guardar, antes de que la base lo vea"),
    ("before_flush", ingreso._guardar_clave_anterior,
     "guarda el hash de la contraseña que un usuario deja (la política no deja volver a las últimas), antes de que "
     "el flush la pierda"),
    ("before_flush", ingreso._anotar_sin_version,
     "escribe aparte, sin subir la versión, lo que anota el ingreso: entrar no da conflicto a quien edita al usuario"),
    # Después del flush, en la misma transacción: las filas ya están escritas y la sesión aún dice qué cambió.
    ("after_flush", tocado._al_guardar,
     "describe el flush una vez (lo creado, editado y borrado) y anota que la transacción escribió; primero: los "
     "demás lo leen"),
    ("after_flush", listas_guardadas._al_guardar,
     "bloquea los planes tocados y borra su lista de chequeo guardada; el primero que escribe: el bloqueo del plan "
     "ordena a dos transacciones que cambian el mismo plan antes de que escriban algo más"),
    ("after_flush", cifras_guardadas._marcar_pendientes,
     "marca pendientes las cifras del tablero de las dependencias dueñas de los planes tocados"),
    ("after_flush", auditoria._despues_de_guardar,
     "escribe un evento de auditoría por fila creada, editada o borrada, con quién, cuándo y antes → después; "
     "último: nadie lee lo que escribe"),
    # Antes de cada sentencia masiva (INSERT, UPDATE o DELETE por session.execute), que no pasa por el flush.
    ("do_orm_execute", tocado._antes_de_sentencia,
     "describe la sentencia (su tabla y las filas que toca, leídas antes de que corra) y anota que la transacción "
     "escribió"),
    ("do_orm_execute", listas_guardadas._antes_de_sentencia,
     "lo mismo que tras un flush: bloquea los planes que la sentencia toca y borra su lista guardada"),
    ("do_orm_execute", cifras_guardadas._marcar_pendientes_de_sentencia,
     "lo mismo que tras un flush: marca pendientes las cifras de sus dependencias dueñas"),
    # Al confirmar: una vez por transacción, no por flush.
    ("before_commit", listas_guardadas._al_confirmar,
     "evalúa y guarda la lista de chequeo de los planes anotados, con todo lo de la transacción ya escrito"),
    # Al terminar la transacción entera, confirmada o deshecha.
    ("after_transaction_end", tocado._al_terminar,
     "olvida lo anotado en la transacción (planes por evaluar, si escribió)"),
)


def configurar_eventos(app: Flask) -> None:
    """Registra los eventos de `EVENTOS` en su orden, una vez por proceso."""
    for evento, manejador, _motivo in EVENTOS:
        if not sa.event.contains(Session, evento, manejador):
            sa.event.listen(Session, evento, manejador)
