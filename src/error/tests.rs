//! Status and body mapping, and the size of `Error`.

use super::*;

const OP: Operation = Operation {
    method: "GET",
    route: "/bulk/people/lifecycle",
};

#[test]
fn error_stays_small() {
    assert!(
        std::mem::size_of::<Error>() <= 72,
        "{}",
        std::mem::size_of::<Error>()
    );
}

#[test]
fn a_401_about_permissions_is_permission_denied_and_keeps_its_status() {
    let body = br#"{"errorMessage":"No permissions to position budget"}"#;
    let err = Error::from_response(OP, 401, Some("application/json"), None, None, body);
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert_eq!(err.status(), Some(401));
    let plain = Error::from_response(OP, 401, None, None, None, b"");
    assert!(matches!(plain, Error::InvalidCredentials { .. }));
}

/// Found by `cargo fuzz` (error_body): a 403 whose body mentions
/// permissions reported status 401.
#[test]
fn a_403_that_talks_about_permissions_keeps_403() {
    let body = br#"{"error":"Missing permission"}"#;
    let err = Error::from_response(OP, 403, Some("application/json"), None, None, body);
    assert_eq!(err.status(), Some(403));
}

#[test]
fn status_survives_every_body_shape() {
    for body in [
        &b""[..],
        b"<html>bad gateway</html>",
        b"oops",
        b"{\"key\":\"k\"}",
    ] {
        let err = Error::from_response(OP, 502, Some("text/html"), None, None, body);
        assert_eq!(err.status(), Some(502));
        assert!(err.is_retryable());
    }
}
