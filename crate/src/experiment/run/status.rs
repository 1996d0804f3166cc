//! What a session's status says: ready, stopped, diverged, done or failed, and the words for
//! each in the person's language.

use crate::lang::Lang;
use crate::models::learner::Finished;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", content = "message", rename_all = "lowercase")]
pub enum Status {
    /// Can train.
    Ready,
    /// Reached the experiment's "stop after N epochs".
    Stopped(String),
    /// The loss became NaN or infinite; training is paused with advice.
    Diverged(String),
    /// A model that fits in a fixed number of iterations has done them all.
    Done(String),
    /// The model cannot be fitted to this data (the message says why and what to change).
    Failed(String),
}

/// What a Done, Stopped or Diverged status says, so the page can write it in its language
/// (`Session::status_message`); the status itself carries the English text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum StatusNote {
    /// A classical model's fit ended: converged, or all its iterations (or its single fit) done.
    Fitted(Finished),
    /// "Stop after" reached at this epoch.
    Stopped(u32),
    /// The loss overflowed at `epoch`: NaN or infinite, with the settings to change.
    Diverged { epoch: u32, nan: bool, learning_rate: f64, reg_rate: Option<f64>, suggest_tanh: bool },
}

impl StatusNote {
    pub(super) fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (StatusNote::Fitted(Finished::Converged { at, gradient: true }), Lang::En) => {
                format!("Fitted: converged after {at} iterations (the gradient is practically zero).")
            }
            (StatusNote::Fitted(Finished::Converged { at, gradient: true }), Lang::Id) => {
                format!("Selesai di-fit: konvergen setelah {at} iterasi (gradiennya praktis nol).")
            }
            (StatusNote::Fitted(Finished::Converged { at, .. }), Lang::En) => {
                format!("Fitted: converged after {} iterations (nothing changed in the next).", at - 1)
            }
            (StatusNote::Fitted(Finished::Converged { at, .. }), Lang::Id) => format!(
                "Selesai di-fit: konvergen setelah {} iterasi (iterasi berikutnya tidak mengubah apa pun).",
                at - 1
            ),
            (StatusNote::Fitted(Finished::AllDone(total)), Lang::En) if *total > 1 => {
                format!("Fitted: all {total} iterations done.")
            }
            (StatusNote::Fitted(Finished::AllDone(total)), Lang::Id) if *total > 1 => {
                format!("Selesai di-fit: semua {total} iterasi sudah dijalankan.")
            }
            (StatusNote::Fitted(Finished::AllDone(_)), _) => lang.pick("Fitted.", "Selesai di-fit.").into(),
            (StatusNote::Stopped(epoch), Lang::En) => format!("Stopped after {epoch} epochs, as the experiment asks."),
            (StatusNote::Stopped(epoch), Lang::Id) => {
                format!("Berhenti setelah {epoch} epoch, sesuai permintaan eksperimen.")
            }
            (StatusNote::Diverged { epoch, nan, learning_rate, reg_rate, suggest_tanh }, _) => {
                let mut advice = match lang {
                    Lang::En => format!("lower the learning rate (now {learning_rate})"),
                    Lang::Id => format!("turunkan laju pembelajaran (sekarang {learning_rate})"),
                };
                if let Some(r) = reg_rate {
                    advice.push_str(&match lang {
                        Lang::En => format!(", lower the regularisation rate (now {r})"),
                        Lang::Id => format!(", turunkan laju regularisasi (sekarang {r})"),
                    });
                }
                if *suggest_tanh {
                    advice.push_str(lang.pick(
                        ", or try tanh, whose outputs stay bounded",
                        ", atau coba tanh, yang keluarannya tetap terbatas",
                    ));
                }
                match lang {
                    Lang::En => format!(
                        "Training paused at epoch {epoch}: the loss became {} (the weights overflowed). Try to {advice}, then press Reset.",
                        if *nan { "NaN" } else { "infinite" },
                    ),
                    Lang::Id => format!(
                        "Pelatihan dijeda pada epoch {epoch}: loss menjadi {} (bobot meluap). Coba {advice}, lalu tekan Ulang.",
                        if *nan { "NaN" } else { "tak hingga" },
                    ),
                }
            }
        }
    }

    /// The status it belongs to, with the English text.
    pub(super) fn status(&self) -> Status {
        let text = self.text(Lang::En);
        match self {
            StatusNote::Fitted(_) => Status::Done(text),
            StatusNote::Stopped(_) => Status::Stopped(text),
            StatusNote::Diverged { .. } => Status::Diverged(text),
        }
    }
}
