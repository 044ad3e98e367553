//! redis.conf syntax: splitting a line into words with redis-server's quoting rules, reading a
//! config file into numbered directive lines, and quoting values back when the file is
//! rewritten.
//!
//! Pure apart from reading the file; used by `config` at start-up and by CONFIG REWRITE.

use std::path::Path;

/// One directive line of a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// The directive name, lowercased.
    pub name: String,
    pub args: Vec<String>,
}

/// The error text for a line whose quotes do not close.
pub const UNBALANCED: &str = "Unbalanced quotes in configuration line";

/// Splits `line` into words as redis-server's `sdssplitargs`. Words are separated by blanks;
/// `"..."` parts understand `\n`,
/// `\r`, `\t`, `\b`, `\a`, `\xHH` and `\<char>`; `'...'` words understand only `\'`. A closing
/// quote must be followed by a blank or the end of the line.
pub fn split_args(line: &str) -> Result<Vec<String>, &'static str> {
    let bytes = line.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == bytes.len() {
            return Ok(words);
        }
        // A quote opens a quoted part anywhere in a word (`ab"c d"` is `abc d`), as in
        // sdssplitargs; the closing quote must end the word.
        let mut word = Vec::new();
        loop {
            match bytes.get(i) {
                None => break,
                Some(c) if c.is_ascii_whitespace() => break,
                Some(b'"') => {
                    i = double_quoted(bytes, i + 1, &mut word)?;
                    break;
                }
                Some(b'\'') => {
                    i = single_quoted(bytes, i + 1, &mut word)?;
                    break;
                }
                Some(&c) => {
                    word.push(c);
                    i += 1;
                }
            }
        }
        words.push(String::from_utf8_lossy(&word).into_owned());
    }
}

/// Reads a double-quoted word starting after the quote; returns the index after it.
fn double_quoted(b: &[u8], mut i: usize, word: &mut Vec<u8>) -> Result<usize, &'static str> {
    loop {
        match b.get(i) {
            None => return Err(UNBALANCED),
            Some(b'"') => return after_closing_quote(b, i + 1),
            Some(b'\\') if i + 3 < b.len() && b[i + 1] == b'x' => {
                let hex = |c: u8| (c as char).to_digit(16);
                if let (Some(h), Some(l)) = (hex(b[i + 2]), hex(b[i + 3])) {
                    word.push((h * 16 + l) as u8);
                    i += 4;
                } else {
                    word.push(b'x');
                    i += 2;
                }
            }
            Some(b'\\') if i + 1 < b.len() => {
                word.push(match b[i + 1] {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 0x08,
                    b'a' => 0x07,
                    c => c,
                });
                i += 2;
            }
            Some(&c) => {
                word.push(c);
                i += 1;
            }
        }
    }
}

/// Reads a single-quoted word starting after the quote; returns the index after it.
fn single_quoted(b: &[u8], mut i: usize, word: &mut Vec<u8>) -> Result<usize, &'static str> {
    loop {
        match b.get(i) {
            None => return Err(UNBALANCED),
            Some(b'\\') if b.get(i + 1) == Some(&b'\'') => {
                word.push(b'\'');
                i += 2;
            }
            Some(b'\'') => return after_closing_quote(b, i + 1),
            Some(&c) => {
                word.push(c);
                i += 1;
            }
        }
    }
}

fn after_closing_quote(b: &[u8], i: usize) -> Result<usize, &'static str> {
    match b.get(i) {
        None => Ok(i),
        Some(c) if c.is_ascii_whitespace() => Ok(i),
        Some(_) => Err(UNBALANCED),
    }
}

/// Whether a config line carries a directive (not blank, not a `#` comment).
pub fn is_directive(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Parses config file text into directive lines; an error carries the 1-based line number.
pub fn parse_text(text: &str) -> Result<Vec<Line>, (usize, &'static str)> {
    let mut lines = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        if !is_directive(raw) {
            continue;
        }
        let mut words = split_args(raw.trim()).map_err(|e| (idx + 1, e))?;
        if words.is_empty() {
            continue;
        }
        let name = words.remove(0).to_ascii_lowercase();
        lines.push(Line {
            number: idx + 1,
            name,
            args: words,
        });
    }
    Ok(lines)
}

/// Reads the config file at `path` (`-` reads standard input).
pub fn read(path: &Path) -> std::io::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
}

/// Quotes `word` for a config line only when [`split_args`] would not give it back as is.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
    if plain {
        word.to_string()
    } else {
        repr(word)
    }
}

/// `word` in double quotes with escapes, the way CONFIG REWRITE writes string values.
pub fn repr(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('"');
    for b in word.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x07 => out.push_str("\\a"),
            b' ' => out.push(' '),
            b if b.is_ascii_graphic() => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_args(s).unwrap()
    }

    #[test]
    fn splits_plain_and_quoted_words() {
        assert_eq!(split("save 900 1"), ["save", "900", "1"]);
        assert_eq!(
            split("  bind\t127.0.0.1   ::1 "),
            ["bind", "127.0.0.1", "::1"]
        );
        assert_eq!(split(r#"requirepass "a b""#), ["requirepass", "a b"]);
        assert_eq!(split(r#"x "\x41\n\t\"\\q""#), ["x", "A\n\t\"\\q"]);
        assert_eq!(split(r"x 'it\'s \n'"), ["x", "it's \\n"]);
        assert_eq!(split(r#"save """#), ["save", ""]);
        assert_eq!(split("save ''"), ["save", ""]);
        assert_eq!(split("a#b c"), ["a#b", "c"]);
        assert_eq!(split(r#"x "\xZZ""#), ["x", "xZZ"]);
        assert_eq!(split(r#"dir /a"b c" x"#), ["dir", "/ab c", "x"]);
        assert_eq!(split("x ab'c d'"), ["x", "abc d"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn unbalanced_quotes() {
        assert_eq!(split_args(r#"hz "5"#), Err(UNBALANCED));
        assert_eq!(split_args(r#"hz "5"x"#), Err(UNBALANCED));
        assert_eq!(split_args("hz '5"), Err(UNBALANCED));
        assert_eq!(split_args("hz '5'x"), Err(UNBALANCED));
        assert_eq!(split_args(r#"hz 5"x"#), Err(UNBALANCED));
    }

    #[test]
    fn parses_text_with_comments() {
        let text = "# comment\n\n   # indented comment\nPort 7000\nsave \"\"\nbind a b\n";
        let lines = parse_text(text).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].number, 4);
        assert_eq!(lines[0].name, "port");
        assert_eq!(lines[1].args, [""]);
        assert_eq!(lines[2].args, ["a", "b"]);
        assert_eq!(parse_text("a\nb \"x\n").unwrap_err(), (2, UNBALANCED));
    }

    #[test]
    fn quote_round_trips() {
        for w in [
            "plain",
            "",
            "a b",
            "q\"uote",
            "back\\slash",
            "nl\n",
            "\x01",
            "it's",
            "#x",
        ] {
            let line = format!("k {}", quote(w));
            assert_eq!(split(&line), ["k", w], "{w:?}");
        }
        assert_eq!(quote("yes"), "yes");
        assert_eq!(repr("yes"), "\"yes\"");
        assert_eq!(
            split(&format!("k {}", repr("a\"b\\c\x7f"))),
            ["k", "a\"b\\c\x7f"]
        );
    }
}
