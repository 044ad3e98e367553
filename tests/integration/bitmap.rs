//! Bitmap commands, checked against the oracle with hand-picked sequences: bit order, growth
//! and encodings, BIT/BYTE ranges at byte edges, BITPOS's zero-padding rule, BITOP over
//! missing keys and across cores, and BITFIELD's overflow modes at every width boundary.

use super::harness::Pair;

#[test]
fn setbit_getbit_and_growth() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SETBIT b 7 1",
        "GET b",
        "SETBIT b 0 1",
        "SETBIT b 0 0",
        "GETBIT b 7",
        "GETBIT b 100000",
        "SETBIT b 100 1",
        "STRLEN b",
        "OBJECT ENCODING b",
        "SET n 12",
        "GETBIT n 2",
        "SETBIT n 3 0",
        "GET n",
        "OBJECT ENCODING n",
        "SETBIT b 4294967295x 1",
        "SETBIT b 4294967296 1",
        "SETBIT b -1 1",
        "SETBIT b 1 2",
        "GETBIT nokey 3",
        "ZADD z 1 a",
        "SETBIT z 1 1",
        "GETBIT z 1",
    ]);
}

#[test]
fn bitcount_and_bitpos_ranges() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET s foobar",
        "BITCOUNT s",
        "BITCOUNT s 1 1",
        "BITCOUNT s 5 30 BIT",
        "BITCOUNT s -2 -1",
        "BITCOUNT s -1 -2",
        "BITCOUNT s 0 -1 bit",
        "BITCOUNT s 3 1",
        "BITCOUNT s 1",
        "BITCOUNT s 1 2 WORD",
        "BITCOUNT nokey 1 x",
        "SET p \u{0}\u{ff}\u{f0}",
        "BITPOS p 1",
        "BITPOS p 0",
        "BITPOS p 1 2",
        "BITPOS p 0 1 1",
        "BITPOS p 0 1",
        "BITPOS p 1 7 15 BIT",
        "BITPOS p 0 8 15 BIT",
        "BITPOS p 0 -3 -1 BIT",
        "BITPOS p 2",
        "BITPOS nokey 0",
        "BITPOS nokey 1",
        "SET full \u{ff}\u{ff}",
        "BITPOS full 0",
        "BITPOS full 0 0 -1",
        "BITPOS full 0 0 -1 BIT",
        "SET empty ''",
        "BITPOS empty 0",
        "BITCOUNT empty 0 -1",
    ]);
}

#[test]
fn bitop_operations() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET a abc",
        "SET b xy",
        "BITOP AND d a b",
        "GET d",
        "BITOP OR d a b nokey",
        "GET d",
        "BITOP XOR d a b",
        "GET d",
        "BITOP NOT d a",
        "GET d",
        "OBJECT ENCODING d",
        "BITOP NOT d a b",
        "BITOP NAND d a",
        "BITOP AND d nokey1 nokey2",
        "EXISTS d",
        "ZADD z 1 m",
        "BITOP OR d a z",
        "SET other{a} 1",
        "BITOP OR other{a} a b d nokey",
        "GET other{a}",
    ]);
}

#[test]
fn bitfield_widths_and_overflow() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "BITFIELD f SET u8 0 255 GET u8 0 GET i8 0",
        "BITFIELD f INCRBY u8 0 10",
        "BITFIELD f OVERFLOW SAT INCRBY u8 0 300 INCRBY i8 8 -300",
        "BITFIELD f OVERFLOW FAIL INCRBY u8 0 1 GET u8 0",
        "BITFIELD f SET i64 0 -9223372036854775808 INCRBY i64 0 -1",
        "BITFIELD f OVERFLOW SAT SET u63 64 -1 GET u63 64",
        "BITFIELD f SET i5 #3 15 INCRBY i5 #3 1 GET u5 #3",
        "BITFIELD f SET u1 200 1",
        "STRLEN f",
        "BITFIELD f GET u64 0",
        "BITFIELD f GET i65 0",
        "BITFIELD f SET u8 0 x",
        "BITFIELD f OVERFLOW MAYBE",
        "BITFIELD f FOO",
        "BITFIELD f",
        "BITFIELD_RO f GET u8 0 GET i16 4",
        "BITFIELD_RO f SET u8 0 1",
        "BITFIELD_RO nokey GET u8 0",
        "BITFIELD nokey2 OVERFLOW FAIL INCRBY u2 0 9",
        "GET nokey2",
        "ZADD z 1 m",
        "BITFIELD z GET u8 0",
    ]);
}
