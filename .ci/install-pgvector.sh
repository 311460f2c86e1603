#!/usr/bin/env bash
# Builds pgvector for the system PostgreSQL from Debian's own source package (Debian 12 ships no binary).
# Idempotent: does nothing when the extension is already available to the running server.
set -euo pipefail
PGV=${PGVECTOR_VERSION:-0.8.0}
PGMAJOR=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
if [ -z "$PGMAJOR" ]; then echo "install-pgvector: no system PostgreSQL found under /etc/postgresql; skipping"; exit 0; fi
if [ -f "/usr/share/postgresql/$PGMAJOR/extension/vector.control" ]; then
  echo "install-pgvector: pgvector already installed for PostgreSQL $PGMAJOR"; exit 0
fi
echo "install-pgvector: building pgvector $PGV for PostgreSQL $PGMAJOR from Debian's source package"
if [ ! -f /etc/apt/sources.list.d/trixie-src.sources ]; then
  cat > /etc/apt/sources.list.d/trixie-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-$PGMAJOR" make gcc dpkg-dev >/dev/null
work=$(mktemp -d)
cd "$work"
apt-get source --download-only "pgvector=$PGV*" >/dev/null 2>&1 || apt-get source --download-only pgvector >/dev/null
tar xzf pgvector_*.orig.tar.gz
cd pgvector-*/
make -s OPTFLAGS="" PG_CONFIG="/usr/lib/postgresql/$PGMAJOR/bin/pg_config" >/dev/null
make -s install PG_CONFIG="/usr/lib/postgresql/$PGMAJOR/bin/pg_config" >/dev/null
rm -rf "$work"
echo "install-pgvector: done"
