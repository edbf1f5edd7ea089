
# rnetns: ip's grammar on top of the generated completions above. Global options come before
# the subcommand and abbreviate by prefix in ip's order; subcommands abbreviate in ip's order;
# NAME arguments complete to the namespaces that exist now (`rnetns list`).

# The namespace names, one a line: `rnetns list` without ` (id: N)`.
function __rnetns_names
    command rnetns list 2>/dev/null | sed 's/ (id: -\{0,1\}[0-9]*)$//'
end

# True when $argv[1] is a non-empty prefix of $argv[2].
function __rnetns_prefix
    set -l n (string length -- $argv[1])
    test $n -gt 0; and test (string sub -l $n -- $argv[2]) = $argv[1]
end

# The full name of a global option (`--x` folds to `-x`), first prefix match in ip's order;
# a trailing `=` marks options that take a value.
function __rnetns_option
    set -l o (string replace -r -- '^--?' '' $argv[1])
    for n in @OPTIONS@
        if __rnetns_prefix $o (string trim -r -c = -- $n)
            echo $n
            return 0
        end
    end
    return 1
end

# The full name of a subcommand word, first prefix match in ip's order.
function __rnetns_subcommand
    for n in @SUBCOMMANDS@
        if __rnetns_prefix $argv[1] $n
            echo $n
            return 0
        end
    end
    return 1
end

# True when the word being completed is a NAME: the value of -netns, the first word after
# a subcommand that takes one (@NAME_LIST@), or any word after inspect.
function __rnetns_wants_name
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l all 0
    set -l i 1
    set -l n (count $toks)
    while test $i -le $n
        set -l w $toks[$i]
        string match -q -- '-*' $w; or break
        if test "$w" = --
            set i (math $i + 1)
            break
        end
        set -l opt (__rnetns_option $w)
        test "$opt" = all; and set all 1
        if string match -q -- '*=' "$opt"
            if test $i -eq $n
                test "$opt" = netns=
                return
            end
            set i (math $i + 2)
            continue
        end
        set i (math $i + 1)
    end
    if test $i -le $n; and contains -- $toks[$i] net netn netns
        set i (math $i + 1)
    end
    test $i -le $n; or return 1
    set -l sub (__rnetns_subcommand $toks[$i])
    test "$sub" = inspect; and return 0
    test $all -eq 1; and contains -- "$sub" exec delete; and return 1
    test $i -eq $n; and contains -- "$sub" @NAME_LIST@
end

# With `exec NAME` (or `-all exec`) before the word being completed: the index, among the
# words after `rnetns`, of the command to run; false elsewhere.
function __rnetns_exec_at
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l all 0
    set -l i 1
    set -l n (count $toks)
    while test $i -le $n
        set -l w $toks[$i]
        string match -q -- '-*' $w; or break
        if test "$w" = --
            set i (math $i + 1)
            break
        end
        set -l opt (__rnetns_option $w)
        test "$opt" = all; and set all 1
        if string match -q -- '*=' "$opt"
            set i (math $i + 2)
            continue
        end
        set i (math $i + 1)
    end
    if test $i -le $n; and contains -- $toks[$i] net netn netns
        set i (math $i + 1)
    end
    test $i -le $n; or return 1
    set -l sub (__rnetns_subcommand $toks[$i])
    test "$sub" = exec; or return 1
    # The command follows NAME, or exec itself with -all.
    set -l at (math $i + 2 - $all)
    test $at -le (math $n + 1); or return 1
    echo $at
end

# The completions of the command line after `exec NAME` as fish completes it on its own.
function __rnetns_complete_exec
    set -l at (__rnetns_exec_at); or return
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l words
    test $at -le (count $toks); and set words (string escape -- $toks[$at..-1])
    complete -C (string join -- ' ' $words (commandline -ct))
end

complete -c rnetns -n __rnetns_wants_name -f -a '(__rnetns_names)' -d 'network namespace'
complete -c rnetns -n __rnetns_exec_at -f -a '(__rnetns_complete_exec)'
