//! Parallel bulk creation (issue 18): a batch's run of consecutive `add` lines is made on a
//! pool of creator threads, and everything a user sees is what ip's one-line-after-the-other
//! batch gives: messages, `Command failed FILE:LINE`, exit status, the names left, and the
//! order `list` prints them in. The library's `add_many` gives the same per name.

use crate::common::*;

crate::tests![
    parallel_batch_is_ips_batch_with_failures_in_the_middle,
    parallel_batch_failed_line_takes_back_every_later_add,
    parallel_batch_without_threads_or_descriptors_is_ips_batch,
    parallel_batch_answers_a_piped_line_before_reading_the_next,
    add_many_gives_one_result_per_name_in_order,
];

/// Batch files with a failure in the middle of a run of adds, each run with and without
/// `-force`, then `list` (readdir order: the order the entries were made) and the run dir's
/// state, against ip in a twin sandbox.
const BATCHES: &str = r##"
seqb() { local i; for i in $(seq "$2" "$3"); do echo "netns add $1$i"; done; }
{ seqb a 1 12; echo "netns add a5"; seqb a 13 30; } >dup
{ seqb b 1 6; echo "netns add pre"; seqb b 7 30; } >exists
{ seqb c 1 6; echo "netns add c/x"; seqb c 7 20; } >invalid
{ seqb d 1 5; echo "netns list"; seqb d 6 10; echo "netns exec d3 echo hi"; seqb d 11 20
  echo "netns delete d2"; seqb d 21 25; echo "netns add"; seqb d 26 28; } >mixed
{ seqb e 1 5; echo "netns add e2"; seqb e 6 9; echo "# comment"; printf 'netns add e10 \\\n'; } >tail
{ seqb f 1 5; echo "netns nosuch"; seqb f 6 9; } >unknown
$N add pre
for f in dup exists invalid mixed tail unknown; do
  for force in "" -force; do
    t $IP $force -batch $f
    t $N list
    state
    for n in $($N list | cut -d' ' -f1); do [ "$n" = pre ] || $N delete "$n"; done
  done
done
"##;

fn parallel_batch_is_ips_batch_with_failures_in_the_middle() {
    require_root();
    let ip = like_ip(Opts::default(), BATCHES);
    // The transcript really holds the failures and the later names.
    for want in [
        "Cannot create namespace file \"/run/netns/a5\": File exists",
        "Command failed dup:13",
        "Command failed exists:7",
        "Command failed mixed:29",
        "Missing continuation line",
        "Command \"nosuch\" is unknown",
        "entry: a30 mounted:444",
        "entry: d28 mounted:444",
    ] {
        assert!(ip.contains(want), "{want:?} not in the transcript:\n{ip}");
    }
}

fn parallel_batch_failed_line_takes_back_every_later_add() {
    require_root();
    // Line 1 fails (the name exists): the lines after it that were already being made in
    // parallel are taken back (the umount2 calls), and none is left.
    let out = sandbox(
        r#"
$R add x1
for i in $(seq 1 40); do echo "netns add x$i"; done >f
t strace -f -qq -e trace=umount2 -o /tmp/um $R -batch f
state
echo "taken back: $(grep -c 'umount2("/run/netns/x' /tmp/um)"
"#,
    );
    let t = out.stdout;
    let run = labelled(&t, "-batch f");
    assert_eq!(run.rc, 1, "{t}");
    assert_eq!(
        run.err, "Cannot create namespace file \"/run/netns/x1\": File exists\nCommand failed f:1\n",
        "{t}"
    );
    assert!(t.contains("entry: x1 mounted:444\nmounts: /run/netns/x1*1\n"), "{t}");
    let taken: usize = t
        .lines()
        .find_map(|l| l.strip_prefix("taken back: "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in:\n{t}"));
    assert!(taken >= 1, "no later add was made ahead of the failed line:\n{t}");
}

/// One batch run plainly, with no thread able to start, with only one, and with the fewest
/// descriptors ip's batch works with: each gives ip's result.
const STARVED: &str = r#"
$N add y7
{ for i in $(seq 1 30); do echo "netns add y$i"; done; echo "netns add y3"; echo "netns add y31"; } >f
for pre in "" "strace -f -qq -o /dev/null -e inject=clone3:error=EAGAIN" \
    "strace -f -qq -o /dev/null -e inject=clone3:error=EAGAIN:when=2+" "prlimit --nofile=6:6"; do
  for force in "" -force; do
    t $pre $IP $force -batch f
    t $N list
    state
    for n in $($N list | cut -d' ' -f1); do [ "$n" = y7 ] || $N delete "$n"; done
  done
done
"#;

fn parallel_batch_without_threads_or_descriptors_is_ips_batch() {
    require_root();
    let ip = like_ip(Opts::default(), STARVED);
    assert!(ip.contains("Command failed f:7\n"), "{ip}");
    assert!(ip.contains("Command failed f:31\n"), "{ip}");
    assert!(ip.contains("entry: y31 mounted:444"), "{ip}");
}

fn parallel_batch_answers_a_piped_line_before_reading_the_next() {
    require_root();
    // With the input a pipe that has no next line yet, each add is answered (made and
    // reported) before rnetns waits to read on: a script feeding lines one by one and
    // reading the answers never deadlocks.
    let out = sandbox(
        r#"
$R add p2
mkfifo in
exec 3<>in
timeout 20 $R -force -batch - <in 3>&- >out 2>err &
B=$!
echo "netns add p1" >&3
wait_until "p1 made" sh -c '$R exists p1'
echo "netns add p2" >&3
wait_until "the failure of line 2 reported" grep -q "Command failed -:2" err
echo "netns add p3" >&3
exec 3>&-
wait $B; echo "rc=$?"
cat err
$R list
"#,
    );
    assert_eq!(
        out.stdout,
        "rc=1\nCannot create namespace file \"/run/netns/p2\": File exists\nCommand failed -:2\np3\np1\np2\n",
        "{}",
        out.stderr
    );
}

fn add_many_gives_one_result_per_name_in_order() {
    require_root();
    let example = require_example("add_many");
    let out = sandbox(&format!(
        r#"
$R add c
t {example} a b c d a e/f . g
t $R list
state
"#
    ));
    let t = out.stdout;
    let run = labelled(&t, "add_many");
    assert_eq!(run.rc, 1, "{t}");
    assert_eq!(
        run.out,
        "a ok\nb ok\nc error: Cannot create namespace file \"/run/netns/c\": File exists\nd ok\n\
         a error: Cannot create namespace file \"/run/netns/a\": File exists\n\
         e/f error: Cannot create namespace file \"/run/netns/e/f\": No such file or directory\n\
         . error: Cannot create namespace file \"/run/netns/.\": File exists\ng ok\n",
        "{t}"
    );
    // Made in the order given (tmpfs lists the newest first).
    assert_eq!(record(&t, "NETNS list").out, "g\nd\nb\na\nc\n", "{t}");
    assert!(
        t.contains("entry: a mounted:444\nentry: b mounted:444\nentry: c mounted:444\nentry: d mounted:444\nentry: g mounted:444\n"),
        "{t}"
    );
}

/// The first record whose label contains `part`.
#[track_caller]
fn labelled<'a>(t: &'a str, part: &str) -> Record<'a> {
    records(t)
        .into_iter()
        .find(|r| r.label.contains(part))
        .unwrap_or_else(|| panic!("no record {part:?} in:\n{t}"))
}
