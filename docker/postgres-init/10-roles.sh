#!/bin/bash
# First start of the db container (docker-entrypoint-initdb.d): create the two roles
# README's "Database roles" describes, from the URLs in .env. POSTGRES_USER stays the
# cluster administrator; neither the app nor migrations use it.
#   owner (DATABASE_MIGRATION_URL): owns the database and schema, runs migrate.
#   app   (DATABASE_URL): owns nothing; migrate grants it row access (core/dbroles.py).
# Passwords in the URLs must be URL-safe (no ':', '@', '/').
set -euo pipefail

parse() {  # postgres://user:password@host:port/name -> "user password"
    local rest=${1#*://}
    local credentials=${rest%%@*}
    echo "${credentials%%:*} ${credentials#*:}"
}
read -r owner owner_password <<<"$(parse "$DATABASE_MIGRATION_URL")"
read -r app app_password <<<"$(parse "$DATABASE_URL")"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" -v owner="$owner" -v owner_password="$owner_password" \
    -v app="$app" -v app_password="$app_password" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
SQL
