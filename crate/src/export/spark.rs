//! "Export for Spark": the experiment as a PySpark script (and the same code as a Jupyter
//! notebook) that builds an equivalent `pyspark.ml` Pipeline: the same preprocessing fitted on
//! the training rows, the MLlib twin of the model with the same settings, the same split or
//! cross-validation (row for row when it runs on the embedded rows) and the same metrics,
//! printed as JSON. The data source is a parameter, so the experiment designed on a sample
//! runs on the full data in a cluster.
//!
//! The script's fixed part is `spark_template.py`; this module writes its settings, its data
//! and its model. A model MLlib lacks is never swapped silently: the nearest MLlib choice is
//! named in `Spark::substitute`, at the top of the script and in its JSON output.

use super::notebook::{code, envelope, markdown, py_inputs, py_num, py_str, rows_csv};
use crate::experiment::inputs::{source_table, Inputs, SplitPlan};
use crate::experiment::Session;
use crate::models::{Kind, ModelParams};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

const TEMPLATE: &str = include_str!("spark_template.py");

/// An exported experiment for Spark.
#[derive(Debug, Clone, Serialize)]
pub struct Spark {
    /// The PySpark script.
    pub script: String,
    /// The same code as notebook cells (ipynb JSON).
    pub notebook: String,
    /// When MLlib lacks the model: what it lacks and the MLlib model used instead.
    pub substitute: Option<String>,
}

/// The MLlib model for an experiment: its class name, the Python expression that builds it
/// (`n_train` is the number of training rows), what differs, and, when MLlib lacks the
/// model, the message naming it and the nearest choice used.
struct Mllib {
    name: &'static str,
    build: String,
    caveat: String,
    substitute: Option<(&'static str, String)>,
}

fn mllib(session: &Session) -> Mllib {
    let e = session.experiment();
    let map = e.model.to_map();
    let num = |k: &str| map.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let int = |k: &str| map.get(k).and_then(Value::as_u64).unwrap_or(0);
    let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let seed = e.seed % (1 << 31);
    let classes = session.task().classes();
    let same = |name: &'static str, build: String, caveat: &str| Mllib {
        name,
        build,
        caveat: caveat.to_string(),
        substitute: None,
    };
    let instead = |name: &'static str, build: String, lacking: &'static str, why: String| Mllib {
        name,
        build,
        caveat: "Its numbers will differ from Latih's: it is another model.".into(),
        substitute: Some((lacking, why)),
    };
    // MLlib's trees consider at most maxBins thresholds per input; as many as training rows
    // lets them try every value, as Latih's CART does. minInstancesPerNode is the nearest to
    // a minimum split size (a node needs twice it to split).
    let tree_size = |minsplit: u64| format!("maxBins=max(32, n_train), minInstancesPerNode={}", (minsplit / 2).max(1));
    let depth = |d: u64| d.min(30);
    // scikit-learn's and Latih's C weighs the summed loss; MLlib's regParam the mean loss.
    let reg_from_c = |c: f64| format!("1.0 / ({} * n_train)", py_num(c));
    match &e.model {
        ModelParams::Mlp if classes == 0 => instead(
            "GBTRegressor",
            format!("GBTRegressor(maxIter=100, maxDepth=3, seed={seed})"),
            "neural network regression",
            "MLlib's multilayer perceptron only classifies; the nearest MLlib regressor for a curved fit is gradient-boosted trees (GBTRegressor), used here.".into(),
        ),
        ModelParams::Mlp => {
            let mut layers = vec![session.inputs().count()];
            layers.extend(e.hidden.iter().copied());
            layers.push(classes);
            let layers: Vec<String> = layers.iter().map(usize::to_string).collect();
            let mut differs = Vec::new();
            if e.activation.key() != "sigmoid" {
                differs.push(format!("its hidden units are sigmoid (Latih: {})", e.activation.key()));
            }
            differs.push(format!("it trains with L-BFGS (Latih: {})", e.optimizer.key()));
            if e.regularization.key() != "none" {
                differs.push(format!("it has no {} penalty", e.regularization.key()));
            }
            same(
                "MultilayerPerceptronClassifier",
                format!(
                    "MultilayerPerceptronClassifier(layers=[{}], maxIter={}, blockSize={}, solver=\"l-bfgs\", seed={seed})",
                    layers.join(", "),
                    session.epoch().max(1),
                    e.batch_size.max(1)
                ),
                &format!(
                    "The same network shape, but {}: expect similar, not identical, numbers.",
                    differs.join(", ")
                ),
            )
        }
        ModelParams::Logistic(_) => same(
            "LogisticRegression",
            format!(
                "LogisticRegression(regParam={}, elasticNetParam=0.0, maxIter={}, standardization=False)",
                reg_from_c(num("c")),
                int("iters").max(1)
            ),
            "The same L2-regularised model (regParam = 1 / (C · training rows)); small differences come from the stopping rule.",
        ),
        ModelParams::Tree(_) => same(
            "DecisionTreeClassifier",
            format!(
                "DecisionTreeClassifier(impurity=\"{}\", maxDepth={}, {}, seed={seed})",
                text("criterion"),
                depth(int("depth")),
                tree_size(int("minsplit"))
            ),
            "The same algorithm (CART); MLlib limits the size of a leaf instead of the size of a node to split, and may break ties between equally good splits differently.",
        ),
        ModelParams::Forest(_) => same(
            "RandomForestClassifier",
            format!(
                "RandomForestClassifier(numTrees={}, maxDepth={}, {}, featureSubsetStrategy=\"{}\", bootstrap=True, subsamplingRate=1.0, seed={seed})",
                int("trees").max(1),
                depth(int("depth")),
                tree_size(int("minsplit")),
                py_num(num("featfrac").clamp(0.01, 1.0))
            ),
            "A random forest of the same shape; its random draws differ, so scores differ a little.",
        ),
        ModelParams::Knn(_) => instead(
            "RandomForestClassifier",
            format!("RandomForestClassifier(numTrees=100, maxBins=max(32, n_train), seed={seed})"),
            "k-nearest neighbours",
            "MLlib has no k-nearest neighbours classifier (its LSH finds approximate neighbours but does not classify); the nearest MLlib choice, a local non-linear classifier, is a random forest (RandomForestClassifier), used here.".into(),
        ),
        ModelParams::Als(_) => instead(
            "GBTRegressor",
            format!("GBTRegressor(maxIter=100, maxDepth=5, maxBins=max(32, n_train), seed={seed})"),
            "the matrix-factorisation recommender",
            "This export does not map Latih's recommender to MLlib's ALS (pyspark.ml.recommendation.ALS), which takes whole-number user and item ids rather than this pipeline's feature vector; gradient-boosted trees on the same two inputs are used here instead.".into(),
        ),
        ModelParams::KnnReg(_) => instead(
            "RandomForestRegressor",
            format!("RandomForestRegressor(numTrees=100, maxBins=max(32, n_train), seed={seed})"),
            "k-nearest neighbours regression",
            "MLlib has no k-nearest neighbours regressor; the nearest MLlib choice, a local non-linear regressor, is a random forest (RandomForestRegressor), used here.".into(),
        ),
        ModelParams::Bayes(_) => same(
            "NaiveBayes",
            "NaiveBayes(modelType=\"gaussian\")".into(),
            &format!(
                "The same Gaussian model; MLlib adds 1e-9 of the largest variance to every variance (Latih: {}).",
                py_num(num("smoothing"))
            ),
        ),
        ModelParams::Svm(_) if text("kernel") == "linear" => {
            let svc = format!("LinearSVC(regParam={}, maxIter=1000, standardization=False)", reg_from_c(num("c")));
            if classes > 2 {
                same(
                    "OneVsRest(LinearSVC)",
                    format!("OneVsRest(classifier={svc})"),
                    "A linear SVM per class, one-vs-rest, as Latih trains several classes (regParam = 1 / (C · training rows)); MLlib's has no probabilities.",
                )
            } else {
                same("LinearSVC", svc, "The same linear SVM (regParam = 1 / (C · training rows)); MLlib's has no probabilities.")
            }
        }
        ModelParams::Svm(_) => {
            let svc = format!("LinearSVC(regParam={}, maxIter=1000, standardization=False)", reg_from_c(num("c")));
            let build = if classes > 2 { format!("OneVsRest(classifier={svc})") } else { svc };
            instead(
                "LinearSVC",
                build,
                if text("kernel") == "poly" { "the polynomial-kernel SVM" } else { "the RBF-kernel SVM" },
                format!(
                    "MLlib's only SVM is linear (LinearSVC): it has no {} kernel. The nearest MLlib choice, the linear SVM with the same C, is used here; for a curved boundary add feature crosses or use MultilayerPerceptronClassifier.",
                    text("kernel")
                ),
            )
        }
        ModelParams::Svr(_) if text("kernel") == "linear" => instead(
            "LinearRegression",
            format!("LinearRegression(regParam={}, elasticNetParam=0.0, standardization=False)", reg_from_c(num("c"))),
            "support vector regression",
            "MLlib has no support vector regression; the nearest MLlib choice for a linear kernel, L2-regularised linear regression with the same C, is used here (squared error instead of the ε-insensitive loss).".into(),
        ),
        ModelParams::Svr(_) => instead(
            "RandomForestRegressor",
            format!("RandomForestRegressor(numTrees=100, maxBins=max(32, n_train), seed={seed})"),
            "support vector regression",
            format!(
                "MLlib has no support vector regression and no {} kernel; the nearest MLlib choice for a curved fit, a random forest (RandomForestRegressor), is used here.",
                text("kernel")
            ),
        ),
        ModelParams::Linear(_) => same(
            "LinearRegression",
            "LinearRegression(regParam=0.0, solver=\"normal\", standardization=False)".into(),
            "The same model (least squares).",
        ),
        ModelParams::Ridge(_) => same(
            "LinearRegression",
            format!(
                "LinearRegression(regParam={} / n_train, elasticNetParam=0.0, solver=\"normal\", standardization=False)",
                py_num(num("alpha"))
            ),
            "Ridge regression: MLlib's regParam weighs the mean squared error, so it is alpha / training rows.",
        ),
        ModelParams::Lasso(_) => same(
            "LinearRegression",
            format!(
                "LinearRegression(regParam={}, elasticNetParam=1.0, maxIter=1000, tol=1e-10, standardization=False)",
                py_num(num("alpha"))
            ),
            "The lasso: the same objective (half the mean squared error plus alpha times the L1 norm).",
        ),
        ModelParams::ElasticNet(_) => same(
            "LinearRegression",
            format!(
                "LinearRegression(regParam={}, elasticNetParam={}, maxIter=1000, tol=1e-10, standardization=False)",
                py_num(num("alpha")),
                py_num(num("l1ratio"))
            ),
            "The elastic net: the same objective (regParam = alpha, elasticNetParam = the L1 ratio).",
        ),
        ModelParams::KMeans(_) => same(
            "KMeans",
            format!(
                "KMeans(k={}, initMode=\"{}\", maxIter={}, seed={seed})",
                int("k").max(2),
                if text("init") == "random" { "random" } else { "k-means||" },
                int("iters").max(1)
            ),
            "The same algorithm; its start (k-means||, the parallel k-means++) differs, so clusters may be numbered differently.",
        ),
        ModelParams::Dbscan(_) => {
            let k = if classes > 1 { classes } else { 3 };
            instead(
                "GaussianMixture",
                format!("GaussianMixture(k={k}, maxIter=100, seed={seed})"),
                "DBSCAN",
                format!("MLlib has no DBSCAN (density clustering); the nearest MLlib choice, a Gaussian mixture with {k} clusters (GaussianMixture), is used here. It finds no noise points and needs the number of clusters."),
            )
        }
        ModelParams::Gmm(_) => same(
            "GaussianMixture",
            format!("GaussianMixture(k={}, maxIter={}, seed={seed})", int("k").max(2), int("iters").max(1)),
            "The same model (full covariances, EM); its random start differs.",
        ),
        ModelParams::Pca(_) => same(
            "PCA",
            format!("PCA(k={}, inputCol=\"features\", outputCol=\"projected\")", int("components").max(1)),
            "The same projection.",
        ),
    }
}

/// The settings block of the script and its embedded rows.
fn settings(
    session: &Session,
    user: Option<&crate::data::table::Table>,
    link: &str,
    m: &Mllib,
) -> Result<String, String> {
    let e = session.experiment();
    let kind = e.kind();
    let task = match kind {
        Kind::Classification => "classification",
        Kind::Regression => "regression",
        Kind::Clustering => "clustering",
        Kind::Reduction => "reduction",
    };
    // Each row's part and, with cross-validation, its fold (Latih's own folds).
    let n = session.dataset().len();
    let mut part = vec!["test"; n];
    for &r in session.train_rows() {
        part[r] = "train";
    }
    let folds =
        if e.folds >= 2 && matches!(kind, Kind::Classification | Kind::Regression) { e.folds as usize } else { 0 };
    // -1: a holdout test row, in no fold (cross-validation uses the training rows only).
    let mut fold = vec![-1i64; n];
    if folds >= 2 {
        let classes: Option<Vec<f64>> = (session.task().classes() > 0).then(|| session.dataset().targets.clone());
        for i in 0..folds {
            let plan =
                SplitPlan { fold: Some((folds, i)), ..SplitPlan::holdout(e.train_percent, e.stratify, e.data_seed) };
            for r in plan.rows(n, classes.as_deref()).1 {
                fold[r] = i as i64;
            }
        }
    }
    // Each row's part, and its fold with cross-validation: the columns after the target.
    let extra_header: &[&str] = if folds >= 2 { &["latih_part", "latih_fold"] } else { &["latih_part"] };
    let extra = |i: usize| {
        let mut v = vec![part[i].to_string()];
        if folds >= 2 {
            v.push(fold[i].to_string());
        }
        v
    };
    let mut out = String::new();
    let (csv_text, inputs, features, target, class_names, missing, standardise) = match session.inputs() {
        Inputs::Table(t) => {
            let spec = e.table.as_ref().ok_or("the table's settings are missing")?;
            let table = source_table(spec, user).ok_or("the data file is not loaded")?;
            let columns = &t.preprocess.columns;
            let csv_text = rows_csv(table, &spec.target, columns, &t.table_rows, extra_header, extra)?;
            let inputs = py_inputs(columns);
            let missing = spec.missing.key();
            (csv_text, inputs, "None".to_string(), py_str(&spec.target), t.class_names.clone(), missing, true)
        }
        Inputs::Plane(features) => {
            let d = session.dataset();
            let mut w = csv::Writer::from_writer(Vec::new());
            let header: Vec<&str> = ["x1", "x2", "target"].into_iter().chain(extra_header.iter().copied()).collect();
            w.write_record(&header).map_err(|e| e.to_string())?;
            for (i, (p, t)) in d.points.iter().zip(&d.targets).enumerate() {
                let mut record = vec![p[0].to_string(), p[1].to_string(), t.to_string()];
                record.extend(extra(i));
                w.write_record(&record).map_err(|e| e.to_string())?;
            }
            let csv_text = String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
            let names: Vec<String> = features.iter().map(|f| py_str(f.key())).collect();
            let classes: Vec<String> = (0..session.task().classes()).map(|k| k.to_string()).collect();
            let inputs = "(\"x1\", None, False), (\"x2\", None, False)".to_string();
            (csv_text, inputs, format!("[{}]", names.join(", ")), "\"target\"".into(), classes, "mean", false)
        }
    };
    let classes: Vec<String> = class_names.iter().map(|c| py_str(c)).collect();
    let _ = write!(
        out,
        "LINK = {link}\nMODEL_NAME = {name}\nSUBSTITUTE_FOR = {substitute}  # a model MLlib lacks, replaced by MODEL_NAME\nTASK = \"{task}\"\nSEED = {seed}  # Latih's data seed: its split and folds\nTRAIN_PERCENT = {train}\nFOLDS = {folds}  # k-fold cross-validation when 2 or more\n# Inputs: (column, the levels of a text column or None for a number, one-hot?).\nINPUTS = [{inputs}]\nFEATURES = {features}  # a 2-D dataset's features, computed from x1 and x2\nTARGET = {target}\nCLASSES = [{classes}]  # class names in Latih's order (empty when the target is a number)\nMISSING = \"{missing}\"  # missing numbers: mean, median, mode, or drop the row\nSTANDARDISE = {standardise}\n# The {n} rows the experiment used, as CSV, with each row's part (train or test){fold_note}.\nDATA = {csv}",
        link = py_str(link),
        name = py_str(m.name),
        substitute = m.substitute.as_ref().map_or("None".to_string(), |(lacking, _)| py_str(lacking)),
        seed = e.data_seed % (1 << 31),
        train = e.train_percent,
        classes = classes.join(", "),
        standardise = if standardise { "True" } else { "False" },
        fold_note = if folds >= 2 { " and fold" } else { "" },
        csv = py_str(&csv_text),
    );
    Ok(out)
}

/// Comment lines: `text` wrapped at about 96 columns, each line starting with `# `.
fn comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + word.len() > 96 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The Spark export of a session: `link` is the experiment's link fragment, `file` the
/// script's file name (for its usage lines).
pub fn spark(
    session: &Session,
    user: Option<&crate::data::table::Table>,
    link: &str,
    file: &str,
) -> Result<Spark, String> {
    let m = mllib(session);
    let settings = settings(session, user, link, &m)?;
    let substitute = m.substitute.as_ref().map(|(_, why)| why.clone());
    let banner = substitute.as_ref().map(|why| comment(&format!("NOT THE SAME MODEL. {why}"))).unwrap_or_default();
    let model = format!(
        "# {name}: {caveat}\ndef make_model(n_train):\n    \"\"\"The model stage (`n_train`: the number of training rows).\"\"\"\n    return {build}",
        name = m.name,
        caveat = m.caveat,
        build = m.build
    );
    let script = fill(
        TEMPLATE,
        &[
            ("LINK", link),
            ("MODEL_LINE", &comment(&format!("Model: {}. {}", m.name, m.caveat))),
            ("SUBSTITUTE", &banner),
            ("FILE", file),
            ("SETTINGS", &settings),
            ("MODEL", &model),
        ],
    );
    let notebook = notebook_of(&script, &m, substitute.as_deref(), link)?;
    Ok(Spark { script, notebook, substitute })
}

/// The template with each `@KEY@` replaced by its value, in one pass over the template (so a
/// value holding `@` is never read as a placeholder).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('@') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('@').and_then(|end| values.iter().find(|(k, _)| *k == &after[..end]).map(|v| (end, v.1))) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The script as notebook cells: its `# %%` sections become code cells after a title cell.
fn notebook_of(script: &str, m: &Mllib, substitute: Option<&str>, link: &str) -> Result<String, String> {
    let mut sections = script.split("\n# %%\n");
    let header = sections.next().unwrap_or_default();
    let usage: String = header
        .lines()
        .skip_while(|l| !l.starts_with("# Run it"))
        .map(|l| l.trim_start_matches('#').trim_start())
        .map(|l| if l.starts_with("spark-submit") { format!("    {l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    let mut cells = vec![markdown(&format!(
        "# Latih experiment on Apache Spark\n\nThis notebook redoes the experiment `#{link}` as a `pyspark.ml` Pipeline: the same preprocessing (fitted on the training rows only), the MLlib model `{name}`, the same split and metrics. {caveat}\n\n{warning}It runs in any PySpark kernel; the same code is the exported script.\n\n{usage}\n",
        name = m.name,
        caveat = m.caveat,
        warning = substitute.map(|w| format!("**Not the same model.** {w}\n\n")).unwrap_or_default(),
    ))];
    cells.extend(sections.map(|s| code(s.trim_end().to_string() + "\n")));
    envelope(cells, link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::MODELS;
    use crate::share::decode;

    fn export(link: &str) -> (Session, Spark) {
        let mut s = Session::with_table(decode(link).experiment, None).expect("opens");
        s.train_epochs(2);
        let x = spark(&s, None, link, "latih.py").expect("exports");
        (s, x)
    }

    #[test]
    fn every_model_exports_a_script_and_a_notebook_with_its_mllib_model() {
        for m in MODELS {
            let data = match m.kind {
                Kind::Regression => "diabetes",
                Kind::Classification => "penguins",
                _ => "iris",
            };
            let link = format!("v=1&data={data}&model={}", m.id);
            let (s, x) = export(&link);
            let want = mllib(&s);
            assert!(x.script.contains(&format!("    return {}\n", want.build)), "{}", m.id);
            assert!(!x.script.contains('@'), "{}: a placeholder is left", m.id);
            assert!(x.script.contains(&format!("LINK = {}", py_str(&link))));
            // The notebook holds the same code, section by section.
            let nb: Value = serde_json::from_str(&x.notebook).expect("JSON");
            let cells = nb["cells"].as_array().expect("cells");
            assert!(cells.len() >= 6, "{}", m.id);
            for c in &cells[1..] {
                let code = c["source"].as_str().expect("source");
                assert!(x.script.contains(code.trim_end()), "{}: a cell is not in the script", m.id);
            }
        }
    }

    #[test]
    fn models_mllib_lacks_are_named_with_the_nearest_choice_never_silently_swapped() {
        let lacking = [
            ("v=1&data=iris&model=knn", "k-nearest neighbours", "RandomForestClassifier"),
            ("v=1&data=diabetes&model=knnreg", "k-nearest neighbours regression", "RandomForestRegressor"),
            ("v=1&data=iris&model=dbscan", "DBSCAN", "GaussianMixture"),
            ("v=1&data=moons&model=svm&kernel=rbf", "the RBF-kernel SVM", "LinearSVC"),
            ("v=1&data=moons&model=svm&kernel=poly", "the polynomial-kernel SVM", "LinearSVC"),
            ("v=1&data=diabetes&model=svr", "support vector regression", "RandomForestRegressor"),
            ("v=1&data=diabetes&model=mlp", "neural network regression", "GBTRegressor"),
        ];
        for (link, what, nearest) in lacking {
            let (_, x) = export(link);
            let message = x.substitute.as_deref().unwrap_or_else(|| panic!("{link}: no message"));
            assert!(message.contains(nearest), "{link}: {message}");
            let top: String = x.script.lines().take_while(|l| l.starts_with('#')).collect::<Vec<_>>().join(" ");
            assert!(top.contains("NOT THE SAME MODEL"), "{link}: {top}");
            assert!(top.contains(nearest), "{link}");
            assert!(x.script.contains(&format!("SUBSTITUTE_FOR = {}", py_str(what))), "{link}");
            assert!(x.notebook.contains("Not the same model."), "{link}");
        }
        for link in [
            "v=1&data=iris&model=logistic",
            "v=1&data=moons&model=svm&kernel=linear",
            "v=1&data=iris&model=kmeans",
            "v=1&data=circle",
        ] {
            let (_, x) = export(link);
            assert_eq!(x.substitute, None, "{link}");
            assert!(x.script.contains("SUBSTITUTE_FOR = None"), "{link}");
            assert!(!x.script.contains("NOT THE SAME MODEL"), "{link}");
        }
    }

    #[test]
    fn the_embedded_rows_carry_latihs_split_and_folds() {
        let link = "v=1&data=iris&train=60&folds=4&strat=1&model=tree";
        let (s, x) = export(link);
        let data = x.script.split("DATA = ").nth(1).expect("data");
        let csv_text: String = serde_json::from_str(data.lines().next().expect("line")).expect("string");
        let mut r = csv::Reader::from_reader(csv_text.as_bytes());
        let header = r.headers().expect("header").clone();
        let part = header.iter().position(|h| h == "latih_part").expect("part column");
        let fold = header.iter().position(|h| h == "latih_fold").expect("fold column");
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), s.dataset().len());
        let train: Vec<usize> = (0..rows.len()).filter(|&i| &rows[i][part] == "train").collect();
        assert_eq!(train, s.train_rows());
        // Fold i of the script tests exactly the rows Latih's fold i tests.
        let e = s.experiment();
        for i in 0..4 {
            let plan = SplitPlan { fold: Some((4, i)), ..SplitPlan::holdout(60, true, e.data_seed) };
            let want = plan.rows(rows.len(), Some(&s.dataset().targets)).1;
            let got: Vec<usize> = (0..rows.len()).filter(|&r| rows[r][fold] == *i.to_string()).collect();
            assert_eq!(got, want, "fold {i}");
        }
        // The holdout's test rows are in no fold.
        for r in 0..rows.len() {
            assert_eq!(&rows[r][fold] == "-1", &rows[r][part] == "test", "row {r}");
        }
        assert!(x.script.contains("FOLDS = 4"));
    }

    #[test]
    fn penalties_are_converted_to_mllibs_scale() {
        let (_, x) = export("v=1&data=iris&model=logistic&c=0.5");
        assert!(x.script.contains("regParam=1.0 / (0.5 * n_train)"), "{}", x.script);
        let (_, x) = export("v=1&data=diabetes&model=ridge&alpha=2");
        assert!(x.script.contains("regParam=2.0 / n_train"));
        let (_, x) = export("v=1&data=diabetes&model=elasticnet&alpha=0.1&l1ratio=0.3");
        assert!(x.script.contains("regParam=0.1, elasticNetParam=0.3"));
    }
}
