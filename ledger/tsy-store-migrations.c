/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-ledger-error.h"
#include "tsy-store-private.h"

/*
 * Schema migrations by PRAGMA user_version. Each entry upgrades from version i to i+1 and is
 * never edited once released: a change is a new entry. Money is INTEGER minor units with a
 * currency column; dates are 'YYYY-MM-DD' text; instants are UTC ISO 8601 text.
 */
static const char *const migrations[] = {
  /* 1: organisation, banks, accounts, balances, FX rates */
  "CREATE TABLE org_unit ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  parent_id INTEGER REFERENCES org_unit(id) ON DELETE RESTRICT);"
  "CREATE INDEX org_unit_parent ON org_unit(parent_id);"
  "CREATE TABLE bank ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  bic TEXT,"
  "  cnaps TEXT,"
  "  country TEXT);"
  "CREATE TABLE account ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE,"
  "  name TEXT,"
  "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,"
  "  bank_id INTEGER NOT NULL REFERENCES bank(id) ON DELETE RESTRICT,"
  "  type TEXT NOT NULL DEFAULT 'general'"
  "    CHECK (type IN ('basic','general','special','temporary','foreign','other')),"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','frozen','closed')),"
  "  pool_parent_id INTEGER REFERENCES account(id) ON DELETE RESTRICT,"
  "  daily_limit_minor INTEGER CHECK (daily_limit_minor IS NULL OR daily_limit_minor >= 0));"
  "CREATE INDEX account_org ON account(org_id);"
  "CREATE INDEX account_bank ON account(bank_id);"
  "CREATE TABLE balance ("
  "  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
  "  date TEXT NOT NULL,"
  "  amount_minor INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, date)) WITHOUT ROWID;"
  "CREATE TABLE fx_rate ("
  "  from_ccy TEXT NOT NULL,"
  "  to_ccy TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  rate INTEGER NOT NULL CHECK (rate > 0),"
  "  PRIMARY KEY (from_ccy, to_ccy, date)) WITHOUT ROWID;",

  /* 2: where a balance came from, and an append-only audit trail whose rows are chained by
   *    SHA-256 so that an edit or a deletion is detected. */
  "ALTER TABLE balance ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';"
  "CREATE TABLE audit_event ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  subject TEXT NOT NULL,"
  "  detail TEXT NOT NULL DEFAULT '',"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event"
  "  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
  "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event"
  "  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",

  /* 3: bank statements. A line's identity (ident) is unique within its account: "r:" + the
   *    bank's reference, or "h:" + a content hash + "#" + its occurrence among equal lines. */
  "CREATE TABLE import_batch ("
  "  id INTEGER PRIMARY KEY,"
  "  file_name TEXT NOT NULL,"
  "  fingerprint TEXT,"
  "  account_option TEXT,"
  "  format TEXT,"
  "  at TEXT NOT NULL,"
  "  statements INTEGER NOT NULL DEFAULT 0,"
  "  new_lines INTEGER NOT NULL DEFAULT 0,"
  "  present_lines INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX import_batch_fingerprint ON import_batch (fingerprint);"
  "CREATE TABLE import_batch_account ("
  "  import_id INTEGER NOT NULL REFERENCES import_batch(id),"
  "  seq INTEGER NOT NULL,"
  "  number TEXT NOT NULL,"
  "  PRIMARY KEY (import_id, seq)) WITHOUT ROWID;"
  "CREATE TABLE statement ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,"
  "  ident TEXT NOT NULL,"
  "  import_id INTEGER NOT NULL REFERENCES import_batch(id),"
  "  format TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('final','intraday','notification')),"
  "  bank_statement_id TEXT,"
  "  sequence TEXT,"
  "  currency TEXT NOT NULL,"
  "  from_date TEXT, to_date TEXT,"
  "  opening_minor INTEGER, opening_date TEXT,"
  "  closing_minor INTEGER, closing_date TEXT,"
  "  available_minor INTEGER, available_date TEXT,"
  "  n_lines INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (account_id, ident));"
  "CREATE TABLE statement_line ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,"
  "  ident TEXT NOT NULL,"
  /* no foreign key: a checked reference would need an index that every line pays for; the
   * importer is the only writer and never leaves a line without its statement */
  "  statement_id INTEGER NOT NULL,"
  "  booking_date TEXT NOT NULL,"
  "  value_date TEXT,"
  "  amount_minor INTEGER NOT NULL,"
  "  currency TEXT NOT NULL,"
  "  reversal INTEGER NOT NULL DEFAULT 0,"
  "  bank_ref TEXT,"
  "  customer_ref TEXT,"
  "  end_to_end_id TEXT,"
  "  counterparty TEXT,"
  "  counterparty_account TEXT,"
  "  counterparty_bank TEXT,"
  "  text TEXT,"
  "  bank_tx_code TEXT,"
  "  raw TEXT,"
  "  n_details INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (account_id, ident));"
  "CREATE TABLE statement_line_detail ("
  "  line_id INTEGER NOT NULL REFERENCES statement_line(id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  amount_minor INTEGER,"
  "  end_to_end_id TEXT,"
  "  instruction_id TEXT,"
  "  uetr TEXT,"
  "  counterparty TEXT,"
  "  counterparty_account TEXT,"
  "  counterparty_bank TEXT,"
  "  text TEXT,"
  "  PRIMARY KEY (line_id, seq)) WITHOUT ROWID;",

  /* 4: payments — users with roles and public keys (private keys only sealed by the user's
   *    passphrase), approval policies by amount band, whitelists (约定转账账户), instructions and
   *    batches, approvals as signatures, the outbox of pain.001 messages, bank channels. The
   *    maker-checker rules and the frozen content of a submitted instruction are also triggers,
   *    so that no code path can bypass them. */
  "CREATE TABLE app_user ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  public_key BLOB NOT NULL,"
  "  key_id TEXT NOT NULL UNIQUE,"
  "  sealed_key BLOB,"
  "  created_at TEXT NOT NULL,"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE user_role ("
  "  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
  "  role TEXT NOT NULL CHECK (role IN ('maker','approver','accountant','admin')),"
  "  PRIMARY KEY (user_id, role)) WITHOUT ROWID;"
  "CREATE TABLE approval_policy ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,"
  "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
  "  up_to_minor INTEGER NOT NULL CHECK (up_to_minor > 0),"
  "  approvals INTEGER NOT NULL CHECK (approvals BETWEEN 1 AND 9),"
  "  role TEXT CHECK (role IS NULL OR role IN ('maker','approver','accountant','admin')),"
  "  UNIQUE (org_id, currency, up_to_minor));"
  "CREATE TABLE payee_whitelist ("
  "  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
  "  creditor_account TEXT NOT NULL,"
  "  creditor_name TEXT,"
  "  PRIMARY KEY (account_id, creditor_account)) WITHOUT ROWID;"
  "CREATE TABLE payment_batch ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('single','payroll','supplier','other')),"
  "  name TEXT,"
  "  maker_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  created_at TEXT NOT NULL);"
  "CREATE TABLE payment_message ("
  "  id INTEGER PRIMARY KEY,"
  "  msg_id TEXT NOT NULL UNIQUE,"
  "  bank_id INTEGER NOT NULL REFERENCES bank(id),"
  "  format TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('pending','sending','unknown','delivered','closed','failed')),"
  "  document BLOB NOT NULL,"
  "  n_payments INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  last_error TEXT);"
  "CREATE INDEX payment_message_state ON payment_message (state);"
  "CREATE TABLE payment ("
  "  id INTEGER PRIMARY KEY,"
  "  batch_id INTEGER REFERENCES payment_batch(id),"
  "  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,"
  "  creditor_name TEXT NOT NULL,"
  "  creditor_account TEXT NOT NULL,"
  "  creditor_bic TEXT,"
  "  creditor_cnaps TEXT,"
  "  creditor_bank TEXT,"
  "  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),"
  "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
  "  execution_date TEXT NOT NULL,"
  "  remittance TEXT,"
  "  purpose TEXT,"
  "  category TEXT,"
  "  urgency TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal','urgent')),"
  "  end_to_end_id TEXT NOT NULL UNIQUE,"
  "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN"
  "    ('draft','submitted','approved','sent','accepted','rejected','executed','failed')),"
  "  maker_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  digest TEXT,"
  "  required_approvals INTEGER,"
  "  required_role TEXT,"
  "  message_id INTEGER REFERENCES payment_message(id),"
  "  pmt_inf_id TEXT,"
  "  bank_status TEXT,"
  "  status_reason TEXT,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE INDEX payment_status ON payment (status);"
  "CREATE INDEX payment_account_date ON payment (account_id, execution_date);"
  "CREATE INDEX payment_batch_id ON payment (batch_id);"
  "CREATE INDEX payment_message_id ON payment (message_id);"
  "CREATE TRIGGER payment_content_frozen BEFORE UPDATE OF batch_id, account_id, creditor_name,"
  "  creditor_account, creditor_bic, creditor_cnaps, creditor_bank, amount_minor, currency,"
  "  execution_date, remittance, purpose, category, urgency, end_to_end_id, maker_id ON payment"
  "  WHEN OLD.status <> 'draft'"
  "  BEGIN SELECT RAISE(ABORT, 'a submitted payment cannot be changed'); END;"
  "CREATE TABLE payment_approval ("
  "  payment_id INTEGER NOT NULL REFERENCES payment(id) ON DELETE RESTRICT,"
  "  user_id INTEGER NOT NULL REFERENCES app_user(id),"
  "  key_id TEXT NOT NULL,"
  "  digest TEXT NOT NULL,"
  "  signature BLOB NOT NULL,"
  "  at TEXT NOT NULL,"
  "  PRIMARY KEY (payment_id, user_id)) WITHOUT ROWID;"
  "CREATE TRIGGER payment_approval_not_maker BEFORE INSERT ON payment_approval"
  "  WHEN NEW.user_id = (SELECT maker_id FROM payment WHERE id = NEW.payment_id)"
  "  BEGIN SELECT RAISE(ABORT, 'the maker of a payment cannot approve it'); END;"
  "CREATE TRIGGER payment_approval_no_update BEFORE UPDATE ON payment_approval"
  "  BEGIN SELECT RAISE(ABORT, 'approvals cannot be changed'); END;"
  "CREATE TABLE bank_channel ("
  "  bank_id INTEGER PRIMARY KEY REFERENCES bank(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('https','sftp','folder')),"
  "  url TEXT NOT NULL,"
  "  cert_file TEXT,"
  "  key_file TEXT,"
  "  ca_file TEXT,"
  "  format TEXT NOT NULL DEFAULT 'pain.001.001.09',"
  "  connect_timeout_ms INTEGER NOT NULL DEFAULT 10000,"
  "  timeout_ms INTEGER NOT NULL DEFAULT 60000,"
  "  is_open INTEGER NOT NULL DEFAULT 1,"
  "  last_success_at TEXT,"
  "  last_error_at TEXT,"
  "  last_error TEXT,"
  "  latency_ms INTEGER);",
  /* 5: reconciliation — the book (银行日记账) of each account: entries imported from the ERP or
   *    made by payments (ext_id is the book's own id, unique in the book) and an opening balance;
   *    matches of bank lines to book entries (each line and each entry in at most one match;
   *    status auto / confirmed / manual; rule and score in per mille; the charge difference
   *    book - bank in minor units); suggestions for the ambiguous; pairs a user unmatched, which
   *    are never matched again automatically; the date window per account. */
  "CREATE TABLE book_import ("
  "  id INTEGER PRIMARY KEY,"
  "  file_name TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  new_entries INTEGER NOT NULL DEFAULT 0,"
  "  present_entries INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE book_entry ("
  "  id INTEGER PRIMARY KEY,"
  "  ext_id TEXT NOT NULL UNIQUE,"
  "  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,"
  "  date TEXT NOT NULL,"
  "  amount_minor INTEGER NOT NULL,"
  "  currency TEXT NOT NULL CHECK (length(currency) = 3),"
  "  counterparty TEXT,"
  "  counterparty_account TEXT,"
  "  reference TEXT,"
  "  memo TEXT,"
  "  source TEXT NOT NULL DEFAULT 'import' CHECK (source IN ('import','payment','manual')),"
  "  import_id INTEGER);"
  "CREATE INDEX book_entry_account ON book_entry (account_id, date);"
  "CREATE TABLE book_opening ("
  "  account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,"
  "  date TEXT NOT NULL,"
  "  amount_minor INTEGER NOT NULL);"
  "CREATE TABLE recon_setting ("
  "  account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,"
  "  window_days INTEGER NOT NULL CHECK (window_days BETWEEN 0 AND 40));"
  "CREATE TABLE recon_match ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('auto','confirmed','manual')),"
  "  rule TEXT NOT NULL,"
  "  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 1000),"
  "  charge_minor INTEGER NOT NULL DEFAULT 0,"
  "  at TEXT NOT NULL,"
  "  actor TEXT);"
  "CREATE INDEX recon_match_account ON recon_match (account_id);"
  /* keyed by the item: an item is in one match at most, and a run appends in id order */
  "CREATE TABLE recon_bank ("
  "  line_id INTEGER PRIMARY KEY,"
  "  match_id INTEGER NOT NULL);"
  "CREATE TABLE recon_book ("
  "  entry_id INTEGER PRIMARY KEY,"
  "  match_id INTEGER NOT NULL);"
  "CREATE TABLE recon_suggestion ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL,"
  "  rule TEXT NOT NULL,"
  "  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 1000),"
  "  charge_minor INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX recon_suggestion_account ON recon_suggestion (account_id);"
  "CREATE TABLE recon_suggestion_item ("
  "  suggestion_id INTEGER NOT NULL,"
  "  side INTEGER NOT NULL CHECK (side IN (0, 1)),"
  "  item_id INTEGER NOT NULL,"
  "  PRIMARY KEY (suggestion_id, side, item_id)) WITHOUT ROWID;"
  "CREATE TABLE recon_reject ("
  "  line_id INTEGER NOT NULL,"
  "  entry_id INTEGER NOT NULL,"
  "  PRIMARY KEY (line_id, entry_id)) WITHOUT ROWID;",
};

int
tsy_store_migrations_latest (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

gboolean
tsy_store_migrate_to (sqlite3 *db,
                      int      target,
                      GError **error)
{
  int version = get_user_version (db);

  g_return_val_if_fail (target <= tsy_store_migrations_latest (), FALSE);

  if (version < 0)
    {
      g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                   _("Cannot read the schema version: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  for (int v = version; v < target; v++)
    {
      char *errmsg = NULL;
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_debug ("migrating schema %d -> %d", v, v + 1);
      if (sqlite3_exec (db, migrations[v], NULL, NULL, &errmsg) != SQLITE_OK ||
          sqlite3_exec (db, pragma, NULL, NULL, &errmsg) != SQLITE_OK)
        {
          g_set_error (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_STORE,
                       /* Translators: %1$d a schema version, %2$s the database's message */
                       _("Upgrading the database to version %1$d failed: %2$s"), v + 1,
                       errmsg ? errmsg : "?");
          sqlite3_free (errmsg);
          return FALSE;
        }
    }
  return TRUE;
}
