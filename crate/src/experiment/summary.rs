//! The model summary the page shows beside a classical model: a few lines in words (so
//! screen readers get them), in the page's language.

use super::Session;
use crate::lang::Lang;
use crate::metrics::r2;
use crate::models::als::RatingMatrix;
use crate::models::Kind;

/// A few lines saying what the fitted model is.
pub fn summary(s: &Session, lang: Lang) -> Vec<String> {
    let id = lang == Lang::Id;
    let Some(fitted) = s.fitted() else {
        return vec![lang
            .pick("Press Play or Step to fit the model.", "Tekan Jalankan atau Langkah untuk mem-fit model.")
            .into()];
    };
    let labels = s.inputs().labels();
    let names: Vec<&str> = labels.iter().map(|l| l.1.as_str()).collect();
    let mut lines = Vec::new();
    if let Some(t) = s.trainer() {
        match (t.converged_at(), t.progress()) {
            (Some(at), _) if t.converged_by_gradient() && id => {
                lines.push(format!("Konvergen setelah {at} iterasi: gradiennya praktis nol."))
            }
            (Some(at), _) if t.converged_by_gradient() => {
                lines.push(format!("Converged after {at} iterations: the gradient is practically zero."))
            }
            (Some(at), _) if id => lines.push(format!("Konvergen: iterasi {at} tidak mengubah apa pun.")),
            (Some(at), _) => lines.push(format!("Converged: iteration {} moved nothing.", at)),
            (None, (done, total)) if total > 1 && id => lines.push(format!("Iterasi {done} dari {total}.")),
            (None, (done, total)) if total > 1 => lines.push(format!("Iteration {done} of {total}.")),
            _ => {}
        }
    }
    lines.extend(fitted.describe(&names, lang));
    if let Some(table) = s.rating_matrix() {
        lines.extend(top_picks(&table, 0, 3, lang));
    }
    match s.experiment().kind() {
        Kind::Regression => {
            let tr = r2(&fitted.predict(s.x_train()), s.y_train());
            let te = r2(&fitted.predict(s.x_test()), s.y_test());
            lines.push(if id {
                format!(
                    "R²: latih {tr:.3}, uji {te:.3} (1 berarti sempurna, 0 berarti tidak lebih baik dari rata-rata)."
                )
            } else {
                format!("R²: training {tr:.3}, test {te:.3} (1 is perfect, 0 is no better than the mean).")
            });
        }
        Kind::Clustering if !s.experiment().is_regression() => {
            let data = crate::models::Data { x: s.x_train(), y: s.y_train(), task: s.task() };
            if let Some(ari) = fitted.score(&data) {
                lines.push(if id {
                    format!("Kecocokan dengan kelas sebenarnya (adjusted Rand index): {ari:.3}.")
                } else {
                    format!("Agreement with the true classes (adjusted Rand index): {ari:.3}.")
                });
            }
        }
        _ => {}
    }
    lines
}

/// What the recommender would suggest to one user: the unrated items it rates highest.
fn top_picks(m: &RatingMatrix, user: usize, count: usize, lang: Lang) -> Option<String> {
    let row = m.predicted.get(user)?;
    let seen: Vec<usize> = m.rated.iter().filter(|r| r.0 == user && !r.3).map(|r| r.1).collect();
    let mut picks: Vec<(usize, f64)> = row.iter().copied().enumerate().filter(|(i, _)| !seen.contains(i)).collect();
    picks.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let names: Vec<String> = picks.iter().take(count).map(|&(i, p)| format!("{} ({:.1})", m.items[i], p)).collect();
    (!names.is_empty())
        .then(|| format!("{} {}: {}.", lang.pick("Suggested to", "Disarankan untuk"), m.users[user], names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Status;

    /// A session of `link`, fitted to the end (a network: trained until its "stop after").
    fn fitted(link: &str) -> Session {
        let mut s = Session::new(crate::share::decode(link).experiment).expect("valid");
        for _ in 0..10_000 {
            if !s.can_train() {
                break;
            }
            s.train_epochs(1);
        }
        s
    }

    /// The English status message, as `Status` carries it.
    fn english_status(s: &Session) -> Option<String> {
        match s.status() {
            Status::Ready => None,
            Status::Done(m) | Status::Stopped(m) | Status::Diverged(m) | Status::Failed(m) => Some(m.clone()),
        }
    }

    /// Both languages' summaries and statuses; English is the status's own text.
    fn both(s: &Session) -> (Vec<String>, Vec<String>, String, String) {
        let (en, id) = (summary(s, Lang::En), summary(s, Lang::Id));
        assert_eq!(en.len(), id.len(), "{en:?} / {id:?}");
        assert_ne!(en, id);
        let status_en = s.status_message(Lang::En).expect("a status");
        assert_eq!(Some(status_en.clone()), english_status(s), "English is the status's own text");
        let status_id = s.status_message(Lang::Id).expect("a status");
        assert_ne!(status_en, status_id);
        (en, id, status_en, status_id)
    }

    #[test]
    fn an_unfitted_model_asks_for_play_in_the_page_language() {
        let s = Session::new(crate::share::decode("v=1&data=iris&model=tree").experiment).expect("valid");
        assert_eq!(summary(&s, Lang::En), ["Press Play or Step to fit the model."]);
        assert_eq!(summary(&s, Lang::Id), ["Tekan Jalankan atau Langkah untuk mem-fit model."]);
        assert_eq!(s.status_message(Lang::Id), None);
    }

    #[test]
    fn a_tree_on_iris_is_summarised_in_indonesian() {
        let s = fitted("v=1&data=iris&model=tree");
        let (en, id, status_en, status_id) = both(&s);
        assert!(en.iter().any(|l| l.starts_with("Depth ") && l.contains(" leaves, ")), "{en:?}");
        assert!(id.iter().any(|l| l.starts_with("Kedalaman ") && l.contains(" daun, ")), "{id:?}");
        assert!(status_en.starts_with("Fitted"), "{status_en}");
        assert!(status_id.starts_with("Selesai di-fit"), "{status_id}");
        let caption = &s.inputs().table().expect("a table").view;
        assert_eq!(caption.caption(Lang::En), caption.label);
        assert_ne!(caption.caption(Lang::Id), caption.label);
    }

    #[test]
    fn ridge_on_diabetes_gives_r2_for_latih_and_uji() {
        let s = fitted("v=1&data=diabetes&model=ridge");
        let (en, id, _, _) = both(&s);
        assert!(
            en.iter().any(|l| l.starts_with("R²: training ") && l.ends_with("no better than the mean).")),
            "{en:?}"
        );
        assert!(id.iter().any(|l| l.starts_with("R²: latih ") && l.contains(", uji ")), "{id:?}");
    }

    #[test]
    fn k_means_on_blobs_counts_iterations_in_indonesian() {
        let s = fitted("v=1&data=blobs&classes=3&noise=10&model=kmeans&k=3");
        let (en, id, status_en, status_id) = both(&s);
        assert!(en.iter().any(|l| l.contains(" centres; mean squared distance to the centre ")), "{en:?}");
        assert!(id.iter().any(|l| l.contains(" pusat; rata-rata kuadrat jarak ke pusat ")), "{id:?}");
        assert!(id.iter().any(|l| l.starts_with("Kecocokan dengan kelas sebenarnya")), "{id:?}");
        assert!(status_en.contains("iterations"), "{status_en}");
        assert!(status_id.contains("iterasi"), "{status_id}");
    }

    #[test]
    fn the_recommender_suggests_in_indonesian() {
        let s = fitted("v=1&data=ratings&model=als");
        let (en, id, _, status_id) = both(&s);
        assert!(en.iter().any(|l| l.contains(" taste factors for each of ")), "{en:?}");
        assert!(en.iter().any(|l| l.starts_with("Suggested to ")), "{en:?}");
        assert!(id.iter().any(|l| l.contains(" faktor selera ") && l.contains(" pengguna ")), "{id:?}");
        assert!(id.iter().any(|l| l.starts_with("Disarankan untuk ")), "{id:?}");
        assert!(status_id.contains("iterasi"), "{status_id}");
    }

    #[test]
    fn a_network_stopped_by_the_experiment_says_so_in_indonesian() {
        let s = fitted("v=1&data=circle&stop=3");
        assert_eq!(s.status_message(Lang::En).as_deref(), Some("Stopped after 3 epochs, as the experiment asks."));
        assert_eq!(
            s.status_message(Lang::Id).as_deref(),
            Some("Berhenti setelah 3 epoch, sesuai permintaan eksperimen.")
        );
    }
}
