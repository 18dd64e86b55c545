"""What the benchmarks share: the production settings they run under, a keep-alive HTTP client,
percentiles, and gunicorn started with the production settings (scripts/bench*.py)."""

import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(index_prefix):
    """Production settings with benchmark-only secrets, then django.setup()."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-deployment")
    os.environ.setdefault("PII_HASH_KEY", "benchmark-only-pii-hash-key")
    os.environ.setdefault("SEARCH_INDEX_PREFIX", index_prefix)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    # The production checks gunicorn runs at start-up: a benchmark sends no mail or text messages.
    os.environ.setdefault("TOTP_ENCRYPTION_KEY", "benchmark-only-totp-encryption-key-0123456789")
    os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://bench.example.gov.cn")
    os.environ.setdefault("ALLOW_LOCAL_MESSAGE_BACKENDS", "true")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    os.environ.setdefault("SMS_BACKEND", "portal.sms.ConsoleBackend")
    # One client address per request through the trusted proxy header, as behind the county's
    # reverse proxy: the per-address limit counts distinct people, not this one benchmark.
    os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
    import django

    django.setup()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def report(label, durations):
    ms = [d * 1000 for d in durations]
    print(
        f"{label}: n={len(ms)}  mean {statistics.mean(ms):.1f} ms  p50 {percentile(ms, 0.5):.1f} ms  "
        f"p95 {percentile(ms, 0.95):.1f} ms  p99 {percentile(ms, 0.99):.1f} ms  max {max(ms):.1f} ms",
        flush=True,
    )
    return percentile(ms, 0.95)


class Client:
    """A plain keep-alive HTTP client that carries cookies and a per-request client address."""

    def __init__(self, port, timeout=30):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies = {}
        self.location = ""  # the last answer's redirect target

    def request(self, method, path, body=None, address="10.0.0.1"):
        headers = {"X-Forwarded-For": address, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1" + path  # as a browser posting the form sends it
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read().decode()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        self.location = response.getheader("Location", "")
        return response.status, content, elapsed


def start_server(port, workers, env=None, timeout=60):
    """gunicorn on 127.0.0.1:`port` with this process's environment (or `env`), once /healthz answers."""
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit(f"gunicorn did not answer /healthz within {timeout} s")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
