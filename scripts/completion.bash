# Bash completion for sluice: commands, options and their values, plugin names (from
# `sluice plugins --names`, with the --plugin-path folders already on the line) and pipeline
# names (from `sluice pipelines --names`). `cmake --install` puts it in
# share/bash-completion/completions/sluice, where bash-completion loads it on first use; or
# source it from ~/.bashrc.

# The sluice being completed (so that ./build/sluice completes with its own plugins).
_sluice_bin() {
    local bin=${COMP_WORDS[0]}
    bin=${bin/#\~/$HOME}
    if [[ $bin == */* && -x $bin ]] || type -P "$bin" >/dev/null 2>&1; then
        printf '%s' "$bin"
    else
        printf 'sluice'
    fi
}

# Plugin names, with the line's --plugin-path folders searched first.
_sluice_plugins() {
    local -a paths=()
    local i
    for ((i = 2; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == --plugin-path ]]; then
            paths+=(--plugin-path "${COMP_WORDS[i + 1]/#\~/$HOME}")
        fi
    done
    "$(_sluice_bin)" plugins --names "${paths[@]}" 2>/dev/null
}

# The options that `sluice help COMMAND` lists, so that new ones complete without an edit here.
_sluice_options() {
    "$(_sluice_bin)" help "$1" 2>/dev/null | grep -oE '(^|[] ,[|])--?[a-zA-Z][a-zA-Z-]*' |
        sed 's/^[] ,[|]*//' | sort -u
    printf '%s\n' -h --help
}

_sluice_pipelines() {
    "$(_sluice_bin)" pipelines --names 2>/dev/null
}

# Add compgen's words to COMPREPLY, one a line, so that names with blanks stay whole.
_sluice_compgen() {
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen "$@")
}

_sluice_files() { # files (and folders to descend into)
    compopt -o filenames 2>/dev/null
    _sluice_compgen -f -- "$1"
}

_sluice() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="run check pipelines plugins new-plugin help"
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        _sluice_compgen -W "$commands --help --version" -- "$cur"
        return 0
    fi
    local cmd=${COMP_WORDS[1]}

    # The value of the option before the cursor.
    case $prev in
    --input-format)
        _sluice_compgen -W "jsonl text lines html" -- "$cur"
        return 0
        ;;
    --on-error)
        _sluice_compgen -W "skip fail" -- "$cur"
        return 0
        ;;
    --log-level)
        _sluice_compgen -W "error warning info debug" -- "$cur"
        return 0
        ;;
    --plugin-path)
        compopt -o filenames 2>/dev/null
        _sluice_compgen -d -- "$cur"
        return 0
        ;;
    --dead-letter)
        _sluice_files "$cur"
        return 0
        ;;
    --stage)
        # PLUGIN, then its options after a colon (not completed)
        compopt -o nospace 2>/dev/null
        _sluice_compgen -W "$(_sluice_plugins)" -S : -- "$cur"
        return 0
        ;;
    --set)
        # STAGE.OPTION=VALUE: the stage as a plugin name
        compopt -o nospace 2>/dev/null
        _sluice_compgen -W "$(_sluice_plugins)" -S . -- "$cur"
        return 0
        ;;
    -e | --max-doc-size | -j | --jobs)
        return 0 # free text
        ;;
    esac

    if [[ $cur == -* ]]; then
        _sluice_compgen -W "$(_sluice_options "$cmd")" -- "$cur"
        return 0
    fi

    # Which positional argument the cursor is on; -e and --stage make every one an input.
    local i n=0 given_pipeline=0
    for ((i = 2; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -e | --stage)
            given_pipeline=1
            ((i++))
            ;;
        --set | --plugin-path | --input-format | --on-error | --dead-letter | --max-doc-size | \
            -j | --jobs | --log-level)
            ((i++))
            ;;
        -*) ;;
        *) ((n++)) ;;
        esac
    done
    case $cmd in
    run | check)
        if ((n == 0 && !given_pipeline)); then
            _sluice_compgen -W "$(_sluice_pipelines)" -- "$cur"
            _sluice_files "$cur" # a pipeline file
        elif [[ $cmd == run ]]; then
            _sluice_files "$cur"
        fi
        ;;
    plugins)
        ((n == 0)) && _sluice_compgen -W "$(_sluice_plugins)" -- "$cur"
        ;;
    help)
        ((n == 0)) && _sluice_compgen -W "$commands" -- "$cur"
        ;;
    new-plugin)
        if ((n == 1)); then
            compopt -o filenames 2>/dev/null
            _sluice_compgen -d -- "$cur"
        fi
        ;;
    esac
    return 0
}

complete -F _sluice sluice
