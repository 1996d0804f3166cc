//! Numbers and equations in words, for the few lines each family says about its fitted model
//! (`Model::describe`) and the views that label a model.

/// A number short: three decimals at most, or scientific when tiny or huge.
pub fn short_number(v: f64) -> String {
    if v == 0.0 || (v.abs() >= 0.01 && v.abs() < 1e4) {
        format!("{:.3}", v).trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{v:.2e}")
    }
}

/// A weighted sum as an equation over the inputs' names: `0.5·x1 − 2·x2 + 1`.
pub fn equation(names: &[&str], w: &[f64], b: f64) -> String {
    let mut t = String::new();
    for (wi, n) in w.iter().zip(names) {
        t.push_str(&format!("{} {}·{n} ", if *wi < 0.0 { "−" } else { "+" }, short_number(wi.abs())));
    }
    format!("{}{} {}", t.trim_start_matches("+ "), if b < 0.0 { "−" } else { "+" }, short_number(b.abs()))
}
