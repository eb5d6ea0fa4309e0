#!/usr/bin/env bash
# Build sluice (installing what it needs) and run the news pipeline with entities and events
# on the bundled sample, printing JSON Lines.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/sluice run pipelines/news-events.yaml examples/news-sample.jsonl
