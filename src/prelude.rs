//! The names most integrations need, in one import:
//!
//! ```
//! use hibob::prelude::*;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
//! # let client: Client = fake.client();
//! let people = client.people().search().fields([field::ID, field::EMAIL]).await?;
//! let id: &EmployeeId = people.employees[0].id().expect("root.id was asked for");
//! let work = client.tables().work(id).await?;
//! assert!(work.rows.current().is_some());
//! # Ok(())
//! # }
//! ```

pub use crate::tables::{HistoryEntry, HistoryExt};
pub use crate::{Client, EmployeeId, Error, ErrorKind, FieldId, field};
