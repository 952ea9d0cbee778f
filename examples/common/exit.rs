//! The exit codes the command-line examples share (`roster_sync`,
//! `directory_daemon`, `provision`), and the one for a HiBob error, by its
//! kind so that errors added later land in their class. Each example adds its
//! own codes from 6 up.

use hibob::{Error, ErrorKind};

pub const OK: u8 = 0;
pub const OTHER: u8 = 1;
pub const USAGE: u8 = 2;
pub const CREDENTIALS: u8 = 3;
pub const PERMISSION: u8 = 4;
pub const UNAVAILABLE: u8 = 5;

/// 2 client configuration, 3 invalid credentials, 4 missing permission, 5 rate
/// limit, server, timeout, network or a cut body after the retries, 1 anything
/// else.
pub fn for_error(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::Configuration => USAGE,
        ErrorKind::Credentials => CREDENTIALS,
        ErrorKind::Permission => PERMISSION,
        ErrorKind::RateLimited | ErrorKind::Unavailable => UNAVAILABLE,
        _ => OTHER,
    }
}
