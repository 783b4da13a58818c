/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "banks/tsy-demo-statements.h"
#include "ledger/tsy-ledger-error.h"
#include "tsy-accounts-page.h"
#include "tsy-admin-window.h"
#include "tsy-payments-page.h"
#include "tsy-placeholder-page.h"
#include "tsy-reconciliation-page.h"
#include "tsy-statements-page.h"
#include "tsy-ui.h"
#include "tsy-welcome-page.h"
#include "tsy-window.h"

struct _TsyWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *main_stack;
  GtkSpinner          *opening_spinner;
  TsyWelcomePage      *welcome_page;
  AdwLeaflet          *leaflet;
  GtkListBox          *sidebar_list;
  AdwWindowTitle      *window_title;
  AdwViewStack        *view_stack;
  TsyAccountsPage     *accounts_page;
  TsyStatementsPage   *statements_page;
  TsyPaymentsPage     *payments_page;
  TsyReconciliationPage *reconciliation_page;

  GtkSelectionModel   *pages;
  GSettings           *settings;
  GCancellable        *cancellable;   /* the open / create / demo under way */
  GtkNativeDialog     *chooser;
  TsyStore            *store;
  char                *database_path;
  GtkWindow           *admin_window;  /* the Administration window while it is open */
};

G_DEFINE_FINAL_TYPE (TsyWindow, tsy_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  CHOOSE_OPEN,
  CHOOSE_NEW,
  CHOOSE_DEMO,
} ChooserPurpose;

static void run_chooser (TsyWindow      *self,
                         ChooserPurpose  purpose);

typedef struct
{
  char     *path;
  gboolean  demo;
  gboolean  must_be_new;
} CreateRequest;

static void
create_request_free (CreateRequest *request)
{
  g_free (request->path);
  g_free (request);
}

/* Helpers ---------------------------------------------------------------- */

static GCancellable *
start_operation (TsyWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-operation", TRUE);
  return self->cancellable;
}

static void
end_operation (TsyWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-operation", FALSE);
  gtk_spinner_set_spinning (self->opening_spinner, FALSE);
  tsy_welcome_page_set_busy (self->welcome_page, FALSE, NULL);
}

static void
show_toast_error (TsyWindow    *self,
                  const GError *error)
{
  tsy_ui_toast_error (GTK_WIDGET (self->toast_overlay), error);
}

static void
set_database_path (TsyWindow  *self,
                   const char *path)
{
  if (g_strcmp0 (self->database_path, path) == 0)
    return;
  g_free (self->database_path);
  self->database_path = g_strdup (path);
  tsy_welcome_page_set_path (self->welcome_page, path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

static void
update_title (TsyWindow *self)
{
  g_autofree char *basename = NULL;
  g_autofree char *dirname = NULL;
  g_autofree char *title = NULL;
  const char *home = g_get_home_dir ();

  if (self->store == NULL || self->database_path == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Treasury Desk"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Treasury Desk"));
      return;
    }

  basename = g_path_get_basename (self->database_path);
  dirname = g_path_get_dirname (self->database_path);
  if (home != NULL && g_str_has_prefix (dirname, home) &&
      (dirname[strlen (home)] == '/' || dirname[strlen (home)] == '\0'))
    {
      char *tilde = g_strconcat ("~", dirname + strlen (home), NULL);
      g_free (dirname);
      dirname = tilde;
    }
  adw_window_title_set_title (self->window_title, basename);
  adw_window_title_set_subtitle (self->window_title, dirname);
  /* Translators: the window title; %s is the database file name. */
  title = g_strdup_printf (_("%s — Treasury Desk"), basename);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
set_store (TsyWindow  *self,
           TsyStore   *store,
           const char *path)
{
  set_database_path (self, path);
  if (g_set_object (&self->store, store))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
      /* The Administration window works on one database: it closes when another opens. */
      if (self->admin_window != NULL)
        gtk_window_destroy (self->admin_window);
    }
  tsy_accounts_page_set_store (self->accounts_page, store);
  tsy_statements_page_set_store (self->statements_page, store);
  tsy_payments_page_set_store (self->payments_page, store);
  tsy_reconciliation_page_set_store (self->reconciliation_page, store);
  update_title (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.administration", store != NULL);

  if (store != NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "main");
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "last-database", path);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }
}

/* Opening ---------------------------------------------------------------- */

static void
on_open_failed_dialog_response_cb (AdwMessageDialog *dialog,
                                   const char       *response,
                                   gpointer          user_data)
{
  TsyWindow *self = TSY_WINDOW (user_data);

  if (g_strcmp0 (response, "open") == 0)
    run_chooser (self, CHOOSE_OPEN);
}

/* A database that exists but cannot be opened needs the user to decide:
 * pick another file, or keep what is on screen. */
static void
show_open_failed (TsyWindow    *self,
                  const char   *path,
                  const GError *error)
{
  GtkWidget *dialog;

  g_debug ("cannot open %s: %s", path, error->message);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Open the Database"),
                                   error->message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"),
                                    "open", _("_Open Another…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_open_failed_dialog_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  TsyStore *store;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Not an error for the user: the welcome page offers to create it. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", path);
      return;
    }
  store = tsy_store_open_existing (path, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
on_store_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TsyWindow *self = TSY_WINDOW (source);
  GTask *task = G_TASK (result);
  g_autoptr(TsyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = g_task_get_task_data (task);

  store = g_task_propagate_pointer (task, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  end_operation (self);

  if (store != NULL)
    {
      set_store (self, store, path);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    show_open_failed (self, path, error);
  if (self->store == NULL)
    {
      /* Nothing may be created over a file that is there but unusable. */
      tsy_welcome_page_set_can_create (self->welcome_page,
                                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.create-database",
                                     tsy_welcome_page_get_can_create (self->welcome_page));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-demo-here",
                                     tsy_welcome_page_get_can_create (self->welcome_page));
      set_database_path (self, path);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
    }
}

/* Creating, with or without the demo -------------------------------------- */

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CreateRequest *request = task_data;
  g_autofree char *dir = g_path_get_dirname (request->path);
  GError *error = NULL;
  TsyStore *store;

  if (request->must_be_new && g_file_test (request->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               /* Translators: %s is a file path. */
                               _("“%s” exists already. Open it, or choose another name for the new database."),
                               request->path);
      return;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               /* Translators: %1$s is a folder, %2$s the system's reason. */
                               _("Cannot create the folder “%1$s”: %2$s"),
                               dir, g_strerror (saved_errno));
      return;
    }
  store = tsy_store_open (request->path, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
on_demo_filled_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* carries the window and the request */
  TsyWindow *self = g_task_get_source_object (task);
  CreateRequest *request = g_task_get_task_data (task);
  TsyStore *store = TSY_STORE (source);
  g_autoptr(GError) error = NULL;

  if (!tsy_demo_load_finish (store, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      end_operation (self);
      show_toast_error (self, error);
      if (self->store == NULL)
        gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      else
        gtk_stack_set_visible_child_name (self->main_stack, "main");
      return;
    }
  end_operation (self);
  set_store (self, store, request->path);
  tsy_ui_toast (GTK_WIDGET (self->toast_overlay), _("Demo data loaded"));
}

static void
on_store_created_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TsyWindow *self = TSY_WINDOW (source);
  GTask *task = G_TASK (result);
  CreateRequest *request = g_task_get_task_data (task);
  g_autoptr(TsyStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = g_task_propagate_pointer (task, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (store == NULL)
    {
      end_operation (self);
      show_toast_error (self, error);
      if (self->store != NULL)
        gtk_stack_set_visible_child_name (self->main_stack, "main");
      return;
    }
  if (!request->demo)
    {
      end_operation (self);
      set_store (self, store, request->path);
      return;
    }
  /* The demo group and a month of its statement files, kept beside the database and imported
   * through the parsers: what `treasury demo` does. */
  {
    g_autofree char *dir = g_strconcat (request->path, ".statements", NULL);
    tsy_demo_load_async (store, dir, self->cancellable, on_demo_filled_cb, g_object_ref (task));
  }
}

static void
create_database (TsyWindow  *self,
                 const char *path,
                 gboolean    demo,
                 gboolean    must_be_new)
{
  GCancellable *cancellable = start_operation (self);
  CreateRequest *request = g_new0 (CreateRequest, 1);
  g_autoptr(GTask) task = NULL;

  request->path = g_strdup (path);
  request->demo = demo;
  request->must_be_new = must_be_new;

  tsy_welcome_page_set_busy (self->welcome_page, TRUE,
                             demo ? _("Loading the demo group: companies, banks, accounts, and a month of balances and bank statements…")
                                  : _("Creating the database…"));
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");

  task = g_task_new (self, cancellable, on_store_created_cb, NULL);
  g_task_set_source_tag (task, create_database);
  g_task_set_task_data (task, request, (GDestroyNotify) create_request_free);
  g_task_run_in_thread (task, create_thread);
}

/* File choosers ------------------------------------------------------------ */

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  TsyWindow *self = TSY_WINDOW (user_data);
  ChooserPurpose purpose = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "purpose"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      tsy_ui_toast (GTK_WIDGET (self->toast_overlay),
                    _("Only local files can hold a database"));
      return;
    }

  switch (purpose)
    {
    case CHOOSE_OPEN:
      tsy_window_open_database (self, path);
      break;
    case CHOOSE_NEW:
      create_database (self, path, FALSE, TRUE);
      break;
    case CHOOSE_DEMO:
      create_database (self, path, TRUE, FALSE);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
run_chooser (TsyWindow      *self,
             ChooserPurpose  purpose)
{
  GtkFileChooserAction action = purpose == CHOOSE_OPEN ? GTK_FILE_CHOOSER_ACTION_OPEN
                                                       : GTK_FILE_CHOOSER_ACTION_SAVE;
  const char *title = NULL;
  const char *accept = NULL;
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  switch (purpose)
    {
    case CHOOSE_OPEN:
      title = _("Open Database");
      accept = _("_Open");
      break;
    case CHOOSE_NEW:
      title = _("New Database");
      accept = _("_Create");
      break;
    case CHOOSE_DEMO:
      title = _("Load Demo Data into a New Database");
      accept = _("_Create");
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Treasury databases"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  gtk_file_filter_add_pattern (filter, "*.sqlite3");
  gtk_file_filter_add_mime_type (filter, "application/vnd.sqlite3");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  if (purpose != CHOOSE_OPEN)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                       purpose == CHOOSE_DEMO ? "treasury-demo.db"
                                                              : "treasury.db");
  if (self->database_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->database_path);
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      if (g_file_query_exists (folder, NULL))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  g_object_set_data (G_OBJECT (chooser), "purpose", GINT_TO_POINTER (purpose));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* Actions ------------------------------------------------------------------ */

static void
open_database_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  run_chooser (TSY_WINDOW (widget), CHOOSE_OPEN);
}

static void
new_database_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  run_chooser (TSY_WINDOW (widget), CHOOSE_NEW);
}

static void
load_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  run_chooser (TSY_WINDOW (widget), CHOOSE_DEMO);
}

static void
create_database_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TsyWindow *self = TSY_WINDOW (widget);

  if (self->database_path != NULL)
    create_database (self, self->database_path, FALSE, TRUE);
}

static void
load_demo_here_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TsyWindow *self = TSY_WINDOW (widget);

  if (self->database_path != NULL)
    create_database (self, self->database_path, TRUE, FALSE);
}

static void
cancel_operation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TsyWindow *self = TSY_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  end_operation (self);
  gtk_stack_set_visible_child_name (self->main_stack, self->store != NULL ? "main" : "welcome");
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TsyWindow *self = TSY_WINDOW (widget);

  tsy_accounts_page_reload (self->accounts_page);
  tsy_statements_page_reload (self->statements_page);
  tsy_payments_page_reload (self->payments_page);
  tsy_reconciliation_page_reload (self->reconciliation_page);
}

/* win.administration: opens (or raises) the Administration window, on the page named by the
 * parameter ("users", "policies", "channels"; "" keeps the page shown). */
static void
on_admin_window_destroy_cb (TsyWindow *self)
{
  self->admin_window = NULL;
}

/* Users, bands and channels show on the Payments page (user picker, channels' health). */
static void
on_admin_window_ledger_changed_cb (TsyWindow *self)
{
  tsy_payments_page_reload (self->payments_page);
}

static void
administration_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TsyWindow *self = TSY_WINDOW (widget);
  const char *page = parameter != NULL ? g_variant_get_string (parameter, NULL) : "";

  if (self->store == NULL)
    return;
  if (self->admin_window == NULL)
    {
      self->admin_window = GTK_WINDOW (tsy_admin_window_new (GTK_WINDOW (self), self->store));
      gtk_window_set_destroy_with_parent (self->admin_window, TRUE);
      g_signal_connect_object (self->admin_window, "destroy",
                               G_CALLBACK (on_admin_window_destroy_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->admin_window, "ledger-changed",
                               G_CALLBACK (on_admin_window_ledger_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  if (*page != '\0')
    tsy_admin_window_set_page (TSY_ADMIN_WINDOW (self->admin_window), page);
  gtk_window_present (self->admin_window);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsyWindow *self = TSY_WINDOW (widget);

  if (self->store == NULL)
    return;
  /* The Statements page has a search of its own. */
  if (adw_view_stack_get_visible_child (self->view_stack) == GTK_WIDGET (self->statements_page))
    {
      tsy_statements_page_focus_search (self->statements_page);
      return;
    }
  adw_view_stack_set_visible_child (self->view_stack, GTK_WIDGET (self->accounts_page));
  gtk_list_box_select_row (self->sidebar_list,
                           gtk_list_box_get_row_at_index (self->sidebar_list, 0));
  tsy_accounts_page_focus_search (self->accounts_page);
}

/* Sidebar ------------------------------------------------------------------ */

static GtkWidget *
create_sidebar_row (gpointer item,
                    gpointer user_data)
{
  AdwViewStackPage *page = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  g_object_bind_property (page, "icon-name", image, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
on_sidebar_list_row_selected_cb (TsyWindow     *self,
                                 GtkListBoxRow *row)
{
  g_autoptr(AdwViewStackPage) page = NULL;

  if (row == NULL)
    return;
  page = g_list_model_get_item (G_LIST_MODEL (self->pages), gtk_list_box_row_get_index (row));
  if (page != NULL)
    adw_view_stack_set_visible_child (self->view_stack, adw_view_stack_page_get_child (page));
}

static void
on_sidebar_list_row_activated_cb (TsyWindow     *self,
                                  GtkListBoxRow *row)
{
  on_sidebar_list_row_selected_cb (self, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_back_button_clicked_cb (TsyWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Statement balances become account balances. */
static void
on_statements_page_imported_cb (TsyWindow *self)
{
  tsy_accounts_page_reload (self->accounts_page);
  tsy_reconciliation_page_reload (self->reconciliation_page);
}

/* GObject ------------------------------------------------------------------ */

static gboolean
tsy_window_close_request (GtkWindow *window)
{
  TsyWindow *self = TSY_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", MAX (width, 360));
          g_settings_set_int (self->settings, "window-height", MAX (height, 294));
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (tsy_window_parent_class)->close_request (window);
}

static void
tsy_window_dispose (GObject *object)
{
  TsyWindow *self = TSY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  if (self->admin_window != NULL)
    gtk_window_destroy (self->admin_window);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_WINDOW);

  g_clear_object (&self->pages);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsy_window_parent_class)->dispose (object);
}

static void
tsy_window_finalize (GObject *object)
{
  TsyWindow *self = TSY_WINDOW (object);

  g_clear_pointer (&self->database_path, g_free);

  G_OBJECT_CLASS (tsy_window_parent_class)->finalize (object);
}

static void
tsy_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TsyWindow *self = TSY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TsyWindow *self = TSY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      if (g_value_get_string (value) != NULL)
        tsy_window_open_database (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_window_class_init (TsyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tsy_window_dispose;
  object_class->finalize = tsy_window_finalize;
  object_class->get_property = tsy_window_get_property;
  object_class->set_property = tsy_window_set_property;
  window_class->close_request = tsy_window_close_request;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TSY_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSY_TYPE_ACCOUNTS_PAGE);
  g_type_ensure (TSY_TYPE_PAYMENTS_PAGE);
  g_type_ensure (TSY_TYPE_PLACEHOLDER_PAGE);
  g_type_ensure (TSY_TYPE_STATEMENTS_PAGE);
  g_type_ensure (TSY_TYPE_RECONCILIATION_PAGE);
  g_type_ensure (TSY_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, opening_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, statements_page);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, payments_page);
  gtk_widget_class_bind_template_child (widget_class, TsyWindow, reconciliation_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_statements_page_imported_cb);

  gtk_widget_class_install_action (widget_class, "win.open-database", NULL, open_database_action);
  gtk_widget_class_install_action (widget_class, "win.new-database", NULL, new_database_action);
  gtk_widget_class_install_action (widget_class, "win.load-demo", NULL, load_demo_action);
  gtk_widget_class_install_action (widget_class, "win.create-database", NULL, create_database_action);
  gtk_widget_class_install_action (widget_class, "win.load-demo-here", NULL, load_demo_here_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-operation", NULL, cancel_operation_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.administration", "s", administration_action);
}

static void
tsy_window_init (TsyWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pages = adw_view_stack_get_pages (self->view_stack);
  gtk_list_box_bind_model (self->sidebar_list, G_LIST_MODEL (self->pages),
                           create_sidebar_row, NULL, NULL);
  gtk_list_box_select_row (self->sidebar_list,
                           gtk_list_box_get_row_at_index (self->sidebar_list, 0));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-operation", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.administration", FALSE);

  self->settings = tsy_ui_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);
    }

  update_title (self);
}

/* Public API --------------------------------------------------------------- */

/**
 * tsy_window_new:
 * @application: (nullable): the application
 * @database_path: the database to show (or to offer to create)
 */
TsyWindow *
tsy_window_new (GtkApplication *application,
                const char     *database_path)
{
  return g_object_new (TSY_TYPE_WINDOW,
                       "application", application,
                       "database-path", database_path,
                       NULL);
}

const char *
tsy_window_get_database_path (TsyWindow *self)
{
  g_return_val_if_fail (TSY_IS_WINDOW (self), NULL);

  return self->database_path;
}

void
tsy_window_open_database (TsyWindow  *self,
                          const char *path)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;

  g_return_if_fail (TSY_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  cancellable = start_operation (self);
  if (self->store == NULL)
    {
      set_database_path (self, path);
      gtk_spinner_set_spinning (self->opening_spinner, TRUE);
      gtk_stack_set_visible_child_name (self->main_stack, "opening");
    }

  task = g_task_new (self, cancellable, on_store_opened_cb, NULL);
  g_task_set_source_tag (task, tsy_window_open_database);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

TsyStore *
tsy_window_get_store (TsyWindow *self)
{
  g_return_val_if_fail (TSY_IS_WINDOW (self), NULL);

  return self->store;
}

TsyAccountsPage *
tsy_window_get_accounts_page (TsyWindow *self)
{
  g_return_val_if_fail (TSY_IS_WINDOW (self), NULL);

  return self->accounts_page;
}

TsyStatementsPage *
tsy_window_get_statements_page (TsyWindow *self)
{
  g_return_val_if_fail (TSY_IS_WINDOW (self), NULL);

  return self->statements_page;
}

TsyReconciliationPage *
tsy_window_get_reconciliation_page (TsyWindow *self)
{
  g_return_val_if_fail (TSY_IS_WINDOW (self), NULL);

  return self->reconciliation_page;
}
