#!/usr/bin/env bash
# Build sluice with warnings as errors under AddressSanitizer and UndefinedBehaviorSanitizer
# (installing what it needs) and run the whole test suite, twice: once as built for this
# machine, once with the SSE2 paths left out (-DSLUICE_NO_SIMD=ON), so that the portable code
# that other machines run is tested too. Each run ends with ctest's summary; the main build's
# comes last. The exit status is non-zero when either run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=${SLUICE_TEST_BUILD_DIR:-build-test}
portable=${SLUICE_TEST_PORTABLE_BUILD_DIR:-$build-nosimd}
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_WERROR=ON -DSLUICE_SANITIZE=ON)
cmake -S . -B "$build" "${flags[@]}" -DSLUICE_NO_SIMD=OFF >/dev/null
cmake -S . -B "$portable" "${flags[@]}" -DSLUICE_NO_SIMD=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cmake --build "$portable" -j"$(nproc)"
status=0
echo "== tests without SIMD ($portable)"
# Not the tests of packaging and shell completion: they run no code that SIMD changes.
(cd "$portable" && ctest --output-on-failure -j"$(nproc)" -E '^(sdk_out_of_tree|test_completion)$') ||
    status=$?
echo "== tests ($build)"
(cd "$build" && ctest --output-on-failure -j"$(nproc)") || status=$?
exit $status
