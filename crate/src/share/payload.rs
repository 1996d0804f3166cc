//! Compressed payloads in links: bytes → deflate → base64url (no padding), and back with
//! limits checked before and during decompression, so a hand-made link cannot exhaust memory.
//! Used for drawn points and small CSV files.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use std::io::{Read, Write};

/// Longest payload a link carries (characters); bigger data is not put in the link.
pub const MAX_PAYLOAD_CHARS: usize = 8000;
/// Most bytes a payload may inflate to.
pub const MAX_INFLATED: usize = 1_000_000;

/// Largest input `pack` tries: text this size compresses past the payload budget anyway, and
/// deflating megabytes at the best level would stall the page for seconds.
pub const MAX_PACK_INPUT: usize = 256 * 1024;

/// How big a payload may be where it is read: a link's are small; an experiment file carries
/// a whole CSV file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Longest payload text read (characters).
    pub max_chars: usize,
    /// Most bytes it may inflate to.
    pub max_inflated: usize,
}

/// A link's payloads (twice `MAX_PAYLOAD_CHARS` are read, so a link written by a build with
/// a larger budget still opens).
pub const LINK: Limits = Limits { max_chars: 2 * MAX_PAYLOAD_CHARS, max_inflated: MAX_INFLATED };
/// An experiment file's payloads: up to the largest CSV file Latih reads.
pub const FILE: Limits =
    Limits { max_chars: crate::data::table::MAX_BYTES / 3 * 4 + 4, max_inflated: crate::data::table::MAX_BYTES };

/// The payload for `bytes`, or None when it would be longer than `MAX_PAYLOAD_CHARS`.
pub fn pack(bytes: &[u8]) -> Option<String> {
    if bytes.len() > MAX_PACK_INPUT {
        return None;
    }
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bytes).ok()?;
    let packed = URL_SAFE_NO_PAD.encode(z.finish().ok()?);
    (packed.len() <= MAX_PAYLOAD_CHARS).then_some(packed)
}

/// A payload for an experiment file: any size up to `FILE`'s, at the default (faster)
/// compression level. None when the bytes are over `FILE.max_inflated`.
pub fn pack_for_file(bytes: &[u8]) -> Option<String> {
    if bytes.len() > FILE.max_inflated {
        return None;
    }
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).ok()?;
    Some(URL_SAFE_NO_PAD.encode(z.finish().ok()?))
}

/// The bytes of a link's payload, or why it cannot be read.
pub fn unpack(text: &str) -> Result<Vec<u8>, String> {
    unpack_within(text, LINK)
}

/// The bytes of a payload read within `limits`, or why it cannot be read. The length is
/// checked before decoding and the inflated size while inflating.
pub fn unpack_within(text: &str, limits: Limits) -> Result<Vec<u8>, String> {
    let (max_chars, max_inflated) = (limits.max_chars, limits.max_inflated);
    if text.len() > max_chars {
        return Err(format!("it is longer than {max_chars} characters"));
    }
    let deflated =
        URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| "it is not base64url text".to_string())?;
    let mut out = Vec::new();
    let read = flate2::read::DeflateDecoder::new(&deflated[..]).take(max_inflated as u64 + 1).read_to_end(&mut out);
    match read {
        Err(_) => Err("it is not deflate-compressed data".into()),
        Ok(n) if n > max_inflated => Err(format!("it inflates to more than {max_inflated} bytes")),
        Ok(_) => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_bad_or_huge_payloads() {
        let data = b"x,y,label\n1,2,a\n3,4,b\n".repeat(20);
        let packed = pack(&data).expect("fits");
        assert!(packed.len() < data.len() / 4, "{}", packed.len());
        assert!(packed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(unpack(&packed).expect("unpacks"), data);
        assert!(unpack("!!!").expect_err("not base64").contains("base64"));
        assert!(unpack("AAAA").is_err());
        // A deflate bomb: 2 MB of zeros packs small but must not inflate past the limit.
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![0u8; 2_000_000]).expect("write");
        let bomb = URL_SAFE_NO_PAD.encode(z.finish().expect("finish"));
        assert!(bomb.len() < MAX_PAYLOAD_CHARS);
        assert!(unpack(&bomb).expect_err("too big").contains("more than"));
        // Incompressible data over the budget is not packed.
        let mut rng = crate::data::rng::Rng::new(7, crate::data::rng::Purpose::Data);
        let noise: Vec<u8> = (0..20_000).map(|_| rng.uniform(0.0, 256.0) as u8).collect();
        assert!(pack(&noise).is_none());
    }
}
