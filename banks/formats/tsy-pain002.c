/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "banks/tsy-bank-error.h"
#include "tsy-pain002.h"

#define MAX_DEPTH 64
#define MAX_TEXT 4096
#define MAX_BYTES (256 * 1024 * 1024)
#define MAX_TXS 2000000

typedef enum
{
  SCOPE_NONE,
  SCOPE_GROUP_HEADER,
  SCOPE_ORIGINAL_GROUP,
  SCOPE_PMT_INF,
  SCOPE_TX,
} Scope;

typedef struct
{
  const char      *display_name;
  TsyStatusReport *report;
  char            *names[MAX_DEPTH];
  int              depth;
  GString         *text;
  /* the record being read */
  char            *pmt_inf_id, *pmt_inf_status;
  GString         *pmt_inf_reason;
  char            *tx_e2e, *tx_status;
  GString         *tx_reason;
  GString         *group_reason;
  gboolean         in_tx;
  gboolean         in_pmt_inf;
  gboolean         saw_root;
  char            *first_error;
} Parser;

static void
parser_clear (Parser *p)
{
  for (int i = 0; i < p->depth && i < MAX_DEPTH; i++)
    g_free (p->names[i]);
  g_string_free (p->text, TRUE);
  g_free (p->pmt_inf_id);
  g_free (p->pmt_inf_status);
  g_string_free (p->pmt_inf_reason, TRUE);
  g_free (p->tx_e2e);
  g_free (p->tx_status);
  g_string_free (p->tx_reason, TRUE);
  g_string_free (p->group_reason, TRUE);
  g_free (p->first_error);
  g_clear_pointer (&p->report, tsy_status_report_free);
}

/* The path as "Document/CstmrPmtStsRpt/…" for messages. */
static char *
path_of (Parser *p)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < p->depth && i < MAX_DEPTH; i++)
    {
      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, p->names[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_error (Parser     *p,
             GError    **error,
             const char *reason)
{
  g_autofree char *path = path_of (p);

  g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
               /* Translators: %1$s file name, %2$s XML path, %3$s reason */
               _("%1$s: %2$s: %3$s"), p->display_name, *path ? path : "/", reason);
  return FALSE;
}

static const char *
parent_name (Parser *p,
             int     up)
{
  int i = p->depth - 1 - up;

  return i >= 0 && i < MAX_DEPTH ? p->names[i] : "";
}

static gboolean
valid_code (const char *text)
{
  gsize len = strlen (text);

  if (len < 1 || len > 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]))
      return FALSE;
  return TRUE;
}

static void
append_reason (GString    *reason,
               const char *text)
{
  if (reason->len > 512)
    return;
  if (reason->len > 0)
    g_string_append_c (reason, ' ');
  g_string_append (reason, text);
}

static gboolean
on_start (Parser     *p,
          const char *name,
          GError    **error)
{
  if (p->depth >= MAX_DEPTH)
    return parse_error (p, error, _("the document nests too deeply"));
  if (p->depth == 0)
    {
      if (strcmp (name, "Document") != 0)
        return parse_error (p, error, _("this is not an ISO 20022 document"));
      p->saw_root = TRUE;
    }
  else if (p->depth == 1 && strcmp (name, "CstmrPmtStsRpt") != 0)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED,
                   _("%s is not a payment status report (pain.002)"), p->display_name);
      return FALSE;
    }
  p->names[p->depth++] = g_strdup (name);
  g_string_truncate (p->text, 0);

  if (strcmp (name, "OrgnlPmtInfAndSts") == 0)
    {
      p->in_pmt_inf = TRUE;
      g_clear_pointer (&p->pmt_inf_id, g_free);
      g_clear_pointer (&p->pmt_inf_status, g_free);
      g_string_truncate (p->pmt_inf_reason, 0);
    }
  else if (strcmp (name, "TxInfAndSts") == 0)
    {
      if (p->report->txs->len >= MAX_TXS)
        return parse_error (p, error, _("too many transactions"));
      p->in_tx = TRUE;
      g_clear_pointer (&p->tx_e2e, g_free);
      g_clear_pointer (&p->tx_status, g_free);
      g_string_truncate (p->tx_reason, 0);
    }
  return TRUE;
}

static gboolean
on_end (Parser  *p,
        GError **error)
{
  const char *name = parent_name (p, 0);
  const char *parent = parent_name (p, 1);
  const char *grand = parent_name (p, 2);
  g_autofree char *text = g_strstrip (g_strdup (p->text->str));
  gboolean ok = TRUE;

  if (strcmp (name, "TxInfAndSts") == 0)
    {
      /* A transaction without its end-to-end id cannot be matched; one without a status says
       * nothing. Both are kept out, the rest of the report stands. */
      if (p->tx_e2e != NULL && p->tx_status != NULL)
        tsy_status_report_add_tx (p->report, p->tx_e2e, p->tx_status,
                                  p->tx_reason->len ? p->tx_reason->str : NULL);
      p->in_tx = FALSE;
    }
  else if (strcmp (name, "OrgnlPmtInfAndSts") == 0)
    {
      if (p->pmt_inf_id == NULL)
        ok = parse_error (p, error, _("OrgnlPmtInfId is missing"));
      else
        tsy_status_report_add_pmt_inf (p->report, p->pmt_inf_id, p->pmt_inf_status,
                                       p->pmt_inf_reason->len ? p->pmt_inf_reason->str : NULL);
      p->in_pmt_inf = FALSE;
    }
  else if (strcmp (name, "MsgId") == 0 && strcmp (parent, "GrpHdr") == 0)
    {
      g_free (p->report->msg_id);
      p->report->msg_id = g_strdup (text);
    }
  else if (strcmp (name, "OrgnlMsgId") == 0 && strcmp (parent, "OrgnlGrpInfAndSts") == 0)
    {
      if (*text == '\0' || strlen (text) > 35)
        ok = parse_error (p, error, _("OrgnlMsgId must be 1–35 characters"));
      g_free (p->report->orig_msg_id);
      p->report->orig_msg_id = g_strdup (text);
    }
  else if (strcmp (name, "GrpSts") == 0 || strcmp (name, "PmtInfSts") == 0 || strcmp (name, "TxSts") == 0)
    {
      if (!valid_code (text))
        ok = parse_error (p, error, _("a status code has 1–4 letters or digits"));
      else if (name[0] == 'G' && strcmp (parent, "OrgnlGrpInfAndSts") == 0)
        {
          g_free (p->report->group_status);
          p->report->group_status = g_strdup (text);
        }
      else if (name[0] == 'P' && p->in_pmt_inf && !p->in_tx)
        {
          g_free (p->pmt_inf_status);
          p->pmt_inf_status = g_strdup (text);
        }
      else if (name[0] == 'T' && p->in_tx)
        {
          g_free (p->tx_status);
          p->tx_status = g_strdup (text);
        }
    }
  else if (strcmp (name, "OrgnlPmtInfId") == 0 && p->in_pmt_inf && !p->in_tx)
    {
      g_free (p->pmt_inf_id);
      p->pmt_inf_id = g_strdup (text);
    }
  else if (strcmp (name, "OrgnlEndToEndId") == 0 && p->in_tx)
    {
      /* "NOTPROVIDED" is the customary placeholder for "no id": nothing to match */
      g_free (p->tx_e2e);
      p->tx_e2e = *text && strcmp (text, "NOTPROVIDED") != 0 ? g_strdup (text) : NULL;
    }
  else if ((strcmp (name, "Cd") == 0 && strcmp (parent, "Rsn") == 0 && strcmp (grand, "StsRsnInf") == 0) ||
           (strcmp (name, "Prtry") == 0 && strcmp (parent, "Rsn") == 0 && strcmp (grand, "StsRsnInf") == 0) ||
           (strcmp (name, "AddtlInf") == 0 && strcmp (parent, "StsRsnInf") == 0))
    {
      if (*text != '\0')
        append_reason (p->in_tx ? p->tx_reason : p->in_pmt_inf ? p->pmt_inf_reason : p->group_reason, text);
    }

  g_free (p->names[--p->depth]);
  p->names[p->depth] = NULL;
  g_string_truncate (p->text, 0);
  return ok;
}

static void
on_reader_error (void        *user_data,
                 const char  *msg,
                 xmlParserSeverities severity,
                 xmlTextReaderLocatorPtr locator)
{
  Parser *p = user_data;

  if (p->first_error == NULL && (severity == XML_PARSER_SEVERITY_ERROR ||
                                 severity == XML_PARSER_SEVERITY_VALIDITY_ERROR))
    {
      p->first_error = g_strstrip (g_strdup (msg ? msg : "?"));
      if (!g_utf8_validate (p->first_error, -1, NULL))
        {
          g_free (p->first_error);
          p->first_error = g_strdup ("?");
        }
    }
}

/* Errors raised outside the reader (encoding conversion) go to libxml2's per-thread generic
 * handler, which prints to stderr: keep the first for the message instead. */
static void
on_generic_error_cb (void       *user_data,
                     const char *msg,
                     ...)
{
  Parser *p = user_data;

  if (p->first_error == NULL)
    p->first_error = g_strdup (_("the text cannot be decoded"));
}

static void
on_structured_error_cb (void        *user_data,
                        xmlErrorPtr  err)
{
  Parser *p = user_data;

  if (p->first_error == NULL && err != NULL && err->message != NULL &&
      g_utf8_validate (err->message, -1, NULL))
    p->first_error = g_strstrip (g_strdup (err->message));
}

TsyStatusReport *
tsy_pain002_parse (const char  *data,
                   gsize        len,
                   const char  *display_name,
                   GError     **error)
{
  Parser p = { 0 };
  xmlTextReaderPtr reader;
  TsyStatusReport *result = NULL;
  gboolean ok = TRUE;
  xmlStructuredErrorFunc old_serror;
  xmlGenericErrorFunc old_generic;
  void *old_serror_ctx, *old_generic_ctx;
  int rc = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  p.display_name = display_name ? display_name : "pain.002";
  if (len == 0 || len > MAX_BYTES)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   _("%s: empty or too large for a status report"), p.display_name);
      return NULL;
    }
  p.report = tsy_status_report_new ();
  p.text = g_string_new (NULL);
  p.pmt_inf_reason = g_string_new (NULL);
  p.tx_reason = g_string_new (NULL);
  p.group_reason = g_string_new (NULL);

  old_serror = xmlStructuredError;
  old_serror_ctx = xmlStructuredErrorContext;
  old_generic = xmlGenericError;
  old_generic_ctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc (&p, on_structured_error_cb);
  xmlSetGenericErrorFunc (&p, on_generic_error_cb);

  /* No entity substitution, no DTD loading, no network. */
  reader = xmlReaderForMemory (data, (int) len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
  if (reader == NULL)
    {
      xmlSetStructuredErrorFunc (old_serror_ctx, old_serror);
      xmlSetGenericErrorFunc (old_generic_ctx, old_generic);
      parser_clear (&p);
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   _("%s: unreadable XML"), p.display_name);
      return NULL;
    }
  xmlTextReaderSetErrorHandler (reader, on_reader_error, &p);

  while (ok && (rc = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      const char *local = (const char *) xmlTextReaderConstLocalName (reader);

      switch (type)
        {
        case XML_READER_TYPE_DOCUMENT_TYPE:
        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY:
          ok = parse_error (&p, error, _("DTDs and entities are not allowed"));
          break;
        case XML_READER_TYPE_ELEMENT:
          ok = on_start (&p, local ? local : "", error);
          if (ok && xmlTextReaderIsEmptyElement (reader))
            ok = on_end (&p, error);
          break;
        case XML_READER_TYPE_END_ELEMENT:
          ok = on_end (&p, error);
          break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          {
            const char *value = (const char *) xmlTextReaderConstValue (reader);
            if (value != NULL)
              {
                if (p.text->len + strlen (value) > MAX_TEXT)
                  ok = parse_error (&p, error, _("a text is too long"));
                else
                  g_string_append (p.text, value);
              }
          }
          break;
        default:
          break;
        }
    }
  if (ok && rc < 0)
    {
      g_autofree char *why = g_strdup (p.first_error ? p.first_error : _("not well-formed XML"));
      ok = parse_error (&p, error, why);
    }
  xmlFreeTextReader (reader);
  xmlSetStructuredErrorFunc (old_serror_ctx, old_serror);
  xmlSetGenericErrorFunc (old_generic_ctx, old_generic);

  if (ok && !p.saw_root)
    ok = parse_error (&p, error, _("no document"));
  if (ok && p.report->orig_msg_id == NULL)
    {
      g_set_error (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE,
                   _("%s: the report names no original message (OrgnlGrpInfAndSts/OrgnlMsgId)"),
                   p.display_name);
      ok = FALSE;
    }
  if (ok)
    {
      if (p.group_reason->len > 0)
        p.report->group_reason = g_strdup (p.group_reason->str);
      result = g_steal_pointer (&p.report);
    }
  parser_clear (&p);
  return result;
}

/* ---- Writer ---------------------------------------------------------------------------- */

static void
put (GString    *out,
     int         depth,
     const char *name,
     const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, "<%s>%s</%s>\n", name, escaped, name);
}

static void
tag (GString    *out,
     int         depth,
     const char *name,
     gboolean    close)
{
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, close ? "</%s>\n" : "<%s>\n", name);
}

/* "AM04 insufficient funds" → <Rsn><Cd>AM04</Cd></Rsn><AddtlInf>insufficient funds</AddtlInf> */
static void
put_reason (GString    *out,
            int         depth,
            const char *reason)
{
  g_autofree char *code = NULL;
  const char *rest = reason;
  const char *space;

  if (reason == NULL || *reason == '\0')
    return;
  space = strchr (reason, ' ');
  code = g_strndup (reason, space ? (gsize) (space - reason) : strlen (reason));
  tag (out, depth, "StsRsnInf", FALSE);
  if (valid_code (code))
    {
      tag (out, depth + 1, "Rsn", FALSE);
      put (out, depth + 2, "Cd", code);
      tag (out, depth + 1, "Rsn", TRUE);
      rest = space ? space + 1 : "";
    }
  if (*rest != '\0')
    {
      char cut[106 * 4];
      g_utf8_strncpy (cut, rest, MIN (g_utf8_strlen (rest, -1), 105));
      put (out, depth + 1, "AddtlInf", cut);
    }
  tag (out, depth, "StsRsnInf", TRUE);
}

GBytes *
tsy_pain002_write (const TsyStatusReport *report,
                   GDateTime             *created)
{
  GString *out = g_string_sized_new (1024 + report->txs->len * 200);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (created);
  g_autofree char *stamp = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\">\n");
  tag (out, 1, "CstmrPmtStsRpt", FALSE);
  tag (out, 2, "GrpHdr", FALSE);
  put (out, 3, "MsgId", report->msg_id ? report->msg_id : "STATUS");
  put (out, 3, "CreDtTm", stamp);
  tag (out, 2, "GrpHdr", TRUE);
  tag (out, 2, "OrgnlGrpInfAndSts", FALSE);
  put (out, 3, "OrgnlMsgId", report->orig_msg_id ? report->orig_msg_id : "");
  put (out, 3, "OrgnlMsgNmId", "pain.001");
  if (report->group_status != NULL)
    put (out, 3, "GrpSts", report->group_status);
  put_reason (out, 3, report->group_reason);
  tag (out, 2, "OrgnlGrpInfAndSts", TRUE);

  /* The report keeps transactions flat (they are found by end-to-end id, wherever they sit):
   * they go under the first PmtInf block, or under one named NOTPROVIDED when there is none. */
  if (report->pmt_infs->len > 0 || report->txs->len > 0)
    {
      for (guint i = 0; i < MAX (report->pmt_infs->len, 1u); i++)
        {
          const TsyPmtInfStatus *pi = i < report->pmt_infs->len ? g_ptr_array_index (report->pmt_infs, i) : NULL;

          tag (out, 2, "OrgnlPmtInfAndSts", FALSE);
          put (out, 3, "OrgnlPmtInfId", pi && pi->pmt_inf_id ? pi->pmt_inf_id : "NOTPROVIDED");
          if (pi != NULL && pi->status != NULL)
            put (out, 3, "PmtInfSts", pi->status);
          if (pi != NULL)
            put_reason (out, 3, pi->reason);
          if (i == 0)
            for (guint t = 0; t < report->txs->len; t++)
              {
                const TsyTxStatus *tx = g_ptr_array_index (report->txs, t);
                tag (out, 3, "TxInfAndSts", FALSE);
                put (out, 4, "OrgnlEndToEndId", tx->end_to_end_id);
                put (out, 4, "TxSts", tx->status);
                put_reason (out, 4, tx->reason);
                tag (out, 3, "TxInfAndSts", TRUE);
              }
          tag (out, 2, "OrgnlPmtInfAndSts", TRUE);
        }
    }
  tag (out, 1, "CstmrPmtStsRpt", TRUE);
  g_string_append (out, "</Document>\n");
  return g_string_free_to_bytes (out);
}
