"""Las extensiones de Flask que no guardan estado por app; `crear_app` las inicializa.

Flask-Security y Flask-Limiter guardan configuración en la instancia: se crean una por app
en `gestion.configurar_seguridad` (las pruebas crean varias apps en un mismo proceso)."""
from flask_babel import Babel
from flask_mail import Mail
from flask_migrate import Migrate
from flask_security import SQLAlchemyUserDatastore
from flask_wtf import CSRFProtect

from modelos import Rol, Usuario, db

babel = Babel()
csrf = CSRFProtect()
mail = Mail()
migrate = Migrate()
datastore = SQLAlchemyUserDatastore(db, Usuario, Rol)

__all__ = ["babel", "csrf", "db", "datastore", "mail", "migrate"]
