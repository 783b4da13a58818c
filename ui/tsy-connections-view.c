/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tsy-connections-view.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "ledger/tsy-bank-channel.h"
#include "tsy-labels.h"
#include "tsy-ui.h"

struct _TsyConnectionsView
{
  GtkWidget     parent_instance;

  TsyStore     *store;
  char         *actor;
  GCancellable *cancellable;
  guint         pending;

  GtkListBox   *channel_list;
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TsyConnectionsView, tsy_connections_view, GTK_TYPE_WIDGET)

typedef struct
{
  char     *path;
  char     *bank_code;
  char     *actor;
  gboolean  open;
} ChannelRequest;

static void
channel_request_free (ChannelRequest *request)
{
  g_free (request->path);
  g_free (request->bank_code);
  g_free (request->actor);
  g_free (request);
}

static void
channel_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ChannelRequest *request = task_data;
  g_autoptr(TsyStore) store = NULL;
  GError *error = NULL;

  store = tsy_store_open_existing (request->path, &error);
  if (store == NULL ||
      !tsy_bank_channel_set_open (store, request->bank_code, request->open, request->actor, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_channel_set_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsyConnectionsView) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pending--;
  /* Cancelled in dispose: the owner may be gone. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    tsy_ui_toast_error (GTK_WIDGET (self), error);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
set_channel_open (TsyConnectionsView *self,
                  const char         *bank_code,
                  gboolean            open)
{
  g_autoptr(GTask) task = NULL;
  ChannelRequest *request;

  if (self->store == NULL || bank_code == NULL)
    return;
  request = g_new0 (ChannelRequest, 1);
  request->path = g_strdup (tsy_store_get_path (self->store));
  request->bank_code = g_strdup (bank_code);
  request->actor = g_strdup (self->actor != NULL ? self->actor : "window");
  request->open = open;
  task = g_task_new (NULL, self->cancellable, on_channel_set_cb, g_object_ref (self));
  g_task_set_source_tag (task, set_channel_open);
  g_task_set_task_data (task, request, (GDestroyNotify) channel_request_free);
  self->pending++;
  g_task_run_in_thread (task, channel_thread);
}

static void
on_channel_switch_cb (GtkSwitch          *sw,
                      GParamSpec         *pspec,
                      TsyConnectionsView *self)
{
  set_channel_open (self, g_object_get_data (G_OBJECT (sw), "tsy-bank-code"),
                    gtk_switch_get_active (sw));
}

static void
tsy_connections_view_dispose (GObject *object)
{
  TsyConnectionsView *self = TSY_CONNECTIONS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSY_TYPE_CONNECTIONS_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsy_connections_view_parent_class)->dispose (object);
}

static void
tsy_connections_view_finalize (GObject *object)
{
  TsyConnectionsView *self = TSY_CONNECTIONS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->actor);
  G_OBJECT_CLASS (tsy_connections_view_parent_class)->finalize (object);
}

static void
tsy_connections_view_class_init (TsyConnectionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_connections_view_dispose;
  object_class->finalize = tsy_connections_view_finalize;

  /**
   * TsyConnectionsView::changed:
   *
   * A channel was opened or closed (or the attempt failed): the owner queries again.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-connections-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyConnectionsView, channel_list);
}

static void
tsy_connections_view_init (TsyConnectionsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
tsy_connections_view_new (void)
{
  return g_object_new (TSY_TYPE_CONNECTIONS_VIEW, NULL);
}

void
tsy_connections_view_set_store (TsyConnectionsView *self,
                                TsyStore           *store)
{
  g_return_if_fail (TSY_IS_CONNECTIONS_VIEW (self));

  g_set_object (&self->store, store);
}

void
tsy_connections_view_set_actor (TsyConnectionsView *self,
                                const char         *actor)
{
  g_return_if_fail (TSY_IS_CONNECTIONS_VIEW (self));

  g_free (self->actor);
  self->actor = g_strdup (actor);
}

void
tsy_connections_view_set_channels (TsyConnectionsView *self,
                                   GPtrArray          *channels)
{
  GtkWidget *child;

  g_return_if_fail (TSY_IS_CONNECTIONS_VIEW (self));
  g_return_if_fail (channels != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->channel_list))) != NULL)
    gtk_list_box_remove (self->channel_list, child);
  if (channels->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No bank is connected yet (treasury bank connect)."));
      gtk_list_box_append (self->channel_list, row);
      return;
    }
  for (guint i = 0; i < channels->len; i++)
    {
      const TsyBankChannel *channel = g_ptr_array_index (channels, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *latency = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *success = tsy_labels_instant (channel->last_success_at);

      latency = channel->latency_ms >= 0
        /* Translators: latency of a bank channel in milliseconds */
        ? g_strdup_printf (_("%d ms"), channel->latency_ms) : g_strdup ("—");
      /* Translators: a bank channel: kind (https, sftp, folder), state, last success,
       * last error, latency */
      subtitle = g_strdup_printf (_("%1$s · %2$s · last success %3$s · last error %4$s · %5$s"),
                                  tsy_labels_channel_kind (channel->kind),
                                  channel->is_open ? _("open") : _("closed"),
                                  success,
                                  channel->last_error != NULL ? channel->last_error : "—",
                                  latency);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), channel->bank_code);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_switch_set_active (GTK_SWITCH (sw), channel->is_open);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (sw, _("Open or close the channel to this bank"));
      g_object_set_data_full (G_OBJECT (sw), "tsy-bank-code", g_strdup (channel->bank_code), g_free);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_channel_switch_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      gtk_list_box_append (self->channel_list, row);
    }
}

guint
tsy_connections_view_get_pending (TsyConnectionsView *self)
{
  g_return_val_if_fail (TSY_IS_CONNECTIONS_VIEW (self), 0);

  return self->pending;
}
