/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The account and column profile of a statement file the importer refused, or chose first. */
#include <glib/gi18n-lib.h>

#include "banks/tsy-bank-error.h"
#include "ledger/tsy-account.h"
#include "ledger/tsy-ledger-error.h"
#include "tsy-import-target-dialog.h"
#include "tsy-ui.h"

struct _TsyImportTargetDialog
{
  AdwMessageDialog     parent_instance;

  /* template */
  GtkDropDown         *account_dropdown;
  GtkStringList       *account_list;
  GtkWidget           *profile_box;
  GtkLabel            *profile_label;
  GtkWidget           *profile_clear_button;

  GFile               *file;
  GPtrArray           *accounts;           /* (element-type TsyAccountInfo) in the list's order */
  gboolean             account_optional;   /* the list starts with "the account the file names" */
  char                *profile;
  GtkNativeDialog     *chooser;
};

G_DEFINE_FINAL_TYPE (TsyImportTargetDialog, tsy_import_target_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* Helpers ---------------------------------------------------------------- */

static gboolean
is_account_error (const GError *error)
{
  return g_error_matches (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_NOT_FOUND) ||
         g_error_matches (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH);
}

static gboolean
is_csv_name (GFile *file)
{
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *folded = name != NULL ? g_ascii_strdown (name, -1) : NULL;

  return folded != NULL && (g_str_has_suffix (folded, ".csv") || g_str_has_suffix (folded, ".txt"));
}

static char *
account_title (const TsyAccountInfo *info)
{
  gboolean named = info->name != NULL && info->name[0] != '\0' &&
                   g_strcmp0 (info->name, info->number) != 0;

  const char *bank = info->bank_code != NULL ? info->bank_code : "";

  if (!named)
    /* Translators: an account without a name in a drop-down: %1$s number, %2$s bank code,
     * %3$s currency code, e.g. "6225880112345678 — CMB, CNY" */
    return g_strdup_printf (_("%1$s — %2$s, %3$s"), info->number, bank, info->currency);
  /* Translators: an account in a drop-down: %1$s number, %2$s name, %3$s bank code,
   * %4$s currency code, e.g. "6225880112345678 上海分公司基本户 — CMB, CNY" */
  return g_strdup_printf (_("%1$s %2$s — %3$s, %4$s"), info->number, info->name, bank,
                          info->currency);
}

static void
update_import_response (TsyImportTargetDialog *self)
{
  gboolean ready = self->account_optional || tsy_import_target_dialog_get_account (self) != NULL;

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "import", ready);
}

static void
update_profile (TsyImportTargetDialog *self)
{
  g_autofree char *name = self->profile != NULL ? g_path_get_basename (self->profile) : NULL;

  gtk_label_set_label (self->profile_label, name != NULL ? name : _("No column profile"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->profile_label), self->profile);
  gtk_widget_set_visible (self->profile_clear_button, self->profile != NULL);
}

/* Signal callbacks ----------------------------------------------------------- */

static void
on_account_dropdown_selected_cb (TsyImportTargetDialog *self)
{
  update_import_response (self);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  TsyImportTargetDialog *self = TSY_IMPORT_TARGET_DIALOG (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        tsy_import_target_dialog_set_profile (self, path);
    }
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
on_profile_button_clicked_cb (TsyImportTargetDialog *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  chooser = gtk_file_chooser_native_new (_("Choose a Column Profile"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Column profiles (*.ini)"));
  gtk_file_filter_add_pattern (filter, "*.ini");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
on_profile_clear_button_clicked_cb (TsyImportTargetDialog *self)
{
  tsy_import_target_dialog_set_profile (self, NULL);
}

/* GObject ------------------------------------------------------------------ */

static void
tsy_import_target_dialog_dispose (GObject *object)
{
  TsyImportTargetDialog *self = TSY_IMPORT_TARGET_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_IMPORT_TARGET_DIALOG);

  G_OBJECT_CLASS (tsy_import_target_dialog_parent_class)->dispose (object);
}

static void
tsy_import_target_dialog_finalize (GObject *object)
{
  TsyImportTargetDialog *self = TSY_IMPORT_TARGET_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->profile, g_free);

  G_OBJECT_CLASS (tsy_import_target_dialog_parent_class)->finalize (object);
}

static void
tsy_import_target_dialog_class_init (TsyImportTargetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_import_target_dialog_dispose;
  object_class->finalize = tsy_import_target_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-import-target-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyImportTargetDialog, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyImportTargetDialog, account_list);
  gtk_widget_class_bind_template_child (widget_class, TsyImportTargetDialog, profile_box);
  gtk_widget_class_bind_template_child (widget_class, TsyImportTargetDialog, profile_label);
  gtk_widget_class_bind_template_child (widget_class, TsyImportTargetDialog, profile_clear_button);
  gtk_widget_class_bind_template_callback (widget_class, on_account_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_clear_button_clicked_cb);
}

static void
tsy_import_target_dialog_init (TsyImportTargetDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Long account names are ellipsized on the button, whole in the list and the tooltip. */
  tsy_ui_drop_down_ellipsize (self->account_dropdown, 36);
  update_profile (self);
}

/* Public API --------------------------------------------------------------- */

gboolean
tsy_import_target_dialog_can_resolve (GFile        *file,
                                      const GError *error)
{
  if (error == NULL)
    return FALSE;
  return is_account_error (error) ||
         g_error_matches (error, TSY_BANK_ERROR, TSY_BANK_ERROR_UNSUPPORTED) ||
         (g_error_matches (error, TSY_BANK_ERROR, TSY_BANK_ERROR_PARSE) && is_csv_name (file));
}

TsyImportTargetDialog *
tsy_import_target_dialog_new (GtkWindow    *parent,
                              GFile        *file,
                              const GError *error,
                              GPtrArray    *accounts,
                              const char   *account)
{
  TsyImportTargetDialog *self;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  gboolean offer_profile;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (TSY_TYPE_IMPORT_TARGET_DIALOG, "transient-for", parent, NULL);
  self->file = file != NULL ? g_object_ref (file) : NULL;
  self->accounts = accounts != NULL ? g_ptr_array_ref (accounts)
                                    : g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_account_info_free);
  /* A layout the program does not read: the file may name its account all the same. */
  self->account_optional = file != NULL && error != NULL && !is_account_error (error);
  offer_profile = file == NULL || error == NULL || !is_account_error (error) ||
                  g_error_matches (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_CURRENCY_MISMATCH) ||
                  is_csv_name (file);

  if (file == NULL)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Import into Account"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                   _("Choose the account the statement files go into, for files that name no account or one under another number, and a column profile for a CSV layout that is not recognised. Then choose the files."));
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "import",
                                             _("_Choose Files…"));
    }
  else
    {
      name = g_file_get_basename (file);
      /* Translators: the heading of the dialog that asks where a refused file goes; %s is a
       * file name. */
      body = g_strdup_printf (_("Import %s"), name);
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), body);
      g_clear_pointer (&body, g_free);
      /* Translators: %1$s is why the import was refused (it names the file). */
      body = g_strdup_printf (_("%1$s\n\nChoose the account the statement goes into, or a column profile that reads its layout. Nothing of the file was kept."),
                              error != NULL ? error->message : "");
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
    }

  if (self->account_optional)
    g_ptr_array_add (titles, g_strdup (_("The account the file names")));
  for (guint i = 0; i < self->accounts->len; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (self->accounts, i);

      g_ptr_array_add (titles, account_title (info));
      if (g_strcmp0 (info->number, account) == 0)
        selected = titles->len - 1;
    }
  g_ptr_array_add (titles, NULL);
  gtk_string_list_splice (self->account_list, 0, 0, (const char * const *) titles->pdata);
  if (selected == GTK_INVALID_LIST_POSITION && self->account_optional)
    selected = 0;
  gtk_drop_down_set_selected (self->account_dropdown, selected);
  gtk_widget_set_visible (self->profile_box, offer_profile);
  update_import_response (self);
  return self;
}

GFile *
tsy_import_target_dialog_get_file (TsyImportTargetDialog *self)
{
  g_return_val_if_fail (TSY_IS_IMPORT_TARGET_DIALOG (self), NULL);

  return self->file;
}

const char *
tsy_import_target_dialog_get_account (TsyImportTargetDialog *self)
{
  guint selected;
  const TsyAccountInfo *info;

  g_return_val_if_fail (TSY_IS_IMPORT_TARGET_DIALOG (self), NULL);

  selected = gtk_drop_down_get_selected (self->account_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || self->accounts == NULL)
    return NULL;
  if (self->account_optional)
    {
      if (selected == 0)
        return NULL;
      selected--;
    }
  if (selected >= self->accounts->len)
    return NULL;
  info = g_ptr_array_index (self->accounts, selected);
  return info->number;
}

gboolean
tsy_import_target_dialog_select_account (TsyImportTargetDialog *self,
                                         const char            *number)
{
  g_return_val_if_fail (TSY_IS_IMPORT_TARGET_DIALOG (self), FALSE);

  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      const TsyAccountInfo *info = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (info->number, number) == 0)
        {
          gtk_drop_down_set_selected (self->account_dropdown, i + (self->account_optional ? 1 : 0));
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tsy_import_target_dialog_get_profile (TsyImportTargetDialog *self)
{
  g_return_val_if_fail (TSY_IS_IMPORT_TARGET_DIALOG (self), NULL);

  return self->profile;
}

void
tsy_import_target_dialog_set_profile (TsyImportTargetDialog *self,
                                      const char            *path)
{
  g_return_if_fail (TSY_IS_IMPORT_TARGET_DIALOG (self));

  if (g_strcmp0 (self->profile, path) == 0)
    return;
  g_free (self->profile);
  self->profile = g_strdup (path);
  update_profile (self);
}

GtkFileChooserNative *
tsy_import_target_dialog_new_files_chooser (GtkWindow *parent)
{
  const char *patterns[] = { "*.sta", "*.mt940", "*.940", "*.942", "*.txt", "*.xml", "*.052",
                             "*.053", "*.054", "*.bai", "*.bai2", "*.ofx", "*.qfx", "*.csv" };
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  chooser = gtk_file_chooser_native_new (_("Import Bank Statements"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  /* The format is read from the content; the names only narrow the list. */
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Bank statements"));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  return chooser;
}
