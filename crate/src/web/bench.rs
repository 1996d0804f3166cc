//! Benchmark entry points: a bare fit and predict (`fitPredict`, and `fitPredictLoop`, timed
//! inside wasm) and CSV reading with summaries (`summarizeCsv`).

use crate::data::table::{read_csv, CsvOptions};
use crate::explore::summarize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
/// Reads CSV bytes and summarises every column (what the EDA table shows): the benchmark's
/// unit of work against papaparse plus a summary written in JS. Returns the column count.
#[wasm_bindgen(js_name = summarizeCsv)]
pub fn summarize_csv(bytes: &[u8]) -> Result<usize, JsValue> {
    let parsed = read_csv(bytes, CsvOptions::default()).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(summarize(&parsed.table).len())
}

/// Fits a model described like a link (`model=tree&depth=5`) on `x` (row-major, `cols`
/// wide) with targets `y` (class indices when `classes` > 0, values when 0), then predicts
/// the rows of `predict_x`. The benchmark page times this against the ml.js packages.
#[wasm_bindgen(js_name = fitPredict)]
pub fn fit_predict(
    query: &str,
    x: &[f64],
    y: &[f64],
    cols: usize,
    classes: usize,
    predict_x: &[f64],
    seed: u64,
) -> Result<Vec<f64>, JsValue> {
    crate::share::model_from_query(query)
        .and_then(|model| crate::models::fit_predict_params(&model, x, y, cols, classes, predict_x, seed))
        .map_err(|e| JsValue::from_str(&e))
}

/// `fitPredict` repeated inside wasm until `min_ms` have passed (at least once, after one
/// untimed call), as the native CLI's `latih fit` repeats it, with the query read once before
/// the loop (as there): milliseconds per call. The
/// benchmark's wasm ÷ native ratio compares the two loops, so that copying the arrays across
/// the JS boundary on every call is not counted as the fit's time.
#[wasm_bindgen(js_name = fitPredictLoop)]
#[allow(clippy::too_many_arguments)]
pub fn fit_predict_loop(
    query: &str,
    x: &[f64],
    y: &[f64],
    cols: usize,
    classes: usize,
    predict_x: &[f64],
    seed: u64,
    min_ms: f64,
) -> Result<f64, JsValue> {
    let model = crate::share::model_from_query(query).map_err(|e| JsValue::from_str(&e))?;
    let once = || {
        crate::models::fit_predict_params(&model, x, y, cols, classes, predict_x, seed)
            .map_err(|e| JsValue::from_str(&e))
    };
    std::hint::black_box(once()?);
    // One call into JS per look at the clock (`now_ms` makes three, and allocates): a fit of
    // a few microseconds must not be timed together with the timer.
    let performance = web_sys::window().and_then(|w| w.performance()).ok_or("no performance clock")?;
    let start = performance.now();
    let mut runs = 0u32;
    loop {
        std::hint::black_box(once()?);
        runs += 1;
        if performance.now() - start >= min_ms {
            break;
        }
    }
    Ok((performance.now() - start) / f64::from(runs))
}
