//! `rnetns -batch FILE|-`: ip's batch reader (comments, continuation lines, quoting) running
//! every line in this one process.

use std::ffi::{OsStr, OsString};
use std::io::BufRead;
use std::os::fd::AsFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use rnetns::Flow;

use crate::argv;
use crate::dispatch;
use crate::env::Env;
use crate::output::eprint_bytes;

/// iproute2's `makeargs`: words split on space/tab/CR/LF; a word starting with a quote runs
/// to the next same quote (no escapes).
pub fn make_args(line: &[u8]) -> Result<Vec<OsString>, &'static str> {
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
            words.push(OsString::from_vec(line[start..start + len].to_vec()));
            i = start + len + 1;
        } else {
            let start = i;
            while i < line.len() && !ws(line[i]) {
                i += 1;
            }
            words.push(OsString::from_vec(line[start..i].to_vec()));
            i += 1;
        }
    }
    Ok(words)
}

/// iproute2's `getcmdline`: one command, with `#` comments cut and `\`-newline joined.
/// Returns the command and the number of the last physical line read.
pub struct Lines<R> {
    reader: R,
    lineno: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines { reader, lineno: 0 }
    }

    fn raw(&mut self) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        match self.reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                self.lineno += 1;
                // ip reads a line as a C string: it ends at a NUL byte.
                if let Some(p) = buf.iter().position(|&c| c == 0) {
                    buf.truncate(p);
                }
                if let Some(p) = buf.iter().position(|&c| c == b'#') {
                    buf.truncate(p);
                }
                Some(buf)
            }
        }
    }

    pub fn next_command(&mut self) -> Option<(Vec<u8>, usize)> {
        let mut line = self.raw()?;
        while let Some(p) = line.windows(2).position(|w| w == b"\\\n") {
            let Some(more) = self.raw() else {
                eprint_bytes(b"Missing continuation line\n");
                return None;
            };
            line.truncate(p);
            line.extend_from_slice(&more);
        }
        Some((line, self.lineno))
    }
}

/// iproute2: a batch line is a whole `ip` command, so its first word is an object. rnetns
/// takes `net`/`netn`/`netns` or, as an extension, a netns subcommand; any other word is
/// what ip calls an unknown object: a failed command (exit 1), not a usage exit.
fn object(words: &[OsString]) -> Result<(), rnetns::Error> {
    let first = &words[0];
    if argv::strip_object(words).len() < words.len() || crate::registry::resolve(first).is_some() {
        return Ok(());
    }
    Err(rnetns::Error::UnknownObject(first.clone()))
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
    let block = nix::sys::stat::fstat(&fd0).map_or(4096, |st| st.st_blksize.clamp(512, 1 << 20) as usize);
    let mut lines = Lines::new(std::io::BufReader::with_capacity(block, std::fs::File::from(fd0)));
    let mut status = 0;
    while let Some((line, lineno)) = lines.next_command() {
        let words = match make_args(&line) {
            Ok(w) => w,
            Err(msg) => {
                eprint_bytes(format!("{msg}\n").as_bytes());
                return 1;
            }
        };
        if words.is_empty() {
            continue;
        }
        let failed = match object(&words)
            .and_then(|()| argv::command(&words, env.globals.all))
            .and_then(|cmd| dispatch::run(env, cmd))
        {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) => {
                let code = crate::exit::report(&e);
                if e.flow() == Flow::Exit {
                    return code;
                }
                true
            }
        };
        if failed {
            let mut m = b"Command failed ".to_vec();
            m.extend_from_slice(file.as_bytes());
            m.extend_from_slice(format!(":{lineno}\n").as_bytes());
            // stdout stays buffered, as C stdio keeps it (spec §1): only exec and JSON flush.
            eprint_bytes(&m);
            status = 1;
            if !env.globals.force {
                break;
            }
        }
    }
    status
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
