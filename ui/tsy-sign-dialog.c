/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-sign-dialog.h"

typedef struct
{
  GtkEditable       *entry;
  TsySignDialogFunc  func;
  gpointer           data;
  GDestroyNotify     destroy;
} SignDialog;

static void
sign_dialog_free (SignDialog *d)
{
  if (d->destroy != NULL)
    d->destroy (d->data);
  g_free (d);
}

static void
on_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          owner)
{
  SignDialog *d = g_object_get_data (G_OBJECT (dialog), "tsy-sign-dialog");

  if (g_strcmp0 (response, "approve") == 0)
    d->func (owner, gtk_editable_get_text (d->entry), d->data);
  gtk_editable_set_text (d->entry, "");
}

void
tsy_sign_dialog_present (GtkWidget         *owner,
                         const char        *heading,
                         const char        *body,
                         GtkWidget         *extra,
                         const char        *approve_label,
                         TsySignDialogFunc  func,
                         gpointer           data,
                         GDestroyNotify     destroy)
{
  GtkRoot *root = gtk_widget_get_root (owner);
  SignDialog *d = g_new0 (SignDialog, 1);
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  if (extra != NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

      gtk_box_append (GTK_BOX (box), extra);
      gtk_box_append (GTK_BOX (box), entry);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
    }
  else
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "approve", approve_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "approve",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "approve");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  d->entry = GTK_EDITABLE (entry);
  d->func = func;
  d->data = data;
  d->destroy = destroy;
  g_object_set_data_full (G_OBJECT (dialog), "tsy-sign-dialog", d, (GDestroyNotify) sign_dialog_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response_cb), owner, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

GtkWidget *
tsy_sign_dialog_text (const char *text,
                      int         max_height)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "numeric");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), max_height);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  return scrolled;
}
