//! What a bench knows and does, with no I/O: it answers requests, starts tests and erases, and
//! says which timers to set. The runner owns the clock and the wire.

use std::sync::Arc;

use refurbdesk_bench_protocol::responses::{
    EraseState, SlotActivity, SlotState, SlotsReply, StatusReply, TestState,
};
use refurbdesk_bench_protocol::{is_valid_key, ErrorCode, Event, Fields, ResponseBody};

use crate::scenario::{DeviceProfile, EraseMethod, EraseOutcome, Scenario};
use crate::SimError;

/// Something that happens later, in scenario milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scheduled {
    pub(crate) after_ms: u64,
    pub(crate) timer: Timer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Timer {
    TestDone { slot: u16, run: u64 },
    EraseStep { slot: u16, run: u64, quarter: u8 },
}

/// Erase progress is reported at each quarter; the fourth is the outcome.
const ERASE_QUARTERS: u8 = 4;

/// Arguments quoted back in error messages are cut so the reply always fits on one line.
const MAX_ECHOED_CHARS: usize = 32;

const KNOWN_VERBS: &str =
    "HELLO, PING, SLOTS, IDENT, BATT, LOCK, TESTS, RUN, ERASE, RESULTS, STATUS";

type Reply = Result<Fields, (ErrorCode, String)>;

#[derive(Debug, Clone)]
struct TestRecord {
    name: String,
    state: TestState,
    detail: Option<String>,
}

#[derive(Debug, Clone)]
struct EraseRecord {
    state: EraseState,
    progress: u8,
    method: Option<EraseMethod>,
    run: u64,
}

impl Default for EraseRecord {
    fn default() -> Self {
        Self {
            state: EraseState::None,
            progress: 0,
            method: None,
            run: 0,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct SlotRuntime {
    present: bool,
    /// Every test run since the device was placed, in the order first run.
    results: Vec<TestRecord>,
    /// The test in progress and its run id; a timer with another id is stale.
    running: Option<(String, u64)>,
    erase: EraseRecord,
}

impl SlotRuntime {
    fn forget_work(&mut self) {
        self.results.clear();
        self.running = None;
        self.erase = EraseRecord::default();
    }

    fn erasing(&self) -> bool {
        self.erase.state == EraseState::Running
    }
}

pub(crate) struct BenchState {
    scenario: Arc<Scenario>,
    slots: Vec<SlotRuntime>,
    /// Ids for test and erase runs; unique over the bench's life so no timer outlives its run.
    next_run: u64,
}

impl BenchState {
    pub(crate) fn new(scenario: Arc<Scenario>) -> Self {
        let slots = (1..=scenario.bench().slots)
            .map(|slot| SlotRuntime {
                present: scenario.device(slot).is_some_and(|device| device.present),
                ..SlotRuntime::default()
            })
            .collect();
        Self {
            scenario,
            slots,
            next_run: 1,
        }
    }

    pub(crate) fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Scenario milliseconds the bench takes to answer `verb`.
    pub(crate) fn answer_ms(&self, verb: &str) -> u64 {
        let timing = self.scenario.timing();
        match verb {
            "IDENT" | "BATT" | "LOCK" | "RUN" | "ERASE" => timing.device_ms,
            _ => timing.response_ms,
        }
    }

    /// Answers one request; timers it needs are appended to `timers`.
    pub(crate) fn handle(
        &mut self,
        verb: &str,
        args: &[String],
        timers: &mut Vec<Scheduled>,
    ) -> ResponseBody {
        let reply = match verb {
            "HELLO" => self.hello(args),
            "PING" => no_args("PING", args).map(|()| Fields::new()),
            "SLOTS" => self.slots_reply(args),
            "IDENT" => self.read_device(verb, args, |device| Some(device.ident.to_fields())),
            "BATT" => self.read_device(verb, args, |device| {
                device.battery.as_ref().map(|battery| battery.to_fields())
            }),
            "LOCK" => self.read_device(verb, args, |device| {
                device.lock.as_ref().map(|lock| lock.to_fields())
            }),
            "TESTS" => {
                self.read_device(verb, args, |device| Some(device.tests_reply().to_fields()))
            }
            "RESULTS" => self.results(args),
            "STATUS" => self.status(args),
            "RUN" => self.run(args, timers),
            "ERASE" => self.erase(args, timers),
            _ => Err((
                ErrorCode::UnknownVerb,
                format!(
                    "this bench does not know {}; it knows {KNOWN_VERBS}",
                    echoed(verb)
                ),
            )),
        };
        match reply {
            Ok(fields) => ResponseBody::Ok(fields),
            Err((code, message)) => ResponseBody::Err {
                code,
                message: Some(message),
            },
        }
    }

    /// Runs a timer that came due; returns the event it produces, if its run is still current.
    pub(crate) fn fire(&mut self, timer: Timer) -> Option<Event> {
        match timer {
            Timer::TestDone { slot, run } => {
                let device = self.scenario.device(slot)?;
                let runtime = self.slots.get_mut(usize::from(slot).checked_sub(1)?)?;
                let (name, current) = runtime.running.as_ref()?;
                if *current != run {
                    return None;
                }
                let spec = device.test(name)?;
                let record = runtime
                    .results
                    .iter_mut()
                    .find(|record| record.name == spec.name)?;
                record.state = TestState::from(spec.outcome);
                record.detail = spec.detail.clone();
                runtime.running = None;
                Some(Event::Result {
                    slot,
                    test: spec.name.clone(),
                    outcome: spec.outcome,
                    detail: spec.detail.clone(),
                })
            }
            Timer::EraseStep { slot, run, quarter } => {
                let device = self.scenario.device(slot)?;
                let runtime = self.slots.get_mut(usize::from(slot).checked_sub(1)?)?;
                if !runtime.erasing() || runtime.erase.run != run {
                    return None;
                }
                if quarter < ERASE_QUARTERS {
                    let progress = 100 / ERASE_QUARTERS * quarter;
                    runtime.erase.progress = progress;
                    return Some(Event::EraseProgress { slot, progress });
                }
                let erase = device.erase.as_ref()?;
                let method = runtime.erase.method?;
                let ok = erase.outcome(method) == EraseOutcome::Ok;
                runtime.erase.state = if ok {
                    EraseState::Ok
                } else {
                    EraseState::Failed
                };
                if ok {
                    runtime.erase.progress = 100;
                }
                Some(Event::EraseDone {
                    slot,
                    ok,
                    detail: if ok { None } else { erase.detail.clone() },
                })
            }
        }
    }

    /// Puts the slot's device in. A fresh placement: no results, no erase.
    pub(crate) fn insert(&mut self, slot: u16) -> Result<Event, SimError> {
        let runtime = self.slot_for_api(slot)?;
        if runtime.present {
            return Err(SimError::SlotOccupied { slot });
        }
        runtime.present = true;
        runtime.forget_work();
        Ok(Event::Inserted { slot })
    }

    /// Takes the slot's device out, cancelling its test or erase.
    pub(crate) fn remove(&mut self, slot: u16) -> Result<Event, SimError> {
        let runtime = self.slot_for_api(slot)?;
        if !runtime.present {
            return Err(SimError::SlotEmpty { slot });
        }
        runtime.present = false;
        runtime.forget_work();
        Ok(Event::Removed { slot })
    }

    /// What a reboot leaves: devices where they are, every result and erase forgotten.
    pub(crate) fn power_cycle(&mut self) {
        for runtime in &mut self.slots {
            runtime.forget_work();
        }
    }

    /// RESULT events already sent for the devices now in place and not being re-run, which a
    /// bench may harmlessly send again.
    pub(crate) fn repeatable_results(&self) -> Vec<Event> {
        let mut events = Vec::new();
        for (index, runtime) in self.slots.iter().enumerate() {
            let Ok(slot) = u16::try_from(index + 1) else {
                break;
            };
            if !runtime.present {
                continue;
            }
            for record in &runtime.results {
                let outcome = match record.state {
                    TestState::Pass => refurbdesk_bench_protocol::TestOutcome::Pass,
                    TestState::Fail => refurbdesk_bench_protocol::TestOutcome::Fail,
                    TestState::Skip => refurbdesk_bench_protocol::TestOutcome::Skip,
                    TestState::Running => continue,
                };
                events.push(Event::Result {
                    slot,
                    test: record.name.clone(),
                    outcome,
                    detail: record.detail.clone(),
                });
            }
        }
        events
    }

    fn slot_for_api(&mut self, slot: u16) -> Result<&mut SlotRuntime, SimError> {
        let slots = self.scenario.bench().slots;
        if slot == 0 || slot > slots {
            return Err(SimError::NoSuchSlot { slot, slots });
        }
        if self.scenario.device(slot).is_none() {
            return Err(SimError::NoDevice { slot });
        }
        self.slots
            .get_mut(usize::from(slot) - 1)
            .ok_or(SimError::NoSuchSlot { slot, slots })
    }

    fn hello(&self, args: &[String]) -> Reply {
        no_args("HELLO", args)?;
        Ok(self.scenario.bench().hello().to_fields())
    }

    fn slots_reply(&self, args: &[String]) -> Reply {
        no_args("SLOTS", args)?;
        let states = self
            .slots
            .iter()
            .map(|runtime| {
                if !runtime.present {
                    SlotState::Empty
                } else if runtime.running.is_some() || runtime.erasing() {
                    SlotState::Busy
                } else {
                    SlotState::Occupied
                }
            })
            .collect();
        Ok(SlotsReply {
            n: self.scenario.bench().slots,
            states,
        }
        .to_fields())
    }

    /// The slot named by a request argument: `BAD_ARGS` if it is not a number, `NO_SLOT` if the
    /// bench has no such slot.
    fn slot_arg(&self, arg: &str) -> Result<u16, (ErrorCode, String)> {
        let slots = self.scenario.bench().slots;
        if arg.is_empty() || !arg.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err((
                ErrorCode::BadArgs,
                format!(
                    "{} is not a slot number; slots are numbered 1 to {slots}",
                    echoed(arg)
                ),
            ));
        }
        arg.parse::<u16>()
            .ok()
            .filter(|&slot| slot >= 1 && slot <= slots)
            .ok_or_else(|| {
                (
                    ErrorCode::NoSlot,
                    format!(
                        "slot {} does not exist; this bench has slots 1 to {slots}",
                        echoed(arg)
                    ),
                )
            })
    }

    /// The slot of a one-argument verb, which must hold a device.
    fn occupied_slot(&self, verb: &str, args: &[String]) -> Result<u16, (ErrorCode, String)> {
        let [arg] = args else {
            return Err(bad_args(verb, "one argument, the slot number"));
        };
        let slot = self.slot_arg(arg)?;
        self.ensure_occupied(slot)?;
        Ok(slot)
    }

    fn ensure_occupied(&self, slot: u16) -> Result<&DeviceProfile, (ErrorCode, String)> {
        let empty = || {
            (
                ErrorCode::Empty,
                format!("slot {slot} is empty; place a device in it first"),
            )
        };
        let present = self
            .slots
            .get(usize::from(slot) - 1)
            .is_some_and(|runtime| runtime.present);
        if !present {
            return Err(empty());
        }
        self.scenario.device(slot).ok_or_else(empty)
    }

    fn read_device(
        &self,
        verb: &str,
        args: &[String],
        read: impl Fn(&DeviceProfile) -> Option<Fields>,
    ) -> Reply {
        let slot = self.occupied_slot(verb, args)?;
        let device = self.ensure_occupied(slot)?;
        read(device).ok_or_else(|| {
            (
                ErrorCode::Unsupported,
                format!("this bench cannot answer {verb} for the device in slot {slot}"),
            )
        })
    }

    fn results(&self, args: &[String]) -> Reply {
        let slot = self.occupied_slot("RESULTS", args)?;
        let runtime = &self.slots[usize::from(slot) - 1];
        Ok(runtime
            .results
            .iter()
            .map(|record| (record.name.as_str(), record.state.as_str()))
            .collect())
    }

    fn status(&self, args: &[String]) -> Reply {
        let [arg] = args else {
            return Err(bad_args("STATUS", "one argument, the slot number"));
        };
        let slot = self.slot_arg(arg)?;
        let runtime = &self.slots[usize::from(slot) - 1];
        let state = if !runtime.present {
            SlotActivity::Empty
        } else if runtime.erasing() {
            SlotActivity::Erasing
        } else if runtime.running.is_some() {
            SlotActivity::Testing
        } else {
            SlotActivity::Idle
        };
        Ok(StatusReply {
            state,
            erase: runtime.erase.state,
            progress: runtime.erase.progress,
        }
        .to_fields())
    }

    fn run(&mut self, args: &[String], timers: &mut Vec<Scheduled>) -> Reply {
        let [slot_arg, test] = args else {
            return Err(bad_args(
                "RUN",
                "two arguments, the slot number and a test name",
            ));
        };
        let slot = self.slot_arg(slot_arg)?;
        let device = self.ensure_occupied(slot)?;
        if !is_valid_key(test) {
            return Err((
                ErrorCode::BadArgs,
                format!(
                    "{} is not a test name; names match [a-z][a-z0-9_]*",
                    echoed(test)
                ),
            ));
        }
        let Some(spec) = device.test(test) else {
            return Err((
                ErrorCode::Unsupported,
                format!(
                    "test {} is not available for the device in slot {slot}; TESTS {slot} lists \
                     those that are",
                    echoed(test)
                ),
            ));
        };
        let duration = spec.ms.unwrap_or(self.scenario.timing().test_ms);
        let run = self.next_run;
        let runtime = &mut self.slots[usize::from(slot) - 1];
        if runtime.erasing() {
            return Err((
                ErrorCode::Busy,
                format!("slot {slot} is erasing; wait for its ERASE done event"),
            ));
        }
        match &runtime.running {
            // Asking again for the test in progress changes nothing; its RESULT will come.
            Some((running, _)) if running == test => return Ok(Fields::new()),
            Some((running, _)) => {
                return Err((
                    ErrorCode::Busy,
                    format!("slot {slot} is running test {running}; wait for its RESULT"),
                ))
            }
            None => {}
        }
        self.next_run += 1;
        runtime.running = Some((test.clone(), run));
        match runtime
            .results
            .iter_mut()
            .find(|record| record.name == *test)
        {
            Some(record) => {
                record.state = TestState::Running;
                record.detail = None;
            }
            None => runtime.results.push(TestRecord {
                name: test.clone(),
                state: TestState::Running,
                detail: None,
            }),
        }
        timers.push(Scheduled {
            after_ms: duration,
            timer: Timer::TestDone { slot, run },
        });
        Ok(Fields::new())
    }

    fn erase(&mut self, args: &[String], timers: &mut Vec<Scheduled>) -> Reply {
        let [slot_arg, method_arg] = args else {
            return Err(bad_args(
                "ERASE",
                "two arguments, the slot number and factory_reset or crypto_erase",
            ));
        };
        let slot = self.slot_arg(slot_arg)?;
        let device = self.ensure_occupied(slot)?;
        let Some(method) = EraseMethod::parse(method_arg) else {
            return Err((
                ErrorCode::BadArgs,
                format!(
                    "{} is not an erase method; use factory_reset or crypto_erase",
                    echoed(method_arg)
                ),
            ));
        };
        let unsupported = || {
            (
                ErrorCode::Unsupported,
                format!(
                    "this bench cannot do {} on the device in slot {slot}",
                    method.as_str()
                ),
            )
        };
        let erase = device.erase.as_ref().ok_or_else(unsupported)?;
        if erase.outcome(method) == EraseOutcome::Unsupported {
            return Err(unsupported());
        }
        let duration = erase.ms.unwrap_or(self.scenario.timing().erase_ms);
        let run = self.next_run;
        let runtime = &mut self.slots[usize::from(slot) - 1];
        if let Some((running, _)) = &runtime.running {
            return Err((
                ErrorCode::Busy,
                format!("slot {slot} is running test {running}; wait for its RESULT"),
            ));
        }
        if runtime.erasing() {
            return if runtime.erase.method == Some(method) {
                Ok(Fields::new())
            } else {
                Err((
                    ErrorCode::Busy,
                    format!("slot {slot} is already erasing; wait for its ERASE done event"),
                ))
            };
        }
        self.next_run += 1;
        runtime.erase = EraseRecord {
            state: EraseState::Running,
            progress: 0,
            method: Some(method),
            run,
        };
        for quarter in 1..=ERASE_QUARTERS {
            timers.push(Scheduled {
                after_ms: duration * u64::from(quarter) / u64::from(ERASE_QUARTERS),
                timer: Timer::EraseStep { slot, run, quarter },
            });
        }
        Ok(Fields::new())
    }
}

fn no_args(verb: &str, args: &[String]) -> Result<(), (ErrorCode, String)> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(bad_args(verb, "no arguments"))
    }
}

fn bad_args(verb: &str, expected: &str) -> (ErrorCode, String) {
    (ErrorCode::BadArgs, format!("{verb} takes {expected}"))
}

/// A request token quoted back to the host, shortened to keep the reply within one line.
fn echoed(text: &str) -> String {
    let mut shown: String = text.chars().take(MAX_ECHOED_CHARS).collect();
    if shown.len() < text.len() {
        shown.push_str("...");
    }
    format!("`{shown}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_bench_protocol::TestOutcome;

    const SCENARIO: &str = r#"
[bench]
vendor = "Acme"
model = "PB-3"
serial = "PB3-1"
fw = "1.0"
slots = 3

[timing]
test_ms = 30
erase_ms = 80

[[device]]
slot = 1
ident = { category = "phone", make = "Apple", model = "iPhone 12" }
battery = { present = "yes", design_mah = "2815", full_mah = "2421" }
tests = { wifi = "PASS", camera_rear = { outcome = "FAIL", detail = "no focus", ms = 50 } }
erase = { factory_reset = "ok", crypto_erase = "failed", detail = "key store locked" }

[[device]]
slot = 2
present = false
ident = { category = "monitor", make = "Dell", model = "P2419H" }
"#;

    fn bench() -> BenchState {
        let scenario = Scenario::from_toml(SCENARIO, "t").expect("valid scenario");
        BenchState::new(Arc::new(scenario))
    }

    fn ask(bench: &mut BenchState, request: &str) -> (ResponseBody, Vec<Scheduled>) {
        let mut words = request.split(' ');
        let verb = words.next().unwrap_or_default();
        let args: Vec<String> = words.map(str::to_owned).collect();
        let mut timers = Vec::new();
        let body = bench.handle(verb, &args, &mut timers);
        (body, timers)
    }

    fn code_of(body: &ResponseBody) -> Option<ErrorCode> {
        match body {
            ResponseBody::Err { code, .. } => Some(*code),
            ResponseBody::Ok(_) => None,
        }
    }

    fn fields_of(body: ResponseBody) -> Fields {
        match body {
            ResponseBody::Ok(fields) => fields,
            ResponseBody::Err { code, message } => panic!("ERR {code} {message:?}"),
        }
    }

    #[test]
    fn slot_errors_follow_the_spec() {
        let mut bench = bench();
        for (request, code) in [
            ("IDENT 0", ErrorCode::NoSlot),
            ("IDENT 4", ErrorCode::NoSlot),
            ("IDENT 99999999", ErrorCode::NoSlot),
            ("IDENT 2", ErrorCode::Empty),
            ("IDENT 3", ErrorCode::Empty),
            ("IDENT x", ErrorCode::BadArgs),
            ("IDENT -1", ErrorCode::BadArgs),
            ("IDENT", ErrorCode::BadArgs),
            ("IDENT 1 2", ErrorCode::BadArgs),
            ("PING 1", ErrorCode::BadArgs),
            ("LOCK 1", ErrorCode::Unsupported),
            ("RUN 1 nfc", ErrorCode::Unsupported),
            ("RUN 1 NFC", ErrorCode::BadArgs),
            ("ERASE 1 shred", ErrorCode::BadArgs),
            ("FROB 1", ErrorCode::UnknownVerb),
        ] {
            let (body, timers) = ask(&mut bench, request);
            assert_eq!(code_of(&body), Some(code), "{request}: {body:?}");
            assert!(timers.is_empty());
        }
    }

    #[test]
    fn reads_return_the_scenario_fields() {
        let mut bench = bench();
        let ident = fields_of(ask(&mut bench, "IDENT 1").0);
        assert_eq!(ident.get("model"), Some("iPhone 12"));
        assert_eq!(ident.len(), 3);
        let battery = fields_of(ask(&mut bench, "BATT 1").0);
        assert_eq!(battery.get("full_mah"), Some("2421"));
        let tests = fields_of(ask(&mut bench, "TESTS 1").0);
        assert_eq!(tests.get("names"), Some("wifi,camera_rear"));
        let hello = fields_of(ask(&mut bench, "HELLO").0);
        assert_eq!(hello.get("slots"), Some("3"));
        assert_eq!(hello.get("proto"), Some("1"));
    }

    #[test]
    fn run_reports_running_then_the_outcome() {
        let mut bench = bench();
        let (body, timers) = ask(&mut bench, "RUN 1 camera_rear");
        assert_eq!(body, ResponseBody::Ok(Fields::new()));
        assert_eq!(timers.len(), 1);
        assert_eq!(timers[0].after_ms, 50);
        let results = fields_of(ask(&mut bench, "RESULTS 1").0);
        assert_eq!(results.get("camera_rear"), Some("RUNNING"));
        assert_eq!(
            fields_of(ask(&mut bench, "STATUS 1").0).get("state"),
            Some("testing")
        );
        assert_eq!(
            fields_of(ask(&mut bench, "SLOTS").0).get("s1"),
            Some("busy")
        );

        // Same test again: accepted, no second timer. Another test: busy.
        let (again, more) = ask(&mut bench, "RUN 1 camera_rear");
        assert_eq!(again, ResponseBody::Ok(Fields::new()));
        assert!(more.is_empty());
        assert_eq!(
            code_of(&ask(&mut bench, "RUN 1 wifi").0),
            Some(ErrorCode::Busy)
        );
        assert_eq!(
            code_of(&ask(&mut bench, "ERASE 1 factory_reset").0),
            Some(ErrorCode::Busy)
        );

        let event = bench.fire(timers[0].timer.clone());
        assert_eq!(
            event,
            Some(Event::Result {
                slot: 1,
                test: "camera_rear".into(),
                outcome: TestOutcome::Fail,
                detail: Some("no focus".into())
            })
        );
        let results = fields_of(ask(&mut bench, "RESULTS 1").0);
        assert_eq!(results.get("camera_rear"), Some("FAIL"));
        assert_eq!(bench.repeatable_results().len(), 1);
        // The timer is spent.
        assert_eq!(bench.fire(timers[0].timer.clone()), None);
    }

    #[test]
    fn erase_reports_quarters_and_its_outcome() {
        let mut bench = bench();
        let (body, timers) = ask(&mut bench, "ERASE 1 crypto_erase");
        assert_eq!(body, ResponseBody::Ok(Fields::new()));
        let delays: Vec<_> = timers.iter().map(|timer| timer.after_ms).collect();
        assert_eq!(delays, [20, 40, 60, 80]);
        assert_eq!(
            code_of(&ask(&mut bench, "ERASE 1 factory_reset").0),
            Some(ErrorCode::Busy)
        );
        assert_eq!(
            ask(&mut bench, "ERASE 1 crypto_erase").0,
            ResponseBody::Ok(Fields::new())
        );
        let events: Vec<_> = timers
            .into_iter()
            .filter_map(|timer| bench.fire(timer.timer))
            .collect();
        assert_eq!(
            events,
            [
                Event::EraseProgress {
                    slot: 1,
                    progress: 25
                },
                Event::EraseProgress {
                    slot: 1,
                    progress: 50
                },
                Event::EraseProgress {
                    slot: 1,
                    progress: 75
                },
                Event::EraseDone {
                    slot: 1,
                    ok: false,
                    detail: Some("key store locked".into())
                },
            ]
        );
        let status = fields_of(ask(&mut bench, "STATUS 1").0);
        assert_eq!(status.get("state"), Some("idle"));
        assert_eq!(status.get("erase"), Some("failed"));
    }

    #[test]
    fn removal_cancels_work_and_insertion_starts_fresh() {
        let mut bench = bench();
        let (_, timers) = ask(&mut bench, "RUN 1 wifi");
        assert_eq!(bench.remove(1).ok(), Some(Event::Removed { slot: 1 }));
        assert_eq!(bench.fire(timers[0].timer.clone()), None);
        assert_eq!(
            code_of(&ask(&mut bench, "RESULTS 1").0),
            Some(ErrorCode::Empty)
        );
        assert_eq!(
            fields_of(ask(&mut bench, "STATUS 1").0).get("state"),
            Some("empty")
        );
        assert!(matches!(
            bench.remove(1),
            Err(SimError::SlotEmpty { slot: 1 })
        ));
        assert_eq!(bench.insert(1).ok(), Some(Event::Inserted { slot: 1 }));
        assert!(fields_of(ask(&mut bench, "RESULTS 1").0).is_empty());
        assert!(matches!(
            bench.insert(1),
            Err(SimError::SlotOccupied { slot: 1 })
        ));
        assert!(matches!(
            bench.insert(3),
            Err(SimError::NoDevice { slot: 3 })
        ));
        assert!(matches!(
            bench.insert(9),
            Err(SimError::NoSuchSlot { slot: 9, slots: 3 })
        ));
        assert_eq!(bench.insert(2).ok(), Some(Event::Inserted { slot: 2 }));
        assert_eq!(
            fields_of(ask(&mut bench, "IDENT 2").0).get("category"),
            Some("monitor")
        );
    }

    #[test]
    fn power_cycle_forgets_results_but_keeps_devices() {
        let mut bench = bench();
        let (_, timers) = ask(&mut bench, "RUN 1 wifi");
        bench.power_cycle();
        assert_eq!(bench.fire(timers[0].timer.clone()), None);
        assert!(fields_of(ask(&mut bench, "RESULTS 1").0).is_empty());
        assert_eq!(
            fields_of(ask(&mut bench, "SLOTS").0).get("s1"),
            Some("occupied")
        );
    }

    #[test]
    fn long_arguments_are_shortened_in_error_messages() {
        let mut bench = bench();
        let long = "9".repeat(400);
        let (body, _) = ask(&mut bench, &format!("IDENT {long}"));
        let ResponseBody::Err { code, message } = body else {
            panic!("expected an error");
        };
        assert_eq!(code, ErrorCode::NoSlot);
        assert!(message.unwrap_or_default().len() < 120);
    }
}
