//! The language of the words the core writes for the page (the status line, the model
//! summary, the charts' captions): English, or Bahasa Indonesia when the link says
//! `lang=id`. Notices and error messages are written in English and translated through
//! [`notices`] when the page asks.

/// A language the page's core-written text comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Id,
}

impl Lang {
    /// The language of a link's `lang=` code (None or anything else: English).
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some("id") => Lang::Id,
            _ => Lang::En,
        }
    }

    /// The English or the Indonesian text.
    pub fn pick<T>(self, en: T, id: T) -> T {
        match self {
            Lang::En => en,
            Lang::Id => id,
        }
    }
}

pub mod notices;

impl Lang {
    /// A notice or error message of the core in this language (the core writes them in
    /// English; see [`notices`]).
    pub fn notice(self, text: &str) -> String {
        match self {
            Lang::En => text.to_string(),
            Lang::Id => notices::to_indonesian(text),
        }
    }
}
