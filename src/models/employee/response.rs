//! Response envelopes of the people reads.

use serde::{Deserialize, Deserializer, Serialize};

use super::Employee;
use super::compact::Compact;

/// The body of `POST /people/search`: `{"employees": [...]}`.
///
/// A missing `employees` key is a decode error (HiBob always sends it); a
/// non-object element fails with its path (`employees[312]`), while unknown
/// shapes inside an employee never fail.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PeopleSearchResponse {
    /// The employees the service user may see, in HiBob's order.
    pub employees: Vec<Employee>,
}

impl PeopleSearchResponse {
    /// Wraps employees, e.g. to build a fixture for a test.
    pub fn new(employees: Vec<Employee>) -> Self {
        Self { employees }
    }
}

/// The body of `POST /people/{identifier}`: one bare employee object, or
/// (as the 2024 OpenAPI file described it) `{"employees": [employee]}`, in
/// which case the first element is taken.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct SingleEmployeeResponse {
    /// The employee.
    pub employee: Employee,
}

impl SingleEmployeeResponse {
    /// The employee.
    pub fn into_employee(self) -> Employee {
        self.employee
    }
}

impl From<SingleEmployeeResponse> for Employee {
    fn from(response: SingleEmployeeResponse) -> Self {
        response.employee
    }
}

impl<'de> Deserialize<'de> for SingleEmployeeResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = Compact::deserialize(deserializer)?;
        let value = match value {
            Compact::Object(members)
                if members
                    .iter()
                    .any(|(k, v)| k.as_str() == "employees" && matches!(v, Compact::Array(_))) =>
            {
                let list = members
                    .into_vec()
                    .into_iter()
                    .find_map(|(k, v)| match v {
                        Compact::Array(items) if k.as_str() == "employees" => Some(items),
                        _ => None,
                    })
                    .unwrap_or_default();
                list.into_vec()
                    .into_iter()
                    .next()
                    .ok_or_else(|| D::Error::custom("the response's `employees` array is empty"))?
            }
            other => other,
        };
        Employee::from_compact_object(value).map(|employee| Self { employee })
    }
}
