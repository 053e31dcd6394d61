# shellcheck shell=sh
# Start a throwaway PostgreSQL server for the store tests and export DISCIPLINE_FLOW_PG_URL.
#
# Source it (do not run it):  . .ci/postgres.sh
#   - DISCIPLINE_FLOW_PG_URL already set: nothing to do (an existing server is used).
#   - PostgreSQL binaries found (Debian: /usr/lib/postgresql/<N>/bin, or initdb on PATH; the
#     pattern searched can be changed with DISCIPLINE_FLOW_PG_BINDIRS): a new
#     cluster is created in a temporary directory (initdb, trust auth), listening only on
#     127.0.0.1 on a free port; a database "discipline_flow_test" is created; the URL exported.
#   - No binaries and CI=true: installs the Debian package "postgresql" (needs root) and goes on.
#   - No binaries otherwise: prints one notice and exports DISCIPLINE_FLOW_NO_POSTGRES=1, so the
#     PostgreSQL tests skip (they fail when neither variable is set).
# Call df_pg_stop when done (it stops the server and removes its directory). When run as root
# the server runs as the "postgres" user (initdb refuses root).
# Returns non-zero (never exits the calling shell) when a server could not be started.

# Written for POSIX sh (dash) as well as bash, so a Makefile recipe can source it.

# Run a command as the server's owner: "postgres" when we are root (initdb refuses root).
# From the root directory: the caller's directory may be one the server's user cannot enter.
_df_pg_as_owner() {
    if [ "$(id -u)" = "0" ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

df_pg_stop() {
    if [ -n "${DF_PG_DATA:-}" ] && [ -d "$DF_PG_DATA" ]; then
        _df_pg_as_owner "$DF_PG_BIN/pg_ctl" -D "$DF_PG_DATA/db" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$DF_PG_DATA"
    fi
    unset DF_PG_DATA DISCIPLINE_FLOW_PG_URL
}

_df_pg_find_bin() {
    local dir
    # shellcheck disable=SC2086 # the pattern is meant to be expanded
    dir=$(ls -d ${DISCIPLINE_FLOW_PG_BINDIRS:-/usr/lib/postgresql/*/bin} 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

_df_pg_free_port() {
    "${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_df_pg_start() {
    if [ -n "${DISCIPLINE_FLOW_PG_URL:-}" ]; then
        echo "postgres.sh: using DISCIPLINE_FLOW_PG_URL from the environment"
        return 0
    fi
    local bin
    if ! bin=$(_df_pg_find_bin); then
        if [ "${CI:-}" = "true" ]; then
            echo "postgres.sh: PostgreSQL not found; installing the Debian package"
            if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }; then
                echo "postgres.sh: error: could not install PostgreSQL" >&2
                return 1
            fi
            if ! bin=$(_df_pg_find_bin); then
                echo "postgres.sh: error: PostgreSQL installed but initdb not found" >&2
                return 1
            fi
        else
            echo "postgres.sh: notice: no PostgreSQL binaries found; PostgreSQL store tests will be skipped (DISCIPLINE_FLOW_NO_POSTGRES=1)"
            export DISCIPLINE_FLOW_NO_POSTGRES=1
            return 0
        fi
    fi
    local port data
    port=$(_df_pg_free_port) || { echo "postgres.sh: error: no free port" >&2; return 1; }
    data=$(mktemp -d "${TMPDIR:-/tmp}/discipline-flow-pg.XXXXXX") || return 1
    if [ "$(id -u)" = "0" ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "postgres.sh: error: running as root but there is no 'postgres' user to run the server" >&2
            rm -rf "$data"
            return 1
        fi
        chown postgres: "$data"
    fi
    if ! _df_pg_as_owner "$bin/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 --locale=C >"$data/initdb.log" 2>&1; then
        echo "postgres.sh: error: initdb failed:" >&2
        cat "$data/initdb.log" >&2
        rm -rf "$data"
        return 1
    fi
    if ! _df_pg_as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null; then
        echo "postgres.sh: error: the server did not start:" >&2
        cat "$data/server.log" >&2
        rm -rf "$data"
        return 1
    fi
    if ! "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres discipline_flow_test; then
        echo "postgres.sh: error: createdb failed" >&2
        _df_pg_as_owner "$bin/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1
        rm -rf "$data"
        return 1
    fi
    export DF_PG_BIN="$bin"
    export DF_PG_DATA="$data"
    export DISCIPLINE_FLOW_PG_URL="postgresql://postgres@127.0.0.1:$port/discipline_flow_test"
    echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (DISCIPLINE_FLOW_PG_URL exported; df_pg_stop to stop)"
}

_df_pg_start
