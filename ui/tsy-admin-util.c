/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "tsy-admin-util.h"

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  GtkWidget *owner = g_object_get_data (G_OBJECT (chooser), "tsy-owner");
  TsyAdminFileChosen chosen = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        chosen (owner, path);
    }
  g_object_unref (chooser);
}

void
tsy_admin_choose_file (GtkWidget          *owner,
                       const char         *title,
                       gboolean            folder,
                       TsyAdminFileChosen  chosen)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root = gtk_widget_get_root (owner);

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "tsy-owner", g_object_ref (owner), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), chosen);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
tsy_admin_list_box_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

void
tsy_admin_set_error_label (GtkLabel   *label,
                           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

