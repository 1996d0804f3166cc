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

/// The bytes of a payload, or why it cannot be read.
pub fn unpack(text: &str) -> Result<Vec<u8>, String> {
    if text.len() > 2 * MAX_PAYLOAD_CHARS {
        return Err(format!("it is longer than {} characters", 2 * MAX_PAYLOAD_CHARS));
    }
    let deflated =
        URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| "it is not base64url text".to_string())?;
    let mut out = Vec::new();
    let read = flate2::read::DeflateDecoder::new(&deflated[..]).take(MAX_INFLATED as u64 + 1).read_to_end(&mut out);
    match read {
        Err(_) => Err("it is not deflate-compressed data".into()),
        Ok(n) if n > MAX_INFLATED => Err(format!("it inflates to more than {MAX_INFLATED} bytes")),
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
