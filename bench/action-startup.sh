#!/usr/bin/env bash
# Times the GitHub Action's main step (java -jar action/dist/spell-ci.jar github main) without and with
# validation against a local fake Spell API, beside a bare `java` printing one line, and prints the ratios.
#
#   bench/action-startup.sh            # uses hyperfine when installed, else a loop timed with date +%s%N
#   RUNS=50 bench/action-startup.sh    # more runs
#   JAVA=/path/to/java bench/action-startup.sh
#   JAR=/path/to/other/spell-ci.jar bench/action-startup.sh   # another build, to compare
#
# Needs the jar: ./mvnw -B package (or ./mvnw -B -pl action -am package -DskipTests).
# The JVM options are the ones action/launcher/java.js passes (see docs/performance.md for why).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
jar="${JAR:-$here/action/dist/spell-ci.jar}"
java="${JAVA:-java}"
runs="${RUNS:-30}"
warmup="${WARMUP:-5}"
# Keep in step with JVM_OPTIONS in action/launcher/java.js.
launcher_opts="-XX:TieredStopAtLevel=1"

[ -f "$jar" ] || { echo "missing $jar: run 'mvn -B package' first" >&2; exit 2; }

work="$(mktemp -d)"
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A bare JVM printing one line, compiled into the temp dir.
mkdir -p "$work/hello"
cat > "$work/hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] args) { System.out.println("hello"); } }
JAVA
javac_bin="$(dirname "$(command -v "$java")")/javac"
[ -x "$javac_bin" ] || javac_bin=javac
"$javac_bin" -d "$work/hello" "$work/hello/Hello.java"

# The fake Spell API from the same jar, serving the demo user (organization acme, token spell-ci-demo-token).
"$java" -jar "$jar" fake-api --url-file "$work/url" > "$work/fake.log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url="$(cat "$work/url")"

# A simulated runner environment; the files are reused (appended to) across runs.
for f in env output state summary; do : > "$work/$f"; done
common=(env GITHUB_ENV="$work/env" GITHUB_OUTPUT="$work/output" GITHUB_STATE="$work/state"
        GITHUB_STEP_SUMMARY="$work/summary" GITHUB_REPOSITORY=acme/ml GITHUB_RUN_ID=1 GITHUB_RUN_ATTEMPT=1
        INPUT_TOKEN=spell-ci-demo-token INPUT_OWNER=acme INPUT_EPHEMERAL=false INPUT_EXPORT-ENV=true)
bare="$java $launcher_opts -cp $work/hello Hello"
novalidate="${common[*]} INPUT_VALIDATE=false $java $launcher_opts -jar $jar github main"
validate="${common[*]} INPUT_VALIDATE=true INPUT_API-URL=$url $java $launcher_opts -jar $jar github main"
bare_default="$java -cp $work/hello Hello"
novalidate_default="${common[*]} INPUT_VALIDATE=false $java -jar $jar github main"
validate_default="${common[*]} INPUT_VALIDATE=true INPUT_API-URL=$url $java -jar $jar github main"

# Sanity: both variants succeed.
$novalidate > /dev/null
$validate > /dev/null

names=("bare java (launcher options)" "main, no validation (launcher options)" "main, validation (launcher options)"
       "bare java (JVM defaults)" "main, no validation (JVM defaults)" "main, validation (JVM defaults)")
commands=("$bare" "$novalidate" "$validate" "$bare_default" "$novalidate_default" "$validate_default")
means=()
cpus=()
mins=()

if command -v hyperfine > /dev/null; then
  method="hyperfine, $warmup warm-up + $runs runs each"
  args=()
  for c in "${commands[@]}"; do args+=("$c"); done
  hyperfine -N --warmup "$warmup" --runs "$runs" --export-csv "$work/results.csv" "${args[@]}" > "$work/hyperfine.txt"
  # CSV: command,mean,stddev,median,user,system,min,max (seconds)
  while IFS=, read -r _ mean _ median user system min _; do
    means+=("$(awk -v m="$median" 'BEGIN { printf "%.1f", m * 1000 }')")
    mins+=("$(awk -v m="$min" 'BEGIN { printf "%.1f", m * 1000 }')")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.1f", (u + s) * 1000 }')")
  done < <(tail -n +2 "$work/results.csv")
  stat="median"
else
  method="loop of date +%s%N, $warmup warm-up + $runs runs each"
  for c in "${commands[@]}"; do
    for _ in $(seq 1 "$warmup"); do $c > /dev/null 2>&1; done
    start=$(date +%s%N)
    for _ in $(seq 1 "$runs"); do $c > /dev/null 2>&1; done
    end=$(date +%s%N)
    means+=("$(awk -v s="$start" -v e="$end" -v n="$runs" 'BEGIN { printf "%.1f", (e - s) / n / 1e6 }')")
    cpus+=("n/a")
    mins+=("n/a")
  done
  stat="mean"
fi

echo "spell-ci action start-up ($method; $stat wall time, and the fastest run, which noise cannot shorten)"
echo "java: $("$java" -version 2>&1 | head -1); cpus: $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo ?); load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
for i in "${!names[@]}"; do
  printf '  %-42s %8s ms   (min %s ms; CPU user+sys %s ms)\n' "${names[$i]}" "${means[$i]}" "${mins[$i]}" "${cpus[$i]}"
done
awk -v b="${means[0]}" -v n="${means[1]}" -v v="${means[2]}" -v bd="${means[3]}" -v nd="${means[4]}" -v vd="${means[5]}" 'BEGIN {
  printf "as launched (launcher options): no validation / bare java = %.2fx (target <= 2x); validation - no validation = %+.0f ms (target <= +250 ms)\n", n / bd, v - n
  printf "same options on both sides:     no validation / bare java = %.2fx\n", n / b
  printf "JVM defaults:                   no validation / bare java = %.2fx; validation - no validation = %+.0f ms\n", nd / bd, vd - nd
  printf "launcher options vs defaults:   no validation %+.0f ms, validation %+.0f ms\n", n - nd, v - vd
}'
if [ "${#mins[@]}" -gt 0 ] && [ "${mins[0]}" != n/a ]; then
  awk -v b="${mins[3]}" -v n="${mins[1]}" -v v="${mins[2]}" 'BEGIN {
    printf "fastest runs (as launched):     no validation / bare java = %.2fx; validation - no validation = %+.0f ms\n", n / b, v - n
  }'
fi
