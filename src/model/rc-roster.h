/* rc-roster.h — the members of a chamber as of one day, in board order.
 *
 * A roster is an immutable, reference-counted value: the members' stable codes,
 * the names in force on the day, the short board labels, the sort keys and the
 * veto flag. Index i is the member's position on the board. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *code;      /* stable key: ISO 3166 alpha-3 for states */
  char *name;      /* official name as in force on the roster's date */
  char *label;     /* board label: a short form where the name is long, else the name */
  char *sort_key;  /* rc_collate_key() of the name unless the data says otherwise */
  gboolean veto;   /* a permanent member holding a veto (Security Council) */
} RcMember;

typedef struct _RcRoster RcRoster;

/* Takes ownership of the members' strings; sorts them by sort_key. Fails on a
 * duplicate or empty code. */
RcRoster *rc_roster_new (RcMember *members, guint n_members, GError **error);
/* The same, but the members stay in the order given, whatever their keys: a roster
 * made for display in another language (rc_roster_translate()), whose index i is still
 * member i of the roster it was made from. */
RcRoster *rc_roster_new_in_order (RcMember *members, guint n_members, GError **error);
RcRoster *rc_roster_ref (RcRoster *roster);
void rc_roster_unref (RcRoster *roster);

guint rc_roster_get_size (const RcRoster *roster);
const RcMember *rc_roster_get_member (const RcRoster *roster, guint index);
/* -1 if the code is not on the roster */
int rc_roster_find (const RcRoster *roster, const char *code);
gboolean rc_roster_equal (const RcRoster *a, const RcRoster *b);
/* The same members in the same order, with the names and labels of `names` for every
 * member it has (others keep theirs): "today's names" on a board of the past. */
RcRoster *rc_roster_rename (const RcRoster *roster, const RcRoster *names);

/* The members in the board's order: order[p] is the index of the member in place p,
 * by sort key, ties by index (a roster made by rc_roster_new() is in that order
 * already; a translated one is not). Free with g_free(). */
guint *rc_roster_board_order (const RcRoster *roster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcRoster, rc_roster_unref)

G_END_DECLS
