use super::*;
use crate::experiment::{MAX_SAMPLES, MIN_SAMPLES};
use crate::models::mlp::{Activation, Optimizer, Regularization, MAX_BATCH};
use proptest::prelude::*;

#[test]
fn default_link_is_readable_and_round_trips() {
    let e = Experiment::default();
    let link = encode(&e);
    assert_eq!(
        link,
        "v=1&data=circle&classes=3&samples=500&noise=0&train=50&dseed=1&features=x1,x2&hidden=4,2&act=tanh&opt=sgd&lr=0.03&batch=10&reg=none&rate=0&seed=1&stop=0&test=0&discrete=0&model=mlp"
    );
    let d = decode(&format!("#{link}"));
    assert_eq!(d.experiment, e);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
}

/// The default experiment's keys, in canonical order.
const KEYS_OF_DEFAULT: [&str; 20] = [
    "v", "data", "classes", "samples", "noise", "train", "dseed", "features", "hidden", "act", "opt", "lr", "batch",
    "reg", "rate", "seed", "stop", "test", "discrete", "model",
];
/// A table's settings, written right after `data`.
const TABLE_KEYS: [&str; 6] = ["target", "framing", "missing", "labelenc", "exclude", "view"];

#[test]
fn keys_are_encoded_in_canonical_order() {
    let link = encode(&Experiment::default());
    let keys: Vec<&str> = link.split('&').map(|p| p.split('=').next().unwrap_or("")).collect();
    assert_eq!(keys, KEYS_OF_DEFAULT);
    // A table's settings follow `data`.
    let e = decode("v=1&data=iris").experiment;
    let link = encode(&e);
    let keys: Vec<&str> = link.split('&').map(|p| p.split('=').next().unwrap_or("")).collect();
    let want: Vec<&str> =
        KEYS_OF_DEFAULT[..2].iter().chain(&TABLE_KEYS).chain(&KEYS_OF_DEFAULT[2..]).copied().collect();
    assert_eq!(keys, want);
}

#[test]
fn drawn_points_and_small_csv_files_travel_in_the_link() {
    let mut d = Drawn::default();
    for i in 0..300 {
        let f = f64::from(i);
        assert!(d.add(f.sin() * 5.0, f.cos() * 4.123_456, f64::from(i % 3), 3));
    }
    let e = Experiment { drawn: Some(d), classes: 3, ..Experiment::default() };
    let link = encode(&e);
    assert!(link.contains("data=drawn") && link.contains("&points="), "{link}");
    assert!(link.len() < MAX_FRAGMENT, "{}", link.len());
    let back = decode(&link);
    assert!(back.notices.is_empty(), "{:?}", back.notices);
    assert_eq!(back.experiment, e);
    let csv = b"a,b,y\n1,2,x\n3,4,z\n";
    let packed = payload::pack(csv).expect("small");
    let back = decode(&format!("v=1&data=csv&target=y&csv={packed}"));
    assert_eq!(back.csv.as_deref(), Some(&csv[..]));
    let bad = decode("v=1&data=drawn&points=%%%");
    assert!(bad.notices.iter().any(|n| n.contains("drawn points")), "{:?}", bad.notices);
    assert_eq!(bad.experiment.drawn, Some(Drawn::default()));
}

#[test]
fn table_links_round_trip_and_repair_bad_columns() {
    let link = "v=1&data=penguins&target=sex&framing=classification&missing=drop&labelenc=island&exclude=year&view=bill_length_mm,body_mass_g";
    let d = decode(link);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let t = d.experiment.table.clone().expect("a table");
    assert_eq!((t.target.as_str(), t.missing, t.exclude.as_slice()), ("sex", Missing::Drop, &["year".to_string()][..]));
    assert_eq!(t.view, ViewAxes::Pair("bill_length_mm".into(), "body_mass_g".into()));
    assert_eq!(decode(&encode(&d.experiment)).experiment, d.experiment);
    // Names with spaces and separators survive; unknown columns and a text regression target are repaired.
    let d = decode("v=1&data=iris&target=species&framing=regression&exclude=sepal%20width%20(cm),nope");
    let t = d.experiment.table.clone().expect("a table");
    assert_eq!(t.framing, Framing::Classification);
    assert_eq!(t.exclude, ["sepal width (cm)"]);
    assert!(
        d.notices.iter().any(|n| n.contains("holds text")) && d.notices.iter().any(|n| n.contains("“nope”")),
        "{:?}",
        d.notices
    );
    assert!(encode(&d.experiment).contains("exclude=sepal%20width%20(cm)&"));
    // Table keys on generated data are reported, not silently used.
    let d = decode("v=1&data=xor&target=y");
    assert!(d.notices.iter().any(|n| n.contains("only apply to a table")));
}

#[test]
fn bad_values_are_clamped_or_defaulted_with_notices() {
    let d = decode("v=1&data=nope&samples=9999999&noise=-5&lr=abc&hidden=4,0,500&features=x1,zz&bogus=1&test=maybe");
    let e = &d.experiment;
    assert_eq!(e.data, Generator::Circle);
    assert_eq!(e.samples, MAX_SAMPLES);
    assert_eq!(e.noise, 0);
    assert_eq!(e.learning_rate, 0.03);
    assert_eq!(e.hidden, vec![4, 1, MAX_NEURONS]);
    assert_eq!(e.features, vec![Feature::X1]);
    assert!(!e.show_test);
    let all = d.notices.join("\n");
    for needle in
        ["data=nope", "samples=9999999", "noise=-5", "lr=abc", "0 neurons", "500 neurons", "zz", "bogus", "test=maybe"]
    {
        assert!(all.contains(needle), "no notice mentions {needle}: {all}");
    }
}

#[test]
fn missing_or_newer_version_is_reported() {
    assert!(decode("data=xor").notices.iter().any(|n| n.contains("no version")));
    let d = decode("v=7&data=xor");
    assert_eq!(d.experiment.data, Generator::Xor);
    assert!(d.notices.iter().any(|n| n.contains("version 7")));
}

#[test]
fn no_model_setting_shares_a_key_with_the_link_itself() {
    let link_keys: Vec<&str> = SETTINGS
        .iter()
        .map(|s| s.key)
        .chain(["points", "csv", "trained", "state", "embed", "show", "hide", "lang", "lesson", "lessonfile"])
        .collect();
    for m in MODELS {
        for setting in m.settings {
            assert!(!link_keys.contains(&setting.key), "{}'s “{}” is also a link key", m.id, setting.key);
        }
    }
}

#[test]
fn embed_display_settings_round_trip_and_unknown_names_are_reported() {
    let d = decode("v=1&data=xor&embed=1&show=output,model&hide=lr,play,bogus");
    assert!(d.display.embed);
    assert_eq!(d.display.show, ["model", "output"]);
    assert_eq!(d.display.hide, ["lr", "play"]);
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
    assert!(d.notices[0].contains("bogus"));
    let again = decode(&format!("{}{}", encode(&d.experiment), d.display.to_link()));
    assert_eq!(again.display, d.display);
    assert!(again.notices.is_empty(), "{:?}", again.notices);
    assert_eq!(decode("v=1&embed=1").display.panels(), EMBED_PANELS);
    assert_eq!(decode("v=1").display.panels(), PANELS);
    assert!(decode("v=1&show=data").notices.iter().any(|n| n.contains("embed=1")));
}

#[test]
fn language_and_lesson_keys_round_trip_and_bad_values_are_reported() {
    let d = decode("v=1&data=xor&lang=id&lesson=04-first-model");
    assert_eq!((d.display.lang.as_deref(), d.display.lesson.as_deref()), (Some("id"), Some("04-first-model")));
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let again = decode(&format!("{}{}", encode(&d.experiment), d.display.to_link()));
    assert_eq!(again.display, d.display);
    let packed = payload::pack("## A\n@experiment v=1&data=xor\n".as_bytes()).expect("packs");
    let d = decode(&format!("v=1&lessonfile={packed}"));
    assert_eq!(d.display.lesson_text().as_deref(), Some("## A\n@experiment v=1&data=xor\n"));
    let again = decode(&format!("v=1{}", d.display.to_link()));
    assert_eq!(again.display.lesson_text(), d.display.lesson_text());
    let d = decode("v=1&lang=fr&lesson=<script>&lessonfile=%%%");
    assert_eq!((d.display.lang.clone(), d.display.lesson.clone(), d.display.lesson_file.clone()), (None, None, None));
    assert_eq!(d.notices.len(), 3, "{:?}", d.notices);
}

#[test]
fn percent_encoded_links_decode() {
    let d = decode("v=1&features=x1%2Cx2%2Csinx1&hidden=8%2C8");
    assert_eq!(d.experiment.features, vec![Feature::X1, Feature::X2, Feature::SinX1]);
    assert_eq!(d.experiment.hidden, vec![8, 8]);
    assert!(d.notices.is_empty());
}

#[test]
fn too_many_layers_are_cut_with_a_notice() {
    let many = vec!["3"; 1000].join(",");
    let d = decode(&format!("v=1&hidden={many}"));
    assert_eq!(d.experiment.hidden.len(), MAX_HIDDEN_LAYERS);
    assert!(d.notices.iter().any(|n| n.contains("hidden layers")));
}

/// The experiment keys, the model names and every model setting's key.
fn all_keys() -> Vec<String> {
    let mut keys: Vec<String> = KEYS_OF_DEFAULT.iter().chain(&["trained", "state"]).map(|k| k.to_string()).collect();
    for m in MODELS {
        keys.extend(m.settings.iter().map(|s| s.key.to_string()));
    }
    keys
}

#[test]
fn model_settings_round_trip_and_bad_ones_are_reported() {
    let link = "v=1&data=moons&model=svm&kernel=poly&c=10&gamma=0.25&degree=4";
    let d = decode(link);
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    let map = d.experiment.model.to_map();
    assert_eq!(
        (map["kernel"].as_str(), map["c"].as_f64(), map["degree"].as_i64()),
        (Some("poly"), Some(10.0), Some(4))
    );
    assert!(encode(&d.experiment).ends_with("&model=svm&kernel=poly&c=10&gamma=0.25&degree=4"));
    let d = decode("v=1&data=moons&model=tree&depth=99&kernel=rbf&criterion=purity");
    assert_eq!(d.experiment.model.to_map()["depth"].as_i64(), Some(30));
    assert!(d.notices.iter().any(|n| n.contains("depth")), "{:?}", d.notices);
    assert!(d.notices.iter().any(|n| n.contains("kernel") && n.contains("not a setting")), "{:?}", d.notices);
    assert!(d.notices.iter().any(|n| n.contains("criterion")), "{:?}", d.notices);
    let d = decode("v=1&data=plane&model=logistic");
    assert_eq!(d.experiment.model, ModelParams::Mlp);
    assert!(d.notices.iter().any(|n| n.contains("does not fit regression")), "{:?}", d.notices);
    let d = decode("v=1&model=nonsense");
    assert_eq!(d.experiment.model, ModelParams::Mlp);
    assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
}

fn experiment_strategy() -> impl Strategy<Value = Experiment> {
    (
        (0usize..Generator::ALL.len(), 2usize..=6, MIN_SAMPLES..=MAX_SAMPLES, 0u32..=50, 10u32..=90, any::<u64>()),
        (
            proptest::sample::subsequence(Feature::ALL.to_vec(), 1..=7),
            proptest::collection::vec(1usize..=MAX_NEURONS, 0..=MAX_HIDDEN_LAYERS),
        ),
        (0usize..4, 0usize..3, 1e-6f64..=10.0, 1usize..=MAX_BATCH, 0usize..3, 0f64..=10.0),
        (any::<u64>(), 0u32..=10_000_000, any::<bool>(), any::<bool>(), 0usize..MODELS.len()),
    )
        .prop_map(
            |(
                (g, classes, samples, noise, train, dseed),
                (features, hidden),
                (a, o, lr, batch, r, rate),
                (seed, stop, test, discrete, m),
            )| {
                let mut e = Experiment {
                    data: Generator::ALL[g],
                    classes,
                    samples,
                    noise,
                    train_percent: train,
                    data_seed: dseed,
                    features,
                    hidden,
                    activation: Activation::ALL[a],
                    optimizer: Optimizer::ALL[o],
                    learning_rate: lr,
                    batch_size: batch,
                    regularization: Regularization::ALL[r],
                    reg_rate: rate,
                    seed,
                    stop_after: stop,
                    show_test: test,
                    discretize: discrete,
                    model: ModelParams::default_for(MODELS[m].id).unwrap_or_default(),
                    table: None,
                    drawn: None,
                    stratify: seed % 2 == 0,
                    folds: [0, 2, 5, 10][(dseed % 4) as usize],
                    search: None,
                };
                e.fit_model_to_task();
                e
            },
        )
}

/// A valid experiment on a shipped table (any target, framing, missing-value rule, encoded
/// and excluded columns, view) or on drawn points.
fn data_strategy() -> impl Strategy<Value = Experiment> {
    (
        experiment_strategy(),
        0usize..builtin::BUILTINS.len() + 1,
        (any::<u64>(), any::<bool>(), 0usize..4, any::<u64>(), any::<u64>(), any::<bool>()),
        proptest::collection::vec((-7.0f64..7.0, -7.0f64..7.0, -2.0f64..7.0), 0..60),
    )
        .prop_map(|(mut e, source, (t, regression, missing, enc, exc, pair), points)| {
            match builtin::BUILTINS.get(source) {
                Some(b) => {
                    let table = b.table();
                    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
                    let pick = |bits: u64| {
                        names
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| bits >> (i % 64) & 1 == 1)
                            .map(|(_, n)| n.clone())
                            .collect::<Vec<_>>()
                    };
                    let mut spec = TableSpec::for_table(b.id, table, Some(&names[t as usize % names.len()]), &[]);
                    spec.framing = if regression { Framing::Regression } else { Framing::Classification };
                    spec.missing = Missing::ALL[missing];
                    spec.label_encoded = pick(enc);
                    spec.exclude = pick(exc);
                    if pair {
                        spec.view = ViewAxes::Pair(names[0].clone(), names[names.len() - 1].clone());
                    }
                    spec.fit_to(table);
                    e.table = Some(spec);
                }
                None => {
                    let mut d = Drawn { regression, ..Drawn::default() };
                    for (x, y, t) in points {
                        d.add(x, y, t, e.classes);
                    }
                    e.drawn = Some(d);
                }
            }
            // The generator is not in a table's or drawing's link: it stays the default.
            e.data = Experiment::default().data;
            e.fit_model_to_task();
            e
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_experiment_round_trips_without_notices(e in experiment_strategy()) {
        let d = decode(&encode(&e));
        prop_assert!(d.notices.is_empty(), "{:?}", d.notices);
        prop_assert_eq!(d.experiment, e);
    }

    #[test]
    fn any_valid_table_or_drawing_round_trips_without_notices(e in data_strategy()) {
        let d = decode(&encode(&e));
        prop_assert!(d.notices.is_empty(), "{:?}", d.notices);
        prop_assert_eq!(d.experiment, e);
    }

    #[test]
    fn any_valid_experiment_round_trips_through_its_text(e in data_strategy()) {
        let text = text::to_text(&e, None);
        let read = text::from_text(&text, payload::LINK);
        prop_assert!(read.problems.is_empty(), "{:?}", read.problems);
        prop_assert_eq!(&read.decoded.experiment, &e);
        prop_assert_eq!(text::to_text(&read.decoded.experiment, None), text);
    }

    #[test]
    fn decoding_arbitrary_text_never_panics_and_is_stable(s in ".{0,300}") {
        let d = decode(&s);
        // Whatever came out is itself a valid, notice-free link.
        let again = decode(&encode(&d.experiment));
        prop_assert!(again.notices.is_empty(), "{:?}", again.notices);
        prop_assert_eq!(again.experiment, d.experiment);
    }

    #[test]
    fn decoding_mangled_known_keys_never_panics(
        pairs in proptest::collection::vec((proptest::sample::select(all_keys()), "[-0-9a-z.,%eE+]{0,12}"), 0..25)
    ) {
        let link: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let d = decode(&link.join("&"));
        prop_assert!(d.experiment.mlp_params().check().is_ok());
        prop_assert!(d.experiment.model.check().is_ok());
    }
}
