//! Onboarding and Bob access on the fake and on wiremock: the wizards read,
//! invitations, revoking access and avatars by URL; every refusal, before
//! sending and by HiBob's rules; a write whose answer was lost, sent once;
//! and the write-permission list, checked against the 403 each write gets.

use hibob::access::{WRITE_PERMISSIONS, WritePermission};
use hibob::chrono::NaiveDate;
use hibob::people::NewEmployee;
use hibob::testing::{CERT_NAME_COLUMN, CERTIFICATIONS_TABLE_ID, FakeHibob};
use hibob::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support;

async fn fake() -> (FakeHibob, Client) {
    let fake = support::fake(6, 5).await;
    let client = support::fake_client(&fake);
    (fake, client)
}

fn someone(fake: &FakeHibob, index: usize) -> String {
    fake.truth().employees[index].id.clone()
}

async fn first_wizard(client: &Client) -> u64 {
    client.onboarding().wizards().await.unwrap()[0].id
}

#[tokio::test]
async fn the_wizards_are_typed_and_keep_what_the_model_does_not_name() {
    let (_fake, client) = fake().await;
    let wizards = client.onboarding().wizards().await.unwrap();
    assert_eq!(wizards.len(), 2);
    assert_eq!(wizards[0].id, 101);
    assert_eq!(wizards[0].name.as_deref(), Some("Welcome to the company"));
    assert!(wizards[1].description.as_deref().unwrap().contains("buddy"));

    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/onboarding/wizards"))
        .respond_with(support::json(
            json!({"wizards": [{"id": "7", "name": "Sales", "owner": {"id": "1"}}]}),
        ))
        .mount(&server)
        .await;
    let wizards = support::client(&server)
        .onboarding()
        .wizards()
        .await
        .unwrap();
    assert_eq!(wizards[0].id, 7, "a numeric string is read");
    assert_eq!(wizards[0].extra["owner"], json!({"id": "1"}));
}

#[tokio::test]
async fn a_wizards_answer_without_the_list_is_a_decode_error_not_an_empty_list() {
    let server = support::server().await;
    Mock::given(path("/v1/onboarding/wizards"))
        .respond_with(support::json(json!({"items": []})))
        .mount(&server)
        .await;
    let err = support::client(&server)
        .onboarding()
        .wizards()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn an_invitation_is_remembered_refused_twice_and_revoked() {
    let (fake, client) = fake().await;
    let id = someone(&fake, 1);
    let wizard = first_wizard(&client).await;
    client.people().invite(&id, wizard).await.unwrap();
    assert_eq!(fake.invitation(&id), Some(wizard));

    let again = client.people().invite(&id, wizard).await.unwrap_err();
    assert!(matches!(again, Error::BadRequest { .. }), "{again:?}");

    client.people().uninvite(&id).await.unwrap();
    assert_eq!(fake.invitation(&id), None);
    // Revoking again changes nothing; inviting again works.
    client.people().uninvite(&id).await.unwrap();
    client.people().invite(&id, 102).await.unwrap();
    assert_eq!(fake.invitation(&id), Some(102));
}

#[tokio::test]
async fn invitations_refuse_a_zero_wizard_before_sending_and_unknowns_by_hibobs_rules() {
    let (fake, client) = fake().await;
    let id = someone(&fake, 0);
    let err = client.people().invite(&id, 0).await.unwrap_err();
    match &err {
        Error::InvalidField { field, .. } => assert_eq!(field, "welcomeWizardId"),
        other => panic!("expected InvalidField, got {other:?}"),
    }
    assert!(err.to_string().contains("wizards()"), "{err}");
    let empty = client.people().invite(" ", 101).await.unwrap_err();
    assert!(matches!(empty, Error::InvalidRequest { .. }), "{empty:?}");
    assert_eq!(fake.request_count(), 0, "nothing was sent");

    let unknown_wizard = client.people().invite(&id, 999).await.unwrap_err();
    assert!(
        matches!(unknown_wizard, Error::BadRequest { .. }),
        "{unknown_wizard:?}"
    );
    assert_eq!(fake.invitation(&id), None);
    let nobody = client.people().invite("1", 101).await.unwrap_err();
    assert!(matches!(nobody, Error::NotFound { .. }), "{nobody:?}");
    let nobody = client.people().uninvite("1").await.unwrap_err();
    assert!(matches!(nobody, Error::NotFound { .. }), "{nobody:?}");
}

#[tokio::test]
async fn an_invitation_whose_answer_was_lost_is_sent_once_and_applied_once() {
    let (fake, client) = fake().await;
    let id = someone(&fake, 2);
    fake.knobs(|k| {
        k.drop_after_apply(1);
    });
    let err = client.people().invite(&id, 101).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(fake.request_count(), 1, "sent exactly once");
    assert_eq!(fake.invitation(&id), Some(101), "applied once");
}

#[tokio::test]
async fn what_goes_over_the_wire_and_a_5xx_on_an_invitation_is_not_resent() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/employees/42/invitations"))
        .and(body_json(json!({"welcomeWizardId": 101})))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/employees/42/uninvite"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let err = client.people().invite("42", 101).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    client.people().uninvite("42").await.unwrap();
}

#[tokio::test]
async fn an_avatar_set_by_url_is_read_back_by_id_and_by_email() {
    let (fake, client) = fake().await;
    let ada = fake.truth().employees[3].clone();
    let people = client.people();
    assert_eq!(people.avatar(&ada.id).await.unwrap(), None);
    people
        .set_avatar(&ada.id, " https://img.example.com/ada.png ")
        .await
        .unwrap();
    assert_eq!(
        fake.avatar_url(&ada.id).as_deref(),
        Some("https://img.example.com/ada.png")
    );
    let by_id = people.avatar(&ada.id).await.unwrap();
    assert_eq!(by_id.as_deref(), Some("https://img.example.com/ada.png"));
    let by_email = people.avatar_by_email(&ada.email).await.unwrap();
    assert_eq!(by_email, by_id);

    let nobody = people.avatar("1").await.unwrap_err();
    assert!(matches!(nobody, Error::NotFound { .. }), "{nobody:?}");
    let nobody = people
        .set_avatar("1", "https://img.example.com/x.png")
        .await;
    assert!(matches!(nobody, Err(Error::NotFound { .. })), "{nobody:?}");
}

#[tokio::test]
async fn avatar_urls_and_e_mails_are_checked_before_sending() {
    let (fake, client) = fake().await;
    let id = someone(&fake, 0);
    for bad in [
        "",
        "ada.png",
        "/img/ada.png",
        "ftp://img.example.com/a.png",
        "https://",
    ] {
        let err = client.people().set_avatar(&id, bad).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidField { field, .. } if field == "url"),
            "{bad}: {err:?}"
        );
    }
    let err = client.people().avatar_by_email("not-an-address").await;
    assert!(matches!(err, Err(Error::InvalidField { .. })), "{err:?}");
    assert_eq!(fake.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn an_avatar_answer_is_read_in_every_shape_and_html_is_an_error() {
    let server = support::server().await;
    let shapes = [
        (
            "1",
            ResponseTemplate::new(200).set_body_raw("https://a.example/1.png\n", "text/plain"),
        ),
        ("2", support::json(json!("https://a.example/2.png"))),
        (
            "3",
            support::json(json!({"url": "https://a.example/3.png"})),
        ),
        ("4", support::json(json!({"avatarUrl": null}))),
        ("5", ResponseTemplate::new(200)),
        (
            "6",
            ResponseTemplate::new(200).set_body_raw("<html></html>", "text/html"),
        ),
        (
            "7",
            support::json(json!({"picture": "https://a.example/7.png"})),
        ),
    ];
    for (id, answer) in shapes {
        Mock::given(path(format!("/v1/avatars/{id}")))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    let people = support::client(&server);
    let people = people.people();
    let read = |id: &'static str| people.avatar(id);
    assert_eq!(
        read("1").await.unwrap().as_deref(),
        Some("https://a.example/1.png")
    );
    assert_eq!(
        read("2").await.unwrap().as_deref(),
        Some("https://a.example/2.png")
    );
    assert_eq!(
        read("3").await.unwrap().as_deref(),
        Some("https://a.example/3.png")
    );
    assert_eq!(read("4").await.unwrap(), None);
    assert_eq!(read("5").await.unwrap(), None);
    let html = read("6").await.unwrap_err();
    assert!(
        matches!(html, Error::UnexpectedContentType { .. }),
        "{html:?}"
    );
    // An object without `url` or `avatarUrl` is not "no avatar".
    let unknown = read("7").await.unwrap_err();
    assert!(matches!(unknown, Error::Decode { .. }), "{unknown:?}");
}

#[tokio::test]
async fn setting_an_avatar_is_idempotent_so_a_503_is_retried() {
    let server = support::server().await;
    support::first_n_then(
        &server,
        "/v1/avatars/42",
        1,
        ResponseTemplate::new(503),
        ResponseTemplate::new(200),
    )
    .await;
    let client = support::client(&server);
    client
        .people()
        .set_avatar("42", "https://a.example/42.png")
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2, "the 503 was retried once");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&sent[1].body).unwrap(),
        json!({"url": "https://a.example/42.png"})
    );
}

/// Sends the write `entry` lists, as the crate method it names.
async fn send(client: &Client, fake: &FakeHibob, entry: &WritePermission) -> Result<(), Error> {
    let id = someone(fake, 4);
    let start = NaiveDate::from_ymd_opt(2021, 1, 4).unwrap();
    let site = fake.truth().lists["site"].items[0].label.clone();
    let people = client.people();
    match entry.call {
        "client.people().create(..)" => {
            let hire = NewEmployee::new("A", "B", "ab@example.com", site, start);
            people.create(hire).await.map(drop)
        }
        "client.people().update(..)" => people.update(&id).set("about.about", "x").await.map(drop),
        "client.people().set_email(..)" => people.set_email(&id, "n@example.com").await.map(drop),
        "client.people().terminate(..)" => people.terminate(&id, fake.truth().today).await,
        "client.people().set_start_date(..)" => people.set_start_date(&id, start).await,
        "client.people().invite(..)" => people.invite(&id, 101).await,
        "client.people().uninvite(..)" => people.uninvite(&id).await,
        "client.people().set_avatar(..)" => people.set_avatar(&id, "https://a.example/x.png").await,
        "client.custom_tables().add(..)" => {
            let add = client.custom_tables().add(&id, CERTIFICATIONS_TABLE_ID);
            add.column(CERT_NAME_COLUMN, "First aid").await.map(drop)
        }
        "client.custom_tables().update(..)" => {
            let update = client
                .custom_tables()
                .update(&id, CERTIFICATIONS_TABLE_ID, 1);
            update.column(CERT_NAME_COLUMN, "First aid").await.map(drop)
        }
        "client.custom_tables().delete(..)" => {
            let table = CERTIFICATIONS_TABLE_ID;
            client.custom_tables().delete(&id, table, 1).await.map(drop)
        }
        call if call.starts_with("client.tables()") => {
            crate::writes_tables::send_listed(client, &id, entry.method, entry.route).await
        }
        other => panic!("add a case for {other} so its 403 hint is checked"),
    }
}

#[tokio::test]
async fn a_403_on_every_listed_write_carries_the_listed_permission() {
    let (fake, client) = fake().await;
    for entry in WRITE_PERMISSIONS {
        fake.knobs(|k| {
            k.denied_writes.clear();
            k.deny_writes(entry.route);
        });
        let err = send(&client, &fake, entry).await.unwrap_err();
        match &err {
            Error::PermissionDenied {
                operation, hint, ..
            } => {
                assert_eq!(
                    (operation.method, operation.route),
                    (entry.method, entry.route)
                );
                if entry.route.starts_with("/people/custom-tables") {
                    // The listed words with the table's own category filled in.
                    let hint = hint.unwrap_or_default();
                    assert!(hint.contains("People's fields > Security > Edit"), "{hint}");
                } else {
                    assert_eq!(*hint, Some(entry.permission), "{}", entry.call);
                }
            }
            other => panic!("{}: expected PermissionDenied, got {other:?}", entry.call),
        }
        let custom = entry.route.starts_with("/people/custom-tables");
        assert!(
            custom || err.to_string().contains(entry.permission),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_403_on_the_wizards_and_avatar_reads_names_their_view_permission() {
    let fake = FakeHibob::builder()
        .employees(3)
        .deny_category("about")
        .start()
        .await;
    let client = support::fake_client(&fake);
    let id = someone(&fake, 0);
    let err = client.people().avatar(&id).await.unwrap_err();
    assert!(err.to_string().contains("About > View selected"), "{err}");
    let err = client
        .people()
        .set_avatar(&id, "https://a.example/a.png")
        .await;
    assert!(
        err.unwrap_err()
            .to_string()
            .contains("About > Edit selected")
    );

    fake.knobs(|k| {
        k.no_permission_group = true;
    });
    let err = client.onboarding().wizards().await.unwrap_err();
    assert!(
        err.to_string().contains("Customize the welcome flow"),
        "{err}"
    );
    let err = client.people().invite(&id, 101).await.unwrap_err();
    assert!(err.to_string().contains("Invite employees to Bob"), "{err}");
}

#[tokio::test]
async fn deny_writes_leaves_reads_of_the_same_routes_alone() {
    let (fake, client) = fake().await;
    let id = someone(&fake, 0);
    fake.knobs(|k| {
        k.deny_writes("/people");
    });
    assert!(client.people().search().await.is_ok(), "a search is a read");
    assert!(
        client.people().get(&id).await.is_ok(),
        "so is a single read"
    );
    let err = client.people().update(&id).set("about.about", "x").await;
    assert!(
        matches!(err, Err(Error::PermissionDenied { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_access_check_lists_every_write_and_sends_none() {
    let (fake, client) = fake().await;
    let report = client.check_access().await.unwrap();
    assert_eq!(report.write_permissions(), WRITE_PERMISSIONS);
    let routes: Vec<_> = WRITE_PERMISSIONS
        .iter()
        .map(|w| format!("{} {}", w.method, w.route))
        .collect();
    for expected in [
        "POST /people",
        "PUT /people/{identifier}",
        "PUT /people/{id}/email",
        "POST /employees/{identifier}/terminate",
        "POST /employees/{employeeId}/start-date",
        "POST /employees/{employeeId}/invitations",
        "POST /employees/{identifier}/uninvite",
        "PUT /avatars/{employeeId}",
    ] {
        assert!(routes.iter().any(|r| r == expected), "{expected} missing");
    }
    let writes = fake
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.ends_with("/search"));
    assert_eq!(writes.count(), 0, "the check probes no write");
    assert!(report.requests_made <= hibob::access::MAX_REQUESTS);

    let checklist = hibob::access::write_checklist();
    let invite = checklist
        .lines()
        .find(|l| l.contains("/invitations"))
        .unwrap();
    assert!(invite.contains("Invite employees to Bob"), "{invite}");
    assert!(invite.contains("Customize the welcome flow"), "{invite}");
}

#[tokio::test]
async fn the_check_access_example_prints_the_write_permissions() {
    let Some(binary) = crate::examples::examples_dir().map(|d| d.join("check_access")) else {
        return;
    };
    if !binary.exists() {
        eprintln!("skipped: build the examples first (`cargo test` does)");
        return;
    }
    let output = tokio::process::Command::new(binary)
        .arg("--demo")
        .env_remove("HIBOB_BASE_URL")
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("Writes (not probed"), "{text}");
    for write in WRITE_PERMISSIONS {
        assert!(
            text.contains(&write.to_string()),
            "{write} missing:\n{text}"
        );
    }
}
