/* rc-catalog.c — see rc-catalog.h.
 *
 * A .mo file (GNU gettext's "MO file format"): a header of 32-bit words in the
 * writer's byte order (magic 0x950412de), the number of strings, and two tables of
 * (length, offset) pairs, originals and translations, each string followed by a zero
 * byte. An original with a context is "context\004msgid"; a plural one is
 * "msgid\0msgid_plural", its translation the forms one after another, each ended by
 * a zero byte. The header is the translation of "": its Plural-Forms line says which
 * form a number takes. Every offset is checked against the file's size before use. */
#include "rc-catalog.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "model/rc-error.h"
#include "model/rc-paths.h"

struct _RcCatalog {
  GBytes *bytes;
  GHashTable *strings; /* original (with context) → translation, both inside bytes */
  GHashTable *lengths; /* original → length of its translation (for plurals) */
  char *plural;        /* the Plural-Forms expression, or NULL */
  guint nplurals;
};

#define MO_MAGIC 0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U

static guint32
word (const guint8 *data, gsize offset, gboolean swapped)
{
  guint32 w;

  memcpy (&w, data + offset, 4);
  return swapped ? GUINT32_SWAP_LE_BE (w) : w;
}

/* The string at table entry i: its offset and length, within size and followed by its
 * zero byte. */
static gboolean
entry (const guint8 *data, gsize size, guint32 table, guint32 i, gboolean swapped, guint32 *offset,
       guint32 *length)
{
  guint64 at = (guint64) table + (guint64) i * 8;

  if (at + 8 > size)
    return FALSE;
  *length = word (data, at, swapped);
  *offset = word (data, at + 4, swapped);
  return (guint64) *offset + *length < size && data[*offset + *length] == '\0';
}

/* The printf conversions of a format, in the order of the arguments they take: each
 * as its length modifier and conversion ("u", "s", "ld", "<PRId64>" written "ld"…),
 * joined by spaces; positional ones ("%2$s") put in their place. NULL when the format
 * is not one printf would read safely (an unknown conversion, a '*' width, positions
 * mixed with others, a position not used). "%%" takes no argument. */
static char *
conversions (const char *format)
{
  GPtrArray *by_position = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  gboolean positional = FALSE, plain = FALSE, ok = TRUE;

  for (const char *p = format; ok && (p = strchr (p, '%')) != NULL;)
    {
      guint position = 0;
      const char *length;
      char *conversion;

      p++;
      if (*p == '%')
        {
          p++;
          continue;
        }
      if (g_ascii_isdigit (*p))
        {
          const char *q = p;

          while (g_ascii_isdigit (*q))
            q++;
          if (*q == '$')
            position = (guint) atoi (p), p = q + 1;
        }
      while (*p != '\0' && strchr ("-+ #0'I", *p) != NULL)
        p++;
      while (g_ascii_isdigit (*p) || *p == '.')
        p++;
      if (*p == '*')
        {
          ok = FALSE;
          break;
        }
      length = p;
      while (*p != '\0' && strchr ("hlLqjzt", *p) != NULL)
        p++;
      if (*p == '\0' || strchr ("diouxXeEfFgGaAcsp", *p) == NULL || position > 9)
        {
          ok = FALSE;
          break;
        }
      conversion = g_strndup (length, p - length + 1);
      p++;
      if (position > 0)
        {
          positional = TRUE;
          if (by_position->len < position)
            g_ptr_array_set_size (by_position, position);
          g_free (g_ptr_array_index (by_position, position - 1));
          g_ptr_array_index (by_position, position - 1) = conversion;
        }
      else
        {
          plain = TRUE;
          g_ptr_array_add (by_position, conversion);
        }
    }
  ok = ok && !(positional && plain);
  for (guint i = 0; ok && i < by_position->len; i++)
    {
      const char *c = g_ptr_array_index (by_position, i);

      ok = c != NULL;
      if (ok)
        g_string_append_printf (out, "%s%s", i > 0 ? " " : "", c);
    }
  g_ptr_array_unref (by_position);
  if (!ok)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Every form (zero-separated) is UTF-8. */
static gboolean
forms_valid (const char *text, gsize length)
{
  for (const char *p = text, *end = text + length; p <= end; p += strlen (p) + 1)
    if (!g_utf8_validate (p, -1, NULL))
      return FALSE;
  return TRUE;
}

static void
read_plural_forms (RcCatalog *self, const char *header)
{
  const char *line = strstr (header, "Plural-Forms:");
  const char *n, *p;
  g_autofree char *value = NULL;
  char *end;

  if (line == NULL)
    return;
  g_clear_pointer (&self->plural, g_free); /* a second header entry: the last one holds */
  self->nplurals = 0;
  value = g_strndup (line, strcspn (line, "\n"));
  n = strstr (value, "nplurals=");
  p = strstr (value, "plural=");
  if (p == n + 2) /* "plural=" inside "nplurals=" */
    p = strstr (n + 9, "plural=");
  if (n == NULL || p == NULL)
    return;
  self->nplurals = (guint) g_ascii_strtoull (n + 9, NULL, 10);
  self->plural = g_strdup (p + 7);
  end = strchr (self->plural, ';');
  if (end != NULL)
    *end = '\0';
  if (self->nplurals < 1 || self->nplurals > 6 || rc_catalog_plural_index (self->plural, 1) < 0)
    {
      g_clear_pointer (&self->plural, g_free);
      self->nplurals = 0;
    }
}

RcCatalog *
rc_catalog_new_from_bytes (GBytes *mo, GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (mo, &size);
  gboolean swapped;
  guint32 n, originals, translations;
  RcCatalog *self;

  if (size < 28 || (word (data, 0, FALSE) != MO_MAGIC && word (data, 0, FALSE) != MO_MAGIC_SWAPPED))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE, _ ("not a compiled message catalogue"));
      return NULL;
    }
  swapped = word (data, 0, FALSE) == MO_MAGIC_SWAPPED;
  if (word (data, 4, swapped) >> 16 != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                   _ ("a message catalogue of a later revision (%u)"), word (data, 4, swapped));
      return NULL;
    }
  n = word (data, 8, swapped);
  originals = word (data, 12, swapped);
  translations = word (data, 16, swapped);

  self = g_new0 (RcCatalog, 1);
  self->bytes = g_bytes_ref (mo);
  self->strings = g_hash_table_new (g_str_hash, g_str_equal);
  self->lengths = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint32 i = 0; i < n; i++)
    {
      guint32 o_off, o_len, t_off, t_len;
      const char *original, *translation;

      if (!entry (data, size, originals, i, swapped, &o_off, &o_len)
          || !entry (data, size, translations, i, swapped, &t_off, &t_len))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_BAD_FILE,
                       _ ("message %u of the catalogue lies outside the file"), i + 1);
          rc_catalog_free (self);
          return NULL;
        }
      original = (const char *) data + o_off;
      translation = (const char *) data + t_off;
      if (!forms_valid (translation, t_len))
        continue; /* not UTF-8: that message stays English */
      if (o_len == 0)
        read_plural_forms (self, translation);
      else if (t_len > 0)
        {
          g_hash_table_insert (self->strings, (gpointer) original, (gpointer) translation);
          g_hash_table_insert (self->lengths, (gpointer) original, GUINT_TO_POINTER (t_len));
        }
    }
  return self;
}

void
rc_catalog_free (RcCatalog *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->strings);
  g_hash_table_unref (self->lengths);
  g_bytes_unref (self->bytes);
  g_free (self->plural);
  g_free (self);
}

G_LOCK_DEFINE_STATIC (catalogs);
static GHashTable *catalogs; /* language → RcCatalog, kept for the life of the process */

const RcCatalog *
rc_catalog_get (const char *language)
{
  RcCatalog *catalog;

  g_return_val_if_fail (language != NULL, NULL);

  G_LOCK (catalogs);
  if (catalogs == NULL)
    catalogs = g_hash_table_new (g_str_hash, g_str_equal);
  catalog = g_hash_table_lookup (catalogs, language);
  if (catalog == NULL)
    {
      g_autofree char *path = g_build_filename (rc_paths_locale_dir (), language, "LC_MESSAGES",
                                                GETTEXT_PACKAGE ".mo", NULL);
      g_autoptr (GError) error = NULL;
      char *contents = NULL;
      gsize length = 0;

      /* Read, not mapped: a catalogue rewritten in place (a build, a package upgrade)
       * must not pull pages from under a running board. */
      if (!g_str_equal (language, "en") && g_file_get_contents (path, &contents, &length, &error))
        {
          g_autoptr (GBytes) bytes = g_bytes_new_take (contents, length);

          catalog = rc_catalog_new_from_bytes (bytes, &error);
          if (catalog == NULL)
            g_warning ("%s: %s; the board's words stay in English", path, error->message);
        }
      else if (error != NULL)
        g_warning ("%s: %s; the board's words stay in English", path, error->message);
      if (catalog == NULL)
        {
          catalog = g_new0 (RcCatalog, 1);
          catalog->strings = g_hash_table_new (g_str_hash, g_str_equal);
          catalog->lengths = g_hash_table_new (g_str_hash, g_str_equal);
        }
      g_hash_table_insert (catalogs, g_strdup (language), catalog);
    }
  G_UNLOCK (catalogs);
  return catalog;
}

gboolean
rc_catalog_is_loaded (const RcCatalog *catalog)
{
  return catalog->bytes != NULL;
}

const char *
rc_catalog_gettext (const RcCatalog *catalog, const char *msgid)
{
  const char *t = g_hash_table_lookup (catalog->strings, msgid);

  return t != NULL ? t : msgid;
}

const char *
rc_catalog_format (const RcCatalog *catalog, const char *msgid)
{
  const char *t = g_hash_table_lookup (catalog->strings, msgid);
  g_autofree char *want = NULL;
  g_autofree char *have = NULL;

  if (t == NULL)
    return msgid;
  want = conversions (msgid);
  if (want == NULL)
    return t; /* not a format ("a '%' in the path"): nothing for printf to misread */
  have = conversions (t);
  /* A damaged or mistaken catalogue must not make printf read its arguments wrongly. */
  if (have == NULL || !g_str_equal (want, have))
    return msgid;
  return t;
}

const char *
rc_catalog_pgettext (const RcCatalog *catalog, const char *context, const char *msgid)
{
  g_autofree char *key = g_strconcat (context, "\004", msgid, NULL);
  const char *t = g_hash_table_lookup (catalog->strings, key);

  return t != NULL ? t : msgid;
}

const char *
rc_catalog_ngettext (const RcCatalog *catalog, const char *msgid, const char *msgid_plural,
                     gulong n)
{
  const char *t = g_hash_table_lookup (catalog->strings, msgid);
  gsize length = GPOINTER_TO_UINT (g_hash_table_lookup (catalog->lengths, msgid));
  int index = catalog->plural != NULL ? rc_catalog_plural_index (catalog->plural, n) : -1;

  if (t == NULL || index < 0 || (guint) index >= catalog->nplurals)
    return n == 1 ? msgid : msgid_plural;
  /* The index-th of the forms, each ended by a zero byte. */
  for (const char *end = t + length; index > 0; index--)
    {
      t += strlen (t) + 1;
      if (t > end)
        return n == 1 ? msgid : msgid_plural;
    }
  return t;
}

/* The Plural-Forms expression: C's conditional, logical, comparison and arithmetic
 * operators over n and decimal constants, as gettext accepts them. A recursive
 * descent that evaluates as it parses; both branches of ?: are parsed. */
typedef struct {
  const char *p;
  gulong n;
  gboolean bad;
  int depth;
} Expr;

static gulong ternary (Expr *e);

static void
skip (Expr *e)
{
  while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n')
    e->p++;
}

static gboolean
take (Expr *e, const char *op)
{
  gsize len = strlen (op);

  skip (e);
  if (strncmp (e->p, op, len) != 0)
    return FALSE;
  /* "<" must not take the "<" of "<=", nor "!" the one of "!=". */
  if (len == 1 && (*op == '<' || *op == '>' || *op == '!' || *op == '=') && e->p[1] == '=')
    return FALSE;
  e->p += len;
  return TRUE;
}

static gulong
primary (Expr *e)
{
  gulong v = 0;

  skip (e);
  if (++e->depth > 64)
    {
      e->bad = TRUE;
      return 0;
    }
  if (take (e, "!"))
    v = !primary (e);
  else if (take (e, "("))
    {
      v = ternary (e);
      if (!take (e, ")"))
        e->bad = TRUE;
    }
  else if (*e->p == 'n')
    e->p++, v = e->n;
  else if (g_ascii_isdigit (*e->p))
    {
      char *end;

      v = g_ascii_strtoull (e->p, &end, 10);
      e->p = end;
    }
  else
    e->bad = TRUE;
  e->depth--;
  return v;
}

static gulong
multiplicative (Expr *e)
{
  gulong v = primary (e);

  for (;;)
    {
      if (take (e, "*"))
        v *= primary (e);
      else if (take (e, "/") || take (e, "%"))
        {
          char op = e->p[-1];
          gulong r = primary (e);

          /* gettext's own evaluator gives 0 rather than dividing by zero (the branch
           * of a ?: not taken is evaluated here too). */
          v = r == 0 ? 0 : op == '/' ? v / r : v % r;
        }
      else
        return v;
    }
}

static gulong
additive (Expr *e)
{
  gulong v = multiplicative (e);

  for (;;)
    {
      if (take (e, "+"))
        v += multiplicative (e);
      else if (take (e, "-"))
        v -= multiplicative (e);
      else
        return v;
    }
}

static gulong
relational (Expr *e)
{
  gulong v = additive (e);

  for (;;)
    {
      if (take (e, "<="))
        v = v <= additive (e);
      else if (take (e, ">="))
        v = v >= additive (e);
      else if (take (e, "<"))
        v = v < additive (e);
      else if (take (e, ">"))
        v = v > additive (e);
      else
        return v;
    }
}

static gulong
equality (Expr *e)
{
  gulong v = relational (e);

  for (;;)
    {
      if (take (e, "=="))
        v = v == relational (e);
      else if (take (e, "!="))
        v = v != relational (e);
      else
        return v;
    }
}

static gulong
logical_and (Expr *e)
{
  gulong v = equality (e);

  while (take (e, "&&"))
    {
      gulong r = equality (e);

      v = v && r;
    }
  return v;
}

static gulong
logical_or (Expr *e)
{
  gulong v = logical_and (e);

  while (take (e, "||"))
    {
      gulong r = logical_and (e);

      v = v || r;
    }
  return v;
}

static gulong
ternary (Expr *e)
{
  gulong c = logical_or (e), a, b;

  if (!take (e, "?"))
    return c;
  if (++e->depth > 64)
    {
      e->bad = TRUE;
      return 0;
    }
  a = ternary (e);
  if (!take (e, ":"))
    e->bad = TRUE;
  b = ternary (e);
  e->depth--;
  return c ? a : b;
}

int
rc_catalog_plural_index (const char *expression, gulong n)
{
  Expr e = { expression, n, FALSE, 0 };
  gulong v;

  g_return_val_if_fail (expression != NULL, -1);

  v = ternary (&e);
  skip (&e);
  if (e.bad || *e.p != '\0' || v > 5)
    return -1;
  return (int) v;
}
