//! A real PostgreSQL server for tests and benchmarks: Debian's `postgresql` package, a cluster
//! made with `initdb` in a temporary folder, started with `pg_ctl` on a free local port.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the
//! unprivileged user `nobody` (through `runuser`), in a folder that user owns. A test binary
//! shares one server ([`PgServer::shared`]) and gives each test a database of its own
//! ([`PgServer::fresh_database`]). The server is stopped and its folder removed when the
//! [`PgServer`] is dropped and, for the shared one (a static, never dropped), when the test
//! process ends however it ends: a small watcher process holds the reading end of a pipe whose
//! writing end only this process has, and stops the server once that end closes (normal exit,
//! panic or SIGKILL alike).
//!
//! Tests that need the server to go away and come back (a site unreachable mid-push) call
//! [`PgServer::stop`] and [`PgServer::start_again`]: same folder, same port, same data.

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The unprivileged account the server runs as when the tests run as root.
pub const UNPRIVILEGED_USER: &str = "nobody";

/// One running PostgreSQL cluster (superuser `postgres`, trust authentication on 127.0.0.1).
pub struct PgServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// `Some(user)` when the binaries run as that user (this process is root).
    run_as: Option<&'static str>,
    /// The writing end of the watcher's pipe; closing it stops the server.
    watcher: Mutex<Option<(Child, ChildStdin)>>,
    databases: AtomicU32,
    /// Whether it serves TLS with the test certificates in its folder.
    tls: bool,
}

impl PgServer {
    /// The server this test binary shares, started on first use.
    pub fn shared() -> &'static PgServer {
        static SHARED: OnceLock<PgServer> = OnceLock::new();
        SHARED.get_or_init(PgServer::start)
    }

    /// Makes a cluster in a new temporary folder and starts it; panics, with the server's log,
    /// when it cannot (a test cannot go on without it).
    pub fn start() -> PgServer {
        PgServer::start_with(false)
    }

    /// [`PgServer::start`], serving TLS too (`ssl=on`) with a certificate for `localhost` (a
    /// DNS name only, so a client connecting to 127.0.0.1 finds the name does not match), signed
    /// by a test CA whose certificate is [`PgServer::ca_file`]. Made with Debian's `openssl`.
    pub fn start_tls() -> PgServer {
        PgServer::start_with(true)
    }

    /// The test CA's certificate (PEM) of a server started with [`PgServer::start_tls`].
    pub fn ca_file(&self) -> Option<PathBuf> {
        self.tls.then(|| self.dir.path().join("ca.crt"))
    }

    fn start_with(tls: bool) -> PgServer {
        let bin = binaries().unwrap_or_else(|| {
            panic!(
                "PostgreSQL's binaries were not found under /usr/lib/postgresql/*/bin \
                 (install Debian's `postgresql` package)"
            )
        });
        let run_as = is_root().then_some(UNPRIVILEGED_USER);
        let dir = tempfile::Builder::new()
            .prefix("refurbdesk-pg-")
            .tempdir()
            .expect("temporary folder for the cluster");
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(
                status.success(),
                "could not give {user} the cluster's folder"
            );
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .expect("cluster folder permissions");
        let mut server = PgServer {
            dir,
            bin,
            port: 0,
            run_as,
            watcher: Mutex::new(None),
            databases: AtomicU32::new(0),
            tls,
        };
        if tls {
            server.make_certificates();
        }
        let initdb = server
            .command("initdb")
            .arg("-D")
            .arg(server.data())
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ])
            .output()
            .expect("initdb runs");
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        // A port taken between asking and starting is retried with another.
        let mut last_log = String::new();
        for _ in 0..5 {
            server.port = free_port();
            if server.pg_ctl_start() {
                server.watch();
                return server;
            }
            last_log = std::fs::read_to_string(server.log()).unwrap_or_default();
        }
        panic!("PostgreSQL did not start; its log:\n{last_log}");
    }

    /// The port the server listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The connection URL of a database on this server, as the superuser.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn fresh_database(&self) -> String {
        let number = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("test_{}_{number}", std::process::id());
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connects to the test server");
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("creates the test database");
        self.url(&name)
    }

    /// Stops the server at once, as a crash or a cable pulled would (`pg_ctl stop -m immediate`);
    /// what was committed survives.
    pub fn stop(&self) {
        let output = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output()
            .expect("pg_ctl runs");
        assert!(
            output.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts the stopped server again on the same port with the same data.
    pub fn start_again(&self) {
        assert!(
            self.pg_ctl_start(),
            "PostgreSQL did not start again; its log:\n{}",
            std::fs::read_to_string(self.log()).unwrap_or_default()
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    fn pg_ctl_start(&self) -> bool {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            self.port,
            self.dir.path().display()
        );
        if self.tls {
            let dir = self.dir.path().display();
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key"
            ));
        }
        self.command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.log())
            .args(["-w", "-t", "60", "-o", &options, "start"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// A test CA and the server's certificate for `localhost` signed by it, in the cluster's
    /// folder; the key readable by the server's user only, as PostgreSQL requires.
    fn make_certificates(&self) {
        let dir = self.dir.path();
        let openssl = |args: &[&str]| {
            let output = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .expect("openssl runs (Debian's openssl package)");
            assert!(
                output.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        openssl(
            &[
                &["req", "-x509"][..],
                &ec,
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.crt",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=Refurbdesk test CA",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req"][..],
                &ec,
                &[
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr",
                    "-subj",
                    "/CN=localhost",
                ],
            ]
            .concat(),
        );
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .expect("extensions file");
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        let key = dir.join("server.key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("key mode");
        if let Some(user) = self.run_as {
            for file in ["server.key", "server.crt"] {
                let status = Command::new("chown")
                    .arg(format!("{user}:"))
                    .arg(dir.join(file))
                    .status()
                    .expect("chown runs");
                assert!(status.success(), "could not give {user} {file}");
            }
        }
    }

    /// A PostgreSQL program, run as the unprivileged user when this process is root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        }
    }

    /// Starts the watcher that stops the server and removes its folder when this process's end
    /// of the pipe closes.
    fn watch(&self) {
        let stop = self.command("pg_ctl");
        let mut line: Vec<String> = std::iter::once(stop.get_program())
            .chain(stop.get_args())
            .map(|part| shell_quote(&part.to_string_lossy()))
            .collect();
        line.extend(
            [
                "-D",
                &self.data().to_string_lossy(),
                "-m",
                "immediate",
                "stop",
            ]
            .iter()
            .map(|part| shell_quote(part)),
        );
        let script = format!(
            "cat >/dev/null; {} >/dev/null 2>&1; rm -rf {}",
            line.join(" "),
            shell_quote(&self.dir.path().to_string_lossy())
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server's watcher starts");
        let stdin = child.stdin.take().expect("the watcher's pipe");
        *self.watcher.lock().unwrap_or_else(|e| e.into_inner()) = Some((child, stdin));
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let watcher = self
            .watcher
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some((mut child, mut stdin)) = watcher {
            // Closing the pipe makes the watcher stop the server; wait for it so the folder is
            // gone when the drop returns.
            let _ = stdin.flush();
            drop(stdin);
            let _ = child.wait();
        }
    }
}

/// `/usr/lib/postgresql/<newest version>/bin`, where `initdb` is.
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            Path::new(&bin.join("initdb"))
                .exists()
                .then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free local port")
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_starts_serves_stops_and_starts_again_with_its_data() {
        let server = PgServer::start();
        let url = server.fresh_database();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
        client
            .batch_execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
            .expect("writes");
        drop(client);
        server.stop();
        assert!(postgres::Client::connect(&url, postgres::NoTls).is_err());
        server.start_again();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects again");
        let n: i32 = client
            .query_one("SELECT n FROM kept", &[])
            .expect("reads")
            .get(0);
        assert_eq!(n, 7);
        drop(client);
        let folder = server.dir.path().to_owned();
        drop(server);
        assert!(!folder.exists(), "the cluster's folder is removed");
    }
}
