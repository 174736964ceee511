//! What every use-case test needs: a fresh workstation on a real SQLite file in a temp folder.

#![allow(dead_code)]

use refurbdesk_app::{DataPaths, Workstation};

/// A workstation in its own temporary folder; the folder goes when this is dropped.
pub struct TestStation {
    pub dir: tempfile::TempDir,
    pub paths: DataPaths,
}

impl TestStation {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temp folder");
        let paths = DataPaths::under(
            dir.path().join("data"),
            Some(&dir.path().join("station.sqlite")),
        );
        paths.create_dirs().expect("the station's folders");
        Self { dir, paths }
    }

    /// The workstation open as `operator` (None: the operating-system user).
    pub fn open(&self, operator: Option<&str>) -> Workstation {
        Workstation::open(self.paths.clone(), operator.map(str::to_owned))
            .expect("open the station")
    }
}
