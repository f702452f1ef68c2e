#!/usr/bin/env bash
# Installs pgvector into the local PostgreSQL from Debian's source package (Debian 12 ships no
# binary package; trixie's source builds against PostgreSQL 15 in ~10 s). Idempotent: exits at once
# when the extension is already installed. Needs root and Debian's archive. Elsewhere, install
# pgvector the usual way (https://github.com/pgvector/pgvector#installation).
set -euo pipefail

PGMAJ=$(ls /etc/postgresql | sort -n | tail -1)
PGC=/usr/lib/postgresql/$PGMAJ/bin/pg_config
if [ -f "$($PGC --sharedir)/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL $PGMAJ"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$PGMAJ" dpkg-dev >/dev/null

uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/etc"
printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" >"$work/etc/src.sources"
opts=(-o "Dir::State::Lists=$work/lists" -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/etc" -o APT::Sandbox::User=root)
apt-get "${opts[@]}" update -qq
(cd "$work" && apt-get "${opts[@]}" source --download-only pgvector >/dev/null)
tar xzf "$work"/pgvector_*.orig.tar.gz -C "$work"
src=$(ls -d "$work"/pgvector-*/)
# OPTFLAGS="": no -march=native, so the build runs on any x86-64 machine.
make -s -C "$src" PG_CONFIG="$PGC" OPTFLAGS="" >/dev/null
make -s -C "$src" PG_CONFIG="$PGC" install >/dev/null
echo "pgvector: installed for PostgreSQL $PGMAJ"
