//! The film ratings: a sparse users × items table of (user, item, rating) entries
//! (`Ratings`), a seeded synthetic one (`films`: invented film titles in four genres, users with
//! genre tastes, about 35 % of the cells rated) and a per-user split of its entries (`split`),
//! as recommenders are evaluated. The recommender that learns from it is `crate::recommend`.

use crate::data::rng::{Purpose, Rng};
use serde::{Deserialize, Serialize};

/// A sparse ratings table: `entries` are (user index, item index, rating).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    pub users: usize,
    pub items: usize,
    pub user_names: Vec<String>,
    pub item_names: Vec<String>,
    pub entries: Vec<(usize, usize, f64)>,
}

impl Ratings {
    /// A table with one user per name and one item per name; refuses entries whose indices
    /// are out of range, whose rating is not finite, or that rate the same (user, item) twice.
    pub fn new(
        user_names: Vec<String>,
        item_names: Vec<String>,
        entries: Vec<(usize, usize, f64)>,
    ) -> Result<Ratings, String> {
        let (users, items) = (user_names.len(), item_names.len());
        for (n, &(u, i, r)) in entries.iter().enumerate() {
            if u >= users {
                return Err(format!("entries[{n}]: user index {u} is out of range (there are {users} users)"));
            }
            if i >= items {
                return Err(format!("entries[{n}]: item index {i} is out of range (there are {items} items)"));
            }
            if !r.is_finite() {
                return Err(format!("entries[{n}]: rating {r} is not a finite number"));
            }
        }
        let mut pairs: Vec<(usize, usize, usize)> =
            entries.iter().enumerate().map(|(n, &(u, i, _))| (u, i, n)).collect();
        pairs.sort_unstable();
        if let Some(w) = pairs.windows(2).find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)) {
            return Err(format!(
                "entries[{}] and entries[{}]: user {} rates item {} twice",
                w[0].2, w[1].2, w[0].0, w[0].1
            ));
        }
        Ok(Ratings { users, items, user_names, item_names, entries })
    }
}

/// The genres of `films`, in the order `FILMS` refers to them.
pub const GENRES: [&str; 4] = ["Science fiction", "Romance", "Horror", "Comedy"];

/// The 24 films of `films`: an invented title (any likeness to a real film is chance) and its
/// genre (an index into `GENRES`).
pub const FILMS: [(&str, usize); 24] = [
    ("The Glass Orbit", 0),
    ("Signal from Kepler Deep", 0),
    ("Rustlight", 0),
    ("The Last Cartographer of Mars", 0),
    ("Quiet Engines", 0),
    ("Parallax Run", 0),
    ("Letters to Lisbon", 1),
    ("A Summer in Ravello", 1),
    ("The Bookshop on Elm Lane", 1),
    ("Second Spring in Kyoto", 1),
    ("The Ferryman's Daughter", 1),
    ("Waltz for Two Strangers", 1),
    ("The Hollow Under Ashford", 2),
    ("The Drowned Choir", 2),
    ("The Whispering Pantry", 2),
    ("The Ninth Lantern", 2),
    ("Cold Creek Road", 2),
    ("Mother of Moths", 2),
    ("Uncle Barry's Big Week", 3),
    ("The Wrong Wedding", 3),
    ("Parking Wars of Pemberton", 3),
    ("Llama Drama", 3),
    ("Two Chefs Too Many", 3),
    ("Office Party Apocalypse", 3),
];

/// The 40 (invented) raters of `films`.
const USERS: [&str; 40] = [
    "Amira", "Budi", "Chen", "Dara", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo",
    "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sari", "Tomás", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko",
    "Bruno", "Chidi", "Dewi", "Emil", "Fatima", "Gabriel", "Hana", "Ivan", "Jamal", "Kiri", "Lucía", "Malik", "Putri",
];

/// How each genre (in `GENRES` order) loads on the two axes of taste in `films`: "thrills
/// versus feelings" and "light versus dark".
const LOADINGS: [(f64, f64); 4] = [(0.9, 0.2), (-0.8, 0.3), (0.7, -0.7), (-0.2, 0.9)];

/// Fewest ratings `films` gives each user and each film (as MovieLens keeps only users with
/// enough ratings).
const MIN_RATINGS: usize = 5;

/// A seeded synthetic ratings table: 40 users × 24 films (6 in each of 4 genres), ratings 1 to 5
/// in half steps, about 35 % of the cells rated; the same table for the same seed.
///
/// Each user has a generosity (standard deviation 0.25) and a position on two axes of taste
/// (standard normal), which through `LOADINGS` give a taste for each genre; each film has a
/// quality (0.3). A rating is 3.3 + generosity + taste for the film's genre + quality + noise
/// (0.35), rounded to a half step and clamped to 1..5. People watch more of what they like (a
/// cell is rated with probability 0.35 + 0.15 × taste, within 0.05..0.8), and every user and
/// film has at least 5 ratings.
pub fn films(seed: u64) -> Ratings {
    let mut rng = Rng::new(seed, Purpose::Data);
    let (users, items) = (USERS.len(), FILMS.len());
    let quality: Vec<f64> = FILMS.iter().map(|_| 0.3 * rng.normal()).collect();
    // Every cell's would-be rating, and whether it was rated.
    let mut value = vec![0.0; users * items];
    let mut rated = vec![false; users * items];
    for u in 0..users {
        let generosity = 0.25 * rng.normal();
        let (a, b) = (rng.normal(), rng.normal());
        let taste: [f64; 4] = std::array::from_fn(|g| a * LOADINGS[g].0 + b * LOADINGS[g].1);
        for (f, &(_, g)) in FILMS.iter().enumerate() {
            let noise = 0.35 * rng.normal();
            let raw = 3.3 + generosity + taste[g] + quality[f] + noise;
            value[u * items + f] = ((raw * 2.0).round() / 2.0).clamp(1.0, 5.0);
            rated[u * items + f] = rng.unit() < (0.35 + 0.15 * taste[g]).clamp(0.05, 0.8);
        }
    }
    // Top up users, then films, with too few ratings by rating random unrated cells.
    for u in 0..users {
        while (0..items).filter(|&f| rated[u * items + f]).count() < MIN_RATINGS {
            rated[u * items + rng.index(items)] = true;
        }
    }
    for f in 0..items {
        while (0..users).filter(|&u| rated[u * items + f]).count() < MIN_RATINGS {
            rated[rng.index(users) * items + f] = true;
        }
    }
    let entries = (0..users * items).filter(|&c| rated[c]).map(|c| (c / items, c % items, value[c])).collect();
    Ratings {
        users,
        items,
        user_names: USERS.iter().map(|s| s.to_string()).collect(),
        item_names: FILMS.iter().map(|(t, _)| t.to_string()).collect(),
        entries,
    }
}

/// Seeded random split of the entries: (training indices, test indices), each ascending. Each
/// user's ratings are split apart (`train_percent`, clamped to 0..100, of them, rounded, go to
/// training), so every user with a few ratings is in both parts, as recommenders are evaluated.
pub fn split(ratings: &Ratings, train_percent: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let share = if train_percent.is_nan() { 0.0 } else { train_percent.clamp(0.0, 100.0) / 100.0 };
    let mut rng = Rng::new(seed, Purpose::Split);
    let mut by_user = vec![Vec::new(); ratings.users];
    for (t, &(u, _, _)) in ratings.entries.iter().enumerate() {
        if let Some(list) = by_user.get_mut(u) {
            list.push(t);
        }
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for mut list in by_user {
        rng.shuffle(&mut list);
        let n_train = ((list.len() as f64 * share).round() as usize).min(list.len());
        train.extend_from_slice(&list[..n_train]);
        test.extend_from_slice(&list[n_train..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i}")).collect()
    }

    #[test]
    fn films_is_deterministic_and_shaped_as_stated() {
        assert_eq!(films(7), films(7));
        assert_ne!(films(7).entries, films(8).entries);
        for seed in 1..=20 {
            let r = films(seed);
            assert_eq!((r.users, r.items, r.user_names.len(), r.item_names.len()), (40, 24, 40, 24));
            let density = r.entries.len() as f64 / (40.0 * 24.0);
            assert!((0.30..=0.40).contains(&density), "seed {seed}: {density}");
            for &(_, _, v) in &r.entries {
                assert!((1.0..=5.0).contains(&v) && (v * 2.0).fract() == 0.0, "{v}");
            }
            for u in 0..40 {
                assert!(r.entries.iter().filter(|e| e.0 == u).count() >= MIN_RATINGS);
            }
            for i in 0..24 {
                assert!(r.entries.iter().filter(|e| e.1 == i).count() >= MIN_RATINGS);
            }
            // A valid table by the constructor's checks too.
            assert!(Ratings::new(r.user_names.clone(), r.item_names.clone(), r.entries.clone()).is_ok());
        }
        // Four genres of six films each.
        for g in 0..GENRES.len() {
            assert_eq!(FILMS.iter().filter(|f| f.1 == g).count(), 6);
        }
    }

    #[test]
    fn ratings_and_split_are_checked() {
        let err = Ratings::new(names("u", 2), names("i", 2), vec![(2, 0, 3.0)]).expect_err("user");
        assert!(err.contains("user index 2"), "{err}");
        let err = Ratings::new(names("u", 2), names("i", 2), vec![(0, 5, 3.0)]).expect_err("item");
        assert!(err.contains("item index 5"), "{err}");
        let err = Ratings::new(names("u", 2), names("i", 2), vec![(0, 0, f64::NAN)]).expect_err("finite");
        assert!(err.contains("finite"), "{err}");
        let err =
            Ratings::new(names("u", 2), names("i", 2), vec![(0, 1, 3.0), (1, 1, 2.0), (0, 1, 4.0)]).expect_err("twice");
        assert!(err.contains("entries[0] and entries[2]"), "{err}");

        let r = films(4);
        let (train, test) = split(&r, 75.0, 11);
        for u in 0..r.users {
            let n = r.entries.iter().filter(|e| e.0 == u).count();
            let n_train = train.iter().filter(|&&t| r.entries[t].0 == u).count();
            assert_eq!(n_train, (n as f64 * 0.75).round() as usize, "user {u}");
        }
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..r.entries.len()).collect::<Vec<_>>());
        assert_eq!(split(&r, 75.0, 11), (train.clone(), test));
        assert_ne!(split(&r, 75.0, 12).0, train);
        assert_eq!(split(&r, 100.0, 1).1.len(), 0);
        assert_eq!(split(&r, f64::NAN, 1).0.len(), 0);
    }
}
