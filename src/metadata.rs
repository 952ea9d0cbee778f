//! Fields metadata and named lists: what fields exist, where their values sit
//! in an employee, and the labels behind list item IDs.
//!
//! ```
//! use hibob::field;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
//! # let client = fake.client();
//! let fields = client.metadata().fields().await?;
//! assert!(fields.iter().any(|f| f.id == field::DEPARTMENT));
//!
//! // Fields metadata and every named list in one call: labels for item IDs.
//! let labels = client.metadata().labels().await?;
//! let someone = client.people().get(&fake.truth().employees[0].id).fields([field::TITLE]).await?;
//! println!("{}", labels.label(&someone, &field::TITLE)?.unwrap_or_default());
//! # Ok(())
//! # }
//! ```

use crate::Client;
use crate::endpoint::Endpoint;
pub use crate::models::metadata::{
    FieldCatalog, FieldMeta, FieldType, FieldsResponse, LabelError, Labels, ListItem, ListResolver,
    NamedList, NamedListsResponse, TypeData,
};
use crate::ratelimit::Limit;
use crate::transport::{Json, RequestFuture, request_future};

pub(crate) mod checks;

/// `GET /company/people/fields`: every field, custom ones included. HiBob
/// was seen to limit it to 50 a minute; it needs no permission.
static FIELDS: Endpoint<(), (), Json<FieldsResponse>> =
    Endpoint::get("/company/people/fields").limit(Limit::per_minute(50));

/// `GET /company/named-lists?includeArchived=`: every named list.
static NAMED_LISTS: Endpoint<ListsQuery, (), Json<NamedListsResponse>> =
    Endpoint::get("/company/named-lists");

/// `GET /company/named-lists/{listName}?includeArchived=`: one list.
static NAMED_LIST: Endpoint<ListsQuery, (), Json<NamedList>> =
    Endpoint::get("/company/named-lists/{listName}");

/// The named lists' query.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ListsQuery {
    include_archived: bool,
}

impl Client {
    /// Fields metadata and named lists; see [`metadata`](crate::metadata).
    pub fn metadata(&self) -> Metadata<'_> {
        Metadata { client: self }
    }
}

/// The metadata handle; see [`Client::metadata`].
///
/// Its methods return boxed futures that own what they need (a clone of the
/// client, the list name), so they are `Send + Sync + 'static`: spawn them,
/// store them, or join them without keeping the handle alive.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let metadata = client.metadata();
/// let (fields, lists) = futures::try_join!(metadata.fields(), metadata.named_lists(true))?;
/// assert!(!fields.is_empty() && lists.iter().any(|l| l.name == "department"));
///
/// // 'static: the future outlives the handle and can go to another task.
/// let department = tokio::spawn(client.metadata().named_list("department", true));
/// assert!(!department.await.unwrap()?.items.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Metadata<'a> {
    client: &'a Client,
}

impl Metadata<'_> {
    /// Every employee field, custom ones included (`GET /company/people/fields`).
    /// Needs no permission, which makes it a good credentials probe.
    pub fn fields(&self) -> RequestFuture<Vec<FieldMeta>> {
        let client = self.client.clone();
        request_future(async move { Ok(FIELDS.send(&client, &[], &(), &()).await?.value.fields) })
    }

    /// Every named list (`GET /company/named-lists`). Archived items are
    /// needed to resolve older records' values.
    pub fn named_lists(&self, include_archived: bool) -> RequestFuture<Vec<NamedList>> {
        let client = self.client.clone();
        let query = ListsQuery { include_archived };
        request_future(async move {
            let response = NAMED_LISTS.send(&client, &[], &query, &()).await?;
            Ok(response.value.lists)
        })
    }

    /// One named list by its case-sensitive name, a field's
    /// `typeData.listId` (`GET /company/named-lists/{listName}`). An unknown
    /// name is [`Error::NotFound`](crate::Error::NotFound).
    pub fn named_list(
        &self,
        name: impl AsRef<str>,
        include_archived: bool,
    ) -> RequestFuture<NamedList> {
        let client = self.client.clone();
        let name = name.as_ref().to_owned();
        let query = ListsQuery { include_archived };
        request_future(async move {
            let response = NAMED_LIST.send(&client, &[&name], &query, &()).await?;
            Ok(response.value)
        })
    }

    /// Fields metadata plus every named list with archived items, read
    /// concurrently (two requests): what [`Labels::label`] and
    /// [`Labels::item_label`] need.
    pub fn labels(&self) -> RequestFuture<Labels> {
        let (fields, lists) = (self.fields(), self.named_lists(true));
        request_future(async move {
            let (fields, lists) = futures::try_join!(fields, lists)?;
            Ok(Labels::new(fields, lists))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    /// Compile-time proof: every metadata future can be spawned, stored in a
    /// `Sync` type and outlive the client it came from.
    #[test]
    fn metadata_futures_are_send_sync_and_static() {
        fn assert_static<T: Future + Send + Sync + 'static>(_: T) {}
        let client = Client::builder()
            .service_user("id", "token")
            .build()
            .unwrap();
        let name = String::from("department");
        let futures = {
            let metadata = client.metadata();
            (
                metadata.fields(),
                metadata.named_lists(false),
                metadata.named_list(&name, true),
                metadata.labels(),
            )
        };
        drop((client, name));
        assert_static(futures.0);
        assert_static(futures.1);
        assert_static(futures.2);
        assert_static(futures.3);
    }
}
