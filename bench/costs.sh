#!/usr/bin/env bash
# Where the time of a token-using pipeline goes: the pass-through pipeline, then the same run
# with one core service added at a time by the `costs` instrument (bench/costs/costs.c):
#   costs-text    decode each document's text
#   costs-tokens  decode and tokenize it
#   costs-spans   decode it and write a layer of one span per 120 bytes (no analysis)
# and pipelines/sentences.yaml for comparison. Everything else is bench/run.sh: same corpus,
# same timing, same "vs passthrough" column.
#
#   bench/costs.sh [-n REPEATS] [-- CORPUS.jsonl ...]
set -u -o pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${1:-}" in
    -h | --help)
        sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
esac

# The instrument is built beside the sluice that runs: build-bench/, or SLUICE_BIN's build.
if [ -n "${SLUICE_BIN:-}" ]; then
    PLUGINS=$(cd "$(dirname "$SLUICE_BIN")" && pwd)/bench-plugins
else
    PLUGINS=$ROOT/build-bench/bench-plugins
fi
DIR=$ROOT/build-bench/costs
mkdir -p "$DIR" || exit 1
for use in text tokens spans; do
    printf 'input: jsonl\nstages:\n  - plugin: costs\n    use: %s\n' "$use" >"$DIR/costs-$use.yaml"
done

opts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    opts+=("$1")
    shift
done
SLUICE_PLUGIN_PATH=$PLUGINS${SLUICE_PLUGIN_PATH:+:$SLUICE_PLUGIN_PATH} exec "$ROOT/bench/run.sh" \
    "${opts[@]+"${opts[@]}"}" "$DIR/costs-text.yaml" "$DIR/costs-tokens.yaml" \
    "$DIR/costs-spans.yaml" "$ROOT/pipelines/sentences.yaml" "$@"
