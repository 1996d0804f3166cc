//! The real datasets shipped inside the app (no download at run time), each with its source,
//! licence and default framing. Iris, red wine quality and linnerud come from the
//! `linfa-datasets` crate; diabetes (raw values, all 442 rows: linfa-datasets' copy is scaled
//! and loses its first row to a header it does not have), the 8×8 digits and the Palmer
//! penguins are derived once by `scripts/datasets.py` into `crate/data/` (see its README).

use super::table::{read_csv, Column, CsvOptions, Table, Values};
use super::tabular::{Framing, TableSpec, ViewAxes};
use std::io::Read;
use std::sync::OnceLock;

#[derive(Debug)]
pub struct Builtin {
    /// The link's `data=` value.
    pub id: &'static str,
    pub name: &'static str,
    pub about: &'static str,
    pub source: &'static str,
    pub licence: &'static str,
    pub target: &'static str,
    pub framing: Framing,
    /// Columns left out of the inputs by default (other targets of a multi-target set).
    pub exclude: &'static [&'static str],
    /// 8×8 images: the views can show rows as pictures.
    pub image: Option<(usize, usize)>,
    /// Text columns encoded as one number per level by default (ids with too many levels to
    /// one-hot).
    pub label_encoded: &'static [&'static str],
    /// The two inputs (by their encoded names) the 2-D view shows by default (else the
    /// principal components).
    pub view: Option<(&'static str, &'static str)>,
    #[cfg(feature = "full")]
    load: fn() -> Table,
}

pub const BUILTINS: [Builtin; 7] = [
    Builtin {
        id: "iris",
        name: "Iris flowers",
        about: "150 flowers of three iris species, four measurements each (cm).",
        source: "R. A. Fisher (1936), via the UCI repository and the linfa-datasets crate",
        licence: "CC BY 4.0 (UCI); crate MIT or Apache-2.0",
        target: "species",
        framing: Framing::Classification,
        exclude: &[],
        image: None,
        label_encoded: &[],
        view: None,
        #[cfg(feature = "full")]
        load: iris,
    },
    Builtin {
        id: "penguins",
        name: "Palmer penguins",
        about: "344 penguins of three species: island, bill, flipper, mass, sex. Has text columns and missing values.",
        source: "Gorman, Williams & Fraser (2014), Palmer Station LTER, via the palmerpenguins package",
        licence: "CC0 1.0",
        target: "species",
        framing: Framing::Classification,
        exclude: &[],
        image: None,
        label_encoded: &[],
        view: None,
        #[cfg(feature = "full")]
        load: || gz_csv(include_bytes!("../../data/penguins.csv.gz")),
    },
    Builtin {
        id: "wine",
        name: "Red wine quality",
        about: "1,599 Portuguese red wines: 11 chemical measurements and a quality score from 3 to 8.",
        source: "Cortez et al. (2009), via the UCI repository and the linfa-datasets crate",
        licence: "CC BY 4.0 (UCI); crate MIT or Apache-2.0",
        target: "quality",
        framing: Framing::Classification,
        exclude: &[],
        image: None,
        label_encoded: &[],
        view: None,
        #[cfg(feature = "full")]
        load: wine,
    },
    Builtin {
        id: "diabetes",
        name: "Diabetes progression",
        about: "442 patients: age, sex, body mass index, blood pressure and six blood serum measurements; the target is disease progression one year later.",
        source: "Efron, Hastie, Johnstone & Tibshirani (2004), via scikit-learn",
        licence: "BSD-3-Clause (scikit-learn)",
        target: "progression",
        framing: Framing::Regression,
        exclude: &[],
        image: None,
        label_encoded: &[],
        view: None,
        #[cfg(feature = "full")]
        load: || gz_csv(include_bytes!("../../data/diabetes.csv.gz")),
    },
    Builtin {
        id: "linnerud",
        name: "Linnerud fitness",
        about: "20 middle-aged men: three exercises (chins, sit-ups, jumps) and three body measurements.",
        source: "Tenenhaus (1998), via the linfa-datasets crate",
        licence: "MIT or Apache-2.0 (crate)",
        target: "Weight",
        framing: Framing::Regression,
        exclude: &["Waist", "Pulse"],
        image: None,
        label_encoded: &[],
        view: None,
        #[cfg(feature = "full")]
        load: linnerud,
    },
    Builtin {
        id: "digits",
        name: "Handwritten digits (8×8)",
        about: "1,797 images of handwritten digits 0–9, 8×8 pixels with values 0–16.",
        source: "Alpaydin & Kaynak (1998), UCI optical digits, via scikit-learn",
        licence: "CC BY 4.0 (UCI); BSD-3-Clause (scikit-learn)",
        target: "digit",
        framing: Framing::Classification,
        exclude: &[],
        image: Some((8, 8)),
        label_encoded: &[],
        view: None,
        #[cfg(feature = "full")]
        load: || gz_csv(include_bytes!("../../data/digits.csv.gz")),
    },
    Builtin {
        id: "ratings",
        name: "Film ratings (users × films)",
        about: "Ratings from 1 to 5 stars that 40 people gave 24 films of four genres; about two pairs in three are unrated. For the recommender.",
        source: "Generated by Latih (recommend::films, seed 1): invented people and titles with genre tastes",
        licence: "Latih's own (the app's licence)",
        target: "rating",
        framing: Framing::Regression,
        exclude: &["genre"],
        image: None,
        label_encoded: &["user", "film"],
        view: Some(("user (code)", "film (code)")),
        #[cfg(feature = "full")]
        load: ratings,
    },
];

pub fn find(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}

impl Builtin {
    /// The table, parsed on first use and kept.
    #[cfg(feature = "full")]
    pub fn table(&'static self) -> &'static Table {
        static CACHE: [OnceLock<Table>; 7] = [const { OnceLock::new() }; 7];
        let i = BUILTINS.iter().position(|b| b.id == self.id).unwrap_or(0);
        CACHE[i].get_or_init(self.load)
    }

    /// The playground build ships no tables (it refuses experiments on them, `NEEDS_FULL`):
    /// an empty one stands in where a link's settings are read.
    #[cfg(not(feature = "full"))]
    pub fn table(&'static self) -> &'static Table {
        static EMPTY: OnceLock<Table> = OnceLock::new();
        EMPTY.get_or_init(Table::default)
    }
}

/// The choices a dataset starts with: its target and framing, its default exclusions, label
/// encodings and view.
impl Builtin {
    pub fn spec(&'static self) -> TableSpec {
        let mut spec = TableSpec::for_table(self.id, self.table(), Some(self.target), self.exclude);
        spec.label_encoded = self.label_encoded.iter().map(|s| s.to_string()).collect();
        if let Some((a, b)) = self.view {
            spec.view = ViewAxes::Pair(a.into(), b.into());
        }
        spec
    }
}

/// The `films` ratings in long form: one row per rating (user, film, genre, rating), text
/// columns with sorted levels as every table has.
fn ratings() -> Table {
    let r = super::films::films(1);
    let text = |name: &str, of: &dyn Fn(usize, usize) -> String| {
        let values: Vec<String> = r.entries.iter().map(|&(u, i, _)| of(u, i)).collect();
        let mut levels = values.clone();
        levels.sort();
        levels.dedup();
        let codes = values.iter().map(|v| levels.binary_search(v).unwrap_or(0) as u32).collect();
        Column { name: name.into(), values: Values::Text { codes, levels } }
    };
    let columns = vec![
        text("user", &|u, _| r.user_names[u].clone()),
        text("film", &|_, i| r.item_names[i].clone()),
        text("genre", &|_, i| super::films::GENRES[super::films::FILMS[i].1].to_string()),
        Column::numeric("rating", r.entries.iter().map(|e| e.2).collect()),
    ];
    Table { rows: r.entries.len(), columns }
}

/// A gzipped CSV shipped with the app (its content is fixed, so a failure is a build bug and
/// yields an empty table rather than a panic).
fn gz_csv(bytes: &[u8]) -> Table {
    let mut text = Vec::new();
    if flate2::read::GzDecoder::new(bytes).read_to_end(&mut text).is_err() {
        return Table::default();
    }
    read_csv(&text, CsvOptions { delimiter: Some(b','), header: Some(true) }).map(|p| p.table).unwrap_or_default()
}

/// A table from a linfa dataset's records, feature names and target column.
fn from_linfa(records: ndarray::ArrayView2<f64>, names: &[String], target: Column) -> Table {
    let mut columns: Vec<Column> =
        records.columns().into_iter().zip(names).map(|(c, n)| Column::numeric(n, c.to_vec())).collect();
    columns.push(target);
    Table { rows: records.nrows(), columns }
}

fn iris() -> Table {
    let d = linfa_datasets::iris();
    let levels = ["setosa", "versicolor", "virginica"].map(String::from).to_vec();
    let codes = d.targets().iter().map(|&t| t as u32).collect();
    let names: Vec<String> = d.feature_names().iter().map(|n| format!("{n} (cm)")).collect();
    from_linfa(d.records().view(), &names, Column { name: "species".into(), values: Values::Text { codes, levels } })
}

fn wine() -> Table {
    let d = linfa_datasets::winequality();
    let quality = d.targets().iter().map(|&t| t as f64).collect();
    from_linfa(d.records().view(), d.feature_names(), Column::numeric("quality", quality))
}

fn linnerud() -> Table {
    let d = linfa_datasets::linnerud();
    let mut t =
        from_linfa(d.records().view(), d.feature_names(), Column::numeric("Weight", d.targets().column(0).to_vec()));
    for (i, name) in ["Waist", "Pulse"].into_iter().enumerate() {
        t.columns.push(Column::numeric(name, d.targets().column(i + 1).to_vec()));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_with_its_target_and_shape() {
        let shapes = [
            ("iris", 150, 5),
            ("penguins", 344, 8),
            ("wine", 1599, 12),
            ("diabetes", 442, 11),
            ("linnerud", 20, 6),
            ("digits", 1797, 65),
            ("ratings", crate::data::films::films(1).entries.len(), 4),
        ];
        for (id, rows, cols) in shapes {
            let b = find(id).expect("registered");
            let t = b.table();
            assert_eq!((t.rows, t.columns.len()), (rows, cols), "{id}");
            assert!(t.column(b.target).is_some(), "{id} lacks its target {}", b.target);
            assert!(t.columns.iter().all(|c| match &c.values {
                Values::Numeric(v) => v.len() == rows,
                Values::Text { codes, .. } => codes.len() == rows,
            }));
            for e in b.exclude {
                assert!(t.column(e).is_some(), "{id}: {e}");
            }
        }
        let iris = find("iris").expect("iris").table();
        assert_eq!(iris.column("species").and_then(|c| c.text(149)).as_deref(), Some("virginica"));
        let digits = find("digits").expect("digits").table();
        assert!(digits.columns.iter().all(Column::is_numeric));
    }
}
