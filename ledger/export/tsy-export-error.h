/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSY_EXPORT_ERROR (tsy_export_error_quark ())

typedef enum
{
  TSY_EXPORT_ERROR_IO,
  TSY_EXPORT_ERROR_INVALID,
} TsyExportError;

GQuark tsy_export_error_quark (void);

G_END_DECLS
