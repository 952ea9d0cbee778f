//! The README's "Test your HiBob integration without HiBob" snippet, compiled
//! and run: `the_test_util_snippet_runs` holds it between the `README` markers,
//! and `the_readme_shows_the_compiled_snippet` fails when the two drift apart.

/// Stands in for the reader's application: a roster sync that reports which
/// requested fields HiBob withheld.
mod my_app {
    use hibob::people::Employee;
    use hibob::{Client, Error, FieldId, field};

    /// What the sync produced.
    pub struct Roster {
        employees: Vec<Employee>,
        withheld: Vec<FieldId>,
    }

    impl Roster {
        /// How many employees were synced.
        pub fn len(&self) -> usize {
            self.employees.len()
        }

        /// Requested fields HiBob returned for nobody (a missing permission).
        pub fn withheld(&self) -> &[FieldId] {
            &self.withheld
        }
    }

    /// Everyone, former employees and future hires included.
    pub async fn sync(client: &Client) -> Result<Roster, Error> {
        let found = client
            .people()
            .search()
            .fields([field::ID, field::EMAIL, field::TITLE, field::DEPARTMENT])
            .show_inactive(true)
            .await?;
        Ok(Roster {
            employees: found.employees,
            withheld: found.missing_fields,
        })
    }
}

#[tokio::test]
async fn the_test_util_snippet_runs() -> Result<(), hibob::Error> {
    // README begin
    use hibob::testing::FakeHibob;

    let fake = FakeHibob::builder()
        .employees(500)
        .deny_category("work")
        .start()
        .await;
    // Its base URL and credentials, and 1 ms retries; `fake.client_builder()` to tune more.
    let client = fake.client();
    let roster = my_app::sync(&client).await?; // your code under test
    assert_eq!(roster.len(), fake.truth().employees.len());
    assert!(roster.withheld().contains(&hibob::field::TITLE)); // what your app reports as withheld
    // README end
    assert!(!roster.withheld().contains(&hibob::field::EMAIL));
    Ok(())
}

/// The README's snippet, line by line, is the marked part of the test above.
#[test]
fn the_readme_shows_the_compiled_snippet() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split_once("## Test your HiBob integration without HiBob")
        .expect("the README has the test-util section")
        .1;
    let block = section
        .split_once("```rust")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the section has a rust block")
        .0;
    let shown: Vec<&str> = block
        .lines()
        .filter(|line| !line.starts_with("// Compiled and run"))
        .collect();

    let this = include_str!("readme.rs");
    let marked = this
        .split_once("    // README begin\n")
        .and_then(|(_, rest)| rest.split_once("    // README end"))
        .expect("the test has README markers")
        .0;
    let tested: Vec<&str> = marked
        .lines()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect();
    assert_eq!(shown, tested, "README.md and tests/it/readme.rs differ");
}

// README writes begin
use hibob::chrono::NaiveDate;
use hibob::people::NewEmployee;
use hibob::{Client, EmployeeId, Error, WriteOutcome};

async fn hire_and_leave(client: &Client, id: &EmployeeId) -> Result<(), Error> {
    let people = client.people();
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let hire = NewEmployee::new("Ada", "Lovelace", "ada@example.com", "Paris", start);
    // Read back until stored (HiBob's reads lag up to 20 s), naming what was dropped.
    let report = people
        .create(hire.title("Software Engineer"))
        .verify()
        .await?;
    assert!(report.is_complete(), "HiBob did not store: {report}");
    let about = people
        .update(id)
        .set("about.about", "Ask me about Rust")
        .await?;
    assert_ne!(
        about,
        WriteOutcome::Unchanged,
        "HiBob answers 304 when nothing changed"
    );
    let last_day = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
    people.terminate(id, last_day).await?;
    Ok(())
}
// README writes end

/// The README's writes snippet runs against the fake, and is shown as written here.
#[tokio::test]
async fn the_readme_writes_snippet_runs_and_is_shown_verbatim() {
    let fake = hibob::testing::FakeHibob::builder()
        .employees(3)
        .start()
        .await;
    let id = EmployeeId::from(fake.truth().employees[1].id.as_str());
    hire_and_leave(&fake.client(), &id).await.unwrap();
    let truth = fake.truth();
    assert!(truth.employees.iter().any(|e| e.email == "ada@example.com"));
    assert!(truth.employees[1].termination_date.is_some());

    let readme = include_str!("../../README.md");
    let section = readme
        .split_once("## Writing to HiBob")
        .expect("a writes section")
        .1;
    let shown = section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a rust block")
        .0;
    let this = include_str!("readme.rs");
    let tested = this
        .split_once("// README writes begin\n")
        .and_then(|(_, rest)| rest.split_once("// README writes end"))
        .expect("markers")
        .0;
    assert_eq!(shown, tested, "README.md and tests/it/readme.rs differ");
}

/// Every example line of the README's directory event table is an event
/// the crate reads back, of the type its row names, and every event type
/// has a row.
#[cfg(feature = "directory")]
#[test]
fn the_readme_event_table_shows_real_events() {
    let readme = include_str!("../../README.md");
    let table = readme
        .split_once("<!-- directory-events")
        .expect("the README has the directory event table")
        .1;
    let mut types = Vec::new();
    for row in table.lines().skip(3).take_while(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        let name = cells[0].trim_start_matches("| ").trim_matches('`');
        let line = cells[1].trim_end_matches(" |").trim_matches('`');
        let event: hibob::directory::Event =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}"));
        assert_eq!(event.kind.type_name(), name);
        let again = serde_json::to_value(&event).unwrap();
        let shown: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(again, shown, "{name} round-trips to the same keys");
        types.push(name.to_owned());
    }
    assert_eq!(types.len(), 11, "{types:?}");
}
