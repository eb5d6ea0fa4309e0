#!/usr/bin/env bash
# The plugin SDK, end to end, exactly as a plugin author uses it:
#   1. cmake --install the build into a temporary prefix;
#   2. configure and build examples/plugins/redact out of tree against that prefix
#      (find_package(sluice) through CMAKE_PREFIX_PATH), with its in-process tests linked to
#      the installed test harness (sluice::harness), and run them;
#   3. run the just-built sluice with --plugin-path and a pipeline naming the plugin by name,
#      then a pipeline naming it by path, and compare the output with the expected text;
#   4. compile the same plugin with plain `cc $(pkg-config --cflags sluice)` and run it;
#   5. install the plugin next to sluice's own plugins and run the installed sluice on it.
#
# Usage: tests/test_sdk.sh BUILD_DIR SOURCE_DIR [SLUICE_BIN]
#   SLUICE_BIN defaults to $SLUICE_BIN, then BUILD_DIR/sluice.
# Environment:
#   CMAKE                   the cmake to use (default: cmake on PATH)
#   SLUICE_SDK_TEST_CFLAGS  extra compile and link flags for the plugin; by default, when
#                           the build has SLUICE_SANITIZE=ON, the sanitizer flags (a sanitized
#                           sluice dlopens the plugin, which must then be sanitized too)
#   SLUICE_KEEP_TMP=1       keep the temporary folder (it is kept anyway on failure)
# Exit status: 0 passed, 1 failed, 77 skipped (a tool is missing).
set -u -o pipefail

BUILD=${1:?usage: test_sdk.sh BUILD_DIR SOURCE_DIR [SLUICE_BIN]}
SRC=${2:?usage: test_sdk.sh BUILD_DIR SOURCE_DIR [SLUICE_BIN]}
SLUICE=${3:-${SLUICE_BIN:-$BUILD/sluice}}
CMAKE=${CMAKE:-cmake}
EXAMPLE=$SRC/examples/plugins/redact

say() { printf '== %s\n' "$*"; }
skip() {
    printf 'SKIP: %s\n' "$*"
    exit 77
}
TMP=
fail() {
    printf '\nFAIL: %s\n' "$*" >&2
    exit 1
}

# Run a command quietly, keeping its output in a log that is shown when it fails.
run_logged() {
    local log=$1
    shift
    printf '   $'
    printf ' %q' "$@"
    printf '\n'
    local rc=0
    "$@" >"$log" 2>&1 || rc=$?
    if [ $rc -ne 0 ]; then
        sed 's/^/   | /' "$log" >&2
        fail "command failed (exit $rc): $*"
    fi
}

# Compare a file with the expected text, showing a diff on a mismatch.
expect_file() {
    local what=$1 expected=$2 actual=$3
    if ! diff -u "$expected" "$actual" >"$TMP/diff.txt"; then
        sed 's/^/   /' "$TMP/diff.txt" >&2
        fail "$what: output differs from the expected text (diff above: - expected, + actual)"
    fi
    printf '   ok: %s\n' "$what"
}

command -v "$CMAKE" >/dev/null 2>&1 || skip "cmake not found"
[ -x "$SLUICE" ] || fail "no sluice executable at '$SLUICE' (build first)"
[ -f "$BUILD/CMakeCache.txt" ] || fail "'$BUILD' is not a CMake build folder"
[ -f "$EXAMPLE/CMakeLists.txt" ] || fail "no example plugin at $EXAMPLE"

cache_value() { # the value of a CMakeCache.txt entry, or nothing
    sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt" | head -n 1
}

# The same compiler as the build (an ASan runtime must match), and the sanitizer flags when
# the build is sanitized.
CC_BUILD=$(cache_value CMAKE_C_COMPILER)
CC_BUILD=${CC_BUILD:-${CC:-cc}}
command -v "$CC_BUILD" >/dev/null 2>&1 || skip "C compiler '$CC_BUILD' not found"
SANITIZED=0
case "$(cache_value SLUICE_SANITIZE)" in
    ON | on | TRUE | true | 1 | YES | yes | Y | y) SANITIZED=1 ;;
esac
if [ -n "${SLUICE_SDK_TEST_CFLAGS+set}" ]; then
    XFLAGS=$SLUICE_SDK_TEST_CFLAGS
elif [ $SANITIZED = 1 ]; then
    XFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
else
    XFLAGS=
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sluice-sdk-test.XXXXXX") || fail "mktemp failed"
cleanup() {
    local rc=$?
    if [ $rc -eq 0 ] && [ "${SLUICE_KEEP_TMP:-0}" != 1 ]; then
        rm -rf "$TMP"
    elif [ $rc -ne 77 ]; then
        printf '(files kept in %s)\n' "$TMP" >&2
    fi
}
trap cleanup EXIT
PREFIX=$TMP/prefix
unset SLUICE_PLUGIN_PATH # only the plugins this test names

if [ $SANITIZED = 1 ]; then
    # Leaks stay checked, the plugin's and the core's included (a missing regfree() in
    # redact.so fails this test), but not one-off allocations of system libraries built
    # without sanitizers, such as the dynamic loader's for dlopen(), which are not ours to fix.
    printf '%s\n' 'leak:_dl_open' 'leak:_dl_init' 'leak:_dl_catch_exception' 'leak:libyaml' \
        >"$TMP/lsan.supp"
    export LSAN_OPTIONS="suppressions=$TMP/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
fi

say "sluice: $SLUICE ($("$SLUICE" --version 2>&1))"
say "compiler: $CC_BUILD; sanitized build: $([ $SANITIZED = 1 ] && echo yes || echo no); extra plugin flags: ${XFLAGS:-none}"

# ---------------------------------------------------------------------------------------
say "1. install the SDK: cmake --install $BUILD --prefix $PREFIX"
run_logged "$TMP/install.log" "$CMAKE" --install "$BUILD" --prefix "$PREFIX"
for f in include/sluice/sluice.h include/sluice/harness.h lib/pkgconfig/sluice.pc \
    lib/pkgconfig/sluice-harness.pc lib/libsluice_harness.a lib/cmake/sluice/sluiceConfig.cmake \
    lib/cmake/sluice/sluiceConfigVersion.cmake bin/sluice lib/sluice/plugins/jsonl.so \
    share/man/man1/sluice.1 share/doc/sluice/cli.md share/doc/sluice/plugin-guide.md \
    share/bash-completion/completions/sluice share/sluice/pipelines/passthrough.yaml; do
    [ -f "$PREFIX/$f" ] || fail "cmake --install did not install $f"
done
printf '   ok: header, sluice.pc, sluiceConfig.cmake, sluice, its plugins, pipelines, manual page, docs and completion are installed\n'
if command -v man >/dev/null 2>&1; then
    MANPATH="$PREFIX/share/man" man -P cat sluice 2>/dev/null | grep -q 'stream documents through a pipeline' ||
        fail "man sluice (MANPATH=$PREFIX/share/man) does not show the manual page"
    printf '   ok: man sluice shows the installed page\n'
fi
"$PREFIX/bin/sluice" --help | grep -q "man sluice" || fail "sluice --help does not point to man sluice"
# The installed sluice finds the installed pipelines by name, not the source tree's.
env -u SLUICE_PIPELINE_PATH "$PREFIX/bin/sluice" pipelines >"$TMP/pipelines.out" 2>&1 ||
    fail "the installed sluice pipelines failed"
grep -q "$PREFIX/bin/../share/sluice/pipelines/passthrough.yaml" "$TMP/pipelines.out" ||
    { cat "$TMP/pipelines.out" >&2; fail "the installed sluice does not list its installed pipelines"; }
printf '{"id":"x","text":"y"}\n' | env -u SLUICE_PIPELINE_PATH "$PREFIX/bin/sluice" run -q passthrough \
    >"$TMP/by-pipeline-name.out" 2>&1 || fail "the installed sluice cannot run 'passthrough' by name"
grep -qx '{"id":"x","text":"y"}' "$TMP/by-pipeline-name.out" ||
    { cat "$TMP/by-pipeline-name.out" >&2; fail "sluice run passthrough: unexpected output"; }
printf '   ok: the installed sluice lists and runs its installed pipelines by name\n'

# ---------------------------------------------------------------------------------------
say "2. build examples/plugins/redact out of tree against the prefix"
OOT=$TMP/redact-build
cfg=("$CMAKE" -S "$EXAMPLE" -B "$OOT" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_C_COMPILER="$CC_BUILD"
    -DREDACT_WERROR=ON -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
GEN=$(cache_value CMAKE_GENERATOR)
[ -n "$GEN" ] && cfg+=(-G "$GEN") # the same generator as the build
if [ -n "$XFLAGS" ]; then
    cfg+=(-DCMAKE_C_FLAGS="$XFLAGS" -DCMAKE_MODULE_LINKER_FLAGS="$XFLAGS"
        -DCMAKE_EXE_LINKER_FLAGS="$XFLAGS")
fi
run_logged "$TMP/oot-configure.log" "${cfg[@]}"
found=$(sed -n 's/^sluice_DIR:[A-Z]*=//p' "$OOT/CMakeCache.txt")
[ "$found" = "$PREFIX/lib/cmake/sluice" ] ||
    fail "find_package(sluice) found '$found', not the SDK just installed in $PREFIX/lib/cmake/sluice"
run_logged "$TMP/oot-build.log" "$CMAKE" --build "$OOT"
PLUGIN=$OOT/redact.so
[ -f "$PLUGIN" ] || fail "the out-of-tree build made no $PLUGIN"
if [ $SANITIZED = 1 ] && command -v nm >/dev/null 2>&1 && [ -z "${SLUICE_SDK_TEST_CFLAGS+set}" ]; then
    nm -D "$PLUGIN" | grep -q __asan ||
        fail "the build is sanitized but $PLUGIN has no AddressSanitizer instrumentation"
fi
printf '   ok: %s built (find_package found %s)\n' "$PLUGIN" "$found"
[ -x "$OOT/test_redact" ] || fail "the out-of-tree build made no test_redact (sluice::harness missing?)"
run_logged "$TMP/test-redact.log" "$OOT/test_redact" "$PLUGIN"
printf '   ok: its in-process tests pass, linked with sluice::harness from the prefix\n'

# ---------------------------------------------------------------------------------------
say "3. run the plugin with the just-built sluice"
printf '%s\n' \
    '{"id":"a","text":"Call 555-1234 or mail bob@example.com today."}' \
    '{"id":"b","text":"Nothing to hide here.","source":"test"}' \
    '{"id":"c","text":"Zürich: 555-9876 and 555-0000, ZÜRICH.","lang":"de"}' \
    '{"id":"d","text":""}' >"$TMP/in.jsonl"

# By name, found through --plugin-path; rewrites the text.
cat >"$TMP/by-name.yaml" <<'EOF'
stages:
  - plugin: redact
    patterns: ['[0-9]{3}-[0-9]{4}', '[[:alnum:]._%+-]+@[[:alnum:].-]+']
    replacement: "[X]"
EOF
printf '%s\n' \
    '{"id":"a","text":"Call [X] or mail [X] today."}' \
    '{"id":"b","text":"Nothing to hide here.","source":"test"}' \
    '{"id":"c","text":"Zürich: [X] and [X], ZÜRICH.","lang":"de"}' \
    '{"id":"d","text":""}' >"$TMP/by-name.expected"
printf '   $ %s\n' "sluice run by-name.yaml --plugin-path $OOT < in.jsonl"
"$SLUICE" run "$TMP/by-name.yaml" --plugin-path "$OOT" <"$TMP/in.jsonl" >"$TMP/by-name.out" \
    2>"$TMP/by-name.err" || { cat "$TMP/by-name.err" >&2; fail "sluice run by name failed"; }
expect_file "plugin by name (--plugin-path), text rewritten" "$TMP/by-name.expected" "$TMP/by-name.out"
grep -q '4 documents read, 4 written, 0 failed' "$TMP/by-name.err" ||
    { cat "$TMP/by-name.err" >&2; fail "unexpected summary line on stderr"; }

# By path (relative to the pipeline file), with no --plugin-path; adds a layer instead.
# 'Z.' matches 'Z' and the first byte of 'ü' (matching is byte-wise): the span is widened to
# the whole character. Offsets on the wire are code points.
mkdir -p "$TMP/pipelines" "$TMP/plugins"
cp "$PLUGIN" "$TMP/plugins/redact.so"
cat >"$TMP/pipelines/by-path.yaml" <<'EOF'
stages:
  - plugin: ../plugins/redact.so
    patterns: ['[0-9]{3}-[0-9]{4}', 'Z.']
    layer: true
  - plugin: jsonl
EOF
cat >"$TMP/by-path.expected" <<'EOF'
{"id":"a","text":"Call 555-1234 or mail bob@example.com today.","redactions":[{"start":5,"end":13,"label":"redacted","text":"555-1234","pattern":0}]}
{"id":"b","text":"Nothing to hide here.","source":"test","redactions":[]}
{"id":"c","text":"Zürich: 555-9876 and 555-0000, ZÜRICH.","lang":"de","redactions":[{"start":0,"end":2,"label":"redacted","text":"Zü","pattern":1},{"start":8,"end":16,"label":"redacted","text":"555-9876","pattern":0},{"start":21,"end":29,"label":"redacted","text":"555-0000","pattern":0},{"start":31,"end":33,"label":"redacted","text":"ZÜ","pattern":1}]}
{"id":"d","text":"","redactions":[]}
EOF
printf '   $ %s\n' "sluice run pipelines/by-path.yaml -q < in.jsonl   (plugin: ../plugins/redact.so)"
"$SLUICE" run "$TMP/pipelines/by-path.yaml" -q <"$TMP/in.jsonl" >"$TMP/by-path.out" \
    2>"$TMP/by-path.err" || { cat "$TMP/by-path.err" >&2; fail "sluice run by path failed"; }
expect_file "plugin by path (relative to the pipeline), redactions layer" \
    "$TMP/by-path.expected" "$TMP/by-path.out"
[ -s "$TMP/by-path.err" ] && { cat "$TMP/by-path.err" >&2; fail "-q run wrote to stderr"; }

# `sluice plugins NAME` shows the schema; a bad regular expression is a configuration error
# at its place in the file (exit 3); a missing required option fails `sluice check`.
"$SLUICE" plugins redact --plugin-path "$OOT" >"$TMP/plugins.out" 2>&1 ||
    { cat "$TMP/plugins.out" >&2; fail "sluice plugins redact failed"; }
grep -q '^  patterns (string list, required)' "$TMP/plugins.out" ||
    { cat "$TMP/plugins.out" >&2; fail "sluice plugins redact does not list the 'patterns' option"; }
printf '   ok: sluice plugins redact lists the options\n'

printf 'stages:\n  - plugin: redact\n    patterns: ["ok", "(unclosed"]\n' >"$TMP/bad-regex.yaml"
rc=0
"$SLUICE" run "$TMP/bad-regex.yaml" --plugin-path "$OOT" </dev/null >"$TMP/bad.out" 2>"$TMP/bad.err" || rc=$?
[ $rc -eq 3 ] || { cat "$TMP/bad.err" >&2; fail "a bad regular expression: exit $rc, expected 3"; }
grep -q "bad-regex.yaml:3:15: stage 1 (plugin redact): option 'patterns': item 2 '(unclosed'" \
    "$TMP/bad.err" || { cat "$TMP/bad.err" >&2; fail "a bad regular expression: unexpected message"; }
printf '   ok: a bad regular expression is reported at bad-regex.yaml:3:15 (exit 3)\n'

printf 'stages:\n  - plugin: redact\n' >"$TMP/no-patterns.yaml"
rc=0
"$SLUICE" check "$TMP/no-patterns.yaml" --plugin-path "$OOT" >"$TMP/check.out" 2>&1 || rc=$?
if [ $rc -ne 3 ] || ! grep -q "missing required option 'patterns'" "$TMP/check.out"; then
    cat "$TMP/check.out" >&2
    fail "sluice check with no patterns: exit $rc, expected 3 and 'missing required option'"
fi
printf '   ok: sluice check reports the missing required option (exit 3)\n'

# ---------------------------------------------------------------------------------------
say "4. compile with pkg-config instead of CMake"
if ! command -v pkg-config >/dev/null 2>&1; then
    printf '   note: pkg-config not found: step skipped\n'
else
    export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    cflags=$(pkg-config --cflags sluice) || fail "pkg-config --cflags sluice failed (PKG_CONFIG_PATH=$PKG_CONFIG_PATH)"
    cflags=${cflags%% } # pkg-config ends with a space
    incdir=${cflags#-I}
    [ "$(cd "$incdir" 2>/dev/null && pwd -P)" = "$(cd "$PREFIX/include" && pwd -P)" ] ||
        fail "pkg-config --cflags sluice gave '$cflags', expected -I for $PREFIX/include"
    plugindir=$(pkg-config --variable=plugindir sluice)
    [ "$(cd "$plugindir" 2>/dev/null && pwd -P)" = "$(cd "$PREFIX/lib/sluice/plugins" && pwd -P)" ] ||
        fail "pkg-config --variable=plugindir sluice gave '$plugindir', expected '$PREFIX/lib/sluice/plugins'"
    mkdir -p "$TMP/pc"
    # shellcheck disable=SC2086 # the flags are words
    run_logged "$TMP/pc.log" "$CC_BUILD" -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -shared -fPIC \
        -fvisibility=hidden -Wl,--no-undefined $XFLAGS $cflags \
        -o "$TMP/pc/redact.so" "$EXAMPLE/redact.c"
    "$SLUICE" run "$TMP/by-name.yaml" -q --plugin-path "$TMP/pc" <"$TMP/in.jsonl" >"$TMP/pc.out" \
        2>"$TMP/pc.err" || { cat "$TMP/pc.err" >&2; fail "sluice run with the pkg-config build failed"; }
    expect_file "plugin compiled with \$(pkg-config --cflags sluice)" "$TMP/by-name.expected" "$TMP/pc.out"
fi

# ---------------------------------------------------------------------------------------
say "5. install the plugin into the prefix; the installed sluice finds it by name"
run_logged "$TMP/oot-install.log" "$CMAKE" --install "$OOT"
[ -f "$PREFIX/lib/sluice/plugins/redact.so" ] ||
    fail "cmake --install of the plugin did not put redact.so in $PREFIX/lib/sluice/plugins"
env -u SLUICE_PLUGIN_PATH "$PREFIX/bin/sluice" run "$TMP/by-name.yaml" -q <"$TMP/in.jsonl" \
    >"$TMP/installed.out" 2>"$TMP/installed.err" ||
    { cat "$TMP/installed.err" >&2; fail "the installed sluice could not run the installed plugin"; }
expect_file "installed sluice, installed plugin, by name with no --plugin-path" \
    "$TMP/by-name.expected" "$TMP/installed.out"

# ---------------------------------------------------------------------------------------
say "6. sluice new-plugin: the project it writes builds and passes its test as it is"
NEW=$TMP/new-plugin
(cd "$TMP" && "$PREFIX/bin/sluice" new-plugin my-plugin new-plugin) >"$TMP/new-plugin.log" 2>&1 ||
    { cat "$TMP/new-plugin.log" >&2; fail "sluice new-plugin my-plugin failed"; }
for f in CMakeLists.txt my-plugin.c tests/test_my-plugin.c my-plugin.yaml sample.jsonl README.md; do
    [ -f "$NEW/$f" ] || fail "sluice new-plugin did not write $f"
done
if "$PREFIX/bin/sluice" new-plugin my-plugin "$NEW" >/dev/null 2>&1; then
    fail "sluice new-plugin wrote over an existing folder"
fi
# No CMAKE_PREFIX_PATH: the project finds the SDK of the sluice that wrote it. The same
# compiler, generator and (sanitizer) flags as the build; the test links the harness.
NB=$NEW/build
cfg=("$CMAKE" -S "$NEW" -B "$NB" -DCMAKE_C_COMPILER="$CC_BUILD" -Dmy_plugin_WERROR=ON
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
[ -n "$GEN" ] && cfg+=(-G "$GEN")
if [ -n "$XFLAGS" ]; then
    cfg+=(-DCMAKE_C_FLAGS="$XFLAGS" -DCMAKE_MODULE_LINKER_FLAGS="$XFLAGS"
        -DCMAKE_EXE_LINKER_FLAGS="$XFLAGS")
fi
run_logged "$TMP/new-configure.log" "${cfg[@]}"
found=$(sed -n 's/^sluice_DIR:[A-Z]*=//p' "$NB/CMakeCache.txt")
[ "$(cd "$found" && pwd -P)" = "$(cd "$PREFIX/lib/cmake/sluice" && pwd -P)" ] ||
    fail "the new project found the SDK at '$found', not $PREFIX/lib/cmake/sluice"
run_logged "$TMP/new-build.log" "$CMAKE" --build "$NB"
CTEST=$(dirname "$CMAKE")/ctest
command -v "$CTEST" >/dev/null 2>&1 || CTEST=ctest
run_logged "$TMP/new-ctest.log" "$CTEST" --test-dir "$NB" --output-on-failure --no-tests=error
grep -q "1 tests passed\|100% tests passed" "$TMP/new-ctest.log" ||
    { cat "$TMP/new-ctest.log" >&2; fail "ctest in the new project ran no test"; }
printf '   ok: configured, built with -Werror and tested (ctest: %s)\n' \
    "$(grep -o '[0-9]*% tests passed.*' "$TMP/new-ctest.log")"
(cd "$NEW" && "$PREFIX/bin/sluice" run -q my-plugin.yaml --plugin-path build sample.jsonl) \
    >"$TMP/new-run.out" 2>"$TMP/new-run.err" ||
    { cat "$TMP/new-run.err" >&2; fail "the example pipeline of the new project failed"; }
grep -q '"long_words_count":2,"long_words":\[{"start":0,"end":11,"label":"long"}' "$TMP/new-run.out" ||
    { cat "$TMP/new-run.out" >&2; fail "the example pipeline of the new project: unexpected output"; }
printf '   ok: its example pipeline runs on its sample\n'
rc=0
"$PREFIX/bin/sluice" new-plugin 'Bad Name' "$TMP/bad" >/dev/null 2>"$TMP/bad-name.err" || rc=$?
if [ $rc -ne 2 ] || ! grep -q "^sluice: 'Bad Name' cannot name a plugin" "$TMP/bad-name.err"; then
    cat "$TMP/bad-name.err" >&2
    fail "new-plugin with a bad name: exit $rc"
fi

say "PASS: the plugin SDK works out of tree (CMake package, pkg-config, by name, by path, new-plugin)"
