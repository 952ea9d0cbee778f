//! The credentials a client and all its clones send, replaceable while the
//! client runs, and the memory of HiBob having rejected them.
//!
//! Each replacement starts a new *generation*. A 401 latches the client
//! only if it answered the current generation: a request still in flight
//! with the old token when new credentials arrive cannot re-latch the client.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

use reqwest::header::HeaderValue;

use crate::Error;
use crate::auth::ServiceUser;

pub(crate) struct Credentials {
    state: RwLock<State>,
    rejected: AtomicBool,
}

struct State {
    id: String,
    /// `Authorization: Basic …`, marked sensitive; the token exists nowhere
    /// else in the client.
    header: HeaderValue,
    generation: u64,
}

/// The header to send and the generation it belongs to.
pub(crate) struct Current {
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
}

impl Credentials {
    /// Validates `user` like [`ServiceUser::basic_header`] does.
    pub(crate) fn new(user: &ServiceUser) -> Result<Self, Error> {
        Ok(Self {
            state: RwLock::new(State {
                id: user.id().to_owned(),
                header: user.basic_header()?,
                generation: 0,
            }),
            rejected: AtomicBool::new(false),
        })
    }

    pub(crate) fn current(&self) -> Current {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        Current {
            header: state.header.clone(),
            generation: state.generation,
        }
    }

    pub(crate) fn id(&self) -> String {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        state.id.clone()
    }

    /// Swaps in `user` (validated first; on error nothing changes) and
    /// forgets any earlier rejection.
    pub(crate) fn replace(&self, user: &ServiceUser) -> Result<(), Error> {
        let header = user.basic_header()?;
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.id = user.id().to_owned();
        state.header = header;
        state.generation += 1;
        // Under the write lock, so no `reject` of the old generation can
        // slip in between the swap and the reset.
        self.rejected.store(false, Ordering::Relaxed);
        Ok(())
    }

    /// Remembers that HiBob rejected `generation`, if it is still current.
    pub(crate) fn reject(&self, generation: u64) {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        if state.generation == generation {
            self.rejected.store(true, Ordering::Relaxed);
        }
    }

    pub(crate) fn is_rejected(&self) -> bool {
        self.rejected.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_401_for_replaced_credentials_does_not_latch_the_new_ones() {
        let credentials = Credentials::new(&ServiceUser::new("A", "old")).unwrap();
        let in_flight = credentials.current().generation;
        credentials.reject(in_flight);
        assert!(credentials.is_rejected());
        credentials.replace(&ServiceUser::new("B", "new")).unwrap();
        assert!(!credentials.is_rejected());
        credentials.reject(in_flight);
        assert!(!credentials.is_rejected(), "a late 401 of the old token");
        assert_eq!(credentials.id(), "B");
        assert!(credentials.current().header.is_sensitive());
    }

    #[test]
    fn invalid_replacements_change_nothing() {
        let credentials = Credentials::new(&ServiceUser::new("A", "tok")).unwrap();
        let before = credentials.current().header;
        credentials.reject(0);
        for (id, token) in [("", "x"), ("B", " "), ("B:C", "x")] {
            let err = credentials
                .replace(&ServiceUser::new(id, token))
                .unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{id:?}");
        }
        assert_eq!(credentials.current().header, before);
        assert_eq!(credentials.id(), "A");
        assert!(
            credentials.is_rejected(),
            "a refused replacement keeps the latch"
        );
    }
}
