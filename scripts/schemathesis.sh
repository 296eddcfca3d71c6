#!/usr/bin/env bash
# Property-based API test: runs schemathesis (PyPI) against the service's own OpenAPI document
# (/api/v1/openapi.json) on a temporary SQLite database, once with an admin token and once with a
# unit token, checking that no answer is a server error and that every answer's status and body
# conform to the document. Bounded in examples per operation and in time.
#
#   scripts/schemathesis.sh                       # 30 examples per operation, ≤ 10 min per pass
#   SCHEMATHESIS_EXAMPLES=100 scripts/schemathesis.sh
#
# Exits non-zero on any failure (or a server panic). Installs schemathesis with pip if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${SCHEMATHESIS_EXAMPLES:-30}
TIME_LIMIT=${SCHEMATHESIS_TIME_LIMIT:-600}

if ! command -v schemathesis >/dev/null 2>&1; then
    echo "schemathesis not found: installing it with pip" >&2
    python3 -m pip install --quiet schemathesis
fi

if [[ -n "${SHENBAO_BIN:-}" ]]; then
    BIN=$SHENBAO_BIN
else
    cargo build -p api-server --quiet
    BIN=${CARGO_TARGET_DIR:-target}/debug/api-server
fi

TMP=$(mktemp -d)
PID=
cleanup() {
    if [[ -n "$PID" ]]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$TMP/data/shenbao.db"
export SHENBAO_BIND=127.0.0.1:0
export SHENBAO_WEB_ROOT=./web-demo
export SHENBAO_LOG=${SHENBAO_LOG:-warn}
export SHENBAO_TODAY=2025-09-15
unset SHENBAO_CALENDAR_DIR SHENBAO_LOG_FORMAT

ADMIN=$("$BIN" token create --role admin --label schemathesis 2>/dev/null)
UNIT=$("$BIN" token create --role unit --jurisdiction potou --credit-code 114408040073500118 --label schemathesis 2>/dev/null)

"$BIN" serve >"$TMP/stdout" 2>"$TMP/server.log" &
PID=$!
BASE=
for _ in $(seq 1 300); do
    if grep -q '^listening on ' "$TMP/stdout" 2>/dev/null; then
        BASE=$(sed -n 's/^listening on //p' "$TMP/stdout" | head -n 1)
        break
    fi
    if ! kill -0 "$PID" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [[ -z "$BASE" ]]; then
    echo "the server did not start:" >&2
    cat "$TMP/server.log" >&2
    exit 1
fi
echo "server at $BASE (database $DATABASE_URL)"

status=0
# The unit pass first: the admin pass may revoke tokens (DELETE /api/v1/tokens/{id}).
for who in unit admin; do
    token=$ADMIN
    [[ $who == unit ]] && token=$UNIT
    echo "== schemathesis as $who: $EXAMPLES examples per operation, at most ${TIME_LIMIT}s"
    # One worker: with two, hypothesis' lambda-source cache has been seen to crash with
    # "AST constructor recursion depth mismatch" (a runtime error of the tool, not a finding).
    # A run whose only problems are such tool errors is repeated once; a failure never is.
    for attempt in 1 2; do
        rc=0
        timeout "$TIME_LIMIT" schemathesis run "$BASE/api/v1/openapi.json" \
            --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
            --header "Authorization: Bearer $token" \
            --max-examples "$EXAMPLES" \
            --phases examples,coverage,fuzzing,stateful \
            --workers 1 \
            --seed 20261122 \
            --request-timeout 30 \
            --no-color \
            --report junit --report-dir "$TMP/report-$who" 2>&1 | tee "$TMP/out-$who" || rc=$?
        [[ $rc == 0 ]] && break
        if [[ $attempt == 1 ]] && grep -q 'Runtime Error' "$TMP/out-$who" && ! grep -q '^Failures:' "$TMP/out-$who"; then
            echo "schemathesis ($who): a runtime error of the tool and no failures; running once more" >&2
            continue
        fi
        echo "schemathesis ($who) FAILED" >&2
        status=1
        break
    done
done

if grep -q 'panicked' "$TMP/server.log"; then
    echo "the server panicked:" >&2
    grep -B2 -A10 'panicked' "$TMP/server.log" >&2
    status=1
fi
if ! kill -0 "$PID" 2>/dev/null; then
    echo "the server died during the run" >&2
    status=1
fi
exit $status
