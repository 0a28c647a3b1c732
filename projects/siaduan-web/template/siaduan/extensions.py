"""Ekstensi Flask, dibuat sekali di sini dan dipasang ke aplikasi oleh create_app."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

db = SQLAlchemy()
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.masuk"
login_manager.login_message = "Silakan masuk terlebih dahulu."

