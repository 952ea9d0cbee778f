//! The access report: findings, their severity and kind, the fix texts in the
//! words of Bob's UI, and the checklist `Display`.

use std::fmt;

use crate::models::metadata::FieldCatalog;
use crate::models::{EmployeeId, FieldId};

/// How bad a finding is. Ordered: `Ok < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// The check passed.
    Ok,
    /// Worth knowing; nothing is known to be broken (e.g. the check was inconclusive).
    Info,
    /// The integration works but sees less than it could (current rows only,
    /// former employees hidden, employees outside the audience).
    Warning,
    /// The integration cannot get what it asked for (bad credentials, no
    /// permission group, requested fields withheld, a table answering 403).
    Error,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a finding is about, and its outcome. Stable: match on it rather than
/// on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindingKind {
    /// The service user ID and token were accepted.
    CredentialsAccepted,
    /// HiBob answered 401: the service user ID or token is wrong or was
    /// regenerated. Nothing else was checked.
    CredentialsRejected,
    /// Fields metadata, which needs no permission, answered 403: the account
    /// restricts API access (by IP address) or HiBob's firewall blocked the
    /// credential. Nothing else was checked.
    ApiAccessBlocked,
    /// The people search answered: the service user is in a permission group.
    InPermissionGroup,
    /// The people search answered 403 while fields metadata worked: the service
    /// user is in no permission group. Nothing else was checked.
    NoPermissionGroup,
    /// The people search returned nobody: the group's "Access data for"
    /// selects no employee. Nothing else was checked.
    NoEmployeesVisible,
    /// Every requested field of one category came back ([`Finding::category`]).
    CategoryVisible,
    /// Requested fields of one category ([`Finding::category`]) were silently
    /// withheld ([`Finding::fields`]): the group may not view that category.
    CategoryWithheld,
    /// Requested field IDs that fields metadata does not list; HiBob drops
    /// unknown IDs silently ([`Finding::fields`]).
    UnknownFields,
    /// A search with `showInactive` returned inactive employees.
    FormerEmployeesVisible,
    /// A search with `showInactive` returned no inactive employee: the group's
    /// "Access data for" is probably limited to Lifecycle status = Employed.
    FormerEmployeesHidden,
    /// Whether former employees are visible could not be told, because
    /// `internal.status` (category Lifecycle) is withheld.
    FormerEmployeesUnknown,
    /// A history table ([`Finding::table`]) returns full histories.
    FullHistory,
    /// A history table returns the current row only: the group has "… sections"
    /// without "… section histories".
    CurrentRowOnly,
    /// A history table answered 403.
    HistoryDenied,
    /// Whether a history table returns full histories could not be told from
    /// the sampled employees.
    HistoryUnknown,
    /// A table other than the history tables ([`Finding::employee_table`],
    /// or a custom table: [`Finding::custom_table`]) answered ([`AccessCheck::every_table`](super::AccessCheck::every_table)).
    TableVisible,
    /// A table other than the history tables answered 403; the fix names
    /// the permission to grant.
    TableDenied,
    /// Every checked employee is in the service user's audience.
    AudienceComplete,
    /// Some checked employees ([`Finding::employees`]) are outside the service
    /// user's audience: bulk reads list them as `MISSING_PERMISSION`, or the
    /// people search does not return them.
    OutsideAudience,
    /// A part of the check could not run because an earlier one failed.
    NotChecked,
    /// Time-off policy types answered ([`AccessCheck::time_off`](super::AccessCheck::time_off)):
    /// the Features permission for time-off settings and policies is granted.
    TimeOffSettingsVisible,
    /// Time-off policy types answered 403: the Features permission for
    /// time-off settings and policies is missing.
    TimeOffSettingsDenied,
    /// Who's out for today answered: "See who's out" is granted.
    WhosOutVisible,
    /// Who's out for today answered 403: "See who's out" is missing.
    WhosOutDenied,
    /// Who's out with `includePrivate=true` returned requests the plain read
    /// did not: requests under private policies are visible.
    PrivatePoliciesVisible,
    /// Who's out with `includePrivate=true` returned nothing more than
    /// without it: either nobody is out under a private policy in the window,
    /// or the permission is missing; the API cannot tell which.
    PrivatePoliciesUnknown,
    /// Who's out with `includePrivate=true` answered 403.
    PrivatePoliciesDenied,
    /// An employee-calendars search answered: the Calendars permission is granted.
    CalendarsVisible,
    /// An employee-calendars search answered 403: the Calendars permission is missing.
    CalendarsDenied,
}

use crate::tables::{EmployeeTable, HistoryTable};

/// A permission category, from fields metadata.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Category {
    /// `categoryId` (`work`, `category_1720508362305`): the unit of permissions.
    pub id: String,
    /// `categoryDisplayName` (`Work`, `Basic info`), the name in Bob's UI.
    pub name: String,
}

/// One result of the access check.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Finding {
    /// What it is about and its outcome.
    pub kind: FindingKind,
    /// How bad it is.
    pub severity: Severity,
    /// One line saying what was found. Never contains a secret, an e-mail
    /// address or an employee ID.
    pub message: String,
    /// One line saying what to change, in the words of Bob's UI
    /// (`Settings > Permission groups > <group> > …`); `None` when nothing needs fixing.
    pub fix: Option<String>,
    /// The category, for category findings.
    pub category: Option<Category>,
    /// The table, for history findings.
    pub table: Option<HistoryTable>,
    /// The table, for every built-in table finding (history tables included).
    pub employee_table: Option<EmployeeTable>,
    /// The custom table's ID, for custom-table findings.
    pub custom_table: Option<String>,
    /// The fields concerned (withheld or unknown ones).
    pub fields: Vec<FieldId>,
    /// The employees concerned (outside the audience). Not printed by
    /// `Display`; handle them according to your data policy.
    pub employees: Vec<EmployeeId>,
}

impl Finding {
    pub(crate) fn new(kind: FindingKind, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            kind,
            severity,
            message: message.into(),
            fix: None,
            category: None,
            table: None,
            employee_table: None,
            custom_table: None,
            fields: Vec::new(),
            employees: Vec::new(),
        }
    }

    pub(crate) fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub(crate) fn with_table(mut self, table: HistoryTable) -> Self {
        self.table = Some(table);
        self.employee_table = Some(table.employee_table());
        self
    }

    pub(crate) fn with_employee_table(mut self, table: EmployeeTable) -> Self {
        self.employee_table = Some(table);
        self
    }
}

impl fmt::Display for Finding {
    /// `[error]   message`, then `fix: …` on an indented line when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = format!("[{}]", self.severity);
        write!(f, "{tag:<10}{}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n{:<10}fix: {fix}", "")?;
        }
        Ok(())
    }
}

/// The outcome of [`Client::check_access`](crate::Client::check_access).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AccessReport {
    findings: Vec<Finding>,
    /// HTTP requests the client sent during the check, retries included,
    /// from [`Client::stats`](crate::Client::stats) (so requests made
    /// meanwhile through clones of the client count too). At most 7 calls
    /// (6 with the default tables), never more than
    /// [`MAX_REQUESTS`](super::MAX_REQUESTS) even with retries; the opt-in
    /// probes add up to [`TABLE_REQUESTS`](super::TABLE_REQUESTS) and
    /// [`TIME_OFF_REQUESTS`](super::TIME_OFF_REQUESTS).
    pub requests_made: u64,
}

impl AccessReport {
    pub(crate) fn new(findings: Vec<Finding>, requests_made: u64) -> Self {
        Self {
            findings,
            requests_made,
        }
    }

    /// Every finding, in the order checked.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Findings of one kind.
    pub fn of_kind(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }

    /// The worst severity found (`Ok` for an empty report).
    pub fn worst(&self) -> Severity {
        self.findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Ok)
    }

    /// Whether nothing needs fixing: no warning and no error.
    pub fn is_ok(&self) -> bool {
        self.worst() <= Severity::Info
    }

    /// The Edit permissions each write needs. Writes are never probed (a
    /// write cannot be tried safely), so this is the same list for every
    /// report: [`WRITE_PERMISSIONS`](super::WRITE_PERMISSIONS).
    pub fn write_permissions(&self) -> &'static [super::WritePermission] {
        super::WRITE_PERMISSIONS
    }

    /// Whether some finding is an [`Severity::Error`].
    pub fn has_errors(&self) -> bool {
        self.worst() == Severity::Error
    }
}

impl fmt::Display for AccessReport {
    /// A checklist: a summary line, then one line per finding with its fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        let verdict = if errors + warnings == 0 {
            "all good".to_owned()
        } else {
            format!("{} error(s), {} warning(s)", errors, warnings)
        };
        write!(
            f,
            "HiBob access check: {verdict} ({} request(s))",
            self.requests_made
        )?;
        for finding in &self.findings {
            let text = finding.to_string().replace('\n', "\n  ");
            write!(f, "\n  {text}")?;
        }
        Ok(())
    }
}

/// `Settings > Permission groups > <group> > People's Data > {category} > View selected employees' {category} sections`.
pub(crate) fn view_sections_fix(category: &str) -> String {
    format!("{GROUP} > People's Data > {category} > View selected employees' {category} sections")
}

/// `… > View selected employees' {category} section histories`.
pub(crate) fn view_histories_fix(category: &str) -> String {
    format!(
        "{GROUP} > People's Data > {category} > View selected employees' {category} section histories"
    )
}

pub(crate) const GROUP: &str = "Settings > Permission groups > <group>";

/// Field names for a message: metadata names (else IDs), at most five.
pub(crate) fn field_list(catalog: &FieldCatalog, fields: &[FieldId]) -> String {
    const SHOWN: usize = 5;
    let names: Vec<&str> = fields
        .iter()
        .take(SHOWN)
        .map(|id| {
            catalog
                .get(id)
                .and_then(|m| m.name.as_deref())
                .filter(|n| !n.is_empty())
                .unwrap_or(id.as_str())
        })
        .collect();
    let mut text = names.join(", ");
    if fields.len() > SHOWN {
        text.push_str(&format!(" and {} more", fields.len() - SHOWN));
    }
    text
}

/// The category of a field per metadata (`categoryId`, else the legacy
/// `category`), `None` for a field metadata does not list.
pub(crate) fn category_of(catalog: &FieldCatalog, id: &FieldId) -> Option<Category> {
    let meta = catalog.get(id)?;
    let cat_id = meta
        .category_id
        .clone()
        .or_else(|| meta.category.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    let name = meta
        .category_display_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| cat_id.clone());
    Some(Category { id: cat_id, name })
}

/// Groups fields by category in first-seen order; fields metadata does not
/// list come back separately.
pub(crate) fn group_by_category(
    catalog: &FieldCatalog,
    fields: &[FieldId],
) -> (Vec<(Category, Vec<FieldId>)>, Vec<FieldId>) {
    let mut groups: Vec<(Category, Vec<FieldId>)> = Vec::new();
    let mut unknown = Vec::new();
    for id in fields {
        match category_of(catalog, id) {
            None => unknown.push(id.clone()),
            Some(cat) => match groups.iter_mut().find(|(c, _)| c.id == cat.id) {
                Some((_, ids)) => ids.push(id.clone()),
                None => groups.push((cat, vec![id.clone()])),
            },
        }
    }
    (groups, unknown)
}

/// Findings for fields HiBob withheld, one per category (the permission to
/// grant), plus one for IDs fields metadata does not know.
///
/// This is what [`Client::check_access`](crate::Client::check_access)
/// reports for the fields it checks; call it with
/// [`SearchResult::missing_fields`](crate::people::SearchResult::missing_fields)
/// to print the same findings from your own reads.
///
/// ```
/// use hibob::access::{FindingKind, Severity, withheld_fields};
/// use hibob::metadata::{FieldCatalog, FieldMeta, FieldType};
/// use hibob::field;
///
/// let mut department = FieldMeta::new(field::DEPARTMENT, FieldType::List);
/// department.category_id = Some("work".into());
/// department.category_display_name = Some("Work".into());
/// let catalog = FieldCatalog::new(vec![department]);
///
/// let findings = withheld_fields(&catalog, &[field::DEPARTMENT]);
/// assert_eq!(findings[0].kind, FindingKind::CategoryWithheld);
/// assert_eq!(findings[0].severity, Severity::Error);
/// assert_eq!(
///     findings[0].fix.as_deref(),
///     Some("Settings > Permission groups > <group> > People's Data > Work > View selected employees' Work sections")
/// );
/// ```
pub fn withheld_fields(catalog: &FieldCatalog, withheld: &[FieldId]) -> Vec<Finding> {
    let (groups, unknown) = group_by_category(catalog, withheld);
    let mut findings: Vec<Finding> = groups
        .into_iter()
        .map(|(category, fields)| {
            let n = fields.len();
            let message = format!(
                "{}: {n} requested field{} withheld ({}); the permission group may not view this category",
                category.name,
                if n == 1 { " is" } else { "s are" },
                field_list(catalog, &fields),
            );
            Finding {
                fix: Some(view_sections_fix(&category.name)),
                category: Some(category),
                fields,
                ..Finding::new(FindingKind::CategoryWithheld, Severity::Error, message)
            }
        })
        .collect();
    if !unknown.is_empty() {
        findings.push(unknown_fields(&unknown));
    }
    findings
}

pub(crate) fn unknown_fields(unknown: &[FieldId]) -> Finding {
    let ids: Vec<&str> = unknown.iter().map(FieldId::as_str).collect();
    let message = format!(
        "{} requested field ID{} not in fields metadata and will never come back: {}",
        ids.len(),
        if ids.len() == 1 { " is" } else { "s are" },
        ids.join(", ")
    );
    Finding {
        fields: unknown.to_vec(),
        ..Finding::new(FindingKind::UnknownFields, Severity::Warning, message).with_fix(
            "use the field IDs listed by fields metadata (Client::metadata().fields()); custom field IDs cannot be guessed",
        )
    }
}
