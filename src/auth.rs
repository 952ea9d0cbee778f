//! Service-user credentials: the only way customers authenticate to HiBob.

use std::fmt;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// Environment variable holding the service user ID.
///
/// ```
/// assert_eq!(hibob::ENV_SERVICE_USER_ID, "HIBOB_SERVICE_USER_ID");
/// // E.g. to tell an operator what to set, without reading it yourself:
/// let help = format!("set {} to the service user's ID", hibob::ENV_SERVICE_USER_ID);
/// assert!(help.contains("HIBOB_SERVICE_USER_ID"));
/// ```
pub const ENV_SERVICE_USER_ID: &str = "HIBOB_SERVICE_USER_ID";
/// Environment variable holding the service user token.
///
/// ```
/// assert_eq!(hibob::ENV_SERVICE_USER_TOKEN, "HIBOB_SERVICE_USER_TOKEN");
/// ```
pub const ENV_SERVICE_USER_TOKEN: &str = "HIBOB_SERVICE_USER_TOKEN";

/// A HiBob service user: an ID and a token, created by a Bob admin under
/// *Settings > Integrations > Service users*.
///
/// The token is held in a [`SecretString`]: `Debug` shows it as `[REDACTED]`
/// and there is no `Display`.
///
/// ```
/// use hibob::{Client, ServiceUser};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
/// # let (id, token) = (fake.service_user_id().to_owned(), fake.token().to_owned());
/// // E.g. from your secret store.
/// let user = ServiceUser::new(id, token);
/// let client = Client::builder()
///     .credentials(user)
/// #   .base_url(fake.uri())
///     .build()?;
/// let everyone = client.people().search().show_inactive(true).await?;
/// assert_eq!(everyone.employees.len(), 2);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ServiceUser {
    id: String,
    token: SecretString,
}

impl ServiceUser {
    /// Credentials from an ID and a token.
    ///
    /// ```
    /// use hibob::ServiceUser;
    ///
    /// let user = ServiceUser::new("SERVICE-25711", String::from("a-token-from-the-vault"));
    /// assert_eq!(user.id(), "SERVICE-25711");
    /// // Safe to log: the token never shows.
    /// let logged = format!("{user:?}");
    /// assert!(logged.contains("SERVICE-25711") && !logged.contains("a-token-from-the-vault"));
    /// ```
    pub fn new(id: impl Into<String>, token: impl Into<SecretString>) -> Self {
        Self {
            id: id.into(),
            token: token.into(),
        }
    }

    /// Reads `HIBOB_SERVICE_USER_ID` and `HIBOB_SERVICE_USER_TOKEN`; the error
    /// names the variable that is missing or empty.
    ///
    /// ```
    /// use hibob::{Error, ServiceUser};
    ///
    /// // Reads the environment as it is; sets nothing.
    /// match ServiceUser::from_env() {
    ///     Ok(user) => assert!(!user.id().trim().is_empty()),
    ///     Err(err) => {
    ///         // A configuration error that names what to set.
    ///         assert!(matches!(err, Error::Config { .. }));
    ///         assert!(err.to_string().contains("HIBOB_SERVICE_USER_"));
    ///     }
    /// }
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        let id = read_env(ENV_SERVICE_USER_ID)?;
        let token = read_env(ENV_SERVICE_USER_TOKEN)?;
        Ok(Self::new(id, token))
    }

    /// The service user ID (not secret).
    ///
    /// ```
    /// let user = hibob::ServiceUser::new("SERVICE-25711", "a-token-from-the-vault");
    /// assert_eq!(user.id(), "SERVICE-25711");
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The `Authorization: Basic …` header, marked sensitive so that reqwest
    /// and hyper never print it.
    pub(crate) fn basic_header(&self) -> Result<HeaderValue, Error> {
        let token = self.token.expose_secret();
        if self.id.trim().is_empty() || token.trim().is_empty() {
            return Err(Error::config(
                "the service user ID and token must not be empty",
            ));
        }
        if self.id.contains(':') {
            return Err(Error::config("the service user ID must not contain `:`"));
        }
        let encoded = base64(format!("{}:{}", self.id, token).as_bytes());
        let mut value = HeaderValue::try_from(format!("Basic {encoded}"))
            .map_err(|_| Error::config("the credentials contain invalid characters"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for ServiceUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceUser")
            .field("id", &self.id)
            .field("token", &"[REDACTED]")
            .finish()
    }
}

fn read_env(name: &str) -> Result<String, Error> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        Ok(_) => Err(Error::config(format!(
            "environment variable {name} is empty"
        ))),
        Err(_) => Err(Error::config(format!(
            "environment variable {name} is not set (or not UTF-8)"
        ))),
    }
}

/// Standard Base64 with padding (RFC 4648 §4); twelve lines instead of a crate.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let bytes = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn basic_header_is_sensitive_and_exact() {
        let user = ServiceUser::new("SERVICE-1", "s3cret");
        let header = user.basic_header().unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Basic U0VSVklDRS0xOnMzY3JldA==");
    }

    #[test]
    fn debug_redacts_the_token() {
        let user = ServiceUser::new("SERVICE-1", "s3cret-token");
        let debug = format!("{user:?}");
        assert!(!debug.contains("s3cret-token"));
        assert!(debug.contains("SERVICE-1"));
    }

    #[test]
    fn empty_credentials_are_a_config_error() {
        let err = ServiceUser::new("", "x").basic_header().unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
    }
}
