"""An authenticated search cluster (issue 11, finding 16): the portal reaches Elasticsearch over
verified TLS with credentials in ELASTICSEARCH_URL or an API key, and an unverified certificate
or wrong credentials count as "search down" (shown by /healthz), never as a silent downgrade.

The test cluster runs without security, so a small HTTPS gateway in front of it does what a
secured cluster's HTTP layer does: it answers 401 unless the request carries the credentials,
and forwards authenticated requests to the real Elasticsearch."""

import base64
import datetime
import ipaddress
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD, API_KEY = "portal", "s3cret-pass", base64.b64encode(b"key-id:key-secret").decode()
ACCEPTED = {f"Basic {base64.b64encode(f'{USER}:{PASSWORD}'.encode()).decode()}", f"ApiKey {API_KEY}"}


def self_signed_certificate(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cluster.pem", directory / "cluster.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Gateway(BaseHTTPRequestHandler):
    upstream = "http://127.0.0.1:9200"
    seen = []

    def _forward(self):
        authorization = self.headers.get("Authorization", "")
        self.seen.append(authorization.split(" ", 1)[0])
        if authorization not in ACCEPTED:
            body = b'{"error":"missing authentication credentials","status":401}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("WWW-Authenticate", 'Basic realm="security"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        length = int(self.headers.get("Content-Length") or 0)
        headers = {k: v for k, v in self.headers.items() if k.lower() in {"content-type", "accept"}}
        answer = requests.request(
            self.command, self.upstream + self.path, data=self.rfile.read(length), headers=headers, timeout=30
        )
        self.send_response(answer.status_code)
        for header in ("Content-Type", "X-Elastic-Product"):
            if header in answer.headers:
                self.send_header(header, answer.headers[header])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    cert_path, key_path = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], cert_path
    server.shutdown()


def search_health(client):
    return client.get("/healthz").json()["search"]["status"]


@pytest.mark.django_db
def test_the_portal_reaches_an_authenticated_cluster_over_verified_tls(client, settings, gateway):
    port, ca = gateway
    settings.ELASTICSEARCH_CA_CERTS = str(ca)
    settings.ELASTICSEARCH_URL = f"https://{USER}:{PASSWORD}@127.0.0.1:{port}"
    Gateway.seen.clear()
    assert search_health(client) == "ok"
    assert Gateway.seen and set(Gateway.seen) == {"Basic"}

    settings.ELASTICSEARCH_URL = f"https://127.0.0.1:{port}"
    settings.ELASTICSEARCH_API_KEY = API_KEY
    assert search_health(client) == "ok"
    assert Gateway.seen[-1] == "ApiKey"


@pytest.mark.django_db
def test_wrong_credentials_or_an_unverified_certificate_mean_search_down(client, settings, gateway):
    port, ca = gateway
    settings.ELASTICSEARCH_URL = f"https://{USER}:wrong@127.0.0.1:{port}"
    settings.ELASTICSEARCH_CA_CERTS = str(ca)
    assert search_health(client) == "down"

    # The right credentials, but the certificate is not checked against the deployment's CA:
    # the connection is refused rather than made without verification.
    settings.ELASTICSEARCH_URL = f"https://{USER}:{PASSWORD}@127.0.0.1:{port}"
    settings.ELASTICSEARCH_CA_CERTS = ""
    Gateway.seen.clear()
    assert search_health(client) == "down"
    assert Gateway.seen == []  # no request (and no password) ever reached the unverified server
