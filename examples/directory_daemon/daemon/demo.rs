//! `--demo`: the embedded fake changes a little before each reconciliation
//! after the first, so the daemon has something to report.

use hibob::testing::{FakeHibob, NewHire};

/// The fake and how many changes it has had.
pub struct Demo {
    fake: FakeHibob,
    changes: u32,
}

impl Demo {
    pub fn new(fake: FakeHibob) -> Self {
        Self { fake, changes: 0 }
    }

    /// A hire, a termination or a department move, in turn.
    pub fn change_something(&mut self) {
        self.changes += 1;
        let truth = self.fake.truth();
        let today = truth.today;
        let employed: Vec<_> = truth
            .employees
            .iter()
            .filter(|e| e.lifecycle_status == "employed")
            .collect();
        let Some(someone) = employed.get(self.changes as usize % employed.len().max(1)) else {
            return;
        };
        match self.changes % 3 {
            0 => {
                let n = self.changes;
                let hire = NewHire::new(
                    "Demo",
                    format!("Hire{n}"),
                    format!("demo.hire{n}@example.com"),
                    today,
                );
                self.fake.hire(hire);
            }
            1 => self.fake.terminate(&someone.id, today),
            _ => {
                let current = someone.department.as_ref().map(|d| d.id.clone());
                let other = truth.lists.get("department").and_then(|list| {
                    list.items
                        .iter()
                        .find(|item| !item.archived && Some(&item.id) != current.as_ref())
                });
                if let Some(other) = other {
                    self.fake.move_department(&someone.id, &other.id, today);
                }
            }
        }
    }
}
