/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "ledger/tsy-user.h"
#include "tsy-admin-channels.h"
#include "tsy-admin-policies.h"
#include "tsy-admin-session.h"
#include "tsy-admin-users.h"
#include "tsy-admin-window-private.h"
#include "tsy-admin-window.h"
#include "tsy-ui.h"

struct _TsyAdminWindow
{
  AdwWindow         parent_instance;

  AdwToastOverlay  *toast_overlay;
  AdwViewStack     *view_stack;
  GtkDropDown      *actor_dropdown;
  GtkStringList    *actor_list;
  TsyAdminUsers    *users_page;
  TsyAdminPolicies *policies_page;
  TsyAdminChannels *channels_page;

  TsyAdminSession  *session;
  GStrv             admins;     /* the names in actor_list; empty when the ledger has no admin */
  gboolean          syncing;
};

G_DEFINE_FINAL_TYPE (TsyAdminWindow, tsy_admin_window, ADW_TYPE_WINDOW)

enum
{
  LEDGER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The admins to act as -------------------------------------------------------------------------- */

static gboolean
admins_work (TsyStore    *store,
             const char  *actor,
             gpointer     input,
             gpointer    *out_result,
             GError     **error)
{
  g_autoptr(GPtrArray) users = tsy_user_list (store, error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (users == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      const TsyUserInfo *user = g_ptr_array_index (users, i);
      if ((user->roles & TSY_ROLE_ADMIN) && user->active)
        g_strv_builder_add (names, user->name);
    }
  *out_result = g_strv_builder_end (names);
  return TRUE;
}

static void
admins_done (gpointer      owner,
             gpointer      input,
             gpointer      result,
             const GError *error)
{
  TsyAdminWindow *self = owner;
  GStrv names = result;
  const char *current;
  guint selected = 0;

  if (error != NULL)
    {
      tsy_ui_toast_error (GTK_WIDGET (self), error);
      return;
    }
  current = tsy_admin_session_get_actor (self->session);
  g_strfreev (self->admins);
  self->admins = g_strdupv (names);

  self->syncing = TRUE;
  if (names[0] == NULL)
    {
      const char *nobody[] = { _("Nobody (no admin yet)"), NULL };

      gtk_string_list_splice (self->actor_list, 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->actor_list)), nobody);
    }
  else
    {
      gtk_string_list_splice (self->actor_list, 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->actor_list)),
                              (const char * const *) names);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_strcmp0 (names[i], current) == 0)
          selected = i;
    }
  gtk_drop_down_set_selected (self->actor_dropdown, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->actor_dropdown), names[0] != NULL);
  self->syncing = FALSE;
  tsy_admin_session_set_actor (self->session, names[0] != NULL ? names[selected] : NULL);
}

static void
reload_admins (TsyAdminWindow *self)
{
  tsy_admin_session_run (self->session, self, 0, admins_work, NULL, NULL,
                         (GDestroyNotify) g_strfreev, admins_done);
}

/* Callbacks ----------------------------------------------------------------------------------- */

static void
on_actor_dropdown_selected_cb (TsyAdminWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->actor_dropdown);

  if (self->syncing || self->session == NULL || self->admins == NULL)
    return;
  if (selected < g_strv_length (self->admins))
    tsy_admin_session_set_actor (self->session, self->admins[selected]);
}

static void
on_session_changed_cb (TsyAdminWindow *self,
                       guint           change)
{
  if (change & TSY_ADMIN_CHANGE_USERS)
    reload_admins (self);
  g_signal_emit (self, signals[LEDGER_CHANGED], 0);
}

/* Overrides ----------------------------------------------------------------------------------- */

static void
tsy_admin_window_dispose (GObject *object)
{
  TsyAdminWindow *self = TSY_ADMIN_WINDOW (object);

  /* Work in flight finishes on its thread; its results are dropped. */
  if (self->session != NULL)
    tsy_admin_session_cancel (self->session);
  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_ADMIN_WINDOW);
  g_clear_object (&self->session);
  g_clear_pointer (&self->admins, g_strfreev);

  G_OBJECT_CLASS (tsy_admin_window_parent_class)->dispose (object);
}

static void
tsy_admin_window_class_init (TsyAdminWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_admin_window_dispose;

  g_type_ensure (TSY_TYPE_ADMIN_USERS);
  g_type_ensure (TSY_TYPE_ADMIN_POLICIES);
  g_type_ensure (TSY_TYPE_ADMIN_CHANNELS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-admin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, actor_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, actor_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, users_page);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, policies_page);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminWindow, channels_page);
  gtk_widget_class_bind_template_callback (widget_class, on_actor_dropdown_selected_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  /* After a change was written (a user, a band, a channel): other views may reload. */
  signals[LEDGER_CHANGED] =
    g_signal_new ("ledger-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tsy_admin_window_init (TsyAdminWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API ---------------------------------------------------------------------------------- */

TsyAdminWindow *
tsy_admin_window_new (GtkWindow *parent,
                      TsyStore  *store)
{
  TsyAdminWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TSY_IS_STORE (store), NULL);

  self = g_object_new (TSY_TYPE_ADMIN_WINDOW, "transient-for", parent, NULL);
  self->session = tsy_admin_session_new (tsy_store_get_path (store));
  g_signal_connect_object (self->session, "changed", G_CALLBACK (on_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  reload_admins (self);
  tsy_admin_users_set_session (self->users_page, self->session);
  tsy_admin_policies_set_session (self->policies_page, self->session);
  tsy_admin_channels_set_session (self->channels_page, self->session);
  return self;
}

gboolean
tsy_admin_window_set_page (TsyAdminWindow *self,
                           const char     *name)
{
  g_return_val_if_fail (TSY_IS_ADMIN_WINDOW (self), FALSE);

  if (name == NULL || adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    return FALSE;
  adw_view_stack_set_visible_child_name (self->view_stack, name);
  return TRUE;
}

/* Test hooks ---------------------------------------------------------------------------------- */

TsyAdminUsers *
tsy_admin_window_get_users_page (TsyAdminWindow *self)
{
  return self->users_page;
}

TsyAdminPolicies *
tsy_admin_window_get_policies_page (TsyAdminWindow *self)
{
  return self->policies_page;
}

TsyAdminChannels *
tsy_admin_window_get_channels_page (TsyAdminWindow *self)
{
  return self->channels_page;
}

const char *
tsy_admin_window_get_page (TsyAdminWindow *self)
{
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

guint
tsy_admin_window_get_pending (TsyAdminWindow *self)
{
  return tsy_admin_session_get_pending (self->session);
}

gboolean
tsy_admin_window_set_actor (TsyAdminWindow *self,
                            const char     *name)
{
  for (guint i = 0; self->admins != NULL && self->admins[i] != NULL; i++)
    if (g_strcmp0 (self->admins[i], name) == 0)
      {
        gtk_drop_down_set_selected (self->actor_dropdown, i);
        return g_strcmp0 (tsy_admin_session_get_actor (self->session), name) == 0;
      }
  return FALSE;
}

const char *
tsy_admin_window_get_actor (TsyAdminWindow *self)
{
  return tsy_admin_session_get_actor (self->session);
}
