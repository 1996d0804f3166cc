//! Formulas in lessons: a small TeX subset read into a MathML tree (plain data: element names
//! from a fixed list and their text), which the page builds with `createElementNS`. Browsers
//! draw MathML natively, so no math library, font or script is fetched.
//!
//! Written here because a TeX-to-MathML crate would bring a whole TeX parser for the handful
//! of commands lessons use; unknown commands stay visible as text with a notice.

use serde::Serialize;

/// A MathML element: `tag` is one of math, mrow, mi, mn, mo, mtext, msup, msub, msubsup,
/// munder, mover, munderover, mfrac, msqrt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub tag: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

fn leaf(tag: &'static str, text: impl Into<String>) -> Node {
    Node { tag, text: text.into(), children: Vec::new() }
}

fn node(tag: &'static str, children: Vec<Node>) -> Node {
    Node { tag, text: String::new(), children }
}

/// Letters, symbols and operators by command name.
fn symbol(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "alpha" => ("mi", "α"),
        "beta" => ("mi", "β"),
        "gamma" => ("mi", "γ"),
        "delta" => ("mi", "δ"),
        "epsilon" => ("mi", "ε"),
        "eta" => ("mi", "η"),
        "theta" => ("mi", "θ"),
        "lambda" => ("mi", "λ"),
        "mu" => ("mi", "μ"),
        "pi" => ("mi", "π"),
        "rho" => ("mi", "ρ"),
        "sigma" => ("mi", "σ"),
        "tau" => ("mi", "τ"),
        "phi" => ("mi", "φ"),
        "omega" => ("mi", "ω"),
        "Sigma" => ("mi", "Σ"),
        "Delta" => ("mi", "Δ"),
        "cdot" => ("mo", "·"),
        "times" => ("mo", "×"),
        "le" | "leq" => ("mo", "≤"),
        "ge" | "geq" => ("mo", "≥"),
        "ne" | "neq" => ("mo", "≠"),
        "approx" => ("mo", "≈"),
        "pm" => ("mo", "±"),
        "to" | "rightarrow" => ("mo", "→"),
        "in" => ("mo", "∈"),
        "infty" => ("mi", "∞"),
        "sum" => ("mo", "∑"),
        "prod" => ("mo", "∏"),
        "log" => ("mi", "log"),
        "ln" => ("mi", "ln"),
        "exp" => ("mi", "exp"),
        "max" => ("mo", "max"),
        "min" => ("mo", "min"),
        "quad" => ("mtext", "\u{2003}"),
        "," => ("mtext", "\u{2009}"),
        "{" => ("mo", "{"),
        "}" => ("mo", "}"),
        "|" => ("mo", "‖"),
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Command(String),
    Open,
    Close,
    Sup,
    Sub,
    Char(char),
    Number(String),
}

fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_alphabetic() {
                    i += 1;
                }
                if i == start && i < chars.len() {
                    i += 1; // a one-character command: \, \{ \} \|
                }
                out.push(Token::Command(chars[start..i].iter().collect()));
            }
            '{' => out.push(Token::Open),
            '}' => out.push(Token::Close),
            '^' => out.push(Token::Sup),
            '_' => out.push(Token::Sub),
            c if c.is_ascii_digit() || (c == '.' && chars.get(i).is_some_and(char::is_ascii_digit)) => {
                let start = i - 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                out.push(Token::Number(chars[start..i].iter().collect()));
            }
            c if c.is_whitespace() => {}
            c => out.push(Token::Char(c)),
        }
    }
    out
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    problems: Vec<String>,
    /// The raw text of each `\text{...}`, from the source (tokens drop spaces), and how many
    /// were used.
    all_texts: Vec<String>,
    done_texts: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    /// Atoms until a closing brace or the end.
    fn row(&mut self, depth: usize) -> Vec<Node> {
        let mut out = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Token::Close {
                break;
            }
            if let Some(atom) = self.atom(depth) {
                out.push(atom);
            }
        }
        out
    }

    /// A brace group or a single atom (an argument of a command or a script).
    fn argument(&mut self, depth: usize) -> Node {
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = if depth > 20 { Vec::new() } else { self.row(depth + 1) };
            if self.next() != Some(Token::Close) {
                self.problems.push("a “{” is not closed".into());
            }
            return if inner.len() == 1 {
                inner.into_iter().next().unwrap_or_else(|| node("mrow", Vec::new()))
            } else {
                node("mrow", inner)
            };
        }
        self.base(depth).unwrap_or_else(|| node("mrow", Vec::new()))
    }

    fn base(&mut self, depth: usize) -> Option<Node> {
        let t = self.next()?;
        Some(match t {
            Token::Open => {
                let inner = if depth > 20 { Vec::new() } else { self.row(depth + 1) };
                if self.next() != Some(Token::Close) {
                    self.problems.push("a “{” is not closed".into());
                }
                node("mrow", inner)
            }
            Token::Close => return None,
            Token::Sup | Token::Sub => {
                self.problems.push("a ^ or _ has nothing before it".into());
                return None;
            }
            Token::Number(n) => leaf("mn", n),
            Token::Char(c) if c.is_alphabetic() => leaf("mi", c.to_string()),
            Token::Char(c) => leaf("mo", c.to_string()),
            Token::Command(name) => match name.as_str() {
                "frac" => {
                    let num = self.argument(depth + 1);
                    let den = self.argument(depth + 1);
                    node("mfrac", vec![num, den])
                }
                "sqrt" => node("msqrt", vec![self.argument(depth + 1)]),
                "bar" | "overline" => node("mover", vec![self.argument(depth + 1), leaf("mo", "¯")]),
                "hat" => node("mover", vec![self.argument(depth + 1), leaf("mo", "^")]),
                "text" | "mathrm" => {
                    // The raw text is read from the source by `text_groups`; skip its tokens.
                    if self.peek() != Some(&Token::Open) {
                        self.problems.push(format!("\\{name} needs its text in braces"));
                        return Some(leaf("mtext", ""));
                    }
                    let mut level = 0;
                    while let Some(t) = self.next() {
                        match t {
                            Token::Open => level += 1,
                            Token::Close => {
                                level -= 1;
                                if level <= 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    leaf("mtext", self.pending_text())
                }
                other => match symbol(other) {
                    Some((tag, text)) => leaf(tag, text),
                    None => {
                        self.problems.push(format!("the formula command \\{other} is not known; it is shown as text"));
                        leaf("mtext", format!("\\{other}"))
                    }
                },
            },
        })
    }

    /// The next `\text{...}` content in source order.
    fn pending_text(&mut self) -> String {
        self.done_texts += 1;
        self.all_texts.get(self.done_texts - 1).cloned().unwrap_or_default()
    }

    /// A base with its scripts.
    fn atom(&mut self, depth: usize) -> Option<Node> {
        let base = self.base(depth)?;
        let (mut sup, mut sub) = (None, None);
        loop {
            match self.peek() {
                Some(Token::Sup) if sup.is_none() => {
                    self.at += 1;
                    sup = Some(self.argument(depth + 1));
                }
                Some(Token::Sub) if sub.is_none() => {
                    self.at += 1;
                    sub = Some(self.argument(depth + 1));
                }
                _ => break,
            }
        }
        let big = base.tag == "mo" && (base.text == "∑" || base.text == "∏");
        Some(match (sub, sup) {
            (None, None) => base,
            (Some(b), None) => node(if big { "munder" } else { "msub" }, vec![base, b]),
            (None, Some(p)) => node(if big { "mover" } else { "msup" }, vec![base, p]),
            (Some(b), Some(p)) => node(if big { "munderover" } else { "msubsup" }, vec![base, b, p]),
        })
    }
}

/// The contents of each `\text{...}` in `source`, in order (spaces kept).
fn text_groups(source: &str) -> Vec<String> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for marker in ["\\text{", "\\mathrm{"] {
        let mut rest = source;
        while let Some(start) = rest.find(marker) {
            let body = &rest[start + marker.len()..];
            let end = body.find('}').unwrap_or(body.len());
            out.push((start + (source.len() - rest.len()), body[..end].to_string()));
            rest = &body[end.min(body.len())..];
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, t)| t).collect()
}

/// Reads a formula into a `math` element (display style) and the problems found.
pub fn parse(source: &str) -> (Node, Vec<String>) {
    let mut p =
        Parser { tokens: tokens(source), at: 0, problems: Vec::new(), all_texts: text_groups(source), done_texts: 0 };
    let mut children = Vec::new();
    while p.at < p.tokens.len() {
        children.extend(p.row(0));
        if p.peek() == Some(&Token::Close) {
            p.problems.push("a “}” has no “{”".into());
            p.at += 1;
        }
    }
    (node("math", vec![node("mrow", children)]), p.problems)
}
