//! `rnetns -batch FILE|-`: ip's batch reader (comments, continuation lines, quoting) running
//! every line in this one process.

use std::ffi::{OsStr, OsString};
use std::io::BufRead;
use std::os::fd::AsFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use rnetns::Flow;
use rnetns::netns::bulk::BulkAdd;

use crate::argv;
use crate::commands::warn;
use crate::dispatch;
use crate::env::Env;
use crate::output::eprint_bytes;

/// iproute2's `makeargs`: words split on space/tab/CR/LF; a word starting with a quote runs
/// to the next same quote (no escapes). The words as ranges of `line`.
fn word_ranges(line: &[u8]) -> Result<Vec<std::ops::Range<usize>>, &'static str> {
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let mut words = Vec::new();
    let mut i = 0;
    while i < line.len() {
        while i < line.len() && ws(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            break;
        }
        // ip's argv for a batch line holds 512 pointers, the last one NULL.
        if words.len() >= 511 {
            return Err("Too many arguments to command");
        }
        if line[i] == b'\'' || line[i] == b'"' {
            let quote = line[i];
            let start = i + 1;
            let Some(len) = line[start..].iter().position(|&c| c == quote) else {
                return Err("Unterminated quoted string");
            };
            words.push(start..start + len);
            i = start + len + 1;
        } else {
            let start = i;
            while i < line.len() && !ws(line[i]) {
                i += 1;
            }
            words.push(start..i);
            i += 1;
        }
    }
    Ok(words)
}

/// [`word_ranges`] as words (the reference for [`make_args_owned`]).
#[cfg(test)]
pub fn make_args(line: &[u8]) -> Result<Vec<OsString>, &'static str> {
    Ok(word_ranges(line)?
        .into_iter()
        .map(|r| OsString::from_vec(line[r].to_vec()))
        .collect())
}

/// [`make_args`] of a line given away: the longest word keeps the line's own buffer (moved to
/// its front and shrunk), so a huge line costs about its size once, as ip's in-place
/// `makeargs` does, not twice.
pub fn make_args_owned(mut line: Vec<u8>) -> Result<Vec<OsString>, &'static str> {
    let ranges = word_ranges(&line)?;
    let Some(longest) = (0..ranges.len()).max_by_key(|&i| ranges[i].len()) else {
        return Ok(Vec::new());
    };
    let mut words: Vec<OsString> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if i == longest {
                OsString::new()
            } else {
                OsString::from_vec(line[r.clone()].to_vec())
            }
        })
        .collect();
    let r = ranges[longest].clone();
    line.copy_within(r.clone(), 0);
    line.truncate(r.len());
    line.shrink_to_fit();
    words[longest] = OsString::from_vec(line);
    Ok(words)
}

/// iproute2's `getcmdline`: one command, with `#` comments cut and `\`-newline joined.
/// Returns the command and the number of the last physical line read.
///
/// Memory: a line is read into a buffer grown with `try_reserve` and shrunk to its size, so
/// a line costs about its length, and a line that does not fit in memory ends the batch as
/// a failed `getline` ends ip's (`/dev/zero` under `ulimit -v`), never an abort. Joining
/// continuation lines scans each byte once.
pub struct Lines<R> {
    reader: R,
    lineno: usize,
    /// The input is a regular file: reading it never waits for a writer.
    regular: bool,
    /// The input ended after a `\`-newline (ip's `Missing continuation line`, which the
    /// caller prints once the lines before it are answered).
    pub missing_continuation: bool,
}

impl Lines<std::io::BufReader<std::fs::File>> {
    /// Whether reading the next command may wait (a pipe or terminal with no whole line
    /// buffered yet).
    fn may_block(&self) -> bool {
        !self.regular && !self.reader.buffer().contains(&b'\n')
    }
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            lineno: 0,
            regular: false,
            missing_continuation: false,
        }
    }

    /// One physical line (with its newline), or None at the end of the input, on a read
    /// error, or when the line does not fit in memory.
    fn read_line(&mut self) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            if avail.is_empty() {
                break;
            }
            let (n, done) = match avail.iter().position(|&c| c == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            buf.try_reserve(n).ok()?;
            buf.extend_from_slice(&avail[..n]);
            self.reader.consume(n);
            if done {
                break;
            }
        }
        if buf.is_empty() { None } else { Some(buf) }
    }

    fn raw(&mut self) -> Option<Vec<u8>> {
        let mut buf = self.read_line()?;
        self.lineno += 1;
        // ip reads a line as a C string: it ends at a NUL byte.
        if let Some(p) = buf.iter().position(|&c| c == 0) {
            buf.truncate(p);
        }
        if let Some(p) = buf.iter().position(|&c| c == b'#') {
            buf.truncate(p);
        }
        buf.shrink_to_fit();
        Some(buf)
    }

    pub fn next_command(&mut self) -> Option<(Vec<u8>, usize)> {
        let mut line = self.raw()?;
        // ip looks for `\`-newline from the start after each join; only the byte before a
        // join point can start a new one, so the search goes on from there.
        let mut from = 0;
        while let Some(p) = line[from..].windows(2).position(|w| w == b"\\\n").map(|p| p + from) {
            let Some(more) = self.raw() else {
                self.missing_continuation = true;
                return None;
            };
            line.truncate(p);
            if line.try_reserve(more.len()).is_err() {
                self.missing_continuation = true;
                return None;
            }
            line.extend_from_slice(&more);
            from = p.saturating_sub(1);
        }
        Some((line, self.lineno))
    }
}

/// iproute2: a batch line is a whole `ip` command, so its first word is an object. rnetns
/// takes `net`/`netn`/`netns` or, as an extension, a netns subcommand; any other word is
/// what ip calls an unknown object: a failed command (exit 1), not a usage exit.
/// The word is moved into the error (a batch line's words are not used after it).
fn object(words: &mut [OsString]) -> Result<(), rnetns::Error> {
    if argv::strip_object(words).len() < words.len() || crate::registry::resolve(&words[0]).is_some() {
        return Ok(());
    }
    Err(rnetns::Error::UnknownObject(std::mem::take(&mut words[0])))
}

/// Run the batch; returns the exit status.
pub fn run(env: &Env, file: &OsStr) -> u8 {
    if file.as_bytes() != b"-" {
        match std::fs::File::open(file) {
            Ok(f) => {
                // Like freopen(FILE, stdin): commands run by exec read the batch file too.
                let _ = nix::unistd::dup2_stdin(&f);
            }
            Err(e) => {
                let mut m = b"Cannot open file \"".to_vec();
                m.extend_from_slice(file.as_bytes());
                m.extend_from_slice(b"\" for reading: ");
                m.extend_from_slice(rnetns::error::strerror(rnetns::Errno::of_io(&e)).as_bytes());
                m.push(b'\n');
                eprint_bytes(&m);
                return 1;
            }
        }
    }
    // Read fd 0 in blocks of its st_blksize, as C stdio does: a command run by `exec` reads
    // on from the same offset as under ip.
    let Ok(fd0) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return 0;
    };
    let st = nix::sys::stat::fstat(&fd0).ok();
    let block = st.map_or(4096, |st| st.st_blksize.clamp(512, 1 << 20) as usize);
    let mut lines = Lines::new(std::io::BufReader::with_capacity(block, std::fs::File::from(fd0)));
    lines.regular = st.is_some_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG);
    let mut batch = Batch {
        env,
        file,
        status: 0,
        adds: rnetns::ops::add_bulk(&env.ctx),
    };
    match batch.lines(&mut lines) {
        Err(code) => code,
        Ok(()) => batch.status,
    }
}

/// A running batch: its status so far and the run of `add` lines in flight.
struct Batch<'e> {
    env: &'e Env,
    file: &'e OsStr,
    status: u8,
    /// Consecutive `add` lines, made in parallel; each is reported in line order, when
    /// every line before it has been.
    adds: BulkAdd<'e, usize>,
}

impl Batch<'_> {
    /// Every command of the input; Err(status) when the batch ends early.
    fn lines(&mut self, lines: &mut Lines<std::io::BufReader<std::fs::File>>) -> Result<(), u8> {
        loop {
            // A line is answered before the next one is waited for (a terminal, a pipe fed
            // by a script that reads the answers).
            if !self.adds.is_empty() && lines.may_block() {
                self.finish_adds()?;
            }
            let Some((line, lineno)) = lines.next_command() else {
                self.finish_adds()?;
                if lines.missing_continuation {
                    eprint_bytes(b"Missing continuation line\n");
                }
                return Ok(());
            };
            let mut words = match make_args_owned(line) {
                Ok(w) => w,
                Err(msg) => {
                    self.finish_adds()?;
                    eprint_bytes(format!("{msg}\n").as_bytes());
                    return Err(1);
                }
            };
            if words.is_empty() {
                continue;
            }
            // The words are given away: an error takes the word it names, and a huge line is
            // held once, not twice, while it is printed.
            let cmd = object(&mut words).and_then(|()| argv::command(words, self.env.globals.all));
            let cmd = match cmd {
                Ok(cmd) => cmd,
                Err(e) => {
                    self.finish_adds()?;
                    self.finished(lineno, Err(e))?;
                    continue;
                }
            };
            if let Some(name) = plain_add(&cmd) {
                if !self.adds.takes(name) {
                    // The same name pending: the earlier add goes first.
                    self.finish_adds()?;
                }
                if self.adds.takes(name) {
                    if self.adds.is_full() {
                        // The oldest, and with it whatever has finished meanwhile: one
                        // wake-up answers several lines.
                        self.take_add()?;
                        while self.adds.is_ready() {
                            self.take_add()?;
                        }
                    }
                    let name = name.to_os_string();
                    self.adds.push(name, lineno);
                    continue;
                }
            }
            self.finish_adds()?;
            let result = dispatch::run(self.env, cmd);
            self.finished(lineno, result)?;
        }
    }

    /// Report one line's result; Err(status) when the batch ends here.
    fn finished(&mut self, lineno: usize, result: Result<u8, rnetns::Error>) -> Result<(), u8> {
        let failed = match result {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) => {
                let code = crate::exit::report(&e);
                if e.flow() == Flow::Exit {
                    return Err(code);
                }
                true
            }
        };
        if failed {
            let mut m = b"Command failed ".to_vec();
            m.extend_from_slice(self.file.as_bytes());
            m.extend_from_slice(format!(":{lineno}\n").as_bytes());
            // stdout stays buffered, as C stdio keeps it (spec §1): only exec and JSON flush.
            eprint_bytes(&m);
            self.status = 1;
            if !self.env.globals.force {
                return Err(1);
            }
        }
        Ok(())
    }

    /// Report the oldest add in flight. When the batch ends on it, every later add is taken
    /// back first: no line after a failed one keeps an effect.
    fn take_add(&mut self) -> Result<(), u8> {
        let Some((lineno, result)) = self.adds.take() else {
            return Ok(());
        };
        let result = result.map(|warnings| {
            warn(&warnings);
            0
        });
        self.finished(lineno, result).inspect_err(|_| {
            self.adds.cancel().iter().for_each(crate::output::eprint_error);
        })
    }

    /// Report every add in flight, in line order; Err(status) when the batch ends on one
    /// of them.
    fn finish_adds(&mut self) -> Result<(), u8> {
        while !self.adds.is_empty() {
            self.take_add()?;
        }
        Ok(())
    }
}

/// The NAME of a line that is a plain `add NAME` (what ip's add does with it; `add --help`
/// is help, not an add).
fn plain_add(cmd: &argv::Command) -> Option<&OsStr> {
    let name = cmd.args.first()?;
    (cmd.spec.name() == "add" && name.as_encoded_bytes() != argv::HELP.as_bytes()).then_some(name.as_os_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        make_args(s.as_bytes())
            .unwrap()
            .into_iter()
            .map(|w| w.into_string().unwrap())
            .collect()
    }

    #[test]
    fn splitting_and_quotes() {
        assert_eq!(words("netns add a\n"), ["netns", "add", "a"]);
        assert_eq!(
            words("  exec a sh -c \"echo hi; exit 3\"\n"),
            ["exec", "a", "sh", "-c", "echo hi; exit 3"]
        );
        assert_eq!(words("'a b'c d"), ["a b", "c", "d"]);
        assert_eq!(words("\t\r\n"), Vec::<String>::new());
        assert_eq!(make_args(b"add \"x").unwrap_err(), "Unterminated quoted string");
        assert_eq!(make_args("w ".repeat(511).as_bytes()).map(|w| w.len()), Ok(511));
        let many = "w ".repeat(512);
        assert_eq!(make_args(many.as_bytes()).unwrap_err(), "Too many arguments to command");
    }

    #[test]
    fn owned_words_are_the_same_words() {
        for line in [
            "netns add a\n",
            "",
            "  \t",
            "'a b'c d",
            "x \"longest word here\" y",
            "add \"x",
        ] {
            assert_eq!(
                make_args_owned(line.as_bytes().to_vec()),
                make_args(line.as_bytes()),
                "{line:?}"
            );
        }
    }

    #[test]
    fn continuation_made_at_a_join_point_joins_again() {
        // `a\\` + newline joins with an empty line into `a\` + newline: a new join point made
        // of the old line's last byte and the next line, which ip's rescan finds too.
        let input = b"a\\\\\n\nb\n";
        let mut l = Lines::new(&input[..]);
        assert_eq!(l.next_command(), Some((b"ab\n".to_vec(), 3)));
    }

    #[test]
    fn comments_and_continuations() {
        let input = b"netns add a # comment\n\n# whole line\nnetns \\\nadd b\nlast";
        let mut l = Lines::new(&input[..]);
        assert_eq!(l.next_command(), Some((b"netns add a ".to_vec(), 1)));
        assert_eq!(l.next_command(), Some((b"\n".to_vec(), 2)));
        assert_eq!(l.next_command(), Some((b"".to_vec(), 3)));
        assert_eq!(l.next_command(), Some((b"netns add b\n".to_vec(), 5)));
        assert_eq!(l.next_command(), Some((b"last".to_vec(), 6)));
        assert_eq!(l.next_command(), None);
    }
}
