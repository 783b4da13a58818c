/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated bank's books: accounts, the durable journal, pain.001 in, pain.002 out. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "banks/formats/tsy-pain002.h"
#include "banks/formats/tsy-statement-writer.h"
#include "ledger/tsy-money.h"
#include "tsy-banksim-bank.h"

#define MAX_DOCUMENT (32 * 1024 * 1024)

typedef struct
{
  char   *number;
  char    currency[4];
  char   *bic;
  char   *name;
  gint64  opening;
  gint64  balance;
} Account;

typedef struct
{
  char    *msg_id;
  char    *e2e;
  char    *debtor;
  char    *debtor_name;
  char    *creditor;
  char    *creditor_name;
  gint64   amount;
  char     currency[4];
  TsyDate  booked;
  char    *status;      /* ACSC or RJCT */
  char    *reason;
  char    *ref;         /* the bank's reference of the booking */
  char    *text;
} Tx;

struct _TsyBanksim
{
  char          *dir;
  char          *messages_dir;
  GHashTable    *accounts;      /* number → Account */
  GHashTable    *answered;      /* msg id → path of its pain.002 */
  GHashTable    *arriving;      /* msg id → NULL: in progress */
  GPtrArray     *txs;           /* (element-type Tx) in journal order */
  GHashTable    *e2e_messages;  /* e2e → GHashTable of msg ids */
  int            journal_fd;
  guint64        next_ref;
  xmlSchemaPtr   schema09;
  xmlSchemaPtr   schema03;
};

static void
account_free (Account *a)
{
  g_free (a->number);
  g_free (a->bic);
  g_free (a->name);
  g_free (a);
}

static void
tx_free (Tx *t)
{
  if (t == NULL)
    return;
  g_free (t->msg_id);
  g_free (t->e2e);
  g_free (t->debtor);
  g_free (t->debtor_name);
  g_free (t->creditor);
  g_free (t->creditor_name);
  g_free (t->status);
  g_free (t->reason);
  g_free (t->ref);
  g_free (t->text);
  g_free (t);
}

void
tsy_banksim_free (TsyBanksim *sim)
{
  if (sim == NULL)
    return;
  if (sim->journal_fd >= 0)
    close (sim->journal_fd);
  g_clear_pointer (&sim->accounts, g_hash_table_unref);
  g_clear_pointer (&sim->answered, g_hash_table_unref);
  g_clear_pointer (&sim->arriving, g_hash_table_unref);
  g_clear_pointer (&sim->txs, g_ptr_array_unref);
  g_clear_pointer (&sim->e2e_messages, g_hash_table_unref);
  if (sim->schema09)
    xmlSchemaFree (sim->schema09);
  if (sim->schema03)
    xmlSchemaFree (sim->schema03);
  g_free (sim->dir);
  g_free (sim->messages_dir);
  g_free (sim);
}

/* Journal fields: tabs and newlines cannot occur inside one. */
static char *
clean (const char *text)
{
  char *out = g_strdup (text ? text : "");

  for (char *p = out; *p; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
  return out;
}

static xmlSchemaPtr
load_schema (const char *path,
             GError    **error)
{
  xmlSchemaParserCtxtPtr ctxt;
  xmlSchemaPtr schema;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "schema %s is missing", path);
      return NULL;
    }
  ctxt = xmlSchemaNewParserCtxt (path);
  schema = xmlSchemaParse (ctxt);
  xmlSchemaFreeParserCtxt (ctxt);
  if (schema == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "schema %s does not load", path);
  return schema;
}

static gboolean
add_account (TsyBanksim *sim,
             const char *number,
             const char *currency,
             gint64      opening,
             const char *bic,
             const char *name,
             GError    **error)
{
  Account *a;

  if (number == NULL || *number == '\0' || !tsy_currency_is_known (currency))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad account %s", number ? number : "");
      return FALSE;
    }
  a = g_new0 (Account, 1);
  a->number = g_strdup (number);
  g_strlcpy (a->currency, currency, sizeof a->currency);
  a->bic = g_strdup (bic);
  a->name = g_strdup (name);
  a->opening = a->balance = opening;
  g_hash_table_replace (sim->accounts, a->number, a);
  return TRUE;
}

static gboolean
load_accounts (TsyBanksim        *sim,
               const char *const *seed,
               GError           **error)
{
  g_autofree char *path = g_build_filename (sim->dir, "accounts.ini", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* First start: the seed accounts become the opening books. */
      for (guint i = 0; seed != NULL && seed[i] != NULL; i++)
        {
          g_auto(GStrv) f = g_strsplit (seed[i], ":", 5);
          gint64 minor;
          g_autofree char *amount = NULL;
          if (g_strv_length (f) < 3 || !tsy_money_parse (f[2], -1, f[1], TSY_DECIMAL_POINT, &minor, error))
            {
              if (error != NULL && *error == NULL)
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad --account %s", seed[i]);
              return FALSE;
            }
          g_key_file_set_string (kf, f[0], "currency", f[1]);
          amount = g_strdup_printf ("%" G_GINT64_FORMAT, minor);
          g_key_file_set_string (kf, f[0], "opening_minor", amount);
          if (f[3] != NULL && *f[3])
            g_key_file_set_string (kf, f[0], "bic", f[3]);
          if (f[3] != NULL && f[4] != NULL && *f[4])
            g_key_file_set_string (kf, f[0], "name", f[4]);
        }
      if (!g_key_file_save_to_file (kf, path, error))
        return FALSE;
    }
  else if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return FALSE;

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *ccy = g_key_file_get_string (kf, groups[i], "currency", NULL);
      g_autofree char *opening = g_key_file_get_string (kf, groups[i], "opening_minor", NULL);
      g_autofree char *bic = g_key_file_get_string (kf, groups[i], "bic", NULL);
      g_autofree char *name = g_key_file_get_string (kf, groups[i], "name", NULL);
      gint64 minor = opening ? g_ascii_strtoll (opening, NULL, 10) : 0;

      if (!add_account (sim, groups[i], ccy, minor, bic, name, error))
        return FALSE;
    }
  return TRUE;
}

static void
apply_tx (TsyBanksim *sim,
          Tx         *t)
{
  GHashTable *msgs = g_hash_table_lookup (sim->e2e_messages, t->e2e);

  if (msgs == NULL)
    {
      msgs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (sim->e2e_messages, g_strdup (t->e2e), msgs);
    }
  g_hash_table_add (msgs, g_strdup (t->msg_id));
  if (g_strcmp0 (t->status, "ACSC") == 0)
    {
      Account *d = g_hash_table_lookup (sim->accounts, t->debtor);
      Account *c = g_hash_table_lookup (sim->accounts, t->creditor);
      if (d != NULL)
        d->balance -= t->amount;
      if (c != NULL && strcmp (c->currency, t->currency) == 0)
        c->balance += t->amount;
    }
  g_ptr_array_add (sim->txs, t);
  sim->next_ref++;
}

/* Replays journal.log: transactions count only once their message's "M" line is there. */
static gboolean
replay (TsyBanksim *sim,
        GError    **error)
{
  g_autofree char *path = g_build_filename (sim->dir, "journal.log", NULL);
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tx_free);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_get_contents (path, &data, NULL, error))
    return FALSE;
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      guint n = g_strv_length (f);

      if (n >= 14 && strcmp (f[0], "T") == 0)
        {
          Tx *t = g_new0 (Tx, 1);
          t->msg_id = g_strdup (f[1]);
          t->e2e = g_strdup (f[2]);
          t->debtor = g_strdup (f[3]);
          t->creditor = g_strdup (f[4]);
          t->amount = g_ascii_strtoll (f[5], NULL, 10);
          g_strlcpy (t->currency, f[6], sizeof t->currency);
          tsy_date_parse_iso (f[7], &t->booked, NULL);
          t->status = g_strdup (f[8]);
          t->reason = *f[9] ? g_strdup (f[9]) : NULL;
          t->ref = g_strdup (f[10]);
          t->creditor_name = g_strdup (f[11]);
          t->debtor_name = g_strdup (f[12]);
          t->text = *f[13] ? g_strdup (f[13]) : NULL;
          if (t->creditor_name != NULL && *t->creditor_name == '\0')
            g_clear_pointer (&t->creditor_name, g_free);
          if (t->debtor_name != NULL && *t->debtor_name == '\0')
            g_clear_pointer (&t->debtor_name, g_free);
          g_ptr_array_add (pending, t);
        }
      else if (n >= 2 && strcmp (f[0], "M") == 0)
        {
          g_autofree char *answer = g_strconcat (f[1], ".pain002.xml", NULL);
          for (guint k = 0; k < pending->len; k++)
            {
              Tx *t = g_ptr_array_index (pending, k);
              if (strcmp (t->msg_id, f[1]) == 0)
                {
                  pending->pdata[k] = NULL;
                  apply_tx (sim, t);
                }
            }
          g_ptr_array_remove_range (pending, 0, pending->len);
          g_hash_table_replace (sim->answered, g_strdup (f[1]),
                                g_build_filename (sim->messages_dir, answer, NULL));
        }
    }
  return TRUE;
}

TsyBanksim *
tsy_banksim_open (const char        *state_dir,
                  const char        *xsd_dir,
                  const char *const *seed_accounts,
                  GError           **error)
{
  g_autoptr(TsyBanksim) sim = g_new0 (TsyBanksim, 1);
  g_autofree char *x09 = g_build_filename (xsd_dir, "hbci4j_hbci4java_pain.001.001.09.xsd", NULL);
  g_autofree char *x03 = g_build_filename (xsd_dir, "raphaelm_python-sepaxml_pain.001.001.03.xsd", NULL);
  g_autofree char *journal = NULL;

  sim->journal_fd = -1;
  sim->dir = g_strdup (state_dir);
  sim->messages_dir = g_build_filename (state_dir, "messages", NULL);
  sim->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) account_free);
  sim->answered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sim->arriving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sim->txs = g_ptr_array_new_with_free_func ((GDestroyNotify) tx_free);
  sim->e2e_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  sim->next_ref = 1;

  if (g_mkdir_with_parents (sim->messages_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot make %s", sim->messages_dir);
      return NULL;
    }
  sim->schema09 = load_schema (x09, error);
  if (sim->schema09 == NULL)
    return NULL;
  sim->schema03 = load_schema (x03, error);
  if (sim->schema03 == NULL || !load_accounts (sim, seed_accounts, error) || !replay (sim, error))
    return NULL;
  journal = g_build_filename (state_dir, "journal.log", NULL);
  sim->journal_fd = g_open (journal, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (sim->journal_fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot open %s", journal);
      return NULL;
    }
  return g_steal_pointer (&sim);
}

void
tsy_banksim_note_arrival (TsyBanksim *sim,
                          const char *msg_id)
{
  if (msg_id != NULL)
    g_hash_table_add (sim->arriving, g_strdup (msg_id));
}

void
tsy_banksim_forget_arrival (TsyBanksim *sim,
                            const char *msg_id)
{
  if (msg_id != NULL)
    g_hash_table_remove (sim->arriving, msg_id);
}

/* ---- Reading a pain.001 ---------------------------------------------------------------- */

static xmlNode *
child (xmlNode    *node,
       const char *name)
{
  for (xmlNode *c = node ? node->children : NULL; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      return c;
  return NULL;
}

static xmlNode *
path (xmlNode    *node,
      const char *names)
{
  g_auto(GStrv) parts = g_strsplit (names, "/", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    node = child (node, parts[i]);
  return node;
}

static char *
text_at (xmlNode    *node,
         const char *names)
{
  xmlNode *n = path (node, names);
  xmlChar *content;
  char *out;

  if (n == NULL)
    return NULL;
  content = xmlNodeGetContent (n);
  out = g_strstrip (g_strdup ((const char *) content));
  xmlFree (content);
  return out;
}

static char *
account_of (xmlNode *acct)
{
  char *iban = text_at (acct, "Id/IBAN");

  return iban ? iban : text_at (acct, "Id/Othr/Id");
}

char *
tsy_banksim_peek_msg_id (GBytes *document)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (document, &len);
  xmlDocPtr doc;
  char *id = NULL;

  if (len == 0 || len > MAX_DOCUMENT)
    return NULL;
  doc = xmlReadMemory (data, (int) len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc != NULL)
    id = text_at (xmlDocGetRootElement (doc), "CstmrCdtTrfInitn/GrpHdr/MsgId");
  xmlFreeDoc (doc);
  return id;
}

static GBytes *
answer_of (TsyBanksim *sim,
           const char *msg_id)
{
  const char *file = g_hash_table_lookup (sim->answered, msg_id);
  char *data = NULL;
  gsize len = 0;

  if (file == NULL || !g_file_get_contents (file, &data, &len, NULL))
    return NULL;
  return g_bytes_new_take (data, len);
}

static void
silent_error_cb (void       *ctx,
                 const char *msg,
                 ...)
{
}

static void
silent_structured_cb (void       *ctx,
                      xmlErrorPtr err)
{
  char **first = ctx;

  if (first != NULL && *first == NULL && err != NULL && err->message != NULL)
    *first = g_strstrip (g_strdup (err->message));
}

static GBytes *
group_answer (const char *msg_id,
              const char *status,
              const char *reason)
{
  g_autoptr(TsyStatusReport) report = tsy_status_report_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  report->msg_id = g_strdup_printf ("SIM%" G_GINT64_FORMAT, g_get_real_time ());
  report->orig_msg_id = g_strdup (msg_id);
  report->group_status = g_strdup (status);
  report->group_reason = g_strdup (reason);
  return tsy_pain002_write (report, now);
}

/* Writes the answer and the journal lines, synced, in this order: a crash before the "M" line
 * leaves the message unprocessed (and the client resends it). */
static gboolean
commit_message (TsyBanksim *sim,
                const char *msg_id,
                GPtrArray  *txs,
                GBytes     *answer,
                const char *group_status)
{
  g_autofree char *name = g_strconcat (msg_id, ".pain002.xml", NULL);
  g_autofree char *file = g_build_filename (sim->messages_dir, name, NULL);
  GString *lines = g_string_new (NULL);
  gboolean ok;

  if (!g_file_set_contents (file, g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL))
    {
      g_string_free (lines, TRUE);
      return FALSE;
    }
  for (guint i = 0; i < txs->len; i++)
    {
      Tx *t = g_ptr_array_index (txs, i);
      g_autofree char *day = tsy_date_to_iso (t->booked);
      g_autofree char *cn = clean (t->creditor_name);
      g_autofree char *dn = clean (t->debtor_name);
      g_autofree char *tx = clean (t->text);
      g_autofree char *reason = clean (t->reason);
      g_string_append_printf (lines, "T\t%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                              t->msg_id, t->e2e, t->debtor, t->creditor, t->amount, t->currency, day,
                              t->status, reason, t->ref, cn, dn, tx);
    }
  g_string_append_printf (lines, "M\t%s\t%u\t%s\n", msg_id, txs->len, group_status);
  ok = write (sim->journal_fd, lines->str, lines->len) == (ssize_t) lines->len && fsync (sim->journal_fd) == 0;
  g_string_free (lines, TRUE);
  if (ok)
    g_hash_table_replace (sim->answered, g_strdup (msg_id), g_steal_pointer (&file));
  return ok;
}

static TsyBanksimOutcome
process (TsyBanksim *sim,
         GBytes     *document,
         gboolean    refuse,
         char      **first_error,
         GBytes    **out_answer,
         char      **out_reason)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (document, &len);
  xmlDocPtr doc = NULL;
  xmlNode *root, *init;
  xmlSchemaPtr schema;
  xmlSchemaValidCtxtPtr vctxt;
  g_autofree char *msg_id = NULL;
  g_autoptr(GPtrArray) txs = g_ptr_array_new ();
  g_autoptr(TsyStatusReport) report = tsy_status_report_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GBytes) answer = NULL;
  TsyDate today = tsy_date_today ();
  guint ok_count = 0;
  int valid;

  *out_answer = NULL;
  *out_reason = NULL;
  if (len == 0 || len > MAX_DOCUMENT)
    {
      *out_reason = g_strdup ("empty or too large");
      return TSY_BANKSIM_INVALID;
    }
  doc = xmlReadMemory (data, (int) len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  root = doc ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL || root->ns == NULL)
    {
      xmlFreeDoc (doc);
      *out_reason = g_strdup (*first_error ? *first_error : "not XML");
      return TSY_BANKSIM_INVALID;
    }
  msg_id = text_at (root, "CstmrCdtTrfInitn/GrpHdr/MsgId");
  if (strcmp ((const char *) root->ns->href, "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09") == 0)
    schema = sim->schema09;
  else if (strcmp ((const char *) root->ns->href, "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03") == 0)
    schema = sim->schema03;
  else
    schema = NULL;
  if (schema == NULL)
    valid = -1;
  else
    {
      vctxt = xmlSchemaNewValidCtxt (schema);
      xmlSchemaSetValidStructuredErrors (vctxt, silent_structured_cb, first_error);
      valid = xmlSchemaValidateDoc (vctxt, doc);
      xmlSchemaFreeValidCtxt (vctxt);
    }
  if (valid != 0 || msg_id == NULL)
    {
      xmlFreeDoc (doc);
      *out_reason = g_strdup_printf ("schema: %s", *first_error ? *first_error : "unknown namespace");
      if (msg_id != NULL)
        *out_answer = group_answer (msg_id, "RJCT", "FF01 the file does not validate against its schema");
      return TSY_BANKSIM_INVALID;
    }

  /* A repeated MsgId is a duplicate: its first answer, nothing executed again. */
  if (g_hash_table_contains (sim->answered, msg_id))
    {
      xmlFreeDoc (doc);
      *out_answer = answer_of (sim, msg_id);
      *out_reason = g_strdup ("duplicate MsgId");
      return TSY_BANKSIM_DUPLICATE;
    }

  report->msg_id = g_strdup_printf ("SIM%08" G_GUINT64_FORMAT, sim->next_ref);
  report->orig_msg_id = g_strdup (msg_id);
  init = child (root, "CstmrCdtTrfInitn");
  for (xmlNode *pi = init->children; pi != NULL; pi = pi->next)
    {
      g_autofree char *debtor = NULL;
      g_autofree char *debtor_name = NULL;
      g_autofree char *pmt_inf_id = NULL;
      guint pi_ok = 0, pi_n = 0;

      if (pi->type != XML_ELEMENT_NODE || strcmp ((const char *) pi->name, "PmtInf") != 0)
        continue;
      debtor = account_of (child (pi, "DbtrAcct"));
      debtor_name = text_at (pi, "Dbtr/Nm");
      pmt_inf_id = text_at (pi, "PmtInfId");
      for (xmlNode *tx = pi->children; tx != NULL; tx = tx->next)
        {
          Tx *t;
          xmlNode *amt;
          xmlChar *ccy;
          g_autofree char *amount = NULL;
          Account *d, *c;

          if (tx->type != XML_ELEMENT_NODE || strcmp ((const char *) tx->name, "CdtTrfTxInf") != 0)
            continue;
          t = g_new0 (Tx, 1);
          t->msg_id = g_strdup (msg_id);
          t->e2e = text_at (tx, "PmtId/EndToEndId");
          t->debtor = g_strdup (debtor);
          t->debtor_name = g_strdup (debtor_name);
          t->creditor = account_of (child (tx, "CdtrAcct"));
          t->creditor_name = text_at (tx, "Cdtr/Nm");
          t->text = text_at (tx, "RmtInf/Ustrd");
          t->booked = today;
          amt = path (tx, "Amt/InstdAmt");
          ccy = xmlGetProp (amt, (const xmlChar *) "Ccy");
          g_strlcpy (t->currency, ccy ? (const char *) ccy : "", sizeof t->currency);
          xmlFree (ccy);
          amount = text_at (tx, "Amt/InstdAmt");
          t->ref = g_strdup_printf ("SIMREF%010" G_GUINT64_FORMAT, sim->next_ref + txs->len);
          d = g_hash_table_lookup (sim->accounts, t->debtor ? t->debtor : "");
          c = g_hash_table_lookup (sim->accounts, t->creditor ? t->creditor : "");
          if (refuse)
            t->reason = g_strdup ("NARR refused by the bank");
          else if (!tsy_money_parse (amount, -1, t->currency, TSY_DECIMAL_POINT, &t->amount, NULL))
            t->reason = g_strdup ("AM12 invalid amount");
          else if (d == NULL)
            t->reason = g_strdup ("AC01 unknown debtor account");
          else if (strcmp (d->currency, t->currency) != 0)
            t->reason = g_strdup ("AM03 currency not allowed on the account");
          else if (c != NULL && strcmp (c->currency, t->currency) != 0)
            t->reason = g_strdup ("AC09 creditor account in another currency");
          else if (d->balance - t->amount < 0)
            t->reason = g_strdup ("AM04 insufficient funds");
          t->status = g_strdup (t->reason ? "RJCT" : "ACSC");
          if (t->reason == NULL)
            {
              /* Debit now, so later transactions of the message see the new balance. */
              d->balance -= t->amount;
              if (c != NULL)
                c->balance += t->amount;
              ok_count++;
              pi_ok++;
            }
          pi_n++;
          tsy_status_report_add_tx (report, t->e2e, t->status, t->reason);
          g_ptr_array_add (txs, t);
        }
      tsy_status_report_add_pmt_inf (report, pmt_inf_id, pi_ok == pi_n ? "ACSC" : pi_ok == 0 ? "RJCT" : "PART",
                                     NULL);
    }
  xmlFreeDoc (doc);
  report->group_status = g_strdup (refuse ? "RJCT" : ok_count == txs->len ? "ACSC" : ok_count == 0 ? "RJCT" : "PART");
  if (refuse)
    report->group_reason = g_strdup ("NARR refused by the bank");
  answer = tsy_pain002_write (report, now);

  /* Undo the in-memory bookings, then apply them as the journal says (the one way in). */
  for (guint i = 0; i < txs->len; i++)
    {
      Tx *t = g_ptr_array_index (txs, i);
      if (g_strcmp0 (t->status, "ACSC") == 0)
        {
          Account *d = g_hash_table_lookup (sim->accounts, t->debtor);
          Account *c = g_hash_table_lookup (sim->accounts, t->creditor ? t->creditor : "");
          d->balance += t->amount;
          if (c != NULL)
            c->balance -= t->amount;
        }
    }
  if (!commit_message (sim, msg_id, txs, answer, report->group_status))
    {
      g_ptr_array_set_free_func (txs, (GDestroyNotify) tx_free);
      *out_reason = g_strdup ("journal write failed");
      return TSY_BANKSIM_INVALID;
    }
  for (guint i = 0; i < txs->len; i++)
    apply_tx (sim, g_ptr_array_index (txs, i));
  *out_answer = g_steal_pointer (&answer);
  return TSY_BANKSIM_NEW;
}

TsyBanksimOutcome
tsy_banksim_process (TsyBanksim *sim,
                     GBytes     *document,
                     gboolean    refuse,
                     GBytes    **out_answer,
                     char      **out_reason)
{
  g_autofree char *first_error = NULL;
  TsyBanksimOutcome outcome;

  /* libxml2 reports through per-thread handlers: keep its words for the reason, off stderr. */
  xmlSetGenericErrorFunc (NULL, silent_error_cb);
  xmlSetStructuredErrorFunc (&first_error, silent_structured_cb);
  outcome = process (sim, document, refuse, &first_error, out_answer, out_reason);
  xmlSetStructuredErrorFunc (NULL, NULL);
  xmlSetGenericErrorFunc (NULL, NULL);
  return outcome;
}

GBytes *
tsy_banksim_status (TsyBanksim *sim,
                    const char *msg_id,
                    gboolean   *out_arriving)
{
  *out_arriving = g_hash_table_contains (sim->arriving, msg_id);
  return answer_of (sim, msg_id);
}

/* ---- Statements ------------------------------------------------------------------------ */

static gint64
delta_of (const Tx   *t,
          const char *account)
{
  if (g_strcmp0 (t->status, "ACSC") != 0)
    return 0;
  if (g_strcmp0 (t->debtor, account) == 0)
    return -t->amount;
  if (g_strcmp0 (t->creditor, account) == 0)
    return t->amount;
  return 0;
}

GBytes *
tsy_banksim_statement (TsyBanksim       *sim,
                       const char       *account,
                       TsyStatementKind  kind,
                       TsyDate           date,
                       GError          **error)
{
  Account *a = g_hash_table_lookup (sim->accounts, account);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TsyStatementWriter) w = NULL;
  const TsyStatementSink *sink = tsy_statement_writer_sink ();
  TsyStatementHeader h = { 0 };
  g_autofree char *stmt_id = NULL;
  gint64 opening, closing;
  GBytes *bytes;

  if (a == NULL)
    return NULL;
  opening = a->opening;
  for (guint i = 0; i < sim->txs->len; i++)
    {
      Tx *t = g_ptr_array_index (sim->txs, i);
      if (t->booked < date)
        opening += delta_of (t, account);
    }
  closing = opening;
  for (guint i = 0; i < sim->txs->len; i++)
    {
      Tx *t = g_ptr_array_index (sim->txs, i);
      if (t->booked == date)
        closing += delta_of (t, account);
    }
  stmt_id = g_strdup_printf ("SIM-%s-%u", account, date);
  h.format = "camt.053.001.08";
  h.kind = kind;
  h.account = a->number;
  h.currency = a->currency;
  h.statement_id = stmt_id;
  h.from_date = h.to_date = date;
  h.has_opening = TRUE;
  h.opening_minor = opening;
  h.opening_date = tsy_date_add_days (date, -1);
  h.has_closing = TRUE;
  h.closing_minor = closing;
  h.closing_date = date;

  w = tsy_statement_writer_new (TSY_WRITER_CAMT053_V8, out);
  if (!sink->begin_statement (w, &h, error))
    return NULL;
  for (guint i = 0; i < sim->txs->len; i++)
    {
      Tx *t = g_ptr_array_index (sim->txs, i);
      gint64 delta = t->booked == date ? delta_of (t, account) : 0;
      TsyStatementEntry e = { 0 };
      g_autofree char *ref = NULL;

      if (delta == 0)
        continue;
      ref = g_strdup_printf ("%s%s", t->ref, delta > 0 ? "C" : "D");
      e.booking_date = e.value_date = date;
      e.amount_minor = delta;
      e.bank_ref = ref;
      e.end_to_end_id = t->e2e;
      e.counterparty_name = delta < 0 ? t->creditor_name : t->debtor_name;
      e.counterparty_account = delta < 0 ? t->creditor : t->debtor;
      e.text = t->text;
      if (!sink->entry (w, &e, error))
        return NULL;
    }
  if (!sink->end_statement (w, &h, error) || !tsy_statement_writer_finish (w, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  if (kind == TSY_STATEMENT_KIND_INTRADAY)
    {
      /* camt.052 is the same account report under other names. */
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      const char *const swaps[][2] = {
        { "camt.053.001.08", "camt.052.001.08" }, { "BkToCstmrStmt", "BkToCstmrAcctRpt" },
        { "<Stmt>", "<Rpt>" }, { "</Stmt>", "</Rpt>" },
      };
      g_bytes_unref (bytes);
      for (guint s = 0; s < G_N_ELEMENTS (swaps); s++)
        {
          g_auto(GStrv) parts = g_strsplit (text, swaps[s][0], -1);
          g_free (text);
          text = g_strjoinv (swaps[s][1], parts);
        }
      {
        gsize n = strlen (text);
        bytes = g_bytes_new_take (g_steal_pointer (&text), n);
      }
    }
  return bytes;
}

char *
tsy_banksim_executions (TsyBanksim *sim)
{
  g_autoptr(GHashTable) executed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < sim->txs->len; i++)
    {
      Tx *t = g_ptr_array_index (sim->txs, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (executed, t->e2e));
      if (g_strcmp0 (t->status, "ACSC") == 0)
        n++;
      g_hash_table_insert (executed, t->e2e, GUINT_TO_POINTER (n));
      g_hash_table_insert (last, t->e2e, t->status);
    }
  g_hash_table_iter_init (&iter, sim->e2e_messages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (out, "%s\t%u\t%u\t%s\n", (const char *) key,
                            GPOINTER_TO_UINT (g_hash_table_lookup (executed, key)),
                            g_hash_table_size (value), (const char *) g_hash_table_lookup (last, key));
  return g_string_free (out, FALSE);
}

char *
tsy_banksim_accounts (TsyBanksim *sim)
{
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, sim->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Account *a = value;
      g_string_append_printf (out, "%s\t%s\t%" G_GINT64_FORMAT "\n", a->number, a->currency, a->balance);
    }
  return g_string_free (out, FALSE);
}
