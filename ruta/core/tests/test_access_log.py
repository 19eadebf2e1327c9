"""gunicorn's access log keeps no search words and no client address."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parents[3]


def test_access_log_line_has_the_path_but_no_query_or_address() -> None:
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/servicios/",
        "QUERY_STRING": "q=violencia+sexual&near=-12.05,-77.04",
        "RAW_URI": "/servicios/?q=violencia+sexual&near=-12.05,-77.04",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "190.12.34.56",
        "HTTP_X_FORWARDED_FOR": "190.12.34.56",
        "HTTP_REFERER": "https://www.google.com/search?q=violencia",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Android 14)",
    }
    request = SimpleNamespace(
        headers=[("USER-AGENT", "Mozilla/5.0 (Android 14)")],
        method="GET",
        path="/servicios/",
        query="q=violencia+sexual",
        uri=environ["RAW_URI"],
        version=(1, 1),
    )
    response = SimpleNamespace(
        status="200 OK", status_code=200, response_length=5120, sent=5120, headers=[]
    )
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=42))
    line = settings["access_log_format"] % atoms
    assert '"GET /servicios/ HTTP/1.1" 200 5120' in line
    for secret in ("violencia", "-77.04", "190.12", "google", "Android"):
        assert secret not in line, (secret, line)
