#!/usr/bin/env bash
# Times the GitHub Action's main step (java -jar action/dist/spell-ci.jar github main) without and with
# validation against a local fake Spell API, beside a bare `java` printing one line, and prints the ratios.
#
#   bench/action-startup.sh            # uses hyperfine when installed, else a loop timed with date +%s%N
#   RUNS=50 bench/action-startup.sh    # more runs
#   JAVA=/path/to/java bench/action-startup.sh
#   JAR=/path/to/other/spell-ci.jar bench/action-startup.sh   # another build, to compare
#   BEFORE=main bench/action-startup.sh   # also time the launchers of that git ref on the hosted path
#   BEFORE=main BEFORE_JAR=/tmp/old/spell-ci.jar bench/action-startup.sh   # ... with that ref's jar (built by hand)
#   PARTS=launcher bench/action-startup.sh   # only the second part (java: only the first; cli: only the third)
#
# Needs the jar: ./mvnw -B package (or ./mvnw -B -pl action -am package -DskipTests).
# The JVM options are the ones action/launcher/java.js passes (see docs/performance.md for why).
#
# Second part (issue 17): the validating main step as the runner starts it (node action/launcher/main.js) on a
# GitHub-hosted runner, on a self-hosted runner's first job (empty tool cache: the step makes the class-data
# sharing archive) and on its later jobs (the archive made), beside bench/validating-action.js, a JavaScript
# action doing the same check with node's fetch. The commands run interleaved, in a fresh random order each
# round, so that the machine's drift hits all alike; medians and fastest runs are printed.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
jar="${JAR:-$here/action/dist/spell-ci.jar}"
java="${JAVA:-java}"
runs="${RUNS:-30}"
warmup="${WARMUP:-5}"
# Keep in step with JVM_OPTIONS in action/launcher/java.js.
launcher_opts="-XX:TieredStopAtLevel=1"

parts="${PARTS:-java cli launcher}"
[ -f "$jar" ] || { echo "missing $jar: run './mvnw -B package' first" >&2; exit 2; }

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

if [[ " $parts " == *" java "* ]]; then
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
fi

# ---------------------------------------------------------------- third part: the command line (issue 17)
# `check` as a script on a runner runs it: on a GitHub-hosted runner, and on a self-hosted one whose tool cache holds
# the archive (the command runs again in a second JVM that maps it: ClassDataSharingRelaunch). Interleaved.
if [[ " $parts " == *" cli "* ]]; then
  cli_env=("RUNNER_ENVIRONMENT=github-hosted" "RUNNER_ENVIRONMENT=self-hosted RUNNER_TOOL_CACHE=$work/cli-cache")
  cli_names=("check, GitHub-hosted runner" "check, self-hosted, archive made")
  cli_one() { # index -> "wall-ms cpu-ms"
    local t TIMEFORMAT='%3R %3U %3S'
    # shellcheck disable=SC2086
    t=$( { time env SPELL_TOKEN=spell-ci-demo-token RUNNER_DEBUG=1 ${cli_env[$1]} "$java" -jar "$jar" check \
      --owner acme --api-url "$url" > "$work/cli.out" 2>&1; } 2>&1 ) || { cat "$work/cli.out" >&2; exit 1; }
    awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.1f %.1f\n", a[1] * 1000, (a[2] + a[3]) * 1000 }'
  }
  cli_one 1 > /dev/null
  cli_one 1 > /dev/null
  grep -q 'class-data sharing: used' "$work/cli.out" || { echo "the CLI did not use the archive:" >&2; cat "$work/cli.out" >&2; exit 1; }
  : > "$work/cli.0"; : > "$work/cli.1"
  for _ in $(seq 1 "$warmup"); do cli_one 0 > /dev/null; cli_one 1 > /dev/null; done
  for _ in $(seq 1 "$runs"); do
    for i in $(printf '0\n1\n' | shuf); do cli_one "$i" >> "$work/cli.$i"; done
  done
  cli_median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
  echo
  echo "the command line, check against the fake (interleaved, $warmup warm-up + $runs rounds)"
  printf '  %-48s %10s %10s %10s\n' "" "median" "fastest" "median CPU"
  cm=() cc=() cf=()
  for i in 0 1; do
    cm+=("$(cli_median "$work/cli.$i" 1)"); cc+=("$(cli_median "$work/cli.$i" 2)")
    cf+=("$(cut -d' ' -f1 "$work/cli.$i" | sort -n | head -1)")
    printf '  %-48s %7s ms %7s ms %7s ms\n' "${cli_names[$i]}" "${cm[$i]}" "${cf[$i]}" "${cc[$i]}"
  done
  awk -v h="${cm[0]}" -v s="${cm[1]}" -v hc="${cc[0]}" -v sc="${cc[1]}" 'BEGIN {
    printf "self-hosted with the archive - hosted = %+.0f ms by median, %+.0f ms CPU\n", s - h, sc - hc
  }'
fi

# ---------------------------------------------------------------- second part: through the launchers
[[ " $parts " == *" launcher "* ]] || exit 0
command -v node > /dev/null || { echo "second part skipped: no node on the PATH" >&2; exit 0; }
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")"
# The action as the runner unpacks it: action.yml's launchers with the jar under action/dist.
mkdir -p "$work/action/action/dist" "$work/action/action/launcher"
cp "$here"/action/launcher/*.js "$here"/action/launcher/package.json "$work/action/action/launcher/"
cp "$jar" "$work/action/action/dist/spell-ci.jar"
launcher_names=("JavaScript action (node fetch)" "spell-ci, hosted runner" "spell-ci, self-hosted, first job"
                "spell-ci, self-hosted, later job")
launcher_cmds=("node $here/bench/validating-action.js" "node $work/action/action/launcher/main.js"
               "node $work/action/action/launcher/main.js" "node $work/action/action/launcher/main.js")
launcher_env=("" "RUNNER_ENVIRONMENT=github-hosted" "RUNNER_ENVIRONMENT=self-hosted RUNNER_TOOL_CACHE=$work/cache-first"
              "RUNNER_ENVIRONMENT=self-hosted RUNNER_TOOL_CACHE=$work/cache-later")
if [ -n "${BEFORE:-}" ]; then
  # The launchers of another git ref (their java.js looks for ../dist/spell-ci.jar), on the hosted path.
  mkdir -p "$work/before/action/dist" "$work/before/action/launcher"
  # Every launcher file of that ref: later refs require more modules (cds.js) than earlier ones.
  for f in $(git -C "$here" ls-tree --name-only "$BEFORE" action/launcher/); do
    git -C "$here" show "$BEFORE:$f" > "$work/before/$f"
  done
  ln -s "${BEFORE_JAR:-$work/action/action/dist/spell-ci.jar}" "$work/before/action/dist/spell-ci.jar"
  launcher_names+=("spell-ci, hosted runner, launchers of $BEFORE${BEFORE_JAR:+ and its jar}")
  launcher_cmds+=("node $work/before/action/launcher/main.js")
  launcher_env+=("RUNNER_ENVIRONMENT=github-hosted")
fi
# The launcher trusts the major in a JAVA_HOME_<major>_X64 name: any Java 17+ works here.
step_env=(GITHUB_ENV="$work/env" GITHUB_OUTPUT="$work/output" GITHUB_STATE="$work/state"
          GITHUB_STEP_SUMMARY="$work/summary" GITHUB_REPOSITORY=acme/ml GITHUB_RUN_ID=1 GITHUB_RUN_ATTEMPT=1
          INPUT_TOKEN=spell-ci-demo-token INPUT_OWNER=acme INPUT_EPHEMERAL=false INPUT_EXPORT-ENV=true
          INPUT_VALIDATE=true INPUT_API-URL="$url" INPUT_TIMEOUT-SECONDS=60 INPUT_CLASS-DATA-SHARING=auto
          JAVA_HOME_17_X64="$java_home")
run_one() { # index -> prints "wall-ms cpu-ms" (CPU: user + system of node and the Java it starts)
  local i=$1 t TIMEFORMAT='%3R %3U %3S'
  [ "$i" = 2 ] && rm -rf "$work/cache-first"   # a first job: nothing in the tool cache yet
  # shellcheck disable=SC2086 # the command and its variables are word lists
  t=$( { time env "${step_env[@]}" ${launcher_env[$i]} ${launcher_cmds[$i]} > "$work/last.out" 2>&1; } 2>&1 ) \
    || { cat "$work/last.out" >&2; exit 1; }
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%.1f %.1f\n", a[1] * 1000, (a[2] + a[3]) * 1000 }'
}
# Sanity, and the later job's archive: each command once, the later job's twice.
for i in "${!launcher_cmds[@]}"; do run_one "$i" > /dev/null; done
run_one 3 > /dev/null
grep -q 'class-data sharing: used' "$work/last.out" || { echo "the later job did not use the archive:" >&2; cat "$work/last.out" >&2; exit 1; }
for i in "${!launcher_cmds[@]}"; do : > "$work/times.$i"; done
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
for _ in $(seq 1 "$warmup"); do for i in "${!launcher_cmds[@]}"; do run_one "$i" > /dev/null; done; done
for _ in $(seq 1 "$runs"); do
  for i in $(printf '%s\n' "${!launcher_cmds[@]}" | shuf); do run_one "$i" >> "$work/times.$i"; done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
median() { # file column
  cut -d' ' -f"$2" "$1" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
echo
echo "through the launchers, validating (interleaved, $warmup warm-up + $runs rounds in random order)"
echo "java: $("$java" -version 2>&1 | head -1); node: $(node --version); load before: $load_before; after: $load_after"
printf '  %-48s %10s %10s %10s\n' "" "median" "fastest" "median CPU"
meds=() cpus=() mins=()
for i in "${!launcher_cmds[@]}"; do
  meds+=("$(median "$work/times.$i" 1)")
  cpus+=("$(median "$work/times.$i" 2)")
  mins+=("$(cut -d' ' -f1 "$work/times.$i" | sort -n | head -1)")
  printf '  %-48s %7s ms %7s ms %7s ms\n' "${launcher_names[$i]}" "${meds[$i]}" "${mins[$i]}" "${cpus[$i]}"
done
awk -v js="${meds[0]}" -v h="${meds[1]}" -v f="${meds[2]}" -v l="${meds[3]}" -v jsm="${mins[0]}" -v lm="${mins[3]}" \
    -v jsc="${cpus[0]}" -v lc="${cpus[3]}" 'BEGIN {
  printf "self-hosted later job / JavaScript action (target <= 1.3x): %.2fx by median, %.2fx fastest, %.2fx by CPU\n", l / js, lm / jsm, lc / jsc
  printf "hosted / JavaScript action = %.2fx; first job - hosted = %+.0f ms (medians)\n", h / js, f - h
}'
if [ -n "${BEFORE:-}" ]; then
  awk -v h="${meds[1]}" -v b="${meds[4]}" -v hc="${cpus[1]}" -v bc="${cpus[4]}" 'BEGIN {
    printf "hosted runner, these launchers - those of the ref (target: not slower) = %+.0f ms by median, %+.0f ms CPU\n", h - b, hc - bc
  }'
fi
