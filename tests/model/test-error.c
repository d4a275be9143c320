/* test-error.c — refusals on one line: what rc_error_one_line() makes of outside text. */
#include "model/rc-error.h"

static void
test_one_line (void)
{
  const struct {
    const char *text, *expected;
  } cases[] = {
    { "", "" },
    { "member 'AFG' is not on the roster", "member 'AFG' is not on the roster" },
    { "C\xc3\xb4te d'Ivoire \xe2\x80\x93 T\xc3\xbcrkiye",
      "C\xc3\xb4te d'Ivoire \xe2\x80\x93 T\xc3\xbcrkiye" },
    { "a\nb\r\nc\td", "a\\nb\\r\\nc\\td" },
    { "\x01\x1f\x7f", "\\u0001\\u001F\\u007F" },
    /* C1 controls and the Unicode separators end lines too */
    { "a\xc2\x85"
      "b\xe2\x80\xa8"
      "c\xe2\x80\xa9",
      "a\\u0085b\\u2028c\\u2029" },
    /* not UTF-8: each byte that is not becomes U+FFFD */
    { "caf\xe9", "caf\xef\xbf\xbd" },
    { "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
    { "\xf0\x9f\x98", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
    { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = rc_error_one_line (cases[i].text);

      g_assert_cmpstr (line, ==, cases[i].expected);
    }
}

static void
test_make_one_line (void)
{
  g_autoptr (GError) error
    = g_error_new (RC_ERROR, RC_ERROR_BAD_FILE, "line %u: '%s'", 3u, "A\nB\xff");

  rc_error_make_one_line (error);
  g_assert_error (error, RC_ERROR, RC_ERROR_BAD_FILE);
  g_assert_cmpstr (error->message, ==, "line 3: 'A\\nB\xef\xbf\xbd'");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/one-line", test_one_line);
  g_test_add_func ("/error/make-one-line", test_make_one_line);
  return g_test_run ();
}
