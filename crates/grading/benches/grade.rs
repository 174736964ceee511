//! Grading throughput with the policy loaded once: a mixed population of
//! devices graded by the default policy, reported as devices per second.
//! Target: at least 100,000 devices/s on one core.
//!
//! The peer measured in the same run is the serde_json serialisation of the
//! same grades, i.e. the cheapest thing every caller does next with a grade
//! (the store writes it as JSON); grading should not cost more than that.
//!
//! Run: `cargo bench -p refurbdesk-grading --bench grade`

use std::collections::BTreeMap;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use refurbdesk_domain::{
    assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
    CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
};
use refurbdesk_grading::{
    zones_for, Answer, BenchTest, Checklists, CosmeticLevel, GradeInput, Grader, ItemKind, Policy,
    TestOutcome,
};

/// A deterministic spread of devices: every category, locks, battery health
/// from worn to new, failed tests and every cosmetic level.
fn population(count: usize) -> Vec<GradeInput> {
    let checklists = Checklists::embedded();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |modulo: u64| {
        // xorshift64: fixed seed, so every run grades the same devices.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % modulo
    };
    (0..count)
        .map(|_| {
            let category = DeviceCategory::ALL[next(5) as usize];
            let mut identity = DeviceIdentity::new(category, "Acme", "Model 7");
            identity.imei_valid = Some(next(50) != 0);
            let design = 3000;
            let reading = BatteryReading {
                present: Some(category.needs_battery() || next(4) == 0),
                design_mah: Some(design),
                full_mah: Some(2200 + next(900) as u32),
                cycles: Some(next(900) as u32),
                ..BatteryReading::default()
            };
            let battery = assess_battery(
                &reading,
                &identity,
                &BatteryPolicy::default(),
                CycleLimits::embedded(),
            );
            let lock = assess_lock(&LockReading {
                activation: if next(40) == 0 {
                    ActivationLock::Locked
                } else {
                    ActivationLock::Unlocked
                },
                account: AccountLock::None,
                mdm: if next(60) == 0 {
                    MdmState::Unknown
                } else {
                    MdmState::None
                },
                carrier: CarrierLock::Unlocked,
            });
            let template = checklists.for_category(category);
            let mut tests = Vec::new();
            let mut answers = BTreeMap::new();
            for item in template.items() {
                let failed = next(30) == 0;
                match (item.kind, item.tests.first()) {
                    (ItemKind::Automatic, Some(test)) | (ItemKind::Manual, Some(test))
                        if next(3) != 0 =>
                    {
                        tests.push(BenchTest {
                            name: test.clone(),
                            outcome: if failed {
                                TestOutcome::Fail
                            } else {
                                TestOutcome::Pass
                            },
                        });
                    }
                    (ItemKind::Manual, _) => {
                        answers.insert(
                            item.id.to_string(),
                            if failed { Answer::Fail } else { Answer::Pass },
                        );
                    }
                    _ => {}
                }
            }
            let cosmetic = zones_for(category)
                .iter()
                .map(|zone| (*zone, CosmeticLevel::ALL[next(5) as usize]))
                .collect();
            GradeInput {
                identity,
                battery,
                lock,
                tests,
                answers,
                cosmetic,
                partial: true,
            }
        })
        .collect()
}

fn grading(c: &mut Criterion) {
    let policy = Policy::embedded_default();
    let grader = Grader::new(policy);
    let devices = population(1024);
    let grades: Vec<_> = devices
        .iter()
        .map(|input| grader.grade(input).expect("the population grades"))
        .collect();

    let mut group = c.benchmark_group("grading");
    group.throughput(Throughput::Elements(devices.len() as u64));
    group.bench_function("grade 1024 devices (default policy)", |b| {
        b.iter(|| {
            for input in &devices {
                black_box(grader.grade(black_box(input)).ok());
            }
        })
    });
    group.bench_function("peer: serde_json of the same 1024 grades", |b| {
        b.iter(|| {
            for grade in &grades {
                black_box(serde_json::to_vec(black_box(grade)).ok());
            }
        })
    });
    group.bench_function("explain 1024 devices (rule trace)", |b| {
        b.iter(|| {
            for input in &devices {
                black_box(grader.explain(black_box(input)).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, grading);
criterion_main!(benches);
