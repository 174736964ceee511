//! The simulated device spoken to by hand, message by message, the way an adb server would.

use std::io::Write;
use std::net::TcpStream;

use refurbdesk_adb::{
    read_message, Banner, Command, Message, AUTH_RSA_PUBLIC_KEY, AUTH_SIGNATURE, AUTH_TOKEN,
    MAX_PAYLOAD, VERSION_SKIP_CHECKSUM,
};

use crate::support::{sim, transcript};

struct Host {
    stream: TcpStream,
}

impl Host {
    fn connect(device: &refurbdesk_adb::sim::SimDevice) -> Self {
        Host {
            stream: TcpStream::connect(device.address()).expect("connects"),
        }
    }

    fn send(&mut self, message: Message) {
        self.stream.write_all(&message.encode()).expect("sends");
    }

    fn receive(&mut self) -> Option<Message> {
        read_message(&mut self.stream, MAX_PAYLOAD, true).expect("a valid message or the end")
    }

    fn hello(&mut self) -> Message {
        self.send(Message::new(
            Command::Connect,
            VERSION_SKIP_CHECKSUM,
            MAX_PAYLOAD,
            b"host::features=shell_v2,cmd".to_vec(),
        ));
        self.receive().expect("an answer to CNXN")
    }

    /// Opens `shell:<command>` as stream `local` and reads it to its close.
    fn shell(&mut self, local: u32, command: &str) -> Vec<u8> {
        self.send(Message::new(
            Command::Open,
            local,
            0,
            format!("shell:{command}\0"),
        ));
        let ready = self.receive().expect("OKAY");
        assert_eq!((ready.command, ready.arg1), (Command::Okay, local));
        let remote = ready.arg0;
        let mut output = Vec::new();
        loop {
            let message = self.receive().expect("WRTE or CLSE");
            assert_eq!((message.arg0, message.arg1), (remote, local));
            match message.command {
                Command::Write => {
                    output.extend_from_slice(&message.payload);
                    self.send(Message::new(Command::Okay, local, remote, Vec::new()));
                }
                Command::Close => {
                    self.send(Message::new(Command::Close, local, remote, Vec::new()));
                    return output;
                }
                other => panic!("unexpected {other}"),
            }
        }
    }
}

#[test]
fn the_device_answers_cnxn_with_its_banner_and_shell_commands_from_its_transcript() {
    let device = sim("samsung-s21-healthy.txt");
    let mut host = Host::connect(&device);
    let cnxn = host.hello();
    assert_eq!(cnxn.command, Command::Connect);
    assert_eq!(cnxn.arg0, VERSION_SKIP_CHECKSUM);
    let banner = Banner::parse(&cnxn.payload_text());
    assert_eq!(banner.kind, "device");
    assert_eq!(banner.get("ro.product.model"), Some("SM-G991B"));
    assert_eq!(banner.get("ro.product.device"), Some("o1s"));
    assert!(
        banner.features().is_empty(),
        "no shell_v2: the original shell service"
    );

    assert_eq!(host.shell(1, "getprop ro.product.model"), b"SM-G991B\n");
    let battery = String::from_utf8(host.shell(2, "dumpsys battery")).unwrap();
    assert!(battery.contains("temperature: 284"), "{battery}");
    assert_eq!(host.shell(3, "getprop ro.unset"), b"\n");
    assert_eq!(
        host.shell(4, "frobnicate"),
        b"/system/bin/sh: frobnicate: inaccessible or not found\n"
    );
    assert_eq!(device.stop().commands_answered, 4);
}

#[test]
fn long_output_comes_in_writes_no_larger_than_the_host_takes() {
    let mut text = String::from("$ cat big\n");
    for i in 0..400 {
        text.push_str(&format!("line {i:04} of a long answer\n"));
    }
    let transcript = refurbdesk_adb::Transcript::parse(&text).unwrap();
    let device =
        refurbdesk_adb::sim::SimDevice::start(transcript.clone(), "127.0.0.1:0".parse().unwrap())
            .unwrap();
    let mut host = Host::connect(&device);
    host.send(Message::new(
        Command::Connect,
        VERSION_SKIP_CHECKSUM,
        1024,
        b"host::".to_vec(),
    ));
    assert_eq!(host.receive().unwrap().command, Command::Connect);
    host.send(Message::new(
        Command::Open,
        9,
        0,
        b"shell:cat big\0".to_vec(),
    ));
    let remote = host.receive().unwrap().arg0;
    let mut writes = 0;
    let mut output = Vec::new();
    loop {
        let message = host.receive().unwrap();
        if message.command == Command::Close {
            break;
        }
        assert!(message.payload.len() <= 1024);
        writes += 1;
        output.extend(message.payload);
        host.send(Message::new(Command::Okay, 9, remote, Vec::new()));
    }
    assert_eq!(output, transcript.answer("cat big"));
    assert!(writes > 1, "{} bytes in {writes} writes", output.len());
}

#[test]
fn an_unauthorised_device_answers_every_signature_with_a_new_challenge() {
    let device = sim("samsung-s10-unauthorized.txt");
    let mut host = Host::connect(&device);
    let first = host.hello();
    assert_eq!((first.command, first.arg0), (Command::Auth, AUTH_TOKEN));
    assert_eq!(first.payload.len(), 20);
    host.send(Message::new(Command::Auth, AUTH_SIGNATURE, 0, vec![7; 256]));
    let second = host.receive().unwrap();
    assert_eq!((second.command, second.arg0), (Command::Auth, AUTH_TOKEN));
    assert_ne!(second.payload, first.payload);
    // The key offered waits for the owner, who never comes: nothing is opened meanwhile.
    host.send(Message::new(
        Command::Auth,
        AUTH_RSA_PUBLIC_KEY,
        0,
        b"QAAAA...= user@host\0".to_vec(),
    ));
    host.send(Message::new(
        Command::Open,
        1,
        0,
        b"shell:getprop ro.serialno\0".to_vec(),
    ));
    let stats = device.stop();
    assert_eq!(stats.commands_answered, 0);
    assert!(host.receive().is_none(), "stopping closes the connection");
}

#[test]
fn services_other_than_the_shell_are_refused() {
    let device = sim("pixel6-worn.txt");
    let mut host = Host::connect(&device);
    host.hello();
    host.send(Message::new(Command::Open, 3, 0, b"sync:\0".to_vec()));
    let refused = host.receive().unwrap();
    assert_eq!(
        (refused.command, refused.arg0, refused.arg1),
        (Command::Close, 0, 3)
    );
    assert_eq!(device.stop().services_refused, 1);
}

#[test]
fn an_unplugged_device_closes_the_connection_and_accepts_no_other() {
    let device = sim("samsung-s21-unplugged.txt");
    assert_eq!(
        transcript("samsung-s21-unplugged.txt").unplug_after,
        Some(6)
    );
    let address = device.address();
    let mut host = Host::connect(&device);
    host.hello();
    for stream in 1..=6 {
        host.shell(stream, "getprop ro.serialno");
    }
    host.send(Message::new(
        Command::Open,
        7,
        0,
        b"shell:dumpsys battery\0".to_vec(),
    ));
    assert!(
        host.receive().is_none(),
        "the connection closes on the 7th command"
    );
    assert!(device.finished());
    assert!(device.stats().unplugged);
    drop(device);
    assert!(
        TcpStream::connect(address).is_err(),
        "nobody listens any more"
    );
}

#[test]
fn transcripts_with_unknown_settings_are_refused_with_their_line() {
    let error = refurbdesk_adb::Transcript::parse("# a\n@ colour blue\n").unwrap_err();
    assert!(error.to_string().contains("line 2"), "{error}");
    let error = refurbdesk_adb::Transcript::parse("stray text\n").unwrap_err();
    assert!(error.to_string().contains("line 1"), "{error}");
}
