# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rnetns_global_optspecs
    string join \n j/json p/pretty a/all n/netns= b/batch= force help V/version
end

function __fish_rnetns_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rnetns_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rnetns_using_subcommand
    set -l cmd (__fish_rnetns_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rnetns -n "__fish_rnetns_needs_command" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_needs_command" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_needs_command" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_needs_command" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_needs_command" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_needs_command" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_needs_command" -l help -d 'Print this help (`-help` prints ip\'s usage and exits 255, as ip does; `-h` is ip\'s `-human`, accepted and ignored)'
complete -c rnetns -n "__fish_rnetns_needs_command" -s V -l version -d 'Print version'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "list" -d 'List named network namespaces with their ids (also: show, lst; the default)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "show" -d 'List named network namespaces with their ids (also: show, lst; the default)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "lst" -d 'List named network namespaces with their ids (also: show, lst; the default)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "list-id" -d 'List namespace ids: list-id [target-nsid N] [nsid N]'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "help" -d 'Print the usage summary (on stderr, exit 255, as ip does)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "add" -d 'Create a named network namespace: add NAME'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "set" -d 'Give a namespace an id: set NAME|PATH NETNSID|auto'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "delete" -d 'Delete a named namespace: delete NAME (with -all: every one)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "identify" -d 'Print the name(s) of the namespace of a process: identify [PID|PATH]'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "pids" -d 'Print the processes in a namespace: pids NAME|PATH'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "exec" -d 'Run a command inside a namespace: exec NAME|PATH CMD [ARGS...] (with -all: every one)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "monitor" -d 'Print add/delete events of the namespace directory as they happen'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "attach" -d 'Name the namespace of a process: attach NAME PID'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "inspect" -d 'Show links, addresses, routes, neighbours and listening sockets of namespaces (default: every named one)'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "discover" -d 'Find every network namespace on the host: names, mounts, processes, open fds'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "prune" -d 'Remove stale entries (plain files, dangling symlinks) from the run dir'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "exists" -d 'Exit 0 if NAME|PATH is a usable network namespace, 1 if absent, 2 if stale'
complete -c rnetns -n "__fish_rnetns_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c rnetns -n "__fish_rnetns_using_subcommand list" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand list" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand list" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand show" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand show" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand show" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand show" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand show" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand show" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand lst" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand lst" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand lst" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand lst" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand lst" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand lst" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list-id" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand list-id" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand list-id" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list-id" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list-id" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand list-id" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand help" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand help" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand help" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand help" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand help" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand help" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand add" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand add" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand add" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand add" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand add" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand add" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand set" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand set" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand set" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand set" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand set" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand set" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand delete" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand delete" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand delete" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand delete" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand delete" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand delete" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand identify" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand identify" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand identify" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand identify" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand identify" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand identify" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand pids" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand pids" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand pids" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand pids" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand pids" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand pids" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exec" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand exec" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand exec" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exec" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exec" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exec" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand monitor" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand monitor" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand monitor" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand monitor" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand monitor" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand monitor" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand attach" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand attach" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand attach" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand attach" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand attach" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand attach" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -s s -l section -d 'Sections to show (comma-separated or repeated; default: all but links, which addrs includes)' -r -f -a "links\t'Links only, as `ip link` shows them'
addrs\t'Links with their addresses, as `ip addr` shows them'
routes\t'Routes, as `ip route` and `ip -6 route` show them'
neigh\t'Neighbours, as `ip neigh` and `ip neigh show proxy` show them'
sockets\t'Listening TCP and UDP sockets with their processes, as `ss -tulpn` shows them (with --all-sockets: every one, as `ss -tuapn`)'"
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -l table -d 'Route table: main (default), all, local, default or a number' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -l all-sockets -d 'Connected sockets too (ss -tuapn), not only listening ones (ss -tulpn)'
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand inspect" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand discover" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand discover" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand discover" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand discover" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand discover" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand discover" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -l dry-run -d 'Only print what would be removed'
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand prune" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exists" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand exists" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand exists" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exists" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exists" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand exists" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand completions" -s n -l netns -d 'Run the command inside the namespace NAME (`-n`, `-netns`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand completions" -s b -l batch -d 'Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)' -r
complete -c rnetns -n "__fish_rnetns_using_subcommand completions" -s j -l json -d 'JSON output (`-j`, `-json`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand completions" -s p -l pretty -d 'Pretty-print JSON (`-p`, `-pretty`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand completions" -s a -l all -d 'Apply `delete` or `exec` to every named namespace (`-a`, `-all`)'
complete -c rnetns -n "__fish_rnetns_using_subcommand completions" -l force -d 'With -batch: go on after a failed command (`-fo`, `-force`)'

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
    for n in loops= family= 4 6 0 M B human human-readable iec stats statistics details resolve oneline timestamp tshort Version force batch= brief json pretty rcvbuf= color help netns= Numeric all echo
        if __rnetns_prefix $o (string trim -r -c = -- $n)
            echo $n
            return 0
        end
    end
    return 1
end

# The full name of a subcommand word, first prefix match in ip's order.
function __rnetns_subcommand
    for n in list show lst list-id help add set delete identify pids exec monitor attach inspect discover prune exists completions
        if __rnetns_prefix $argv[1] $n
            echo $n
            return 0
        end
    end
    return 1
end

# True when the word being completed is a NAME: the value of -netns, the first word after
# a subcommand that takes one (set delete pids exec attach inspect exists), or any word after inspect.
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
    test $i -eq $n; and contains -- "$sub" set delete pids exec attach inspect exists
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
