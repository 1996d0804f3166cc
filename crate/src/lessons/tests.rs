use super::*;
use crate::share::decode;

const SAMPLE: &str = "---
title: A first model
---

Intro with *emphasis*, **strong** and `code`.

## Two clouds

Text of the
section, on two lines.

- one item
- two **items**

$$ p = \\sigma(w_1 x_1 + b) $$

@experiment v=1&data=gauss&model=logistic
@task test_accuracy >= 0.9 and c <= 1 | Reach 0.9.
@hint Lower the noise.
@solution v=1&data=gauss&noise=10&model=logistic

## Second
@experiment #v=1&data=circle
";

#[test]
fn a_lesson_file_reads_into_sections_blocks_and_tasks() {
    let l = parse(SAMPLE);
    assert_eq!(l.notices, Vec::<String>::new());
    assert_eq!(l.title, "A first model");
    assert_eq!(
        l.intro,
        vec![Block::Paragraph {
            inlines: vec![
                Inline { text: "Intro with ".into(), style: "plain" },
                Inline { text: "emphasis".into(), style: "em" },
                Inline { text: ", ".into(), style: "plain" },
                Inline { text: "strong".into(), style: "strong" },
                Inline { text: " and ".into(), style: "plain" },
                Inline { text: "code".into(), style: "code" },
                Inline { text: ".".into(), style: "plain" },
            ]
        }]
    );
    assert_eq!(l.sections.len(), 2);
    let s = &l.sections[0];
    assert_eq!(s.title, "Two clouds");
    assert!(
        matches!(&s.blocks[0], Block::Paragraph { inlines } if inlines[0].text == "Text of the section, on two lines.")
    );
    assert!(matches!(&s.blocks[1], Block::List { items } if items.len() == 2 && items[1][1].style == "strong"));
    assert!(matches!(&s.blocks[2], Block::Math { .. }));
    assert_eq!(s.experiment.as_deref(), Some("v=1&data=gauss&model=logistic"));
    let t = s.task.as_ref().expect("task");
    assert_eq!(t.text, "Reach 0.9.");
    assert_eq!(t.source, "test_accuracy >= 0.9 and c <= 1");
    assert_eq!(t.conditions.len(), 2);
    assert_eq!(t.conditions[1], Condition { name: "c".into(), op: "<=".into(), value: "1".into() });
    assert_eq!(t.hint.as_deref(), Some("Lower the noise."));
    assert_eq!(t.solution.as_deref(), Some("v=1&data=gauss&noise=10&model=logistic"));
    // A leading '#' on a link is dropped.
    assert_eq!(l.sections[1].experiment.as_deref(), Some("v=1&data=circle"));
}

#[test]
fn mistakes_in_a_lesson_are_notices_by_line_never_failures() {
    let l = parse("@experiment v=1\n## A\n@task accuracy about 0.9 | x\n@hint h\n@frobnicate\n$$ \\foo{x} $$\n");
    let all = l.notices.join("\n");
    assert!(all.contains("Line 1: @experiment before the first section"), "{all}");
    assert!(all.contains("Line 3: the task cannot be checked"), "{all}");
    assert!(all.contains("Line 4: @hint without a @task"), "{all}");
    assert!(all.contains("Line 5: “@frobnicate” is not a directive"), "{all}");
    assert!(all.contains("Line 6: the formula command \\foo is not known"), "{all}");
    assert_eq!(l.sections.len(), 1);
    // Empty and binary-looking input still gives a lesson.
    assert!(parse("").notices[0].contains("no section"));
    let junk: String = (0..3000u32).filter_map(char::from_u32).collect();
    let _ = parse(&junk);
    let big = "## A\n".to_string() + &"x".repeat(MAX_LESSON_BYTES + 10);
    assert!(parse(&big).notices[0].contains("only its first"));
}

#[test]
fn unclosed_marks_stay_text() {
    assert_eq!(inlines("2 * 3 and `x"), vec![Inline { text: "2 * 3 and `x".into(), style: "plain" }]);
    assert_eq!(inlines("a **b** c")[1], Inline { text: "b".into(), style: "strong" });
}

fn tags(n: &math::Node) -> String {
    if n.children.is_empty() {
        format!("{}({})", n.tag, n.text)
    } else {
        format!("{}[{}]", n.tag, n.children.iter().map(tags).collect::<Vec<_>>().join(" "))
    }
}

#[test]
fn formulas_become_mathml_trees() {
    let (n, problems) = math::parse("\\bar{x} = \\frac{1}{n} \\sum_{i=1}^{n} x_i");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        tags(&n),
        "math[mrow[mover[mi(x) mo(¯)] mo(=) mfrac[mn(1) mi(n)] munderover[mo(∑) mrow[mi(i) mo(=) mn(1)] mi(n)] msub[mi(x) mi(i)]]]"
    );
    let (n, _) = math::parse("\\sigma^2 \\approx 0.25 \\text{ per row}");
    assert_eq!(tags(&n), "math[mrow[msup[mi(σ) mn(2)] mo(≈) mn(0.25) mtext( per row)]]");
    let (n, _) = math::parse("\\sqrt{x^{2} + y_1^2}");
    assert_eq!(tags(&n), "math[mrow[msqrt[mrow[msup[mi(x) mn(2)] mo(+) msubsup[mi(y) mn(1) mn(2)]]]]]");
    // Broken formulas report and still give a tree.
    let (_, problems) = math::parse("{x + } } ^");
    assert!(!problems.is_empty());
    let (_, problems) = math::parse(&"{".repeat(500));
    assert!(problems.iter().any(|p| p.contains("not closed")));
}

fn session(link: &str, epochs: u32) -> (Session, String) {
    let mut s = Session::new(decode(link).experiment).expect("opens");
    s.train_epochs(epochs);
    let link = crate::share::encode(s.experiment());
    (s, link)
}

#[test]
fn tasks_are_checked_against_the_sessions_metrics_and_settings() {
    let (mut s, link) = session("v=1&data=gauss&noise=0&model=logistic&c=1&features=x1,x2", 20);
    let m = Measures::of(&mut s, &link);
    assert!(m.numbers["test_accuracy"] > 0.9, "{m:?}");
    let c = |text: &str| check(&parse_conditions(text).expect("parses"), &m);
    assert!(c("test_accuracy >= 0.9 and model = logistic and c <= 1").met);
    assert!(!c("test_accuracy >= 0.9 and c < 1").met);
    assert!(c("features has x2").met);
    assert!(!c("features has x1sq").met);
    assert!(!c("nothing = 1").met);
    let shown = c("c <= 1");
    assert_eq!(shown.conditions[0].value.as_deref(), Some("1"));
    // The network's size.
    let (mut s, link) = session("v=1&data=circle&hidden=3,2&features=x1,x2,x1sq,x2sq", 30);
    let m = Measures::of(&mut s, &link);
    assert_eq!((m.numbers["neurons"], m.numbers["layers"], m.numbers["epoch"]), (5.0, 2.0, 30.0));
    assert!(check(&parse_conditions("neurons <= 5 and epoch >= 30").expect("parses"), &m).met);
    // Regression and clustering measures.
    let (mut s, link) = session("v=1&data=diabetes&model=ridge", 1);
    let m = Measures::of(&mut s, &link);
    assert!(m.numbers["test_r2"] > 0.3 && m.numbers["test_rmse"] > 1.0, "{m:?}");
    let (mut s, link) = session("v=1&data=blobs&classes=3&noise=10&model=kmeans&k=3", 1);
    let m = Measures::of(&mut s, &link);
    assert!(m.numbers["adjusted_rand"] > 0.9, "{m:?}");
}

/// Every task of the built-in lessons whose solution is a classical or iterative model (they
/// fit to the end; the network's tasks need a browser's training time and are completed by
/// the end-to-end test) is met by its own solution, in both languages.
#[test]
fn every_classical_solution_meets_its_task() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut checked = 0;
    for lang in ["en", "id"] {
        let mut files: Vec<_> =
            std::fs::read_dir(dir.join(lang)).expect("lessons").flatten().map(|f| f.path()).collect();
        files.sort();
        for file in files {
            let lesson = parse(&std::fs::read_to_string(&file).expect("reads"));
            for section in &lesson.sections {
                let Some(task) = &section.task else { continue };
                let Some(solution) = &task.solution else { continue };
                let mut s = Session::new(decode(solution).experiment).expect("opens");
                if s.trainer().is_none() {
                    continue;
                }
                s.fit_to_end();
                let link = crate::share::encode(s.experiment());
                let m = Measures::of(&mut s, &link);
                let result = check(&task.conditions, &m);
                assert!(
                    result.met,
                    "{}: “{}” not met by {solution}: {:?}",
                    file.display(),
                    task.source,
                    result.conditions
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} tasks checked");
}
