//! Links from TensorFlow Playground (`playground.tensorflow.org/#activation=tanh&...`) read as
//! the equivalent Latih experiment, with a notice for each setting that has no equivalent.
//!
//! The keys and values are TensorFlow Playground's `state.ts` (its URL state); its datasets,
//! features, activations and regularisers all exist here under other names.

use super::{decode, pairs, shown, Decoded};

/// Points TensorFlow Playground generates (`NUM_SAMPLES_CLASSIFY`, `NUM_SAMPLES_REGRESS`).
const CLASSIFY_SAMPLES: usize = 500;
const REGRESS_SAMPLES: usize = 1200;

/// Whether `text` is a TensorFlow Playground link (its address or its own keys).
pub fn is_playground_link(text: &str) -> bool {
    let fragment = text.trim().rsplit_once('#').map_or(text.trim(), |(_, f)| f);
    text.contains("playground.tensorflow.org")
        || pairs(fragment).any(|(k, _)| matches!(k.as_str(), "networkShape" | "percTrainData" | "regDataset"))
}

/// The Latih experiment a TensorFlow Playground link describes.
pub fn from_playground(text: &str) -> Decoded {
    let fragment = text.trim().rsplit_once('#').map_or(text.trim(), |(_, f)| f);
    let mut notices = Vec::new();
    let mut latih: Vec<String> = vec!["v=1".into()];
    let (mut problem, mut dataset, mut reg_dataset) = ("classification".to_string(), None, None);
    let mut features: Vec<&str> = Vec::new();
    let mut hidden = None;
    for (key, value) in pairs(fragment).take(200) {
        let v = value.trim();
        let feature = match key.as_str() {
            "x" => Some("x1"),
            "y" => Some("x2"),
            "xSquared" => Some("x1sq"),
            "ySquared" => Some("x2sq"),
            "xTimesY" => Some("x1x2"),
            "sinX" => Some("sinx1"),
            "sinY" => Some("sinx2"),
            _ => None,
        };
        match key.as_str() {
            _ if feature.is_some() => {
                if v == "true" {
                    features.extend(feature);
                }
            }
            "cosX" | "cosY" if v == "true" => notices
                .push(format!("The {key} feature has no equivalent here (sin x₁ and sin x₂ do); it was left off.")),
            "cosX" | "cosY" => {}
            "problem" => problem = v.to_string(),
            "dataset" => dataset = Some(v.to_string()),
            "regDataset" => reg_dataset = Some(v.to_string()),
            "activation" => latih.push(format!("act={v}")),
            "regularization" => latih.push(format!("reg={}", v.to_ascii_lowercase())),
            "regularizationRate" => latih.push(format!("rate={v}")),
            "learningRate" => latih.push(format!("lr={v}")),
            "batchSize" => latih.push(format!("batch={v}")),
            "noise" => latih.push(format!("noise={v}")),
            "percTrainData" => latih.push(format!("train={v}")),
            "networkShape" => hidden = Some(v.to_string()),
            "showTestData" => latih.push(format!("test={}", u8::from(v == "true"))),
            "discretize" => latih.push(format!("discrete={}", u8::from(v == "true"))),
            "seed" => notices.push(format!(
                "TensorFlow Playground's seed {} draws different data and weights than any seed here; seed 1 was used.",
                shown(v)
            )),
            "initZero" if v == "true" => {
                notices.push("“initZero” (all weights start at zero) has no equivalent; weights start random.".into())
            }
            // Display-only switches of TensorFlow Playground with nothing to carry over.
            "initZero" | "collectStats" | "hideText" | "tutorial" => {}
            k if k.ends_with("_hide") => {
                if v == "true" {
                    notices.push(format!(
                        "“{}” hid a control in TensorFlow Playground; use an embed link's hide= to hide controls here.",
                        shown(k)
                    ))
                }
            }
            _ => notices.push(format!("TensorFlow Playground's “{}” has no equivalent; it was ignored.", shown(&key))),
        }
    }
    let regression = problem == "regression";
    if problem != "classification" && !regression {
        notices
            .push(format!("problem={} is not classification or regression; classification was used.", shown(&problem)));
    }
    let data = if regression {
        match reg_dataset.as_deref() {
            None | Some("reg-plane") => "plane",
            Some("reg-gauss") => "bumps",
            Some(other) => {
                notices.push(format!("Unknown regression dataset “{}”; the plane was used.", shown(other)));
                "plane"
            }
        }
    } else {
        match dataset.as_deref() {
            None => "circle",
            Some(d @ ("circle" | "xor" | "gauss" | "spiral")) => d,
            Some(other) => {
                notices.push(format!("Unknown dataset “{}”; the circle was used.", shown(other)));
                "circle"
            }
        }
    };
    latih.insert(1, format!("data={data}"));
    // Its datasets have two classes and a fixed number of points; its optimiser is plain SGD.
    latih.push(format!("samples={}", if regression { REGRESS_SAMPLES } else { CLASSIFY_SAMPLES }));
    latih.push("classes=2&opt=sgd&model=mlp".into());
    if !features.is_empty() {
        latih.push(format!("features={}", features.join(",")));
    }
    if let Some(h) = hidden {
        latih.push(format!("hidden={h}"));
    }
    let mut decoded = decode(&latih.join("&"));
    notices.append(&mut decoded.notices);
    decoded.notices = notices;
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Feature, Generator};
    use crate::models::mlp::{Activation, Regularization};

    /// TensorFlow Playground's own default link.
    const DEFAULT: &str = "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.80524&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false";

    #[test]
    fn the_default_playground_link_opens_as_the_same_network() {
        assert!(is_playground_link(DEFAULT));
        assert!(!is_playground_link("v=1&data=circle"));
        let d = from_playground(DEFAULT);
        let e = &d.experiment;
        assert_eq!((e.data, e.samples, e.noise, e.train_percent), (Generator::Circle, 500, 0, 50));
        assert_eq!(e.hidden, [4, 2]);
        assert_eq!(e.features, [Feature::X1, Feature::X2]);
        assert_eq!((e.activation, e.learning_rate, e.batch_size), (Activation::Tanh, 0.03, 10));
        // Only the seed has no equivalent.
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
        assert!(d.notices[0].contains("seed"));
    }

    #[test]
    fn regression_features_and_unmatched_settings_are_carried_or_reported() {
        let link = "#activation=relu&regularization=L2&regularizationRate=0.003&problem=regression&regDataset=reg-gauss&networkShape=8,8,8&xSquared=true&sinY=true&cosX=true&initZero=true&noise=20&percTrainData=70&batchSize=30&learningRate=0.1&showTestData=true&discretize=true&bogus=1&activation_hide=true";
        let d = from_playground(link);
        let e = &d.experiment;
        assert_eq!((e.data, e.samples, e.noise, e.train_percent), (Generator::Bumps, 1200, 20, 70));
        assert_eq!((e.regularization, e.reg_rate), (Regularization::L2, 0.003));
        assert_eq!(e.features, [Feature::X1Squared, Feature::SinX2]);
        assert_eq!(e.hidden, [8, 8, 8]);
        assert!(e.show_test && e.discretize);
        let all = d.notices.join("\n");
        for needle in ["cosX", "initZero", "bogus", "activation_hide"] {
            assert!(all.contains(needle), "no notice names {needle}: {all}");
        }
        let d = from_playground("#dataset=moons2&networkShape=");
        assert_eq!(d.experiment.data, Generator::Circle);
        assert!(d.notices.iter().any(|n| n.contains("moons2")));
    }
}
