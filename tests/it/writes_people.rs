//! People writes on the fake: create, update, e-mail, terminate and start
//! date; every refusal, before sending and by HiBob's rules; 304 as
//! `Unchanged`; 403s that name the permission; and a create whose answer was
//! lost, applied once and never resent.

use hibob::chrono::{Days, NaiveDate};
use hibob::people::{NewEmployee, NoticePeriod, NoticeUnit};
use hibob::tables::HistoryTable as Table;
use hibob::testing::FakeHibob;
use hibob::{Error, FieldProblem, Method, WriteOutcome, field};
use serde_json::{Value, json};

use crate::support;

async fn fake() -> FakeHibob {
    support::fake(8, 3).await
}

/// A live site's name, as `work.site` takes it.
fn site(fake: &FakeHibob) -> String {
    support::first_label(fake, "site")
}

fn hire(fake: &FakeHibob, email: &str, start: NaiveDate) -> NewEmployee {
    NewEmployee::new("Ada", "Lovelace", email, site(fake), start)
}

/// Requests other than the fields-metadata read.
fn writes_sent(fake: &FakeHibob) -> usize {
    let requests = fake.requests();
    let metadata = requests
        .iter()
        .filter(|r| r.path.ends_with("/company/people/fields"));
    requests.len() - metadata.count()
}

fn invalid_field(err: &Error) -> (&str, &FieldProblem) {
    match err {
        Error::InvalidField { field, problem } => (field, problem),
        other => panic!("expected InvalidField, got {other:?}"),
    }
}

#[tokio::test]
async fn a_create_adds_an_employee_that_later_reads_find() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let today = fake.truth().today;
    let title = fake.truth().lists["title"].items[0].clone();
    let new = hire(&fake, "ada@example.com", today).title(title.label.as_str());
    let ada = client.people().create(new).await.unwrap();
    let id = ada.id().unwrap().clone();
    assert_eq!(ada.email(), Some("ada@example.com"));

    let found = client
        .people()
        .search()
        .filter_emails(["ada@example.com"])
        .await
        .unwrap();
    assert_eq!(found.employees.len(), 1);
    let read = client
        .people()
        .get(&id)
        .fields([field::SITE, field::TITLE])
        .await
        .unwrap();
    assert_eq!(read.site(), Some(site(&fake).as_str()));
    assert_eq!(
        read.title(),
        Some(title.id.as_str()),
        "the label became the item"
    );
    let truth = fake.truth();
    let stored = truth.employee(id.as_str()).unwrap();
    assert_eq!(stored.lifecycle_status, "employed");
    assert_eq!(
        stored.history(Table::Work).len(),
        1,
        "the hire's work entry"
    );
    assert_eq!(stored.history(Table::Lifecycle).len(), 1);
    assert_eq!(truth.employees.len(), 9);
}

#[tokio::test]
async fn a_future_hire_is_inactive_until_the_start_date() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let start = fake.truth().today + Days::new(30);
    let created = client
        .people()
        .create(hire(&fake, "future@example.com", start))
        .await
        .unwrap();
    let id = created.id().unwrap().as_str().to_owned();
    let active = client.people().search().filter_ids([&id]).await.unwrap();
    assert!(active.employees.is_empty(), "future hires are inactive");
    let all = client
        .people()
        .search()
        .filter_ids([&id])
        .show_inactive(true);
    assert_eq!(all.await.unwrap().employees.len(), 1);
    assert_eq!(
        fake.truth().employee(&id).unwrap().lifecycle_status,
        "hired"
    );
}

#[tokio::test]
async fn a_bad_create_is_refused_before_sending() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let today = fake.truth().today;
    let cases = [
        (
            NewEmployee::new("Ada", "L", "ada@", "Paris", today),
            "email",
        ),
        (
            NewEmployee::new(" ", "L", "ada@example.com", "Paris", today),
            "firstName",
        ),
        (
            NewEmployee::new("Ada", "L", "ada@example.com", "", today),
            "work.site",
        ),
    ];
    for (new, named) in cases {
        let err = client.people().create(new).await.unwrap_err();
        assert_eq!(invalid_field(&err).0, named);
        assert!(err.to_string().contains(named), "{err}");
    }
    let twice = hire(&fake, "ada@example.com", today).field("work.site", "x");
    let err = client.people().create(twice).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_eq!(fake.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn the_fake_refuses_a_create_hibob_would_refuse() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let today = fake.truth().today;
    let taken = fake.truth().employees[0].email.clone();
    let twice = client.people().create(hire(&fake, &taken, today)).await;
    assert!(matches!(twice, Err(Error::BadRequest { .. })), "{twice:?}");
    // What the client refuses before sending, the fake refuses too.
    let start = today.format("%Y-%m-%d").to_string();
    let nowhere = json!({"firstName": "A", "surname": "B", "email": "new@example.com",
        "work": {"site": "Atlantis", "startDate": start}});
    let mut nickname = json!({"firstName": "A", "surname": "B", "email": "other@example.com",
        "work": {"site": site(&fake), "startDate": start}});
    nickname["home"] = json!({"nickname": "Ace"});
    for body in [nowhere, nickname] {
        let raw = client.post_json::<Value>("/people", &body).await;
        assert!(matches!(raw, Err(Error::BadRequest { .. })), "{raw:?}");
    }
    assert_eq!(fake.truth().employees.len(), 8, "nothing was created");
}

#[tokio::test]
async fn a_create_with_an_unknown_field_or_list_value_is_refused_before_sending() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let today = fake.truth().today;
    let nowhere = NewEmployee::new("A", "B", "new@example.com", "Pariss", today);
    let err = client.people().create(nowhere).await.unwrap_err();
    let (field, problem) = invalid_field(&err);
    assert_eq!(field, "work.site");
    assert!(
        matches!(problem, FieldProblem::NotInList { hint: hibob::ListHint::Closest(c), .. } if c == "Paris"),
        "{err}"
    );
    let unknown = hire(&fake, "other@example.com", today).field("home.nickname", "Ace");
    let err = client.people().create(unknown).await.unwrap_err();
    assert_eq!(
        invalid_field(&err),
        ("home.nickname", &FieldProblem::Unknown)
    );
    let posts = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 0, "only metadata and lists were read");
}

#[tokio::test]
async fn a_create_applied_whose_answer_was_lost_is_not_resent() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    fake.knobs(|k| {
        k.drop_after_apply_on("POST /people", 1);
    });
    let today = fake.truth().today;
    let err = client
        .people()
        .create(hire(&fake, "once@example.com", today))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert!(err.to_string().contains("read the record back"), "{err}");
    let posts: Vec<_> = (fake.requests().into_iter())
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "sent exactly once");
    assert_eq!(posts[0].status, 0, "answer dropped");
    let truth = fake.truth();
    let copies = truth
        .employees
        .iter()
        .filter(|e| e.email == "once@example.com");
    assert_eq!(copies.count(), 1, "applied exactly once");
    // Reading back (what the error tells the caller to do) finds the hire.
    let found = client.people().search().filter_emails(["once@example.com"]);
    assert_eq!(found.show_inactive(true).await.unwrap().employees.len(), 1);
}

#[tokio::test]
async fn an_update_changes_later_reads_and_a_repeat_is_unchanged() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[3].id.clone();
    let people = client.people();
    let first = people
        .update(&id)
        .set(field::FIRST_NAME, "Augusta")
        .set("about.about", "Counts things")
        .await
        .unwrap();
    assert_eq!(first, WriteOutcome::Applied(()));
    let read = people.get(&id).fields([field::FIRST_NAME]).await.unwrap();
    assert_eq!(read.first_name(), Some("Augusta"));
    assert_eq!(
        fake.truth().employee(&id).unwrap().about.as_deref(),
        Some("Counts things")
    );
    let again = people
        .update(&id)
        .set(field::FIRST_NAME, "Augusta")
        .await
        .unwrap();
    assert_eq!(again, WriteOutcome::Unchanged);
    // Fields metadata was read once for both updates (cached per client).
    assert_eq!(fake.request_count_for("/company/people/fields"), 1);
}

#[tokio::test]
async fn an_update_of_a_historical_unknown_or_malformed_field_is_refused_before_sending() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[1].id.clone();
    let people = client.people();
    let title = people.update(&id).set(field::TITLE, "1").await.unwrap_err();
    let (named, problem) = invalid_field(&title);
    assert_eq!(named, "work.title");
    assert!(matches!(problem, FieldProblem::Historical { .. }));
    assert!(
        title
            .to_string()
            .contains("work entry with an effective date"),
        "{title}"
    );
    let start = people
        .update(&id)
        .set(field::START_DATE, "2020-01-01")
        .await;
    assert!(start.unwrap_err().to_string().contains("set_start_date"));
    let unknown = people
        .update(&id)
        .set("home.nickname", "Ace")
        .await
        .unwrap_err();
    assert_eq!(
        invalid_field(&unknown),
        ("home.nickname", &FieldProblem::Unknown)
    );
    let date = people
        .update(&id)
        .set(field::TERMINATION_DATE, "1/2/2020")
        .await;
    let date = date.unwrap_err();
    assert!(matches!(
        invalid_field(&date).1,
        FieldProblem::Format { .. }
    ));
    let email = people
        .update(&id)
        .set(field::EMAIL, "a@b.co")
        .await
        .unwrap_err();
    assert!(email.to_string().contains("set_email"), "{email}");
    let none = people.update(&id).await.unwrap_err();
    assert!(matches!(none, Error::InvalidRequest { .. }));
    assert_eq!(writes_sent(&fake), 0, "only metadata was read");
}

#[tokio::test]
async fn the_fake_answers_an_update_as_hibob_does() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[1].id.clone();
    let put = |body: serde_json::Value| {
        client
            .request::<()>(Method::PUT, "/people/{identifier}")
            .param(&id)
            .body(&body)
            .send_no_content()
    };
    let historical = put(json!({"work": {"title": "1"}})).await.unwrap_err();
    let body = historical.api_body().unwrap();
    assert_eq!(body.key.as_deref(), Some("employee.update.historical"));
    let unknown = put(json!({"home": {"nickname": "Ace"}})).await.unwrap_err();
    assert!(matches!(unknown, Error::BadRequest { .. }), "{unknown:?}");
    let same_name = fake.truth().employee(&id).unwrap().first_name.clone();
    let same = put(json!({"firstName": same_name})).await.unwrap();
    assert_eq!(same, WriteOutcome::Unchanged);
    let missing = client
        .people()
        .update("1")
        .set(field::FIRST_NAME, "X")
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_403_on_a_write_names_the_edit_permission() {
    let fake = FakeHibob::builder()
        .employees(3)
        .deny_category("about")
        .start()
        .await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[0].id.clone();
    let err = client
        .people()
        .update(&id)
        .set("about.about", "x")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert!(err.to_string().contains("Edit selected employees"), "{err}");

    fake.knobs(|k| {
        k.deny_category("lifecycle");
    });
    let today = fake.truth().today;
    let err = client.people().terminate(&id, today).await.unwrap_err();
    assert!(err.to_string().contains("Lifecycle > Edit"), "{err}");

    fake.knobs(|k| {
        k.no_permission_group = true;
    });
    let err = client
        .people()
        .create(hire(&fake, "x@example.com", today))
        .await;
    let err = err.unwrap_err();
    assert!(
        err.to_string().contains("Add new people to the company"),
        "{err}"
    );
    let err = client
        .people()
        .set_email(&id, "y@example.com")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Email > Edit"), "{err}");
}

#[tokio::test]
async fn an_email_change_is_seen_by_later_reads() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let (id, old) = (
        truth.employees[2].id.clone(),
        truth.employees[2].email.clone(),
    );
    let done = client
        .people()
        .set_email(&id, " renamed@example.com ")
        .await
        .unwrap();
    assert_eq!(done, WriteOutcome::Applied(()));
    let read = client.people().get("renamed@example.com").await.unwrap();
    assert_eq!(read.id().map(|i| i.as_str()), Some(id.as_str()));
    assert!(matches!(
        client.people().get(&old).await,
        Err(Error::NotFound { .. })
    ));

    let bad = client
        .people()
        .set_email(&id, "renamed.example.com")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(&bad).0, "email");
    let taken = truth.employees[0].email.clone();
    let clash = client.people().set_email(&id, taken).await.unwrap_err();
    assert!(matches!(clash, Error::BadRequest { .. }), "{clash:?}");
    let puts = fake.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2, "the malformed address was never sent");
}

#[tokio::test]
async fn a_termination_adds_the_lifecycle_entry_once() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let leaver = truth.employees.iter().find(|e| e.is_active()).unwrap();
    let reason = &truth.lists["terminationreason"].items[1];
    let rows_before = leaver.history(Table::Lifecycle).len();
    client
        .people()
        .terminate(&leaver.id, truth.today)
        .reason(reason.id.as_str())
        .notice_period(NoticePeriod::new(2, NoticeUnit::Weeks))
        .last_day_of_work(truth.today)
        .await
        .unwrap();
    let after = fake.truth();
    let gone = after.employee(&leaver.id).unwrap();
    assert_eq!(gone.lifecycle_status, "terminated");
    assert_eq!(
        gone.termination_reason.as_ref().map(|r| &r.id),
        Some(&reason.id)
    );
    assert_eq!(gone.history(Table::Lifecycle).len(), rows_before + 1);
    let read = client
        .people()
        .get(&leaver.id)
        .fields([field::TERMINATION_DATE])
        .await
        .unwrap();
    assert_eq!(read.termination_date(), Some(truth.today));

    let twice = client.people().terminate(&leaver.id, truth.today).await;
    assert!(matches!(twice, Err(Error::BadRequest { .. })), "{twice:?}");
    let other = truth.employees.iter().rfind(|e| e.is_active()).unwrap();
    let bad_reason = client
        .people()
        .terminate(&other.id, truth.today)
        .reason("no such");
    assert!(matches!(bad_reason.await, Err(Error::BadRequest { .. })));
    let blank = client
        .people()
        .terminate(&other.id, truth.today)
        .reason(" ");
    let blank = blank.await.unwrap_err();
    assert_eq!(invalid_field(&blank).0, "terminationReason");
}

#[tokio::test]
async fn a_start_date_change_is_seen_by_later_reads() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[4].id.clone();
    let start = NaiveDate::from_ymd_opt(2019, 5, 6).unwrap();
    client
        .people()
        .set_start_date(&id, start)
        .reason("backdated")
        .await
        .unwrap();
    let read = client
        .people()
        .get(&id)
        .fields([field::START_DATE])
        .await
        .unwrap();
    assert_eq!(read.start_date(), Some(start));
    let missing = client.people().set_start_date("1", start).await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
}

#[tokio::test]
async fn bodies_go_over_the_wire_as_hibob_documents_them() {
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let server = support::server().await;
    // The create's checks read fields metadata and named lists first.
    let field = |id: &str, path: &str, list: Option<&str>| {
        let kind = if list.is_some() { "list" } else { "text" };
        json!({"id": id, "jsonPath": path, "type": kind, "typeData": {"listId": list}})
    };
    let fields = json!({"fields": [
        field("root.firstName", "firstName", None), field("root.surname", "surname", None),
        field("root.email", "email", None), field("work.site", "work.site", Some("site")),
        field("work.startDate", "work.startDate", None),
        field("work.title", "work.title", Some("title")),
        field("home.mobilePhone", "home.mobilePhone", None),
    ]});
    Mock::given(method("GET"))
        .and(path("/v1/company/people/fields"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fields))
        .mount(&server)
        .await;
    let lists = json!({
        "site": {"name": "site", "values": [{"id": 1, "value": "New York", "name": "New York"}]},
        "title": {"name": "title", "values": [{"id": 2, "value": "Engineer", "name": "Engineer"}]},
    });
    Mock::given(method("GET"))
        .and(path("/v1/company/named-lists"))
        .respond_with(ResponseTemplate::new(200).set_body_json(lists))
        .mount(&server)
        .await;
    let created = json!({"id": "3332883884017713938", "email": "ada@example.com"});
    Mock::given(method("POST"))
        .and(path("/v1/people"))
        .and(body_json(json!({
            "firstName": "Ada", "surname": "Lovelace", "email": "ada@example.com",
            "work": {"site": "New York", "startDate": "2026-09-01", "title": "Engineer"},
            "home": {"mobilePhone": "555"},
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/employees/42/terminate"))
        .and(body_json(json!({
            "terminationDate": "2026-09-30", "terminationReason": "301001",
            "reasonType": "voluntary", "noticePeriod": {"length": 1, "unit": "month"},
        })))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/employees/42/start-date"))
        .and(body_json(json!({"startDate": "2026-09-01"})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let start = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let new = NewEmployee::new("Ada", "Lovelace", "ada@example.com", "New York", start)
        .title("Engineer")
        .field("home.mobilePhone", "555");
    let ada = client.people().create(new).await.unwrap();
    assert_eq!(ada.id().unwrap().as_str(), "3332883884017713938");
    let end = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    client
        .people()
        .terminate("42", end)
        .reason("301001")
        .reason_type("voluntary")
        .notice_period(NoticePeriod::new(1, NoticeUnit::Month))
        .await
        .unwrap();
    client.people().set_start_date("42", start).await.unwrap();
}

#[test]
fn write_builders_and_futures_can_be_spawned() {
    fn assert_spawnable<T: std::future::IntoFuture<IntoFuture = F>, F>(_: &T)
    where
        F: std::future::Future + Send + Sync + 'static,
    {
    }
    let client = hibob::Client::builder()
        .service_user("id", "token")
        .build()
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let people = client.people();
    assert_spawnable(&people.update("1").set(field::FIRST_NAME, "A"));
    assert_spawnable(&people.terminate("1", day));
    assert_spawnable(&people.set_start_date("1", day));
    let create = people.create(NewEmployee::new("A", "B", "a@b.co", "Paris", day));
    let email = people.set_email("1", "a@b.co");
    fn send_sync_static<T: Send + Sync + 'static>(_: T) {}
    send_sync_static(create);
    send_sync_static(email);
}
