//! Words as iproute2 reads them: its prefix rule (`matches`), and C `strtol(s, 0)` /
//! `strtoul(s, 0)` numbers over the whole word.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// iproute2 `matches(word, full)`: a non-empty prefix.
pub fn matches(word: &[u8], full: &str) -> bool {
    !word.is_empty() && full.as_bytes().starts_with(word)
}

/// C `strtol(s, &end, 0)` over the whole string: leading white space, optional sign,
/// `0x` hex / `0` octal / decimal. Returns the value (saturated like strtol, with
/// `overflow` set) only if at least one digit was read and nothing follows.
fn strtol_full(s: &[u8]) -> Option<(i128, bool)> {
    let (neg, value, overflow) = c_number(s, i64::MAX as i128 + 1)?;
    let v = if neg { -value } else { value };
    if v > i64::MAX as i128 {
        return Some((i64::MAX as i128, true));
    }
    Some((v, overflow))
}

/// The digits of a C number (white space, sign, base prefix as strtol/strtoul read them):
/// the sign, the magnitude saturated at `cap`, and whether it overflowed. None unless at
/// least one digit was read and nothing follows.
fn c_number(s: &[u8], cap: i128) -> Option<(bool, i128, bool)> {
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
        if value > cap {
            overflow = true;
            value = cap;
        }
        i += 1;
    }
    if i == start || i != s.len() {
        return None;
    }
    Some((neg, value, overflow))
}

/// iproute2's `get_integer(&v, s, 0)`: a whole-string strtol that fits in a C `int`.
pub fn parse_c_int(s: &OsStr) -> Option<i32> {
    let (v, overflow) = strtol_full(s.as_bytes())?;
    if overflow || v < i32::MIN as i128 || v > i32::MAX as i128 {
        return None;
    }
    Some(v as i32)
}

/// `get_unsigned(&v, s, 0)`: a whole-string C `strtoul` that fits in 32 bits. As strtoul,
/// a minus sign negates modulo 2^64 (`-18446744073709551615` is 1), and a magnitude past
/// 2^64 - 1 is out of range.
pub fn parse_c_uint(s: &OsStr) -> Option<u32> {
    let (neg, magnitude, overflow) = c_number(s.as_bytes(), u64::MAX as i128 + 1)?;
    if overflow || magnitude > u64::MAX as i128 {
        return None;
    }
    let v = if neg {
        (magnitude as u64).wrapping_neg()
    } else {
        magnitude as u64
    };
    u32::try_from(v).ok()
}

/// A PID as `identify` takes it: digits only (leading zeros kept literally by the caller).
pub fn is_all_digits(s: &OsStr) -> bool {
    s.as_bytes().iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rnetns::netns::{NAME_MAX, is_invalid_name};

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

    /// iproute2's `get_integer` / `get_unsigned` over the C library's strtol / strtoul.
    fn c_model(s: &[u8], unsigned: bool) -> Option<i64> {
        if s.is_empty() {
            return None;
        }
        let c = std::ffi::CString::new(s).ok()?;
        let mut end: *mut libc::c_char = std::ptr::null_mut();
        // SAFETY: (test only) `c` is a valid NUL-terminated string that outlives the calls,
        // `end` points into it, and errno is thread-local.
        #[allow(unsafe_code)]
        unsafe {
            *libc::__errno_location() = 0;
            let (v, erange) = if unsigned {
                let v = libc::strtoul(c.as_ptr(), &mut end, 0);
                (v as i128, *libc::__errno_location() == libc::ERANGE)
            } else {
                let v = libc::strtol(c.as_ptr(), &mut end, 0);
                (v as i128, *libc::__errno_location() == libc::ERANGE)
            };
            let consumed = end.offset_from(c.as_ptr()) as usize;
            if consumed == 0 || consumed != s.len() || erange {
                return None;
            }
            let (lo, hi) = if unsigned {
                (0, u32::MAX as i128)
            } else {
                (i32::MIN as i128, i32::MAX as i128)
            };
            (lo..=hi).contains(&v).then_some(v as i64)
        }
    }

    /// Number-like strings: signs, spaces, 0x, octal, digits, junk and huge values.
    fn numberish() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just(b" ".to_vec()),
            Just(b"\t".to_vec()),
            Just(b"+".to_vec()),
            Just(b"-".to_vec()),
            Just(b"0".to_vec()),
            Just(b"0x".to_vec()),
            Just(b"0X".to_vec()),
            "[0-9a-fA-FxX]{1,3}".prop_map(String::into_bytes),
            "[0-9]{8,22}".prop_map(String::into_bytes),
            any::<u8>().prop_filter("no NUL", |b| *b != 0).prop_map(|b| vec![b]),
        ];
        proptest::collection::vec(piece, 0..6).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn strtol_agrees_with_libc(s in numberish()) {
            let os = OsStr::from_bytes(&s);
            proptest::prop_assert_eq!(parse_c_int(os).map(i64::from), c_model(&s, false), "{:?}", s);
            proptest::prop_assert_eq!(parse_c_uint(os).map(i64::from), c_model(&s, true), "{:?}", s);
        }

        #[test]
        fn valid_names_stay_one_component(s in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let os = OsStr::from_bytes(&s);
            if !is_invalid_name(os) {
                let p = std::path::Path::new("/run/netns").join(os);
                proptest::prop_assert_eq!(p.parent(), Some(std::path::Path::new("/run/netns")));
                proptest::prop_assert!(s.len() <= NAME_MAX && s != b"." && s != b"..");
            }
        }
    }

    #[test]
    fn digits() {
        assert!(is_all_digits(OsStr::new("001")));
        assert!(!is_all_digits(OsStr::new("-1")));
        assert!(!is_all_digits(OsStr::new(" ")));
    }
}
