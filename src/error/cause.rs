//! Why a connection failed, read from a `reqwest::Error`'s source chain, so
//! that [`Error::Transport`](super::Error::Transport) can name the cause and
//! the fix without showing the underlying message (which may name the host).
//!
//! Typed facts come first: `std::io::ErrorKind` anywhere in the chain
//! (hyper and hyper-util wrap the socket's `io::Error`). Only what has no
//! typed form is matched on text, as a last resort: DNS failures (std's
//! `getaddrinfo` errors and hyper-util's `dns error` have no dedicated
//! `io::ErrorKind`), TLS failures (rustls errors arrive as
//! `io::ErrorKind::InvalidData`, shared with other data errors, and this
//! crate does not depend on rustls directly) and hyper's "connection closed
//! before message completed". The texts are those of std, hyper, hyper-util
//! and rustls; an unknown text falls back to a generic message, never a wrong one.

use std::error::Error as StdError;
use std::io;

/// What went wrong on the wire, when the source chain says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    Refused,
    TimedOut,
    Dns,
    Tls,
    Reset,
}

impl Cause {
    /// The cause and what to do about it, for `Display`.
    pub(crate) fn advice(self) -> &'static str {
        match self {
            Self::Refused => {
                "the connection was refused; check the base URL's host and port, and any proxy"
            }
            Self::TimedOut => {
                "the connection timed out; check the network and firewall, then try again"
            }
            Self::Dns => {
                "the DNS lookup of HiBob's host failed; check the base URL's host name and the machine's DNS"
            }
            Self::Tls => {
                "the TLS handshake failed; check the system's root certificates, any TLS-inspecting proxy, and that the base URL is HiBob's"
            }
            Self::Reset => {
                "the connection was reset or closed early by HiBob or a proxy; try again"
            }
        }
    }
}

/// The cause of a failed exchange, walking `error` and its sources.
pub(crate) fn classify(error: &(dyn StdError + 'static)) -> Option<Cause> {
    chain(error)
        .find_map(|link| link.downcast_ref::<io::Error>().and_then(from_io_kind))
        .or_else(|| chain(error).find_map(from_text))
}

fn chain<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&e| e.source())
}

fn from_io_kind(error: &io::Error) -> Option<Cause> {
    use io::ErrorKind::*;
    match error.kind() {
        ConnectionRefused => Some(Cause::Refused),
        TimedOut => Some(Cause::TimedOut),
        ConnectionReset | ConnectionAborted | BrokenPipe | NotConnected | UnexpectedEof => {
            Some(Cause::Reset)
        }
        _ => None,
    }
}

/// Last resort: the fixed texts of std, hyper, hyper-util and rustls.
fn from_text(error: &(dyn StdError + 'static)) -> Option<Cause> {
    const DNS: [&str; 5] = [
        "dns error",
        "failed to lookup address",
        "name or service not known",
        "nodename nor servname",
        "no such host",
    ];
    const TLS: [&str; 6] = [
        "tls",
        "certificate",
        "handshake",
        "fatal alert",
        "peer is incompatible",
        "peer misbehaved",
    ];
    const RESET: [&str; 3] = [
        "connection closed before message completed",
        "connection reset",
        "broken pipe",
    ];
    let text = error.to_string().to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if has(&DNS) {
        Some(Cause::Dns)
    } else if has(&TLS) {
        Some(Cause::Tls)
    } else if has(&RESET) {
        Some(Cause::Reset)
    } else if text.contains("connection refused") {
        Some(Cause::Refused)
    } else if text.contains("timed out") {
        Some(Cause::TimedOut)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt;

    /// A stand-in for hyper-util's `ConnectError`: a fixed message and a cause.
    #[derive(Debug)]
    struct Wrapper(&'static str, Option<Box<dyn StdError + 'static>>);

    impl fmt::Display for Wrapper {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Wrapper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref()
        }
    }

    fn wrapped(message: &'static str, cause: impl StdError + 'static) -> Wrapper {
        Wrapper(
            "client error (Connect)",
            Some(Box::new(Wrapper(message, Some(Box::new(cause))))),
        )
    }

    #[test]
    fn io_kinds_anywhere_in_the_chain() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        let timed_out = io::Error::from(io::ErrorKind::TimedOut);
        let cases = [
            (wrapped("tcp connect error", refused), Cause::Refused),
            (wrapped("connection error", reset), Cause::Reset),
            (wrapped("tcp connect error", timed_out), Cause::TimedOut),
        ];
        for (error, cause) in cases {
            assert_eq!(classify(&error), Some(cause), "{error:?}");
        }
    }

    #[test]
    fn dns_and_tls_from_their_fixed_texts() {
        let lookup =
            io::Error::other("failed to lookup address information: Name or service not known");
        assert_eq!(classify(&wrapped("dns error", lookup)), Some(Cause::Dns));
        let rustls = io::Error::new(
            io::ErrorKind::InvalidData,
            "invalid peer certificate: UnknownIssuer",
        );
        assert_eq!(
            classify(&wrapped("client error (Connect)", rustls)),
            Some(Cause::Tls)
        );
        let alert = io::Error::new(
            io::ErrorKind::InvalidData,
            "received fatal alert: HandshakeFailure",
        );
        assert_eq!(
            classify(&wrapped("connection error", alert)),
            Some(Cause::Tls)
        );
    }

    #[test]
    fn typed_kinds_win_over_text_and_unknowns_stay_unknown() {
        // A handshake cut by a reset is reported as the reset it is.
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(
            classify(&wrapped("tls handshake eof", reset)),
            Some(Cause::Reset)
        );
        let closed = Wrapper("connection closed before message completed", None);
        assert_eq!(classify(&closed), Some(Cause::Reset));
        let other = wrapped("error sending request", io::Error::other("something new"));
        assert_eq!(classify(&other), None);
    }
}
