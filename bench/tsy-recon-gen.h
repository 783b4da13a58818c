/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ledger/tsy-date.h"
#include "ledger/tsy-store.h"

G_BEGIN_DECLS

/*
 * A generator of realistic months for reconciliation, with the truth of every match.
 *
 * Accounts at six banks, each in its bank's format: ICBC (GB18030 CSV, CNY), CCB (UTF-8 CSV,
 * CNY), BOC (MT940, USD, English names), CMB (camt.053.001.02, CNY), HSBC (camt.053.001.08,
 * HKD), Citibank (BAI2, USD: references and text only, so its months pay by reference). Each account has a pool of counterparties (busier ones more often) and a book whose
 * opening balance is the bank's. The cases, drawn per event:
 *   exact reference (end-to-end id / customer reference; in the text for CSV banks), reference
 *   buried in text in several spellings, name-only (the book writes the name another way:
 *   without the city, another legal form, (股份), a short form, spaces, case), same-amount
 *   same-day pairs told apart only by counterparty, payroll and supplier batches under a package
 *   number (资金打包编号), instalments citing a contract, bank charges deducted from a
 *   referenced amount, bank-only charges and interest, book-only items at month end, look-alikes
 *   (a bank-only line and a book-only entry of the same amount and day, other counterparties, no
 *   shared reference) and, rarely, genuinely ambiguous repeats (same counterparty and amount two
 *   days running, no reference).
 */

typedef struct
{
  guint   n_bank_lines;      /* about this many bank lines in all */
  guint   n_accounts;        /* 1–20 */
  guint   months;            /* 1–12 */
  guint32 seed;
  TsyDate start;             /* first day; the book opens on it */
} TsyReconGenOptions;

typedef enum
{
  GEN_EXACT,
  GEN_TEXT,
  GEN_NAME,
  GEN_TWINS,
  GEN_BATCH,
  GEN_INSTALMENTS,
  GEN_CHARGE,
  GEN_BANK_ONLY,
  GEN_BOOK_ONLY,
  GEN_LOOKALIKE,
  GEN_REPEAT,
  GEN_N_CASES
} TsyReconGenCase;

typedef struct
{
  GPtrArray  *accounts;         /* (element-type utf8) account numbers */
  GPtrArray  *statement_files;  /* (element-type utf8) */
  GPtrArray  *file_accounts;    /* (element-type utf8) the account of each file */
  char       *book_csv;
  GHashTable *bank_group;       /* "account|bank_ref" -> group + 1 */
  GHashTable *book_group;       /* book id -> group + 1 */
  GHashTable *group_case;       /* group + 1 -> case + 1 */
  guint64     true_pairs;       /* Σ over true matches of n_bank × n_book */
  guint64     true_pairs_by_case[GEN_N_CASES];
  guint       n_bank;
  guint       n_book;
  guint       events[GEN_N_CASES];
  TsyDate     end;              /* last day */
} TsyReconGenTruth;

void        tsy_recon_gen_options_init (TsyReconGenOptions *options);
const char *tsy_recon_gen_case_name    (TsyReconGenCase     c);
void        tsy_recon_gen_truth_free   (TsyReconGenTruth   *truth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsyReconGenTruth, tsy_recon_gen_truth_free)

/* Adds the group, banks and accounts to an empty store. */
gboolean    tsy_recon_gen_setup     (TsyStore                 *store,
                                     const TsyReconGenOptions *options,
                                     GError                  **error);
/* Writes the statement files and the book CSV into @dir and sets the books' openings. */
TsyReconGenTruth *tsy_recon_gen_write (TsyStore                 *store,
                                       const TsyReconGenOptions *options,
                                       const char               *dir,
                                       GError                  **error);

typedef struct
{
  guint64 matched_pairs;        /* pairs (bank line, book entry) in matches */
  guint64 correct_pairs;        /* of those, true */
  guint64 true_pairs;
  guint64 missed_by_case[GEN_N_CASES];
  guint   matches;
  guint   suggestions;
  guint   wrong_matches;
} TsyReconGenScore;

/* Compares the matches in force with the truth. */
gboolean    tsy_recon_gen_evaluate  (TsyStore               *store,
                                     const TsyReconGenTruth *truth,
                                     TsyReconGenScore       *score,
                                     GError                **error);

G_END_DECLS
