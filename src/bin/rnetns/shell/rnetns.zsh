# rnetns: ip's grammar on top of the generated completion above (renamed _rnetns_clap).
# Global options come before the subcommand and abbreviate by prefix in ip's order;
# subcommands abbreviate in ip's order; NAME arguments complete to the namespaces that exist
# now (`rnetns list`).

# The namespace names, one a line: `rnetns list` without ` (id: N)`.
_rnetns_names() {
    command rnetns list 2>/dev/null | sed 's/ (id: -\{0,1\}[0-9]*)$//'
}

# The full name of global option $1 (`--x` folds to `-x`), first prefix match in ip's order;
# a trailing `=` marks options that take a value.
_rnetns_option() {
    local o=${1#-} n
    [[ $o == -* ]] && o=${o#-}
    [[ -n $o ]] || return 1
    for n in @OPTIONS@; do
        if [[ ${n%=} == "$o"* ]]; then
            print -r -- $n
            return 0
        fi
    done
    return 1
}

# The full name of subcommand word $1, first prefix match in ip's order.
_rnetns_subcommand() {
    local n
    [[ -n $1 ]] || return 1
    for n in @SUBCOMMANDS@; do
        if [[ $n == "$1"* ]]; then
            print -r -- $n
            return 0
        fi
    done
    return 1
}

_rnetns_complete_names() {
    local -a names
    names=(${(f)"$(_rnetns_names)"})
    _wanted netns expl 'network namespace' compadd -a names
}

_rnetns() {
    local i=2 w opt all=0 sub
    while (( i < CURRENT )); do
        w=$words[i]
        [[ $w == -* ]] || break
        if [[ $w == -- ]]; then
            (( i++ ))
            break
        fi
        opt=$(_rnetns_option $w)
        [[ $opt == all ]] && all=1
        if [[ $opt == *= ]]; then
            if (( i + 1 == CURRENT )); then
                case $opt in
                netns=) _rnetns_complete_names ;;
                batch=) _files ;;
                esac
                return
            fi
            (( i += 2 ))
            continue
        fi
        (( i++ ))
    done
    local obj=0
    case $words[i] in net|netn|netns) (( i < CURRENT )) && (( i++, obj = 1 )) ;; esac
    if (( i == CURRENT )); then
        if (( obj )) && [[ $PREFIX != -* ]]; then
            # After the object word clap's script would take `netns` for the subcommand.
            local -a subs
            subs=(@SUBCOMMANDS@)
            _wanted commands expl 'rnetns command' compadd -a subs
        else
            _rnetns_clap "$@"
        fi
        return
    fi
    sub=$(_rnetns_subcommand $words[i])
    if [[ $sub == exec ]] && (( all || CURRENT >= i + 2 )); then
        # The command line to run.
        local skip=$(( all ? i : i + 1 ))
        words=("${(@)words[skip+1,-1]}")
        (( CURRENT -= skip ))
        _normal
        return
    fi
    if [[ $sub == delete ]] && (( all )); then
        return 1
    fi
    case $sub in
    inspect)
        if [[ $PREFIX == /* ]]; then _files; else _rnetns_complete_names; fi
        return
        ;;
    @NAME_SUBCOMMANDS@)
        if (( CURRENT == i + 1 )); then
            if [[ $PREFIX == /* ]]; then _files; else _rnetns_complete_names; fi
            return
        fi
        ;;
    esac
    # ip's subcommands take words, not options; rnetns's own have clap's options.
    case $sub in
    inspect|discover|prune|exists|completions) _rnetns_clap "$@" ;;
    *) return 1 ;;
    esac
}

