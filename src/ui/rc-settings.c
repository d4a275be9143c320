/* rc-settings.c — the one door to the application's GSettings.
 *
 * Each key is a property of this object, bound both ways to its key with
 * g_settings_bind(): setting a property writes the key, and a change made elsewhere
 * (dconf-editor, another instance) comes back as a property notification. */
#include "rc-settings.h"

#include <gio/gio.h>

#include "rc-config.h"

struct _RcSettings
{
  GObject parent_instance;

  GSettings *settings; /* NULL when the schema is not installed */
  gboolean glyphs;
  gboolean current_names;
  char *palette;
  char *board_language;
  int window_width;
  int window_height;
  gboolean window_maximized;
};

G_DEFINE_FINAL_TYPE (RcSettings, rc_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COLOUR_BLIND_GLYPHS,
  PROP_CURRENT_NAMES,
  PROP_PALETTE,
  PROP_BOARD_LANGUAGE,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* Property and key share their names, so the binding is a loop. */
static const guint bound_props[] = {
  PROP_COLOUR_BLIND_GLYPHS, PROP_CURRENT_NAMES, PROP_PALETTE,          PROP_BOARD_LANGUAGE,
  PROP_WINDOW_WIDTH,        PROP_WINDOW_HEIGHT, PROP_WINDOW_MAXIMIZED,
};

static void
rc_settings_finalize (GObject *object)
{
  RcSettings *self = RC_SETTINGS (object);

  g_clear_object (&self->settings);
  g_free (self->palette);
  g_free (self->board_language);
  G_OBJECT_CLASS (rc_settings_parent_class)->finalize (object);
}

static void
rc_settings_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RcSettings *self = RC_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_COLOUR_BLIND_GLYPHS: g_value_set_boolean (value, self->glyphs); break;
    case PROP_CURRENT_NAMES: g_value_set_boolean (value, self->current_names); break;
    case PROP_PALETTE: g_value_set_string (value, self->palette); break;
    case PROP_BOARD_LANGUAGE:
      g_value_set_string (value, self->board_language);
      break;
    case PROP_WINDOW_WIDTH: g_value_set_int (value, self->window_width); break;
    case PROP_WINDOW_HEIGHT: g_value_set_int (value, self->window_height); break;
    case PROP_WINDOW_MAXIMIZED: g_value_set_boolean (value, self->window_maximized); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_bool (RcSettings *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

static void
set_int (RcSettings *self, int *field, int value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

static void
rc_settings_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  RcSettings *self = RC_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_COLOUR_BLIND_GLYPHS:
      set_bool (self, &self->glyphs, g_value_get_boolean (value), prop_id);
      break;
    case PROP_CURRENT_NAMES:
      set_bool (self, &self->current_names, g_value_get_boolean (value), prop_id);
      break;
    case PROP_PALETTE:
      rc_settings_set_palette (self, g_value_get_string (value));
      break;
    case PROP_BOARD_LANGUAGE:
      rc_settings_set_board_language (self, g_value_get_string (value));
      break;
    case PROP_WINDOW_WIDTH:
      set_int (self, &self->window_width, g_value_get_int (value), prop_id);
      break;
    case PROP_WINDOW_HEIGHT:
      set_int (self, &self->window_height, g_value_get_int (value), prop_id);
      break;
    case PROP_WINDOW_MAXIMIZED:
      set_bool (self, &self->window_maximized, g_value_get_boolean (value), prop_id);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_settings_class_init (RcSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rc_settings_finalize;
  object_class->get_property = rc_settings_get_property;
  object_class->set_property = rc_settings_set_property;

  props[PROP_COLOUR_BLIND_GLYPHS] =
    g_param_spec_boolean ("colour-blind-glyphs", NULL, NULL, FALSE, flags);
  props[PROP_CURRENT_NAMES] = g_param_spec_boolean ("current-names", NULL, NULL, FALSE, flags);
  props[PROP_PALETTE] = g_param_spec_string ("palette", NULL, NULL, "", flags);
  props[PROP_BOARD_LANGUAGE] = g_param_spec_string ("board-language", NULL, NULL, "", flags);
  props[PROP_WINDOW_WIDTH] =
    g_param_spec_int ("window-width", NULL, NULL, 1, G_MAXINT, 1280, flags);
  props[PROP_WINDOW_HEIGHT] =
    g_param_spec_int ("window-height", NULL, NULL, 1, G_MAXINT, 720, flags);
  props[PROP_WINDOW_MAXIMIZED] =
    g_param_spec_boolean ("window-maximized", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
rc_settings_init (RcSettings *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  self->palette = g_strdup ("");
  self->board_language = g_strdup ("");
  self->window_width = 1280;
  self->window_height = 720;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  /* g_settings_new() aborts on a missing schema; a board that cannot remember its
   * settings is still a board. */
  if (schema == NULL)
    {
      g_debug ("settings: schema %s not installed; settings are not kept", APP_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bound_props); i++)
    {
      const char *name = g_param_spec_get_name (props[bound_props[i]]);

      g_settings_bind (self->settings, name, self, name, G_SETTINGS_BIND_DEFAULT);
    }
}

RcSettings *
rc_settings_new (void)
{
  return g_object_new (RC_TYPE_SETTINGS, NULL);
}

gboolean
rc_settings_get_colour_blind_glyphs (RcSettings *self)
{
  g_return_val_if_fail (RC_IS_SETTINGS (self), FALSE);
  return self->glyphs;
}

void
rc_settings_set_colour_blind_glyphs (RcSettings *self, gboolean glyphs)
{
  g_return_if_fail (RC_IS_SETTINGS (self));
  set_bool (self, &self->glyphs, glyphs, PROP_COLOUR_BLIND_GLYPHS);
}

gboolean
rc_settings_get_current_names (RcSettings *self)
{
  g_return_val_if_fail (RC_IS_SETTINGS (self), FALSE);
  return self->current_names;
}

void
rc_settings_set_current_names (RcSettings *self, gboolean current)
{
  g_return_if_fail (RC_IS_SETTINGS (self));
  set_bool (self, &self->current_names, current, PROP_CURRENT_NAMES);
}

const char *
rc_settings_get_palette (RcSettings *self)
{
  g_return_val_if_fail (RC_IS_SETTINGS (self), "");
  return self->palette;
}

void
rc_settings_set_palette (RcSettings *self, const char *palette)
{
  g_return_if_fail (RC_IS_SETTINGS (self));

  if (palette == NULL)
    palette = "";
  if (g_strcmp0 (self->palette, palette) == 0)
    return;
  g_free (self->palette);
  self->palette = g_strdup (palette);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PALETTE]);
}

void
rc_settings_get_window_size (RcSettings *self, int *width, int *height, gboolean *maximized)
{
  g_return_if_fail (RC_IS_SETTINGS (self));
  if (width != NULL)
    *width = self->window_width;
  if (height != NULL)
    *height = self->window_height;
  if (maximized != NULL)
    *maximized = self->window_maximized;
}

void
rc_settings_set_window_size (RcSettings *self, int width, int height, gboolean maximized)
{
  g_return_if_fail (RC_IS_SETTINGS (self));
  g_return_if_fail (width > 0 && height > 0);

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->window_width, width, PROP_WINDOW_WIDTH);
  set_int (self, &self->window_height, height, PROP_WINDOW_HEIGHT);
  set_bool (self, &self->window_maximized, maximized, PROP_WINDOW_MAXIMIZED);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
rc_settings_get_board_language (RcSettings *self)
{
  g_return_val_if_fail (RC_IS_SETTINGS (self), "");
  return self->board_language;
}

void
rc_settings_set_board_language (RcSettings *self, const char *language)
{
  g_return_if_fail (RC_IS_SETTINGS (self));

  if (language == NULL)
    language = "";
  if (g_strcmp0 (self->board_language, language) == 0)
    return;
  g_free (self->board_language);
  self->board_language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BOARD_LANGUAGE]);
}

void
rc_settings_override_board_language (RcSettings *self, const char *language)
{
  g_return_if_fail (RC_IS_SETTINGS (self));

  if (self->settings != NULL)
    g_settings_unbind (self, "board-language");
  rc_settings_set_board_language (self, language);
}
