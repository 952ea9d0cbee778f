//! Bob webhooks: verify the `Bob-Signature` header and parse the event.
//!
//! Bob POSTs a JSON event to your listener and signs it: the `Bob-Signature`
//! header is `Base64(HMAC-SHA512(key = the webhook's secret as UTF-8,
//! message = the raw request body))`. Verify it over the **raw bytes** you
//! received, before any JSON parsing, then read what the event points at:
//! v2 payloads carry identifiers only.
//!
//! ```
//! use hibob::webhooks::{self, EventType, FollowUp, TriggeredBy, WebhookError};
//! use secrecy::SecretString;
//!
//! let secret = SecretString::from("the secret shown in Bob's webhook settings");
//! let body = br#"{"companyId": 636192, "type": "employee.updated",
//!     "triggeredBy": "system", "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2",
//!     "data": {"employeeId": "3332883884017713938", "fieldUpdates": [{"fieldId": "work.title"}]}}"#;
//! # let header = webhooks::sign(&secret, body);
//! # let signature_header: Option<&str> = Some(&header);
//!
//! // In your HTTP handler: the header value (if any) and the body bytes as received.
//! let event = match webhooks::verify_and_parse(&secret, signature_header, body) {
//!     Ok(event) => event,
//!     Err(e) if e.is_unauthenticated() => return, // answer 401
//!     Err(_) => return,                           // authentic but unexpected: log, answer 200
//! };
//! assert_eq!(event.event_type, EventType::EmployeeUpdated);
//! assert_eq!(event.triggered_by, TriggeredBy::System);
//!
//! // The read that fetches what changed: `client.people().get(id).fields(..)`.
//! match event.follow_up() {
//!     Some(FollowUp::Employee { id, fields }) => {
//!         assert_eq!(id.as_str(), "3332883884017713938");
//!         assert_eq!(fields, [hibob::FieldId::from("work.title")]);
//!         // let fetched = follow_up.fetch(&client).await?;
//!     }
//!     _ => unreachable!(),
//! }
//! ```
//!
//! Answer 200 quickly and do the reads afterwards (spawn a task or queue the
//! event): after a period of retries without a 200, Bob deactivates the
//! webhook and e-mails the admin. `examples/webhook_listener` shows a complete
//! listener.
//!
//! What is modelled:
//! - [`Event`]: `companyId`, `type` ([`EventType`], open), `triggeredBy`
//!   ([`TriggeredBy`]), `triggeredAt` ([`Timestamp`]), `version`, and `data`
//!   typed per event ([`EventData`]); unknown keys are kept in `extra` maps,
//!   and serializing an event gives Bob's JSON back.
//! - Employee (`employee.*`), table (`table.entry.*`) and time-off
//!   (`timeoff.request.*`, [`TimeOffEventType`](crate::time_off::TimeOffEventType)) events.
//! - [`Event::follow_up`] and [`FollowUp::fetch`]: the API read after an event.
//!   A time-off event's `getApi` URL is followed only when it lies under the
//!   client's base URL; the service user's credentials never go elsewhere.
//! - [`is_ping`]: Bob's connection test ("Ping test"), which may come unsigned.

mod data;
mod event;
mod follow_up;
mod get_api;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha512;

pub use data::{EmployeeData, EmployeeUpdatedData, EventData, FieldUpdate, TableEntryData};
pub use event::{Event, EventType, Timestamp, TriggeredBy};
pub use follow_up::{Fetched, FollowUp};

/// The signature header's name, as Bob sends it (HTTP header names are
/// case-insensitive).
///
/// ```
/// use hibob::webhooks::SIGNATURE_HEADER;
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("bob-signature", HeaderValue::from_static("c2lnbmF0dXJl"));
/// assert_eq!(headers[SIGNATURE_HEADER], "c2lnbmF0dXJl");
/// ```
pub const SIGNATURE_HEADER: &str = "Bob-Signature";

/// Standard Base64; padding optional on input, always written on output.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a webhook request was rejected.
///
/// Kept apart from [`crate::Error`] on purpose: these describe a request
/// *Bob sent you* (the listener answers 401 or logs), not a call this client
/// made, so none of `Error`'s status/retry/operation vocabulary applies, and a
/// feature-gated variant in `Error` would change that enum with a feature.
///
/// No variant's `Display` contains the body, the header value or the secret.
///
/// A listener maps each error to its answer:
///
/// ```
/// use hibob::webhooks::{self, WebhookError};
/// use secrecy::SecretString;
///
/// /// The status a listener answers for a request it could not use.
/// fn answer(error: &WebhookError) -> u16 {
///     match error {
///         e if e.is_unauthenticated() => 401, // not from Bob, or the wrong secret
///         WebhookError::EmptySecret => 500,   // our configuration: fix it, Bob retries
///         _ => 200,                           // from Bob but not understood: log it
///     }
/// }
///
/// let secret = SecretString::from("whsec-3f9a1c27");
/// let forged = webhooks::verify_and_parse(&secret, Some("Zm9yZ2Vk"), b"{}").unwrap_err();
/// assert!(matches!(forged, WebhookError::InvalidSignature));
/// assert_eq!(answer(&forged), 401);
///
/// // Authentic (it verifies) but not an event: the path says what is wrong.
/// let body = br#"{"companyId": 636192, "type": "employee.created", "triggeredBy": "system",
///     "triggeredAt": "2024-12-26T11:29:14.399997", "data": {}}"#;
/// let signature = webhooks::sign(&secret, body);
/// let odd = webhooks::verify_and_parse(&secret, Some(&signature), body).unwrap_err();
/// assert!(matches!(&odd, WebhookError::Decode { path, .. } if path == "data"));
/// assert!(odd.to_string().contains("at `data`"));
/// assert_eq!(answer(&odd), 200);
///
/// let unset = webhooks::verify(&SecretString::from(""), &signature, body).unwrap_err();
/// assert_eq!(answer(&unset), 500);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The webhook secret is empty: every body would verify against a
    /// guessable key. A configuration error; nothing was checked.
    #[error("the webhook secret is empty; copy it from the webhook's settings in Bob")]
    EmptySecret,

    /// The request has no `Bob-Signature` header: it is not from Bob (or a
    /// proxy dropped the header). Answer 401.
    #[error("the request has no Bob-Signature header")]
    MissingSignature,

    /// The `Bob-Signature` header is not Base64 (or not even text). Answer 401.
    #[error("the Bob-Signature header is not valid Base64")]
    MalformedSignature,

    /// The signature does not match the body: the body was altered, the
    /// sender does not know the secret, or the secret configured here is not
    /// the webhook's current one. Answer 401.
    #[error(
        "the Bob-Signature header does not match the body; check that the secret is the webhook's current one"
    )]
    InvalidSignature,

    /// The (verified) body is not a Bob event this crate understands.
    /// Bob sent it, so answer 200 and log the path; a non-2xx answer would
    /// only make Bob retry and eventually deactivate the webhook.
    #[error("the webhook body did not match the expected event shape at `{path}`")]
    Decode {
        /// JSON path of the failure, e.g. `data.employeeId`.
        path: String,
        /// The cause, with the values from the body redacted (an event's
        /// values are personal data, and this error is meant to be logged).
        #[source]
        source: crate::error::DecodeError,
    },
}

impl WebhookError {
    /// Whether the request failed authentication (missing, malformed or
    /// wrong signature): answer 401.
    ///
    /// ```
    /// use hibob::webhooks::{self, WebhookError};
    /// use secrecy::SecretString;
    ///
    /// let secret = SecretString::from("whsec-3f9a1c27");
    /// let missing = webhooks::verify_header(&secret, None, b"{}").unwrap_err();
    /// let malformed = webhooks::verify(&secret, "not base64!", b"{}").unwrap_err();
    /// assert!(missing.is_unauthenticated());
    /// assert!(malformed.is_unauthenticated());
    /// // An empty secret is this side's configuration, not the sender's fault.
    /// assert!(!WebhookError::EmptySecret.is_unauthenticated());
    /// ```
    pub fn is_unauthenticated(&self) -> bool {
        matches!(
            self,
            Self::MissingSignature | Self::MalformedSignature | Self::InvalidSignature
        )
    }
}

fn mac(secret: &SecretString) -> Result<Hmac<Sha512>, WebhookError> {
    let key = secret.expose_secret().as_bytes();
    if key.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    // HMAC takes keys of any length; this cannot fail.
    <Hmac<Sha512> as KeyInit>::new_from_slice(key).map_err(|_| WebhookError::EmptySecret)
}

/// Checks a `Bob-Signature` header value against the raw body, in constant
/// time.
///
/// `raw_body` must be the bytes exactly as received: re-serialized JSON
/// (different spacing or key order) does not verify.
///
/// # Errors
/// [`WebhookError::MalformedSignature`] when the header is not Base64,
/// [`WebhookError::InvalidSignature`] when it does not match,
/// [`WebhookError::EmptySecret`] for an empty secret.
///
/// ```
/// use hibob::webhooks::{self, WebhookError};
/// use secrecy::SecretString;
///
/// let secret = SecretString::from("whsec-3f9a1c27");
/// // The body and the `Bob-Signature` header exactly as received.
/// let body = br#"{"companyId":636192,"type":"employee.created","triggeredBy":"3332883804594373380","triggeredAt":"2024-12-26T11:29:14.399997","version":"v2","data":{"employeeId":"3332883894235038486"}}"#;
/// let signature =
///     "MipjVLut+KMihcgE6l6FFSZj30piRug1GB1VWe84WIsf/eeQ1GOjIlJUeAKKEn5Jm0vkYEIvDitD2eRM25uJNw==";
/// webhooks::verify(&secret, signature, body)?;
///
/// // The same JSON re-serialized (here: with a space) no longer verifies.
/// let reformatted = String::from_utf8_lossy(body).replacen(':', ": ", 1);
/// let err = webhooks::verify(&secret, signature, reformatted.as_bytes()).unwrap_err();
/// assert!(matches!(err, WebhookError::InvalidSignature));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn verify(
    secret: &SecretString,
    signature_header: &str,
    raw_body: &[u8],
) -> Result<(), WebhookError> {
    let mut mac = mac(secret)?;
    let signature = BASE64
        .decode(signature_header.trim())
        .map_err(|_| WebhookError::MalformedSignature)?;
    mac.update(raw_body);
    mac.verify_slice(&signature)
        .map_err(|_| WebhookError::InvalidSignature)
}

/// [`verify`] for a header that may be missing: `None` is
/// [`WebhookError::MissingSignature`].
///
/// ```
/// use hibob::webhooks::{self, WebhookError};
/// use secrecy::SecretString;
///
/// let secret = SecretString::from("whsec-3f9a1c27");
/// let body = br#"{"companyId":636192,"type":"employee.deleted","triggeredBy":"system","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{"employeeId":"3332883894235038486"}}"#;
/// # let signature = webhooks::sign(&secret, body);
/// # let header: Option<&str> = Some(&signature);
/// // `header`: the request's `Bob-Signature` value, if it has one.
/// webhooks::verify_header(&secret, header, body)?;
///
/// let err = webhooks::verify_header(&secret, None, body).unwrap_err();
/// assert!(matches!(err, WebhookError::MissingSignature));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn verify_header(
    secret: &SecretString,
    signature_header: Option<&str>,
    raw_body: &[u8],
) -> Result<(), WebhookError> {
    verify(
        secret,
        signature_header.ok_or(WebhookError::MissingSignature)?,
        raw_body,
    )
}

/// [`verify`] with the request's headers (`http::HeaderMap`, as axum, hyper
/// and reqwest use): reads the first `Bob-Signature`. A missing header is
/// [`WebhookError::MissingSignature`], a value that is not visible ASCII
/// [`WebhookError::MalformedSignature`].
///
/// ```
/// use hibob::webhooks::{self, WebhookError};
/// use reqwest::header::{HeaderMap, HeaderValue};
/// use secrecy::SecretString;
///
/// let secret = SecretString::from("whsec-3f9a1c27");
/// let body = br#"{"companyId":636192,"type":"employee.created","triggeredBy":"3332883804594373380","triggeredAt":"2024-12-26T11:29:14.399997","version":"v2","data":{"employeeId":"3332883894235038486"}}"#;
/// // As an HTTP server hands them over (the name's case does not matter).
/// let mut headers = HeaderMap::new();
/// headers.insert("content-type", HeaderValue::from_static("application/json"));
/// headers.insert(
///     "bob-signature",
///     HeaderValue::from_static(
///         "MipjVLut+KMihcgE6l6FFSZj30piRug1GB1VWe84WIsf/eeQ1GOjIlJUeAKKEn5Jm0vkYEIvDitD2eRM25uJNw==",
///     ),
/// );
/// webhooks::verify_headers(&secret, &headers, body)?;
///
/// headers.remove("bob-signature");
/// let err = webhooks::verify_headers(&secret, &headers, body).unwrap_err();
/// assert!(matches!(err, WebhookError::MissingSignature));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn verify_headers(
    secret: &SecretString,
    headers: &HeaderMap,
    raw_body: &[u8],
) -> Result<(), WebhookError> {
    let value = headers
        .get(SIGNATURE_HEADER)
        .ok_or(WebhookError::MissingSignature)?;
    let value = value
        .to_str()
        .map_err(|_| WebhookError::MalformedSignature)?;
    verify(secret, value, raw_body)
}

/// Computes the `Bob-Signature` value for a body, as Bob does. For tests of
/// your own listener and for replaying stored events; verification should use
/// [`verify`], which compares in constant time.
///
/// ```
/// use hibob::webhooks;
/// use secrecy::SecretString;
///
/// // A test of your own listener: sign the body as Bob would.
/// let secret = SecretString::from("whsec-3f9a1c27");
/// let body = br#"{"companyId":636192,"type":"employee.created","triggeredBy":"3332883804594373380","triggeredAt":"2024-12-26T11:29:14.399997","version":"v2","data":{"employeeId":"3332883894235038486"}}"#;
/// let signature = webhooks::sign(&secret, body);
/// // Base64 of the 64-byte HMAC-SHA512, the value Bob puts in `Bob-Signature`.
/// assert_eq!(
///     signature,
///     "MipjVLut+KMihcgE6l6FFSZj30piRug1GB1VWe84WIsf/eeQ1GOjIlJUeAKKEn5Jm0vkYEIvDitD2eRM25uJNw=="
/// );
/// assert!(webhooks::verify(&secret, &signature, body).is_ok());
/// ```
pub fn sign(secret: &SecretString, raw_body: &[u8]) -> String {
    let key = secret.expose_secret().as_bytes();
    let mut mac =
        <Hmac<Sha512> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(raw_body);
    BASE64.encode(mac.finalize().into_bytes())
}

/// Parses a raw body into an [`Event`] **without** checking the signature.
/// Use it after [`verify`], or for events you stored yourself.
///
/// # Errors
/// [`WebhookError::Decode`] with the JSON path when the body is not JSON or
/// not an event: `companyId`, `type`, `triggeredBy` and `triggeredAt` are
/// required, and known event types need their documented `data` keys.
///
/// ```
/// use hibob::webhooks::{self, EventType, TriggeredBy, WebhookError};
///
/// // An event stored earlier, after its signature was checked.
/// let stored = br#"{"companyId": 637323, "type": "employee.created",
///     "triggeredBy": "3332883804594373380", "triggeredAt": "2024-12-26T11:29:14.399997",
///     "data": {"employeeId": "3332883894235038486"}}"#;
/// let event = webhooks::parse_event(stored)?;
/// assert_eq!(event.company_id, 637323);
/// assert_eq!(event.event_type, EventType::EmployeeCreated);
/// assert_eq!(event.triggered_by, TriggeredBy::Employee("3332883804594373380".into()));
/// assert_eq!(event.version, None); // v1-style payloads have no `version`
/// assert_eq!(event.employee_id().unwrap().as_str(), "3332883894235038486");
///
/// // A known type without its documented key: the error names the path.
/// let broken = br#"{"companyId": 637323, "type": "employee.created", "triggeredBy": "system",
///     "triggeredAt": "2024-12-26T11:29:14.399997", "data": {"employeeId": true}}"#;
/// let err = webhooks::parse_event(broken).unwrap_err();
/// assert!(matches!(err, WebhookError::Decode { ref path, .. } if path == "data.employeeId"));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn parse_event(raw_body: &[u8]) -> Result<Event, WebhookError> {
    Event::decode(raw_body).map_err(|failure| WebhookError::Decode {
        path: failure.path,
        source: failure.source,
    })
}

/// [`verify_header`] then [`parse_event`]: the one call a listener needs.
/// Nothing is parsed unless the signature matches.
///
/// ```
/// use hibob::webhooks::{self, EventType, WebhookError};
/// use secrecy::SecretString;
///
/// let secret = SecretString::from("whsec-3f9a1c27");
/// let body = br#"{"companyId":636192,"type":"employee.created","triggeredBy":"3332883804594373380","triggeredAt":"2024-12-26T11:29:14.399997","version":"v2","data":{"employeeId":"3332883894235038486"}}"#;
/// let signature =
///     "MipjVLut+KMihcgE6l6FFSZj30piRug1GB1VWe84WIsf/eeQ1GOjIlJUeAKKEn5Jm0vkYEIvDitD2eRM25uJNw==";
/// let event = webhooks::verify_and_parse(&secret, Some(signature), body)?;
/// assert_eq!(event.event_type, EventType::EmployeeCreated);
///
/// // A body that is not even JSON is refused for its signature, never parsed.
/// let err = webhooks::verify_and_parse(&secret, Some(signature), b"{oops").unwrap_err();
/// assert!(matches!(err, WebhookError::InvalidSignature));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn verify_and_parse(
    secret: &SecretString,
    signature_header: Option<&str>,
    raw_body: &[u8],
) -> Result<Event, WebhookError> {
    verify_header(secret, signature_header, raw_body)?;
    parse_event(raw_body)
}

/// Whether the body is Bob's connection test, sent when a webhook is set up:
/// the text `Ping test`, or `{"text": "Ping test"}`. Bob expects a 2xx for it;
/// it may arrive without a valid signature, and carries nothing to act on.
///
/// ```
/// use hibob::webhooks;
///
/// // Check it first: a ping answered 401 fails the webhook's setup in Bob.
/// assert!(webhooks::is_ping(b"Ping test"));
/// assert!(webhooks::is_ping(br#"{"text": "Ping test"}"#));
/// assert!(!webhooks::is_ping(br#"{"companyId": 636192, "type": "employee.created"}"#));
/// ```
pub fn is_ping(raw_body: &[u8]) -> bool {
    const PING: &str = "Ping test";
    let Ok(text) = std::str::from_utf8(raw_body) else {
        return false;
    };
    let text = text.trim();
    if text == PING {
        return true;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) => s == PING,
        Ok(serde_json::Value::Object(map)) => {
            map.len() == 1 && map.get("text").and_then(|t| t.as_str()) == Some(PING)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
