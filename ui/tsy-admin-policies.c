/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-money.h"
#include "ledger/tsy-org.h"
#include "ledger/tsy-policy.h"
#include "tsy-admin-policies.h"
#include "tsy-admin-util.h"
#include "tsy-labels.h"
#include "tsy-admin-window-private.h"
#include "tsy-money-format.h"
#include "tsy-ui.h"

struct _TsyAdminPolicies
{
  AdwPreferencesPage  parent_instance;

  AdwComboRow        *org_row;
  GtkStringList      *org_list;
  AdwPreferencesGroup *bands_group;
  GtkListBox         *bands_list;
  AdwEntryRow        *amount_row;
  AdwEntryRow        *currency_row;
  GtkSpinButton      *approvals_spin;
  AdwComboRow        *role_row;
  GtkLabel           *error_label;
  GtkSpinner         *spinner;
  GtkButton          *set_button;

  TsyAdminSession    *session;
  GPtrArray          *orgs;       /* (element-type TsyOrgInfo) in tree order, as in org_list */
  GPtrArray          *bands;      /* (element-type TsyPolicyBand) of every unit */
  char               *error;
  gboolean            syncing;
  gboolean            setting;
};

G_DEFINE_FINAL_TYPE (TsyAdminPolicies, tsy_admin_policies, ADW_TYPE_PREFERENCES_PAGE)

/* The items of role_row. */
static const TsyRoles band_roles[] = { 0, TSY_ROLE_APPROVER, TSY_ROLE_ADMIN };

typedef struct
{
  GPtrArray *orgs;
  GPtrArray *bands;
} Loaded;

typedef struct
{
  char     *org_code;
  char      currency[4];
  gint64    up_to_minor;
  guint     approvals;
  TsyRoles  role;
} SetInput;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->orgs, g_ptr_array_unref);
  g_clear_pointer (&loaded->bands, g_ptr_array_unref);
  g_free (loaded);
}

static void
set_input_free (SetInput *input)
{
  g_free (input->org_code);
  g_free (input);
}

static void
set_error (TsyAdminPolicies *self,
           const char       *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  tsy_admin_set_error_label (self->error_label, text);
}

static const TsyOrgInfo *
find_org (TsyAdminPolicies *self,
          const char       *code)
{
  if (self->orgs == NULL || code == NULL)
    return NULL;
  for (guint i = 0; i < self->orgs->len; i++)
    {
      const TsyOrgInfo *org = g_ptr_array_index (self->orgs, i);
      if (g_strcmp0 (org->code, code) == 0)
        return org;
    }
  return NULL;
}

static const TsyOrgInfo *
selected_org (TsyAdminPolicies *self)
{
  guint selected = adw_combo_row_get_selected (self->org_row);

  if (self->orgs == NULL || selected >= self->orgs->len)
    return NULL;
  return g_ptr_array_index (self->orgs, selected);
}

static GPtrArray *
bands_of (TsyAdminPolicies *self,
          const char       *code)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; self->bands != NULL && i < self->bands->len; i++)
    {
      TsyPolicyBand *band = g_ptr_array_index (self->bands, i);
      if (g_strcmp0 (band->org_code, code) == 0)
        g_ptr_array_add (list, band);
    }
  return list;
}

static GtkWidget *
band_row_new (const TsyPolicyBand *band,
              const TsyOrgInfo    *from)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *amount = tsy_money_format (band->up_to_minor, band->currency,
                                              TSY_MONEY_FORMAT_CODE);
  g_autofree char *title = NULL;
  g_autofree char *count = NULL;
  GtkWidget *label;

  /* Translators: %s an amount with its currency, "CNY 1,000,000.00" */
  title = g_strdup_printf (_("Up to %s"), amount);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (band->role != 0)
    /* Translators: %1$u approvals, %2$s a role ("Admin") */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%1$u approval, one by a holder of the role %2$s",
                                          "%1$u approvals, one by a holder of the role %2$s",
                                          band->approvals),
                             band->approvals, tsy_labels_role (band->role));
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u approval", "%u approvals",
                                          band->approvals), band->approvals);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), count);
  if (from != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s an organisation unit's code */
      text = g_strdup_printf (_("Inherited from %s"), from->code);
      label = gtk_label_new (text);
      gtk_widget_set_tooltip_text (label, from->name);
      gtk_widget_set_tooltip_text (row, text);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  return row;
}

/* The drop-down's own text: the unit without the indentation that shows the tree in its list. */
static char *
org_label (GtkStringObject *item,
           gpointer         user_data)
{
  g_autofree char *text = g_strdup (gtk_string_object_get_string (item));

  return g_strdup (g_strchug (text));
}

static void
on_org_item_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
on_org_item_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static void
show_bands (TsyAdminPolicies *self)
{
  const TsyOrgInfo *org = selected_org (self);
  const TsyOrgInfo *from = org;
  g_autoptr(GPtrArray) bands = NULL;
  guint depth = 0;

  tsy_admin_list_box_clear (self->bands_list);
  if (org == NULL)
    return;
  /* The unit's own bands, else the nearest unit above with some (as tsy_policy_resolve). */
  bands = bands_of (self, org->code);
  while (bands->len == 0 && from->parent_code != NULL && depth++ < 64)
    {
      from = find_org (self, from->parent_code);
      if (from == NULL)
        break;
      g_ptr_array_unref (bands);
      bands = bands_of (self, from->code);
    }
  /* A new band most likely shares the currency of those shown. */
  if (bands->len > 0 && !self->setting)
    gtk_editable_set_text (GTK_EDITABLE (self->currency_row),
                           ((TsyPolicyBand *) bands->pdata[0])->currency);
  for (guint i = 0; i < bands->len; i++)
    gtk_list_box_append (self->bands_list,
                         band_row_new (g_ptr_array_index (bands, i), from != org ? from : NULL));
  if (bands->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No bands up the tree"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Every payment needs one approval by someone other than its maker"));
      gtk_list_box_append (self->bands_list, row);
    }
  {
    /* Translators: %1$s an organisation unit's code, %2$s its name */
    g_autofree char *title = g_strdup_printf (_("Approval Bands of %1$s %2$s"), org->code, org->name);
    adw_preferences_group_set_title (self->bands_group, title);
  }
}

/* Loading ------------------------------------------------------------------------------------- */

static void
add_subtree (GPtrArray  *orgs,
             GPtrArray  *out,
             GHashTable *depths,
             const char *parent,
             guint       depth)
{
  for (guint i = 0; i < orgs->len; i++)
    {
      TsyOrgInfo *org = g_ptr_array_index (orgs, i);

      if (g_strcmp0 (org->parent_code, parent) != 0 || depth > 64)
        continue;
      g_ptr_array_add (out, g_ptr_array_steal_index (orgs, i));
      g_hash_table_insert (depths, org, GUINT_TO_POINTER (depth));
      i--;
      add_subtree (orgs, out, depths, org->code, depth + 1);
    }
}

static gboolean
load_work (TsyStore    *store,
           const char  *actor,
           gpointer     input,
           gpointer    *out_result,
           GError     **error)
{
  g_autoptr(GPtrArray) orgs = tsy_org_list (store, error);
  Loaded *loaded;

  if (orgs == NULL)
    return FALSE;
  loaded = g_new0 (Loaded, 1);
  loaded->bands = tsy_policy_list (store, NULL, error);
  if (loaded->bands == NULL)
    {
      loaded_free (loaded);
      return FALSE;
    }
  loaded->orgs = g_steal_pointer (&orgs);
  *out_result = loaded;
  return TRUE;
}

static void
load_done (gpointer      owner,
           gpointer      input,
           gpointer      result,
           const GError *error)
{
  TsyAdminPolicies *self = owner;
  Loaded *loaded = result;
  g_autoptr(GHashTable) depths = NULL;
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *current = NULL;
  guint selected = 0;

  if (error != NULL)
    {
      tsy_ui_toast_error (GTK_WIDGET (self), error);
      return;
    }
  if (selected_org (self) != NULL)
    current = g_strdup (selected_org (self)->code);

  depths = g_hash_table_new (NULL, NULL);
  tree = g_ptr_array_new_with_free_func ((GDestroyNotify) tsy_org_info_free);
  add_subtree (loaded->orgs, tree, depths, NULL, 0);
  /* Units whose parent is unknown (never in a consistent ledger) still appear, at the top. */
  while (loaded->orgs->len > 0)
    g_ptr_array_add (tree, g_ptr_array_steal_index (loaded->orgs, 0));

  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < tree->len; i++)
    {
      TsyOrgInfo *org = g_ptr_array_index (tree, i);
      guint depth = GPOINTER_TO_UINT (g_hash_table_lookup (depths, org));
      g_autofree char *indent = g_strnfill (depth * 3, ' ');

      g_ptr_array_add (names, g_strdup_printf ("%s%s  %s", indent, org->code, org->name));
      if (g_strcmp0 (org->code, current) == 0)
        selected = i;
    }
  g_ptr_array_add (names, NULL);

  g_clear_pointer (&self->orgs, g_ptr_array_unref);
  g_clear_pointer (&self->bands, g_ptr_array_unref);
  self->orgs = g_steal_pointer (&tree);
  self->bands = g_steal_pointer (&loaded->bands);

  self->syncing = TRUE;
  gtk_string_list_splice (self->org_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->org_list)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->org_row, selected);
  self->syncing = FALSE;
  show_bands (self);
}

/* Setting a band ------------------------------------------------------------------------------ */

static gboolean
set_work (TsyStore    *store,
          const char  *actor,
          gpointer     data,
          gpointer    *out_result,
          GError     **error)
{
  SetInput *input = data;

  return tsy_policy_set (store, input->org_code, input->currency, input->up_to_minor,
                         input->approvals, input->role, actor, error);
}

static void
set_done (gpointer      owner,
          gpointer      data,
          gpointer      result,
          const GError *error)
{
  TsyAdminPolicies *self = owner;
  SetInput *input = data;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;

  self->setting = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->set_button), TRUE);
  if (error != NULL)
    {
      set_error (self, error->message);
      return;
    }
  set_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), "");
  amount = tsy_money_format (input->up_to_minor, input->currency, TSY_MONEY_FORMAT_CODE);
  /* Translators: %1$s an organisation unit's code, %2$s an amount with its currency */
  text = g_strdup_printf (_("Band of %1$s up to %2$s set"), input->org_code, amount);
  tsy_ui_toast (GTK_WIDGET (self), text);
}

static void
set_band (TsyAdminPolicies *self)
{
  const TsyOrgInfo *org = selected_org (self);
  g_autofree char *currency = NULL;
  const char *amount;
  TsyNumberSymbols symbols;
  guint role_index = adw_combo_row_get_selected (self->role_row);
  g_autoptr(GError) error = NULL;
  SetInput *input;
  gint64 minor = 0;

  if (self->session == NULL || self->setting)
    return;
  if (org == NULL)
    {
      set_error (self, _("Choose an organisation unit"));
      return;
    }
  currency = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (self->currency_row)), -1);
  g_strstrip (currency);
  amount = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));
  tsy_number_symbols_get_locale (&symbols);
  /* The CLI's checks: a known currency, then an amount in its minor units (never a float). */
  if (!tsy_currency_check (currency, &error) ||
      !tsy_money_parse (amount, -1, currency,
                        g_strcmp0 (symbols.decimal_point, ",") == 0 ? TSY_DECIMAL_COMMA
                                                                    : TSY_DECIMAL_POINT,
                        &minor, &error))
    {
      set_error (self, error->message);
      return;
    }

  input = g_new0 (SetInput, 1);
  input->org_code = g_strdup (org->code);
  g_strlcpy (input->currency, currency, sizeof input->currency);
  input->up_to_minor = minor;
  gtk_spin_button_update (self->approvals_spin);   /* a number typed but not yet committed */
  input->approvals = (guint) gtk_spin_button_get_value_as_int (self->approvals_spin);
  input->role = role_index < G_N_ELEMENTS (band_roles) ? band_roles[role_index] : 0;
  set_error (self, NULL);
  self->setting = TRUE;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->set_button), FALSE);
  tsy_admin_session_run (self->session, self, TSY_ADMIN_CHANGE_POLICIES, set_work, input,
                         (GDestroyNotify) set_input_free, NULL, set_done);
}

/* Callbacks ----------------------------------------------------------------------------------- */

static void
on_org_row_selected_cb (TsyAdminPolicies *self)
{
  if (!self->syncing)
    show_bands (self);
}

static void
on_set_clicked_cb (TsyAdminPolicies *self)
{
  set_band (self);
}

static void
on_session_changed_cb (TsyAdminPolicies *self,
                       guint             change)
{
  if (change & TSY_ADMIN_CHANGE_POLICIES)
    tsy_admin_policies_reload (self);
}

/* Overrides ----------------------------------------------------------------------------------- */

static void
tsy_admin_policies_dispose (GObject *object)
{
  TsyAdminPolicies *self = TSY_ADMIN_POLICIES (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), TSY_TYPE_ADMIN_POLICIES);
  g_clear_object (&self->session);
  g_clear_pointer (&self->orgs, g_ptr_array_unref);
  g_clear_pointer (&self->bands, g_ptr_array_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (tsy_admin_policies_parent_class)->dispose (object);
}

static void
tsy_admin_policies_class_init (TsyAdminPoliciesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsy_admin_policies_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/treasurydesk/TreasuryDesk/tsy-admin-policies.ui");
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, org_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, org_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, bands_group);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, bands_list);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, amount_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, currency_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, approvals_spin);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, role_row);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, error_label);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsyAdminPolicies, set_button);
  gtk_widget_class_bind_template_callback (widget_class, on_org_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_set_clicked_cb);
}

static void
tsy_admin_policies_init (TsyAdminPolicies *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkExpression) label = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                G_CALLBACK (org_label), NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_expression (self->org_row, label);
  g_signal_connect (factory, "setup", G_CALLBACK (on_org_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_org_item_bind_cb), NULL);
  adw_combo_row_set_list_factory (self->org_row, factory);
}

/* Public API ---------------------------------------------------------------------------------- */

void
tsy_admin_policies_set_session (TsyAdminPolicies *self,
                                TsyAdminSession  *session)
{
  g_return_if_fail (TSY_IS_ADMIN_POLICIES (self));
  g_return_if_fail (TSY_IS_ADMIN_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  tsy_admin_policies_reload (self);
}

void
tsy_admin_policies_reload (TsyAdminPolicies *self)
{
  g_return_if_fail (TSY_IS_ADMIN_POLICIES (self));

  if (self->session == NULL)
    return;
  tsy_admin_session_run (self->session, self, 0, load_work, NULL, NULL,
                         (GDestroyNotify) loaded_free, load_done);
}

/* Test hooks ---------------------------------------------------------------------------------- */

gboolean
tsy_admin_policies_select_org (TsyAdminPolicies *self,
                               const char       *code)
{
  for (guint i = 0; self->orgs != NULL && i < self->orgs->len; i++)
    if (g_strcmp0 (((TsyOrgInfo *) self->orgs->pdata[i])->code, code) == 0)
      {
        adw_combo_row_set_selected (self->org_row, i);
        return TRUE;
      }
  return FALSE;
}

void
tsy_admin_policies_fill (TsyAdminPolicies *self,
                         const char       *amount,
                         const char       *currency,
                         guint             approvals,
                         TsyRoles          role)
{
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount);
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), currency);
  gtk_spin_button_set_value (self->approvals_spin, approvals);
  for (guint i = 0; i < G_N_ELEMENTS (band_roles); i++)
    if (band_roles[i] == role)
      adw_combo_row_set_selected (self->role_row, i);
}

void
tsy_admin_policies_submit (TsyAdminPolicies *self)
{
  set_band (self);
}

const char *
tsy_admin_policies_get_error (TsyAdminPolicies *self)
{
  return self->error;
}

char *
tsy_admin_policies_get_text (TsyAdminPolicies *self)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->bands_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      {
        g_string_append_printf (text, "%s: %s",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
        if (gtk_widget_get_tooltip_text (row) != NULL)
          g_string_append_printf (text, " (%s)", gtk_widget_get_tooltip_text (row));
        g_string_append_c (text, '\n');
      }
  return g_string_free (text, FALSE);
}
