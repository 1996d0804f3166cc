//! Every released link version keeps opening: `fixtures/links-v1.txt` holds links as each
//! stage of version 1 wrote them (before `model=` existed, before tables, with payloads).
//! Each must open without a notice and re-encode to a link that opens to the same experiment.
//! When version 2 comes, its fixtures go in a new file and these stay.

use latih::share::{decode, encode, payload};

#[test]
fn every_released_link_opens_without_notices() {
    let fixtures = include_str!("fixtures/links-v1.txt");
    let links: Vec<&str> = fixtures.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    assert!(links.len() >= 10, "fixtures went missing: {}", links.len());
    for link in links {
        let d = decode(link);
        assert!(d.notices.is_empty(), "{link}\n{:?}", d.notices);
        let again = decode(&encode(&d.experiment));
        assert_eq!(again.experiment, d.experiment, "{link}");
        // What the link set is what the experiment holds, key by key.
        let canonical = encode(&d.experiment);
        for pair in link.split('&').filter(|p| !p.starts_with("csv=")) {
            // A payload may be compressed differently; what it holds must be the same.
            let same = |c: &str| match (pair.strip_prefix("points="), c.strip_prefix("points=")) {
                (Some(a), Some(b)) => payload::unpack(a).ok().is_some_and(|a| payload::unpack(b).ok() == Some(a)),
                _ => c == pair,
            };
            assert!(canonical.split('&').any(same), "{pair} was lost from {link}:\n{canonical}");
        }
        if link.contains("&csv=") {
            assert!(d.csv.as_deref().is_some_and(|b| b.starts_with(b"a,b,y\n")), "{link}");
        }
    }
}
