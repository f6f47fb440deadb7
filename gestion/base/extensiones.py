"""Las extensiones de Flask que no guardan estado por app; `crear_app` las inicializa.

Flask-Security y Flask-Limiter guardan configuración en la instancia: se crean una por app
en `gestion.configurar_seguridad` (las pruebas crean varias apps en un mismo proceso)."""
from functools import cache

import sqlalchemy as sa
from flask_babel import Babel
from flask_mail import Mail
from flask_migrate import Migrate
from flask_security import SQLAlchemyUserDatastore
from flask_wtf import CSRFProtect
from sqlalchemy.orm import joinedload

from modelos import Rol, Usuario, db

babel = Babel()
csrf = CSRFProtect()
mail = Mail()
migrate = Migrate()


class AlmacenUsuarios(SQLAlchemyUserDatastore):
    """El de Flask-Security, que en cada petición carga al usuario de la sesión con sus roles, trae también su
    dependencia en la misma consulta: el menú de cada página la nombra, y era una segunda consulta por página.
    La consulta de cada atributo se arma una vez por proceso, con el valor como parámetro: armarla en cada
    petición era una cuarta parte de lo que costaba cargar al usuario."""

    def find_user(self, case_insensitive: bool = False, **kwargs):
        atributo, valor = kwargs.popitem()  # como el original: un solo atributo
        return db.session.scalar(_consulta_de_usuario(atributo, case_insensitive), {"valor": valor})


@cache
def _consulta_de_usuario(atributo: str, sin_mayusculas: bool):
    columna, valor = getattr(Usuario, atributo), sa.bindparam("valor")
    condicion = sa.func.lower(columna) == sa.func.lower(valor) if sin_mayusculas else columna == valor
    return sa.select(Usuario).options(joinedload(Usuario.roles), joinedload(Usuario.dependencia)).where(condicion)


datastore = AlmacenUsuarios(db, Usuario, Rol)

__all__ = ["babel", "csrf", "db", "datastore", "mail", "migrate"]
