#!/usr/bin/env bash
# Install (when missing) and start the real services the test suite runs against:
# PostgreSQL and Redis from Debian, Elasticsearch from Maven Central, Chromium, nginx, espeak-ng and
# tesseract-ocr from Debian, axe-core from npm; wrk from Debian for `make bench` (not in "all").
# Idempotent: services already running are reused. Prints the environment to export.
#
# Usage: scripts/services.sh [postgres|redis|elasticsearch|chromium|nginx|captcha|axe|wrk|all]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ES_VERSION="${ES_VERSION:-8.19.3}"
ES_PORT="${ES_PORT:-9200}"
ES_USER="${ES_USER:-elasticsearch}"
ES_BASE="${ES_BASE:-/var/lib/portal-elasticsearch}"
ES_HEAP="${ES_HEAP:-768m}"
PG_ROLE="${PG_ROLE:-portal}"
PG_PASSWORD="${PG_PASSWORD:-portal}"
PG_DB="${PG_DB:-portal}"
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_BASE="${REDIS_BASE:-/var/lib/portal-redis}"
CACHE="$ROOT/var/cache"

log() { echo "[services] $*" >&2; }
die() { echo "[services] ERROR: $*" >&2; exit 1; }

APT_UPDATED=""
apt_install() {
    if [ -z "$APT_UPDATED" ]; then
        log "apt-get update"
        mkdir -p "$ROOT/var"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$ROOT/var/apt.log" 2>&1 \
            || { tail -n 30 "$ROOT/var/apt.log" >&2; die "apt-get update failed"; }
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$ROOT/var/apt.log" 2>&1 \
        || { tail -n 30 "$ROOT/var/apt.log" >&2; die "apt-get install $* failed"; }
}

# --- PostgreSQL -----------------------------------------------------------
pg_cluster() {
    # First cluster known to Debian's postgresql-common: "<version> <name> <port> <status>".
    pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1, $2, $3, $4}'
}

ensure_postgres() {
    command -v pg_lsclusters >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
        || apt_install postgresql
    if [ -z "$(pg_cluster)" ]; then
        local version
        version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
        log "creating PostgreSQL $version cluster 'main'"
        pg_createcluster "$version" main >&2
    fi
    read -r version name port status <<<"$(pg_cluster)"
    if [ "$status" != "online" ]; then
        log "starting PostgreSQL $version/$name on port $port"
        pg_ctlcluster "$version" "$name" start >&2
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p "$port" && break
        sleep 1
    done
    pg_isready -q -h 127.0.0.1 -p "$port" || die "PostgreSQL did not become ready on port $port"
    runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD' CREATEDB;
  END IF;
END
\$\$;
SQL
    if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
        runuser -u postgres -- createdb -p "$port" -O "$PG_ROLE" "$PG_DB" >&2
    fi
    log "PostgreSQL ready on 127.0.0.1:$port"
    echo "export DATABASE_URL=postgres://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
}

# --- Redis (the shared cache: rate limits, one-time-code markers, page cache) ----------
redis_up() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

ensure_redis() {
    if ! redis_up; then
        command -v redis-server >/dev/null 2>&1 || apt_install redis-server
        id redis >/dev/null 2>&1 || useradd --system --home-dir "$REDIS_BASE" --shell /usr/sbin/nologin redis
        mkdir -p "$REDIS_BASE"
        chown redis: "$REDIS_BASE"
        log "starting Redis on 127.0.0.1:$REDIS_PORT (no persistence: it only holds a cache)"
        runuser -u redis -- redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
            --dir "$REDIS_BASE" --pidfile "$REDIS_BASE/redis.pid" --logfile "$REDIS_BASE/redis.log" \
            --save "" --appendonly no --maxmemory 256mb --maxmemory-policy volatile-lru >&2
        for _ in $(seq 1 30); do
            redis_up && break
            sleep 0.2
        done
        redis_up || { tail -n 20 "$REDIS_BASE/redis.log" >&2; die "Redis did not answer on port $REDIS_PORT"; }
    fi
    log "Redis ready on 127.0.0.1:$REDIS_PORT"
    echo "export CACHE_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

# --- Elasticsearch --------------------------------------------------------
es_healthy() {
    curl -fsS "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=${1:-1}s" >/dev/null 2>&1
}

java17_home() {
    for candidate in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-*; do
        [ -x "$candidate/bin/java" ] && { echo "$candidate"; return; }
    done
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

ensure_elasticsearch() {
    if es_healthy; then
        log "Elasticsearch already running on 127.0.0.1:$ES_PORT"
        echo "export ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT"
        return
    fi
    command -v curl >/dev/null 2>&1 || apt_install curl
    command -v unzip >/dev/null 2>&1 || apt_install unzip
    command -v mvn >/dev/null 2>&1 || apt_install maven
    local zip="$CACHE/elasticsearch-$ES_VERSION.zip"
    if [ ! -s "$zip" ]; then
        mkdir -p "$CACHE"
        log "fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION from Maven Central"
        mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
            -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
            -DoutputDirectory="$CACHE" >&2
    fi
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --home-dir "$ES_BASE" --shell /usr/sbin/nologin "$ES_USER"
    local home="$ES_BASE/elasticsearch-$ES_VERSION"
    if [ ! -x "$home/bin/elasticsearch" ]; then
        log "unpacking Elasticsearch $ES_VERSION into $ES_BASE"
        mkdir -p "$ES_BASE"
        unzip -q -o "$zip" -d "$ES_BASE"
    fi
    mkdir -p "$ES_BASE/data" "$ES_BASE/logs"
    chown -R "$ES_USER:" "$ES_BASE"
    local java_home
    java_home="$(java17_home)"
    rm -f "$ES_BASE/elasticsearch.pid"  # left behind if a previous run was killed
    log "starting Elasticsearch $ES_VERSION as $ES_USER (ES_JAVA_HOME=$java_home, heap $ES_HEAP)"
    runuser -u "$ES_USER" -- env -i PATH=/usr/bin:/bin \
        ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
        "$home/bin/elasticsearch" -d -p "$ES_BASE/elasticsearch.pid" \
        -E cluster.name=portal-test -E node.name=portal-test-1 \
        -E discovery.type=single-node -E network.host=127.0.0.1 -E http.port="$ES_PORT" \
        -E xpack.security.enabled=false \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E path.data="$ES_BASE/data" -E path.logs="$ES_BASE/logs" >"$ES_BASE/logs/startup.out" 2>&1 \
        || { cat "$ES_BASE/logs/startup.out" >&2; die "Elasticsearch failed to start"; }
    for _ in $(seq 1 90); do
        es_healthy 2 && break
        sleep 1
    done
    if ! es_healthy 5; then
        tail -n 50 "$ES_BASE/logs/portal-test.log" >&2 || true
        die "Elasticsearch did not reach yellow health on port $ES_PORT"
    fi
    log "Elasticsearch ready on 127.0.0.1:$ES_PORT"
    echo "export ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT"
}

stop_elasticsearch() {
    [ -f "$ES_BASE/elasticsearch.pid" ] && kill "$(cat "$ES_BASE/elasticsearch.pid")" 2>/dev/null || true
}

# --- Chromium -------------------------------------------------------------
ensure_chromium() {
    [ -x /usr/bin/chromium ] || apt_install chromium fonts-noto-cjk
    [ -x /usr/bin/chromium ] || die "Chromium is not installed at /usr/bin/chromium"
    log "Chromium at /usr/bin/chromium"
    echo "export CHROMIUM_PATH=/usr/bin/chromium"
}

# --- nginx ----------------------------------------------------------------
# Only installed: the tests start their own nginx with the repository's configuration
# (deploy/nginx/) on a free port. Debian must not start its default site on port 80.
# The page cache's purges need Debian's cache-purge module (deploy/nginx/portal.conf).
NGINX_PURGE_MODULE=/usr/lib/nginx/modules/ngx_http_cache_purge_module.so
ensure_nginx() {
    if [ ! -x /usr/sbin/nginx ] || [ ! -e "$NGINX_PURGE_MODULE" ]; then
        local policy=/usr/sbin/policy-rc.d created=""
        if [ ! -e "$policy" ]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1
        fi
        apt_install nginx libnginx-mod-http-cache-purge
        [ -z "$created" ] || rm -f "$policy"
    fi
    [ -x /usr/sbin/nginx ] || die "nginx is not installed at /usr/sbin/nginx"
    [ -e "$NGINX_PURGE_MODULE" ] || die "nginx's cache-purge module is missing ($NGINX_PURGE_MODULE)"
    log "nginx at /usr/sbin/nginx"
    echo "export NGINX_PATH=/usr/sbin/nginx"
}

# --- wrk (the HTTP load tool of `make bench`) ------------------------------------------
ensure_wrk() {
    command -v wrk >/dev/null 2>&1 || apt_install wrk
    log "wrk at $(command -v wrk)"
    echo "export WRK_PATH=$(command -v wrk)"
}

# --- 图形验证码 audio and the tests' eyes -------------------------------------
# espeak-ng speaks the captcha in Mandarin (production needs it too); tesseract-ocr reads
# the captcha picture in the browser journeys, as a person reads it.
ensure_captcha_tools() {
    local missing=()
    command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
    command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
    log "espeak-ng and tesseract-ocr installed"
    echo "export CAPTCHA_ESPEAK_PATH=$(command -v espeak-ng)"
}

# --- axe-core (accessibility check injected into Chromium by the tests) ---------------
ensure_axe() {
    command -v npm >/dev/null 2>&1 || apt_install npm
    local installed="require('./node_modules/axe-core/package.json').version"
    local pinned="require('./package-lock.json').packages['node_modules/axe-core'].version"
    if ! (cd "$ROOT" && node -e "process.exit($installed === $pinned ? 0 : 1)" 2>/dev/null); then
        log "npm ci (axe-core, pinned in package-lock.json)"
        (cd "$ROOT" && npm ci --ignore-scripts --no-audit --no-fund >&2)
    fi
    log "axe-core at $ROOT/node_modules/axe-core"
    echo "export AXE_CORE_PATH=$ROOT/node_modules/axe-core/axe.min.js"
}

case "${1:-all}" in
    postgres) ensure_postgres ;;
    redis) ensure_redis ;;
    elasticsearch) ensure_elasticsearch ;;
    chromium) ensure_chromium ;;
    nginx) ensure_nginx ;;
    captcha) ensure_captcha_tools ;;
    axe) ensure_axe ;;
    wrk) ensure_wrk ;;
    stop-elasticsearch) stop_elasticsearch ;;
    all) ensure_postgres; ensure_redis; ensure_elasticsearch; ensure_chromium; ensure_nginx; ensure_captcha_tools; ensure_axe ;;
    *) die "unknown service '$1'" ;;
esac
