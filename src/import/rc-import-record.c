/* rc-import-record.c — recorded votes → one session per meeting day.
 *
 * A member's choice is one byte (0: no row; else RcChoice + 1), the record's name for
 * it an index into a pool of distinct names, the line of its row four bytes: per vote,
 * arrays over the members met so far (codes get an index the first time they are
 * seen). Nothing of a row is kept once it is read. */
#include "rc-import-record.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "codec/rc-codec.h"
#include "model/rc-error.h"
#include "model/rc-rules.h"

/* More votes than the whole history of the Assembly by far: an input this big is a
 * mistake, and stopping keeps the memory bounded. */
#define MAX_VOTES 200000
/* Summary lines name this many examples. */
#define EXAMPLES 3
/* The synthesized timeline: the day's first vote at 15:00 UTC (10:00 in New York),
 * one every two minutes. */
#define DAY_START_HOUR 15
#define VOTE_EVERY (120 * G_USEC_PER_SEC)

struct _RcRecordVote {
  char *key;
  char *date;
  char *assembly_session;
  char *meeting;
  char *symbol;
  char *draft;
  char *title;
  gboolean has_official;
  RcTally official;
  RcOutcome stated;
  guint order;
  GByteArray *choices; /* by code index: 0 none, else RcChoice + 1 */
  GArray *names;       /* guint32 by code index: 0 none, else name pool index + 1 */
  GArray *lines;       /* guint32 by code index */
};

/* A summary line: how many, and the first examples. */
typedef struct {
  guint count;
  GString *examples;
  guint n_examples;
} Tally;

struct _RcRecordSet {
  const RcChamber *chamber;
  char *source;
  GHashTable *code_index; /* code → index + 1 */
  GPtrArray *codes;       /* of char *, by index */
  GHashTable *name_index; /* name → index + 1 */
  GPtrArray *names;       /* of char * */
  GHashTable *by_key;     /* key → RcRecordVote * */
  GPtrArray *votes;       /* of RcRecordVote *, in the order first seen */
  GPtrArray *order;       /* the votes sorted by day, made by the first next_day */
  guint next;             /* into order */
  GPtrArray *summary;     /* of char * */
  Tally outside;          /* members placed on a day outside their membership */
  Tally renamed;          /* names from the record, another of the list's */
  Tally record_names;     /* names from the record, none of the list's */
  Tally long_texts;       /* titles cut to what an event carries */
  Tally contradictions;   /* "adopted" by its symbol, with no more yes than no */
  Tally empty;            /* votes with no row */
};

static void
record_vote_free (RcRecordVote *v)
{
  g_free (v->key);
  g_free (v->date);
  g_free (v->assembly_session);
  g_free (v->meeting);
  g_free (v->symbol);
  g_free (v->draft);
  g_free (v->title);
  g_byte_array_unref (v->choices);
  g_array_unref (v->names);
  g_array_unref (v->lines);
  g_free (v);
}

/* text as one line of UTF-8 (rc_error_one_line), freeing text */
static char *
rc_one_line_take (char *text)
{
  char *line = rc_error_one_line (text);

  g_free (text);
  return line;
}

static void
tally_clear (Tally *t)
{
  if (t->examples != NULL)
    g_string_free (t->examples, TRUE);
  t->examples = NULL;
}

static void tally_add (Tally *t, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
tally_add (Tally *t, const char *format, ...)
{
  va_list args;

  t->count++;
  if (t->n_examples >= EXAMPLES)
    return;
  if (t->examples == NULL)
    t->examples = g_string_new (NULL);
  if (t->n_examples > 0)
    g_string_append (t->examples, "; ");
  va_start (args, format);
  g_string_append_vprintf (t->examples, format, args);
  va_end (args);
  t->n_examples++;
}

RcRecordSet *
rc_record_set_new (const RcChamber *chamber, const char *source)
{
  RcRecordSet *set = g_new0 (RcRecordSet, 1);

  set->chamber = chamber;
  set->source = g_strdup (source);
  set->code_index = g_hash_table_new (g_str_hash, g_str_equal);
  set->codes = g_ptr_array_new_with_free_func (g_free);
  set->name_index = g_hash_table_new (g_str_hash, g_str_equal);
  set->names = g_ptr_array_new_with_free_func (g_free);
  set->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  set->votes = g_ptr_array_new_with_free_func ((GDestroyNotify) record_vote_free);
  set->summary = g_ptr_array_new_with_free_func (g_free);
  return set;
}

void
rc_record_set_free (RcRecordSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_unref (set->code_index);
  g_ptr_array_unref (set->codes);
  g_hash_table_unref (set->name_index);
  g_ptr_array_unref (set->names);
  g_hash_table_unref (set->by_key);
  g_clear_pointer (&set->order, g_ptr_array_unref);
  g_ptr_array_unref (set->votes);
  g_ptr_array_unref (set->summary);
  tally_clear (&set->outside);
  tally_clear (&set->renamed);
  tally_clear (&set->record_names);
  tally_clear (&set->long_texts);
  tally_clear (&set->contradictions);
  tally_clear (&set->empty);
  g_free (set->source);
  g_free (set);
}

guint
rc_record_set_get_n_votes (const RcRecordSet *set)
{
  return set->votes->len;
}

guint
rc_record_set_get_n_votes_with_rows (const RcRecordSet *set)
{
  guint n = 0;

  for (guint i = 0; i < set->votes->len; i++)
    {
      const RcRecordVote *v = g_ptr_array_index (set->votes, i);

      n += v->date != NULL && v->choices->len > 0;
    }
  return n;
}

void
rc_record_set_add_summary (RcRecordSet *set, const char *line)
{
  g_ptr_array_add (set->summary, rc_error_one_line (line));
}

/* ---------------------------------------------------------------- filters */

gboolean
rc_import_filter_wants_day (const RcImportFilter *f, const char *date, const char *assembly_session)
{
  if (f == NULL)
    return TRUE;
  if (f->since != NULL && strcmp (date, f->since) < 0)
    return FALSE;
  if (f->until != NULL && strcmp (date, f->until) > 0)
    return FALSE;
  if (f->day != NULL && strcmp (date, f->day) != 0)
    return FALSE;
  if (f->assembly_session != NULL
      && (assembly_session == NULL
          || g_ascii_strcasecmp (assembly_session, f->assembly_session) != 0))
    return FALSE;
  return TRUE;
}

/* Symbols compare without their spaces and case: "A/RES/41/59 L" is "A/RES/41/59L". */
static gboolean
same_symbol (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  for (;;)
    {
      while (*a == ' ')
        a++;
      while (*b == ' ')
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == *b;
      if (g_ascii_toupper (*a) != g_ascii_toupper (*b))
        return FALSE;
      a++, b++;
    }
}

gboolean
rc_import_filter_wants_vote (const RcImportFilter *f, const char *symbol, const char *draft)
{
  if (f == NULL || f->symbols == NULL)
    return TRUE;
  for (guint i = 0; f->symbols[i] != NULL; i++)
    if (same_symbol (f->symbols[i], symbol) || same_symbol (f->symbols[i], draft))
      return TRUE;
  return FALSE;
}

/* ---------------------------------------------------------------- votes */

RcRecordVote *
rc_record_set_vote (RcRecordSet *set, const char *key, gboolean *created, GError **error)
{
  RcRecordVote *v = g_hash_table_lookup (set->by_key, key);

  *created = FALSE;
  if (v != NULL)
    return v;
  if (set->votes->len >= MAX_VOTES)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("more than %d votes in one import: select a part (--since, --until, "
                      "--day, --assembly-session, --symbol)"),
                   MAX_VOTES);
      return NULL;
    }
  v = g_new0 (RcRecordVote, 1);
  v->key = g_strdup (key);
  v->order = set->votes->len;
  v->choices = g_byte_array_new ();
  v->names = g_array_new (FALSE, TRUE, sizeof (guint32));
  v->lines = g_array_new (FALSE, TRUE, sizeof (guint32));
  g_ptr_array_add (set->votes, v);
  g_hash_table_insert (set->by_key, v->key, v);
  *created = TRUE;
  return v;
}

static char *
text_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
rc_record_vote_describe (RcRecordVote *v, const char *date, const char *assembly_session,
                         const char *meeting, const char *symbol, const char *draft,
                         const char *title)
{
  g_free (v->date);
  v->date = g_strdup (date);
  g_free (v->assembly_session);
  v->assembly_session = text_or_null (assembly_session);
  g_free (v->meeting);
  v->meeting = text_or_null (meeting);
  g_free (v->symbol);
  v->symbol = text_or_null (symbol);
  g_free (v->draft);
  v->draft = text_or_null (draft);
  g_free (v->title);
  v->title = text_or_null (title);
}

void
rc_record_vote_set_official (RcRecordVote *v, const RcTally *official)
{
  v->has_official = official != NULL;
  if (official != NULL)
    v->official = *official;
}

void
rc_record_vote_set_outcome (RcRecordVote *v, RcOutcome stated)
{
  v->stated = stated;
}

const char *
rc_record_vote_get_date (const RcRecordVote *v)
{
  return v->date;
}

gboolean
rc_record_vote_same_official (const RcRecordVote *v, const RcTally *official, gboolean has)
{
  if (!has || !v->has_official)
    return has == v->has_official;
  return rc_tally_equal_totals (&v->official, official);
}

/* The code's index, or -1 for a code the chamber never had. */
static int
code_index (RcRecordSet *set, const char *code)
{
  gpointer found = g_hash_table_lookup (set->code_index, code);
  g_autoptr (GArray) names = NULL;

  if (found != NULL)
    return GPOINTER_TO_INT (found) - 1;
  names = rc_chamber_get_names (set->chamber, code);
  if (names->len == 0)
    return -1;
  g_ptr_array_add (set->codes, g_strdup (code));
  g_hash_table_insert (set->code_index, g_ptr_array_index (set->codes, set->codes->len - 1),
                       GINT_TO_POINTER ((int) set->codes->len));
  return (int) set->codes->len - 1;
}

static guint32
name_index (RcRecordSet *set, const char *name)
{
  gpointer found;

  if (name == NULL || *name == '\0')
    return 0;
  found = g_hash_table_lookup (set->name_index, name);
  if (found != NULL)
    return GPOINTER_TO_UINT (found);
  g_ptr_array_add (set->names, g_strdup (name));
  g_hash_table_insert (set->name_index, g_ptr_array_index (set->names, set->names->len - 1),
                       GUINT_TO_POINTER (set->names->len));
  return set->names->len;
}

gboolean
rc_record_set_knows_code (RcRecordSet *set, const char *code)
{
  return code_index (set, code) >= 0;
}

RcRecordResult
rc_record_vote_set_choice (RcRecordSet *set, RcRecordVote *v, const char *code, RcChoice choice,
                           const char *record_name, guint line)
{
  int i = code_index (set, code);
  guint8 value = (guint8) (choice + 1);

  if (i < 0)
    return RC_RECORD_NOT_MEMBER;
  if ((guint) i >= v->choices->len)
    {
      guint old = v->choices->len;

      g_byte_array_set_size (v->choices, set->codes->len);
      memset (v->choices->data + old, 0, v->choices->len - old);
      g_array_set_size (v->names, set->codes->len); /* cleared: g_array_new (…, TRUE, …) */
      g_array_set_size (v->lines, set->codes->len);
    }
  if (v->choices->data[i] != 0)
    return v->choices->data[i] == value ? RC_RECORD_SAME : RC_RECORD_CONFLICT;
  v->choices->data[i] = value;
  g_array_index (v->names, guint32, i) = name_index (set, record_name);
  g_array_index (v->lines, guint32, i) = line;
  return RC_RECORD_SET;
}

guint
rc_record_vote_get_line (const RcRecordSet *set, const RcRecordVote *v, const char *code)
{
  gpointer found = g_hash_table_lookup (set->code_index, code);
  guint i;

  if (found == NULL)
    return 0;
  i = GPOINTER_TO_UINT (found) - 1;
  return i < v->lines->len ? g_array_index (v->lines, guint32, i) : 0;
}

/* ---------------------------------------------------------------- names */

static gboolean
same_name (const char *a, const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = rc_record_fold_name (a);
  fb = rc_record_fold_name (b);
  return g_str_equal (fa, fb);
}

/* The name and label to show for code on date, given the record's name (NULL: none).
 * The record decides: the list's name of the day if it is the record's; else another
 * name the list gives the member, if it is the record's; else the record's own. */
static void
resolve_name (RcRecordSet *set, const char *code, const char *date, const char *record_name,
              char **name, char **label)
{
  g_autoptr (GArray) rows = NULL;

  if (record_name == NULL || same_name (*name, record_name)
      || (*label != NULL && same_name (*label, record_name)))
    return;
  rows = rc_chamber_get_names (set->chamber, code);
  for (guint i = 0; i < rows->len; i++)
    {
      const RcChamberName *row = &g_array_index (rows, RcChamberName, i);

      if (same_name (row->name, record_name)
          || (row->label != NULL && same_name (row->label, record_name)))
        {
          tally_add (&set->renamed, "%s on %s: %s, the list's name from %s, not %s", code, date,
                     row->name, row->from, *name);
          g_free (*name);
          *name = g_strdup (row->name);
          g_free (*label);
          *label = g_strdup (row->label);
          return;
        }
    }
  g_free (*name);
  *name = rc_record_name_case (record_name);
  tally_add (&set->record_names, "%s on %s: '%s', shown as '%s'", code, date, record_name, *name);
  g_clear_pointer (label, g_free);
}

/* The member's row nearest to date, for a member who voted on a day the list says it
 * was not one (the datasets' dates are not always the day of the vote). */
static const RcChamberName *
nearest_row (GArray *rows, const char *date)
{
  const RcChamberName *best = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const RcChamberName *row = &g_array_index (rows, RcChamberName, i);

      /* the last row starting on or before date, else the first */
      if (best == NULL || strcmp (row->from, date) <= 0)
        best = row;
    }
  return best;
}

/* ---------------------------------------------------------------- days */

static int
compare_by_day (gconstpointer a, gconstpointer b)
{
  const RcRecordVote *x = *(RcRecordVote *const *) a;
  const RcRecordVote *y = *(RcRecordVote *const *) b;
  int c = strcmp (x->date, y->date);

  return c != 0 ? c : (x->order < y->order ? -1 : x->order > y->order);
}

/* "74th", "1st", "11th", "22nd" */
static char *
ordinal (const char *number)
{
  guint64 n = g_ascii_strtoull (number, NULL, 10);
  const char *suffix = "th";

  if (n % 100 < 11 || n % 100 > 13)
    suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return g_strdup_printf ("%" G_GUINT64_FORMAT "%s", n, suffix);
}

/* The meeting's title, as the archive keeps it: in English, like the record it comes
 * from and the chamber's name it starts with, whatever the importer's language. */
static char *
session_title (const RcChamberInfo *chamber, const char *assembly_session)
{
  g_autofree char *nth = NULL;

  if (assembly_session == NULL)
    return g_strdup (chamber->name);
  if (g_ascii_isdigit (assembly_session[0]))
    {
      nth = ordinal (assembly_session);
      return g_strdup_printf ("%s, %s session", chamber->name, nth);
    }
  if (g_str_has_prefix (assembly_session, "ES-") && g_ascii_isdigit (assembly_session[3]))
    {
      nth = ordinal (assembly_session + 3);
      return g_strdup_printf ("%s, %s emergency special session", chamber->name, nth);
    }
  if (g_str_has_prefix (assembly_session, "S-") && g_ascii_isdigit (assembly_session[2]))
    {
      nth = ordinal (assembly_session + 2);
      return g_strdup_printf ("%s, %s special session", chamber->name, nth);
    }
  return g_strdup_printf ("%s, session %s", chamber->name, assembly_session);
}

/* text cut to what an event carries (RC_TEXT_MAX bytes), at a character's boundary */
static char *
fit_text (RcRecordSet *set, const char *text, const char *what, const char *key)
{
  const char *end;
  gsize room = RC_TEXT_MAX - strlen ("…");

  if (text == NULL || strlen (text) <= RC_TEXT_MAX)
    return g_strdup (text);
  end = text + room;
  while (end > text && (*end & 0xC0) == 0x80)
    end--;
  g_autofree char *cut = g_strndup (text, (gsize) (end - text));

  tally_add (&set->long_texts, "%s of %s-%s", what, set->source, key);
  return g_strconcat (cut, "…", NULL);
}

typedef struct {
  RcImportedSession *out;
  const char *source;
} Day;

static gboolean
emit (Day *day, RcEvent *event, GError **error)
{
  g_autoptr (GError) local = NULL;

  event->seq = day->out->events->len + 1;
  if (!rc_session_apply (day->out->session, event, &local))
    {
      g_set_error (error, RC_ERROR, local->code,
                   _ ("%s: the session refused a made-up %s event: %s"), day->source,
                   rc_event_type_to_string (event->type), local->message);
      rc_event_unref (event);
      return FALSE;
    }
  g_ptr_array_add (day->out->events, event);
  return TRUE;
}

static void
free_members (GArray *members)
{
  for (guint i = 0; i < members->len; i++)
    {
      RcMember *m = &g_array_index (members, RcMember, i);

      g_free (m->code);
      g_free (m->name);
      g_free (m->label);
      g_free (m->sort_key);
    }
  g_array_unref (members);
}

/* The day's roster: the list's members of the day, those who voted although the list
 * has them elsewhere in time, and the record's names. */
static RcRoster *
day_roster (RcRecordSet *set, GPtrArray *votes, const char *date, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (RcRoster) base = rc_chamber_roster_at (set->chamber, date, &local);
  GArray *members = g_array_new (FALSE, TRUE, sizeof (RcMember));
  g_autoptr (GHashTable) at = g_hash_table_new (g_str_hash, g_str_equal);
  RcRoster *roster;

  if (base != NULL)
    for (guint i = 0; i < rc_roster_get_size (base); i++)
      {
        const RcMember *m = rc_roster_get_member (base, i);
        RcMember copy
          = { g_strdup (m->code), g_strdup (m->name),
              g_strcmp0 (m->label, m->name) != 0 ? g_strdup (m->label) : NULL, NULL, m->veto };

        g_array_append_val (members, copy);
        g_hash_table_insert (at, copy.code, GUINT_TO_POINTER (members->len));
      }

  for (guint c = 0; c < set->codes->len; c++)
    {
      const char *code = g_ptr_array_index (set->codes, c);
      const char *record_name = NULL;
      gboolean voted = FALSE;
      guint slot;

      for (guint v = 0; v < votes->len; v++)
        {
          RcRecordVote *vote = g_ptr_array_index (votes, v);

          if (c < vote->choices->len && vote->choices->data[c] != 0)
            {
              guint32 n = g_array_index (vote->names, guint32, c);

              voted = TRUE;
              if (record_name == NULL && n != 0)
                record_name = g_ptr_array_index (set->names, n - 1);
            }
        }
      if (!voted)
        continue;
      slot = GPOINTER_TO_UINT (g_hash_table_lookup (at, code));
      if (slot == 0)
        {
          g_autoptr (GArray) rows = rc_chamber_get_names (set->chamber, code);
          const RcChamberName *row = nearest_row (rows, date);
          RcMember m
            = { g_strdup (code), g_strdup (row->name), g_strdup (row->label), NULL, row->veto };

          tally_add (&set->outside, "%s on %s (the list: %s from %s%s%s)", code, date, row->name,
                     row->from, row->until != NULL ? " to " : "",
                     row->until != NULL ? row->until : "");
          g_array_append_val (members, m);
          slot = members->len;
          g_hash_table_insert (at, m.code, GUINT_TO_POINTER (slot));
        }
      {
        RcMember *m = &g_array_index (members, RcMember, slot - 1);
        char *fitted;

        resolve_name (set, code, date, record_name, &m->name, &m->label);
        /* a record's name is as long as the record makes it: an event carries 1,024 bytes */
        fitted = fit_text (set, m->name, "a name", code);
        g_free (m->name);
        m->name = fitted;
      }
    }

  if (members->len == 0)
    {
      free_members (members);
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("%s: nobody voted on %s"), set->source,
                   date);
      return NULL;
    }
  roster = rc_roster_new ((RcMember *) (gpointer) members->data, members->len, error);
  free_members (members);
  return roster;
}

static gboolean
make_vote (RcRecordSet *set, Day *day, RcRoster *roster, RcRecordVote *rv, gint64 t, GError **error)
{
  g_autofree char *id = g_strdup_printf ("%s-%s", set->source, rv->key);
  g_autofree char *title
    = fit_text (set, rv->title != NULL ? rv->title : rv->symbol, "the title", rv->key);
  g_autofree char *symbol = fit_text (set, rv->symbol, "the symbol", rv->key);
  g_autofree char *draft = fit_text (set, rv->draft, "the draft", rv->key);
  RcVoteInfo info = { id,
                      symbol,
                      draft,
                      title != NULL ? title : id,
                      RC_MAJORITY_UNKNOWN,
                      TRUE,
                      RC_REVEAL_LIVE,
                      RC_RESULT_WHEN_ANNOUNCED };
  g_autoptr (GArray) ballots = g_array_new (FALSE, FALSE, sizeof (RcBallot));
  RcChoice *choices = g_new0 (RcChoice, rc_roster_get_size (roster));
  RcTally counted;
  RcEvent *announced;

  for (guint i = 0; i < rc_roster_get_size (roster); i++)
    {
      const RcMember *m = rc_roster_get_member (roster, i);
      gpointer found = g_hash_table_lookup (set->code_index, m->code);
      guint c = GPOINTER_TO_UINT (found);
      RcChoice choice = RC_CHOICE_NOT_VOTING;
      RcBallot b;

      if (c != 0 && c - 1 < rv->choices->len && rv->choices->data[c - 1] != 0)
        choice = (RcChoice) (rv->choices->data[c - 1] - 1);
      choices[i] = choice;
      b.member = (char *) m->code;
      b.choice = choice;
      g_array_append_val (ballots, b);
    }
  rc_tally_compute (&counted, choices, rc_roster_get_size (roster));
  g_free (choices);
  /* A symbol says adopted; a tally with no more yes than no says it could not have
   * been, under any rule of the Assembly: the record contradicts itself, so it states
   * nothing. */
  if (rv->stated == RC_OUTCOME_ADOPTED && counted.yes <= counted.no)
    {
      tally_add (&set->contradictions, "%s (%s-%s, %s: %u–%u–%u)", rv->symbol, set->source, rv->key,
                 rv->date, counted.yes, counted.no, counted.abstain);
      rv->stated = RC_OUTCOME_PENDING;
    }
  if (rv->has_official && !rc_tally_equal_totals (&counted, &rv->official))
    g_ptr_array_add (
      day->out->warnings,
      rc_one_line_take (g_strdup_printf (_ ("%s (%s-%s, %s): the record's totals %u–%u–%u, %u not "
                                            "voting, differ from its rows %u–%u–%u, %u not voting; "
                                            "both are kept, and the desk shows the difference"),
                                         rv->symbol != NULL ? rv->symbol : id, set->source, rv->key,
                                         rv->date, rv->official.yes, rv->official.no,
                                         rv->official.abstain, rv->official.not_voting, counted.yes,
                                         counted.no, counted.abstain, counted.not_voting)));

  if (!emit (day, rc_event_new_vote_scheduled (t, &info), error)
      || !emit (day, rc_event_new_on_air (t + G_USEC_PER_SEC, RC_ON_AIR_VOTE, id), error)
      || !emit (day, rc_event_new_vote_opened (t + 5 * G_USEC_PER_SEC, id), error)
      || !emit (day, rc_event_new_vote_locked (t + 35 * G_USEC_PER_SEC, id, ballots), error))
    return FALSE;
  announced = rc_event_new_vote_announced (t + 40 * G_USEC_PER_SEC, id,
                                           rv->has_official ? &rv->official : NULL);
  announced->stated_outcome = rv->stated;
  return emit (day, announced, error);
}

static RcImportedSession *next_day (RcRecordSet *set, GError **error);

RcImportedSession *
rc_record_set_next_day (RcRecordSet *set, GError **error)
{
  GError *local = NULL;
  RcImportedSession *day = next_day (set, &local);

  if (local != NULL)
    {
      rc_error_make_one_line (local);
      g_propagate_error (error, local);
    }
  return day;
}

static RcImportedSession *
next_day (RcRecordSet *set, GError **error)
{
  const RcChamberInfo *chamber = rc_chamber_get_info (set->chamber);
  g_autoptr (GPtrArray) votes = g_ptr_array_new ();
  g_autoptr (RcRoster) roster = NULL;
  g_autoptr (GPtrArray) meetings = g_ptr_array_new ();
  g_autofree char *lower = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meeting = NULL;
  g_autoptr (GDateTime) start = NULL;
  RcSessionInfo info = { 0 };
  const char *date;
  Day day = { 0 };
  gint64 t;

  if (set->order == NULL)
    {
      set->order = g_ptr_array_new ();
      for (guint i = 0; i < set->votes->len; i++)
        {
          RcRecordVote *v = g_ptr_array_index (set->votes, i);

          /* a vote with no row is no vote */
          if (v->date != NULL && v->choices->len > 0)
            g_ptr_array_add (set->order, v);
          else
            tally_add (&set->empty, "%s-%s of %s", set->source, v->key,
                       v->date != NULL ? v->date : "?");
        }
      g_ptr_array_sort (set->order, compare_by_day);
    }
  if (set->next >= set->order->len)
    return NULL;

  date = ((RcRecordVote *) g_ptr_array_index (set->order, set->next))->date;
  while (set->next < set->order->len
         && g_str_equal (((RcRecordVote *) g_ptr_array_index (set->order, set->next))->date, date))
    {
      RcRecordVote *v = g_ptr_array_index (set->order, set->next++);

      g_ptr_array_add (votes, v);
      if (v->meeting != NULL
          && !g_ptr_array_find_with_equal_func (meetings, v->meeting, g_str_equal, NULL))
        g_ptr_array_add (meetings, v->meeting);
    }

  roster = day_roster (set, votes, date, error);
  if (roster == NULL)
    return NULL;
  lower = g_ascii_strdown (chamber->id, -1);
  id = g_strdup_printf ("%s-%s", lower, date);
  title
    = session_title (chamber, ((RcRecordVote *) g_ptr_array_index (votes, 0))->assembly_session);
  if (meetings->len > 0)
    {
      g_ptr_array_add (meetings, NULL);
      meeting = g_strjoinv (", ", (char **) meetings->pdata);
      if (strlen (meeting) > RC_TEXT_MAX)
        {
          g_free (meeting);
          meeting = fit_text (set, g_ptr_array_index (meetings, 0), "the meeting", date);
        }
    }
  info.id = id;
  info.meeting = meeting;
  info.date = (char *) date;
  info.title = title;
  info.timezone = (char *) "America/New_York";
  info.synthesized = TRUE;

  start = g_date_time_new_utc (atoi (date), atoi (date + 5), atoi (date + 8), DAY_START_HOUR, 0, 0);
  t = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  day.source = set->source;
  day.out = g_new0 (RcImportedSession, 1);
  day.out->events = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_event_unref);
  day.out->session = rc_session_new ();
  day.out->warnings = g_ptr_array_new_with_free_func (g_free);
  if (!emit (&day, rc_event_new_session (t, &info, chamber, roster), error))
    goto fail;
  for (guint i = 0; i < votes->len; i++)
    if (!make_vote (set, &day, roster, g_ptr_array_index (votes, i),
                    t + 30 * G_USEC_PER_SEC + (gint64) i * VOTE_EVERY, error))
      goto fail;
  return day.out;

fail:
  rc_imported_session_free (day.out);
  return NULL;
}

static void
summarize (RcRecordSet *set, Tally *t, const char *what)
{
  g_autofree char *line = NULL;

  if (t->count == 0)
    return;
  /* (the examples quote the file: one line of UTF-8 whatever it holds) */
  line = g_strdup_printf ("%u %s: %s%s", t->count, what, t->examples->str,
                          t->count > t->n_examples ? "; …" : "");
  g_ptr_array_add (set->summary, rc_error_one_line (line));
}

GPtrArray *
rc_record_set_take_summary (RcRecordSet *set)
{
  GPtrArray *out;

  summarize (set, &set->outside,
             _ ("times a member voted on a day outside its membership in the chamber's list "
                "(the dataset's date is not always the vote's; the member is put on that day's "
                "board)"));
  summarize (set, &set->renamed,
             _ ("names as the record writes them on the day, which the list gives for another "
                "time"));
  summarize (set, &set->record_names,
             _ ("names the list does not have, shown in the record's words (its capitals as the "
                "board writes names)"));
  summarize (set, &set->contradictions,
             _ ("votes the record gives a resolution symbol with no more yes than no votes: "
                "no outcome stated"));
  summarize (set, &set->empty, _ ("votes without a single row in the file: left out"));
  summarize (set, &set->long_texts,
             _ ("texts longer than an event carries (1,024 bytes), cut with …"));
  out = g_steal_pointer (&set->summary);
  set->summary = g_ptr_array_new_with_free_func (g_free);
  return out;
}
