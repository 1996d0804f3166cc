//! A matrix-factorisation recommender fitted by alternating least squares (ALS). `Ratings` is a
//! sparse users × items table of (user, item, rating) entries; `films` makes a seeded synthetic
//! one (invented film titles in four genres, users with genre tastes, about 35 % of cells rated)
//! and `split` divides its entries into training and test parts. `Als` predicts a rating as
//! r̂ = μ + u_i · v_j (μ the training mean, u_i and v_j rows of k latent factors, no separate
//! biases) and is fitted to the residuals r − μ one sweep at a time (`step`: every user's
//! factors by ridge regression on the items' current factors, then every item's on the users'),
//! so the page can draw each sweep. The ridge penalty is the weighted-λ regularisation of Zhou et
//! al. (2008, "Large-scale parallel collaborative filtering for the Netflix prize"): λ times the
//! row's number of training ratings, so each half-sweep minimises
//! Σ (r − μ − u·v)² + λ (Σ_users n_u |u|² + Σ_items n_j |v|²) exactly in its rows and the
//! objective never rises. The sweeps use only +, −, ×, ÷ and sqrt in a fixed order (the starting
//! factors come from the crate's `Rng`, whose normal draws use the portable `libm`), so a fit
//! gives the same bits natively and in wasm.

use crate::data::films::Ratings;
use crate::data::rng::{Purpose, Rng};
use serde::{Deserialize, Serialize};

/// The settings of `Als`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlsParams {
    /// Latent factors per user and item (k), 1..=10.
    pub factors: usize,
    /// Ridge penalty λ (weighted by each row's number of ratings), 0..=100.
    pub lambda: f64,
    /// Sweeps `fit` runs, 1..=100.
    pub iters: usize,
    /// Seed of the starting factors.
    pub seed: u64,
}

impl Default for AlsParams {
    fn default() -> Self {
        AlsParams { factors: 2, lambda: 0.1, iters: 10, seed: 1 }
    }
}

impl AlsParams {
    /// Every setting in its range, or an error that starts with the field's name.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=10).contains(&self.factors) {
            return Err(format!("factors: is {}; use 1 to 10", self.factors));
        }
        if !(self.lambda.is_finite() && (0.0..=100.0).contains(&self.lambda)) {
            return Err(format!("lambda: is {}; use a number from 0 to 100", self.lambda));
        }
        if !(1..=100).contains(&self.iters) {
            return Err(format!("iters: is {}; use 1 to 100", self.iters));
        }
        Ok(())
    }
}

/// A fitted (or fitting) factorisation: r̂(i, j) = μ + u_i · v_j, clamped to the training
/// ratings' range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Als {
    pub params: AlsParams,
    pub users: usize,
    pub items: usize,
    /// μ: the mean training rating.
    pub mean: f64,
    /// Lowest and highest training rating: predictions are clamped to them.
    pub lo: f64,
    pub hi: f64,
    /// U: users × factors, row-major.
    pub u: Vec<f64>,
    /// V: items × factors, row-major.
    pub v: Vec<f64>,
    /// Sweeps done so far.
    pub sweeps: usize,
}

/// The entries of `idx` that exist and fit a model of this size.
fn valid<'a>(
    ratings: &'a Ratings,
    idx: &'a [usize],
    users: usize,
    items: usize,
) -> impl Iterator<Item = (usize, usize, f64)> + 'a {
    idx.iter().filter_map(|&t| ratings.entries.get(t)).copied().filter(move |&(u, i, _)| u < users && i < items)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += x * y;
    }
    s
}

impl Als {
    /// Checks the settings and the training indices, takes μ and the rating range from the
    /// training entries, and draws small starting factors (normal, standard deviation 0.1) from
    /// the seed.
    pub fn new(ratings: &Ratings, train: &[usize], params: &AlsParams) -> Result<Als, String> {
        params.check()?;
        if train.is_empty() {
            return Err("train: no training ratings".into());
        }
        let (users, items) = (ratings.users, ratings.items);
        let (mut sum, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
        for &t in train {
            let Some(&(u, i, r)) = ratings.entries.get(t) else {
                return Err(format!("train: index {t} is out of range (there are {} ratings)", ratings.entries.len()));
            };
            if u >= users || i >= items || !r.is_finite() {
                return Err(format!("train: rating {t} ({u}, {i}, {r}) is outside the table or not finite"));
            }
            sum += r;
            lo = lo.min(r);
            hi = hi.max(r);
        }
        let k = params.factors;
        let mut rng = Rng::new(params.seed, Purpose::Init);
        let u = (0..users * k).map(|_| 0.1 * rng.normal()).collect();
        let v = (0..items * k).map(|_| 0.1 * rng.normal()).collect();
        Ok(Als { params: params.clone(), users, items, mean: sum / train.len() as f64, lo, hi, u, v, sweeps: 0 })
    }

    /// `new`, then `params.iters` sweeps.
    pub fn fit(ratings: &Ratings, train: &[usize], params: &AlsParams) -> Result<Als, String> {
        let mut model = Als::new(ratings, train, params)?;
        for _ in 0..params.iters {
            model.step(ratings, train);
        }
        Ok(model)
    }

    /// A model read from a file is whole: settings in range, factor matrices of the stated
    /// sizes, finite numbers, lo ≤ hi.
    pub fn check(&self) -> Result<(), String> {
        self.params.check()?;
        let k = self.params.factors;
        if self.u.len() != self.users * k || self.v.len() != self.items * k {
            return Err(format!(
                "factors: U has {} numbers and V {}, not {} × {k} and {} × {k}",
                self.u.len(),
                self.v.len(),
                self.users,
                self.items
            ));
        }
        if !self.u.iter().chain(&self.v).chain([&self.mean, &self.lo, &self.hi]).all(|x| x.is_finite()) {
            return Err("factors: a number is not finite".into());
        }
        if self.lo > self.hi {
            return Err(format!("lo: {} is above hi {}", self.lo, self.hi));
        }
        Ok(())
    }

    fn shaped(&self) -> bool {
        let k = self.params.factors;
        self.u.len() == self.users * k && self.v.len() == self.items * k
    }

    /// One ALS sweep: every user's factors, then every item's, each the exact minimiser of the
    /// weighted-λ objective with the other side held fixed. Does nothing to a model whose
    /// factor matrices do not have their stated sizes (see `check`).
    pub fn step(&mut self, ratings: &Ratings, train: &[usize]) {
        if !self.shaped() {
            return;
        }
        let (by_user, by_item) = self.groups(ratings, train);
        self.solve_users(&by_user);
        self.solve_items(&by_item);
        self.sweeps += 1;
    }

    /// The training residuals r − μ grouped by user (item, residual) and by item (user, residual),
    /// each group in the order of `train`.
    #[allow(clippy::type_complexity)]
    fn groups(&self, ratings: &Ratings, train: &[usize]) -> (Vec<Vec<(usize, f64)>>, Vec<Vec<(usize, f64)>>) {
        let mut by_user = vec![Vec::new(); self.users];
        let mut by_item = vec![Vec::new(); self.items];
        for (u, i, r) in valid(ratings, train, self.users, self.items) {
            by_user[u].push((i, r - self.mean));
            by_item[i].push((u, r - self.mean));
        }
        (by_user, by_item)
    }

    fn solve_users(&mut self, by_user: &[Vec<(usize, f64)>]) {
        solve_side(&mut self.u, &self.v, by_user, self.params.factors, self.params.lambda);
    }

    fn solve_items(&mut self, by_item: &[Vec<(usize, f64)>]) {
        solve_side(&mut self.v, &self.u, by_item, self.params.factors, self.params.lambda);
    }

    /// The predicted rating of `user` for `item`, clamped to the training ratings' range; μ
    /// (clamped) for a user or item the model does not know.
    pub fn predict(&self, user: usize, item: usize) -> f64 {
        let k = self.params.factors;
        let mut x = self.mean;
        if user < self.users && item < self.items {
            if let (Some(a), Some(b)) = (self.u.get(user * k..(user + 1) * k), self.v.get(item * k..(item + 1) * k)) {
                x += dot(a, b);
            }
        }
        // By comparisons, not `f64::clamp`, which panics on a (deserialised) lo > hi.
        if x < self.lo {
            self.lo
        } else if x > self.hi {
            self.hi
        } else {
            x
        }
    }

    /// Root mean squared error of the (clamped) predictions on the entries `idx`; NaN if none.
    pub fn rmse(&self, ratings: &Ratings, idx: &[usize]) -> f64 {
        let (mut sum, mut n) = (0.0, 0usize);
        for (u, i, r) in valid(ratings, idx, self.users, self.items) {
            let e = self.predict(u, i) - r;
            sum += e * e;
            n += 1;
        }
        (sum / n as f64).sqrt()
    }

    /// What ALS minimises on the training entries: Σ (r − μ − u·v)² (unclamped) plus
    /// λ (Σ_users n_u |u|² + Σ_items n_j |v|²), with n the row's number of training ratings.
    /// NaN for a model whose factor matrices do not have their stated sizes.
    pub fn objective(&self, ratings: &Ratings, train: &[usize]) -> f64 {
        if !self.shaped() {
            return f64::NAN;
        }
        let k = self.params.factors;
        let (by_user, by_item) = self.groups(ratings, train);
        let mut loss = 0.0;
        for (u, group) in by_user.iter().enumerate() {
            let a = &self.u[u * k..(u + 1) * k];
            for &(i, r) in group {
                let e = r - dot(a, &self.v[i * k..(i + 1) * k]);
                loss += e * e;
            }
        }
        let mut penalty = 0.0;
        for (x, groups) in [(&self.u, &by_user), (&self.v, &by_item)] {
            for (row, group) in groups.iter().enumerate() {
                let f = &x[row * k..(row + 1) * k];
                penalty += group.len() as f64 * dot(f, f);
            }
        }
        loss + self.params.lambda * penalty
    }

    /// The predicted rating of every user (rows) for every item (columns).
    pub fn matrix(&self) -> Vec<Vec<f64>> {
        (0..self.users).map(|u| (0..self.items).map(|i| self.predict(u, i)).collect()).collect()
    }
}

/// RMSE on `test` of the baseline that predicts the mean training rating for everything; NaN if
/// either part is empty.
pub fn baseline_rmse(ratings: &Ratings, train: &[usize], test: &[usize]) -> f64 {
    let ratings_of =
        |idx: &[usize]| -> Vec<f64> { idx.iter().filter_map(|&t| ratings.entries.get(t)).map(|e| e.2).collect() };
    let train = ratings_of(train);
    let mean = train.iter().sum::<f64>() / train.len() as f64;
    let test = ratings_of(test);
    (test.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / test.len() as f64).sqrt()
}

/// Solves every row of `x` (rows × k) as the ridge regression of its residuals on the fixed
/// factors `other`: (Σ y yᵀ + λ n I) x = Σ y r over the row's n ratings (y the other side's
/// factors). A row without ratings gets zeros (its predictions are μ).
fn solve_side(x: &mut [f64], other: &[f64], groups: &[Vec<(usize, f64)>], k: usize, lambda: f64) {
    let mut a = vec![0.0; k * k];
    let mut b = vec![0.0; k];
    for (row, group) in groups.iter().enumerate() {
        let out = &mut x[row * k..(row + 1) * k];
        if group.is_empty() {
            out.fill(0.0);
            continue;
        }
        a.fill(0.0);
        b.fill(0.0);
        for &(j, r) in group {
            let y = &other[j * k..(j + 1) * k];
            for p in 0..k {
                b[p] += y[p] * r;
                for q in 0..=p {
                    a[p * k + q] += y[p] * y[q];
                }
            }
        }
        let reg = lambda * group.len() as f64;
        for p in 0..k {
            a[p * k + p] += reg;
        }
        match solve_spd(&a, &b, k) {
            Some(sol) => out.copy_from_slice(&sol),
            None => out.fill(0.0),
        }
    }
}

/// Solves A x = b for symmetric positive (semi)definite A, given by its lower triangle (k × k,
/// row-major). Only with λ = 0 can A be singular (fewer ratings than factors); then a small
/// ridge (10⁻⁹, 10⁻⁶, 10⁻³ of the mean diagonal) is added, which approaches the minimum-norm
/// solution; if even that fails (A = 0), None.
fn solve_spd(a: &[f64], b: &[f64], k: usize) -> Option<Vec<f64>> {
    if let Some(x) = cholesky_solve(a, b, k) {
        return Some(x);
    }
    let mut trace = 0.0;
    for p in 0..k {
        trace += a[p * k + p];
    }
    let scale = trace / k as f64;
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    let mut jittered = a.to_vec();
    for eps in [1e-9, 1e-6, 1e-3] {
        for p in 0..k {
            jittered[p * k + p] = a[p * k + p] + eps * scale;
        }
        if let Some(x) = cholesky_solve(&jittered, b, k) {
            return Some(x);
        }
    }
    None
}

/// Cholesky factorisation A = L Lᵀ, then the two triangular solves; None if a pivot is not
/// clearly positive (below 10⁻¹² of its diagonal entry) or not finite.
/// Hand-written because k ≤ 10 makes O(k³) trivial and a LAPACK binding (ndarray-linalg) does not build for wasm32.
fn cholesky_solve(a: &[f64], b: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let mut d = a[j * k + j];
        for m in 0..j {
            d -= l[j * k + m] * l[j * k + m];
        }
        if !(d > 1e-12 * a[j * k + j] && d.is_finite()) {
            return None;
        }
        let s = d.sqrt();
        l[j * k + j] = s;
        for i in j + 1..k {
            let mut x = a[i * k + j];
            for m in 0..j {
                x -= l[i * k + m] * l[j * k + m];
            }
            l[i * k + j] = x / s;
        }
    }
    // L y = b, then Lᵀ x = y, in place.
    let mut y = b.to_vec();
    for i in 0..k {
        for m in 0..i {
            y[i] -= l[i * k + m] * y[m];
        }
        y[i] /= l[i * k + i];
    }
    for i in (0..k).rev() {
        for m in i + 1..k {
            y[i] -= l[m * k + i] * y[m];
        }
        y[i] /= l[i * k + i];
    }
    y.iter().all(|v| v.is_finite()).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::films::{films, split};

    fn names(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    }

    fn films_split(seed: u64) -> (Ratings, Vec<usize>, Vec<usize>) {
        let r = films(seed);
        let (train, test) = split(&r, 80.0, seed);
        (r, train, test)
    }

    #[test]
    fn one_sweep_by_hand() {
        // 2 users × 2 items, k = 1, λ = 0.5. Ratings: user 0 gives item 0 a 5 and item 1 a 4,
        // user 1 gives item 0 a 3. μ = (5 + 4 + 3) / 3 = 4; residuals r − μ: (0,0) = 1,
        // (0,1) = 0, (1,0) = −1. Starting item factors fixed at v = (1, 2).
        let r = Ratings::new(names("u", 2), names("i", 2), vec![(0, 0, 5.0), (0, 1, 4.0), (1, 0, 3.0)]).expect("valid");
        let params = AlsParams { factors: 1, lambda: 0.5, iters: 1, seed: 9 };
        let train = [0, 1, 2];
        let mut m = Als::new(&r, &train, &params).expect("valid");
        assert_eq!(m.mean, 4.0);
        m.v = vec![1.0, 2.0];
        let (by_user, by_item) = m.groups(&r, &train);
        m.solve_users(&by_user);
        // User 0 rated both items (n = 2): (1² + 2² + 0.5·2) u = 1·1 + 2·0  →  6 u = 1  →  u = 1/6.
        // User 1 rated item 0 (n = 1):     (1² + 0.5·1) u = 1·(−1)          →  1.5 u = −1 →  u = −2/3.
        assert!((m.u[0] - 1.0 / 6.0).abs() < 1e-12, "{}", m.u[0]);
        assert!((m.u[1] + 2.0 / 3.0).abs() < 1e-12, "{}", m.u[1]);
        m.solve_items(&by_item);
        // Item 0, rated by both (n = 2): ((1/6)² + (2/3)² + 0.5·2) v = (1/6)·1 + (−2/3)·(−1)
        //   → (1/36 + 16/36 + 36/36) v = 5/6 = 30/36  →  v = 30/53.
        // Item 1, rated by user 0 (n = 1): ((1/6)² + 0.5) v = (1/6)·0  →  v = 0.
        assert!((m.v[0] - 30.0 / 53.0).abs() < 1e-12, "{}", m.v[0]);
        assert!(m.v[1].abs() < 1e-12, "{}", m.v[1]);
        // r̂(0, 0) = 4 + (1/6)(30/53) = 4 + 5/53; r̂(1, 1) = 4 + (−2/3)·0 = 4.
        assert!((m.predict(0, 0) - (4.0 + 5.0 / 53.0)).abs() < 1e-12);
        assert!((m.predict(1, 1) - 4.0).abs() < 1e-12);
    }

    #[test]
    fn cholesky_solves_by_hand_and_at_k_10() {
        // [[4, 2], [2, 3]] x = [2, 1]: det = 8, x = (1/8)·[[3, −2], [−2, 4]]·[2, 1] = (1/2, 0).
        let x = cholesky_solve(&[4.0, 0.0, 2.0, 3.0], &[2.0, 1.0], 2).expect("positive definite");
        assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15, "{x:?}");
        // A = Bᵀ B + I for a fixed 10 × 10 B; A x must give back b.
        let k = 10;
        let bm: Vec<f64> = (0..k * k).map(|t| ((t * 37 % 19) as f64 - 9.0) / 7.0).collect();
        let mut a = vec![0.0; k * k];
        for p in 0..k {
            for q in 0..k {
                a[p * k + q] =
                    (0..k).map(|m| bm[m * k + p] * bm[m * k + q]).sum::<f64>() + if p == q { 1.0 } else { 0.0 };
            }
        }
        let b: Vec<f64> = (0..k).map(|p| p as f64 - 4.5).collect();
        let x = cholesky_solve(&a, &b, k).expect("positive definite");
        for p in 0..k {
            let ax: f64 = (0..k).map(|q| a[p * k + q] * x[q]).sum();
            assert!((ax - b[p]).abs() < 1e-9, "row {p}: {ax} vs {}", b[p]);
        }
        // Singular (λ = 0, one rating, k = 2): jitter gives a finite solution; zero A gives None.
        assert!(cholesky_solve(&[1.0, 0.0, 1.0, 1.0], &[1.0, 1.0], 2).is_none());
        let x = solve_spd(&[1.0, 0.0, 1.0, 1.0], &[1.0, 1.0], 2).expect("jittered");
        assert!((x[0] - 0.5).abs() < 1e-6 && (x[1] - 0.5).abs() < 1e-6, "{x:?}");
        assert!(solve_spd(&[0.0; 4], &[0.0; 2], 2).is_none());
    }

    #[test]
    fn training_rmse_and_objective_never_rise() {
        // Each half-sweep minimises the weighted-λ objective exactly in its rows, so the objective
        // cannot rise (up to rounding). The training RMSE is not what ALS minimises, so it may
        // rise by a hair once the fit has all but converged (seed 1: by 2e-8 at sweep 23); over
        // the default 10 sweeps it falls on these seeds.
        for seed in 1..=5 {
            let (r, train, _) = films_split(seed);
            let p = AlsParams { seed, ..AlsParams::default() };
            let mut m = Als::new(&r, &train, &p).expect("valid");
            let (mut rmse, mut obj) = (m.rmse(&r, &train), m.objective(&r, &train));
            let first = rmse;
            for sweep in 1..=30 {
                m.step(&r, &train);
                let (rmse2, obj2) = (m.rmse(&r, &train), m.objective(&r, &train));
                assert!(obj2 <= obj + 1e-12 * obj, "seed {seed} sweep {sweep}: objective {obj} → {obj2}");
                if sweep <= p.iters {
                    assert!(rmse2 <= rmse + 1e-12, "seed {seed} sweep {sweep}: training RMSE {rmse} → {rmse2}");
                }
                (rmse, obj) = (rmse2, obj2);
            }
            assert!(rmse < 0.6 * first, "seed {seed}: training RMSE {first} → {rmse}");
        }
    }

    #[test]
    fn beats_the_global_mean_on_held_out_ratings() {
        // Averaged over seeds (one split's ~70 test ratings are a noisy yardstick), and on seed 1.
        let (mut base, mut als) = (0.0, 0.0);
        for seed in 1..=10 {
            let (r, train, test) = films_split(seed);
            let b = baseline_rmse(&r, &train, &test);
            let m = Als::fit(&r, &train, &AlsParams::default()).expect("valid");
            let a = m.rmse(&r, &test);
            if seed == 1 {
                assert!(a < 0.7 * b, "seed 1: ALS {a} vs baseline {b}");
            }
            base += b;
            als += a;
        }
        assert!(als < 0.85 * base, "mean test RMSE: ALS {} vs baseline {}", als / 10.0, base / 10.0);
    }

    #[test]
    fn seeded_factors_are_bit_identical() {
        let (r, train, _) = films_split(3);
        let bits = |m: &Als| -> Vec<u64> { m.u.iter().chain(&m.v).map(|x| x.to_bits()).collect() };
        let p = AlsParams { factors: 3, ..AlsParams::default() };
        let a = Als::fit(&r, &train, &p).expect("valid");
        let b = Als::fit(&r, &train, &p).expect("valid");
        assert_eq!(bits(&a), bits(&b));
        let c = Als::fit(&r, &train, &AlsParams { seed: 2, ..p }).expect("valid");
        assert_ne!(bits(&a), bits(&c));
    }

    #[test]
    fn params_out_of_range_name_the_field() {
        assert_eq!(AlsParams::default().check(), Ok(()));
        let d = AlsParams::default;
        for (p, field) in [
            (AlsParams { factors: 0, ..d() }, "factors"),
            (AlsParams { factors: 11, ..d() }, "factors"),
            (AlsParams { lambda: -0.1, ..d() }, "lambda"),
            (AlsParams { lambda: 100.5, ..d() }, "lambda"),
            (AlsParams { lambda: f64::NAN, ..d() }, "lambda"),
            (AlsParams { iters: 0, ..d() }, "iters"),
            (AlsParams { iters: 101, ..d() }, "iters"),
        ] {
            let err = p.check().expect_err("out of range");
            assert!(err.starts_with(&format!("{field}:")), "{err}");
            let r = films(1);
            let err = Als::new(&r, &[0, 1], &p).expect_err("refused");
            assert!(err.starts_with(&format!("{field}:")), "{err}");
        }
        // Defaults fill what a serialised form leaves out.
        let p: AlsParams = serde_json::from_str(r#"{"factors": 4}"#).expect("json");
        assert_eq!(p, AlsParams { factors: 4, ..d() });
    }

    #[test]
    fn serde_round_trip_predicts_the_same() {
        let (r, train, test) = films_split(2);
        let p = AlsParams { factors: 3, lambda: 0.3, iters: 7, seed: 5 };
        let p2: AlsParams = serde_json::from_str(&serde_json::to_string(&p).expect("json")).expect("json");
        assert_eq!(p, p2);
        let m = Als::fit(&r, &train, &p2).expect("valid");
        let back: Als = serde_json::from_str(&serde_json::to_string(&m).expect("json")).expect("json");
        assert_eq!(m, back);
        assert_eq!(back.check(), Ok(()));
        let mut bad = back.clone();
        bad.v.pop();
        assert!(bad.check().expect_err("short V").starts_with("factors:"));
        bad.step(&r, &train); // refused quietly, no panic
        assert!(bad.objective(&r, &train).is_nan());
        let bits = |m: &Als| -> Vec<u64> { m.matrix().concat().iter().map(|x| x.to_bits()).collect() };
        assert_eq!(bits(&m), bits(&back));
        assert_eq!(m.rmse(&r, &test).to_bits(), back.rmse(&r, &test).to_bits());
    }

    #[test]
    fn unrated_rows_and_zero_lambda_stay_finite() {
        // User 2 and item 2 have no training ratings: they predict μ. λ = 0 with k = 3 and rows of
        // one or two ratings is singular; the jitter keeps every factor finite.
        let r = Ratings::new(names("u", 3), names("i", 3), vec![(0, 0, 5.0), (0, 1, 3.0), (1, 0, 4.0), (1, 2, 1.0)])
            .expect("valid");
        let train = [0, 1, 2];
        let m = Als::fit(&r, &train, &AlsParams { factors: 3, lambda: 0.0, iters: 5, seed: 1 }).expect("valid");
        assert!(m.u.iter().chain(&m.v).all(|x| x.is_finite()));
        assert_eq!(m.predict(2, 0), m.mean);
        assert_eq!(m.predict(0, 2), m.mean);
        assert_eq!(m.predict(99, 0), m.mean);
        assert!(m.matrix().concat().iter().all(|&x| (m.lo..=m.hi).contains(&x)));
        assert!(m.rmse(&r, &[]).is_nan());
        assert!(Als::new(&r, &[], &AlsParams::default()).expect_err("empty").starts_with("train:"));
        assert!(Als::new(&r, &[7], &AlsParams::default()).expect_err("range").starts_with("train:"));
    }
}
