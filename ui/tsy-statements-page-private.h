/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsy-line-detail.h"
#include "tsy-statements-page.h"

G_BEGIN_DECLS

/* For the ui tests: the widgets they drive and inspect. (transfer none) */
GtkColumnView  *tsy_statements_page_get_column_view   (TsyStatementsPage *self);
GtkSearchEntry *tsy_statements_page_get_search_entry  (TsyStatementsPage *self);
GtkEditable    *tsy_statements_page_get_min_entry     (TsyStatementsPage *self);
GtkEditable    *tsy_statements_page_get_max_entry     (TsyStatementsPage *self);
GtkDropDown    *tsy_statements_page_get_account_dropdown (TsyStatementsPage *self);
GtkCalendar    *tsy_statements_page_get_from_calendar (TsyStatementsPage *self);
GtkCalendar    *tsy_statements_page_get_to_calendar   (TsyStatementsPage *self);
GtkLabel       *tsy_statements_page_get_count_label   (TsyStatementsPage *self);
TsyLineDetail  *tsy_statements_page_get_detail        (TsyStatementsPage *self);
/* The text of the last toast the page showed, and whether it was an error. */
const char     *tsy_statements_page_get_last_message  (TsyStatementsPage *self,
                                                       gboolean          *is_error);
/* The dialog open to choose the account (a TsyImportTargetDialog), or NULL. (transfer none) */
GtkWindow      *tsy_statements_page_get_target_dialog (TsyStatementsPage *self);

G_END_DECLS
