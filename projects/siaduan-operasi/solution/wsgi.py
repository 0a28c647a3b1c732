"""Titik masuk WSGI untuk gunicorn: gunicorn wsgi:app (langkah 4 di README)."""
import os

from werkzeug.middleware.proxy_fix import ProxyFix

from siaduan import create_app

app = create_app()

if os.environ.get("SIADUAN_DI_BELAKANG_PROXY") == "1":
    # nginx di depan: percayai satu lapis X-Forwarded-For dan X-Forwarded-Proto (https).
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
