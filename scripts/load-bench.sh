#!/usr/bin/env bash
# Load benchmark of the intake service, in one run on this machine (load generator included):
#
#   1. GET  /healthz                      — a no-op JSON endpoint: the ceiling (baseline)
#   2. POST /api/v1/validate              — parse + validate + JSON Schema second check
#   3. POST /api/v1/submissions (final)   — durable filings on SQLite (synchronous=FULL, WAL)
#   4. POST /api/v1/submissions (final)   — durable filings on PostgreSQL (synchronous_commit=on)
#   5. overload: final filings on SQLite offered at 4× the rate measured in 3 (oha -q), with the
#      server's peak RSS — back-pressure (503 + Retry-After) instead of unbounded memory
#
# Every run is bounded in time (DURATION seconds) and in count (MAX_REQUESTS per run). After the
# filing runs the script checks that the server stored exactly as many filings as it answered
# 201 for. Results: a Markdown table on stdout and in target/load-bench/results.md.
#
#   scripts/load-bench.sh                  # 64 clients, 10 s per run
#   DURATION=5 CONNECTIONS=64 scripts/load-bench.sh
#
# Needs wrk (Debian package, installed if missing) and, for the overload run, oha (cargo install
# --locked oha; the run is skipped with a note if it cannot be installed). PostgreSQL on 127.0.0.1:5432
# (trust auth; the run is skipped when unreachable, or with SKIP_PG=1).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
MAX_REQUESTS=${MAX_REQUESTS:-3000000}
WORKERS=${SHENBAO_WORKERS:-2}
CASE=${CASE:-potou-apply-001}
OUT_DIR=${CARGO_TARGET_DIR:-$ROOT/target}/load-bench
mkdir -p "$OUT_DIR"

say() { printf '\033[1m[load]\033[0m %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
OHA=$(command -v oha || true)
if [ -z "$OHA" ] && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/oha" ]; then OHA="${CARGO_HOME:-$HOME/.cargo}/bin/oha"; fi
if [ -z "$OHA" ] && [ "${SKIP_OVERLOAD:-0}" != 1 ]; then
  say "installing oha (cargo install oha) for the overload run"
  # --locked: oha's own lock file (the newest versions of some of its dependencies want a newer rustc)
  cargo install oha --locked >/dev/null 2>&1 || cargo install oha >/dev/null 2>&1 ||
    say "oha could not be installed: the overload run is skipped"
  OHA=$(command -v oha || true)
fi

say "building api-server (release)"
cargo build --release -p api-server --quiet
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/api-server

TMP=$(mktemp -d)
PID=
PG_DB=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [ -n "$PG_DB" ]; then psql -h 127.0.0.1 -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# The filing: a shared case valid for final submission on its own submission_date.
python3 - "$ROOT/../shared/cases" "$CASE" "$TMP" <<'PY'
import json, pathlib, sys
cases_dir, case_id, tmp = sys.argv[1:]
for f in sorted(pathlib.Path(cases_dir).glob("*.json")):
    for c in json.loads(f.read_text()):
        if c["id"] == case_id:
            assert c["expect"]["valid_for_final_submission"], f"{case_id} is not valid"
            d = c["data"]
            t = pathlib.Path(tmp)
            (t / "validate.json").write_text(json.dumps({"jurisdiction": c["jurisdiction"], "form": c["form"], "data": d}, ensure_ascii=False))
            (t / "final.json").write_text(json.dumps({"jurisdiction": c["jurisdiction"], "form": c["form"], "status": "final", "data": d}, ensure_ascii=False))
            (t / "meta").write_text(f'{c["jurisdiction"]} {d["applicant"]["credit_code"]} {d["submission_date"]}\n')
            sys.exit(0)
sys.exit(f"no case {case_id}")
PY
read -r JUR CC TODAY <"$TMP/meta"

# start_server URL: starts api-server on a fresh database; sets PID, BASE, TOKEN.
start_server() {
  export DATABASE_URL=$1 SHENBAO_BIND=127.0.0.1:0 SHENBAO_WEB_ROOT="$ROOT/web-demo" SHENBAO_LOG=warn \
    SHENBAO_TODAY=$TODAY SHENBAO_WORKERS=$WORKERS
  TOKEN=$("$BIN" token create --role unit --jurisdiction "$JUR" --credit-code "$CC" --label load-bench 2>/dev/null)
  "$BIN" serve >"$TMP/stdout" 2>"$TMP/server.log" &
  PID=$!
  BASE=
  for _ in $(seq 1 200); do
    BASE=$(sed -n 's/^listening on //p' "$TMP/stdout" | head -n 1)
    [ -n "$BASE" ] && break
    sleep 0.05
  done
  [ -n "$BASE" ] || { cat "$TMP/server.log" >&2; echo "the server did not start" >&2; exit 1; }
}
stop_server() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
}
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$PID/status"; }
metric() { curl -s "$BASE/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

RESULTS=$TMP/results.jsonl
: >"$RESULTS"
# run NAME METHOD PATH [BODY_FILE] [TOKEN]
run() {
  local name=$1 method=$2 path=$3 body=${4:-} token=${5:-}
  say "$name: wrk -t1 -c$CONNECTIONS -d${DURATION}s $method $path"
  METHOD=$method BODY_FILE=$body TOKEN=$token MAX_REQUESTS=$MAX_REQUESTS \
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$ROOT/scripts/load/wrk.lua" "$BASE$path" >"$TMP/wrk.out"
  local line
  line=$(sed -n 's/^RESULT //p' "$TMP/wrk.out")
  [ -n "$line" ] || { cat "$TMP/wrk.out" >&2; exit 1; }
  echo "{\"name\":\"$name\",\"rss_kib\":$(peak_rss_kib),${line#\{}" >>"$RESULTS"
}
# check_stored N: every 201 the load generator read is a stored filing; the only stored filings
# without a 201 read are the requests in flight when the generator stopped (≤ one per connection).
check_stored() {
  local want=$1 max_in_flight=$2 got
  got=$(metric 'shenbao_filings_stored_total{action="created"}')
  say "stored filings: $got (201 answers read: $want); group commit: $(metric shenbao_write_ops_total) writes in $(metric shenbao_write_batches_total) transactions, largest $(metric shenbao_write_batch_max); schema second checks: $(metric 'shenbao_schema_checks_total{result="agreed"}') agreed, $(metric 'shenbao_schema_checks_total{result="skipped"}') skipped"
  if [ "$got" -lt "$want" ] || [ "$got" -gt $((want + max_in_flight)) ]; then
    echo "stored $got filings but answered 201 for $want (at most $max_in_flight in flight)" >&2; exit 1
  fi
}
ok_of() { python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["ok"])' "$RESULTS"; }

# --- SQLite: ceiling, validate, durable filings -------------------------------------------------
start_server "sqlite://$TMP/sqlite/shenbao.db"
curl -sf "$BASE/healthz" >/dev/null
run "GET /healthz (no-op, baseline)" GET /healthz
run "POST /api/v1/validate" POST /api/v1/validate "$TMP/validate.json"
run "POST /api/v1/submissions final, SQLite" POST /api/v1/submissions "$TMP/final.json" "$TOKEN"
check_stored "$(ok_of)" "$CONNECTIONS"
stop_server

# --- PostgreSQL ---------------------------------------------------------------------------------
if [ "${SKIP_PG:-0}" != 1 ] && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  PG_DB="shenbao_bench_$$"
  psql -h 127.0.0.1 -U postgres -d postgres -qAtc "CREATE DATABASE $PG_DB" >/dev/null
  start_server "postgres://postgres@127.0.0.1:5432/$PG_DB"
  run "POST /api/v1/submissions final, PostgreSQL" POST /api/v1/submissions "$TMP/final.json" "$TOKEN"
  check_stored "$(ok_of)" "$CONNECTIONS"
  stop_server
else
  say "PostgreSQL not reachable on 127.0.0.1:5432 (or SKIP_PG=1): its run is skipped"
fi

# --- overload: 4× the sustainable SQLite rate, open loop ----------------------------------------
if [ -n "$OHA" ] && [ "${SKIP_OVERLOAD:-0}" != 1 ]; then
  rate=$(python3 -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1])]
r=[x for x in rs if x["name"].endswith("SQLite")][0]
print(int(4*r["ok"]/(r["duration_us"]/1e6)))' "$RESULTS")
  start_server "sqlite://$TMP/overload/shenbao.db"
  conns=$((CONNECTIONS * 8))
  say "overload: oha -q $rate -c $conns -z ${DURATION}s (4× the SQLite rate)"
  "$OHA" --no-tui --output-format json -q "$rate" -c "$conns" -z "${DURATION}s" -m POST \
    -H "Authorization: Bearer $TOKEN" -T application/json -D "$TMP/final.json" "$BASE/api/v1/submissions" >"$TMP/oha.json"
  cp "$TMP/oha.json" "$OUT_DIR/overload-oha.json"
  python3 - "$TMP/oha.json" "$rate" "$(peak_rss_kib)" >>"$RESULTS" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
codes = {int(k): v for k, v in o.get("statusCodeDistribution", {}).items()}
s = o["summary"]
p = o.get("latencyPercentiles", {})
us = lambda x: int((x or 0) * 1e6)
total = sum(codes.values())
print(json.dumps({"name": f"overload: final filings offered at {sys.argv[2]}/s (4×), SQLite",
    "rss_kib": int(sys.argv[3]), "requests": total, "duration_us": int(s["total"] * 1e6),
    "ok": codes.get(201, 0), "busy": codes.get(503, 0),
    "other": total - codes.get(201, 0) - codes.get(503, 0),
    "socket_errors": sum(o.get("errorDistribution", {}).values()),
    "p50_us": us(p.get("p50")), "p90_us": us(p.get("p90")), "p99_us": us(p.get("p99")), "max_us": us(s.get("slowest"))}))
PY
  check_stored "$(ok_of)" "$conns"
  stop_server
fi

# --- table --------------------------------------------------------------------------------------
python3 - "$RESULTS" "$CONNECTIONS" "$DURATION" "$WORKERS" <<'PY' | tee "$OUT_DIR/results.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
conns, dur, workers = sys.argv[2:]
base = rows[0]
rate = lambda r: r["ok"] / (r["duration_us"] / 1e6)
print(f"{conns} concurrent clients, {dur} s per run, {workers} server workers, load generator on the same 2 cores.\n")
print("| run | answered 2xx/s | ratio to no-op | p50 | p99 | 503 | other | peak RSS |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['name']} | {rate(r):,.0f} | {rate(r) / rate(base):.2f} | {r['p50_us']/1000:.2f} ms | {r['p99_us']/1000:.2f} ms "
          f"| {r['busy']} | {r['other'] + r['socket_errors']} | {r['rss_kib']/1024:.0f} MiB |")
PY
