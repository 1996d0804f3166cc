//! What opening a link decides, whichever front end asks: the experiment that opens when a
//! link's cannot (the default, with the reason).

use crate::data::table::Table;
use crate::experiment::{Experiment, Session};

/// Opens experiment `e` on its data (`user`: the person's table, for `data=csv`); when its data
/// cannot be had (a CSV file that is not loaded, a target that cannot be trained) the default
/// experiment opens instead, with the reason. The session's own notices follow. Fails (with
/// the reason) only when the default cannot open either.
pub fn open_or_default(e: Experiment, user: Option<&Table>, notices: &mut Vec<String>) -> Result<Session, String> {
    let session = match Session::with_table(e.clone(), user) {
        Ok(s) => s,
        Err(why) => {
            notices.push(format!(
                "This experiment could not be opened as it is: {}. The default experiment is shown instead{}.",
                why.message,
                if e.data_name() == "csv" { "; open the same CSV file to reproduce it" } else { "" }
            ));
            Session::with_table(Experiment::default(), None).map_err(|err| err.message)?
        }
    };
    notices.extend(session.notices().iter().cloned());
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::decode;

    #[test]
    fn an_experiment_that_cannot_open_falls_back_to_the_default_with_the_reason() {
        let e = decode("v=1&data=csv&target=y").experiment;
        let mut notices = Vec::new();
        let s = open_or_default(e, None, &mut notices).expect("the default opens");
        assert_eq!(*s.experiment(), Experiment::default());
        assert!(notices[0].starts_with("This experiment could not be opened as it is: "), "{notices:?}");
        assert!(notices[0].ends_with("; open the same CSV file to reproduce it."), "{notices:?}");
    }

    #[test]
    fn an_experiment_that_opens_brings_only_its_own_notices() {
        let e = decode("v=1&data=iris&model=tree").experiment;
        let mut notices = vec!["before".to_string()];
        let s = open_or_default(e.clone(), None, &mut notices).expect("iris opens");
        assert_eq!(*s.experiment(), e);
        assert_eq!(notices[0], "before");
        assert_eq!(notices[1..], *s.notices());
    }
}
