//! `refurbdesk customer add | list | forget`: trade-in customers (`refurbdesk_app::customers`).

use clap::{Args, Subcommand};
use refurbdesk_app::customers::{self, AddCustomerParams, CustomerRecord, ForgetCustomerParams};
use refurbdesk_app::{DataPaths, Workstation};

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Register a trade-in customer with their contact details
    Add(AddArgs),
    /// List the customers (a forgotten one under their pseudonym)
    List,
    /// Delete a customer's personal data at their request; their batches and documents stay
    /// under a pseudonym, and the request is logged in the audit log
    Forget {
        /// The customer's id (or pseudonym, or name)
        #[arg(value_name = "ID")]
        customer: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The customer's name, as documents print it
    name: String,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    address: Option<String>,
    /// The customer's VAT number
    #[arg(long)]
    vat: Option<String>,
}

pub fn run(
    command: &CustomerCommand,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    match command {
        CustomerCommand::Add(args) => {
            let mut ws = super::acting_creating(paths, global)?;
            let customer = customers::add(
                &mut ws,
                AddCustomerParams {
                    name: args.name.clone(),
                    email: args.email.clone(),
                    phone: args.phone.clone(),
                    address: args.address.clone(),
                    vat: args.vat.clone(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&customer)?);
            } else {
                println!("{}", customer.id);
            }
        }
        CustomerCommand::List => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let list = customers::list(&ws)?;
            if global.json {
                println!("{}", serde_json::to_string(&list)?);
            } else if list.is_empty() {
                println!("no customers");
            } else {
                list.iter().for_each(print_customer);
            }
        }
        CustomerCommand::Forget { customer } => {
            let mut ws = super::acting(paths, global)?;
            let forgotten = customers::forget(
                &mut ws,
                ForgetCustomerParams {
                    customer: customer.clone(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&forgotten)?);
            } else {
                println!(
                    "customer {} forgotten: their personal data is deleted; their records stay \
                     under the pseudonym {}",
                    forgotten.id, forgotten.pseudonym
                );
            }
        }
    }
    Ok(())
}

fn print_customer(customer: &CustomerRecord) {
    let contact: Vec<&str> = [&customer.email, &customer.phone, &customer.vat]
        .into_iter()
        .filter_map(|value| value.as_deref())
        .collect();
    let forgotten = customer
        .forgotten_at
        .map(|at| format!("  (forgotten {})", at.format("%Y-%m-%d")))
        .unwrap_or_default();
    println!(
        "{}  {}  {}{forgotten}",
        customer.id,
        customer.name,
        contact.join("  ")
    );
}
