#!/usr/bin/env bash
# Whole-CLI benchmark: manifest-lint against `jq empty` on generated manifests, and linear growth.
#
#   bench/run.sh            (writes bench/results/report.md and prints it)
#
# Needs: cargo, jq, hyperfine (Debian packages; installed when missing and running as root).
# The core's own micro-benchmarks are `cargo bench -p manifest-lint-core --bench lint`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { [ "$(id -u)" = 0 ] && { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; } || { echo "bench: $1 is missing (apt-get install $2)" >&2; exit 2; }; }
need jq jq
need hyperfine hyperfine

cargo build --release --quiet
cargo build --release --quiet -p manifest-lint-core --example gen_manifest
bin=target/release/manifest-lint
gen=target/release/examples/gen_manifest

"$gen" 4000 > "$out/input-m5.json"      # 4,000 registries, 40,000 scopes, 120,000 dependencies
"$gen" 8000 > "$out/input-m10.json"     # twice as much
"$gen" 40000 > "$out/input-m50.json"    # ten times: the "50 MB file" robustness case
typical=../shared/corpus/IvanMurzak__Unity-MCP.json

size() { stat -c %s "$1"; }
run() { # name, runs, command...
  local name=$1 runs=$2; shift 2
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$out/hyperfine-$name.json" "$@" >/dev/null 2>&1 || hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$out/hyperfine-$name.json" "$@" >/dev/null
}
median_ms() { jq -r ".results[$2].median * 1000 | . * 10 | round / 10" "$out/hyperfine-$1.json"; }

run m5 15 "$bin check --format json $out/input-m5.json" "jq empty $out/input-m5.json"
run m10 10 "$bin check --format json $out/input-m10.json" "jq empty $out/input-m10.json"
run m50 3 "$bin check --format json $out/input-m50.json" "jq empty $out/input-m50.json"
run typical 30 "$bin check --format json $typical"

ml5=$(median_ms m5 0); jq5=$(median_ms m5 1)
ml10=$(median_ms m10 0); jq10=$(median_ms m10 1)
ml50=$(median_ms m50 0); jq50=$(median_ms m50 1)
typ=$(median_ms typical 0)
ratio=$(python3 -c "print(round($ml10/$ml5, 2))")
ratio50=$(python3 -c "print(round($ml50/$ml5, 2))")
faster=$(python3 -c "print('yes' if $ml5 < $jq5 else 'NO')")

{
  echo "# manifest-lint CLI benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'). Medians of hyperfine runs; the whole process, reading to output."
  echo
  echo "| input | size | manifest-lint check --format json | jq empty |"
  echo "|---|---|---|---|"
  echo "| typical (corpus: IvanMurzak/Unity-MCP) | $(size $typical) B | $typ ms | |"
  echo "| 4,000 registries, 40,000 scopes, 120,000 deps | $(size $out/input-m5.json) B | $ml5 ms | $jq5 ms |"
  echo "| 8,000 registries, 80,000 scopes, 240,000 deps | $(size $out/input-m10.json) B | $ml10 ms | $jq10 ms |"
  echo "| 40,000 registries, 400,000 scopes, 1,200,000 deps | $(size $out/input-m50.json) B | $ml50 ms | $jq50 ms |"
  echo
  echo "- faster than \`jq empty\` on the 5 MB manifest: **$faster**"
  echo "- growth: 2x input -> ${ratio}x time (target: at most 2.5x); 10x input -> ${ratio50}x time"
} > "$out/report.md"
cat "$out/report.md"
