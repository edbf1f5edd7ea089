_rnetns() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="rnetns"
                ;;
            rnetns,add)
                cmd="rnetns__subcmd__add"
                ;;
            rnetns,attach)
                cmd="rnetns__subcmd__attach"
                ;;
            rnetns,completions)
                cmd="rnetns__subcmd__completions"
                ;;
            rnetns,delete)
                cmd="rnetns__subcmd__delete"
                ;;
            rnetns,discover)
                cmd="rnetns__subcmd__discover"
                ;;
            rnetns,exec)
                cmd="rnetns__subcmd__exec"
                ;;
            rnetns,exists)
                cmd="rnetns__subcmd__exists"
                ;;
            rnetns,help)
                cmd="rnetns__subcmd__help"
                ;;
            rnetns,identify)
                cmd="rnetns__subcmd__identify"
                ;;
            rnetns,inspect)
                cmd="rnetns__subcmd__inspect"
                ;;
            rnetns,list)
                cmd="rnetns__subcmd__list"
                ;;
            rnetns,list-id)
                cmd="rnetns__subcmd__list__subcmd__id"
                ;;
            rnetns,lst)
                cmd="rnetns__subcmd__list"
                ;;
            rnetns,monitor)
                cmd="rnetns__subcmd__monitor"
                ;;
            rnetns,pids)
                cmd="rnetns__subcmd__pids"
                ;;
            rnetns,prune)
                cmd="rnetns__subcmd__prune"
                ;;
            rnetns,set)
                cmd="rnetns__subcmd__set"
                ;;
            rnetns,show)
                cmd="rnetns__subcmd__list"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        rnetns)
            opts="-j -p -a -n -b -V --json --pretty --all --netns --batch --force --help --version list show lst list-id help add set delete identify pids exec monitor attach inspect discover prune exists completions"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__add)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__attach)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__completions)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force bash zsh fish"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__delete)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__discover)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__exec)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__exists)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__help)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__identify)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__inspect)
            opts="-s -j -p -a -n -b --section --table --all-sockets --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --section)
                    COMPREPLY=($(compgen -W "links addrs routes neigh sockets" -- "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -W "links addrs routes neigh sockets" -- "${cur}"))
                    return 0
                    ;;
                --table)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__list)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__list__subcmd__id)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__monitor)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__pids)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__prune)
            opts="-j -p -a -n -b --dry-run --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rnetns__subcmd__set)
            opts="-j -p -a -n -b --json --pretty --all --netns --batch --force"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --netns)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --batch)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _rnetns -o nosort -o bashdefault -o default rnetns
else
    complete -F _rnetns -o bashdefault -o default rnetns
fi

# rnetns: ip's grammar on top of the generated completion above. Global options come before
# the subcommand and abbreviate by prefix in ip's order; subcommands abbreviate in ip's
# order; NAME arguments complete to the namespaces that exist now (`rnetns list`).

# The namespace names, one a line: `rnetns list` without ` (id: N)`.
_rnetns_names() {
    command rnetns list 2>/dev/null | sed 's/ (id: -\{0,1\}[0-9]*)$//'
}

# Add to COMPREPLY the names that start with the word being completed ($1, raw as typed),
# quoted for the place they go: after an opening ' or " the text inside that quote (readline
# closes it), otherwise with a backslash before each character the shell would take apart
# (`sp\ ace`, `we\$ird`); a name with a newline or tab as printf %q writes it.
_rnetns_add_names() {
    local raw=$1 q= cur line i c out
    case $raw in
    \'*) q=\' cur=${raw#\'} ;;
    \"*)
        q=\" cur=${raw#\"} out=
        for (( i = 0; i < ${#cur}; i++ )); do
            c=${cur:i:1}
            if [[ $c == \\ && ${cur:i+1:1} == [\\\"\$\`] ]]; then
                (( ++i ))
                c=${cur:i:1}
            fi
            out+=$c
        done
        cur=$out
        ;;
    *)
        cur= out=$raw
        for (( i = 0; i < ${#out}; i++ )); do
            c=${out:i:1}
            [[ $c == \\ ]] && (( ++i )) && c=${out:i:1}
            cur+=$c
        done
        ;;
    esac
    while IFS= read -r line; do
        [[ $line == "$cur"* ]] || continue
        case $q in
        \') line=${line//\'/\'\\\'\'} ;;
        \") out=
            for (( i = 0; i < ${#line}; i++ )); do
                c=${line:i:1}
                [[ $c == [\\\"\$\`] ]] && out+=\\
                out+=$c
            done
            line=$out
            ;;
        *)
            if [[ $line == *[$'\t\n']* ]]; then
                printf -v line '%q' "$line"
            else
                out=
                for (( i = 0; i < ${#line}; i++ )); do
                    c=${line:i:1}
                    [[ $c == [\ \!\"\#\$\&\'\(\)\*\;\<\>\?\[\\\]\^\`\{\|\}\~] ]] && out+=\\
                    out+=$c
                done
                line=$out
            fi
            ;;
        esac
        COMPREPLY+=("$line")
    done < <(_rnetns_names)
}

# The full name of global option $1 (`--x` folds to `-x`), first prefix match in ip's order;
# a trailing `=` marks options that take a value.
_rnetns_option() {
    local o=${1#-} n
    [[ $o == -* ]] && o=${o#-}
    [[ -n $o ]] || return 1
    for n in loops= family= 4 6 0 M B human human-readable iec stats statistics details resolve oneline timestamp tshort Version force batch= brief json pretty rcvbuf= color help netns= Numeric all echo; do
        if [[ ${n%=} == "$o"* ]]; then
            printf '%s\n' "$n"
            return 0
        fi
    done
    return 1
}

# The full name of subcommand word $1, first prefix match in ip's order.
_rnetns_subcommand() {
    local n
    [[ -n $1 ]] || return 1
    for n in list show lst list-id help add set delete identify pids exec monitor attach inspect discover prune exists completions; do
        if [[ $n == "$1"* ]]; then
            printf '%s\n' "$n"
            return 0
        fi
    done
    return 1
}

_rnetns_main() {
    local cur=${COMP_WORDS[COMP_CWORD]} i=1 w opt all=0 sub
    COMPREPLY=()
    while (( i < COMP_CWORD )); do
        w=${COMP_WORDS[i]}
        [[ $w == -* ]] || break
        if [[ $w == -- ]]; then
            (( i++ ))
            break
        fi
        opt=$(_rnetns_option "$w")
        [[ $opt == all ]] && all=1
        if [[ $opt == *= ]]; then
            if (( i + 1 == COMP_CWORD )); then
                # The value of an option: a namespace for -netns, a file for -batch.
                case $opt in
                netns=) _rnetns_add_names "$cur" ;;
                batch=) COMPREPLY=($(compgen -f -- "$cur")) ;;
                esac
                return 0
            fi
            (( i += 2 ))
            continue
        fi
        (( i++ ))
    done
    # The optional object word: `rnetns netns exec ...`.
    case ${COMP_WORDS[i]} in net | netn | netns) (( i < COMP_CWORD )) && (( i++ )) ;; esac
    if (( i == COMP_CWORD )); then
        if [[ $cur == -* ]]; then
            _rnetns "$@"
        else
            COMPREPLY=($(compgen -W "list show lst list-id help add set delete identify pids exec monitor attach inspect discover prune exists completions" -- "$cur"))
        fi
        return 0
    fi
    sub=$(_rnetns_subcommand "${COMP_WORDS[i]}")
    case "$sub,$all" in
    delete,1) return 0 ;;
    exec,1)
        # -all exec CMD ...: a command line.
        if declare -F _command_offset >/dev/null; then
            _command_offset $(( i + 1 ))
        else
            COMPREPLY=($(compgen -c -- "$cur" | sort -u))
        fi
        return 0
        ;;
    exec,0)
        if (( COMP_CWORD >= i + 2 )); then
            if declare -F _command_offset >/dev/null; then
                _command_offset $(( i + 2 ))
            else
                COMPREPLY=($(compgen -c -- "$cur" | sort -u))
            fi
            return 0
        fi
        ;;
    esac
    local takes=0
    case $sub in
    set | delete | pids | exec | attach | inspect | exists) (( COMP_CWORD == i + 1 )) && takes=1 ;;
    esac
    [[ $sub == inspect ]] && takes=1
    if (( takes )); then
        # An absolute path (/proc/PID/ns/net) completes as a file name.
        if [[ $cur == /* ]]; then
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0
        fi
        _rnetns_add_names "$cur"
        return 0
    fi
    # ip's subcommands take words, not options; rnetns's own have clap's options.
    case $sub in
    inspect | discover | prune | exists | completions) _rnetns "$@" ;;
    esac
    return 0
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _rnetns_main -o nosort -o bashdefault -o default rnetns
else
    complete -F _rnetns_main -o bashdefault -o default rnetns
fi
