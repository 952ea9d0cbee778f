//! The built-in tables' metadata: `GET /company/people/employee-tables/metadata`
//! and `…/{table_id}` (2026), each table with its columns, custom ones
//! included. Custom tables are not in it: see [`custom_tables`](crate::custom_tables).

use super::{EmployeeTable, Tables};
use crate::endpoint::Endpoint;
use crate::models::tables::{TableMetadata, TablesMetadata};
use crate::transport::{Json, RequestFuture, request_future};

// HiBob's pages name no permission for these reads (fields metadata, their
// neighbour, needs none), so a 403 names none rather than a guess.
static ALL: Endpoint<(), (), Json<TablesMetadata>> =
    Endpoint::get("/company/people/employee-tables/metadata");

static ONE: Endpoint<(), (), Json<TableMetadata>> =
    Endpoint::get("/company/people/employee-tables/metadata/{table_id}");

impl Tables<'_> {
    /// Every built-in table that has a data endpoint, with its columns.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
    /// let tables = fake.client().tables().metadata().await?;
    /// let work = tables.iter().find(|t| t.id == "work").unwrap();
    /// assert!(work.column("title").is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub fn metadata(&self) -> RequestFuture<Vec<TableMetadata>> {
        let client = self.client.clone();
        request_future(async move {
            let answer = ALL.send(&client, &[], &(), &()).await?;
            Ok(answer.value.into_tables())
        })
    }

    /// One built-in table's metadata. HiBob answers 404
    /// ([`Error::NotFound`](crate::Error::NotFound)) for a table it does not
    /// describe.
    ///
    /// ```
    /// use hibob::tables::EmployeeTable;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
    /// let salaries = fake.client().tables().table_metadata(EmployeeTable::Salaries).await?;
    /// assert_eq!(salaries.id, "salaries");
    /// # Ok(())
    /// # }
    /// ```
    pub fn table_metadata(&self, table: EmployeeTable) -> RequestFuture<TableMetadata> {
        let client = self.client.clone();
        request_future(async move {
            let answer = ONE.send(&client, &[table.as_str()], &(), &()).await?;
            Ok(answer.value)
        })
    }
}
