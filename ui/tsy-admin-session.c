/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "ledger/tsy-ledger-error.h"
#include "ledger/tsy-user.h"
#include "tsy-admin-session.h"

struct _TsyAdminSession
{
  GObject       parent_instance;

  char         *path;
  char         *actor;
  GCancellable *cancellable;
  guint         pending;
};

typedef struct
{
  TsyAdminSession *session;
  GObject         *owner;
  TsyAdminChange   change;
  TsyAdminWork     work;
  TsyAdminDone     done;
  char            *path;
  char            *actor;    /* NULL: no admin chosen */
  gpointer         input;
  GDestroyNotify   input_free;
  GDestroyNotify   result_free;
} Job;

G_DEFINE_FINAL_TYPE (TsyAdminSession, tsy_admin_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_ACTOR,
  PROP_PENDING,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
job_free (Job *job)
{
  if (job->input_free != NULL && job->input != NULL)
    job->input_free (job->input);
  g_object_unref (job->owner);
  g_object_unref (job->session);
  g_free (job->path);
  g_free (job->actor);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(TsyStore) store = NULL;
  g_autofree char *actor = NULL;
  gpointer result = NULL;
  GError *error = NULL;

  store = tsy_store_open_existing (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->change != 0 && !tsy_admin_check_actor (store, job->actor, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Like the CLI's "cli:NAME" when no admin is named (the very first admin). */
  actor = job->actor != NULL ? g_strdup (job->actor) : g_strdup_printf ("ui:%s", g_get_user_name ());
  if (!job->work (store, actor, job->input, &result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, job->result_free);
}

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  GTask *task = G_TASK (res);
  Job *job = g_task_get_task_data (task);
  TsyAdminSession *self = job->session;
  g_autoptr(GError) error = NULL;
  gpointer result;

  result = g_task_propagate_pointer (task, &error);
  g_assert (self->pending > 0);
  self->pending--;
  if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error != NULL)
        g_debug ("admin job: %s", error->message);
      job->done (job->owner, job->input, result, error);
      if (error == NULL && job->change != 0)
        g_signal_emit (self, signals[CHANGED], 0, (guint) job->change);
    }
  if (result != NULL && job->result_free != NULL)
    job->result_free (result);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
tsy_admin_session_finalize (GObject *object)
{
  TsyAdminSession *self = TSY_ADMIN_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self->actor);

  G_OBJECT_CLASS (tsy_admin_session_parent_class)->finalize (object);
}

static void
tsy_admin_session_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TsyAdminSession *self = TSY_ADMIN_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_admin_session_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsyAdminSession *self = TSY_ADMIN_SESSION (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_ACTOR:
      tsy_admin_session_set_actor (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsy_admin_session_class_init (TsyAdminSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsy_admin_session_finalize;
  object_class->get_property = tsy_admin_session_get_property;
  object_class->set_property = tsy_admin_session_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
tsy_admin_session_init (TsyAdminSession *self)
{
  self->cancellable = g_cancellable_new ();
}

TsyAdminSession *
tsy_admin_session_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (TSY_TYPE_ADMIN_SESSION, "path", path, NULL);
}

const char *
tsy_admin_session_get_path (TsyAdminSession *self)
{
  g_return_val_if_fail (TSY_IS_ADMIN_SESSION (self), NULL);
  return self->path;
}

const char *
tsy_admin_session_get_actor (TsyAdminSession *self)
{
  g_return_val_if_fail (TSY_IS_ADMIN_SESSION (self), NULL);
  return self->actor;
}

void
tsy_admin_session_set_actor (TsyAdminSession *self,
                             const char      *actor)
{
  g_return_if_fail (TSY_IS_ADMIN_SESSION (self));

  if (actor != NULL && *actor == '\0')
    actor = NULL;
  if (g_strcmp0 (self->actor, actor) == 0)
    return;
  g_free (self->actor);
  self->actor = g_strdup (actor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTOR]);
}

guint
tsy_admin_session_get_pending (TsyAdminSession *self)
{
  g_return_val_if_fail (TSY_IS_ADMIN_SESSION (self), 0);
  return self->pending;
}

void
tsy_admin_session_cancel (TsyAdminSession *self)
{
  g_return_if_fail (TSY_IS_ADMIN_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

void
tsy_admin_session_run (TsyAdminSession *self,
                       gpointer         owner,
                       TsyAdminChange   change,
                       TsyAdminWork     work,
                       gpointer         input,
                       GDestroyNotify   input_free,
                       GDestroyNotify   result_free,
                       TsyAdminDone     done)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TSY_IS_ADMIN_SESSION (self));
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (work != NULL && done != NULL);

  job = g_new0 (Job, 1);
  job->session = g_object_ref (self);
  job->owner = g_object_ref (owner);
  job->change = change;
  job->work = work;
  job->done = done;
  job->path = g_strdup (self->path);
  job->actor = g_strdup (self->actor);
  job->input = input;
  job->input_free = input_free;
  job->result_free = result_free;

  task = g_task_new (NULL, self->cancellable, on_job_done_cb, NULL);
  g_task_set_source_tag (task, tsy_admin_session_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->pending++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  g_task_run_in_thread (task, job_thread);
}

gboolean
tsy_admin_check_actor (TsyStore    *store,
                       const char  *actor,
                       GError     **error)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(TsyUserInfo) who = NULL;

  g_return_val_if_fail (TSY_IS_STORE (store), FALSE);

  if (actor != NULL)
    {
      who = tsy_user_require (store, actor, TSY_ROLE_ADMIN, error);
      return who != NULL;
    }
  users = tsy_user_list (store, error);
  if (users == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    if ((((TsyUserInfo *) users->pdata[i])->roles & TSY_ROLE_ADMIN) != 0)
      {
        g_set_error_literal (error, TSY_LEDGER_ERROR, TSY_LEDGER_ERROR_DENIED,
                             _("Choose the admin who makes this change under “Acting as”"));
        return FALSE;
      }
  return TRUE;
}
