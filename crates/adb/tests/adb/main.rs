//! The ADB crate's one integration test binary: the codec, the simulated device spoken to by hand,
//! the simulated device reached through the real `adb` tool, and devices read through it.

mod codec;
mod direct;
mod reading;
mod real_adb;
mod sim;
mod support;
mod usb;
