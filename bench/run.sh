#!/usr/bin/env bash
# Whole-CLI benchmark: manifest-lint against `jq empty` on generated manifests, and linear growth.
#
#   bench/run.sh [TYPICAL]  (writes bench/results/report.md and prints it)
#
# TYPICAL is the "typical manifest" measured besides the generated ones: by default the shared
# corpus's IvanMurzak__Unity-MCP.json when ../shared is beside the repository (CI), else the
# bundled examples/sample-project/Packages/manifest.json (said on a line). The large inputs are
# generated (crates/core/examples/gen_manifest.rs), so they need nothing outside the repository.
# A missing input, or a command that ends in a usage or I/O error (exit 2), stops the run with a
# message and a non-zero status instead of timing the error.
#
# Besides the medians it prints each run's instruction count (valgrind's callgrind, whole
# process): wall-clock figures on a shared machine are noisy, instruction counts are not.
#
# The project row: a generated project with 50 packages on disk (crates/core/examples/gen_project.rs),
# `check` of the whole project against `check` of its manifest alone (the same bytes copied under
# another name, so the same binary reads no lock, no package.json and no ProjectVersion.txt), and
# `tree` on it, with instruction counts from callgrind (independent of the machine's load) beside
# the medians. Target (issue 13): the project work adds at most 20% to the check.
#
# Needs: cargo, jq, hyperfine, valgrind (Debian packages; installed when missing and running as
# root), python3. The core's own micro-benchmarks are `cargo bench -p manifest-lint-core --bench lint`.
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "bench: $*" >&2; exit 2; }
corpus_typical=../shared/corpus/IvanMurzak__Unity-MCP.json
if [[ $# -gt 0 ]]; then
  typical=$1
  [[ -f "$typical" ]] || die "the typical manifest \`$typical\` is not a file"
elif [[ -f "$corpus_typical" ]]; then
  typical=$corpus_typical
else
  typical=examples/sample-project/Packages/manifest.json
  echo "bench: skipped the corpus manifest ($corpus_typical is not there); the typical manifest is $typical"
  [[ -f "$typical" ]] || die "$typical is missing"
fi
out=bench/results
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { [ "$(id -u)" = 0 ] && { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; } || { echo "bench: $1 is missing (apt-get install $2)" >&2; exit 2; }; }
need jq jq
need hyperfine hyperfine
need valgrind valgrind

cargo build --release --quiet
cargo build --release --quiet -p manifest-lint-core --example gen_manifest --example gen_project
bin=target/release/manifest-lint
gen=target/release/examples/gen_manifest

"$gen" 4000 > "$out/input-m5.json"      # 4,000 registries, 40,000 scopes, 120,000 dependencies
"$gen" 8000 > "$out/input-m10.json"     # twice as much
"$gen" 40000 > "$out/input-m50.json"    # ten times: the "50 MB file" robustness case
# The project: 50 packages on disk (35 embedded, 15 local), its lock, its Editor version.
project=$out/project50
rm -rf "$project"
target/release/examples/gen_project "$project" 50
[[ -s "$project/Packages/manifest.json" ]] || die "generating $project failed"
alone=$out/project50-manifest-alone.json
cp "$project/Packages/manifest.json" "$alone"
for input in "$out/input-m5.json" "$out/input-m10.json" "$out/input-m50.json"; do
  [[ -s "$input" ]] || die "generating $input failed"
done

size() { stat -c %s "$1"; }
# Each command runs once first: manifest-lint exits 1 when it finds problems (that is a result
# and is timed, hence -i), but 2 (usage or I/O error) or anything else is a broken run.
run() { # name, runs, command...
  local name=$1 runs=$2 cmd status; shift 2
  for cmd in "$@"; do
    status=0
    $cmd >/dev/null 2>"$out/stderr-$name.txt" || status=$?
    if [[ $status -ne 0 && $status -ne 1 ]] || [[ $status -eq 1 && $cmd != "$bin "* ]]; then
      cat "$out/stderr-$name.txt" >&2
      die "\`$cmd\` failed (exit $status); not timing it"
    fi
  done
  hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$out/hyperfine-$name.json" "$@" >/dev/null
}
median_ms() { jq -r ".results[$2].median * 1000 | . * 10 | round / 10" "$out/hyperfine-$1.json"; }

run m5 15 "$bin check --format json $out/input-m5.json" "jq empty $out/input-m5.json"
run m10 10 "$bin check --format json $out/input-m10.json" "jq empty $out/input-m10.json"
run m50 3 "$bin check --format json $out/input-m50.json" "jq empty $out/input-m50.json"
run typical 30 "$bin check --format json $typical"
sample=examples/sample-project/Packages/manifest.json
run sample 30 "$bin check --format json $sample"
run project 30 "$bin check --format json $alone" "$bin check --format json $project" "$bin tree --format json $project"

# Instructions of one whole run (callgrind, user space), as a raw count.
instructions_raw() {
  # manifest-lint exits 1 when it finds problems; valgrind passes that status on.
  { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# The same in millions, for the table.
instructions() {
  instructions_raw "$@" | python3 -c "import sys; print(f'{int(sys.stdin.read()) / 1e6:,.1f} M')"
}
ir5=$(instructions $bin check --format json $out/input-m5.json)
irjq5=$(instructions jq empty $out/input-m5.json)
ir10=$(instructions $bin check --format json $out/input-m10.json)
irtyp=$(instructions $bin check --format json "$typical")
irsample=$(instructions $bin check --format json $sample)
ins_alone=$(instructions_raw "$bin" check --format json "$alone")
ins_project=$(instructions_raw "$bin" check --format json "$project")
ins_tree=$(instructions_raw "$bin" tree --format json "$project")
[[ -n "$ins_alone" && -n "$ins_project" && -n "$ins_tree" ]] || die "callgrind gave no instruction count"

ml5=$(median_ms m5 0); jq5=$(median_ms m5 1)
ml10=$(median_ms m10 0); jq10=$(median_ms m10 1)
ml50=$(median_ms m50 0); jq50=$(median_ms m50 1)
typ=$(median_ms typical 0)
smp=$(median_ms sample 0)
pa=$(median_ms project 0); pp=$(median_ms project 1); pt=$(median_ms project 2)
pct() { python3 -c "print(f'{($1 / $2 - 1) * 100:+.1f}%')"; }
mio() { python3 -c "print(f'{$1 / 1e6:.2f} M')"; }
ratio=$(python3 -c "print(round($ml10/$ml5, 2))")
ratio50=$(python3 -c "print(round($ml50/$ml5, 2))")
jqratio=$(python3 -c "print(round($ml5/$jq5, 2))")

{
  echo "# manifest-lint CLI benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'). Medians of hyperfine runs; the whole process, reading to output."
  echo
  echo "| input | size | manifest-lint check --format json | instructions | jq empty | jq instructions |"
  echo "|---|---|---|---|---|---|"
  echo "| typical ($typical) | $(size "$typical") B | $typ ms | $irtyp | | |"
  if [[ $typical != "$sample" ]]; then
    echo "| bundled sample ($sample) | $(size $sample) B | $smp ms | $irsample | | |"
  fi
  echo "| 4,000 registries, 40,000 scopes, 120,000 deps | $(size $out/input-m5.json) B | $ml5 ms | $ir5 | $jq5 ms | $irjq5 |"
  echo "| 8,000 registries, 80,000 scopes, 240,000 deps | $(size $out/input-m10.json) B | $ml10 ms | $ir10 | $jq10 ms | |"
  echo "| 40,000 registries, 400,000 scopes, 1,200,000 deps | $(size $out/input-m50.json) B | $ml50 ms | | $jq50 ms | |"
  echo
  echo "- 5 MB manifest: ${jqratio}x the time of \`jq empty\` in this run (target: at most 0.25x); $ir5 instructions (target: at most 250 M)"
  echo "- growth: 2x input -> ${ratio}x time (target: at most 2.1x); 10x input -> ${ratio50}x time"
  echo "- bundled sample project, whole process: $smp ms (target: under 2 ms)"
  echo
  echo "## A project with 50 packages on disk (generated: 35 embedded, 15 local; 138 packages in the lock)"
  echo
  echo "| command | instructions | vs the manifest alone | median | vs the manifest alone |"
  echo "|---|---|---|---|---|"
  echo "| check, the manifest alone ($(size "$alone") B, by another name) | $(mio "$ins_alone") | | $pa ms | |"
  echo "| check, the whole project | $(mio "$ins_project") | $(pct "$ins_project" "$ins_alone") | $pp ms | $(pct "$pp" "$pa") |"
  echo "| tree --format json, the whole project | $(mio "$ins_tree") | $(pct "$ins_tree" "$ins_alone") | $pt ms | $(pct "$pt" "$pa") |"
  echo
  echo "- the project work adds $(pct "$ins_project" "$ins_alone") instructions to the check (target: at most +20%)"
} > "$out/report.md"
cat "$out/report.md"
