//! `exp` and `tanh` for the training hot path, written by hand because they dominate the
//! time of a small network and `libm`'s versions (accurate to the last bit, with many
//! special-case branches) cost several times more. Both use only IEEE-exact operations
//! (+, −, ×, ÷, floor, bit casts) in a fixed order, so they give the same bits on every
//! target, as the platform-independence of links requires.

const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const INV_LN2: f64 = std::f64::consts::LOG2_E;

/// e^x for x in [-700, 700] (callers clamp), relative error below 1e-11.
///
/// Cody–Waite reduction x = k·ln2 + r with |r| ≤ ln2/2, then a polynomial for e^r.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // Adding 1.5·2^52 rounds x/ln2 to the nearest integer k and leaves k in the low mantissa
    // bits, so 2^k is built with integer adds and shifts: every step has a SIMD form, which
    // an `as i64` cast lacks in wasm, and the loops calling this vectorise.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let kd = x * INV_LN2 + SHIFT;
    let k = kd - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // e^r by its Taylor series to degree 9: the first omitted term, (ln2/2)^10/10!, is 7e-12
    // relative, far below anything training can notice. Estrin's scheme (pairs of terms,
    // then powers of r²) shortens the chain of dependent multiplies that Horner's would be.
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = 1.0 + r;
    let p23 = 0.5 + r * (1.0 / 6.0);
    let p45 = 1.0 / 24.0 + r * (1.0 / 120.0);
    let p67 = 1.0 / 720.0 + r * (1.0 / 5_040.0);
    let p89 = 1.0 / 40_320.0 + r * (1.0 / 362_880.0);
    let p = (p01 + r2 * p23) + r4 * ((p45 + r2 * p67) + r4 * p89);
    // The low 12 bits of (kd's bits + 1023) are k + 1023, the biased exponent of 2^k.
    p * f64::from_bits(kd.to_bits().wrapping_add(1023) << 52)
}

/// tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)); absolute error below 1e-11 everywhere.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    // tanh(19.1) rounds to 1.0 in f64, so larger inputs clamp to 20 and cannot overflow.
    // A comparison rather than `min`, which would turn NaN into 20 and hide a divergence.
    let a = x.abs();
    let a = if a > 20.0 { 20.0 } else { a };
    let t = 1.0 - 2.0 / (exp(2.0 * a) + 1.0);
    t.copysign(x)
}

/// The logistic function 1/(1 + e^{−x}).
#[inline(always)]
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + exp((-x).clamp(-700.0, 700.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_libm_to_1e_11() {
        let mut worst: f64 = 0.0;
        for i in -70_000..=70_000 {
            let x = i as f64 * 0.01 + 0.000_123;
            let (got, want) = (exp(x), libm::exp(x));
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(worst < 1e-11, "worst relative error {worst:e}");
    }

    #[test]
    fn tanh_matches_libm_to_1e_11() {
        let mut worst: f64 = 0.0;
        for i in -400_000..=400_000 {
            let x = i as f64 * 0.000_05 + 1e-9;
            worst = worst.max((tanh(x) - libm::tanh(x)).abs());
        }
        assert!(worst < 1e-11, "worst absolute error {worst:e}");
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(tanh(50.0), 1.0);
        assert_eq!(tanh(-1e300), -1.0);
        assert!(tanh(f64::NAN).is_nan());
    }

    #[test]
    fn sigmoid_is_the_logistic_function() {
        for x in [-800.0, -30.0, -1.0, 0.0, 0.5, 3.0, 800.0] {
            let want = 1.0 / (1.0 + libm::exp(-x));
            assert!((sigmoid(x) - want).abs() < 1e-11, "{x}");
        }
    }
}
