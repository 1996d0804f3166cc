//! Exploratory statistics of a table, as plain data for the EDA panel's table and charts:
//! per-column summaries (pandas' `describe` definitions: standard deviation with n − 1,
//! quartiles by linear interpolation), histograms (numpy's: equal-width bins, the last one
//! closed), value counts, and the Pearson correlation matrix over pairwise-complete rows
//! (pandas' `DataFrame.corr`).

use crate::data::table::{Table, Values, MISSING_CODE};
use serde::Serialize;

/// Bins of every histogram.
pub const HISTOGRAM_BINS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    pub name: String,
    /// "numeric" or "categorical".
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub count: usize,
    pub missing: usize,
    pub distinct: usize,
    /// Numeric columns with at least one value.
    pub numbers: Option<NumberSummary>,
    /// Categorical columns: each level and how often it occurs, in level order.
    pub levels: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberSummary {
    pub mean: f64,
    /// Sample standard deviation (n − 1); NaN for a single value, as pandas.
    pub std: f64,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    pub histogram: Histogram,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// HISTOGRAM_BINS + 1 edges.
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

/// Summaries of every column, in table order.
pub fn summarize(table: &Table) -> Vec<ColumnSummary> {
    table
        .columns
        .iter()
        .map(|c| match &c.values {
            Values::Numeric(v) => {
                let mut present: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
                // Unstable is faster and the same here: equal values under total_cmp are equal bits.
                present.sort_unstable_by(f64::total_cmp);
                let mut distinct = present.clone();
                distinct.dedup();
                ColumnSummary {
                    name: c.name.clone(),
                    kind: "numeric",
                    count: present.len(),
                    missing: v.len() - present.len(),
                    distinct: distinct.len(),
                    numbers: number_summary(&present),
                    levels: Vec::new(),
                }
            }
            Values::Text { codes, levels } => {
                let mut counts = vec![0usize; levels.len()];
                let mut missing = 0;
                for &code in codes {
                    match counts.get_mut(code as usize) {
                        Some(n) if code != MISSING_CODE => *n += 1,
                        _ => missing += 1,
                    }
                }
                ColumnSummary {
                    name: c.name.clone(),
                    kind: "categorical",
                    count: codes.len() - missing,
                    missing,
                    distinct: counts.iter().filter(|&&n| n > 0).count(),
                    numbers: None,
                    levels: levels.iter().cloned().zip(counts).collect(),
                }
            }
        })
        .collect()
}

/// Statistics of sorted values (None when there are none).
fn number_summary(sorted: &[f64]) -> Option<NumberSummary> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let var = sorted.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n as f64 - 1.0);
    Some(NumberSummary {
        mean,
        std: if n > 1 { libm::sqrt(var) } else { f64::NAN },
        min: sorted[0],
        q1: quantile(sorted, 0.25),
        median: quantile(sorted, 0.5),
        q3: quantile(sorted, 0.75),
        max: sorted[n - 1],
        histogram: histogram(sorted, HISTOGRAM_BINS),
    })
}

/// The q-quantile of sorted values by linear interpolation between closest ranks.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    match sorted.get(lo + 1) {
        Some(&next) if frac > 0.0 => sorted[lo] + (next - sorted[lo]) * frac,
        _ => sorted[lo],
    }
}

/// numpy.histogram: equal-width bins over [min, max] (± 0.5 when all values are equal), each
/// bin half-open except the last.
pub fn histogram(values: &[f64], bins: usize) -> Histogram {
    let (mut lo, mut hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    } else if lo == hi {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }
    let width = hi - lo;
    let edges: Vec<f64> = (0..=bins).map(|i| lo + width * i as f64 / bins as f64).collect();
    let mut counts = vec![0; bins];
    for &v in values {
        let mut b = (((v - lo) / width) * bins as f64) as usize;
        b = b.min(bins - 1);
        // Floating rounding can put a value on the wrong side of an edge: compare with the edges.
        if v < edges[b] {
            b -= 1;
        } else if b + 1 < bins && v >= edges[b + 1] {
            b += 1;
        }
        counts[b] += 1;
    }
    Histogram { edges, counts }
}

/// Pearson correlations between the numeric columns, each pair over the rows where both have
/// a value (NaN when fewer than two, or when one is constant there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    pub names: Vec<String>,
    /// Row-major, names.len()².
    pub matrix: Vec<f64>,
}

pub fn correlation(table: &Table) -> Correlation {
    let cols: Vec<(&str, &[f64])> = table
        .columns
        .iter()
        .filter_map(|c| match &c.values {
            Values::Numeric(v) if v.iter().any(|x| !x.is_nan()) => Some((c.name.as_str(), v.as_slice())),
            _ => None,
        })
        .collect();
    let k = cols.len();
    // A column without missing values is centred once for all its pairs; the sums are the same
    // as `pearson` computes, term by term, so the result is the same to the bit.
    let centred: Vec<Option<(Vec<f64>, f64)>> = cols
        .iter()
        .map(|(_, v)| {
            (v.len() >= 2 && !v.iter().any(|x| x.is_nan())).then(|| {
                let mean = v.iter().fold(0.0, |s, x| s + x) / v.len() as f64;
                let d: Vec<f64> = v.iter().map(|x| x - mean).collect();
                let ss = d.iter().fold(0.0, |s, x| s + x * x);
                (d, ss)
            })
        })
        .collect();
    let mut matrix = vec![f64::NAN; k * k];
    for i in 0..k {
        for j in i..k {
            let r = match (&centred[i], &centred[j]) {
                (Some((a, saa)), Some((b, sbb))) => {
                    let sab = a.iter().zip(b).fold(0.0, |s, (x, y)| s + x * y);
                    ratio(sab, *saa, *sbb)
                }
                _ => pearson(cols[i].1, cols[j].1),
            };
            matrix[i * k + j] = r;
            matrix[j * k + i] = r;
        }
    }
    Correlation { names: cols.iter().map(|c| c.0.to_owned()).collect(), matrix }
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let pairs = || a.iter().zip(b).filter(|(x, y)| !x.is_nan() && !y.is_nan());
    let n = pairs().count();
    if n < 2 {
        return f64::NAN;
    }
    let (ma, mb) = pairs().fold((0.0, 0.0), |(sa, sb), (x, y)| (sa + x, sb + y));
    let (ma, mb) = (ma / n as f64, mb / n as f64);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs() {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    ratio(sab, saa, sbb)
}

fn ratio(sab: f64, saa: f64, sbb: f64) -> f64 {
    let denom = libm::sqrt(saa * sbb);
    if denom == 0.0 {
        f64::NAN
    } else {
        (sab / denom).clamp(-1.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::{read_csv, CsvOptions};

    #[test]
    fn quartiles_interpolate_like_pandas() {
        // pandas: Series([1, 2, 3, 4]).quantile([.25, .5, .75]) == [1.75, 2.5, 3.25]
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!([quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)], [1.75, 2.5, 3.25]);
        assert_eq!(quantile(&[7.0], 0.25), 7.0);
    }

    #[test]
    fn histogram_matches_numpy_edges_and_closed_last_bin() {
        // numpy.histogram([0, 1, 1, 2, 10], bins=10): edges 0..10 step 1, counts [1,2,1,0,...,1]
        let h = histogram(&[0.0, 1.0, 1.0, 2.0, 10.0], 10);
        assert_eq!(h.edges, (0..=10).map(f64::from).collect::<Vec<_>>());
        assert_eq!(h.counts, [1, 2, 1, 0, 0, 0, 0, 0, 0, 1]);
        // One distinct value: the range widens by 0.5 each side, the value lands in the middle bin.
        let h = histogram(&[3.0, 3.0], 10);
        assert_eq!((h.edges[0], h.edges[10], h.counts[5]), (2.5, 3.5, 2));
    }

    #[test]
    fn summary_and_correlation_of_a_small_mixed_table() {
        let p = read_csv(b"x,y,c\n1,2,a\n2,4,b\n3,,a\n4,8,NA\n", CsvOptions::default()).expect("reads");
        let s = summarize(&p.table);
        let x = s[0].numbers.as_ref().expect("numeric");
        assert_eq!((s[0].count, s[0].missing, s[0].distinct), (4, 0, 4));
        assert_eq!((x.mean, x.min, x.median, x.max), (2.5, 1.0, 2.5, 4.0));
        assert!((x.std - 1.2909944487358056).abs() < 1e-15);
        assert_eq!((s[1].count, s[1].missing), (3, 1));
        assert_eq!(s[2].kind, "categorical");
        assert_eq!(s[2].levels, [("a".to_string(), 2), ("b".to_string(), 1)]);
        assert_eq!((s[2].count, s[2].missing, s[2].distinct), (3, 1, 2));
        let c = correlation(&p.table);
        assert_eq!(c.names, ["x", "y"]);
        // Rows 1, 2, 4 have both: y = 2x exactly.
        assert!((c.matrix[1] - 1.0).abs() < 1e-15 && c.matrix[0] == 1.0);
    }

    #[test]
    fn correlation_of_complete_columns_equals_the_pairwise_formula_to_the_bit() {
        let mut csv = String::from("a,b,c,d\n");
        let mut x = 1u64;
        for i in 0..500 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (x >> 11) as f64 / (1u64 << 53) as f64;
            let d = if i % 9 == 0 { "NA".to_string() } else { format!("{}", r * 3.0 - i as f64 * 0.01) };
            csv.push_str(&format!("{},{},{},{d}\n", r * 10.0, i as f64 * 0.5 + r, 7.0 - r * r));
        }
        let t = read_csv(csv.as_bytes(), CsvOptions::default()).expect("reads").table;
        let c = correlation(&t);
        let cols: Vec<&[f64]> = t
            .columns
            .iter()
            .filter_map(|c| match &c.values {
                Values::Numeric(v) => Some(v.as_slice()),
                _ => None,
            })
            .collect();
        assert_eq!(cols.len(), 4);
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(c.matrix[i * 4 + j].to_bits(), pearson(cols[i], cols[j]).to_bits(), "({i}, {j})");
            }
        }
    }
}
