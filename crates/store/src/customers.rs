//! Trade-in customers. A customer's personal data (name, contact, address, VAT number) is kept
//! in one table outside the hash-chained records (`customer_contacts`); the chained `customers`
//! row holds only the id, a pseudonym and dates, and every batch refers to the customer by id.
//! Forgetting a customer deletes their personal data and logs the request, and the chain and
//! every record's digest stay intact.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{
    id_text, optional_text_column, parse_timestamp, parse_uuid, text_column, timestamp,
};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::{Action, Actor};
use crate::store::Store;

/// A customer to register: their personal data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub vat: Option<String>,
}

/// A customer as the station knows them: after they are forgotten, their name is their
/// pseudonym and their contact details are gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: DateTime<Utc>,
    /// When their personal data was deleted at their request.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub forgotten_at: Option<DateTime<Utc>>,
    pub station_id: Uuid,
}

const CUSTOMER_SELECT: &str = "SELECT c.id, c.pseudonym, c.created_at, c.forgotten_at,
        c.station_id, k.name, k.email, k.phone, k.address, k.vat
    FROM customers c LEFT JOIN customer_contacts k ON k.customer_id = c.id";

/// A pseudonym from the random end of a UUID v7 (its start is the time).
fn pseudonym(id: Uuid) -> String {
    let hex = id.simple().to_string();
    format!("customer-{}", &hex[hex.len() - 8..])
}

impl Store {
    /// Registers a customer (someone who may run batches); audited as `customer.added`, the
    /// digest covering the pseudonym row only, never the personal data.
    pub fn add_customer(
        &mut self,
        new: &NewCustomer,
        acting: &Actor,
    ) -> Result<CustomerRecord, StoreError> {
        let station_id = self.station_id;
        self.write("register a customer", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO customers (id, pseudonym, created_at, operator, forgotten_at,
                    station_id) VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
                rusqlite::params![
                    id_text(id),
                    pseudonym(id),
                    timestamp(Utc::now()),
                    acting.name,
                    id_text(station_id)
                ],
            )?;
            tx.execute(
                "INSERT INTO customer_contacts (customer_id, name, email, phone, address, vat)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    id_text(id),
                    new.name,
                    new.email,
                    new.phone,
                    new.address,
                    new.vat
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "customer.added",
                    entity: Entity::Customer,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Customer, id)?,
                },
            )?;
            customer_in(tx, id)?.ok_or_else(|| corrupt("customers", "a new customer vanished"))
        })
    }

    /// Every customer, oldest first.
    pub fn customers(&self) -> Result<Vec<CustomerRecord>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("{CUSTOMER_SELECT} ORDER BY c.created_at, c.id"))?;
        let mut rows = statement.query([])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(customer_from_row(row)?);
        }
        Ok(list)
    }

    /// One customer, `None` when there is no such customer.
    pub fn customer(&self, id: Uuid) -> Result<Option<CustomerRecord>, StoreError> {
        customer_in(&self.conn, id)
    }

    /// The customers whose name (or pseudonym) is `name`, ignoring case.
    pub fn customers_named(&self, name: &str) -> Result<Vec<CustomerRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "{CUSTOMER_SELECT} WHERE k.name = ?1 COLLATE NOCASE OR c.pseudonym = ?1 COLLATE NOCASE
             ORDER BY c.created_at, c.id"
        ))?;
        let mut rows = statement.query([name])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(customer_from_row(row)?);
        }
        Ok(list)
    }

    /// Deletes a customer's personal data at their request (someone who may run batches) and
    /// logs the request as `customer.forgotten`. Their batches, receipts and documents stay,
    /// under the pseudonym. `None` when there is no such customer; a customer already
    /// forgotten is returned as is, and nothing is logged again.
    pub fn forget_customer(
        &mut self,
        id: Uuid,
        acting: &Actor,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        let station_id = self.station_id;
        // Deleted pages are overwritten with zeros, so the name does not linger in the file.
        self.conn.pragma_update(None, "secure_delete", true)?;
        let outcome = self.write("forget a customer", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            let Some(before) = customer_in(tx, id)? else {
                return Ok(None);
            };
            if before.forgotten_at.is_some() {
                return Ok(Some(before));
            }
            let before_digest = audit::record_digest(tx, Entity::Customer, id)?;
            tx.execute(
                "DELETE FROM customer_contacts WHERE customer_id = ?1",
                [id_text(id)],
            )?;
            tx.execute(
                "UPDATE customers SET forgotten_at = ?2 WHERE id = ?1",
                [id_text(id), timestamp(Utc::now())],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "customer.forgotten",
                    entity: Entity::Customer,
                    entity_id: id,
                    before: before_digest,
                    after: audit::record_digest(tx, Entity::Customer, id)?,
                },
            )?;
            customer_in(tx, id)
        });
        self.conn.pragma_update(None, "secure_delete", false)?;
        outcome
    }
}

fn customer_in(
    conn: &rusqlite::Connection,
    id: Uuid,
) -> Result<Option<CustomerRecord>, StoreError> {
    let mut statement = conn.prepare_cached(&format!("{CUSTOMER_SELECT} WHERE c.id = ?1"))?;
    statement
        .query_row([id_text(id)], |row| Ok(customer_from_row(row)))
        .optional()?
        .transpose()
}

fn customer_from_row(row: &Row<'_>) -> Result<CustomerRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "customers");
    let optional = |column: &str| optional_text_column(row, column, "customer_contacts");
    let pseudonym = text("pseudonym")?;
    Ok(CustomerRecord {
        id: parse_uuid(&text("id")?, "customers.id")?,
        name: optional("name")?.unwrap_or_else(|| pseudonym.clone()),
        pseudonym,
        email: optional("email")?,
        phone: optional("phone")?,
        address: optional("address")?,
        vat: optional("vat")?,
        created_at: parse_timestamp(&text("created_at")?, "customers.created_at")?,
        forgotten_at: optional_text_column(row, "forgotten_at", "customers")?
            .map(|at| parse_timestamp(&at, "customers.forgotten_at"))
            .transpose()?,
        station_id: parse_uuid(&text("station_id")?, "customers.station_id")?,
    })
}
