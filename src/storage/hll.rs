//! HyperLogLog sketches in redis-server's exact byte format, stored as plain strings.
//!
//! A sketch is a 16-byte header (`HYLL`, encoding byte, 3 zero bytes, 8-byte little-endian
//! cached cardinality whose top bit marks the cache stale) followed by 16384 six-bit
//! registers, either *dense* (packed, 12288 bytes) or *sparse* (run-length opcodes: `ZERO`
//! 00xxxxxx, `XZERO` 01xxxxxx yyyyyyyy, `VAL` 1vvvvvxx). Elements are hashed with
//! MurmurHash64A (seed 0xadc83b19); the low 14 bits pick the register and the run of zeros
//! above them (plus one) is the candidate value. The sparse update rules (in-place splits,
//! merging adjacent `VAL` runs, promotion past `hll-sparse-max-bytes` or a value above 32)
//! and the cardinality estimator (Ertl's improved estimator) follow Redis step by step, so
//! GET of a sketch and PFCOUNT match redis-server byte for byte. Pure and synchronous.

/// Header bytes.
pub const HDR: usize = 16;
/// Registers per sketch.
pub const REGISTERS: usize = 16384;
/// Register index bits.
const P: u32 = 14;
/// Hash bits left for the zero run.
const Q: usize = 64 - P as usize;
/// Size of a dense sketch.
pub const DENSE_SIZE: usize = HDR + (REGISTERS * 6).div_ceil(8);
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;

/// Why an operation could not use a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HllError {
    /// Not a sketch at all (`WRONGTYPE Key is not a valid HyperLogLog string value.`).
    NotHll,
    /// A sketch whose sparse data is inconsistent (`INVALIDOBJ Corrupted HLL object detected`).
    Corrupt,
}

/// MurmurHash64A as Redis uses it (little-endian reads).
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let mut k = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= (b as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element goes to and the value it proposes.
pub fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// An empty sketch: sparse, one XZERO run over all registers, cached cardinality 0.
pub fn empty() -> Vec<u8> {
    let mut v = b"HYLL".to_vec();
    v.extend_from_slice(&[SPARSE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let l = REGISTERS - 1;
    v.extend_from_slice(&[(l >> 8) as u8 | 0x40, (l & 0xff) as u8]);
    v
}

/// Checks the header the way `isHLLObjectOrReply` does.
pub fn validate(bytes: &[u8]) -> Result<(), HllError> {
    if bytes.len() < HDR || &bytes[..4] != b"HYLL" || bytes[4] > SPARSE {
        return Err(HllError::NotHll);
    }
    if bytes[4] == DENSE && bytes.len() != DENSE_SIZE {
        return Err(HllError::NotHll);
    }
    Ok(())
}

pub fn invalidate_cache(bytes: &mut [u8]) {
    bytes[15] |= 0x80;
}

/// The cached cardinality, when valid.
pub fn cached(bytes: &[u8]) -> Option<u64> {
    (bytes[15] & 0x80 == 0).then(|| u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")))
}

pub fn set_cache(bytes: &mut [u8], card: u64) {
    bytes[8..16].copy_from_slice(&card.to_le_bytes());
}

fn dense_get(regs: &[u8], i: usize) -> u8 {
    let byte = i * 6 / 8;
    let fb = (i * 6) & 7;
    let b0 = regs[byte] as u32;
    let b1 = regs.get(byte + 1).copied().unwrap_or(0) as u32;
    (((b0 >> fb) | (b1 << (8 - fb))) & 63) as u8
}

fn dense_set(regs: &mut [u8], i: usize, val: u8) {
    let byte = i * 6 / 8;
    let fb = (i * 6) & 7;
    let v = val as u32;
    regs[byte] &= !((63u32 << fb) as u8);
    regs[byte] |= (v << fb) as u8;
    if let Some(next) = regs.get_mut(byte + 1) {
        *next &= !((63u32 >> (8 - fb)) as u8);
        *next |= (v >> (8 - fb)) as u8;
    }
}

/// One sparse opcode at `at`: `(is_val, value, run length, opcode bytes)`.
fn opcode(p: &[u8], at: usize) -> (bool, u8, usize, usize) {
    let b = p[at];
    if b & 0xc0 == 0 {
        (false, 0, (b & 0x3f) as usize + 1, 1)
    } else if b & 0x80 != 0 {
        (true, ((b >> 2) & 0x1f) + 1, (b & 3) as usize + 1, 1)
    } else {
        let low = p.get(at + 1).copied().unwrap_or(0) as usize;
        (false, 0, ((((b & 0x3f) as usize) << 8) | low) + 1, 2)
    }
}

fn val_op(value: u8, len: usize) -> u8 {
    ((value - 1) << 2) | (len as u8 - 1) | 0x80
}

fn push_zero(seq: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN {
        let l = len - 1;
        seq.extend_from_slice(&[(l >> 8) as u8 | 0x40, (l & 0xff) as u8]);
    } else {
        seq.push(len as u8 - 1);
    }
}

/// Converts a sparse sketch to dense in place (`hllSparseToDense`), keeping the header.
fn to_dense(bytes: &mut Vec<u8>) -> Result<(), HllError> {
    if bytes[4] == DENSE {
        return Ok(());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HDR].copy_from_slice(&bytes[..HDR]);
    dense[4] = DENSE;
    let mut idx = 0;
    let mut at = HDR;
    while at < bytes.len() {
        let (is_val, value, run, len) = opcode(bytes, at);
        if is_val {
            if run + idx > REGISTERS {
                return Err(HllError::Corrupt);
            }
            for _ in 0..run {
                dense_set(&mut dense[HDR..], idx, value);
                idx += 1;
            }
        } else {
            idx += run;
        }
        at += len;
    }
    if idx != REGISTERS {
        return Err(HllError::Corrupt);
    }
    *bytes = dense;
    Ok(())
}

/// Raises register `index` to `count` (`hllDenseSet`/`hllSparseSet`): whether it changed. A
/// sparse sketch turns dense rather than grow past `sparse_max` bytes.
pub fn set_register(
    bytes: &mut Vec<u8>,
    index: usize,
    count: u8,
    sparse_max: usize,
) -> Result<bool, HllError> {
    if bytes[4] == DENSE {
        let regs = &mut bytes[HDR..];
        if count > dense_get(regs, index) {
            dense_set(regs, index, count);
            return Ok(true);
        }
        return Ok(false);
    }
    if count > VAL_MAX_VALUE {
        return promote(bytes, index, count);
    }
    // Step 1: the opcode covering the register.
    let mut end = bytes.len();
    let (mut at, mut first, mut prev) = (HDR, 0usize, None);
    let mut op = (false, 0, 0, 0);
    while at < end {
        op = opcode(bytes, at);
        if index < first + op.2 {
            break;
        }
        prev = Some(at);
        at += op.3;
        first += op.2;
    }
    // A truncated XZERO (its second byte missing) is corrupt too: Redis would read past
    // the end of the string there.
    if op.2 == 0 || at >= end || at + op.3 > end {
        return Err(HllError::Corrupt);
    }
    let (is_val, value, run, oplen) = op;
    // Step 2: the trivial in-place cases, else the split sequence.
    if is_val && value >= count {
        return Ok(false);
    }
    if run == 1 && oplen == 1 {
        bytes[at] = val_op(count, 1);
    } else {
        let last = first + run - 1;
        let mut seq = Vec::with_capacity(5);
        if is_val {
            if index != first {
                seq.push(val_op(value, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(value, last - index));
            }
        } else {
            if index != first {
                push_zero(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zero(&mut seq, last - index);
            }
        }
        // Step 3: replace the opcode, or promote when the sketch would grow too big.
        let delta = seq.len() as isize - oplen as isize;
        if delta > 0 && bytes.len() + delta as usize > sparse_max {
            return promote(bytes, index, count);
        }
        bytes.splice(at..at + oplen, seq);
        end = (end as isize + delta) as usize;
    }
    // Step 4: merge adjacent VAL runs of equal value, scanning five opcodes from `prev`.
    let mut p = prev.unwrap_or(HDR);
    let mut scan = 5;
    while p < end && scan > 0 {
        scan -= 1;
        let b = bytes[p];
        if b & 0xc0 == 0x40 {
            p += 2;
            continue;
        }
        if b & 0xc0 == 0 {
            p += 1;
            continue;
        }
        if p + 1 < end && bytes[p + 1] & 0x80 != 0 {
            let (_, v1, l1, _) = opcode(bytes, p);
            let (_, v2, l2, _) = opcode(bytes, p + 1);
            if v1 == v2 && l1 + l2 <= VAL_MAX_LEN {
                bytes[p + 1] = val_op(v1, l1 + l2);
                bytes.remove(p);
                end -= 1;
                continue;
            }
        }
        p += 1;
    }
    invalidate_cache(bytes);
    Ok(true)
}

fn promote(bytes: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, HllError> {
    to_dense(bytes)?;
    dense_set(&mut bytes[HDR..], index, count);
    Ok(true)
}

/// Adds one element (`hllAdd`): whether a register changed.
pub fn add(bytes: &mut Vec<u8>, element: &[u8], sparse_max: usize) -> Result<bool, HllError> {
    let (index, count) = pattern(element);
    set_register(bytes, index, count, sparse_max)
}

/// Raises `max[i]` to each register of the sketch (`hllMerge`).
pub fn merge_into(max: &mut [u8; REGISTERS], bytes: &[u8]) -> Result<(), HllError> {
    if bytes[4] == DENSE {
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(&bytes[HDR..], i));
        }
        return Ok(());
    }
    let mut idx = 0;
    let mut at = HDR;
    while at < bytes.len() {
        let (is_val, value, run, len) = opcode(bytes, at);
        if is_val {
            if run + idx > REGISTERS {
                return Err(HllError::Corrupt);
            }
            for m in &mut max[idx..idx + run] {
                *m = (*m).max(value);
            }
        }
        idx += run;
        at += len;
    }
    if idx != REGISTERS {
        return Err(HllError::Corrupt);
    }
    Ok(())
}

/// The register histogram of a sketch.
fn histogram(bytes: &[u8]) -> Result<[u32; 64], HllError> {
    let mut histo = [0u32; 64];
    if bytes[4] == DENSE {
        (0..REGISTERS).for_each(|i| histo[dense_get(&bytes[HDR..], i) as usize] += 1);
        return Ok(histo);
    }
    let mut idx = 0;
    let mut at = HDR;
    while at < bytes.len() {
        let (is_val, value, run, len) = opcode(bytes, at);
        idx += run;
        histo[if is_val { value as usize } else { 0 }] += run as u32;
        at += len;
    }
    if idx != REGISTERS {
        return Err(HllError::Corrupt);
    }
    Ok(histo)
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let prev = z;
        z += x * y;
        y += y;
        if prev == z {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let prev = z;
        y *= 0.5;
        z -= (1.0 - x).powf(2.0) * y;
        if prev == z {
            return z / 3.0;
        }
    }
}

/// Ertl's estimator over a register histogram, rounded half away from zero like `llroundl`.
fn estimate(histo: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histo[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histo[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histo[0] as f64 / m);
    const ALPHA_INF: f64 = 0.721_347_520_444_481_7;
    (ALPHA_INF * m * m / z).round() as u64
}

/// The estimated cardinality of a sketch (`hllCount`).
pub fn count(bytes: &[u8]) -> Result<u64, HllError> {
    Ok(estimate(&histogram(bytes)?))
}

/// The estimated cardinality of merged registers (one byte per register).
pub fn count_registers(max: &[u8; REGISTERS]) -> u64 {
    let mut histo = [0u32; 64];
    max.iter().for_each(|&r| histo[r as usize & 63] += 1);
    estimate(&histo)
}

/// PFMERGE's write: converts to dense when `dense` (some source was dense), raises the
/// registers to `max`, and marks the cached cardinality stale.
pub fn store_max(
    bytes: &mut Vec<u8>,
    max: &[u8; REGISTERS],
    dense: bool,
    sparse_max: usize,
) -> Result<(), HllError> {
    if dense {
        to_dense(bytes)?;
    }
    for (i, &m) in max.iter().enumerate() {
        if m != 0 {
            set_register(bytes, i, m, sparse_max)?;
        }
    }
    invalidate_cache(bytes);
    Ok(())
}

/// Whether the sketch is dense.
pub fn is_dense(bytes: &[u8]) -> bool {
    bytes[4] == DENSE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_sketch_counts_zero() {
        assert_eq!(empty().len(), 18);
        assert_eq!(count(&empty()), Ok(0));
        assert_eq!(validate(&empty()), Ok(()));
        assert_eq!(validate(b"HYLL"), Err(HllError::NotHll));
    }

    /// 100k distinct elements are counted within three times Redis's standard error
    /// (1.04/sqrt(16384), about 0.81%), and the sparse sketch turns dense on the way.
    #[test]
    fn error_bound_over_100k_elements() {
        let mut hll = empty();
        let mut max = [0u8; REGISTERS];
        for i in 0..100_000u32 {
            add(&mut hll, format!("element:{i}").as_bytes(), 3000).unwrap();
        }
        assert!(is_dense(&hll));
        let n = count(&hll).unwrap() as f64;
        assert!(
            (n - 100_000.0).abs() / 100_000.0 < 3.0 * 0.0081,
            "estimate {n}"
        );
        merge_into(&mut max, &hll).unwrap();
        assert_eq!(count_registers(&max), count(&hll).unwrap());
    }

    #[test]
    fn sparse_and_dense_agree() {
        let mut sparse = empty();
        for i in 0..500u32 {
            add(&mut sparse, &i.to_le_bytes(), 3000).unwrap();
        }
        assert!(!is_dense(&sparse));
        let mut dense = sparse.clone();
        to_dense(&mut dense).unwrap();
        assert_eq!(count(&sparse), count(&dense));
        let mut truncated = sparse.clone();
        truncated.truncate(HDR + 1);
        assert_eq!(count(&truncated), Err(HllError::Corrupt));
        let mut cut_xzero = empty();
        cut_xzero.pop();
        assert_eq!(add(&mut cut_xzero, b"x", 3000), Err(HllError::Corrupt));
    }
}
