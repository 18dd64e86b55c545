"""Two app servers (gunicorn, one worker each) on the test database and the shared cache, for
rules that must hold across servers: what one process keeps in its own memory, the other does
not see. Requests go over real HTTP with a cookie jar, CSRF tokens and all."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class AppServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
        }  # the same settings module, from the same environment, keeps to this run's indices and keys
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--workers", "1"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def wait_until_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=30).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn on port {self.port} did not answer within {timeout} s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """One person's browser (its own cookies) sending requests to a given server."""

    def __init__(self):
        self.session = requests.Session()

    def get(self, server, path):
        return self.session.get(server.url + path, allow_redirects=False, timeout=60)

    def submit(self, server, path, data):
        """GET the form, then POST it (with the CSRF token the page carries)."""
        return self.post_form(server, path, self.get(server, path).text, data)

    def post_form(self, server, path, page, data):
        token = CSRF_FIELD.search(page)
        fields = {**data, "csrfmiddlewaretoken": token.group(1)} if token else data
        return self.session.post(server.url + path, data=fields, allow_redirects=False, timeout=60)
