//! One person's lifecycle, employment and work history.
//!
//! ```sh
//! cargo run --example employee_history -- --demo
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… cargo run --example employee_history -- ada@example.com
//! ```

mod common;

use std::future::IntoFuture;

use clap::Parser;
use hibob::tables::HistoryEntry;
use hibob::{Error, FieldId, field};

/// Print one employee's lifecycle, employment and work history.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// Employee ID or work e-mail (default with --demo: a re-hired employee).
    employee: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = Args::parse();
    let (client, fake) = common::connect(&args.connection).await?;
    let identifier = match (args.employee, &fake) {
        (Some(employee), _) => employee,
        (None, Some(fake)) => demo_employee(fake),
        (None, None) => {
            eprintln!("give an employee ID or e-mail");
            std::process::exit(2);
        }
    };

    let employee = client
        .people()
        .get(identifier)
        .fields([field::ID, field::DISPLAY_NAME, field::START_DATE])
        .await?;
    let Some(id) = employee.id() else {
        eprintln!("HiBob did not return the employee's ID: grant Basic info");
        std::process::exit(4);
    };
    println!("{} ({id})", employee.display_name().unwrap_or("?"));

    let history = client.tables();
    let (lifecycle, employment, work) = futures::try_join!(
        history.lifecycle(id).into_future(),
        history.employment(id).into_future(),
        history.work(id).into_future()
    )?;

    println!("lifecycle:");
    for row in &lifecycle.rows {
        let status = row.status.as_ref().map_or("?", |s| s.as_str());
        println!("  {}  {status}", date(row));
    }
    println!("employment:");
    for row in &employment.rows {
        println!(
            "  {}  {}",
            date(row),
            row.contract.as_deref().unwrap_or("?")
        );
    }
    // Work rows hold list item IDs; named lists (archived items included) turn them into labels.
    let labels = client.metadata().labels().await?;
    let label = |list_field: &FieldId, item: Option<&str>| match item {
        Some(id) => labels.item_label(list_field, id).unwrap_or(id).to_owned(),
        None => "-".to_owned(),
    };
    println!("work:");
    for row in &work.rows {
        println!(
            "  {}  {} / {}",
            date(row),
            label(&field::TITLE, row.title.as_deref()),
            label(&field::DEPARTMENT, row.department.as_deref())
        );
    }
    if let Some(start) = employee.start_date() {
        if hibob::tables::history_hidden(&work.rows, start) {
            println!(
                "warning: work rows before the current one are hidden: grant \"View selected employees' Work section histories\""
            );
        }
    }
    Ok(())
}

fn date(row: &impl HistoryEntry) -> String {
    row.effective_date()
        .map_or("????-??-??".to_owned(), |d| d.to_string())
}

/// Someone with more than one lifecycle row, so the demo shows a history.
fn demo_employee(fake: &hibob::testing::FakeHibob) -> String {
    let truth = fake.truth();
    let rich = truth
        .employees
        .iter()
        .max_by_key(|e| e.history(hibob::tables::HistoryTable::Lifecycle).len());
    rich.map(|e| e.id.clone()).unwrap_or_default()
}
