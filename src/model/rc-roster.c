/* rc-roster.c — the members of a chamber on one day, sorted for the board. */
#include "rc-roster.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rc-collate.h"
#include "rc-error.h"
#include "rc-types.h"

struct _RcRoster
{
  gint ref_count;
  RcMember *members;
  guint n_members;
  GHashTable *by_code; /* code → index + 1 */
};

static void
member_clear (RcMember *m)
{
  g_clear_pointer (&m->code, g_free);
  g_clear_pointer (&m->name, g_free);
  g_clear_pointer (&m->label, g_free);
  g_clear_pointer (&m->sort_key, g_free);
}

static int
compare_members (gconstpointer a, gconstpointer b)
{
  const RcMember *ma = a, *mb = b;
  int r = strcmp (ma->sort_key, mb->sort_key);

  return r != 0 ? r : strcmp (ma->code, mb->code);
}

static RcRoster *
roster_new (RcMember *members, guint n_members, gboolean sort, GError **error)
{
  RcRoster *self;

  g_return_val_if_fail (members != NULL || n_members == 0, NULL);

  self = g_new0 (RcRoster, 1);
  self->ref_count = 1;
  self->n_members = n_members;
  self->members = g_new0 (RcMember, MAX (n_members, 1));
  if (n_members > 0)
    {
      memcpy (self->members, members, sizeof (RcMember) * n_members);
      memset (members, 0, sizeof (RcMember) * n_members);
    }
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_members; i++)
    {
      RcMember *m = &self->members[i];

      if (m->name == NULL || *m->name == '\0')
        m->name = g_strdup (m->code != NULL ? m->code : "");
      if (m->label == NULL || *m->label == '\0')
        {
          g_free (m->label);
          m->label = g_strdup (m->name);
        }
      if (m->sort_key == NULL || *m->sort_key == '\0')
        {
          g_free (m->sort_key);
          m->sort_key = rc_collate_key (m->name);
        }
    }

  for (guint i = 0; i < n_members; i++)
    {
      const char *code = self->members[i].code;

      if (code == NULL || *code == '\0' || !g_utf8_validate (code, -1, NULL))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("member %u of the roster has no valid code"), i + 1);
          rc_roster_unref (self);
          return NULL;
        }
      if (strlen (code) > RC_ID_MAX)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("the code of member %u of the roster is longer than %d bytes"), i + 1,
                       RC_ID_MAX);
          rc_roster_unref (self);
          return NULL;
        }
      if (g_hash_table_contains (self->by_code, code))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _("member code %s appears twice on the roster"), code);
          rc_roster_unref (self);
          return NULL;
        }
      g_hash_table_add (self->by_code, (gpointer) code);
    }

  if (sort && n_members > 1)
    qsort (self->members, n_members, sizeof (RcMember), compare_members);

  /* Valid codes, now in board order: index them. */
  g_hash_table_remove_all (self->by_code);
  for (guint i = 0; i < n_members; i++)
    g_hash_table_insert (self->by_code, self->members[i].code, GUINT_TO_POINTER (i + 1));

  return self;
}

RcRoster *
rc_roster_new (RcMember *members, guint n_members, GError **error)
{
  return roster_new (members, n_members, TRUE, error);
}

RcRoster *
rc_roster_new_in_order (RcMember *members, guint n_members, GError **error)
{
  return roster_new (members, n_members, FALSE, error);
}

RcRoster *
rc_roster_ref (RcRoster *roster)
{
  g_return_val_if_fail (roster != NULL, NULL);
  g_atomic_int_inc (&roster->ref_count);
  return roster;
}

void
rc_roster_unref (RcRoster *roster)
{
  if (roster == NULL || !g_atomic_int_dec_and_test (&roster->ref_count))
    return;
  for (guint i = 0; i < roster->n_members; i++)
    member_clear (&roster->members[i]);
  g_free (roster->members);
  g_hash_table_unref (roster->by_code);
  g_free (roster);
}

guint
rc_roster_get_size (const RcRoster *roster)
{
  g_return_val_if_fail (roster != NULL, 0);
  return roster->n_members;
}

const RcMember *
rc_roster_get_member (const RcRoster *roster, guint index)
{
  g_return_val_if_fail (roster != NULL, NULL);
  g_return_val_if_fail (index < roster->n_members, NULL);
  return &roster->members[index];
}

int
rc_roster_find (const RcRoster *roster, const char *code)
{
  g_return_val_if_fail (roster != NULL, -1);
  if (code == NULL)
    return -1;
  return GPOINTER_TO_INT (g_hash_table_lookup (roster->by_code, code)) - 1;
}

gboolean
rc_roster_equal (const RcRoster *a, const RcRoster *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->n_members != b->n_members)
    return FALSE;
  for (guint i = 0; i < a->n_members; i++)
    {
      const RcMember *ma = &a->members[i], *mb = &b->members[i];

      if (g_strcmp0 (ma->code, mb->code) != 0 || g_strcmp0 (ma->name, mb->name) != 0
          || g_strcmp0 (ma->label, mb->label) != 0
          || g_strcmp0 (ma->sort_key, mb->sort_key) != 0 || ma->veto != mb->veto)
        return FALSE;
    }
  return TRUE;
}

RcRoster *
rc_roster_rename (const RcRoster *roster, const RcRoster *names)
{
  g_autofree RcMember *members = NULL;

  g_return_val_if_fail (roster != NULL && names != NULL, NULL);

  members = g_new0 (RcMember, MAX (roster->n_members, 1));
  for (guint i = 0; i < roster->n_members; i++)
    {
      const RcMember *m = &roster->members[i];
      int j = rc_roster_find (names, m->code);
      const RcMember *n = j >= 0 ? &names->members[j] : m;

      members[i].code = g_strdup (m->code);
      members[i].name = g_strdup (n->name);
      members[i].label = g_strdup (n->label);
      /* the board's order stays that of the day: keep the day's keys */
      members[i].sort_key = g_strdup (m->sort_key);
      members[i].veto = m->veto;
    }
  /* the codes are those of a valid roster: this cannot fail */
  return rc_roster_new (members, roster->n_members, NULL);
}

static int
by_key_then_index (gconstpointer a, gconstpointer b, gpointer roster)
{
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  int r = strcmp (rc_roster_get_member (roster, ia)->sort_key,
                  rc_roster_get_member (roster, ib)->sort_key);

  return r != 0 ? r : (ia > ib) - (ia < ib);
}

guint *
rc_roster_board_order (const RcRoster *roster)
{
  guint n = roster->n_members;
  guint *order = g_new (guint, MAX (n, 1u));

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof *order, by_key_then_index, (gpointer) roster);
  return order;
}
