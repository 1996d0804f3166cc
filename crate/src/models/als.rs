//! The matrix-factorisation recommender (`crate::recommend::Als`) as a regression model: it
//! reads exactly two inputs, the user and the item (as the ratings dataset's label-encoded
//! `user` and `film`), and predicts the rating. Each distinct value of an input is one user
//! (or item), so the model does not care how the codes were scaled: the same code always
//! becomes the same standardised number. A value the model never saw in training gets the mean
//! rating, as a recommender does for a newcomer. Each `Trainer` step is one ALS sweep.

use super::schema::{float, int, Setting};
use super::{param_error, Data, Model, ParamError};
use crate::data::films::Ratings;
use crate::recommend::{Als, AlsParams};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlsSettings {
    /// Latent factors per user and per item.
    pub factors: usize,
    /// Ridge penalty, weighted by each user's and item's number of ratings.
    pub lambda: f64,
    /// Sweeps (each solves every user, then every item).
    pub iters: usize,
}

/// Chosen on the film ratings: within 0.02 stars of the best test RMSE with half or 80 % of
/// the ratings for training (0.78 and 0.69, against 0.95 and 0.94 for the mean rating).
impl Default for AlsSettings {
    fn default() -> Self {
        AlsSettings { factors: 3, lambda: 0.2, iters: 20 }
    }
}

pub const SETTINGS: &[Setting] = &[
    int("factors", "Factors", 1, 10, "Numbers describing each user's taste and each item's traits."),
    float("lambda", "Lambda (λ)", 0.0, 100.0, "Penalty on the factors' size, per rating: larger keeps them modest."),
    int("iters", "Iterations", 1, 100, "Alternating sweeps: all users, then all items; one per frame."),
];

/// A fitted recommender with the input values it knows as users and items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlsModel {
    /// Distinct values of the first input (users), ascending; user i is `users[i]`.
    pub users: Vec<f64>,
    /// Distinct values of the second input (items), ascending.
    pub items: Vec<f64>,
    pub als: Als,
}

/// The distinct values of a column, ascending (by total order, so the lookup is exact).
fn keys(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut k: Vec<f64> = values.collect();
    k.sort_by(f64::total_cmp);
    k.dedup_by(|a, b| a.to_bits() == b.to_bits());
    k
}

/// The index of `v` among `keys`: an exact match, or for a point between codes (the view's grid)
/// the nearest key within half the smallest gap between keys, so a code never seen in training
/// (at least a whole gap away) stays unknown.
fn lookup(keys: &[f64], v: f64) -> Option<usize> {
    if let Ok(i) = keys.binary_search_by(|k| k.total_cmp(&v)) {
        return Some(i);
    }
    let gap = keys.windows(2).map(|w| w[1] - w[0]).fold(f64::INFINITY, f64::min);
    let half = if gap.is_finite() { gap / 2.0 } else { 0.5 };
    let i = keys.partition_point(|&k| k < v);
    [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter_map(|j| keys.get(j).map(|&k| (j, (k - v).abs())))
        .filter(|&(_, d)| d < half)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(j, _)| j)
}

/// The ratings table the training rows make: one entry per row.
fn ratings(data: &Data) -> Result<(Vec<f64>, Vec<f64>, Ratings), ParamError> {
    let (rows, cols) = data.x.dim();
    if cols != 2 {
        return param_error(
            "data",
            format!(
                "the recommender reads exactly two inputs, the user and the item (as the ratings dataset's user and film); this data has {cols}. Leave the other columns out."
            ),
        );
    }
    let users = keys(data.x.column(0).iter().copied());
    let items = keys(data.x.column(1).iter().copied());
    if rows > 1 && (users.len() == rows || items.len() == rows) {
        return param_error(
            "data",
            format!(
                "every training row has its own {} ({rows} rows, {rows} values), so there is nothing to learn a taste from: the recommender needs a ratings table where users and items repeat",
                if users.len() == rows { "user" } else { "item" }
            ),
        );
    }
    let index = |k: &[f64], v: f64| k.binary_search_by(|x| x.total_cmp(&v)).unwrap_or(0);
    let entries =
        data.x.rows().into_iter().zip(data.y).map(|(r, &y)| (index(&users, r[0]), index(&items, r[1]), y)).collect();
    let table =
        Ratings { users: users.len(), items: items.len(), user_names: Vec::new(), item_names: Vec::new(), entries };
    Ok((users, items, table))
}

fn als_params(p: &AlsSettings, seed: u64) -> AlsParams {
    AlsParams { factors: p.factors, lambda: p.lambda, iters: p.iters, seed }
}

/// Fits `iterations` sweeps from the seeded start.
pub fn fit(p: &AlsSettings, data: &Data, seed: u64, iterations: usize) -> Result<AlsModel, ParamError> {
    let (users, items, table) = ratings(data)?;
    let train: Vec<usize> = (0..table.entries.len()).collect();
    let mut als =
        Als::new(&table, &train, &als_params(p, seed)).map_err(|m| ParamError { field: "model", message: m })?;
    for _ in 0..iterations {
        als.step(&table, &train);
    }
    Ok(AlsModel { users, items, als })
}

/// Continues a fit to `iterations` sweeps in all (the same model `fit` gives for that count).
pub fn continue_fit(mut model: AlsModel, data: &Data, iterations: usize) -> Result<AlsModel, ParamError> {
    let (users, items, table) = ratings(data)?;
    if users != model.users || items != model.items {
        return param_error("data", "the training rows changed while the recommender was fitting");
    }
    let train: Vec<usize> = (0..table.entries.len()).collect();
    while model.als.sweeps < iterations {
        model.als.step(&table, &train);
    }
    Ok(model)
}

impl AlsModel {
    /// The predicted rating of the user and item an input row names (the mean for a stranger).
    pub fn predict_one(&self, user: f64, item: f64) -> f64 {
        match (lookup(&self.users, user), lookup(&self.items, item)) {
            (Some(u), Some(i)) => self.als.predict(u, i),
            _ => self.als.predict(usize::MAX, usize::MAX),
        }
    }

    /// A model read from a file is whole (see `Als::check`) and knows as many users and items
    /// as it has factors for.
    pub fn check(&self) -> Result<(), String> {
        self.als.check()?;
        if self.users.len() != self.als.users || self.items.len() != self.als.items {
            return Err(format!(
                "users/items: {} and {} values for {} and {} rows of factors",
                self.users.len(),
                self.items.len(),
                self.als.users,
                self.als.items
            ));
        }
        Ok(())
    }
}

/// The user × item table the page draws: every user's predicted rating of every item (in the
/// target's units), and which cells were rated in the training and the test part.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingMatrix {
    pub users: Vec<String>,
    pub items: Vec<String>,
    /// predicted[u][i], in the target's units.
    pub predicted: Vec<Vec<f64>>,
    /// (user, item, rating, in the test part) of every rated cell.
    pub rated: Vec<(usize, usize, f64, bool)>,
}

/// How a label-encoded input maps level index c to the model's input: (c − mean) / scale.
#[derive(Debug, Clone, Copy)]
pub struct Coding {
    pub mean: f64,
    pub scale: f64,
}

impl Coding {
    fn input(self, level: usize) -> f64 {
        (level as f64 - self.mean) / self.scale
    }
    fn level(self, input: f64) -> Option<usize> {
        let c = (input * self.scale + self.mean).round();
        (c.is_finite() && c >= 0.0).then_some(c as usize)
    }
}

impl AlsModel {
    /// The table for inputs coded by `codes` from the level names `names` (users, items), with
    /// targets turned back to their units by `unscale`; `rows` are (input row, target, test?).
    pub fn rating_matrix<'a>(
        &self,
        names: [&[String]; 2],
        codes: [Coding; 2],
        unscale: impl Fn(f64) -> f64,
        rows: impl Iterator<Item = (ndarray::ArrayView1<'a, f64>, f64, bool)>,
    ) -> RatingMatrix {
        let predicted = (0..names[0].len())
            .map(|u| {
                (0..names[1].len()).map(|i| unscale(self.predict_one(codes[0].input(u), codes[1].input(i)))).collect()
            })
            .collect();
        let rated = rows
            .filter_map(|(x, y, test)| {
                let (u, i) = (codes[0].level(*x.get(0)?)?, codes[1].level(*x.get(1)?)?);
                (u < names[0].len() && i < names[1].len()).then(|| (u, i, unscale(y), test))
            })
            .collect();
        RatingMatrix { users: names[0].to_vec(), items: names[1].to_vec(), predicted, rated }
    }
}

impl Model for AlsModel {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        let p = &m.als.params;
        let (k, users, items, done, total) = (p.factors, m.users.len(), m.items.len(), m.als.sweeps, p.iters);
        lines.push(if id {
            format!("{k} faktor selera untuk masing-masing dari {users} pengguna dan {items} item; setelah putaran {done} dari {total}.")
        } else {
            format!("{k} taste factors for each of {users} users and {items} items; after sweep {done} of {total}.")
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        if x.ncols() < 2 {
            return vec![self.als.predict(usize::MAX, usize::MAX); x.nrows()];
        }
        x.rows().into_iter().map(|r| self.predict_one(r[0], r[1])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::films::{films, split};
    use crate::data::Task;
    use ndarray::Array2;

    /// The `films` table as model data: (user code, item code) rows and ratings, scaled as the
    /// table preprocessing scales them, so the lookup must not depend on the codes being whole.
    fn as_data(seed: u64) -> (Ratings, Array2<f64>, Vec<f64>) {
        let r = films(seed);
        let x = Array2::from_shape_fn((r.entries.len(), 2), |(t, j)| {
            let (u, i, _) = r.entries[t];
            if j == 0 {
                (u as f64 - 19.5) / 11.5
            } else {
                (i as f64 - 11.5) / 6.9
            }
        });
        let y = r.entries.iter().map(|e| e.2).collect();
        (r, x, y)
    }

    #[test]
    fn the_model_is_the_recommender_fitted_on_the_same_ratings() {
        let (r, x, y) = as_data(1);
        let (train, _) = split(&r, 80.0, 3);
        let xt = x.select(ndarray::Axis(0), &train);
        let yt: Vec<f64> = train.iter().map(|&t| y[t]).collect();
        let data = Data { x: xt.view(), y: &yt, task: Task::Regression };
        let p = AlsSettings { factors: 3, lambda: 0.3, iters: 15 };
        let model = fit(&p, &data, 5, 15).expect("fits");
        let direct = Als::fit(&r, &train, &als_params(&p, 5)).expect("fits");
        // Users and items are renumbered in order of their codes, which keeps the order here.
        assert_eq!(model.users.len(), direct.users);
        let all = model.predict(x.view());
        for (t, &(u, i, _)) in r.entries.iter().enumerate() {
            assert_eq!(all[t].to_bits(), direct.predict(u, i).to_bits(), "entry {t}");
        }
        // Continuing a shorter fit gives the same bits as fitting at once.
        let part = fit(&p, &data, 5, 6).expect("fits");
        assert_eq!(continue_fit(part, &data, 15).expect("continues"), model);
    }

    #[test]
    fn strangers_get_the_mean_and_points_between_codes_the_nearest() {
        let (_, x, y) = as_data(2);
        let data = Data { x: x.view(), y: &y, task: Task::Regression };
        let model = fit(&AlsSettings::default(), &data, 1, 10).expect("fits");
        let mean = model.als.mean.clamp(model.als.lo, model.als.hi);
        let (u, i) = (model.users[3], model.items[5]);
        assert_eq!(model.predict_one(u, i), model.predict_one(u + 0.01, i - 0.01));
        assert_eq!(model.predict_one(99.0, i), mean);
        assert_eq!(model.predict_one(u, f64::NAN), mean);
    }

    #[test]
    fn data_that_is_not_a_ratings_table_is_refused_with_a_reason() {
        let x = Array2::from_shape_fn((6, 3), |(i, j)| (i + j) as f64);
        let y = vec![1.0; 6];
        let e = fit(&AlsSettings::default(), &Data { x: x.view(), y: &y, task: Task::Regression }, 1, 1)
            .expect_err("three inputs");
        assert!(e.message.contains("exactly two inputs"), "{e}");
        let x = Array2::from_shape_fn((6, 2), |(i, j)| (i * 2 + j) as f64);
        let e = fit(&AlsSettings::default(), &Data { x: x.view(), y: &y, task: Task::Regression }, 1, 1)
            .expect_err("no repeats");
        assert!(e.message.contains("users and items repeat"), "{e}");
    }
}
