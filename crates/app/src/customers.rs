//! Trade-in customers: registered with their personal data, listed, and forgotten at their
//! request. The personal data lives outside the hash-chained records (see the store), so
//! forgetting a customer keeps their batches and documents as evidence under a pseudonym, and
//! the audit log and the database check stay clean.

use chrono::{DateTime, Utc};
use refurbdesk_store::NewCustomer;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{shorten, Error, Hint, RecordKind, Result};
use crate::workstation::Workstation;

/// A customer as the station knows them: after they are forgotten, their name is their
/// pseudonym and their contact details are gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerRecord {
    pub id: Uuid,
    /// What documents show once the customer is forgotten (`customer-1a2b3c4d`).
    pub pseudonym: String,
    /// The customer's name, or the pseudonym once forgotten.
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub vat: Option<String>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// When their personal data was deleted at their request.
    #[ts(type = "string | null")]
    pub forgotten_at: Option<DateTime<Utc>>,
}

impl From<refurbdesk_store::CustomerRecord> for CustomerRecord {
    fn from(record: refurbdesk_store::CustomerRecord) -> Self {
        Self {
            id: record.id,
            pseudonym: record.pseudonym,
            name: record.name,
            email: record.email,
            phone: record.phone,
            address: record.address,
            vat: record.vat,
            created_at: record.created_at,
            forgotten_at: record.forgotten_at,
        }
    }
}

/// A customer to register.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddCustomerParams {
    /// The company's (or person's) name, as documents print it.
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The VAT number.
    pub vat: Option<String>,
}

/// Which customer to forget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForgetCustomerParams {
    /// The customer's id (or pseudonym, or name).
    pub customer: String,
}

/// The longest name accepted (documents print it on one line).
pub const MAX_NAME_CHARS: usize = 120;

fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// Registers a customer (someone who may run batches). The name is required and must be new
/// (names pick the customer of a batch); an email must hold an `@`.
pub fn add(ws: &mut Workstation, params: AddCustomerParams) -> Result<CustomerRecord> {
    let name = params.name.trim();
    if name.is_empty() {
        return Err(Error::usage("a customer needs a name"));
    }
    if name.chars().any(char::is_control) || name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::usage(format!(
            "a customer's name is one line of at most {MAX_NAME_CHARS} characters, not {:?}",
            shorten(name)
        )));
    }
    let email = given(&params.email);
    if let Some(email) = &email {
        if !email.contains('@') || email.contains(char::is_whitespace) {
            return Err(Error::usage(format!(
                "{:?} is not an email address",
                shorten(email)
            )));
        }
    }
    let actor = ws.actor()?;
    if let Some(existing) = ws.store.customers_named(name)?.first() {
        return Err(Error::refused(format!(
            "there is already a customer named {name:?} ({}); batches name their customer by \
             name, so two cannot share one",
            existing.id
        ))
        .with_hint(Hint::say(
            "use the existing customer, or give the new one a name that tells them apart",
        )));
    }
    Ok(ws
        .store
        .add_customer(
            &NewCustomer {
                name: name.to_owned(),
                email,
                phone: given(&params.phone),
                address: given(&params.address),
                vat: given(&params.vat),
            },
            &actor,
        )?
        .into())
}

/// Every customer, oldest first.
pub fn list(ws: &Workstation) -> Result<Vec<CustomerRecord>> {
    Ok(ws.store.customers()?.into_iter().map(Into::into).collect())
}

/// Deletes a customer's personal data at their request (someone who may run batches); their
/// batches and documents stay, under the pseudonym, and the request is logged in the audit log.
pub fn forget(ws: &mut Workstation, params: ForgetCustomerParams) -> Result<CustomerRecord> {
    let customer = find(ws, &params.customer)?;
    let actor = ws.actor()?;
    ws.store
        .forget_customer(customer.id, &actor)?
        .map(Into::into)
        .ok_or_else(|| not_found(ws, &params.customer))
}

/// The customer a reference names: their id, pseudonym or name (ignoring case).
pub fn find(ws: &Workstation, reference: &str) -> Result<CustomerRecord> {
    let reference = reference.trim();
    if let Ok(id) = reference.parse::<Uuid>() {
        return ws
            .store
            .customer(id)?
            .map(Into::into)
            .ok_or_else(|| not_found(ws, reference));
    }
    let mut named = ws.store.customers_named(reference)?;
    match named.len() {
        0 => Err(not_found(ws, reference)),
        1 => Ok(named.remove(0).into()),
        _ => Err(Error::usage(format!(
            "{} customers are named {:?}; name one by its id ({})",
            named.len(),
            shorten(reference),
            named
                .iter()
                .map(|customer| customer.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn not_found(ws: &Workstation, reference: &str) -> Error {
    Error::not_found(format!(
        "there is no customer {:?} in {}",
        shorten(reference),
        ws.paths.database.display()
    ))
    .with_hint(Hint::ListRecords {
        what: RecordKind::Customers,
    })
}
