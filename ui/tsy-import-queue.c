/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "banks/tsy-statement-importer.h"
#include "tsy-import-queue.h"
#include "tsy-money-format.h"

struct _TsyImportQueue
{
  GObject       parent_instance;

  TsyStore     *store;
  GQueue        waiting;       /* Item */
  GFile        *current;       /* the file being imported, NULL between files */
  GCancellable *cancellable;   /* of this run of the queue */
  guint         done;          /* files finished in this run */
  guint         total;         /* files added in this run */
  guint         permille;      /* read of the current file */
  guint         run;           /* counts the runs: a late callback of an old run is ignored */
  gboolean      importing;
  char         *status;
};

G_DEFINE_FINAL_TYPE (TsyImportQueue, tsy_import_queue, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_IMPORTING,
  PROP_FRACTION,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FILE_IMPORTED,
  SIGNAL_FILE_FAILED,
  SIGNAL_CANCELLED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void import_next (TsyImportQueue *self);

/* A file waiting, with what the user chose for it. */
typedef struct
{
  GFile *file;
  char  *account;   /* NULL: the file names its account */
  char  *profile;   /* NULL: the CSV layout is recognised */
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_object_unref (item->file);
  g_free (item->account);
  g_free (item->profile);
  g_free (item);
}

/* One file's import: the progress callbacks and the result belong to this run only. */
typedef struct
{
  TsyImportQueue *queue;
  guint           run;
} Call;

static void
call_free (Call *call)
{
  g_object_unref (call->queue);
  g_free (call);
}

/* Helpers ---------------------------------------------------------------- */

static void
set_importing (TsyImportQueue *self,
               gboolean        importing)
{
  if (self->importing == importing)
    return;
  self->importing = importing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

static void
set_status (TsyImportQueue *self,
            const char     *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_permille (TsyImportQueue *self,
              guint           permille)
{
  self->permille = MIN (permille, 1000);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static const char *
format_title (const char *format)
{
  /* Names of bank formats, not translated. */
  if (format == NULL)
    return "?";
  if (g_ascii_strcasecmp (format, "mt940") == 0)
    return "MT940";
  if (g_ascii_strcasecmp (format, "mt942") == 0)
    return "MT942";
  if (g_ascii_strcasecmp (format, "bai2") == 0)
    return "BAI2";
  if (g_ascii_strcasecmp (format, "ofx") == 0)
    return "OFX";
  if (g_ascii_strcasecmp (format, "csv") == 0)
    return "CSV";
  return format;   /* camt.053.001.02 and the like */
}

/* The run is over: the queue is empty, or was dropped by a cancel. */
static void
finish (TsyImportQueue *self)
{
  self->run++;
  g_queue_clear_full (&self->waiting, item_free);
  g_clear_object (&self->current);
  g_clear_object (&self->cancellable);
  self->done = 0;
  self->total = 0;
  self->permille = 0;
  set_status (self, NULL);
  set_importing (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* Callbacks ---------------------------------------------------------------- */

static void
on_progress_cb (guint    permille,
                gpointer user_data)
{
  Call *call = user_data;   /* freed by the result's callback, which comes after */

  if (call->run == call->queue->run && call->queue->current != NULL)
    set_permille (call->queue, permille);
}

static void
on_file_imported_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(TsyImportQueue) self = g_object_ref (call->queue);
  gboolean current_run = call->run == self->run;
  g_autoptr(TsyImportResult) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  imported = tsy_statement_import_file_finish (TSY_STORE (source), result, &error);
  call_free (call);
  if (!current_run || self->current == NULL)
    return;   /* disposed, or another store: that run is over */
  file = g_steal_pointer (&self->current);
  self->done++;
  self->permille = 0;

  if (imported == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_signal_emit (self, signals[SIGNAL_CANCELLED], 0, file);
      finish (self);
      return;
    }
  if (imported == NULL)
    g_signal_emit (self, signals[SIGNAL_FILE_FAILED], 0, file, error);
  else
    g_signal_emit (self, signals[SIGNAL_FILE_IMPORTED], 0, file, imported);
  import_next (self);
}

static void
import_next (TsyImportQueue *self)
{
  TsyImportOptions options = { TSY_STATEMENT_FORMAT_UNKNOWN, NULL, NULL };
  Item *item = g_queue_pop_head (&self->waiting);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  Call *call;

  if (item == NULL || self->store == NULL)
    {
      g_clear_pointer (&item, item_free);
      finish (self);
      return;
    }
  file = g_object_ref (item->file);
  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Translators: %s is a file name. */
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("%s is not a local file: only local files can be imported"),
                           name);
      self->done++;
      item_free (item);
      g_signal_emit (self, signals[SIGNAL_FILE_FAILED], 0, file, error);
      import_next (self);
      return;
    }

  self->current = g_object_ref (file);
  call = g_new0 (Call, 1);
  call->queue = g_object_ref (self);
  call->run = self->run;
  /* Translators: %1$s is a file name, %2$u and %3$u count the files of this import. */
  status = g_strdup_printf (_("Importing %1$s (%2$u of %3$u)…"), name, self->done + 1,
                            self->total);
  set_status (self, status);
  set_permille (self, 0);
  /* A column profile describes a CSV layout: the file is read as CSV whatever it looks like. */
  options.account = item->account;
  options.profile = item->profile;
  if (item->profile != NULL)
    options.format = TSY_STATEMENT_FORMAT_CSV;
  /* The async call copies the options. */
  tsy_statement_import_file_async (self->store, path, &options, on_progress_cb, call,
                                   self->cancellable, on_file_imported_cb, call);
  item_free (item);
}

/* GObject ------------------------------------------------------------------ */

static void
tsy_import_queue_dispose (GObject *object)
{
  TsyImportQueue *self = TSY_IMPORT_QUEUE (object);

  self->run++;
  g_queue_clear_full (&self->waiting, item_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->current);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tsy_import_queue_parent_class)->dispose (object);
}

static void
tsy_import_queue_finalize (GObject *object)
{
  TsyImportQueue *self = TSY_IMPORT_QUEUE (object);

  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (tsy_import_queue_parent_class)->finalize (object);
}

static void
tsy_import_queue_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsyImportQueue *self = TSY_IMPORT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_IMPORTING:
      g_value_set_boolean (value, self->importing);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, tsy_import_queue_get_fraction (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_import_queue_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsyImportQueue *self = TSY_IMPORT_QUEUE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsy_import_queue_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_import_queue_class_init (TsyImportQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsy_import_queue_dispose;
  object_class->finalize = tsy_import_queue_finalize;
  object_class->get_property = tsy_import_queue_get_property;
  object_class->set_property = tsy_import_queue_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMPORTING] =
    g_param_spec_boolean ("importing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Progress of files, not money: a double is what GtkProgressBar takes. */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FILE_IMPORTED] =
    g_signal_new ("file-imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_POINTER);
  signals[SIGNAL_FILE_FAILED] =
    g_signal_new ("file-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_ERROR);
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
tsy_import_queue_init (TsyImportQueue *self)
{
  g_queue_init (&self->waiting);
}

/* Public API --------------------------------------------------------------- */

TsyImportQueue *
tsy_import_queue_new (void)
{
  return g_object_new (TSY_TYPE_IMPORT_QUEUE, NULL);
}

TsyStore *
tsy_import_queue_get_store (TsyImportQueue *self)
{
  g_return_val_if_fail (TSY_IS_IMPORT_QUEUE (self), NULL);

  return self->store;
}

void
tsy_import_queue_set_store (TsyImportQueue *self,
                            TsyStore       *store)
{
  g_return_if_fail (TSY_IS_IMPORT_QUEUE (self));
  g_return_if_fail (store == NULL || TSY_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->importing)
    {
      /* The callback of the file under way finds no current file and reports nothing. */
      g_cancellable_cancel (self->cancellable);
      finish (self);
    }
  g_set_object (&self->store, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gboolean
tsy_import_queue_get_importing (TsyImportQueue *self)
{
  g_return_val_if_fail (TSY_IS_IMPORT_QUEUE (self), FALSE);

  return self->importing;
}

double
tsy_import_queue_get_fraction (TsyImportQueue *self)
{
  g_return_val_if_fail (TSY_IS_IMPORT_QUEUE (self), 0.0);

  if (self->total == 0)
    return 0.0;
  return CLAMP (((double) self->done + (double) self->permille / 1000.0) / (double) self->total,
                0.0, 1.0);
}

const char *
tsy_import_queue_get_status (TsyImportQueue *self)
{
  g_return_val_if_fail (TSY_IS_IMPORT_QUEUE (self), NULL);

  return self->status;
}

void
tsy_import_queue_add_files (TsyImportQueue *self,
                            GListModel     *files)
{
  tsy_import_queue_add_files_with_options (self, files, NULL, NULL);
}

void
tsy_import_queue_add_files_with_options (TsyImportQueue *self,
                                         GListModel     *files,
                                         const char     *account,
                                         const char     *profile)
{
  guint n;

  g_return_if_fail (TSY_IS_IMPORT_QUEUE (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  if (self->store == NULL)
    return;
  n = g_list_model_get_n_items (files);
  for (guint i = 0; i < n; i++)
    {
      GFile *file = g_list_model_get_item (files, i);   /* the queue owns it */

      if (G_IS_FILE (file))
        {
          Item *item = g_new0 (Item, 1);

          item->file = file;
          item->account = g_strdup (account);
          item->profile = g_strdup (profile);
          g_queue_push_tail (&self->waiting, item);
          self->total++;
        }
      else
        g_clear_object (&file);
    }
  if (self->importing || g_queue_is_empty (&self->waiting))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
      return;
    }
  self->cancellable = g_cancellable_new ();
  set_importing (self, TRUE);
  import_next (self);
}

void
tsy_import_queue_cancel (TsyImportQueue *self)
{
  g_return_if_fail (TSY_IS_IMPORT_QUEUE (self));

  if (!self->importing)
    return;
  g_queue_clear_full (&self->waiting, item_free);
  /* The file's transaction is rolled back; its callback reports "cancelled" and finishes. */
  g_cancellable_cancel (self->cancellable);
}

char *
tsy_import_queue_describe (const char            *name,
                           const TsyImportResult *result)
{
  g_autofree char *n_statements = NULL;
  g_autofree char *n_new = NULL;
  g_autofree char *n_present = NULL;
  g_autofree char *statements = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *present = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (result != NULL, NULL);

  n_statements = tsy_count_format (result->statements);
  n_new = tsy_count_format (result->new_lines);
  n_present = tsy_count_format (result->present_lines);
  /* Translators: part of an import summary; %s is a count of bank statements ("1,234"). */
  statements = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s statement", "%s statements",
                                             result->statements),
                                n_statements);
  /* Translators: part of an import summary; %s is a count of lines new to the database. */
  fresh = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s new line", "%s new lines",
                                        result->new_lines),
                           n_new);
  /* Translators: part of an import summary; %s is a count of lines imported before. */
  present = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s already present",
                                          "%s already present", result->present_lines),
                             n_present);
  /* Translators: the summary of one imported file, e.g. "bank.sta: MT940, 3 statements,
   * 120 new lines, 0 already present". %1$s is the file name, %2$s the format, %3$s, %4$s
   * and %5$s the three counts above. */
  return g_strdup_printf (_("%1$s: %2$s, %3$s, %4$s, %5$s"), name, format_title (result->format),
                          statements, fresh, present);
}
