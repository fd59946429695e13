#!/bin/sh
# The `replica` service of docker-compose.yml: a streaming standby of `db`.
# On the first start (an empty volume) it copies the primary with pg_basebackup -R,
# which also writes the standby.signal and primary_conninfo it follows; afterwards
# it just starts and catches up. Runs as the image's postgres user.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready --host=db --username="$PGUSER" --quiet; do sleep 1; done
  pg_basebackup --pgdata="$PGDATA" --host=db --username="$PGUSER" \
    --wal-method=stream --write-recovery-conf --checkpoint=fast
  chmod 0700 "$PGDATA"
fi
exec postgres
