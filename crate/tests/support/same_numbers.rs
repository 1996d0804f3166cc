//! Same link, same numbers: every model family trained from a link, its predictions and
//! losses reduced to one digest per link. The native test and the wasm test (in Chromium)
//! compare these digests with `fixtures/same-numbers.txt`, so a result that depends on the
//! platform's maths (its `exp`, `ln`, fused multiply-adds, SIMD widths) fails in one of them.

use latih::experiment::Session;
use latih::share;

/// One link per model family, each on data it applies to, small enough for a quick test.
pub const LINKS: &[&str] = &[
    "v=1&data=spiral&hidden=6,4&act=tanh&lr=0.03&samples=200",
    "v=1&data=plane&hidden=4&act=relu&samples=200",
    "v=1&data=moons&model=logistic&samples=200",
    "v=1&data=iris&model=logistic",
    "v=1&data=moons&model=tree&samples=200",
    "v=1&data=moons&model=forest&trees=8&samples=200",
    "v=1&data=moons&model=knn&samples=200",
    "v=1&data=iris&model=bayes",
    "v=1&data=moons&model=svm&kernel=rbf&samples=200",
    "v=1&data=plane&model=svr&samples=200",
    "v=1&data=plane&model=ridge&samples=200",
    "v=1&data=plane&model=lasso&samples=200",
    "v=1&data=plane&model=knnreg&samples=200",
    "v=1&data=blobs&model=kmeans&samples=200",
    "v=1&data=blobs&model=dbscan&samples=200",
    "v=1&data=blobs&model=gmm&samples=200",
    "v=1&data=iris&model=pca",
];

/// Links whose results still depend on the platform in their last bits, and why. For these
/// only the numbers rounded to 6 significant digits must agree (what any view shows). None
/// today: the last ones (SVM, SVR, Gaussian mixture, PCA) went when their linfa crates were
/// replaced by code with portable math.
pub const KNOWN_TO_DIFFER: &[(&str, &str)] = &[];

/// Whether this link's results must agree bit for bit.
pub fn exact(link: &str) -> bool {
    !KNOWN_TO_DIFFER.iter().any(|(key, _)| link.split('&').any(|part| part == *key))
}

/// FNV-1a over bytes.
fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Two digests of the numbers: of their bits (any last-bit difference changes it), and of
/// their decimal form to 6 significant digits (Rust formats floats the same everywhere).
fn digest(values: &[f64]) -> (u64, u64) {
    let bits = fnv(values.iter().flat_map(|v| v.to_bits().to_le_bytes()));
    let rounded = fnv(values.iter().flat_map(|v| format!("{v:.5e};").into_bytes()));
    (bits, rounded)
}

/// Trains the link's experiment (20 epochs for a network, to the end for the others) and
/// digests its test predictions, probabilities and recorded losses.
pub fn digest_of(link: &str) -> Result<(u64, u64), String> {
    let decoded = share::decode(link);
    if let Some(n) = decoded.notices.first() {
        return Err(format!("{link}: {n}"));
    }
    let mut s = Session::new(decoded.experiment).map_err(|e| format!("{link}: {e}"))?;
    if s.experiment().model.info(false).id == "mlp" {
        s.train_epochs(20);
    } else {
        s.fit_to_end();
    }
    s.record();
    let (predictions, probabilities) = s.predict_part(true);
    let losses = s.history().iter().flat_map(|r| [r.train_loss, r.test_loss]);
    let values: Vec<f64> = predictions.into_iter().chain(probabilities.into_iter().flatten()).chain(losses).collect();
    Ok(digest(&values))
}

/// `link<TAB>bits<TAB>rounded` lines, as the fixture holds them.
pub fn current() -> Vec<String> {
    LINKS
        .iter()
        .map(|l| match digest_of(l) {
            Ok((bits, rounded)) => format!("{l}\t{bits:016x}\t{rounded:016x}"),
            Err(e) => format!("{l}\terror: {e}"),
        })
        .collect()
}

/// Links whose results differ from the fixture's: in any bit where `exact(link)`, else once
/// rounded. Each entry says what each side has.
pub fn differences(fixture: &str) -> Vec<String> {
    let want: Vec<&str> = fixture.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let got = current();
    let mut out = Vec::new();
    for (i, g) in got.iter().enumerate() {
        let Some(w) = want.get(i) else {
            out.push(format!("missing from the fixture: {g}"));
            continue;
        };
        let (wf, gf): (Vec<&str>, Vec<&str>) = (w.split('\t').collect(), g.split('\t').collect());
        let same = if exact(gf[0]) { wf == gf } else { wf.first() == gf.first() && wf.get(2) == gf.get(2) };
        if !same {
            out.push(format!("expected {w}\n     got {g}"));
        }
    }
    if want.len() > got.len() {
        out.push(format!("the fixture has {} lines more than LINKS", want.len() - got.len()));
    }
    out
}
