#!/bin/bash
# Start-up and the cost of an empty tenant, measured from outside on the packaged apps with the production JVM options
# (deploy/jvm/java-options), each on a throwaway database of the local PostgreSQL (docs/benchmarks.md, issue 27):
#   1. each process alone: start -> /q/health/ready 200, and the CPU seconds it used to get there;
#   2. the four together, three rounds;
#   3. pos-service: preview, DELETE and budgeted DELETE with an Idempotency-Key of empty tenants (median, p90 of N);
#   4. N empty-tenant jobs through the orchestrator, one after the other: created -> completed_at (the job's own
#      timestamps), the first 20 and the last 20 (a JVM warms up), and each service run's duration_ms.
# Package first: mvn -B -ntp package -DskipTests. Usage: platform-tests/scripts/startup-and-empty-calls.sh
# Options (environment): N (default 80), EXTRA (more JVM flags), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres),
# APPS_FROM (another checkout, packaged: its apps with its own deploy/jvm/java-options, to compare two versions on one
# machine, e.g. a `git worktree` of an older commit).
set -euo pipefail
cd "${APPS_FROM:-$(dirname "$0")/../..}"
ROOT=$PWD
N=${N:-80}
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
WORK=$(mktemp -d /tmp/startup-bench.XXXXXX)
ISSUER=https://tenant-deletion.internal
APPS=(pos-service external-service alert-processor orchestrator)
declare -A PORT=([pos-service]=18081 [external-service]=18082 [alert-processor]=18083 [orchestrator]=18080)
declare -A DB=([pos-service]=bench_su_pos [external-service]=bench_su_external [alert-processor]=bench_su_alerts
               [orchestrator]=bench_su_orchestrator)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for app in "${APPS[@]}"; do psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qc "drop database if exists ${DB[$app]} with (force)" 2>/dev/null || true; done
}
trap cleanup EXIT
for app in "${APPS[@]}"; do
  [ -f "$app/target/quarkus-app/quarkus-run.jar" ] || { echo "package the apps first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
done
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/private.pem" 2>/dev/null
openssl pkey -in "$WORK/private.pem" -pubout -out "$WORK/public.pem"

fresh() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qc "drop database if exists ${DB[$1]} with (force)" -c "create database ${DB[$1]}"; }
launch() {  # app; its pid in LAUNCHED (not a subshell: cleanup must know every pid)
  local app=$1
  # shellcheck disable=SC2086
  env QUARKUS_HTTP_PORT="${PORT[$app]}" QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/${DB[$app]}" \
      QUARKUS_DATASOURCE_USERNAME="$PGUSER" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$WORK/public.pem" MP_JWT_VERIFY_ISSUER="$ISSUER" \
      SMALLRYE_JWT_SIGN_KEY_LOCATION="$WORK/private.pem" MALLOC_ARENA_MAX=2 \
      DELETION_SERVICES_POS_SERVICE_URL=http://127.0.0.1:18081/api/v1/pos \
      DELETION_SERVICES_EXTERNAL_SERVICE_URL=http://127.0.0.1:18082/api/v1/external \
      DELETION_SERVICES_ALERT_PROCESSOR_URL=http://127.0.0.1:18083/api/v1/alerts \
      java @deploy/jvm/java-options ${EXTRA:-} -jar "$app/target/quarkus-app/quarkus-run.jar" >>"$WORK/$app.log" 2>&1 &
  LAUNCHED=$!
  PIDS+=("$LAUNCHED")
}
ready() {  # port; 120 s at most
  local until=$((SECONDS + 120))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/q/health/ready")" = 200 ]; do
    [ $SECONDS -lt $until ] || { echo "not ready on port $1: see $WORK" >&2; exit 1; }
    sleep 0.05
  done
}
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
now() { date +%s.%N; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
token() {  # audience
  local t h p
  t=$(date +%s)
  h=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  p=$(printf '{"iss":"%s","sub":"bench","type":"service","aud":"%s","iat":%d,"exp":%d}' "$ISSUER" "$1" "$t" $((t + 3600)) | b64url)
  printf '%s.%s.%s' "$h" "$p" "$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$WORK/private.pem" | b64url)"
}

for app in "${APPS[@]}"; do
  if curl -s -o /dev/null "http://127.0.0.1:${PORT[$app]}/"; then echo "port ${PORT[$app]} is in use: stop what runs there" >&2; exit 1; fi
done
echo "# $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "## 1. each process alone (first start migrates its schema; second start on the migrated database)"
for app in "${APPS[@]}"; do
  fresh "$app"
  for start in first second; do
    t0=$(now); launch "$app"; pid=$LAUNCHED; ready "${PORT[$app]}"; t1=$(now)
    printf '%-17s %-6s ready %5.0f ms, CPU %s s, RSS %s\n' "$app" "$start" "$(echo "($t1 - $t0) * 1000" | bc)" "$(cpu "$pid")" \
        "$(awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$pid/status")"
    stop "$pid"
  done
done
echo "## 2. the four together (fresh databases)"
for round in 1 2 3; do
  for app in "${APPS[@]}"; do fresh "$app"; done
  t0=$(now); pids=()
  for app in "${APPS[@]}"; do launch "$app"; pids+=("$LAUNCHED"); done
  for app in "${APPS[@]}"; do ready "${PORT[$app]}"; done
  t1=$(now)
  printf 'round %d: all ready %5.0f ms, CPU s each: %s\n' "$round" "$(echo "($t1 - $t0) * 1000" | bc)" \
      "$(for p in "${pids[@]}"; do printf '%s ' "$(cpu "$p")"; done)"
  [ $round = 3 ] || for p in "${pids[@]}"; do stop "$p"; done
done

echo "## 3. pos-service, empty tenants: N=$N each after 30 of each as warm-up"
POS=http://127.0.0.1:18081/api/v1/pos/tenant
POS_TOKEN=$(token pos-service)
took() {  # curl arguments -> seconds; anything but a 200 ends the run
  local answer
  answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $POS_TOKEN" "$@")
  [ "${answer%% *}" = 200 ] || { echo "answered ${answer%% *}: $*" >&2; exit 1; }
  echo "${answer#* }"
}
stats() { sort -n | awk '{a[NR] = $1} END {printf "median %.1f ms, p90 %.1f ms\n", a[int((NR + 1) / 2)] * 1000, a[int(NR * 0.9)] * 1000}'; }
for i in $(seq 1 30); do
  took "$POS/$(uuidgen)/deletion-preview" >/dev/null; took -X DELETE "$POS/$(uuidgen)" >/dev/null
  took -X DELETE "$POS/$(uuidgen)?max_duration_ms=15000" -H "Idempotency-Key: warm-$i:pos-service" >/dev/null
done
printf 'preview                        %s' "$(for i in $(seq 1 "$N"); do took "$POS/$(uuidgen)/deletion-preview"; done | stats)"; echo
printf 'DELETE                         %s' "$(for i in $(seq 1 "$N"); do took -X DELETE "$POS/$(uuidgen)"; done | stats)"; echo
printf 'DELETE, budget, Idempotency-Key %s' "$(for i in $(seq 1 "$N"); do
  took -X DELETE "$POS/$(uuidgen)?max_duration_ms=15000" -H "Idempotency-Key: k-$i-$RANDOM:pos-service"; done | stats)"; echo

echo "## 4. empty-tenant jobs through the orchestrator, one after the other"
python3 - "$(token orchestrator)" "$N" <<'PY'
import datetime, json, statistics, sys, time, urllib.request, uuid
token, n = sys.argv[1], int(sys.argv[2])
def call(method, path, body=None):
    request = urllib.request.Request("http://127.0.0.1:18080/api/v1" + path, method=method,
                                     data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)
at = lambda text: datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
jobs = []
for _ in range(n):
    job = call("POST", "/deletion-jobs", {"tenant_id": str(uuid.uuid4())})
    while job["status"] not in ("completed", "failed", "partially_failed"):
        time.sleep(0.005)
        job = call("GET", "/deletion-jobs/" + job["job_id"])
    assert job["status"] == "completed" and job["verified"], job
    runs = job["services"] if isinstance(job["services"], list) else [dict(v, service=k) for k, v in job["services"].items()]
    jobs.append((1000 * (at(job["completed_at"]) - at(job["created_at"])), 1000 * (at(job["started_at"]) - at(job["created_at"])),
                 {run["service"]: run["duration_ms"] for run in runs}))
for label, part in (("first 20", jobs[:20]), ("last 20", jobs[-20:])):
    total = sorted(j[0] for j in part)
    print(f"{label}: created → completed_at median {statistics.median(total):.1f} ms, p90 {total[int(len(total) * 0.9) - 1]:.1f} ms;"
          f" created → started median {statistics.median(j[1] for j in part):.1f} ms; service runs (duration_ms) median "
          + ", ".join(f"{s} {statistics.median(j[2][s] for j in part):.0f}" for s in part[0][2]))
PY
echo "logs: $WORK"
