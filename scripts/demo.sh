#!/usr/bin/env bash
# The main job on the `local` stack: set up everything (scripts/setup.sh), `pulumi up` the pipeline
# against the sandbox, insert a row in MariaDB, show it arriving in PostgreSQL, print the stack outputs.
# Safe to run again: the second `pulumi up` changes nothing; each run inserts one new demo row.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
# shellcheck disable=SC1091
. toolchain/env.sh
# shellcheck disable=SC1091
. "$TANDEM_STATE_DIR/sandbox.env"

step() { printf '\n==> %s\n' "$*"; }
mariadb_sql() {
  MYSQL_PWD="$TANDEM_MARIADB_PASSWORD" mariadb --protocol=tcp -h "$TANDEM_MARIADB_HOST" -P "$TANDEM_MARIADB_PORT" \
    -u "$TANDEM_MARIADB_USER" "$TANDEM_MARIADB_DATABASE" --batch --skip-column-names -e "$1"
}
postgres_sql() {
  PGPASSWORD="$TANDEM_POSTGRES_PASSWORD" psql -h "$TANDEM_POSTGRES_HOST" -p "$TANDEM_POSTGRES_PORT" \
    -U "$TANDEM_POSTGRES_USER" -d "$TANDEM_POSTGRES_DATABASE" -v ON_ERROR_STOP=1 -X -q "$@"
}

step "demo table in MariaDB (the legacy app's side)"
mariadb_sql "CREATE TABLE IF NOT EXISTS demo_items (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))"
echo "app.demo_items ready"

step "pulumi up (stack local)"
pulumi stack select --create local >/dev/null
pulumi up --yes --stack local --skip-preview --suppress-progress

step "insert a row in MariaDB"
id=$(mariadb_sql "INSERT INTO demo_items (name, price) VALUES ('demo row from scripts/demo.sh', 19.99); SELECT LAST_INSERT_ID();")
echo "inserted demo_items id=$id"

step "wait for it in PostgreSQL"
for _ in $(seq 1 120); do
  if [ "$(postgres_sql -tA -c "SELECT count(*) FROM information_schema.tables WHERE table_name = 'demo_items'")" = 1 ] &&
     [ -n "$(postgres_sql -tA -c "SELECT 1 FROM public.demo_items WHERE id = $id")" ]; then
    postgres_sql -c "SELECT id, name, price, created_at FROM public.demo_items WHERE id = $id"
    step "stack outputs"
    pulumi stack output --json --stack local
    exit 0
  fi
  sleep 0.5
done
echo "row id=$id did not reach PostgreSQL within 60 s; see: sandbox/sandbox.sh logs connect" >&2
exit 1
