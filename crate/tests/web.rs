//! Tier 2: the wasm boundary in a real browser (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use latih::web::Lab;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().and_then(|w| w.document()).expect("document");
    let c: HtmlCanvasElement = doc.create_element("canvas").expect("canvas").dyn_into().expect("is a canvas");
    c.set_width(w);
    c.set_height(h);
    c
}

fn pixels(c: &HtmlCanvasElement) -> Vec<u8> {
    let ctx: web_sys::CanvasRenderingContext2d =
        c.get_context("2d").expect("ctx").expect("2d").dyn_into().expect("2d context");
    ctx.get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64).expect("pixels").data().to_vec()
}

#[wasm_bindgen_test]
fn default_link_trains_and_loss_falls() {
    let mut lab = Lab::new("").expect("default lab");
    let before = lab.losses()[1];
    // Ten epochs within a generous budget; max_epochs caps it.
    let mut done = 0;
    while done < 10 {
        done += lab.train(50.0, 10 - done);
    }
    assert_eq!(lab.epoch(), 10);
    let losses = lab.losses();
    // Triples of (epoch, train, test); the last recorded epoch is 10.
    let n = losses.len();
    assert_eq!(n % 3, 0);
    assert_eq!(losses[n - 3], 10.0);
    assert!(losses[n - 2] < before, "train loss {before} -> {}", losses[n - 2]);
}

#[wasm_bindgen_test]
fn bad_link_gives_notices_and_canonical_link() {
    let lab = Lab::new("#v=1&data=spiral&hidden=8,999&bogus=2").expect("lab");
    let notices = lab.notices();
    assert!(notices.iter().any(|n| n.contains("bogus")), "{notices:?}");
    assert!(notices.iter().any(|n| n.contains("999")), "{notices:?}");
    assert!(lab.link().contains("data=spiral&"));
    assert!(lab.link().contains("hidden=8,64&"));
}

#[wasm_bindgen_test]
fn set_changes_the_link_and_view_settings_keep_training() {
    let mut lab = Lab::new("").expect("lab");
    lab.step();
    assert_eq!(lab.epoch(), 1);
    lab.set("test", "1").expect("set");
    assert_eq!(lab.epoch(), 1, "a view setting must not reset training");
    assert!(lab.link().contains("test=1"));
    let notices = lab.set("lr", "0.1").expect("set");
    assert!(notices.is_empty());
    assert_eq!(lab.epoch(), 0, "a training setting restarts from epoch 0");
    assert!(lab.link().contains("lr=0.1&"));
    let notices = lab.set("samples", "5").expect("set");
    assert!(notices.iter().any(|n| n.contains("minimum")), "{notices:?}");
}

#[wasm_bindgen_test]
fn draw_paints_the_boundary_and_every_neuron() {
    let mut lab = Lab::new("v=1&data=blobs&classes=4&hidden=3").expect("lab");
    lab.train(30.0, 5);
    let view = canvas(120, 120);
    let thumbs = js_sys::Array::new();
    for _ in 0..3 {
        thumbs.push(&canvas(20, 20));
    }
    lab.draw(&view, &thumbs, -1, -1).expect("draw");
    let px = pixels(&view);
    // Opaque everywhere, and more than a handful of distinct colours (field + points).
    assert!(px.chunks(4).all(|p| p[3] == 255));
    let mut colours: Vec<&[u8]> = px.chunks(4).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 20, "only {} colours", colours.len());
    for t in thumbs.iter() {
        let c: HtmlCanvasElement = t.dyn_into().expect("canvas");
        assert!(pixels(&c).chunks(4).all(|p| p[3] == 255));
    }
    let chart = canvas(300, 100);
    lab.draw_loss(&chart).expect("loss chart");
    assert!(pixels(&chart).chunks(4).any(|p| p[0] < 100), "the chart drew dark lines");
}

#[path = "support/same_numbers.rs"]
mod same_numbers;

/// The wasm half of `tests/same_numbers.rs`: every model family gives, bit for bit, the
/// results the native build recorded.
#[wasm_bindgen_test]
fn every_model_gives_the_numbers_the_native_build_gives() {
    let diff = same_numbers::differences(include_str!("fixtures/same-numbers.txt"));
    assert!(diff.is_empty(), "wasm differs from native:\n{}", diff.join("\n"));
}

#[wasm_bindgen_test]
fn a_file_is_read_then_prepared_then_made_the_data_each_in_a_call_of_its_own() {
    let mut lab = Lab::new("").expect("lab");
    let before = lab.link();
    let csv = b"a,b,kind\n1,2,x\n2,3,y\n3,1,x\n4,5,y\n5,2,x\n6,6,y\n7,1,x\n8,7,y\n";
    lab.csv_start(csv, "small.csv", "auto", "auto").expect("starts");
    let mut steps = Vec::new();
    while steps.last() != Some(&1.0) {
        steps.push(lab.csv_step(1000.0).expect("steps"));
    }
    // The reading ends within the first call; preparing the data is the next one.
    assert_eq!(steps, [0.99, 1.0]);
    assert_eq!(lab.csv_rows(), 8);
    assert_eq!(lab.link(), before, "the experiment changes only when the file is made the data");
    lab.csv_finish().expect("finishes");
    assert!(lab.link().contains("data=csv"), "{}", lab.link());

    // A setting changed between preparing and finishing is kept: the data is prepared again.
    lab.csv_start(csv, "small.csv", "auto", "auto").expect("starts");
    while lab.csv_step(1000.0).expect("steps") < 1.0 {}
    lab.set("lr", "0.1").expect("sets");
    lab.csv_finish().expect("finishes");
    assert!(lab.link().contains("lr=0.1&") && lab.link().contains("data=csv"), "{}", lab.link());

    // A file with nothing to train on fails at its preparing step; the experiment stays.
    let mut lab = Lab::new("").expect("lab");
    lab.csv_start(b"a,b\n1,\n2,\n3,\n", "empty-target.csv", "auto", "auto").expect("starts");
    assert_eq!(lab.csv_step(1000.0).expect("reads"), 0.99);
    let why = lab.csv_step(1000.0).expect_err("cannot be trained on").as_string().expect("a message");
    assert!(why.contains("cannot be trained on as it is"), "{why}");
    assert_eq!(lab.link(), before);
    assert!(lab.csv_finish().is_err(), "the failed file was dropped");
}

/// Opens `link` (which names `epochs` trained epochs and no weights), replays it in slices as
/// the page's frames do, and checks it ends where replaying it in one go ends, to the bit.
fn replays_as_in_one_go(link: &str, epochs: u32) -> Lab {
    use latih::experiment::run::Trained;
    use latih::experiment::Session;
    let mut lab = Lab::new(link).expect("lab");
    assert!(lab.replaying(), "{link}: the replay was done in one call");
    assert_eq!(lab.replay_target(), epochs);
    assert!(lab.epoch() < epochs);
    let mut steps = 0;
    let mut last = 0.0;
    loop {
        let done = lab.replay_step(20.0);
        assert!(done >= last, "progress went back: {last} -> {done}");
        last = done;
        steps += 1;
        if done >= 1.0 {
            break;
        }
    }
    assert!(steps > 1);
    assert!(!lab.replaying());
    // The reference: the session's own restore, which replays in one go.
    let mut one_go = Session::new(latih::share::decode(link).experiment).expect("session");
    one_go.set_record_every_epoch(false);
    one_go.restore(&Trained { epoch: epochs, model: None, optimizer: None }).expect("restores");
    assert_eq!(lab.epoch(), one_go.epoch(), "{link}");
    let expected = one_go.history().last().copied().expect("a record");
    let losses = lab.losses();
    let n = losses.len();
    assert_eq!(losses[n - 3], f64::from(one_go.epoch()));
    assert_eq!(losses[n - 2].to_bits(), expected.train_loss.to_bits(), "{link}");
    assert_eq!(losses[n - 1].to_bits(), expected.test_loss.to_bits(), "{link}");
    lab
}

#[wasm_bindgen_test]
fn a_trained_state_without_weights_is_replayed_in_slices_to_the_same_numbers() {
    // 20,000 epochs on 350 rows: longer than one call may block, so most of it is replayed
    // by replay_step, as the page's frames call it.
    let lab = replays_as_in_one_go("v=1&data=circle&trained=20000", 20000);
    assert_eq!(lab.epoch(), 20000);
    // A run that diverges on the way ends where it ends in one go too, whatever the slices.
    let lab = replays_as_in_one_go("v=1&data=plane&act=relu&opt=momentum&lr=10&hidden=8,8&trained=20000", 20000);
    assert!(lab.losses().last().is_some_and(|l| !l.is_finite()), "the run was meant to diverge");
    // Training (Play, Step) ends a replay where it is.
    let mut lab = Lab::new("v=1&data=circle&trained=20000").expect("lab");
    assert!(lab.replaying());
    lab.train(5.0, 0);
    assert!(!lab.replaying());
}

/// Trains exactly `epochs` more epochs, in slices as the page does.
fn train_epochs(lab: &mut Lab, epochs: u32) {
    let mut done = 0;
    while done < epochs {
        done += lab.train(20.0, epochs - done);
    }
}

#[wasm_bindgen_test]
fn a_lab_handed_over_goes_on_as_the_first_would_have() {
    // The page moves a Lab from the playground build to the full one this way; both builds
    // write and read the same handover, so one build checks it here (the e2e test checks the
    // move between the two).
    let link = "v=1&data=spiral&samples=300&hidden=6,4&act=tanh&opt=adam&lr=0.01&seed=3";
    let mut first = Lab::new(link).expect("lab");
    train_epochs(&mut first, 25);
    let mut second = Lab::new("").expect("lab");
    second.take_over(&first.handover()).expect("takes over");
    assert_eq!(second.link(), first.link());
    assert_eq!(second.epoch(), 25);
    assert_eq!(second.losses(), first.losses(), "the loss history came along");
    train_epochs(&mut first, 10);
    train_epochs(&mut second, 10);
    let bits = |l: &Lab| l.losses().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&second), bits(&first), "the optimiser's memory and the shuffles came along");

    // A classical model on a table comes along as it is.
    let mut tree = Lab::new("v=1&data=iris&model=tree&depth=3").expect("lab");
    train_epochs(&mut tree, 1);
    let mut other = Lab::new("").expect("lab");
    other.take_over(&tree.handover()).expect("takes over");
    assert_eq!(other.link(), tree.link());
    assert_eq!(other.model_summary(), tree.model_summary());

    // A link's training being replayed is handed over as the link names it, and replayed on.
    let mut replaying = Lab::new("v=1&data=circle&trained=20000").expect("lab");
    assert!(replaying.replaying());
    let mut next = Lab::new("").expect("lab");
    next.take_over(&replaying.handover()).expect("takes over");
    assert!(next.replaying());
    assert_eq!(next.replay_target(), 20000);

    // Weights from inside an epoch: the epoch is finished first, so the bits go on the same.
    let busy = "v=1&data=circle&samples=2000&batch=1&hidden=4&seed=2";
    let mut inside = Lab::new(busy).expect("lab");
    inside.train(0.0, 1);
    let mut took = Lab::new("").expect("lab");
    took.take_over(&inside.handover()).expect("takes over");
    let mut straight = Lab::new(busy).expect("lab");
    train_epochs(&mut straight, took.epoch());
    train_epochs(&mut took, 2);
    train_epochs(&mut straight, 2);
    let last = |l: &Lab| l.losses().iter().rev().take(3).map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(last(&took), last(&straight));

    // A network that diverged has weights that are not numbers: it opens from its link, saying so.
    let mut diverged = Lab::new("v=1&data=plane&act=relu&opt=momentum&lr=10&hidden=8,8").expect("lab");
    train_epochs(&mut diverged, 50);
    let mut after = Lab::new("").expect("lab");
    let notices = after.take_over(&diverged.handover()).expect("takes over");
    assert_eq!(after.link(), diverged.link());
    assert!(notices.iter().any(|n| n.contains("could not be carried over")), "{notices:?}");
    assert_eq!(after.epoch(), 0);

    // A handover that is not one is refused with a message and changes nothing.
    let before = next.link();
    assert!(next.take_over("not json").is_err());
    assert_eq!(next.link(), before);
}

#[wasm_bindgen_test]
fn the_settings_table_crosses_into_js_with_the_network_limits() {
    let table = latih::web::experiment_settings();
    let settings: js_sys::Array =
        js_sys::Reflect::get(&table, &"settings".into()).expect("settings").dyn_into().expect("a list");
    let hidden = settings
        .iter()
        .find(|s| js_sys::Reflect::get(s, &"key".into()).ok().and_then(|k| k.as_string()).as_deref() == Some("hidden"))
        .expect("the hidden layers' setting");
    let check = js_sys::Reflect::get(&hidden, &"check".into()).expect("check");
    assert_eq!(js_sys::Reflect::get(&check, &"max_len".into()).expect("max_len").as_f64(), Some(10.0));
    assert_eq!(js_sys::Reflect::get(&check, &"max".into()).expect("max").as_f64(), Some(64.0));
    // Every setting crossed, the seeds' huge maximum too.
    assert!(settings.length() > 20, "{}", settings.length());
}
