/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "banks/tsy-crypto.h"
#include "banks/tsy-payment-signer.h"
#include "ledger/tsy-user.h"
#include "tsy-admin-users.h"
#include "tsy-admin-util.h"
#include "tsy-labels.h"
#include "tsy-admin-window-private.h"
#include "tsy-ui.h"

struct _TsyAdminUsers
{
  AdwPreferencesPage  parent_instance;

  GtkListBox         *users_list;
  AdwEntryRow        *name_row;
  GtkCheckButton     *maker_check;
  GtkCheckButton     *approver_check;
  GtkCheckButton     *accountant_check;
  GtkCheckButton     *admin_check;
  AdwComboRow        *key_source_row;
  AdwActionRow       *key_file_row;
  GtkPasswordEntry   *pass1_entry;
  GtkPasswordEntry   *pass2_entry;
  GtkLabel           *error_label;
  GtkSpinner         *spinner;
  GtkButton          *add_button;

  TsyAdminSession    *session;
  char               *key_file;     /* the PEM file to import, or NULL */
  GPtrArray          *users;        /* (element-type TsyUserInfo) as listed */
  char               *error;        /* the inline error shown, or NULL */
  gboolean            adding;
};

G_DEFINE_FINAL_TYPE (TsyAdminUsers, tsy_admin_users, ADW_TYPE_PREFERENCES_PAGE)

enum { KEY_NEW, KEY_IMPORT };

typedef struct
{
  char      *name;
  TsyRoles   roles;
  char      *pem_path;
  TsySecret *passphrase;   /* wiped when freed */
} AddInput;

static void
add_input_free (AddInput *input)
{
  g_free (input->name);
  g_free (input->pem_path);
  tsy_secret_free (input->passphrase);
  g_free (input);
}

static void
set_error (TsyAdminUsers *self,
           const char    *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  tsy_admin_set_error_label (self->error_label, text);
}

static void
set_adding (TsyAdminUsers *self,
            gboolean       adding)
{
  self->adding = adding;
  gtk_spinner_set_spinning (self->spinner, adding);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), !adding);
}

static GtkWidget *
user_row_new (const TsyUserInfo *user)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *roles = tsy_labels_roles (user->roles);
  g_autofree char *key_id = g_strndup (user->key_id != NULL ? user->key_id : "", 16);
  g_autofree char *subtitle = NULL;
  GtkWidget *key_label;
  GtkWidget *icon;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: %1$s the user's roles, %2$s the start of the key's id (hex) */
  subtitle = g_strdup_printf (_("%1$s · key %2$s…"), roles, key_id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, user->key_id);

  if (!user->active)
    {
      GtkWidget *inactive = gtk_label_new (_("Inactive"));
      gtk_widget_add_css_class (inactive, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), inactive);
    }
  icon = gtk_image_new_from_icon_name (user->sealed_key != NULL ? "channel-secure-symbolic"
                                                                : "dialog-warning-symbolic");
  key_label = gtk_label_new (user->sealed_key != NULL ? _("Private key sealed")
                                                      : _("Public key only"));
  if (user->sealed_key == NULL)
    gtk_widget_add_css_class (key_label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), key_label);
  return row;
}

/* Loading ------------------------------------------------------------------------------------- */

static gboolean
list_work (TsyStore    *store,
           const char  *actor,
           gpointer     input,
           gpointer    *out_result,
           GError     **error)
{
  GPtrArray *users = tsy_user_list (store, error);

  *out_result = users;
  return users != NULL;
}

static void
list_done (gpointer      owner,
           gpointer      input,
           gpointer      result,
           const GError *error)
{
  TsyAdminUsers *self = owner;

  if (error != NULL)
    {
      tsy_ui_toast_error (GTK_WIDGET (self), error);
      return;
    }
  g_clear_pointer (&self->users, g_ptr_array_unref);
  self->users = g_ptr_array_ref (result);
  tsy_admin_list_box_clear (self->users_list);
  for (guint i = 0; i < self->users->len; i++)
    gtk_list_box_append (self->users_list, user_row_new (g_ptr_array_index (self->users, i)));
}

/* Adding -------------------------------------------------------------------------------------- */

static gboolean
add_work (TsyStore    *store,
          const char  *actor,
          gpointer     data,
          gpointer    *out_result,
          GError     **error)
{
  AddInput *input = data;

  /* As the CLI: an encrypted PEM opens with the same passphrase that seals the key. */
  return tsy_user_create (store, input->name, input->roles, input->pem_path,
                          input->pem_path != NULL ? input->passphrase : NULL,
                          input->passphrase, actor, error) != 0;
}

static void
add_done (gpointer      owner,
          gpointer      data,
          gpointer      result,
          const GError *error)
{
  TsyAdminUsers *self = owner;
  AddInput *input = data;
  g_autofree char *text = NULL;

  set_adding (self, FALSE);
  if (error != NULL)
    {
      set_error (self, error->message);
      return;
    }
  set_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_check_button_set_active (self->maker_check, FALSE);
  gtk_check_button_set_active (self->approver_check, FALSE);
  gtk_check_button_set_active (self->accountant_check, FALSE);
  gtk_check_button_set_active (self->admin_check, FALSE);
  adw_combo_row_set_selected (self->key_source_row, KEY_NEW);
  g_clear_pointer (&self->key_file, g_free);
  adw_action_row_set_subtitle (self->key_file_row, _("None chosen"));
  /* Translators: %s a user name */
  text = g_strdup_printf (_("User “%s” added"), input->name);
  tsy_ui_toast (GTK_WIDGET (self), text);
}

static void
clear_passphrases (TsyAdminUsers *self)
{
  /* GtkPasswordEntry keeps its text in non-pageable memory and wipes it when replaced. */
  gtk_editable_set_text (GTK_EDITABLE (self->pass1_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pass2_entry), "");
}

static void
add_user (TsyAdminUsers *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *pass1 = gtk_editable_get_text (GTK_EDITABLE (self->pass1_entry));
  const char *pass2 = gtk_editable_get_text (GTK_EDITABLE (self->pass2_entry));
  gboolean import = adw_combo_row_get_selected (self->key_source_row) == KEY_IMPORT;
  TsyRoles roles = 0;
  AddInput *input;

  if (self->session == NULL || self->adding)
    return;
  if (gtk_check_button_get_active (self->maker_check))
    roles |= TSY_ROLE_MAKER;
  if (gtk_check_button_get_active (self->approver_check))
    roles |= TSY_ROLE_APPROVER;
  if (gtk_check_button_get_active (self->accountant_check))
    roles |= TSY_ROLE_ACCOUNTANT;
  if (gtk_check_button_get_active (self->admin_check))
    roles |= TSY_ROLE_ADMIN;

  if (*pass1 == '\0')
    {
      set_error (self, _("Type a passphrase for the user’s key"));
      return;
    }
  if (g_strcmp0 (pass1, pass2) != 0)
    {
      clear_passphrases (self);
      set_error (self, _("The two passphrases differ; type them again"));
      gtk_widget_grab_focus (GTK_WIDGET (self->pass1_entry));
      return;
    }
  if (import && self->key_file == NULL)
    {
      set_error (self, _("Choose the PEM file of the key to import"));
      return;
    }

  input = g_new0 (AddInput, 1);
  input->name = g_strstrip (g_strdup (name));
  input->roles = roles;
  input->pem_path = import ? g_strdup (self->key_file) : NULL;
  input->passphrase = g_strdup (pass1);
  clear_passphrases (self);
  set_error (self, NULL);
  set_adding (self, TRUE);
  tsy_admin_session_run (self->session, self, TSY_ADMIN_CHANGE_USERS, add_work, input,
                         (GDestroyNotify) add_input_free, NULL, add_done);
}

/* Callbacks ----------------------------------------------------------------------------------- */

static void
on_add_clicked_cb (TsyAdminUsers *self)
{
  add_user (self);
}

static void
on_key_source_row_selected_cb (TsyAdminUsers *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->key_file_row),
                          adw_combo_row_get_selected (self->key_source_row) == KEY_IMPORT);
}

static void
on_key_chosen (GtkWidget  *owner,
               const char *path)
{
  TsyAdminUsers *self = TSY_ADMIN_USERS (owner);

  g_free (self->key_file);
  self->key_file = g_strdup (path);
  adw_action_row_set_subtitle (self->key_file_row, path);
}

static void
on_choose_key_clicked_cb (TsyAdminUsers *self)
{
  tsy_admin_choose_file (GTK_WIDGET (self), _("Choose a PEM Private Key"), FALSE, on_key_chosen);
}

static void
on_session_changed_cb (TsyAdminUsers *self,
                       guint          change)
{
  if (change & TSY_ADMIN_CHANGE_USERS)
    tsy_admin_users_reload (self);
}

/* Overrides ----------------------------------------------------------------------------------- */

static void
tsy_admin_users_dispose (GObject *object)
{
  TsyAdminUsers *self = TSY_ADMIN_USERS (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_ADMIN_USERS);
  g_clear_object (&self->session);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->key_file, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (tsy_admin_users_parent_class)->dispose (object);
}

static void
tsy_admin_users_class_init (TsyAdminUsersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_admin_users_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-admin-users.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, users_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, name_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, maker_check);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, approver_check);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, accountant_check);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, admin_check);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, key_source_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, key_file_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, pass1_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, pass2_entry);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, error_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminUsers, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_source_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_key_clicked_cb);
}

static void
tsy_admin_users_init (TsyAdminUsers *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API ---------------------------------------------------------------------------------- */

void
tsy_admin_users_set_session (TsyAdminUsers   *self,
                             TsyAdminSession *session)
{
  g_return_if_fail (TSY_IS_ADMIN_USERS (self));
  g_return_if_fail (TSY_IS_ADMIN_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  tsy_admin_users_reload (self);
}

void
tsy_admin_users_reload (TsyAdminUsers *self)
{
  g_return_if_fail (TSY_IS_ADMIN_USERS (self));

  if (self->session == NULL)
    return;
  tsy_admin_session_run (self->session, self, 0, list_work, NULL, NULL,
                         (GDestroyNotify) g_ptr_array_unref, list_done);
}

/* Test hooks ---------------------------------------------------------------------------------- */

void
tsy_admin_users_fill (TsyAdminUsers *self,
                      const char    *name,
                      TsyRoles       roles,
                      const char    *pem_path,
                      const char    *passphrase,
                      const char    *repeat)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_check_button_set_active (self->maker_check, (roles & TSY_ROLE_MAKER) != 0);
  gtk_check_button_set_active (self->approver_check, (roles & TSY_ROLE_APPROVER) != 0);
  gtk_check_button_set_active (self->accountant_check, (roles & TSY_ROLE_ACCOUNTANT) != 0);
  gtk_check_button_set_active (self->admin_check, (roles & TSY_ROLE_ADMIN) != 0);
  adw_combo_row_set_selected (self->key_source_row, pem_path != NULL ? KEY_IMPORT : KEY_NEW);
  if (pem_path != NULL)
    on_key_chosen (GTK_WIDGET (self), pem_path);
  gtk_editable_set_text (GTK_EDITABLE (self->pass1_entry), passphrase);
  gtk_editable_set_text (GTK_EDITABLE (self->pass2_entry), repeat);
}

void
tsy_admin_users_submit (TsyAdminUsers *self)
{
  add_user (self);
}

const char *
tsy_admin_users_get_error (TsyAdminUsers *self)
{
  return self->error;
}

gboolean
tsy_admin_users_get_passphrases_empty (TsyAdminUsers *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->pass1_entry)) == '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->pass2_entry)) == '\0';
}

char *
tsy_admin_users_get_text (TsyAdminUsers *self)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->users_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (text, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return g_string_free (text, FALSE);
}
