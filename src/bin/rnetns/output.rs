//! stdout as C stdio has it for a pipe: block-buffered, flushed at exit and before the
//! process forks or execs; stderr unbuffered, one write per message.

use std::io::Write;
use std::sync::Mutex;

use rnetns::Error;

static STDOUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Append to the stdout buffer (flushed when it grows past 64 KiB). A large piece goes
/// out as it is, after what was buffered, never copied into the buffer.
pub fn print(bytes: &[u8]) {
    const BLOCK: usize = 64 * 1024;
    let mut buf = STDOUT.lock().unwrap_or_else(|p| p.into_inner());
    if buf.len() + bytes.len() < BLOCK {
        buf.extend_from_slice(bytes);
        return;
    }
    if !buf.is_empty() {
        write_fd1(&buf);
        buf.clear();
    }
    if bytes.len() >= BLOCK {
        write_fd1(bytes);
    } else {
        buf.extend_from_slice(bytes);
    }
}

/// Write a block the caller has gathered itself: after what is buffered, straight to fd 1
/// without a copy into the buffer (as stdio writes a large `fwrite` through).
pub fn print_block(bytes: &[u8]) {
    let mut buf = STDOUT.lock().unwrap_or_else(|p| p.into_inner());
    if !buf.is_empty() {
        write_fd1(&buf);
        buf.clear();
    }
    if !bytes.is_empty() {
        write_fd1(bytes);
    }
}

/// Write out whatever is buffered.
pub fn flush_stdout() {
    let mut buf = STDOUT.lock().unwrap_or_else(|p| p.into_inner());
    if !buf.is_empty() {
        write_fd1(&buf);
        buf.clear();
    }
}

fn write_fd1(bytes: &[u8]) {
    // Errors (a closed pipe with SIGPIPE ignored, a full disk) end the output quietly, as
    // they do for ip.
    let _ = std::io::stdout()
        .lock()
        .write_all(bytes)
        .and_then(|_| std::io::stdout().flush());
}

/// Print one error message (with its newline) on stderr in a single write (a message that
/// quotes a word of 64 KiB or more goes in three, the word from where it is: no pipe keeps
/// such a write whole anyway, and the word is never copied).
pub fn eprint_error(e: &Error) {
    if let Some((before, word, after)) = e.around_word()
        && word.len() >= 64 * 1024
    {
        let mut err = std::io::stderr().lock();
        let _ = err
            .write_all(before)
            .and_then(|()| err.write_all(word))
            .and_then(|()| err.write_all(after))
            .and_then(|()| err.write_all(b"\n"));
        return;
    }
    let mut m = e.message();
    if m.is_empty() {
        return;
    }
    m.push(b'\n');
    eprint_bytes(&m);
}

/// Write raw bytes on stderr.
pub fn eprint_bytes(m: &[u8]) {
    let _ = std::io::stderr().lock().write_all(m);
}

/// Process-wide set-up for a command-line program: one malloc arena (rnetns's helper threads
/// live for one operation). Call first in `main`. SIGPIPE is left alone: rnetns's binary
/// starts without std's runtime, so it has the disposition its caller gave it, as ip does.
pub fn init_process() {
    rnetns::tune_allocator_for_cli();
}
