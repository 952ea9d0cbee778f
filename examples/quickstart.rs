//! The smallest useful program: a people search and one employee.
//!
//! ```sh
//! cargo run --example quickstart -- --demo
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… cargo run --example quickstart -- --email ada@example.com
//! ```

mod common;

use clap::Parser;
use hibob::{Error, field};

/// The smallest useful program: a people search and one employee.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// Read this employee (ID or work e-mail); default: the first one found.
    #[arg(long)]
    email: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = Args::parse();
    let (client, _fake) = common::connect(&args.connection).await?;

    let found = client
        .people()
        .search()
        .fields([
            field::ID,
            field::DISPLAY_NAME,
            field::EMAIL,
            field::SITE,
            field::START_DATE,
        ])
        .await?;
    println!("{} active employees", found.employees.len());
    for field in &found.missing_fields {
        println!("warning: {field} came back for nobody: the service user may not see it");
    }
    for employee in found.employees.iter().take(5) {
        println!(
            "  {:<28} {:<20} since {}",
            employee.display_name().unwrap_or("?"),
            employee.site().unwrap_or("-"),
            employee
                .start_date()
                .map_or("?".to_owned(), |d| d.to_string()),
        );
    }

    let identifier = match args.email {
        Some(email) => email,
        None => match found.employees.first().and_then(|e| e.id()) {
            Some(id) => id.to_string(),
            None => return Ok(()),
        },
    };
    let one = client
        .people()
        .get(identifier)
        .fields([
            field::ID,
            field::DISPLAY_NAME,
            field::TITLE,
            field::REPORTS_TO,
        ])
        .await?;
    let manager = one.reports_to().and_then(|m| m.display_name.as_deref());
    println!(
        "{} reports to {}",
        one.display_name().unwrap_or("?"),
        manager.unwrap_or("nobody")
    );
    Ok(())
}
