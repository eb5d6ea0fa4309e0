#!/usr/bin/env bash
# Throughput of sluice pipelines on a JSON Lines corpus: MB/s and documents/s, best of N runs,
# against the pass-through pipeline and `jq -c . CORPUS` on the same file in the same run.
#
#   bench/run.sh [-n REPEATS] [-j WORKERS] [PIPELINE.yaml ...] [-- CORPUS.jsonl ...]
#
# -j gives sluice run its number of worker threads; the default is 1, so that the figures
# are what one core does (sluice's own default is one worker per processor).
# Defaults: 5 repeats; pipelines/passthrough.yaml and every other pipelines/*.yaml that
# `sluice check` accepts (passthrough is always measured: it is the baseline); the corpus
# is ../shared/data/news/*.jsonl (or $SLUICE_SHARED_DATA/news/*.jsonl) concatenated into a
# temporary file; several CORPUS files given after -- are concatenated the same way.
# It builds sluice in Release in build-bench/ when needed (cmake -B build-bench
# -DCMAKE_BUILD_TYPE=Release); SLUICE_BIN=/path/to/sluice benchmarks that binary instead.
# Output goes to /dev/null; pipelines run in a temporary folder, so a sink that writes a file
# by a relative path writes it there, not into the repository. MB are 10^6 bytes.
# Exit status: 0 (also when no corpus is available: a note, nothing measured), 1 when a
# pipeline fails (a run where some documents failed still counts, with a note), 2 on a
# usage error.
set -u -o pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPEATS=5
JOBS=1
PIPELINES=()
CORPORA=()

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}
die() {
    printf 'bench: %s\n' "$1" >&2
    exit "${2:-1}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        -n)
            [ $# -ge 2 ] || die "-n needs a number" 2
            REPEATS=$2
            shift 2
            ;;
        -n*)
            REPEATS=${1#-n}
            shift
            ;;
        -j)
            [ $# -ge 2 ] || die "-j needs a number" 2
            JOBS=$2
            shift 2
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        --)
            shift
            CORPORA=("$@")
            break
            ;;
        -*) die "unknown option '$1' (try --help)" 2 ;;
        *)
            PIPELINES+=("$1")
            shift
            ;;
    esac
done
case "$REPEATS" in
    '' | *[!0-9]* | 0) die "-n takes a positive number, not '$REPEATS'" 2 ;;
esac

# Paths given by the user are relative to where they ran us: make them absolute, since the
# pipelines run in a temporary folder.
abspath() { # of an existing file
    printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"
}
for i in "${!PIPELINES[@]}"; do
    [ -f "${PIPELINES[$i]}" ] || die "no pipeline file '${PIPELINES[$i]}'" 2
    PIPELINES[i]=$(abspath "${PIPELINES[$i]}")
done

# --- the corpus ------------------------------------------------------------------------
if [ ${#CORPORA[@]} -eq 0 ]; then
    shopt -s nullglob
    NEWS=${SLUICE_SHARED_DATA:-$ROOT/../shared/data}/news
    [ -d "$NEWS" ] && NEWS=$(cd "$NEWS" && pwd)
    CORPORA=("$NEWS"/*.jsonl)
    shopt -u nullglob
    if [ ${#CORPORA[@]} -eq 0 ]; then
        printf 'bench: no corpus: no %s/*.jsonl; give one after --. Nothing measured.\n' "$NEWS" >&2
        exit 0
    fi
else
    for i in "${!CORPORA[@]}"; do
        [ -f "${CORPORA[$i]}" ] || die "no corpus file '${CORPORA[$i]}'" 2
        CORPORA[i]=$(abspath "${CORPORA[$i]}")
    done
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"' EXIT
if [ ${#CORPORA[@]} -eq 1 ]; then
    CORPUS=${CORPORA[0]}
else
    CORPUS=$WORK/corpus.jsonl
    for f in "${CORPORA[@]}"; do
        cat "$f"
        # keep one record per line even when a file lacks its last newline
        [ -n "$(tail -c 1 "$f")" ] && printf '\n'
    done >"$CORPUS"
fi
BYTES=$(wc -c <"$CORPUS" | tr -d ' ')
[ "$BYTES" -gt 0 ] || die "the corpus is empty"

# --- sluice ----------------------------------------------------------------------------
if [ -n "${SLUICE_BIN:-}" ]; then
    [ -x "$SLUICE_BIN" ] || die "SLUICE_BIN=$SLUICE_BIN is not an executable"
    SLUICE=$(abspath "$SLUICE_BIN")
else
    BUILD=$ROOT/build-bench
    command -v cmake >/dev/null || die "cmake not found (or set SLUICE_BIN=/path/to/sluice)"
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        printf 'bench: configuring a Release build in %s\n' "$BUILD" >&2
        cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
            >"$WORK/configure.log" 2>&1 || { cat "$WORK/configure.log" >&2; die "cmake failed"; }
    fi
    # Incremental: quick when the build is up to date.
    cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" >"$WORK/build.log" 2>&1 ||
        { tail -n 30 "$WORK/build.log" >&2; die "the build failed"; }
    SLUICE=$BUILD/sluice
    btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
    [ "$btype" = Release ] || printf 'bench: note: %s is a %s build, not Release\n' "$BUILD" "$btype" >&2
fi

# --- the pipelines ---------------------------------------------------------------------
PASSTHROUGH=$ROOT/pipelines/passthrough.yaml
if [ ${#PIPELINES[@]} -eq 0 ]; then
    [ -f "$PASSTHROUGH" ] && PIPELINES+=("$PASSTHROUGH")
    for p in "$ROOT"/pipelines/*.yaml; do
        if [ ! -f "$p" ] || [ "$p" -ef "$PASSTHROUGH" ]; then continue; fi
        if "$SLUICE" check "$p" >"$WORK/check.log" 2>&1; then
            PIPELINES+=("$p")
        else
            printf 'bench: skipped %s: sluice check rejects it:\n' "${p#"$ROOT"/}" >&2
            sed 's/^/    /' "$WORK/check.log" >&2
        fi
    done
elif [ -f "$PASSTHROUGH" ]; then # always measured: the baseline of "vs passthrough"
    found=0
    for p in "${PIPELINES[@]}"; do [ "$p" -ef "$PASSTHROUGH" ] && found=1; done
    [ $found = 1 ] || PIPELINES=("$PASSTHROUGH" "${PIPELINES[@]}")
fi
[ ${#PIPELINES[@]} -gt 0 ] || die "no pipeline to run"

# --- timing ----------------------------------------------------------------------------
# Microseconds since the epoch, without a fork where bash can ($EPOCHREALTIME, bash 5).
now_us() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        local t=${EPOCHREALTIME/./}
        printf '%s\n' "${t/,/}"
    else
        local ns
        ns=$(date +%s%N)
        printf '%s\n' $((ns / 1000))
    fi
}

# best_us REPEATS STDIN ERRFILE CMD...: runs CMD REPEATS times (output to /dev/null, input
# from STDIN, errors to ERRFILE) and sets BEST (microseconds) and RC (the last exit status).
best_us() {
    local n=$1 in=$2 err=$3 t0 t1 d i
    shift 3
    BEST=
    RC=0
    for ((i = 0; i < n; i++)); do
        t0=$(now_us)
        "$@" <"$in" >/dev/null 2>"$err"
        RC=$?
        t1=$(now_us)
        # 4: some documents failed (reported below); the run itself went through
        [ $RC -eq 0 ] || { [ $RC -eq 4 ] && [ "$1" = "$SLUICE" ]; } || return
        d=$((t1 - t0))
        if [ -z "$BEST" ] || [ "$d" -lt "$BEST" ]; then BEST=$d; fi
    done
}

calc() { awk "BEGIN { $1 }" </dev/null; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
printf 'sluice benchmark, %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf '  machine: %s, %s CPUs, %s %s\n' "${cpu:-unknown CPU}" "$(nproc 2>/dev/null || echo '?')" \
    "$(uname -s)" "$(uname -r)"
printf '  sluice:  %s (%s)\n' "$SLUICE" "$("$SLUICE" --version 2>&1 | head -n 1)"
printf '  corpus:  %s\n' "$(calc "printf ($BYTES >= 1e6 ? \"%.1f MB\" : \"%.3f MB\"), $BYTES / 1e6")"
for f in "${CORPORA[@]}"; do printf '           %s\n' "$f"; done
printf '  runs:    best (minimum) wall time of %s, output to /dev/null\n\n' "$REPEATS"

cd "$WORK" || die "cannot enter $WORK"

# jq, the reference.
JQ_US=
if command -v jq >/dev/null 2>&1; then
    best_us "$REPEATS" /dev/null "$WORK/jq.err" jq -c . "$CORPUS"
    if [ $RC -eq 0 ]; then
        JQ_US=$BEST
    else
        printf 'bench: jq -c . failed on the corpus (exit %s): %s\n' "$RC" "$(head -c 300 "$WORK/jq.err")" >&2
    fi
else
    printf 'bench: note: jq not found: no jq reference row\n' >&2
fi

ROWS=()
PASS_US=
FAILED=0
DOCS=
for p in "${PIPELINES[@]}"; do
    name=${p#"$ROOT"/}
    best_us "$REPEATS" /dev/null "$WORK/run.err" "$SLUICE" run -j "$JOBS" "$p" "$CORPUS"
    if [ $RC -ne 0 ] && [ $RC -ne 4 ]; then
        printf 'bench: %s failed (exit %s):\n' "$name" "$RC" >&2
        tail -n 5 "$WORK/run.err" | sed 's/^/    /' >&2
        ROWS+=("$name|FAILED (exit $RC)||||")
        FAILED=1
        continue
    fi
    # "sluice: N documents read, W written, F failed"
    read -r nread nfail < <(sed -n 's/^sluice: \([0-9]*\) documents read, [0-9]* written, \([0-9]*\) failed.*/\1 \2/p' \
        "$WORK/run.err" | tail -n 1)
    nread=${nread:-0}
    [ -z "$DOCS" ] && DOCS=$nread
    [ "${nfail:-0}" -gt 0 ] && printf 'bench: note: %s: %s of %s documents failed\n' "$name" "$nfail" "$nread" >&2
    [ "$p" -ef "$PASSTHROUGH" ] && PASS_US=$BEST
    ROWS+=("$name|$BEST|$nread")
done

W=20
for row in "${ROWS[@]}"; do
    name=${row%%|*}
    [ "${#name}" -gt "$W" ] && W=${#name}
done
fmt_row() { printf "%-${W}s %10s %12s %15s %8s\n" "$@"; }
printf 'sluice run -j %s (worker threads)\n' "$JOBS"
fmt_row pipeline MB/s docs/s "vs passthrough" "vs jq"
fmt_row "$(printf "%${W}s" "" | tr " " -)" ---------- ------------ --------------- --------
for row in "${ROWS[@]}"; do
    IFS='|' read -r name us ndocs <<<"$row"
    case "$us" in
        FAILED*)
            fmt_row "$name" "$us" "" "" ""
            continue
            ;;
    esac
    mbs=$(calc "printf \"%.1f\", $BYTES / $us")
    dps=$(calc "printf \"%.0f\", $ndocs * 1e6 / $us")
    vp=-
    [ -n "$PASS_US" ] && vp=$(calc "printf \"%.2fx\", $PASS_US / $us")
    vj=-
    [ -n "$JQ_US" ] && vj=$(calc "printf \"%.2fx\", $JQ_US / $us")
    fmt_row "$name" "$mbs" "$dps" "$vp" "$vj"
done
if [ -n "$JQ_US" ]; then
    jdocs=-
    [ -n "$DOCS" ] && jdocs=$(calc "printf \"%.0f\", $DOCS * 1e6 / $JQ_US")
    vp=-
    [ -n "$PASS_US" ] && vp=$(calc "printf \"%.2fx\", $PASS_US / $JQ_US")
    fmt_row "jq -c . (reference)" "$(calc "printf \"%.1f\", $BYTES / $JQ_US")" "$jdocs" "$vp" "1.00x"
fi

# Start-up: an empty run of the pass-through pipeline (load, check, create, destroy).
if [ -f "$PASSTHROUGH" ]; then
    best_us $((REPEATS > 10 ? REPEATS : 10)) /dev/null "$WORK/startup.err" "$SLUICE" run "$PASSTHROUGH"
    if [ $RC -eq 0 ]; then
        printf '\nstart-up (sluice run pipelines/passthrough.yaml < /dev/null): %s ms\n' \
            "$(calc "printf \"%.1f\", $BEST / 1000")"
    else
        printf '\nstart-up run failed (exit %s)\n' "$RC"
        FAILED=1
    fi
fi
printf '\n"vs" columns: how many times faster than that row (higher is better); docs/s counts\n'
printf 'the documents sluice read (%s in the corpus).\n' "${DOCS:-?}"
exit $FAILED
