//! Parser tests: exact error texts, inline quoting, and every input fed split at every byte.

use super::*;

const OPEN: Limits = Limits {
    max_bulk_len: 512 * 1024 * 1024,
    authenticated: true,
};

/// Feeds `input` in the given chunk boundaries and collects every command (or the first
/// error), the way a connection would: parse until incomplete, then append more bytes.
fn feed(input: &[u8], cuts: &[usize], limits: &Limits) -> Result<Vec<Vec<Vec<u8>>>, ProtoError> {
    let mut parser = RequestParser::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut args = Vec::new();
    let mut out = Vec::new();
    let mut bounds: Vec<usize> = cuts.to_vec();
    bounds.push(input.len());
    let mut fed = 0;
    for &b in &bounds {
        buf.extend_from_slice(&input[fed..b]);
        fed = b;
        while parser.parse(&mut buf, &mut args, limits)? == Parsed::Command {
            out.push(args.iter().map(|&(s, l)| buf[s..s + l].to_vec()).collect());
            args.clear();
        }
        // Compact like the connection does, to exercise `shift`.
        let start = parser.cmd_start();
        buf.drain(..start);
        parser.shift(start, &mut args);
    }
    Ok(out)
}

fn whole(input: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ProtoError> {
    feed(input, &[], &OPEN)
}

fn cmd(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

#[test]
fn multibulk_and_pipeline() {
    let input = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n";
    assert_eq!(
        whole(input).unwrap(),
        vec![cmd(&["GET", "k"]), cmd(&["SET", "k", ""])]
    );
}

#[test]
fn every_split_point_gives_the_same_commands() {
    let inputs: Vec<&[u8]> = vec![
        b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n",
        b"PING\r\nSET a \"b c\\x41\"\r\n  \r\nGET 'x\\'y'\n",
        b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n",
        b"*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$10\r\n0123456789\r\n",
    ];
    for input in inputs {
        let expected = whole(input).unwrap();
        assert!(!expected.is_empty());
        for i in 0..=input.len() {
            assert_eq!(feed(input, &[i], &OPEN).unwrap(), expected, "cut at {i}");
        }
        // Byte at a time.
        let cuts: Vec<usize> = (1..input.len()).collect();
        assert_eq!(feed(input, &cuts, &OPEN).unwrap(), expected);
    }
}

#[test]
fn empty_multibulk_is_skipped() {
    assert_eq!(whole(b"*0\r\n*-5\r\n").unwrap(), Vec::<Vec<Vec<u8>>>::new());
}

#[test]
fn inline_quoting_follows_sdssplitargs() {
    assert_eq!(
        whole(b"set \"a\\tb\" 'c\\'d' e\r\n").unwrap(),
        vec![cmd(&["set", "a\tb", "c'd", "e"])]
    );
    assert_eq!(
        whole(b"echo \"\\x41\\x4g\"\n").unwrap(),
        vec![cmd(&["echo", "Ax4g"])]
    );
    assert_eq!(whole(b"a\"b c\" d\n").unwrap(), vec![cmd(&["ab c", "d"])]);
    assert_eq!(whole(b"\r\n\n   \n").unwrap(), Vec::<Vec<Vec<u8>>>::new());
    for bad in [&b"set \"a\n"[..], b"set 'a\n", b"set \"a\"b\n", b"x 'a'b\n"] {
        assert_eq!(whole(bad), Err(ProtoError::UnbalancedQuotes));
    }
}

#[test]
fn error_texts_match_redis() {
    assert_eq!(
        whole(b"*1\r\n+GET\r\n").unwrap_err().message(),
        b"ERR Protocol error: expected '$', got '+'"
    );
    assert_eq!(
        whole(b"*x\r\n").unwrap_err().message(),
        b"ERR Protocol error: invalid multibulk length"
    );
    assert_eq!(
        whole(b"*1\r\n$-1\r\n").unwrap_err(),
        ProtoError::InvalidBulkLength
    );
    assert_eq!(
        whole(b"*1\r\n$01\r\n").unwrap_err(),
        ProtoError::InvalidBulkLength
    );
    assert_eq!(
        whole(b"*3000000000\r\n").unwrap_err(),
        ProtoError::InvalidMultibulkLength
    );
    let limits = Limits {
        max_bulk_len: 10,
        authenticated: true,
    };
    assert_eq!(
        feed(b"*1\r\n$11\r\n", &[], &limits).unwrap_err(),
        ProtoError::InvalidBulkLength
    );
}

#[test]
fn unauthenticated_limits() {
    let limits = Limits {
        max_bulk_len: 512 * 1024 * 1024,
        authenticated: false,
    };
    assert_eq!(
        feed(b"*11\r\n", &[], &limits).unwrap_err().message(),
        b"ERR Protocol error: unauthenticated multibulk length"
    );
    assert_eq!(
        feed(b"*1\r\n$16385\r\n", &[], &limits)
            .unwrap_err()
            .message(),
        b"ERR Protocol error: unauthenticated bulk length"
    );
    assert!(feed(b"*10\r\n", &[], &limits).unwrap().is_empty());
}

#[test]
fn oversized_lines_are_rejected() {
    let long = vec![b'a'; INLINE_MAX + 1];
    assert_eq!(whole(&long), Err(ProtoError::TooBigInline));
    let mut mb = b"*".to_vec();
    mb.extend(vec![b'1'; INLINE_MAX + 1]);
    assert_eq!(whole(&mb), Err(ProtoError::TooBigMbulkCount));
    let mut bulk = b"*1\r\n$".to_vec();
    bulk.extend(vec![b'1'; INLINE_MAX + 1]);
    assert_eq!(whole(&bulk), Err(ProtoError::TooBigBulkCount));
}

#[test]
fn wanted_len_reports_pending_bulk() {
    let mut parser = RequestParser::new();
    let mut buf = b"*1\r\n$100\r\nabc".to_vec();
    let mut args = Vec::new();
    assert_eq!(
        parser.parse(&mut buf, &mut args, &OPEN).unwrap(),
        Parsed::Incomplete
    );
    assert_eq!(parser.wanted_len(), Some(10 + 100 + 2));
}
