//! Datasets: the `Dataset` type, the seeded 2-D generators and the input features.
//!
//! Generators share one signature (`fn(samples, noise, classes, &mut Rng) -> Dataset`) and are
//! looked up by name, as TensorFlow Playground's `dataset.ts` does. Points live in the square
//! [-6, 6]², the domain every view draws.

pub mod builtin;
pub mod films;
pub mod image;
pub mod rng;
pub mod table;
pub mod tabular;

use rng::Rng;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Half the side of the square every 2-D dataset lives in.
pub const DOMAIN: f64 = 6.0;

/// What the target means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    /// Targets are class indices 0..classes.
    Classification { classes: usize },
    /// Targets are real values (the 2-D generators keep them in [-1, 1]).
    Regression,
}

/// Points in the plane with one target each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub points: Vec<[f64; 2]>,
    /// Class index (as f64) for classification, value for regression.
    pub targets: Vec<f64>,
    pub task: Task,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.points.len()
    }
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// Points the person drew on the view (at most `MAX_DRAWN`), coordinates rounded to 0.01 so a
/// link carries them exactly.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Drawn {
    pub regression: bool,
    pub points: Vec<[f64; 2]>,
    /// Class index, or the value in [-1, 1] rounded to 0.01.
    pub targets: Vec<f64>,
}

/// Most points a drawing holds (so its link stays short).
pub const MAX_DRAWN: usize = 500;

fn round2(v: f64) -> f64 {
    libm::round(v * 100.0) / 100.0
}

impl Drawn {
    /// Adds a point (rounded, clamped to the domain); false when the drawing is full.
    pub fn add(&mut self, x: f64, y: f64, target: f64, classes: usize) -> bool {
        if self.points.len() >= MAX_DRAWN || !(x.is_finite() && y.is_finite() && target.is_finite()) {
            return false;
        }
        self.points.push([round2(clamp_domain(x)), round2(clamp_domain(y))]);
        self.targets.push(if self.regression {
            round2(target.clamp(-1.0, 1.0))
        } else {
            (target.max(0.0) as usize).min(classes.saturating_sub(1)) as f64
        });
        true
    }

    /// Removes the point nearest to (x, y) if one is within `radius`; true when one was.
    pub fn remove_near(&mut self, x: f64, y: f64, radius: f64) -> bool {
        let d2 = |p: &[f64; 2]| (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
        let nearest = self.points.iter().enumerate().min_by(|a, b| d2(a.1).total_cmp(&d2(b.1)));
        match nearest {
            Some((i, p)) if d2(p) <= radius * radius => {
                self.points.remove(i);
                self.targets.remove(i);
                true
            }
            _ => false,
        }
    }

    /// "c" or "r", then ";x,y,target" per point: the text a link's payload compresses.
    pub fn to_text(&self) -> String {
        let mut s = String::from(if self.regression { "r" } else { "c" });
        for (p, t) in self.points.iter().zip(&self.targets) {
            s.push_str(&format!(";{},{},{}", p[0], p[1], t));
        }
        s
    }

    /// Reads `to_text`'s form; bad or extra entries are skipped and counted in the notice.
    pub fn from_text(text: &str, classes: usize) -> (Drawn, Option<String>) {
        let mut parts = text.split(';');
        let mut d = Drawn { regression: parts.next() == Some("r"), ..Drawn::default() };
        let mut bad = 0;
        for entry in parts {
            let v: Vec<f64> = entry.split(',').filter_map(|x| x.trim().parse().ok()).collect();
            let ok = v.len() == 3 && d.add(v[0], v[1], v[2], classes);
            if !ok {
                bad += 1;
            }
        }
        let note = (bad > 0).then(|| {
            format!(
                "{bad} drawn point{} could not be read (or passed the {MAX_DRAWN}-point limit) and {} left out.",
                if bad == 1 { "" } else { "s" },
                if bad == 1 { "was" } else { "were" }
            )
        });
        (d, note)
    }

    pub fn dataset(&self, classes: usize) -> Dataset {
        Dataset {
            points: self.points.clone(),
            targets: self.targets.clone(),
            task: if self.regression { Task::Regression } else { Task::Classification { classes } },
        }
    }
}

/// The built-in 2-D generators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    Circle,
    Xor,
    Gauss,
    Spiral,
    Moons,
    Blobs,
    Plane,
    Bumps,
    Sine,
}

impl Generator {
    pub const ALL: [Generator; 9] = [
        Generator::Circle,
        Generator::Xor,
        Generator::Gauss,
        Generator::Spiral,
        Generator::Moons,
        Generator::Blobs,
        Generator::Plane,
        Generator::Bumps,
        Generator::Sine,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Generator::Circle => "circle",
            Generator::Xor => "xor",
            Generator::Gauss => "gauss",
            Generator::Spiral => "spiral",
            Generator::Moons => "moons",
            Generator::Blobs => "blobs",
            Generator::Plane => "plane",
            Generator::Bumps => "bumps",
            Generator::Sine => "sine",
        }
    }

    pub fn from_name(name: &str) -> Option<Generator> {
        Generator::ALL.into_iter().find(|g| g.name() == name)
    }

    /// A one-line description for the UI.
    pub fn title(self) -> &'static str {
        match self {
            Generator::Circle => "Circle: one class inside a ring of the other",
            Generator::Xor => "Exclusive or: opposite quadrants share a class",
            Generator::Gauss => "Two Gaussian clouds",
            Generator::Spiral => "Two interleaved spirals",
            Generator::Moons => "Two interleaved half moons",
            Generator::Blobs => "k Gaussian blobs (3 to 6 classes)",
            Generator::Plane => "Regression: a tilted plane",
            Generator::Bumps => "Regression: Gaussian bumps of both signs",
            Generator::Sine => "Regression: a sine wave along x1",
        }
    }

    pub fn is_regression(self) -> bool {
        matches!(self, Generator::Plane | Generator::Bumps | Generator::Sine)
    }

    /// Number of classes this generator makes (`classes` only matters for blobs).
    pub fn task(self, classes: usize) -> Task {
        match self {
            Generator::Plane | Generator::Bumps | Generator::Sine => Task::Regression,
            Generator::Blobs => Task::Classification { classes },
            _ => Task::Classification { classes: 2 },
        }
    }

    /// Generates `samples` points. `noise` is a fraction in [0, 0.5] as in TensorFlow
    /// Playground; `classes` is used by blobs only.
    pub fn generate(self, samples: usize, noise: f64, classes: usize, rng: &mut Rng) -> Dataset {
        let mut points = Vec::with_capacity(samples);
        let mut targets = Vec::with_capacity(samples);
        let mut push = |p: [f64; 2], t: f64| {
            points.push([clamp_domain(p[0]), clamp_domain(p[1])]);
            targets.push(t);
        };
        match self {
            Generator::Circle => {
                let radius = 5.0;
                for i in 0..samples {
                    let class = i % 2;
                    let r = if class == 0 { rng.uniform(0.0, radius * 0.5) } else { rng.uniform(radius * 0.7, radius) };
                    let angle = rng.uniform(0.0, 2.0 * PI);
                    let nx = rng.uniform(-radius, radius) * noise;
                    let ny = rng.uniform(-radius, radius) * noise;
                    push([r * libm::sin(angle) + nx, r * libm::cos(angle) + ny], class as f64);
                }
            }
            Generator::Xor => {
                let padding = 0.3;
                for _ in 0..samples {
                    let mut x = rng.uniform(-5.0, 5.0);
                    x += if x > 0.0 { padding } else { -padding };
                    let mut y = rng.uniform(-5.0, 5.0);
                    y += if y > 0.0 { padding } else { -padding };
                    let class = if x * y >= 0.0 { 0.0 } else { 1.0 };
                    let nx = rng.uniform(-5.0, 5.0) * noise;
                    let ny = rng.uniform(-5.0, 5.0) * noise;
                    push([x + nx, y + ny], class);
                }
            }
            Generator::Gauss => {
                // Spread grows with noise, from 0.7 (apart) to 2.1 (overlapping).
                let sd = libm::sqrt(0.5 + 7.0 * noise);
                for i in 0..samples {
                    let class = i % 2;
                    let c = if class == 0 { 2.0 } else { -2.0 };
                    push([c + sd * rng.normal(), c + sd * rng.normal()], class as f64);
                }
            }
            Generator::Spiral => {
                let half = samples.div_ceil(2).max(1);
                for i in 0..samples {
                    let class = i % 2;
                    let k = (i / 2) as f64;
                    let r = k / half as f64 * 5.0;
                    let t = 1.75 * k / half as f64 * 2.0 * PI + if class == 0 { 0.0 } else { PI };
                    let nx = rng.uniform(-1.0, 1.0) * noise * 2.0;
                    let ny = rng.uniform(-1.0, 1.0) * noise * 2.0;
                    push([r * libm::sin(t) + nx, r * libm::cos(t) + ny], class as f64);
                }
            }
            Generator::Moons => {
                // scikit-learn's make_moons, scaled by 3 and centred on the origin.
                for i in 0..samples {
                    let class = i % 2;
                    let t = rng.uniform(0.0, PI);
                    let (x, y) = if class == 0 {
                        (libm::cos(t), libm::sin(t))
                    } else {
                        (1.0 - libm::cos(t), 0.5 - libm::sin(t))
                    };
                    let sd = noise * 0.6;
                    push(
                        [3.0 * (x - 0.5) + 3.0 * sd * rng.normal(), 3.0 * (y - 0.25) + 3.0 * sd * rng.normal()],
                        class as f64,
                    );
                }
            }
            Generator::Blobs => {
                let k = classes.clamp(2, 6);
                let sd = 0.6 + 3.0 * noise;
                for i in 0..samples {
                    let class = i % k;
                    let a = 2.0 * PI * class as f64 / k as f64 + PI / 4.0;
                    let (cx, cy) = (4.0 * libm::cos(a), 4.0 * libm::sin(a));
                    push([cx + sd * rng.normal(), cy + sd * rng.normal()], class as f64);
                }
            }
            Generator::Plane | Generator::Bumps | Generator::Sine => {
                for _ in 0..samples {
                    let x = rng.uniform(-DOMAIN, DOMAIN);
                    let y = rng.uniform(-DOMAIN, DOMAIN);
                    let nx = rng.uniform(-DOMAIN, DOMAIN) * noise;
                    let ny = rng.uniform(-DOMAIN, DOMAIN) * noise;
                    // As TensorFlow Playground: the target is read at a noisy position.
                    push([x, y], regression_target(self, x + nx, y + ny));
                }
            }
        }
        Dataset { points, targets, task: self.task(classes.clamp(2, 6)) }
    }
}

fn clamp_domain(v: f64) -> f64 {
    v.clamp(-DOMAIN, DOMAIN)
}

/// The noiseless target of a regression generator at (x, y), in [-1, 1].
pub fn regression_target(g: Generator, x: f64, y: f64) -> f64 {
    match g {
        Generator::Plane => ((x + y) / 10.0).clamp(-1.0, 1.0),
        Generator::Bumps => {
            // Four bumps of alternating sign on a 2×2 grid.
            const BUMPS: [(f64, f64, f64); 4] =
                [(-3.0, 3.0, 1.0), (3.0, 3.0, -1.0), (-3.0, -3.0, -1.0), (3.0, -3.0, 1.0)];
            let v: f64 = BUMPS
                .iter()
                .map(|&(cx, cy, s)| s * libm::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 4.5))
                .sum();
            v.clamp(-1.0, 1.0)
        }
        Generator::Sine => libm::sin(x),
        _ => 0.0,
    }
}

/// The input features offered on the network view, computed from (x1, x2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feature {
    X1,
    X2,
    X1Squared,
    X2Squared,
    X1X2,
    SinX1,
    SinX2,
}

impl Feature {
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1X2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    /// The link name.
    pub fn key(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1sq",
            Feature::X2Squared => "x2sq",
            Feature::X1X2 => "x1x2",
            Feature::SinX1 => "sinx1",
            Feature::SinX2 => "sinx2",
        }
    }

    /// The label shown on the network view.
    pub fn label(self) -> &'static str {
        match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Squared => "x₁²",
            Feature::X2Squared => "x₂²",
            Feature::X1X2 => "x₁x₂",
            Feature::SinX1 => "sin x₁",
            Feature::SinX2 => "sin x₂",
        }
    }

    pub fn from_key(key: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn value(self, p: [f64; 2]) -> f64 {
        let [x, y] = p;
        match self {
            Feature::X1 => x,
            Feature::X2 => y,
            Feature::X1Squared => x * x,
            Feature::X2Squared => y * y,
            Feature::X1X2 => x * y,
            Feature::SinX1 => libm::sin(x),
            Feature::SinX2 => libm::sin(y),
        }
    }
}

/// Writes the chosen features of `p` into `out` (length = features.len()).
pub fn featurize(features: &[Feature], p: [f64; 2], out: &mut [f64]) {
    for (o, f) in out.iter_mut().zip(features) {
        *o = f.value(p);
    }
}

impl Task {
    pub fn classes(self) -> usize {
        match self {
            Task::Classification { classes } => classes,
            Task::Regression => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rng::Purpose;
    use super::*;

    fn gen(g: Generator, n: usize, noise: f64, k: usize) -> Dataset {
        g.generate(n, noise, k, &mut Rng::new(42, Purpose::Data))
    }

    #[test]
    fn every_generator_makes_the_requested_count_inside_the_domain() {
        for g in Generator::ALL {
            let d = gen(g, 301, 0.3, 4);
            assert_eq!(d.len(), 301, "{}", g.name());
            assert_eq!(d.targets.len(), 301);
            assert!(d.points.iter().all(|p| p[0].abs() <= DOMAIN && p[1].abs() <= DOMAIN));
            match d.task {
                Task::Classification { classes } => {
                    for c in 0..classes {
                        assert!(d.targets.contains(&(c as f64)), "{} lacks class {c}", g.name());
                    }
                    assert!(d.targets.iter().all(|&t| t >= 0.0 && t < classes as f64 && t.fract() == 0.0));
                }
                Task::Regression => assert!(d.targets.iter().all(|t| (-1.0..=1.0).contains(t))),
            }
        }
    }

    #[test]
    fn generators_are_deterministic_per_seed() {
        for g in Generator::ALL {
            assert_eq!(gen(g, 50, 0.2, 3), gen(g, 50, 0.2, 3));
            let other = g.generate(50, 0.2, 3, &mut Rng::new(43, Purpose::Data));
            assert_ne!(gen(g, 50, 0.2, 3).points, other.points);
        }
    }

    #[test]
    fn noiseless_circle_separates_by_radius() {
        let d = gen(Generator::Circle, 400, 0.0, 2);
        for (p, &t) in d.points.iter().zip(&d.targets) {
            let r = (p[0] * p[0] + p[1] * p[1]).sqrt();
            if t == 0.0 {
                assert!(r <= 2.5 + 1e-9);
            } else {
                assert!(r >= 3.5 - 1e-9);
            }
        }
    }

    #[test]
    fn noiseless_xor_labels_by_quadrant() {
        let d = gen(Generator::Xor, 400, 0.0, 2);
        for (p, &t) in d.points.iter().zip(&d.targets) {
            assert_eq!(t == 0.0, p[0] * p[1] > 0.0);
        }
    }

    #[test]
    fn blobs_make_k_balanced_classes() {
        for k in 3..=6 {
            let d = gen(Generator::Blobs, 600, 0.0, k);
            assert_eq!(d.task, Task::Classification { classes: k });
            for c in 0..k {
                assert_eq!(d.targets.iter().filter(|&&t| t == c as f64).count(), 600 / k);
            }
        }
    }

    #[test]
    fn features_compute_their_formula() {
        let p = [2.0, -3.0];
        let got: Vec<f64> = Feature::ALL.iter().map(|f| f.value(p)).collect();
        assert_eq!(got[..5], [2.0, -3.0, 4.0, 9.0, -6.0]);
        assert!((got[5] - 2f64.sin()).abs() < 1e-15 && (got[6] - (-3f64).sin()).abs() < 1e-15);
        for f in Feature::ALL {
            assert_eq!(Feature::from_key(f.key()), Some(f));
        }
    }
}
