//! Printing the stored event batches as JSON Lines, exactly once across
//! restarts: a batch is printed after the store saved it, and the last
//! printed batch (the `<state>.cursor` file) or the last printed event
//! (the `--events` file's last line) says where a restart resumes.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use hibob::directory::{Batch, BatchId, Store, StoreError};

/// Where the events go and where printing resumes.
pub struct Emitter {
    out: Output,
    cursor_file: Option<PathBuf>,
    cursor: Option<BatchId>,
    /// The last event the `--events` file holds, from an earlier run.
    last_printed: Option<String>,
}

enum Output {
    Stdout,
    File(File),
}

impl Emitter {
    /// Opens `events` (`-` for stdout; a file is appended to, created
    /// owner-only) and reads where the last run stopped.
    pub fn open(events: &str, state: Option<&Path>) -> io::Result<Self> {
        let (out, last_printed) = if events == "-" {
            (Output::Stdout, None)
        } else {
            let path = Path::new(events);
            let last = last_event_id(path)?;
            (Output::File(append_owner_only(path)?), last)
        };
        let cursor_file = state.map(|state| {
            let mut name = state.as_os_str().to_owned();
            name.push(".cursor");
            PathBuf::from(name)
        });
        let cursor = match &cursor_file {
            Some(path) => read_cursor(path)?,
            None => None,
        };
        Ok(Self {
            out,
            cursor_file,
            cursor,
            last_printed,
        })
    }

    /// Prints every stored batch not printed yet; returns how many events.
    pub async fn catch_up<S: Store>(&mut self, store: &S) -> Result<usize, CatchUpError> {
        let batches = match store.batches_after(self.cursor).await {
            Ok(batches) => batches,
            Err(StoreError::BatchesDropped { .. }) if self.cursor.is_some() => {
                eprintln!(
                    "directory_daemon: warning: some batches since the last printed one are no longer kept; printing all that are"
                );
                store.batches_after(None).await?
            }
            Err(other) => return Err(other.into()),
        };
        let mut printed = 0;
        let mut skip_to = self.resume_point(&batches);
        for batch in &batches {
            printed += self.print(batch, &mut skip_to)?;
        }
        self.last_printed = None;
        Ok(printed)
    }

    /// The event the `--events` file ended with, when a pending batch holds
    /// it: the previous run printed up to it but did not move the cursor.
    fn resume_point(&self, batches: &[Batch]) -> Option<String> {
        let last = self.last_printed.as_ref()?;
        let held = batches
            .iter()
            .flat_map(|b| &b.events)
            .any(|e| &e.event_id == last);
        held.then(|| last.clone())
    }

    fn print(
        &mut self,
        batch: &Batch,
        skip_to: &mut Option<String>,
    ) -> Result<usize, CatchUpError> {
        let mut text = String::new();
        let mut count = 0;
        for event in &batch.events {
            if let Some(last) = skip_to.as_deref() {
                if event.event_id == last {
                    *skip_to = None;
                }
                continue;
            }
            text.push_str(&serde_json::to_string(event).map_err(io::Error::other)?);
            text.push('\n');
            count += 1;
        }
        self.write(text.as_bytes())?;
        self.cursor = Some(batch.id);
        if let Some(path) = &self.cursor_file {
            write_cursor(path, batch.id)?;
        }
        Ok(count)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.out {
            Output::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()
            }
            Output::File(file) => {
                file.write_all(bytes)?;
                file.sync_data()
            }
        }
    }
}

/// Why printing stopped.
#[derive(Debug, thiserror::Error)]
pub enum CatchUpError {
    #[error("could not write the events: {0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn append_owner_only(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The `event_id` of the file's last line, if it is an event.
fn last_event_id(path: &Path) -> io::Result<Option<String>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // Events are small; the last 64 KiB hold the last line.
    let length = file.metadata()?.len();
    file.seek(SeekFrom::Start(length.saturating_sub(64 * 1024)))?;
    let last = BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter(|line| !line.trim().is_empty())
        .last();
    Ok(last.and_then(|line| {
        let event: serde_json::Value = serde_json::from_str(&line).ok()?;
        Some(event["event_id"].as_str()?.to_owned())
    }))
}

fn read_cursor(path: &Path) -> io::Result<Option<BatchId>> {
    match std::fs::read_to_string(path) {
        Ok(text) => text.trim().parse().map(|n| Some(BatchId(n))).map_err(|_| {
            io::Error::other(format!(
                "{} is not a batch number: delete it to print every kept batch again",
                path.display()
            ))
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Replaces the cursor file in one rename, so a crash leaves the old or
/// the new number, never half of one.
fn write_cursor(path: &Path, batch: BatchId) -> io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut file = File::create(&temporary)?;
    file.write_all(batch.to_string().as_bytes())?;
    file.sync_data()?;
    std::fs::rename(&temporary, path)
}
