"""Las extensiones de Flask, creadas sin app: `crear_app` las inicializa."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mail import Mail
from flask_migrate import Migrate
from flask_security import Security, SQLAlchemyUserDatastore
from flask_wtf import CSRFProtect

from modelos import Rol, Usuario, db

babel = Babel()
csrf = CSRFProtect()
mail = Mail()
migrate = Migrate()
security = Security()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
datastore = SQLAlchemyUserDatastore(db, Usuario, Rol)

__all__ = ["babel", "csrf", "db", "datastore", "limiter", "mail", "migrate", "security"]
