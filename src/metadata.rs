//! Fields metadata and named lists: what fields exist, where their values sit
//! in an employee, and the labels behind list item IDs.

pub use crate::models::metadata::{
    FieldCatalog, FieldMeta, FieldType, FieldsResponse, ListItem, ListResolver, NamedList,
    NamedListsResponse, TypeData,
};
use crate::transport::ApiRequest;
use crate::{Client, Error};

impl Client {
    /// Fields metadata and named lists.
    pub fn metadata(&self) -> Metadata<'_> {
        Metadata { client: self }
    }
}

/// The metadata handle; see [`Client::metadata`].
#[derive(Debug, Clone, Copy)]
pub struct Metadata<'a> {
    client: &'a Client,
}

/// Fields metadata and every named list (archived items included): what it
/// takes to turn an employee's list item IDs into labels.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Labels {
    /// Fields metadata, by field ID.
    pub catalog: FieldCatalog,
    /// List item labels, by list and item ID.
    pub lists: ListResolver,
}

impl Metadata<'_> {
    /// Every employee field, custom ones included (`GET /company/people/fields`).
    /// Needs no permission, which makes it a good credentials probe.
    pub async fn fields(&self) -> Result<Vec<FieldMeta>, Error> {
        let request = ApiRequest::get("/company/people/fields", &[])?;
        let response: FieldsResponse = self.client.send(&request).await?.value;
        Ok(response.fields)
    }

    /// Every named list (`GET /company/named-lists`). Archived items are
    /// needed to resolve older records' values.
    pub async fn named_lists(&self, include_archived: bool) -> Result<Vec<NamedList>, Error> {
        let request = ApiRequest::get("/company/named-lists", &[])?
            .query("includeArchived", include_archived.to_string());
        let response: NamedListsResponse = self.client.send(&request).await?.value;
        Ok(response.lists)
    }

    /// One named list by its case-sensitive name, a field's
    /// `typeData.listId` (`GET /company/named-lists/{listName}`). An unknown
    /// name is [`Error::NotFound`].
    pub async fn named_list(&self, name: &str, include_archived: bool) -> Result<NamedList, Error> {
        let request = ApiRequest::get("/company/named-lists/{listName}", &[name])?
            .query("includeArchived", include_archived.to_string());
        Ok(self.client.send(&request).await?.value)
    }

    /// Fields metadata plus every named list with archived items: two requests.
    pub async fn labels(&self) -> Result<Labels, Error> {
        let (fields, lists) = futures::try_join!(self.fields(), self.named_lists(true))?;
        Ok(Labels {
            catalog: FieldCatalog::new(fields),
            lists: ListResolver::new(lists),
        })
    }
}
