/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "ledger/tsy-bank-channel.h"
#include "ledger/tsy-bank.h"
#include "ledger/tsy-ledger-error.h"
#include "tsy-admin-channels.h"
#include "tsy-admin-util.h"
#include "tsy-labels.h"
#include "tsy-admin-window-private.h"
#include "tsy-ui.h"

struct _TsyAdminChannels
{
  AdwPreferencesPage   parent_instance;

  GtkListBox          *banks_list;
  AdwPreferencesGroup *form_group;
  AdwPreferencesGroup *buttons_group;
  AdwComboRow         *bank_row;
  GtkStringList       *bank_list;
  AdwComboRow         *kind_row;
  AdwEntryRow         *url_row;
  GtkButton           *url_button;
  AdwEntryRow         *cert_row;
  AdwEntryRow         *key_row;
  AdwEntryRow         *ca_row;
  AdwComboRow         *format_row;
  AdwEntryRow         *connect_timeout_row;
  AdwEntryRow         *timeout_row;
  GtkLabel            *error_label;
  GtkSpinner          *spinner;
  GtkButton           *save_button;

  TsyAdminSession     *session;
  GPtrArray           *banks;      /* (element-type TsyBankInfo) as in bank_list */
  GPtrArray           *channels;   /* (element-type TsyBankChannel) */
  char                *error;
  gboolean             syncing;
  gboolean             saving;
};

G_DEFINE_FINAL_TYPE (TsyAdminChannels, tsy_admin_channels, ADW_TYPE_PREFERENCES_PAGE)

/* The items of format_row. */
static const char * const formats[] = { "pain.001.001.09", "pain.001.001.03" };

typedef struct
{
  GPtrArray *banks;
  GPtrArray *channels;
} Loaded;

typedef struct
{
  char     *bank_code;
  gboolean  open;
} OpenInput;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->banks, g_ptr_array_unref);
  g_clear_pointer (&loaded->channels, g_ptr_array_unref);
  g_free (loaded);
}

static void
open_input_free (OpenInput *input)
{
  g_free (input->bank_code);
  g_free (input);
}

static void
set_error (TsyAdminChannels *self,
           const char       *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  tsy_admin_set_error_label (self->error_label, text);
}

static const TsyBankChannel *
find_channel (TsyAdminChannels *self,
              const char       *bank_code)
{
  for (guint i = 0; self->channels != NULL && i < self->channels->len; i++)
    {
      const TsyBankChannel *channel = g_ptr_array_index (self->channels, i);
      if (g_strcmp0 (channel->bank_code, bank_code) == 0)
        return channel;
    }
  return NULL;
}

static const TsyBankInfo *
selected_bank (TsyAdminChannels *self)
{
  guint selected = adw_combo_row_get_selected (self->bank_row);

  if (self->banks == NULL || selected >= self->banks->len)
    return NULL;
  return g_ptr_array_index (self->banks, selected);
}

/* The labels of the file rows follow the kind: sftp has an SSH key and known_hosts. */
static void
update_form_for_kind (TsyAdminChannels *self)
{
  TsyChannelKind kind = adw_combo_row_get_selected (self->kind_row);

  gtk_widget_set_visible (GTK_WIDGET (self->cert_row), kind == TSY_CHANNEL_HTTPS);
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), kind != TSY_CHANNEL_FOLDER);
  gtk_widget_set_visible (GTK_WIDGET (self->ca_row), kind != TSY_CHANNEL_FOLDER);
  gtk_widget_set_visible (GTK_WIDGET (self->url_button), kind == TSY_CHANNEL_FOLDER);
  switch (kind)
    {
    case TSY_CHANNEL_HTTPS:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("URL (https://host:port/path)"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), _("Its Private Key (PEM)"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ca_row), _("The Bank’s CA Certificate (PEM)"));
      break;
    case TSY_CHANNEL_SFTP:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("URL (sftp://user@host:port/path)"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), _("SSH Private Key"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ca_row), _("known_hosts File"));
      break;
    case TSY_CHANNEL_FOLDER:
    default:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("Folder"));
      break;
    }
}

static void
fill_form_from_channel (TsyAdminChannels     *self,
                        const TsyBankChannel *channel)
{
  g_autofree char *connect = tsy_channel_seconds_format (channel != NULL ? channel->connect_timeout_ms : 10000);
  g_autofree char *total = tsy_channel_seconds_format (channel != NULL ? channel->timeout_ms : 60000);

  adw_combo_row_set_selected (self->kind_row, channel != NULL ? (guint) channel->kind : TSY_CHANNEL_HTTPS);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), channel && channel->url ? channel->url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->cert_row), channel && channel->cert_file ? channel->cert_file : "");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), channel && channel->key_file ? channel->key_file : "");
  gtk_editable_set_text (GTK_EDITABLE (self->ca_row), channel && channel->ca_file ? channel->ca_file : "");
  adw_combo_row_set_selected (self->format_row,
                              channel && g_strcmp0 (channel->format, formats[1]) == 0 ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->connect_timeout_row), connect);
  gtk_editable_set_text (GTK_EDITABLE (self->timeout_row), total);
  update_form_for_kind (self);
}

static void
show_form (TsyAdminChannels *self,
           const char       *bank_code)
{
  for (guint i = 0; self->banks != NULL && i < self->banks->len; i++)
    if (g_strcmp0 (((TsyBankInfo *) self->banks->pdata[i])->code, bank_code) == 0)
      {
        self->syncing = TRUE;
        adw_combo_row_set_selected (self->bank_row, i);
        self->syncing = FALSE;
      }
  fill_form_from_channel (self, selected_bank (self) != NULL
                                ? find_channel (self, selected_bank (self)->code) : NULL);
  set_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->form_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->buttons_group), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

static void hide_form (TsyAdminChannels *self);
static void set_open (TsyAdminChannels *self, const char *bank_code, gboolean open);

/* The list ------------------------------------------------------------------------------------ */

static void
add_detail (AdwExpanderRow *expander,
            const char     *title,
            const char     *value,
            gboolean        is_error)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL && *value ? value : "—");
  if (is_error)
    gtk_widget_add_css_class (row, "error");
  adw_expander_row_add_row (expander, row);
}

static void
on_row_connect_clicked_cb (GtkButton *button,
                           gpointer   user_data)
{
  TsyAdminChannels *self = TSY_ADMIN_CHANNELS (user_data);

  show_form (self, g_object_get_data (G_OBJECT (button), "tsy-bank-code"));
}

static void
on_row_switch_active_cb (GtkSwitch  *toggle,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  TsyAdminChannels *self = TSY_ADMIN_CHANNELS (user_data);

  if (!self->syncing)
    set_open (self, g_object_get_data (G_OBJECT (toggle), "tsy-bank-code"),
              gtk_switch_get_active (toggle));
}

static GtkWidget *
bank_row_new (TsyAdminChannels     *self,
              const TsyBankInfo    *bank,
              const TsyBankChannel *channel)
{
  GtkWidget *row = adw_expander_row_new ();
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (row);
  g_autofree char *title = g_strdup_printf ("%s  %s", bank->code, bank->name);
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "tsy-bank-code", g_strdup (bank->code), g_free);

  button = gtk_button_new_with_mnemonic (channel != NULL ? _("_Change…") : _("_Connect…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "tsy-bank-code", g_strdup (bank->code), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_row_connect_clicked_cb), self, 0);

  if (channel == NULL)
    {
      adw_expander_row_set_subtitle (expander, _("No channel"));
      adw_expander_row_set_enable_expansion (expander, FALSE);
      adw_expander_row_add_action (expander, button);
      return row;
    }

  {
    g_autofree char *subtitle = NULL;
    g_autofree char *connect = tsy_channel_seconds_format (channel->connect_timeout_ms);
    g_autofree char *total = tsy_channel_seconds_format (channel->timeout_ms);
    g_autofree char *timeouts = NULL;
    g_autofree char *success = tsy_labels_instant (channel->last_success_at);
    g_autofree char *failure = NULL;
    GtkWidget *state = gtk_label_new (channel->is_open ? _("Open") : _("Closed"));
    GtkWidget *toggle = gtk_switch_new ();
    gboolean failing = channel->last_error_at != NULL &&
                       g_strcmp0 (channel->last_error_at, channel->last_success_at) > 0;

    /* Translators: %1$s a channel kind ("SFTP"), %2$s its URL or folder */
    subtitle = g_strdup_printf (_("%1$s · %2$s"), tsy_labels_channel_kind (channel->kind), channel->url);
    adw_expander_row_set_subtitle (expander, subtitle);
    /* adw_expander_row_add_action() puts each action before the previous ones. */
    adw_expander_row_add_action (expander, button);
    gtk_switch_set_active (GTK_SWITCH (toggle), channel->is_open);
    gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (toggle, _("Open or close the channel"));
    g_object_set_data_full (G_OBJECT (toggle), "tsy-bank-code", g_strdup (bank->code), g_free);
    g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_row_switch_active_cb), self, 0);
    adw_expander_row_add_action (expander, toggle);
    if (!channel->is_open)
      gtk_widget_add_css_class (state, "dim-label");
    adw_expander_row_add_action (expander, state);
    if (failing)
      {
        GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
        gtk_widget_set_tooltip_text (icon, channel->last_error);
        gtk_widget_add_css_class (icon, "warning");
        adw_expander_row_add_action (expander, icon);
      }

    add_detail (expander, _("Payment Format"), channel->format, FALSE);
    if (channel->kind == TSY_CHANNEL_HTTPS)
      add_detail (expander, _("Client Certificate"), channel->cert_file, FALSE);
    if (channel->kind != TSY_CHANNEL_FOLDER)
      {
        add_detail (expander, channel->kind == TSY_CHANNEL_SFTP ? _("SSH Private Key") : _("Private Key"),
                    channel->key_file, FALSE);
        add_detail (expander, channel->kind == TSY_CHANNEL_SFTP ? _("known_hosts File") : _("CA Certificate"),
                    channel->ca_file, FALSE);
      }
    /* Translators: %1$s and %2$s numbers of seconds */
    timeouts = g_strdup_printf (_("connect %1$s s, total %2$s s"), connect, total);
    add_detail (expander, _("Time-outs"), timeouts, FALSE);
    if (channel->last_success_at != NULL && channel->latency_ms >= 0)
      {
        g_autofree char *with_latency = NULL;
        /* Translators: %1$s a date and time, %2$d a latency in milliseconds */
        with_latency = g_strdup_printf (_("%1$s (%2$d ms)"), success, channel->latency_ms);
        add_detail (expander, _("Last Success"), with_latency, FALSE);
      }
    else
      add_detail (expander, _("Last Success"), channel->last_success_at ? success : _("Never"), FALSE);
    if (channel->last_error_at != NULL)
      {
        g_autofree char *when = tsy_labels_instant (channel->last_error_at);
        /* Translators: %1$s a date and time, %2$s an error message */
        failure = g_strdup_printf (_("%1$s: %2$s"), when, channel->last_error ? channel->last_error : "");
      }
    add_detail (expander, _("Last Error"), failure != NULL ? failure : _("None"), failing);
  }
  return row;
}

/* Loading ------------------------------------------------------------------------------------- */

static gboolean
load_work (TsyStore    *store,
           const char  *actor,
           gpointer     input,
           gpointer    *out_result,
           GError     **error)
{
  Loaded *loaded = g_new0 (Loaded, 1);

  loaded->banks = tsy_bank_list (store, error);
  if (loaded->banks != NULL)
    loaded->channels = tsy_bank_channel_list (store, error);
  if (loaded->channels == NULL)
    {
      loaded_free (loaded);
      return FALSE;
    }
  *out_result = loaded;
  return TRUE;
}

static void
load_done (gpointer      owner,
           gpointer      input,
           gpointer      result,
           const GError *error)
{
  TsyAdminChannels *self = owner;
  Loaded *loaded = result;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *current = NULL;
  guint selected = 0;

  if (error != NULL)
    {
      tsy_ui_toast_error (GTK_WIDGET (self), error);
      return;
    }
  if (selected_bank (self) != NULL)
    current = g_strdup (selected_bank (self)->code);
  g_clear_pointer (&self->banks, g_ptr_array_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  self->banks = g_steal_pointer (&loaded->banks);
  self->channels = g_steal_pointer (&loaded->channels);

  names = g_ptr_array_new_with_free_func (g_free);
  tsy_admin_list_box_clear (self->banks_list);
  for (guint i = 0; i < self->banks->len; i++)
    {
      const TsyBankInfo *bank = g_ptr_array_index (self->banks, i);

      gtk_list_box_append (self->banks_list, bank_row_new (self, bank, find_channel (self, bank->code)));
      g_ptr_array_add (names, g_strdup_printf ("%s  %s", bank->code, bank->name));
      if (g_strcmp0 (bank->code, current) == 0)
        selected = i;
    }
  g_ptr_array_add (names, NULL);
  self->syncing = TRUE;
  gtk_string_list_splice (self->bank_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->bank_list)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->bank_row, selected);
  self->syncing = FALSE;
}

/* Saving -------------------------------------------------------------------------------------- */

static gboolean
save_work (TsyStore    *store,
           const char  *actor,
           gpointer     input,
           gpointer    *out_result,
           GError     **error)
{
  return tsy_bank_channel_set (store, input, actor, error);
}

static void
save_done (gpointer      owner,
           gpointer      input,
           gpointer      result,
           const GError *error)
{
  TsyAdminChannels *self = owner;
  TsyBankChannel *channel = input;
  g_autofree char *text = NULL;

  self->saving = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
  if (error != NULL)
    {
      set_error (self, error->message);
      return;
    }
  hide_form (self);
  /* Translators: %s a bank's code */
  text = g_strdup_printf (_("Channel of %s saved and open"), channel->bank_code);
  tsy_ui_toast (GTK_WIDGET (self), text);
}

static char *
entry_text_or_null (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (!gtk_widget_get_visible (GTK_WIDGET (row)) || *text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static void
save_channel (TsyAdminChannels *self)
{
  const TsyBankInfo *bank = selected_bank (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *connect_text = NULL;
  g_autofree char *total_text = NULL;
  TsyBankChannel *channel;
  guint format;

  if (self->session == NULL || self->saving)
    return;
  if (bank == NULL)
    {
      set_error (self, _("Choose a bank"));
      return;
    }
  channel = g_new0 (TsyBankChannel, 1);
  channel->bank_id = bank->id;
  channel->bank_code = g_strdup (bank->code);
  channel->kind = adw_combo_row_get_selected (self->kind_row);
  channel->url = entry_text_or_null (self->url_row);
  channel->cert_file = entry_text_or_null (self->cert_row);
  channel->key_file = entry_text_or_null (self->key_row);
  channel->ca_file = entry_text_or_null (self->ca_row);
  format = adw_combo_row_get_selected (self->format_row);
  channel->format = g_strdup (formats[format < G_N_ELEMENTS (formats) ? format : 0]);
  connect_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->connect_timeout_row))));
  total_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timeout_row))));
  channel->latency_ms = -1;
  if (!tsy_channel_seconds_parse (connect_text, &channel->connect_timeout_ms, &error) ||
      !tsy_channel_seconds_parse (total_text, &channel->timeout_ms, &error))
    {
      set_error (self, error->message);
      tsy_bank_channel_free (channel);
      return;
    }
  /* Everything else (URL scheme, absolute paths, time-out range) is the ledger's to judge. */
  set_error (self, NULL);
  self->saving = TRUE;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  tsy_admin_session_run (self->session, self, TSY_ADMIN_CHANGE_CHANNELS, save_work, channel,
                         (GDestroyNotify) tsy_bank_channel_free, NULL, save_done);
}

/* Opening and closing ------------------------------------------------------------------------- */

static gboolean
open_work (TsyStore    *store,
           const char  *actor,
           gpointer     data,
           gpointer    *out_result,
           GError     **error)
{
  OpenInput *input = data;

  return tsy_bank_channel_set_open (store, input->bank_code, input->open, actor, error);
}

static void
open_done (gpointer      owner,
           gpointer      data,
           gpointer      result,
           const GError *error)
{
  TsyAdminChannels *self = owner;

  if (error != NULL)
    {
      tsy_ui_toast_error (GTK_WIDGET (self), error);
      /* Put the switch back as the ledger has it. */
      tsy_admin_channels_reload (self);
    }
}

static void
set_open (TsyAdminChannels *self,
          const char       *bank_code,
          gboolean          open)
{
  OpenInput *input;

  if (self->session == NULL || bank_code == NULL)
    return;
  input = g_new0 (OpenInput, 1);
  input->bank_code = g_strdup (bank_code);
  input->open = open;
  tsy_admin_session_run (self->session, self, TSY_ADMIN_CHANGE_CHANNELS, open_work, input,
                         (GDestroyNotify) open_input_free, NULL, open_done);
}

/* Callbacks ----------------------------------------------------------------------------------- */

static void
hide_form (TsyAdminChannels *self)
{
  set_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->form_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->buttons_group), FALSE);
}

static void
on_connect_clicked_cb (TsyAdminChannels *self)
{
  const char *code = NULL;

  /* The first bank without a channel, else the first bank. */
  for (guint i = 0; self->banks != NULL && i < self->banks->len && code == NULL; i++)
    if (find_channel (self, ((TsyBankInfo *) self->banks->pdata[i])->code) == NULL)
      code = ((TsyBankInfo *) self->banks->pdata[i])->code;
  if (code == NULL && self->banks != NULL && self->banks->len > 0)
    code = ((TsyBankInfo *) self->banks->pdata[0])->code;
  show_form (self, code);
}

static void
on_bank_row_selected_cb (TsyAdminChannels *self)
{
  const TsyBankInfo *bank = selected_bank (self);

  if (!self->syncing && bank != NULL)
    fill_form_from_channel (self, find_channel (self, bank->code));
}

static void
on_kind_row_selected_cb (TsyAdminChannels *self)
{
  update_form_for_kind (self);
}

static void
on_cancel_clicked_cb (TsyAdminChannels *self)
{
  hide_form (self);
}

static void
on_save_clicked_cb (TsyAdminChannels *self)
{
  save_channel (self);
}

static void
on_url_chosen (GtkWidget  *owner,
               const char *path)
{
  gtk_editable_set_text (GTK_EDITABLE (TSY_ADMIN_CHANNELS (owner)->url_row), path);
}

static void
on_cert_chosen (GtkWidget  *owner,
                const char *path)
{
  gtk_editable_set_text (GTK_EDITABLE (TSY_ADMIN_CHANNELS (owner)->cert_row), path);
}

static void
on_key_chosen (GtkWidget  *owner,
               const char *path)
{
  gtk_editable_set_text (GTK_EDITABLE (TSY_ADMIN_CHANNELS (owner)->key_row), path);
}

static void
on_ca_chosen (GtkWidget  *owner,
              const char *path)
{
  gtk_editable_set_text (GTK_EDITABLE (TSY_ADMIN_CHANNELS (owner)->ca_row), path);
}

static void
on_choose_url_clicked_cb (TsyAdminChannels *self)
{
  tsy_admin_choose_file (GTK_WIDGET (self), _("Choose the Bank’s Folder"), TRUE, on_url_chosen);
}

static void
on_choose_cert_clicked_cb (TsyAdminChannels *self)
{
  tsy_admin_choose_file (GTK_WIDGET (self), _("Choose the Client Certificate"), FALSE, on_cert_chosen);
}

static void
on_choose_key_clicked_cb (TsyAdminChannels *self)
{
  tsy_admin_choose_file (GTK_WIDGET (self), _("Choose the Private Key"), FALSE, on_key_chosen);
}

static void
on_choose_ca_clicked_cb (TsyAdminChannels *self)
{
  tsy_admin_choose_file (GTK_WIDGET (self),
                         adw_combo_row_get_selected (self->kind_row) == TSY_CHANNEL_SFTP
                         ? _("Choose the known_hosts File") : _("Choose the Bank’s CA Certificate"),
                         FALSE, on_ca_chosen);
}

static void
on_session_changed_cb (TsyAdminChannels *self,
                       guint             change)
{
  if (change & TSY_ADMIN_CHANGE_CHANNELS)
    tsy_admin_channels_reload (self);
}

/* Overrides ----------------------------------------------------------------------------------- */

static void
tsy_admin_channels_dispose (GObject *object)
{
  TsyAdminChannels *self = TSY_ADMIN_CHANNELS (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_ADMIN_CHANNELS);
  g_clear_object (&self->session);
  g_clear_pointer (&self->banks, g_ptr_array_unref);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (tsy_admin_channels_parent_class)->dispose (object);
}

static void
tsy_admin_channels_class_init (TsyAdminChannelsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_admin_channels_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-admin-channels.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, banks_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, form_group);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, buttons_group);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, bank_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, bank_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, url_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, url_button);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, cert_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, key_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, ca_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, format_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, connect_timeout_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, timeout_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, error_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminChannels, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_bank_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_url_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_cert_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_key_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_ca_clicked_cb);
}

static void
tsy_admin_channels_init (TsyAdminChannels *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_form_for_kind (self);
}

/* Public API ---------------------------------------------------------------------------------- */

void
tsy_admin_channels_set_session (TsyAdminChannels *self,
                                TsyAdminSession  *session)
{
  g_return_if_fail (TSY_IS_ADMIN_CHANNELS (self));
  g_return_if_fail (TSY_IS_ADMIN_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  tsy_admin_channels_reload (self);
}

void
tsy_admin_channels_reload (TsyAdminChannels *self)
{
  g_return_if_fail (TSY_IS_ADMIN_CHANNELS (self));

  if (self->session == NULL)
    return;
  tsy_admin_session_run (self->session, self, 0, load_work, NULL, NULL,
                         (GDestroyNotify) loaded_free, load_done);
}

/* Test hooks ---------------------------------------------------------------------------------- */

gboolean
tsy_admin_channels_fill (TsyAdminChannels *self,
                         const char       *bank_code,
                         TsyChannelKind    kind,
                         const char       *url,
                         const char       *cert_file,
                         const char       *key_file,
                         const char       *ca_file,
                         const char       *format,
                         const char       *connect_timeout,
                         const char       *timeout)
{
  const TsyBankInfo *bank;

  show_form (self, bank_code);
  bank = selected_bank (self);
  if (bank == NULL || g_strcmp0 (bank->code, bank_code) != 0)
    return FALSE;
  adw_combo_row_set_selected (self->kind_row, kind);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->cert_row), cert_file ? cert_file : "");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), key_file ? key_file : "");
  gtk_editable_set_text (GTK_EDITABLE (self->ca_row), ca_file ? ca_file : "");
  adw_combo_row_set_selected (self->format_row, g_strcmp0 (format, formats[1]) == 0 ? 1 : 0);
  if (connect_timeout != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->connect_timeout_row), connect_timeout);
  if (timeout != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->timeout_row), timeout);
  return TRUE;
}

void
tsy_admin_channels_submit (TsyAdminChannels *self)
{
  save_channel (self);
}

const char *
tsy_admin_channels_get_error (TsyAdminChannels *self)
{
  return self->error;
}

gboolean
tsy_admin_channels_get_form_visible (TsyAdminChannels *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->form_group));
}

void
tsy_admin_channels_set_open (TsyAdminChannels *self,
                             const char       *bank_code,
                             gboolean          open)
{
  set_open (self, bank_code, open);
}

char *
tsy_admin_channels_get_text (TsyAdminChannels *self)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->banks_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_EXPANDER_ROW (row))
      {
        const char *code = g_object_get_data (G_OBJECT (row), "tsy-bank-code");
        const TsyBankChannel *channel = find_channel (self, code);

        g_string_append_printf (text, "%s: %s%s\n", code,
                                adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                                channel == NULL ? "" : channel->is_open ? " [open]" : " [closed]");
      }
  return g_string_free (text, FALSE);
}
