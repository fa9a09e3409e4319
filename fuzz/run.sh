#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 60) with cargo-fuzz on nightly,
# its corpus seeded with the shipped files (seeds/) and the TOML dictionary:
#   fuzz/run.sh policy_bytes 600
# Targets: policy_bytes, policy_diff, scenario, cases. SANITIZER=none builds
# without AddressSanitizer (the crate forbids unsafe code): several times the
# executions a second. A crash is saved under
# fuzz/artifacts/<target>/; replay it with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?name a target: policy_bytes, policy_diff, scenario or cases}
seconds=${2:-60}
case $target in
policy_bytes | policy_diff) seeds=fuzz/seeds/policies ;;
scenario) seeds=fuzz/seeds/scenarios ;;
cases) seeds=fuzz/seeds/cases ;;
*)
    echo "unknown target \`$target\`: policy_bytes, policy_diff, scenario or cases" >&2
    exit 2
    ;;
esac
mkdir -p "fuzz/corpus/$target"
exec cargo +nightly fuzz run --sanitizer "${SANITIZER:-address}" "$target" \
    "fuzz/corpus/$target" "$seeds" -- \
    -dict=fuzz/toml.dict -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
