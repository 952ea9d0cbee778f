//! The local journal: creates sent whose outcome is not known yet.
//!
//! A row is recorded before its create is sent and removed once HiBob's
//! answer says what happened. Whatever is left after a run (a dropped
//! connection, a 5xx after sending, a crash) may or may not exist in HiBob;
//! the next run looks it up before it would send it again. The file is
//! JSON, replaced atomically (a temporary file renamed over it) and readable
//! by its owner only, since it holds e-mail addresses.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// One create sent with an unknown outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The hire's work e-mail, as sent.
    pub email: String,
    /// The CSV line of the row.
    pub line: u64,
    /// When the create was sent, in seconds since the Unix epoch.
    pub sent_at: u64,
}

/// The journal file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Journal {
    #[serde(default)]
    entries: Vec<Entry>,
    #[serde(skip)]
    path: PathBuf,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Journal {
    /// The journal at `path`; empty when the file does not exist.
    pub fn load(path: &Path) -> Result<Self, String> {
        let mut journal = match fs::read(path) {
            Ok(bytes) => serde_json::from_slice::<Journal>(&bytes).map_err(|e| {
                format!(
                    "journal {} is not readable ({e}); it lists creates whose outcome is unknown, so check those hires in Bob before deleting it",
                    path.display()
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Journal::default(),
            Err(e) => return Err(format!("cannot read journal {}: {e}", path.display())),
        };
        journal.path = path.to_owned();
        Ok(journal)
    }

    /// The entry for `email`, if any.
    pub fn find(&self, email: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.email.eq_ignore_ascii_case(email))
    }

    /// Every entry.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Records a create about to be sent, and saves.
    pub fn record(&mut self, email: &str, line: u64) -> std::io::Result<()> {
        self.entries
            .retain(|e| !e.email.eq_ignore_ascii_case(email));
        self.entries.push(Entry {
            email: email.to_owned(),
            line,
            sent_at: now(),
        });
        self.save()
    }

    /// Forgets `email` (its outcome is known), and saves if it was there.
    pub fn settle(&mut self, email: &str) -> std::io::Result<()> {
        let before = self.entries.len();
        self.entries
            .retain(|e| !e.email.eq_ignore_ascii_case(email));
        match self.entries.len() == before {
            true => Ok(()),
            false => self.save(),
        }
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the file atomically (owner-only); removes it when empty.
    fn save(&self) -> std::io::Result<()> {
        if self.entries.is_empty() {
            return match fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let mut name = self.path.file_name().unwrap_or_default().to_owned();
        name.push(".tmp");
        let temporary = self.path.with_file_name(name);
        let mut file = owner_only(&temporary)?;
        file.write_all(&serde_json::to_vec_pretty(self)?)?;
        file.sync_all()?;
        fs::rename(&temporary, &self.path)
    }
}

/// A new file only its owner may read or write.
fn owner_only(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        // `mode` applies only to a file it creates: a leftover keeps its own.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}
