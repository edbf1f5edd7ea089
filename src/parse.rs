//! Pure parsing helpers shared by the binary and the library: C `strtol(s, 0)` numbers as
//! iproute2 reads them, and namespace-name validation.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Longest name iproute2 accepts (NAME_MAX).
pub const NAME_MAX: usize = 255;

/// iproute2's `invalid_name()`: empty, longer than NAME_MAX, containing `/`, or `.`/`..`.
pub fn is_invalid_name(name: &OsStr) -> bool {
    let b = name.as_bytes();
    b.is_empty() || b.len() > NAME_MAX || b.contains(&b'/') || b == b"." || b == b".."
}

/// C `strtol(s, &end, 0)` over the whole string: leading white space, optional sign,
/// `0x` hex / `0` octal / decimal. Returns the value (saturated like strtol, with
/// `overflow` set) only if at least one digit was read and nothing follows.
fn strtol_full(s: &[u8]) -> Option<(i128, bool)> {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut base = 10;
    if i + 1 < s.len() && s[i] == b'0' && (s[i + 1] == b'x' || s[i + 1] == b'X') {
        // "0x" counts as hex only when a hex digit follows; otherwise strtol reads "0".
        if i + 2 < s.len() && s[i + 2].is_ascii_hexdigit() {
            base = 16;
            i += 2;
        } else {
            // "0" is consumed, "x..." is trailing junk.
            return None;
        }
    } else if i < s.len() && s[i] == b'0' {
        base = 8;
    }
    let start = i;
    let mut value: i128 = 0;
    let mut overflow = false;
    while i < s.len() {
        let d = match s[i] {
            c @ b'0'..=b'9' => (c - b'0') as i128,
            c @ b'a'..=b'f' => (c - b'a' + 10) as i128,
            c @ b'A'..=b'F' => (c - b'A' + 10) as i128,
            _ => break,
        };
        if d >= base {
            break;
        }
        value = value * base + d;
        if value > i64::MAX as i128 + 1 {
            overflow = true;
            value = i64::MAX as i128 + 1;
        }
        i += 1;
    }
    if i == start || i != s.len() {
        return None;
    }
    let v = if neg { -value } else { value };
    if v > i64::MAX as i128 {
        return Some((i64::MAX as i128, true));
    }
    Some((v, overflow))
}

/// iproute2's `get_integer(&v, s, 0)`: a whole-string strtol that fits in a C `int`.
pub fn parse_c_int(s: &OsStr) -> Option<i32> {
    let (v, overflow) = strtol_full(s.as_bytes())?;
    if overflow || v < i32::MIN as i128 || v > i32::MAX as i128 {
        return None;
    }
    Some(v as i32)
}

/// `get_unsigned(&v, s, 0)`: a whole-string strtoul that fits in 32 bits.
pub fn parse_c_uint(s: &OsStr) -> Option<u32> {
    let (v, overflow) = strtol_full(s.as_bytes())?;
    if overflow || !(0..=u32::MAX as i128).contains(&v) {
        return None;
    }
    Some(v as u32)
}

/// A PID as `identify` takes it: digits only (leading zeros kept literally by the caller).
pub fn is_all_digits(s: &OsStr) -> bool {
    s.as_bytes().iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Option<i32> {
        parse_c_int(OsStr::new(s))
    }

    #[test]
    fn strtol_like_c() {
        assert_eq!(int("0x10"), Some(16));
        assert_eq!(int("0X1f"), Some(31));
        assert_eq!(int("010"), Some(8));
        assert_eq!(int(" 9"), Some(9));
        assert_eq!(int("\t+5"), Some(5));
        assert_eq!(int("-1"), Some(-1));
        assert_eq!(int("0"), Some(0));
        assert_eq!(int("2147483647"), Some(i32::MAX));
        assert_eq!(int("-2147483648"), Some(i32::MIN));
        assert_eq!(int("2147483648"), None);
        assert_eq!(int("99999999999999999999999"), None);
        assert_eq!(int(""), None);
        assert_eq!(int(" "), None);
        assert_eq!(int("-"), None);
        assert_eq!(int("1.5"), None);
        assert_eq!(int("9 "), None);
        assert_eq!(int("0x"), None);
        assert_eq!(int("0xg"), None);
        assert_eq!(int("08"), None);
        assert_eq!(int("foo"), None);
    }

    #[test]
    fn unsigned() {
        assert_eq!(parse_c_uint(OsStr::new("4294967295")), Some(u32::MAX));
        assert_eq!(parse_c_uint(OsStr::new("4294967296")), None);
        assert_eq!(parse_c_uint(OsStr::new("-1")), None);
    }

    #[test]
    fn names() {
        for bad in ["", ".", "..", "a/b", "/"] {
            assert!(is_invalid_name(OsStr::new(bad)), "{bad:?}");
        }
        for good in ["...", ".hidden", "-dash", "a b", "t\tn", "é"] {
            assert!(!is_invalid_name(OsStr::new(good)), "{good:?}");
        }
        assert!(!is_invalid_name(OsStr::new(&"x".repeat(255))));
        assert!(is_invalid_name(OsStr::new(&"x".repeat(256))));
    }

    #[test]
    fn digits() {
        assert!(is_all_digits(OsStr::new("001")));
        assert!(!is_all_digits(OsStr::new("-1")));
        assert!(!is_all_digits(OsStr::new(" ")));
    }
}
