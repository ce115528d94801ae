#!/bin/sh
# The key store: a second database beside the main one (see docs/security.md).
# The postgres image runs this once, when its data directory is empty; on an existing
# volume create it by hand:  docker compose exec db createdb -U crisis_ops crisis_ops_keystore
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE DATABASE crisis_ops_keystore;
SQL
