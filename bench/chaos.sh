#!/usr/bin/env bash
# Chaos figures: many jobs of the action's main + post step (validate and a per-job token) through the real jar,
# against the fake Spell API with seeded random faults, on servers that keep connections alive, close them
# silently, or answer as HTTP/1.0. Prints one line a seed: jobs, successes, clean failures, per-job tokens left
# alive (every one named in a warning, or the run fails), requests, and the p50/p95 time of main + post.
#
#   bench/chaos.sh                       # 100 jobs for each of the seeds 1 2 3, fault rate 0.25
#   JOBS=300 RATE=0.4 bench/chaos.sh 7 8 # other sizes and seeds
#   JAR=/path/to/older/spell-ci.jar bench/chaos.sh   # the same chaos against another build, to compare
#
# `./mvnw -B verify` runs the same test (ChaosIT) in a short form: 10 jobs, one seed.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${JOBS:-100}"
rate="${RATE:-0.25}"
jar="${JAR:-$PWD/action/dist/spell-ci.jar}"
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
[ -f "$PWD/action/dist/spell-ci.jar" ] || ./mvnw -B -q package -DskipTests
log="$(mktemp)"
for seed in "${seeds[@]}"; do
  if ./mvnw -B verify -pl core,fake-api,action -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dit.test=ChaosIT -Dchaos.jobs="$jobs" -Dchaos.seed="$seed" -Dchaos.rate="$rate" \
      -Dspellci.jar.under.test="$jar" > "$log" 2>&1; then
    grep '^chaos:' "$log"
  else
    echo "chaos: seed $seed: an invariant broke; the test's output is in $log" >&2
    exit 1
  fi
done
rm -f "$log"
