//! A limited-memory BFGS minimiser that advances one iteration per call, so a fit can be drawn
//! as it goes and resumed where it stopped. Written here rather than taken from argmin (which
//! linfa-logistic uses) because a resumable state, a fused cost-and-gradient callback and a
//! fixed order of floating-point operations (the same bits on every target) are what a
//! playground needs, and argmin offers none of the three without its whole executor.

/// Pairs of (step, gradient change) kept for the inverse-Hessian estimate.
const MEMORY: usize = 10;
/// Sufficient decrease and curvature constants of the weak Wolfe conditions.
const C1: f64 = 1e-4;
const C2: f64 = 0.9;
/// Function evaluations one line search may spend before it gives up.
const MAX_EVALUATIONS: usize = 40;

/// Where the minimiser stands: the point, its cost and gradient, and the recent history.
#[derive(Debug, Clone)]
pub struct Lbfgs {
    pub x: Vec<f64>,
    pub cost: f64,
    pub gradient: Vec<f64>,
    history: Vec<(Vec<f64>, Vec<f64>, f64)>,
}

/// What one iteration did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Moved to a point of lower cost.
    Moved,
    /// No step along the search direction lowers the cost any more: the point is as good as
    /// floating point can tell.
    Stalled,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Lbfgs {
    /// Starts at `x`; `eval(x, gradient)` writes the gradient and returns the cost.
    pub fn new(x: Vec<f64>, eval: &mut impl FnMut(&[f64], &mut [f64]) -> f64) -> Lbfgs {
        let mut gradient = vec![0.0; x.len()];
        let cost = eval(&x, &mut gradient);
        Lbfgs { x, cost, gradient, history: Vec::new() }
    }

    /// The largest absolute component of the gradient.
    pub fn gradient_max(&self) -> f64 {
        self.gradient.iter().fold(0.0, |m, g| m.max(g.abs()))
    }

    /// The search direction −H·g by the two-loop recursion.
    fn direction(&self) -> Vec<f64> {
        let mut q: Vec<f64> = self.gradient.iter().map(|g| -g).collect();
        let mut alphas = Vec::with_capacity(self.history.len());
        for (s, y, rho) in self.history.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a * yi);
            alphas.push(a);
        }
        // Scale by the latest curvature estimate; before any history, take a unit-length step.
        let gamma = match self.history.last() {
            Some((s, y, _)) => dot(s, y) / dot(y, y),
            None => 1.0 / dot(&self.gradient, &self.gradient).sqrt().max(1.0),
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for ((s, y, rho), a) in self.history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &q);
            q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a - b) * si);
        }
        q
    }

    /// One iteration: a direction, a weak Wolfe line search along it (bisection and
    /// doubling), and the history update. When the quasi-Newton direction finds no lower
    /// cost, the history is dropped and steepest descent tried before giving up.
    pub fn step(&mut self, eval: &mut impl FnMut(&[f64], &mut [f64]) -> f64) -> Outcome {
        loop {
            let fresh = self.history.is_empty();
            if self.search(eval) {
                return Outcome::Moved;
            }
            if fresh {
                return Outcome::Stalled;
            }
            self.history.clear();
        }
    }

    /// Line search along the current direction; moves and returns true if the cost fell.
    fn search(&mut self, eval: &mut impl FnMut(&[f64], &mut [f64]) -> f64) -> bool {
        let d = self.direction();
        let slope = dot(&self.gradient, &d);
        if slope >= 0.0 || !slope.is_finite() {
            return false;
        }
        let n = self.x.len();
        let (mut lo, mut hi, mut t) = (0.0f64, f64::INFINITY, 1.0f64);
        let mut trial = vec![0.0; n];
        let mut trial_gradient = vec![0.0; n];
        let mut best: Option<(f64, Vec<f64>, Vec<f64>)> = None;
        let mut accepted = false;
        for _ in 0..MAX_EVALUATIONS {
            trial.iter_mut().zip(self.x.iter().zip(&d)).for_each(|(v, (x, di))| *v = x + t * di);
            let cost = eval(&trial, &mut trial_gradient);
            if cost.is_finite() && cost < self.cost && best.as_ref().is_none_or(|(c, _, _)| cost < *c) {
                best = Some((cost, trial.clone(), trial_gradient.clone()));
            }
            if !cost.is_finite() || cost > self.cost + C1 * t * slope {
                hi = t;
            } else if dot(&trial_gradient, &d) < C2 * slope {
                lo = t;
            } else {
                accepted = true;
                best = Some((cost, trial.clone(), trial_gradient.clone()));
                break;
            }
            t = if hi.is_finite() { 0.5 * (lo + hi) } else { 2.0 * t };
        }
        let Some((cost, x, gradient)) = best else { return false };
        let s: Vec<f64> = x.iter().zip(&self.x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gradient.iter().zip(&self.gradient).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        // Only a pair with positive curvature keeps the estimate positive definite.
        if accepted && sy > 1e-12 * dot(&y, &y).sqrt() * dot(&s, &s).sqrt() && sy > 0.0 {
            if self.history.len() == MEMORY {
                self.history.remove(0);
            }
            self.history.push((s, y, 1.0 / sy));
        }
        self.x = x;
        self.cost = cost;
        self.gradient = gradient;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Rosenbrock function: a curved valley that defeats plain gradient descent.
    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let mut eval = rosenbrock;
        let mut m = Lbfgs::new(vec![-1.2, 1.0], &mut eval);
        let mut iterations = 0;
        while m.gradient_max() > 1e-10 && iterations < 200 {
            if m.step(&mut eval) == Outcome::Stalled {
                break;
            }
            iterations += 1;
        }
        assert!((m.x[0] - 1.0).abs() < 1e-7 && (m.x[1] - 1.0).abs() < 1e-7, "ended at {:?}", m.x);
        assert!(iterations < 100, "took {iterations} iterations");
    }

    #[test]
    fn every_step_lowers_the_cost_and_a_minimum_stalls() {
        // A badly scaled quadratic: cost 0.5·Σ k·x_k².
        let mut eval = |x: &[f64], g: &mut [f64]| {
            let mut c = 0.0;
            for (k, (xi, gi)) in x.iter().zip(g.iter_mut()).enumerate() {
                let w = 10f64.powi(k as i32 % 4);
                *gi = w * xi;
                c += 0.5 * w * xi * xi;
            }
            c
        };
        let mut m = Lbfgs::new(vec![1.0; 12], &mut eval);
        let mut last = m.cost;
        for _ in 0..60 {
            if m.step(&mut eval) == Outcome::Stalled {
                break;
            }
            assert!(m.cost < last, "cost rose from {last} to {}", m.cost);
            last = m.cost;
        }
        assert!(m.cost < 1e-20, "cost {}", m.cost);
        let mut at_minimum = Lbfgs::new(vec![0.0; 3], &mut eval);
        assert_eq!(at_minimum.step(&mut eval), Outcome::Stalled);
    }
}
