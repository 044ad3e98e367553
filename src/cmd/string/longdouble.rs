//! A software x87 80-bit `long double`, just enough for INCRBYFLOAT.
//!
//! redis-server parses both operands with `strtold`, adds them in `long double` (64-bit
//! mantissa on x86-64) and stores `printf("%.17Lf")` with trailing zeros removed. Doing the
//! same in `f64` would print `10.59999999999999964` where Redis prints `10.6`, so this module
//! reproduces the three steps exactly: correctly rounded decimal (and hexadecimal) parsing,
//! round-to-nearest-even addition, and exact fixed-point printing. Pure; used by any core.
//!
//! Residual difference: values below the smallest normal `long double` (about 3.4e-4932)
//! keep a full 64-bit mantissa instead of losing precision as subnormals. They print as `0`
//! either way, and they only change a sum's last bit when added to another such value.

use std::cmp::Ordering;

/// Longest float argument `string2ld` accepts, exclusive (its buffer size).
const MAX_CHARS: usize = 5 * 1024;
/// Bit position (of the leading bit) from which a value is infinite.
const MAX_EXP: i32 = 16384;
/// Values whose leading bit lies below this round to zero (half the smallest subnormal).
const MIN_EXP: i32 = -16446;
/// Mantissa bits kept by the quotient in parsing, before rounding to 64.
const QUOTIENT_BITS: i32 = 66;

/// An 80-bit extended value: `mant * 2^exp`, `mant` normalised (top bit set) when finite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongDouble {
    Zero,
    Finite { neg: bool, mant: u64, exp: i32 },
    Inf { neg: bool },
}

impl LongDouble {
    /// Parses `s` as Redis's `string2ld` does: the whole string must be a `strtold` number
    /// without leading spaces; NaN, overflow and underflow to zero are rejected.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_CHARS || is_c_space(s[0]) {
            return None;
        }
        let (neg, body) = match s[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(LongDouble::Inf { neg });
        }
        let hex = body.len() > 2 && body[0] == b'0' && (body[1] | 0x20) == b'x';
        let number = if hex {
            scan_digits(&body[2..], 16, b'p')?
        } else {
            scan_digits(body, 10, b'e')?
        };
        number.into_long_double(neg)
    }

    /// `self + other`, rounded to nearest even; `None` when the sum is NaN or infinite.
    pub fn add(self, other: LongDouble) -> Option<LongDouble> {
        let (an, am, ae, bn, bm, be) = match (self, other) {
            (LongDouble::Inf { .. }, _) | (_, LongDouble::Inf { .. }) => return None,
            (LongDouble::Zero, x) | (x, LongDouble::Zero) => return Some(x),
            (
                LongDouble::Finite {
                    neg: an,
                    mant: am,
                    exp: ae,
                },
                LongDouble::Finite {
                    neg: bn,
                    mant: bm,
                    exp: be,
                },
            ) => (an, am, ae, bn, bm, be),
        };
        // Order by magnitude so the subtraction below never goes negative.
        let ((neg, big_m, big_e), (small_neg, small_m, small_e)) = if (ae, am) >= (be, bm) {
            ((an, am, ae), (bn, bm, be))
        } else {
            ((bn, bm, be), (an, am, ae))
        };
        // 62 guard bits below each mantissa, plus a sticky bit for anything shifted out.
        let big = (big_m as u128) << 62;
        let small_full = (small_m as u128) << 62;
        let shift = (big_e - small_e) as u32;
        let small = if shift >= 128 {
            1
        } else {
            let kept = small_full >> shift;
            kept | u128::from(kept << shift != small_full)
        };
        let sum = if neg == small_neg {
            big + small
        } else {
            big - small
        };
        if sum == 0 {
            return Some(LongDouble::Zero);
        }
        let (mant, exp) = round_to_64(sum, false, big_e - 62);
        finish(neg, mant, exp)
    }

    /// `printf("%.17Lf")` with trailing zeros (and a bare point) removed, and `-0` as `0`:
    /// redis-server's human-friendly long double text.
    pub fn to_human(self) -> Vec<u8> {
        let (neg, mant, exp) = match self {
            LongDouble::Zero => return b"0".to_vec(),
            LongDouble::Inf { neg } => {
                return if neg {
                    b"-inf".to_vec()
                } else {
                    b"inf".to_vec()
                }
            }
            LongDouble::Finite { neg, mant, exp } => (neg, mant, exp),
        };
        let mut out = Vec::with_capacity(32);
        if neg {
            out.push(b'-');
        }
        if exp >= 0 {
            let mut n = Big::from_u64(mant);
            n.shl(exp as u32);
            n.write_decimal(&mut out);
            return out;
        }
        const SCALE: u128 = 100_000_000_000_000_000; // 10^17
        let shift = exp.unsigned_abs();
        let scaled = mant as u128 * SCALE;
        // Beyond 121 bits of shift, `scaled` (< 2^121) is below half a unit: rounds to 0.
        let q = if shift >= 122 {
            0
        } else {
            let q = scaled >> shift;
            let rem = scaled & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            q + u128::from(rem > half || (rem == half && q & 1 == 1))
        };
        let (int_part, frac) = (q / SCALE, q % SCALE);
        write_u128(int_part, &mut out);
        if frac != 0 {
            let mut digits = [b'0'; 17];
            let mut f = frac;
            for d in digits.iter_mut().rev() {
                *d = b'0' + (f % 10) as u8;
                f /= 10;
            }
            let used = 17 - digits.iter().rev().take_while(|&&d| d == b'0').count();
            out.push(b'.');
            out.extend_from_slice(&digits[..used]);
        }
        if out == b"-0" {
            out.remove(0);
        }
        out
    }
}

/// C's `isspace` in the "C" locale.
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn write_u128(mut n: u128, out: &mut Vec<u8>) {
    let mut buf = [0u8; 40];
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[pos..]);
}

/// Rounds `q * 2^exp` (plus a sticky fraction below `q` when `sticky`) to a 64-bit
/// mantissa, nearest even.
fn round_to_64(q: u128, sticky: bool, exp: i32) -> (u64, i32) {
    let bits = 128 - q.leading_zeros() as i32;
    if bits <= 64 {
        let up = 64 - bits;
        return ((q << up) as u64, exp - up);
    }
    let shift = (bits - 64) as u32;
    let mut m = q >> shift;
    let rem = q & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    if rem > half || (rem == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    let mut e = exp + shift as i32;
    if m >> 64 != 0 {
        m >>= 1;
        e += 1;
    }
    (m as u64, e)
}

/// Applies the range limits to a rounded value.
fn finish(neg: bool, mant: u64, exp: i32) -> Option<LongDouble> {
    let top = exp + 63;
    if !(MIN_EXP..MAX_EXP).contains(&top) {
        return None;
    }
    Some(LongDouble::Finite { neg, mant, exp })
}

/// A scanned literal: `digits * radix_pow^exp10 * 2^exp2`.
struct Scanned {
    digits: Big,
    /// Significant digits scanned (leading zeros skipped), for range estimates.
    count: i64,
    exp10: i64,
    exp2: i64,
}

/// Scans `[digits][.digits][<exp_char>[sign]digits]` in `radix` (10 or 16), requiring at
/// least one mantissa digit and nothing after the number.
fn scan_digits(s: &[u8], radix: u32, exp_char: u8) -> Option<Scanned> {
    let mut digits = Big::zero();
    let (mut count, mut seen, mut frac, mut in_frac) = (0i64, false, 0i64, false);
    let mut i = 0;
    let mut chunk = 0u32;
    let mut chunk_len = 0u32;
    let chunk_max = if radix == 10 { 9 } else { 7 };
    while i < s.len() {
        let c = s[i];
        if c == b'.' && !in_frac {
            in_frac = true;
        } else if let Some(d) = (c as char).to_digit(radix) {
            seen = true;
            if in_frac {
                frac += 1;
            }
            if count > 0 || d != 0 {
                count += 1;
                chunk = chunk * radix + d;
                chunk_len += 1;
                if chunk_len == chunk_max {
                    digits.mul_add(radix.pow(chunk_len), chunk);
                    (chunk, chunk_len) = (0, 0);
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if chunk_len > 0 {
        digits.mul_add(radix.pow(chunk_len), chunk);
    }
    let mut exp = 0i64;
    if i < s.len() && (s[i] | 0x20) == exp_char {
        let mut j = i + 1;
        let negative = match s.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let start = j;
        while j < s.len() && s[j].is_ascii_digit() {
            exp = (exp * 10 + (s[j] - b'0') as i64).min(1 << 40);
            j += 1;
        }
        if j == start {
            return None;
        }
        i = j;
        if negative {
            exp = -exp;
        }
    }
    if i != s.len() {
        return None;
    }
    Some(if radix == 10 {
        Scanned {
            digits,
            count,
            exp10: exp - frac,
            exp2: 0,
        }
    } else {
        Scanned {
            digits,
            count: 0,
            exp10: 0,
            exp2: exp - 4 * frac,
        }
    })
}

impl Scanned {
    fn into_long_double(self, neg: bool) -> Option<LongDouble> {
        if self.digits.is_zero() {
            return Some(LongDouble::Zero);
        }
        // Cheap range checks first so `1e99999999` never builds a huge power of ten.
        let bits = self.digits.bit_len() as i64 + self.exp2;
        let decimal_magnitude = self.count + self.exp10;
        let approx_top = bits as f64 + self.exp10 as f64 * std::f64::consts::LOG2_10;
        if approx_top > (MAX_EXP + 8) as f64 || decimal_magnitude > 4940 {
            return None;
        }
        if approx_top < (MIN_EXP - 8) as f64 {
            return None;
        }
        let (mut num, mut den) = (self.digits, Big::from_u64(1));
        if self.exp10 >= 0 {
            num.mul_pow10(self.exp10 as u32);
        } else {
            den.mul_pow10(self.exp10.unsigned_abs() as u32);
        }
        if self.exp2 >= 0 {
            num.shl(self.exp2 as u32);
        } else {
            den.shl(self.exp2.unsigned_abs() as u32);
        }
        // Scale so the quotient has QUOTIENT_BITS or one more bits, then divide bit by bit.
        let k = QUOTIENT_BITS - (num.bit_len() as i32 - den.bit_len() as i32);
        if k >= 0 {
            num.shl(k as u32);
        } else {
            den.shl(k.unsigned_abs());
        }
        let top = QUOTIENT_BITS as u32;
        den.shl(top);
        let mut q: u128 = 0;
        for bit in (0..=top).rev() {
            if num.cmp(&den) != Ordering::Less {
                num.sub_assign(&den);
                q |= 1 << bit;
            }
            den.shr1();
        }
        let (mant, exp) = round_to_64(q, !num.is_zero(), -k);
        finish(neg, mant, exp)
    }
}

/// A minimal unsigned big integer (little-endian 32-bit limbs), for exact conversions.
#[derive(Clone, Debug)]
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn zero() -> Big {
        Big { limbs: Vec::new() }
    }

    fn from_u64(n: u64) -> Big {
        let mut b = Big {
            limbs: vec![n as u32, (n >> 32) as u32],
        };
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn bit_len(&self) -> u32 {
        match self.limbs.last() {
            None => 0,
            Some(&top) => 32 * (self.limbs.len() as u32 - 1) + (32 - top.leading_zeros()),
        }
    }

    /// `self = self * mul + add`.
    fn mul_add(&mut self, mul: u32, add: u32) {
        let mut carry = add as u64;
        for limb in &mut self.limbs {
            let v = *limb as u64 * mul as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut n: u32) {
        while n > 0 {
            let step = n.min(9);
            self.mul_add(10u32.pow(step), 0);
            n -= step;
        }
    }

    fn shl(&mut self, bits: u32) {
        if self.is_zero() || bits == 0 {
            return;
        }
        let (words, rest) = ((bits / 32) as usize, bits % 32);
        if rest != 0 {
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let v = *limb;
                *limb = (v << rest) | carry;
                carry = v >> (32 - rest);
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        }
        self.limbs.splice(0..0, std::iter::repeat_n(0, words));
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.limbs.iter_mut().rev() {
            let v = *limb;
            *limb = (v >> 1) | carry;
            carry = v << 31;
        }
        self.trim();
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    /// `self -= other`; requires `self >= other`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let o = other.limbs.get(i).copied().unwrap_or(0) as i64;
            let mut v = *limb as i64 - o - borrow;
            borrow = i64::from(v < 0);
            if v < 0 {
                v += 1 << 32;
            }
            *limb = v as u32;
        }
        self.trim();
    }

    /// Appends the decimal digits (destroys the value).
    fn write_decimal(&mut self, out: &mut Vec<u8>) {
        let mut groups = Vec::new();
        while !self.is_zero() {
            let mut rem = 0u64;
            for limb in self.limbs.iter_mut().rev() {
                let v = (rem << 32) | *limb as u64;
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            self.trim();
            groups.push(rem as u32);
        }
        match groups.pop() {
            None => out.push(b'0'),
            Some(top) => {
                write_u128(top as u128, out);
                for &g in groups.iter().rev() {
                    let mut digits = [b'0'; 9];
                    let mut v = g;
                    for d in digits.iter_mut().rev() {
                        *d = b'0' + (v % 10) as u8;
                        v /= 10;
                    }
                    out.extend_from_slice(&digits);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(a: &str, b: &str) -> String {
        let a = LongDouble::parse(a.as_bytes()).unwrap();
        let b = LongDouble::parse(b.as_bytes()).unwrap();
        String::from_utf8(a.add(b).unwrap().to_human()).unwrap()
    }

    #[test]
    fn sums_print_like_redis() {
        // Each expectation is redis-server 7.0.15's INCRBYFLOAT reply.
        assert_eq!(sum("10.5", "0.1"), "10.6");
        assert_eq!(sum("0", "3.0e3"), "3000");
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("0.3", "-0.1"), "0.2");
        assert_eq!(sum("0", "1000.1"), "1000.09999999999999998");
        assert_eq!(
            sum("0", "123456789.123456789"),
            "123456789.12345678899873747"
        );
        assert_eq!(sum("0", "3.14159265358979323846"), "3.14159265358979324");
        assert_eq!(sum("0", "1.23456789012345678901234"), "1.23456789012345679");
        assert_eq!(sum("0", "1234567.891"), "1234567.89099999999996271");
        assert_eq!(sum("1e15", "0.1"), "1000000000000000.0999755859375");
        assert_eq!(sum("35.8", "17.9"), "53.7");
        assert_eq!(sum("33.3333", "66.6667"), "100");
        assert_eq!(sum("0", "1e-20"), "0");
        assert_eq!(sum("0", "-1e-20"), "0");
        assert_eq!(sum("0", "1e-17"), "0.00000000000000001");
        assert_eq!(sum("0", "1.5e-17"), "0.00000000000000002");
        assert_eq!(sum("0", "0.000003814697265625"), "0.00000381469726562");
        assert_eq!(sum("0", "0.000011444091796875"), "0.00001144409179688");
        assert_eq!(sum("0", "2.5e-5"), "0.000025");
        assert_eq!(sum("5", "-5"), "0");
        assert_eq!(sum("0", "-3.7"), "-3.7");
        assert_eq!(sum("0", "-0.0"), "0");
        assert_eq!(sum("9223372036854775807", "1"), "9223372036854775808");
        assert_eq!(sum("0", "99999999999999999999"), "100000000000000000000");
        assert_eq!(sum("0", "1.1e20"), "110000000000000000000");
        assert_eq!(sum("0", "0x10"), "16");
        assert_eq!(sum("0x.8", "0x1p-2"), "0.75");
        assert_eq!(sum("0", "-0x10"), "-16");
        assert_eq!(sum("0", "0X1P3"), "8");
        assert_eq!(sum("0", "1."), "1");
        assert_eq!(sum("0", ".5"), "0.5");
        assert_eq!(sum("0", "+1.5"), "1.5");
        assert_eq!(sum("0", "1E2"), "100");
        assert_eq!(sum("0", "1e-400"), "0");
        assert_eq!(sum("0", "5e-4950"), "0");
    }

    #[test]
    fn huge_values_print_every_digit() {
        assert_eq!(
            sum("0", "1e300"),
            "1000000000000000000008997324079559193870523944273290747938260082321265646596180935\
             755849152083750497190350372508614274835903592556184672983913096260520748646287327\
             135641843653294084255107606016789726652932370030551382947620994540294772781889620\
             606179267611627097410650567187386105690089424915104006144"
        );
        assert_eq!(
            sum("1.7976931348623157e308", "1.7976931348623157e308"),
            "3595386269724631399918420935482088680967728938886583569706288415303532570462487927\
             094037372167741711288575868388510413786174167269022721107157945560529552341469979\
             553725767896712363265880911888698590748945812549613388347692977582455524366671979\
             07705664206565009503223382416235440319971852753604933726679072768"
        );
        let max = sum("0", "1.18973149535723176502e+4932");
        assert_eq!(max.len(), 4933);
        assert!(max.starts_with("118973149535723176502126385303097020516906332229462420044"));
        let big = sum("0", "1e4932");
        assert!(big.starts_with("1000000000000000000006018949387963891323837774254533114773"));
        assert!(big.ends_with("1086538418113791886622720"));
    }

    #[test]
    fn rejects_what_string2ld_rejects() {
        for bad in [
            "",
            " 1",
            "1 ",
            "abc",
            "nan",
            "1e",
            "1e+",
            "0x",
            ".",
            "-",
            "1e4933",
            "1e5000",
            "1e-4951",
            "1.2.3",
            "1e99999999999999999999",
        ] {
            assert_eq!(LongDouble::parse(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(
            LongDouble::parse(b"-inFinity"),
            Some(LongDouble::Inf { neg: true })
        );
        let long = format!("0.{}1e5000", "0".repeat(5000));
        assert_eq!(
            LongDouble::parse(long.as_bytes()).unwrap().to_human(),
            b"0.1"
        );
        let too_long = format!("1{}", "0".repeat(MAX_CHARS));
        assert_eq!(LongDouble::parse(too_long.as_bytes()), None);
        let inf = LongDouble::parse(b"inf").unwrap();
        assert_eq!(inf.add(LongDouble::Zero), None);
        let max = LongDouble::parse(b"1.18973149535723176502e+4932").unwrap();
        assert_eq!(max.add(max), None);
    }
}
