//! `refurbdesk photo add` and `photo list`: optional photos of a device's cosmetic zones, kept in
//! the station's database (`refurbdesk_app::photos`).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use refurbdesk_app::photos::{self, AddPhotoParams, PhotoListParams, PhotoRecord, PhotoSource};
use refurbdesk_app::{DataPaths, Workstation};

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Add a photo (PNG or JPEG, at most 10 MiB) of one cosmetic zone of a device
    Add(AddArgs),
    /// List a device's photos, in the order they were taken
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The device: an IMEI, a serial, an intake id or a device id
    #[arg(long, value_name = "REF")]
    device: String,
    /// The zone photographed: screen, back, frame (phones and tablets); lid, deck, keyboard,
    /// screen, bottom (laptops); housing (desktops); screen, housing, stand (monitors)
    #[arg(long, value_name = "ZONE")]
    zone: String,
    /// The photo's file
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The device: an IMEI, a serial, an intake id or a device id
    #[arg(long, value_name = "REF")]
    device: String,
}

pub fn run(command: &PhotoCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        PhotoCommand::Add(args) => {
            let mut ws = super::acting(paths, global)?;
            let photo = photos::add(
                &mut ws,
                AddPhotoParams {
                    device: args.device.clone(),
                    zone: args.zone.clone(),
                    photo: PhotoSource::File {
                        path: args.file.clone(),
                    },
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&photo)?);
            } else {
                println!("photo {} added:", photo.id);
                print_photo(&photo);
            }
            Ok(())
        }
        PhotoCommand::List(args) => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let list = photos::list(
                &ws,
                &PhotoListParams {
                    device: args.device.clone(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&list)?);
            } else if list.is_empty() {
                println!("no photos of this device");
            } else {
                for photo in &list {
                    print_photo(photo);
                }
            }
            Ok(())
        }
    }
}

fn print_photo(photo: &PhotoRecord) {
    println!(
        "{}  {:<8}  {}  {} ({}, {} bytes)  by {}  sha256 {}",
        photo.taken_at.format("%Y-%m-%d %H:%M UTC"),
        photo.zone,
        photo.id,
        photo.file_name,
        photo.media_type,
        photo.size_bytes,
        photo.operator,
        photo.sha256
    );
}
