//! The MLP allocates nothing per training step once built. This test binary installs a
//! counting global allocator (it applies to this binary only) and trains with it.
#![cfg(not(target_arch = "wasm32"))]

use latih::models::mlp::{Activation, Mlp, MlpParams, Optimizer, Output};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

#[allow(unsafe_code)] // a GlobalAlloc impl is unsafe by definition; it only forwards to System
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn training_steps_and_evaluation_allocate_nothing() {
    for optimizer in [Optimizer::Sgd, Optimizer::Momentum, Optimizer::Adam] {
        let params = MlpParams {
            inputs: 3,
            hidden: vec![8, 8, 8],
            output: Output::Softmax { classes: 3 },
            activation: Activation::Tanh,
            optimizer,
            batch_size: 100,
            ..MlpParams::default()
        };
        let mut net = Mlp::new(params.check().expect("valid"));
        let rows = 300;
        let xs: Vec<f64> = (0..rows * 3).map(|i| ((i * 37) % 11) as f64 / 5.0 - 1.0).collect();
        let ts: Vec<f64> = (0..rows).map(|i| (i % 3) as f64).collect();
        let order: Vec<usize> = (0..rows).rev().collect();
        // Batches larger than one chunk of rows exercise the chunking too.
        let before = ALLOCATIONS.load(Ordering::SeqCst);
        for batch in order.chunks(100) {
            net.train_batch(&xs, &ts, batch);
        }
        let (loss, _) = net.evaluate(&xs, &ts);
        let after = ALLOCATIONS.load(Ordering::SeqCst);
        assert!(loss.is_finite());
        assert_eq!(after - before, 0, "{optimizer:?}: {} allocations during training", after - before);
        // The counter does count: building a network allocates.
        let _other = Mlp::new(MlpParams { inputs: 3, ..MlpParams::default() }.check().expect("valid"));
        assert!(ALLOCATIONS.load(Ordering::SeqCst) > after);
    }
}
