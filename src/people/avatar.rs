//! Avatars: set one by image URL (`PUT /avatars/{employeeId}`) and read it
//! by employee ID (`GET /avatars/{employeeId}`) or work e-mail
//! (`GET /avatars?email=`).

use serde::{Deserialize, Serialize};
use url::Url;

use super::People;
use super::rules::check_email;
use crate::endpoint::{Endpoint, Payload};
use crate::transport::{NoContent, Raw, RawResponse, RequestFuture, request_future};
use crate::{EmployeeId, Error, FieldProblem, Operation};

/// Reading avatars (HiBob's changelog "Get Avatar: Change to permission handling").
pub(crate) const VIEW_ABOUT: &str =
    "People's Data > About > View selected employees' About sections";

/// Changing avatars: the About category's Edit permission, as reading
/// needs its View permission.
pub(crate) const EDIT_ABOUT: &str =
    "People's Data > About > Edit selected employees' About sections";

/// `PUT /avatars/{employeeId}`: HiBob fetches the image at `url`; 200.
/// Setting the same image twice leaves the same avatar, so it is retried
/// like a read.
static SET_AVATAR: Endpoint<(), AvatarBody, NoContent> =
    Endpoint::put("/avatars/{employeeId}").permission(EDIT_ABOUT);

/// `GET /avatars/{employeeId}`: the avatar's image URL.
static AVATAR: Endpoint<(), (), Raw> =
    Endpoint::get("/avatars/{employeeId}").permission(VIEW_ABOUT);

/// `GET /avatars?email=`: the same, by work e-mail.
static AVATAR_BY_EMAIL: Endpoint<EmailQuery, (), Raw> =
    Endpoint::get("/avatars").permission(VIEW_ABOUT);

#[derive(Serialize)]
struct EmailQuery {
    email: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AvatarBody {
    url: String,
}

impl Payload for AvatarBody {
    fn validate(&self) -> Result<(), Error> {
        check_image_url(&self.url)
    }
}

/// HiBob downloads the image itself, so only an absolute `http(s)` URL
/// with a host can work.
fn check_image_url(text: &str) -> Result<(), Error> {
    let usable = Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if usable {
        return Ok(());
    }
    Err(Error::InvalidField {
        field: "url".to_owned(),
        problem: FieldProblem::Format {
            expected: "an absolute http(s) URL of the image, e.g. \"https://example.com/ada.png\""
                .to_owned(),
        },
    })
}

impl People<'_> {
    /// Sets an employee's avatar to the image at `image_url`
    /// (`PUT /avatars/{employeeId}`); HiBob downloads the image from there.
    /// Anything but an absolute `http`/`https` URL is refused before sending
    /// ([`Error::InvalidField`] naming `url`). Idempotent, so it is retried
    /// like a read. A 403 names "People's Data > About > Edit selected
    /// employees' About sections".
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[0].id.clone();
    /// client.people().set_avatar(&id, "https://images.example.com/ada.png").await?;
    /// let url = client.people().avatar(&id).await?;
    /// assert_eq!(url.as_deref(), Some("https://images.example.com/ada.png"));
    ///
    /// let refused = client.people().set_avatar(&id, "ada.png").await;
    /// assert!(matches!(refused, Err(hibob::Error::InvalidField { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_avatar(
        &self,
        employee_id: impl Into<EmployeeId>,
        image_url: impl Into<String>,
    ) -> RequestFuture<()> {
        let client = self.client.clone();
        let id = employee_id.into();
        let body = AvatarBody {
            url: image_url.into().trim().to_owned(),
        };
        request_future(async move {
            SET_AVATAR
                .send(&client, &[id.as_str()], &(), &body)
                .await
                .map(drop)
        })
    }

    /// An employee's avatar image URL (`GET /avatars/{employeeId}`); `None`
    /// when HiBob answers with an empty body. HiBob's spec does not draw the
    /// answer, so a plain-text URL, a JSON string and a JSON object with
    /// `url` (or `avatarUrl`) are all read. A 403 names "People's Data >
    /// About > View selected employees' About sections".
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[2].id.clone();
    /// assert_eq!(client.people().avatar(&id).await?, None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn avatar(&self, employee_id: impl Into<EmployeeId>) -> RequestFuture<Option<String>> {
        let client = self.client.clone();
        let id = employee_id.into();
        request_future(async move {
            let raw = AVATAR.send(&client, &[id.as_str()], &(), &()).await?;
            avatar_url(operation(&AVATAR), raw.value)
        })
    }

    /// An employee's avatar image URL by work e-mail (`GET /avatars?email=`),
    /// read as [`avatar`](Self::avatar) reads it. A malformed address is
    /// refused before sending.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let ada = fake.truth().employees[0].clone();
    /// client.people().set_avatar(&ada.id, "https://images.example.com/a.jpg").await?;
    /// let url = client.people().avatar_by_email(&ada.email).await?;
    /// assert_eq!(url.as_deref(), Some("https://images.example.com/a.jpg"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn avatar_by_email(&self, email: impl AsRef<str>) -> RequestFuture<Option<String>> {
        let client = self.client.clone();
        let query = EmailQuery {
            email: email.as_ref().trim().to_owned(),
        };
        request_future(async move {
            check_email("email", &query.email)?;
            let raw = AVATAR_BY_EMAIL.send(&client, &[], &query, &()).await?;
            avatar_url(operation(&AVATAR_BY_EMAIL), raw.value)
        })
    }
}

fn operation<Q, B, R>(endpoint: &Endpoint<Q, B, R>) -> Operation {
    Operation {
        method: "GET",
        route: endpoint.route,
    }
}

/// The JSON shapes an avatar answer may take. The object's `url` (or
/// `avatarUrl`) key is required, so an object without one is a decode
/// error rather than "no avatar".
#[derive(Deserialize)]
#[serde(untagged)]
enum AvatarJson {
    Text(Option<String>),
    Object {
        #[serde(alias = "avatarUrl", deserialize_with = "present")]
        url: Option<String>,
    },
}

/// A key that must be present, whose value may be `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)
}

/// The URL in an avatar answer: plain text or JSON; HTML (the web app's
/// page) is [`Error::UnexpectedContentType`].
fn avatar_url(operation: Operation, raw: RawResponse) -> Result<Option<String>, Error> {
    let content_type = raw.content_type().unwrap_or_default().to_ascii_lowercase();
    let url = if raw.body.iter().all(u8::is_ascii_whitespace) {
        None
    } else if content_type.contains("json") {
        match raw.json::<AvatarJson>()? {
            AvatarJson::Text(url) | AvatarJson::Object { url } => url,
        }
    } else if content_type.is_empty() || content_type.starts_with("text/plain") {
        Some(String::from_utf8_lossy(&raw.body).into_owned())
    } else {
        return Err(Error::UnexpectedContentType {
            operation,
            status: raw.status,
            content_type: content_type.chars().take(100).collect(),
        });
    };
    Ok(url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_are_sent() {
        for good in ["https://a.example/x.png", "http://10.0.0.1:8080/a?b=c"] {
            assert!(check_image_url(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "x.png",
            "/a/b.png",
            "ftp://a.example/x",
            "file:///etc/passwd",
            "https://",
        ] {
            let err = check_image_url(bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidField { field, .. } if field == "url"),
                "{bad}: {err:?}"
            );
        }
    }
}
