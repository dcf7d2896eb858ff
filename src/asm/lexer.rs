//! Tokens of one source line. The lexer is pulled one token at a time so the
//! parser can stop early and take the rest of the line raw (para-instruction
//! operands, `.section` names, directives whose operands are ignored).

/// A token kind. Text-carrying tokens borrow from the line.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok<'a> {
    /// Name, mnemonic, directive (with its leading `.`) or label.
    Ident(&'a str),
    /// `$` followed by a name or number: a register or a GCC `$L` label.
    Dollar(&'a str),
    /// `%name`: a relocation operator (`%hi`, `%lo`, `%gp_rel`) or macro parameter.
    Percent(&'a str),
    /// Integer literal (decimal, `0x` hex, `0b` binary, leading-0 octal) or character.
    Int(i64),
    /// Floating-point literal (for `.float` and `.double`).
    Float(f64),
    /// String literal, escapes decoded.
    Str(Vec<u8>),
    /// One punctuation character: `, ( ) : + - * / % & | ^ ~ = !`.
    Punct(u8),
    /// `<<`
    Shl,
    /// `>>`
    Shr,
}

/// A token and its byte span in the line.
#[derive(Clone, Debug, PartialEq)]
pub struct Token<'a> {
    /// What it is.
    pub tok: Tok<'a>,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset one past its last character.
    pub end: usize,
}

/// A lexing error: what and where (byte offsets in the line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    /// Byte offset where the bad text starts.
    pub start: usize,
    /// Its length in bytes.
    pub len: usize,
    /// What is wrong.
    pub message: String,
}

/// Pull lexer over one line (comments end it).
#[derive(Clone)]
pub struct Lexer<'a> {
    line: &'a str,
    pos: usize,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'.'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'$'
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `line`.
    pub fn new(line: &'a str) -> Self {
        Lexer { line, pos: 0 }
    }

    /// Byte offset of the next unread character.
    pub fn pos(&self) -> usize {
        self.pos
    }

    fn skip_space(&mut self) {
        let bytes = self.line.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    /// The unread rest of the line, comment removed (outside quotes) and trimmed.
    pub fn rest(&mut self) -> (usize, &'a str) {
        self.skip_space();
        let start = self.pos;
        let bytes = self.line.as_bytes();
        let mut end = start;
        let mut quote = None;
        while end < bytes.len() {
            match (bytes[end], quote) {
                (b'#', None) => break,
                (q @ (b'"' | b'\''), None) => quote = Some(q),
                (b'\\', Some(_)) => end += 1,
                (c, Some(q)) if c == q => quote = None,
                _ => {}
            }
            end += 1;
        }
        let end = end.min(bytes.len());
        self.pos = bytes.len();
        (start, self.line[start..end].trim_end())
    }

    /// The next token, `Ok(None)` at the end of the line or a comment.
    pub fn next_token(&mut self) -> Result<Option<Token<'a>>, LexError> {
        self.skip_space();
        let bytes = self.line.as_bytes();
        let start = self.pos;
        let Some(&c) = bytes.get(start) else {
            return Ok(None);
        };
        let tok = match c {
            b'#' => {
                self.pos = bytes.len();
                return Ok(None);
            }
            _ if is_ident_start(c) => Tok::Ident(self.word(start)),
            b'$' => {
                let name = self.word(start + 1);
                if name.is_empty() {
                    return Err(self.error(start, 1, "`$` must be followed by a register or name"));
                }
                Tok::Dollar(name)
            }
            b'%' if bytes.get(start + 1).is_some_and(|&n| is_ident_start(n)) => {
                Tok::Percent(self.word(start + 1))
            }
            b'0'..=b'9' => self.number(start)?,
            b'\'' => self.char_literal(start)?,
            b'"' => self.string(start)?,
            b'<' | b'>' if bytes.get(start + 1) == Some(&c) => {
                self.pos += 2;
                if c == b'<' {
                    Tok::Shl
                } else {
                    Tok::Shr
                }
            }
            b',' | b'(' | b')' | b':' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~'
            | b'=' | b'!' => {
                self.pos += 1;
                Tok::Punct(c)
            }
            _ => {
                let len = self.line[start..].chars().next().map_or(1, char::len_utf8);
                return Err(self.error(start, len, "unexpected character"));
            }
        };
        Ok(Some(Token { tok, start, end: self.pos }))
    }

    fn error(&mut self, start: usize, len: usize, message: &str) -> LexError {
        self.pos = self.line.len();
        LexError { start, len, message: message.to_string() }
    }

    fn word(&mut self, from: usize) -> &'a str {
        let bytes = self.line.as_bytes();
        let mut end = from;
        while end < bytes.len() && is_ident_char(bytes[end]) {
            end += 1;
        }
        self.pos = end;
        &self.line[from..end]
    }

    fn number(&mut self, start: usize) -> Result<Tok<'a>, LexError> {
        let bytes = self.line.as_bytes();
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let digits_end = end;
        // A decimal point followed by a digit, or an exponent after decimal
        // digits (`2e-3`), makes a float.
        let fraction = bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if fraction {
            end += 1;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
        let exponent = matches!(bytes.get(end), Some(b'e' | b'E')) && {
            let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
            bytes.get(end + 1 + sign).is_some_and(u8::is_ascii_digit)
        };
        if exponent {
            end += 1;
            if matches!(bytes.get(end), Some(b'+' | b'-')) {
                end += 1;
            }
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
        if fraction || exponent {
            let text = &self.line[start..end];
            self.pos = end;
            return text
                .parse()
                .map(Tok::Float)
                .map_err(|_| self.error(start, end - start, "malformed number"));
        }
        end = digits_end;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        let text = &self.line[start..end];
        self.pos = end;
        // GNU as's numeric local label references: `1b` (the last `1:`
        // before) and `1f` (the next `1:` after). The symbol table resolves them.
        if end - digits_end == 1 && matches!(bytes[digits_end], b'b' | b'f') {
            return Ok(Tok::Ident(text));
        }
        let digits = text.replace('_', "");
        let lower = digits.to_ascii_lowercase();
        let parsed = if let Some(hex) = lower.strip_prefix("0x") {
            u64::from_str_radix(hex, 16)
        } else if let Some(bin) = lower.strip_prefix("0b") {
            u64::from_str_radix(bin, 2)
        } else if lower.len() > 1 && lower.starts_with('0') {
            // As MARS reads them (Java's `Integer.decode`): octal when every
            // digit is octal and the value fits a signed word, decimal
            // otherwise (`010` is 8, `09876` is 9876).
            match u64::from_str_radix(&lower[1..], 8) {
                Ok(v) if v <= i32::MAX as u64 => Ok(v),
                _ => lower.parse::<u64>(),
            }
        } else {
            lower.parse::<u64>()
        };
        match parsed {
            Ok(v) if v <= u32::MAX as u64 => Ok(Tok::Int(v as i64)),
            Ok(_) => Err(self.error(start, end - start, "number does not fit in 32 bits")),
            Err(_) => Err(self.error(start, end - start, "malformed number")),
        }
    }

    fn escape(&mut self, at: usize) -> Result<(u8, usize), LexError> {
        let bytes = self.line.as_bytes();
        let Some(&c) = bytes.get(at) else {
            return Err(self.error(at - 1, 1, "unfinished escape"));
        };
        let simple = match c {
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'v' => Some(11),
            b'a' => Some(7),
            b'\\' | b'\'' | b'"' => Some(c),
            _ => None,
        };
        if let Some(v) = simple {
            return Ok((v, at + 1));
        }
        if c.is_ascii_digit() && c < b'8' {
            let mut v = 0u32;
            let mut end = at;
            while end < bytes.len() && end < at + 3 && (b'0'..=b'7').contains(&bytes[end]) {
                v = v * 8 + (bytes[end] - b'0') as u32;
                end += 1;
            }
            return Ok(((v & 0xff) as u8, end));
        }
        if c == b'x' {
            let mut v = 0u32;
            let mut end = at + 1;
            while end < bytes.len() && end < at + 3 && bytes[end].is_ascii_hexdigit() {
                v = v * 16 + (bytes[end] as char).to_digit(16).unwrap_or(0);
                end += 1;
            }
            if end == at + 1 {
                return Err(self.error(at - 1, 2, "`\\x` needs hex digits"));
            }
            return Ok((v as u8, end));
        }
        Err(self.error(at - 1, 2, "unknown escape sequence"))
    }

    fn char_literal(&mut self, start: usize) -> Result<Tok<'a>, LexError> {
        let bytes = self.line.as_bytes();
        let (value, next) = match bytes.get(start + 1) {
            Some(b'\\') => self.escape(start + 2)?,
            Some(&c) if c != b'\'' && c.is_ascii() => (c, start + 2),
            _ => return Err(self.error(start, 1, "malformed character literal")),
        };
        if bytes.get(next) != Some(&b'\'') {
            return Err(self.error(start, next - start, "character literal needs a closing `'`"));
        }
        self.pos = next + 1;
        Ok(Tok::Int(value as i64))
    }

    fn string(&mut self, start: usize) -> Result<Tok<'a>, LexError> {
        let bytes = self.line.as_bytes();
        let mut out = Vec::new();
        let mut at = start + 1;
        loop {
            match bytes.get(at) {
                None => return Err(self.error(start, bytes.len() - start, "string needs a closing `\"`")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let (v, next) = self.escape(at + 1)?;
                    out.push(v);
                    at = next;
                }
                Some(&c) => {
                    out.push(c);
                    at += 1;
                }
            }
        }
        self.pos = at + 1;
        Ok(Tok::Str(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(line: &str) -> Vec<Tok<'_>> {
        let mut lx = Lexer::new(line);
        let mut v = Vec::new();
        while let Some(t) = lx.next_token().unwrap() {
            v.push(t.tok);
        }
        v
    }

    #[test]
    fn instruction_line() {
        assert_eq!(
            toks("loop: lw $t0, -4($sp) # comment"),
            vec![
                Tok::Ident("loop"),
                Tok::Punct(b':'),
                Tok::Ident("lw"),
                Tok::Dollar("t0"),
                Tok::Punct(b','),
                Tok::Punct(b'-'),
                Tok::Int(4),
                Tok::Punct(b'('),
                Tok::Dollar("sp"),
                Tok::Punct(b')'),
            ]
        );
    }

    #[test]
    fn literals() {
        assert_eq!(
            toks("0x10 010 0b11 'a' '\\n' 1.5"),
            vec![Tok::Int(16), Tok::Int(8), Tok::Int(3), Tok::Int(97), Tok::Int(10), Tok::Float(1.5)]
        );
        // MARS: a leading 0 is octal only when every digit is octal.
        assert_eq!(
            toks("09876 0019 0777 00"),
            vec![Tok::Int(9876), Tok::Int(19), Tok::Int(511), Tok::Int(0)]
        );
        assert_eq!(toks("2e-3 1E5 3.25e+2"), vec![Tok::Float(2e-3), Tok::Float(1e5), Tok::Float(325.0)]);
        // GNU as numeric local label references.
        assert_eq!(toks("1b 12f 0b1"), vec![Tok::Ident("1b"), Tok::Ident("12f"), Tok::Int(1)]);
        assert_eq!(toks(r#""a#b\0\x41\101""#), vec![Tok::Str(b"a#b\0AA".to_vec())]);
        assert_eq!(
            toks("%hi($L4) 1<<2"),
            vec![
                Tok::Percent("hi"),
                Tok::Punct(b'('),
                Tok::Dollar("L4"),
                Tok::Punct(b')'),
                Tok::Int(1),
                Tok::Shl,
                Tok::Int(2)
            ]
        );
    }

    #[test]
    fn errors_do_not_panic() {
        for bad in ["'", "'ab'", "\"abc", "0x", "99999999999999", "@", "'\\q'", "\"\\x\"", "$"] {
            let mut lx = Lexer::new(bad);
            let mut failed = false;
            for _ in 0..10 {
                match lx.next_token() {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(_) => {
                        failed = true;
                        break;
                    }
                }
            }
            assert!(failed, "{bad:?} should not lex");
        }
    }

    #[test]
    fn rest_strips_comment_outside_quotes() {
        let mut lx = Lexer::new("SNAPSHOT  out/a#b.snap # why");
        lx.next_token().unwrap();
        assert_eq!(lx.rest().1, "out/a");
        let mut lx = Lexer::new("SNAPSHOT \"a#b\" # why");
        lx.next_token().unwrap();
        assert_eq!(lx.rest().1, "\"a#b\"");
    }
}
