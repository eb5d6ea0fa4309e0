#!/usr/bin/env bash
# The bash completion (scripts/completion.bash), as bash calls it: source the script, set
# COMP_WORDS and COMP_CWORD for a command line, call the completion function, check
# COMPREPLY. Plugin and pipeline names come from the sluice under test.
#
# Usage: tests/test_completion.sh SLUICE_BIN COMPLETION_SCRIPT FIXTURE_PLUGIN_DIR
# Exit status: 0 passed, 1 failed.
set -u

SLUICE=${1:?usage: test_completion.sh SLUICE_BIN COMPLETION_SCRIPT FIXTURE_PLUGIN_DIR}
SCRIPT=${2:?usage: test_completion.sh SLUICE_BIN COMPLETION_SCRIPT FIXTURE_PLUGIN_DIR}
FIXTURES=${3:?usage: test_completion.sh SLUICE_BIN COMPLETION_SCRIPT FIXTURE_PLUGIN_DIR}
unset SLUICE_PLUGIN_PATH SLUICE_PIPELINE_PATH

# shellcheck source=../scripts/completion.bash
source "$SCRIPT" || exit 1
[ "$(complete -p sluice 2>/dev/null)" = "complete -F _sluice sluice" ] || {
    echo "FAIL: the script does not register _sluice for sluice"
    exit 1
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sluice-completion.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
touch "$TMP/articles.jsonl" "$TMP/art.yaml" "$TMP/two words.jsonl"
failures=0

# complete WORD... : the completions of the last word, sorted, one line.
complete_line() {
    COMP_WORDS=("$SLUICE" "$@")
    COMP_CWORD=$#
    COMP_LINE="${COMP_WORDS[*]}"
    COMPREPLY=()
    _sluice
    printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# expect WANT WORD...: the completions are exactly WANT.
expect() {
    local want=$1
    shift
    local got
    got=$(complete_line "$@")
    if [ "$got" = "$want" ]; then
        printf 'ok: sluice %s -> %s\n' "$*" "$got"
    else
        printf 'FAIL: sluice %s\n  want: %s\n  got:  %s\n' "$*" "$want" "$got"
        failures=$((failures + 1))
    fi
}

# expect_has WANT WORD...: WANT is among the completions.
expect_has() {
    local want=$1
    shift
    local got
    got=" $(complete_line "$@") "
    if [[ $got == *" $want "* ]]; then
        printf 'ok: sluice %s -> has %s\n' "$*" "$want"
    else
        printf 'FAIL: sluice %s\n  want among them: %s\n  got: %s\n' "$*" "$want" "$got"
        failures=$((failures + 1))
    fi
}

# commands and options
expect "run" r
expect "pipelines plugins" p
expect "new-plugin" n
expect "--help" --h
expect "check" help ch
expect "--input-format" run news --inp
expect "--json" plugins --j
expect "--set --stage" check --s
expect "--unbuffered --unordered" run --un
expect "--names" plugins --n
expect "--quiet" check --plugin-path x --q
# every option that `sluice help run` lists completes
for opt in $("$SLUICE" help run | grep -oE '(^|[] ,[|])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[] ,[|]*//'); do
    expect_has "$opt" run news "${opt:0:2}"
done
# option values
expect "lines" run news --input-format l
expect "fail" run news --on-error f
expect "debug" run news --log-level d
# plugin names: bundled ones from the build tree, fixtures through --plugin-path on the line
expect "sentences" plugins sen
expect "jsonl:" run --stage js
expect "boilerplate." run news --set bo
expect "probe" plugins --plugin-path "$FIXTURES" pro
expect "" plugins pro
# pipeline names, and files for a pipeline and for inputs
expect_has "news" run ne
expect_has "sentences" check se
cd "$TMP" || exit 1
expect "art.yaml articles.jsonl" run art
expect "articles.jsonl" run news arti
expect "articles.jsonl" run --stage sentences arti
expect "articles.jsonl" run -e 'stages: []' arti
expect "" check news arti
n=$(COMP_WORDS=("$SLUICE" run news two) COMP_CWORD=3 && COMPREPLY=() && _sluice && echo "${#COMPREPLY[@]}:${COMPREPLY[0]}")
if [ "$n" = "1:two words.jsonl" ]; then
    echo "ok: a file name with a blank is one completion"
else
    echo "FAIL: a file name with a blank: $n"
    failures=$((failures + 1))
fi

if [ $failures -ne 0 ]; then
    echo "$failures completion(s) wrong"
    exit 1
fi
echo "PASS"
