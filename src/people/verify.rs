//! Verify after a people write: the employee read back by ID, the sent
//! fields compared with [`verify::until_stored`](crate::verify).

use std::future::Future;
use std::time::Duration;

use serde_json::Value;

use super::HumanReadable;
use crate::transport::{RequestFuture, request_future};
use crate::verify::{self, Sent, Verified};
use crate::{Client, EmployeeId, Error, FieldId};

/// Sends `write` once, then reads employee `id` back until every `sent`
/// value is stored: the write's answer with the report. A failed write is
/// the error, exactly as when awaiting it.
pub(super) fn write_then_read_back<T: Send + 'static>(
    client: Client,
    id: EmployeeId,
    sent: Vec<Sent>,
    window: Duration,
    write: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> RequestFuture<Verified<T>> {
    request_future(async move {
        let answer = write.await?;
        let report = read_back(&client, &id, &sent, window).await;
        Ok(report.with_value(answer))
    })
}

/// Reads employee `id` back (the sent fields, with the `humanReadable`
/// mirror so a list value sent by label matches) until every `sent` value
/// is stored, for up to `window`.
pub(super) async fn read_back(
    client: &Client,
    id: &EmployeeId,
    sent: &[Sent],
    window: Duration,
) -> Verified<()> {
    let fields: Vec<FieldId> = sent.iter().map(|s| field_id(&s.field)).collect();
    verify::until_stored(sent, window, || {
        let read = client
            .people()
            .get(id)
            .fields(fields.clone())
            .human_readable(HumanReadable::Append);
        async move { Ok(Some(read.await?.to_json())) }
    })
    .await
}

/// A create's `(JSON path, value)` pairs, reported by field ID.
pub(super) fn sent_at_paths(sent: Vec<(String, Value)>) -> Vec<Sent> {
    sent.into_iter()
        .map(|(path, value)| Sent {
            field: field_id(&path).as_str().to_owned(),
            path,
            value,
        })
        .collect()
}

/// The field ID of a JSON path: root fields (`email`) are `root.email`;
/// others (`work.site`, `home.mobilePhone`) are their path.
fn field_id(path_or_id: &str) -> FieldId {
    match path_or_id.contains('.') {
        true => FieldId::custom(path_or_id),
        false => FieldId::custom(format!("root.{path_or_id}")),
    }
}
