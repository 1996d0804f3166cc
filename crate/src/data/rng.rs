//! Seeded randomness that gives the same numbers on every target.
//!
//! One `Rng` per purpose (data, init, shuffle), each derived from a user-visible seed and a
//! purpose tag, so changing one (say, regenerating the data) leaves the others alone.
//! Normal draws use Box–Muller on `libm`, not `rand_distr`, whose ziggurat tables call the
//! platform's `exp`/`ln` and could differ between the browser and the native CLI.

use rand::{Rng as _, RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// What a random stream is used for; mixed into its seed.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Data = 1,
    Split = 2,
    Init = 3,
    Shuffle = 4,
    /// Randomness inside a model's fit (bootstrap samples, k-means seeding, mixture init).
    Model = 5,
    /// Candidates drawn by a random hyperparameter search.
    Search = 6,
    /// The smaller training sets of a learning curve.
    Subsample = 7,
    /// Cross-validation folds of the training rows.
    Folds = 8,
}

/// A small, fast, seedable generator (PCG 64 MCG) with the draws the core needs.
#[derive(Debug, Clone)]
pub struct Rng(Pcg64Mcg);

impl Rng {
    pub fn new(seed: u64, purpose: Purpose) -> Self {
        // SplitMix64 finaliser: spreads nearby seeds (1, 2, 3...) into unrelated states.
        let mut z = seed ^ (purpose as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(Pcg64Mcg::seed_from_u64(z))
    }

    /// A generator with this one's state, for crates that take a `rand::Rng` (linfa).
    pub fn into_rand(self) -> Pcg64Mcg {
        self.0
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal draw (Box–Muller, one of the pair).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // in (0, 1]: ln is finite
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// Uniform index in 0..n (n > 0); portable across 32- and 64-bit targets.
    pub fn index(&mut self, n: usize) -> usize {
        self.0.gen_range(0..n as u64) as usize
    }

    /// Fisher–Yates shuffle driven by `index`, so the order is the same on every target.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_purposes_differ() {
        let mut a = Rng::new(7, Purpose::Data);
        let mut b = Rng::new(7, Purpose::Data);
        let mut c = Rng::new(7, Purpose::Init);
        let xs: Vec<f64> = (0..5).map(|_| a.unit()).collect();
        let ys: Vec<f64> = (0..5).map(|_| b.unit()).collect();
        let zs: Vec<f64> = (0..5).map(|_| c.unit()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn normal_has_mean_zero_and_unit_variance() {
        let mut r = Rng::new(1, Purpose::Data);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        // Standard error of the mean is 1/sqrt(20000) ≈ 0.007; allow about 4 of them.
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut r = Rng::new(3, Purpose::Shuffle);
        let mut v: Vec<usize> = (0..100).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }
}
