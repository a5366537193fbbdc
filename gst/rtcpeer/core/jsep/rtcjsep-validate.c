/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Checking a session description before anything is done with it.
 *
 * JSEP asks for this in https://www.rfc-editor.org/rfc/rfc8829#section-5.8
 * ("If any of the following checks fail, processing MUST stop and an error
 * MUST be returned"). Every error names the m-line (and its mid) and the
 * attribute, because the person reading it is usually debugging somebody
 * else's signalling code and has the SDP text next to them.
 *
 * rtc_jsep_parse_description() is here as well because
 * gst_sdp_message_parse_buffer() accepts nearly anything ("hello" parses
 * to an empty message), so text that is not SDP at all has to be caught
 * before it gets that far. */

#include <string.h>

#include "rtcjsep-validate.h"

/* "m-line 1 (mid 'video0')" or "m-line 1"; the mid escaped, since this
 * may be the message saying that it is not UTF-8. */
static gchar *
describe_mline (const GstSDPMessage * sdp, guint mline)
{
  const gchar *mid = rtc_sdp_media_get_mid (sdp, mline);
  gchar *ret, *safe;

  if (mid == NULL)
    return g_strdup_printf ("m-line %u", mline);
  safe = rtc_sdp_string_for_message (mid, 64);
  ret = g_strdup_printf ("m-line %u (mid '%s')", mline, safe);
  g_free (safe);
  return ret;
}

/* *INDENT-OFF* */
static void set_mline_error (GError ** error, gint code,
    const GstSDPMessage * sdp, guint mline, const gchar * format, ...)
    G_GNUC_PRINTF (5, 6);
/* *INDENT-ON* */

static void
set_mline_error (GError ** error, gint code, const GstSDPMessage * sdp,
    guint mline, const gchar * format, ...)
{
  gchar *where = describe_mline (sdp, mline);
  gchar *what;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RTC_JSEP_ERROR, code, "%s: %s", where, what);
  g_free (what);
  g_free (where);
}

/* ice-char = ALPHA / DIGIT / "+" / "/"
 * https://www.rfc-editor.org/rfc/rfc8839#section-5.4 */
static gboolean
is_ice_string (const gchar * s, gsize min, gsize max)
{
  gsize len = 0;

  for (; *s; s++, len++) {
    if (!g_ascii_isalnum (*s) && *s != '+' && *s != '/')
      return FALSE;
  }
  return len >= min && len <= max;
}

typedef struct
{
  const gchar *name;
  guint len;                    /* digest bytes */
} HashFunc;

/* https://www.rfc-editor.org/rfc/rfc8122#section-5 lists the names; md2
 * and md5 are left out on purpose, RFC 8122 says they MUST NOT be used. */
static const HashFunc hash_funcs[] = {
  {"sha-1", 20},
  {"sha-224", 28},
  {"sha-256", 32},
  {"sha-384", 48},
  {"sha-512", 64},
};

/* "sha-256 AB:CD:..." -> NULL, or why it is wrong (g_free). */
static gchar *
fingerprint_problem (const gchar * value)
{
  const gchar *sp, *hex;
  const HashFunc *func = NULL;
  gchar *hash;
  guint i, n = 0;

  if (value == NULL || (sp = strchr (value, ' ')) == NULL || sp == value)
    return g_strdup ("expected '<hash function> <hex bytes>'");
  hash = g_ascii_strdown (value, sp - value);
  for (i = 0; i < G_N_ELEMENTS (hash_funcs); i++) {
    if (strcmp (hash, hash_funcs[i].name) == 0)
      func = &hash_funcs[i];
  }
  if (func == NULL) {
    gchar *why = g_strdup_printf ("hash function '%s' is not one of sha-1, "
        "sha-224, sha-256, sha-384, sha-512", hash);
    g_free (hash);
    return why;
  }
  g_free (hash);

  /* fingerprint = 2UHEX *(":" 2UHEX); lower case is accepted too, as
   * RFC 8122 section 5 asks. */
  hex = sp;
  while (*hex == ' ')
    hex++;
  for (;;) {
    if (!g_ascii_isxdigit (hex[0]) || !g_ascii_isxdigit (hex[1]))
      break;
    n++;
    hex += 2;
    if (*hex != ':')
      break;
    hex++;
  }
  while (*hex == ' ')
    hex++;
  if (*hex != '\0' || n != func->len)
    return g_strdup_printf ("expected %u colon-separated hex bytes for %s",
        func->len, func->name);
  return NULL;
}

/* Checks every a=fingerprint of @media (session level when NULL); TRUE with @found set when one is
 * usable, FALSE (error set) when one is malformed. */
static gboolean
check_fingerprints (const GstSDPMessage * sdp, guint mline,
    const GstSDPMedia * media, gboolean * found, GError ** error)
{
  guint i, n;

  *found = FALSE;
  n = media ? gst_sdp_media_attributes_len (media) :
      gst_sdp_message_attributes_len (sdp);
  for (i = 0; i < n; i++) {
    const GstSDPAttribute *a = media ? gst_sdp_media_get_attribute (media, i)
        : gst_sdp_message_get_attribute (sdp, i);
    gchar *why;

    if (g_strcmp0 (a->key, "fingerprint") != 0)
      continue;
    if ((why = fingerprint_problem (a->value))) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
          "a=fingerprint '%s'%s is malformed (%s)", a->value ? a->value : "",
          media ? "" : " (session level)", why);
      g_free (why);
      return FALSE;
    }
    *found = TRUE;
  }
  return TRUE;
}

typedef struct
{
  gchar **mids;                 /* of the first BUNDLE group, or NULL */
  gint tagged;                  /* m-line of its first mid, or -1 */
} Bundle;

/* The m-line that carries the transport of @mline: itself, or when its
 * own attributes are missing and it is in a BUNDLE group, the group's
 * tagged (first) m-line. RFC 8843 section 7.3.1 lets an answer put the
 * transport attributes only in the tagged m= section. */
static guint
transport_mline (const GstSDPMessage * sdp, guint mline, const Bundle * bundle)
{
  const gchar *mid = rtc_sdp_media_get_mid (sdp, mline);

  if (bundle->mids == NULL || mid == NULL || bundle->tagged < 0)
    return mline;
  if (!g_strv_contains ((const gchar * const *) bundle->mids, mid))
    return mline;
  return bundle->tagged;
}

static gboolean
check_transport (const GstSDPMessage * sdp, guint mline, const Bundle * bundle,
    GError ** error)
{
  const GstSDPMedia *media = gst_sdp_message_get_media (sdp, mline);
  const gchar *ufrag, *pwd;
  gboolean found;

  /* Malformed values are wrong wherever they are, so look at this
   * m-line's own attributes first. */
  if (!check_fingerprints (sdp, mline, media, &found, error))
    return FALSE;
  if (!found) {
    guint t = transport_mline (sdp, mline, bundle);

    if (t != mline && !check_fingerprints (sdp, mline,
            gst_sdp_message_get_media (sdp, t), &found, error))
      return FALSE;
    if (!found && !check_fingerprints (sdp, mline, NULL, &found, error))
      return FALSE;
  }
  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.8: "a=fingerprint
   * ... MUST be present", at media or session level. */
  if (!found) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "no a=fingerprint (at media or session level); DTLS needs one "
        "(RFC 8122)");
    return FALSE;
  }

  ufrag = rtc_sdp_media_get_ice_ufrag (sdp, mline);
  pwd = rtc_sdp_media_get_ice_pwd (sdp, mline);
  if (ufrag == NULL && pwd == NULL) {
    guint t = transport_mline (sdp, mline, bundle);

    ufrag = rtc_sdp_media_get_ice_ufrag (sdp, t);
    pwd = rtc_sdp_media_get_ice_pwd (sdp, t);
  }
  /* https://www.rfc-editor.org/rfc/rfc8839#section-5.4:
   * ice-ufrag 4*256ice-char, ice-pwd 22*256ice-char. */
  if (ufrag == NULL) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "no a=ice-ufrag (at media or session level)");
    return FALSE;
  }
  if (!is_ice_string (ufrag, 4, 256)) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "a=ice-ufrag '%s' is invalid (RFC 8839: 4 to 256 characters of "
        "A-Z a-z 0-9 + /)", ufrag);
    return FALSE;
  }
  if (pwd == NULL) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "no a=ice-pwd (at media or session level)");
    return FALSE;
  }
  if (!is_ice_string (pwd, 22, 256)) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "a=ice-pwd '%s' is invalid (RFC 8839: 22 to 256 characters of "
        "A-Z a-z 0-9 + /; this one has %u)", pwd, (guint) strlen (pwd));
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_setup (const GstSDPMessage * sdp, guint mline, GstWebRTCSDPType type,
    GError ** error)
{
  const gchar *setup = rtc_sdp_get_attribute (sdp, mline, "setup");

  if (setup == NULL)
    return TRUE;
  /* https://www.rfc-editor.org/rfc/rfc5763#section-5: the offerer uses
   * actpass, the answerer picks active or passive. holdconn has no
   * meaning for DTLS (RFC 8842 section 5.1). */
  if (strcmp (setup, "actpass") != 0 && strcmp (setup, "active") != 0
      && strcmp (setup, "passive") != 0) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "a=setup:%s is not one of actpass, active, passive", setup);
    return FALSE;
  }
  if ((type == GST_WEBRTC_SDP_TYPE_ANSWER
          || type == GST_WEBRTC_SDP_TYPE_PRANSWER)
      && strcmp (setup, "actpass") == 0) {
    set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
        "a=setup:actpass is not allowed in an answer; the answerer must "
        "choose active or passive (RFC 5763 section 5)");
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_port_value (const gchar * v, guint min, guint max)
{
  guint64 n;
  gchar *end = NULL;

  if (v == NULL || !g_ascii_isdigit (v[0]))
    return FALSE;
  n = g_ascii_strtoull (v, &end, 10);
  return *end == '\0' && n >= min && n <= max;
}

static gboolean
check_media (const GstSDPMessage * sdp, guint mline, GError ** error)
{
  const GstSDPMedia *media = gst_sdp_message_get_media (sdp, mline);
  const gchar *proto = gst_sdp_media_get_proto (media);
  const gchar *v;

  if (proto && strstr (proto, "RTP/")) {
    GArray *codecs;
    gboolean ok;

    /* https://www.rfc-editor.org/rfc/rfc8866#section-5.14: at least one
     * format. An offer with none could never be answered. */
    if (gst_sdp_media_formats_len (media) == 0) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
          "m=%s has no RTP payload types", gst_sdp_media_get_media (media));
      return FALSE;
    }
    /* Every payload type must be readable (rtpmap or a static type). */
    codecs = rtc_codec_array_new ();
    ok = rtc_sdp_media_get_codecs (sdp, mline, codecs, error);
    g_array_unref (codecs);
    return ok;
  }

  if (proto && strstr (proto, "SCTP")) {
    /* https://www.rfc-editor.org/rfc/rfc8841#section-5: "UDP/DTLS/SCTP"
     * and "TCP/DTLS/SCTP" carry a=sctp-port. The pre-standard
     * "DTLS/SCTP <port>" with a=sctpmap:<port> (Chromium before M57 and
     * some gateways) is still accepted. */
    v = gst_sdp_media_get_attribute_val (media, "sctp-port");
    if (v) {
      if (!check_port_value (v, 1, 65535)) {
        set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
            "a=sctp-port:%s is not a port number", v);
        return FALSE;
      }
    } else if (gst_sdp_media_get_attribute_val (media, "sctpmap") == NULL) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
          "m=%s %s has no a=sctp-port (RFC 8841)",
          gst_sdp_media_get_media (media), proto);
      return FALSE;
    }
    v = gst_sdp_media_get_attribute_val (media, "max-message-size");
    if (v && !check_port_value (v, 0, G_MAXUINT32)) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, mline,
          "a=max-message-size:%s is not a number", v);
      return FALSE;
    }
  }
  return TRUE;
}

/* Walking every string of a description: each has to be one GLib takes
 * as a string (UTF-8, no control characters) and not longer than
 * RTC_JSEP_MAX_VALUE_LENGTH, and together they stay under
 * RTC_JSEP_MAX_DESCRIPTION_SIZE. Counts are checked before anything is
 * looked at, so nothing later walks an unbounded list. */
typedef struct
{
  const GstSDPMessage *sdp;
  gint mline;                   /* -1: session level */
  gsize total;
  GError **error;
} Walk;

/* *INDENT-OFF* */
static gboolean walk_fail (Walk * w, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

static gboolean
walk_fail (Walk * w, const gchar * format, ...)
{
  gchar *what;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (w->mline >= 0)
    set_mline_error (w->error, RTC_JSEP_ERROR_INVALID_SDP, w->sdp, w->mline,
        "%s", what);
  else
    g_set_error (w->error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "session level: %s", what);
  g_free (what);
  return FALSE;
}

/* @line names where @s is, as the SDP text would show it: "s=", "o=
 * (username)", "a=rtpmap". */
static gboolean
walk_string (Walk * w, const gchar * line, const gchar * s)
{
  gchar *why, *safe;

  if (s == NULL)
    return TRUE;
  why = rtc_sdp_string_problem (s, RTC_JSEP_MAX_VALUE_LENGTH);
  if (why) {
    safe = rtc_sdp_string_for_message (s, 40);
    walk_fail (w, "%s value '%s' %s", line, safe, why);
    g_free (safe);
    g_free (why);
    return FALSE;
  }
  w->total += strlen (s) + 1;
  if (w->total > RTC_JSEP_MAX_DESCRIPTION_SIZE) {
    g_set_error (w->error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "The description is larger than %u bytes",
        RTC_JSEP_MAX_DESCRIPTION_SIZE);
    return FALSE;
  }
  return TRUE;
}

static gboolean
walk_count (Walk * w, const gchar * what, guint n, guint max)
{
  if (n > max)
    return walk_fail (w, "%u %s, more than the %u accepted", n, what, max);
  return TRUE;
}

static gboolean
walk_connection (Walk * w, const GstSDPConnection * c)
{
  return walk_string (w, "c= (nettype)", c->nettype)
      && walk_string (w, "c= (addrtype)", c->addrtype)
      && walk_string (w, "c= (address)", c->address);
}

static gboolean
walk_bandwidth (Walk * w, const GstSDPBandwidth * b)
{
  return walk_string (w, "b= (bwtype)", b->bwtype);
}

static gboolean
walk_key (Walk * w, const GstSDPKey * k)
{
  return walk_string (w, "k= (method)", k->type)
      && walk_string (w, "k= (key)", k->data);
}

/* a=fmtp:<pt> <param>=<value>;... (RFC 8866 section 6.15) */
static gboolean
walk_fmtp (Walk * w, const gchar * value)
{
  guint n = 1;
  const gchar *p;

  for (p = value; *p; p++)
    n += *p == ';';
  if (n > RTC_JSEP_MAX_FMTP_PARAMS) {
    gchar *safe = rtc_sdp_string_for_message (value, 40);

    walk_fail (w, "a=fmtp:%s has %u parameters, more than the %u accepted",
        safe, n, RTC_JSEP_MAX_FMTP_PARAMS);
    g_free (safe);
    return FALSE;
  }
  return TRUE;
}

static gboolean
walk_attribute (Walk * w, const GstSDPAttribute * a)
{
  gchar *line;
  gboolean ok;

  if (!walk_string (w, "a= (attribute name)", a->key))
    return FALSE;
  line = g_strdup_printf ("a=%s", a->key ? a->key : "");
  ok = walk_string (w, line, a->value);
  g_free (line);
  if (ok && a->value && g_strcmp0 (a->key, "fmtp") == 0)
    ok = walk_fmtp (w, a->value);
  return ok;
}

static gboolean
walk_media (Walk * w, const GstSDPMedia * m)
{
  guint i, n_cand = 0;

  if (!walk_count (w, "formats", gst_sdp_media_formats_len (m),
          RTC_JSEP_MAX_FORMATS)
      || !walk_count (w, "attributes", gst_sdp_media_attributes_len (m),
          RTC_JSEP_MAX_ATTRIBUTES)
      || !walk_count (w, "c= lines", gst_sdp_media_connections_len (m),
          RTC_JSEP_MAX_OTHER_LINES)
      || !walk_count (w, "b= lines", gst_sdp_media_bandwidths_len (m),
          RTC_JSEP_MAX_OTHER_LINES))
    return FALSE;
  for (i = 0; i < gst_sdp_media_attributes_len (m); i++)
    n_cand += g_strcmp0 (gst_sdp_media_get_attribute (m, i)->key,
        "candidate") == 0;
  if (!walk_count (w, "a=candidate lines", n_cand, RTC_JSEP_MAX_CANDIDATES))
    return FALSE;

  /* https://www.rfc-editor.org/rfc/rfc8866#section-5.14: m=<media>
   * <port> <proto> <fmt> ...; the text check sees this for text, a
   * message built in code needs it too. */
  if (gst_sdp_media_get_media (m) == NULL || !*gst_sdp_media_get_media (m))
    return walk_fail (w, "the m= line has no media type");
  if (gst_sdp_media_get_proto (m) == NULL || !*gst_sdp_media_get_proto (m))
    return walk_fail (w, "the m= line has no transport protocol");
  if (!walk_string (w, "m= (media)", gst_sdp_media_get_media (m))
      || !walk_string (w, "m= (proto)", gst_sdp_media_get_proto (m))
      || !walk_string (w, "i=", gst_sdp_media_get_information (m)))
    return FALSE;
  for (i = 0; i < gst_sdp_media_formats_len (m); i++) {
    const gchar *fmt = gst_sdp_media_get_format (m, i);

    if (fmt == NULL || *fmt == '\0')
      return walk_fail (w, "the m= line has an empty format (a format "
          "list cut short?)");
    if (!walk_string (w, "m= (format)", fmt))
      return FALSE;
  }
  for (i = 0; i < gst_sdp_media_connections_len (m); i++) {
    if (!walk_connection (w, gst_sdp_media_get_connection (m, i)))
      return FALSE;
  }
  for (i = 0; i < gst_sdp_media_bandwidths_len (m); i++) {
    if (!walk_bandwidth (w, gst_sdp_media_get_bandwidth (m, i)))
      return FALSE;
  }
  if (!walk_key (w, gst_sdp_media_get_key (m)))
    return FALSE;
  for (i = 0; i < gst_sdp_media_attributes_len (m); i++) {
    if (!walk_attribute (w, gst_sdp_media_get_attribute (m, i)))
      return FALSE;
  }
  return TRUE;
}

static gboolean
walk_session (Walk * w, const GstSDPMessage * sdp)
{
  const GstSDPOrigin *o = gst_sdp_message_get_origin (sdp);
  guint i, j;

  if (!walk_count (w, "attributes", gst_sdp_message_attributes_len (sdp),
          RTC_JSEP_MAX_ATTRIBUTES)
      || !walk_count (w, "e= lines", gst_sdp_message_emails_len (sdp),
          RTC_JSEP_MAX_OTHER_LINES)
      || !walk_count (w, "p= lines", gst_sdp_message_phones_len (sdp),
          RTC_JSEP_MAX_OTHER_LINES)
      || !walk_count (w, "b= lines", gst_sdp_message_bandwidths_len (sdp),
          RTC_JSEP_MAX_OTHER_LINES)
      || !walk_count (w, "t= lines", gst_sdp_message_times_len (sdp),
          RTC_JSEP_MAX_OTHER_LINES)
      || !walk_count (w, "z= adjustments", gst_sdp_message_zones_len (sdp),
          RTC_JSEP_MAX_OTHER_LINES))
    return FALSE;

  if (!walk_string (w, "v=", gst_sdp_message_get_version (sdp))
      || !walk_string (w, "o= (username)", o->username)
      || !walk_string (w, "o= (sess-id)", o->sess_id)
      || !walk_string (w, "o= (sess-version)", o->sess_version)
      || !walk_string (w, "o= (nettype)", o->nettype)
      || !walk_string (w, "o= (addrtype)", o->addrtype)
      || !walk_string (w, "o= (address)", o->addr)
      || !walk_string (w, "s=", gst_sdp_message_get_session_name (sdp))
      || !walk_string (w, "i=", gst_sdp_message_get_information (sdp))
      || !walk_string (w, "u=", gst_sdp_message_get_uri (sdp))
      || !walk_connection (w, gst_sdp_message_get_connection (sdp))
      || !walk_key (w, gst_sdp_message_get_key (sdp)))
    return FALSE;
  /* https://www.rfc-editor.org/rfc/rfc8866#section-5: every description
   * starts with v=0 and an o= line. GstSDP parses any text, even "hello",
   * into a message without them. */
  if (g_strcmp0 (gst_sdp_message_get_version (sdp), "0") != 0) {
    gchar *safe =
        rtc_sdp_string_for_message (gst_sdp_message_get_version (sdp), 40);

    walk_fail (w, "v= is %s, not 0; is this SDP?", safe);
    g_free (safe);
    return FALSE;
  }
  if (o->sess_id == NULL || o->sess_version == NULL || o->addr == NULL)
    return walk_fail (w, "no complete o= line (RFC 8866 section 5.2)");
  for (i = 0; i < gst_sdp_message_emails_len (sdp); i++) {
    if (!walk_string (w, "e=", gst_sdp_message_get_email (sdp, i)))
      return FALSE;
  }
  for (i = 0; i < gst_sdp_message_phones_len (sdp); i++) {
    if (!walk_string (w, "p=", gst_sdp_message_get_phone (sdp, i)))
      return FALSE;
  }
  for (i = 0; i < gst_sdp_message_bandwidths_len (sdp); i++) {
    if (!walk_bandwidth (w, gst_sdp_message_get_bandwidth (sdp, i)))
      return FALSE;
  }
  for (i = 0; i < gst_sdp_message_times_len (sdp); i++) {
    const GstSDPTime *t = gst_sdp_message_get_time (sdp, i);
    guint n_repeat = t->repeat ? t->repeat->len : 0;

    if (!walk_count (w, "r= lines", n_repeat, RTC_JSEP_MAX_OTHER_LINES)
        || !walk_string (w, "t= (start)", t->start)
        || !walk_string (w, "t= (stop)", t->stop))
      return FALSE;
    for (j = 0; j < n_repeat; j++) {
      if (!walk_string (w, "r=", g_array_index (t->repeat, gchar *, j)))
        return FALSE;
    }
  }
  for (i = 0; i < gst_sdp_message_zones_len (sdp); i++) {
    const GstSDPZone *z = gst_sdp_message_get_zone (sdp, i);

    if (!walk_string (w, "z= (time)", z->time)
        || !walk_string (w, "z= (offset)", z->typed_time))
      return FALSE;
  }
  for (i = 0; i < gst_sdp_message_attributes_len (sdp); i++) {
    if (!walk_attribute (w, gst_sdp_message_get_attribute (sdp, i)))
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_strings_and_limits (const GstSDPMessage * sdp, GError ** error)
{
  Walk w = { sdp, -1, 0, error };
  guint i, n = gst_sdp_message_medias_len (sdp);

  if (n > RTC_JSEP_MAX_MLINES) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "The description has %u m-lines, more than the %u accepted", n,
        RTC_JSEP_MAX_MLINES);
    return FALSE;
  }
  if (!walk_session (&w, sdp))
    return FALSE;
  for (i = 0; i < n; i++) {
    w.mline = i;
    if (!walk_media (&w, gst_sdp_message_get_media (sdp, i)))
      return FALSE;
  }
  return TRUE;
}

/* Every BUNDLE group names existing mids, each once, and when bundling
 * every m-line that takes part has a mid.
 * https://www.rfc-editor.org/rfc/rfc8843#section-7 */
static gboolean
check_bundle_groups (const GstSDPMessage * sdp, GHashTable * mids,
    GError ** error)
{
  gboolean bundling = FALSE;
  guint i, j;

  for (i = 0; i < gst_sdp_message_attributes_len (sdp); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute (sdp, i);
    GHashTable *seen;
    gchar **t;
    gboolean ok = TRUE;

    if (g_strcmp0 (a->key, "group") != 0 || a->value == NULL)
      continue;
    t = g_strsplit_set (a->value, " \t", -1);
    if (g_strcmp0 (t[0], "BUNDLE") != 0) {
      g_strfreev (t);
      continue;
    }
    seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (j = 1; ok && t[j]; j++) {
      if (t[j][0] == '\0')
        continue;
      bundling = TRUE;
      if (!g_hash_table_contains (mids, t[j])) {
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "a=group:%s names mid '%s', but no m-line has a=mid:%s",
            a->value, t[j], t[j]);
        ok = FALSE;
      } else if (!g_hash_table_add (seen, t[j])) {
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "a=group:%s names mid '%s' twice", a->value, t[j]);
        ok = FALSE;
      }
    }
    g_hash_table_unref (seen);
    g_strfreev (t);
    if (!ok)
      return FALSE;
  }

  if (bundling) {
    for (i = 0; i < gst_sdp_message_medias_len (sdp); i++) {
      if (rtc_sdp_media_is_rejected (sdp, i))
        continue;
      if (rtc_sdp_media_get_mid (sdp, i) == NULL) {
        set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, i,
            "no a=mid, which BUNDLE needs to tell the m-lines apart "
            "(RFC 8843 section 7)");
        return FALSE;
      }
    }
  }
  return TRUE;
}

/* https://www.rfc-editor.org/rfc/rfc5888#section-4: "mid" values are
 * unique within a description. Fills @mids (mid -> m-line + 1). */
static gboolean
check_unique_mids (const GstSDPMessage * sdp, GHashTable * mids,
    GError ** error)
{
  guint i, n = gst_sdp_message_medias_len (sdp);

  for (i = 0; i < n; i++) {
    const gchar *mid = rtc_sdp_media_get_mid (sdp, i);
    gpointer other;

    if (mid == NULL)
      continue;
    if (mid[0] == '\0') {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, i,
          "a=mid is empty");
      return FALSE;
    }
    if ((other = g_hash_table_lookup (mids, mid))) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_SDP, sdp, i,
          "duplicate a=mid '%s' (m-line %u has it too)", mid,
          GPOINTER_TO_UINT (other) - 1);
      return FALSE;
    }
    g_hash_table_insert (mids, (gpointer) mid, GUINT_TO_POINTER (i + 1));
  }
  return TRUE;
}

/* m-lines are never removed or reordered, only added or recycled:
 * https://www.rfc-editor.org/rfc/rfc8829#section-5.2.2 and 5.8 ("the
 * number of m= sections ... MUST NOT be fewer than in the previous"). An
 * m-line that was rejected may be recycled with a new kind and mid. */
static gboolean
check_against_previous (const GstSDPMessage * sdp,
    const GstSDPMessage * previous, GError ** error)
{
  guint n = gst_sdp_message_medias_len (sdp);
  guint prev_n = gst_sdp_message_medias_len (previous);
  guint i;

  if (n < prev_n) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_MODIFICATION,
        "The description has %u m-lines but the previous one had %u; "
        "m-lines can be added or rejected (port 0) but never removed "
        "(RFC 8829 section 5.2.2)", n, prev_n);
    return FALSE;
  }
  for (i = 0; i < prev_n; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (sdp, i);
    const GstSDPMedia *p = gst_sdp_message_get_media (previous, i);
    const gchar *mid = rtc_sdp_media_get_mid (sdp, i);
    const gchar *prev_mid = rtc_sdp_media_get_mid (previous, i);

    if (rtc_sdp_media_is_rejected (previous, i))
      continue;
    if (g_strcmp0 (gst_sdp_media_get_media (m),
            gst_sdp_media_get_media (p)) != 0) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_MODIFICATION, sdp, i,
          "kind changed from '%s' to '%s'; an m-line keeps its kind until "
          "it is rejected", gst_sdp_media_get_media (p),
          gst_sdp_media_get_media (m));
      return FALSE;
    }
    if (prev_mid && g_strcmp0 (mid, prev_mid) != 0) {
      set_mline_error (error, RTC_JSEP_ERROR_INVALID_MODIFICATION, sdp, i,
          "mid changed from '%s' to '%s'; an m-line keeps its mid until "
          "it is rejected", prev_mid, mid ? mid : "(none)");
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
rtc_jsep_validate_description (const GstSDPMessage * sdp,
    GstWebRTCSDPType type, RtcSdpSource source, const GstSDPMessage * previous,
    GError ** error)
{
  GHashTable *mids;
  Bundle bundle;
  gboolean ok = TRUE;
  guint i;

  if (rtc_sdp_type_to_string (type) == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "Unknown session description type %d (expected offer, pranswer, "
        "answer or rollback)", (gint) type);
    return FALSE;
  }
  /* The content of a rollback is ignored, and usually empty:
   * https://w3c.github.io/webrtc-pc/#dom-rtcsdptype-rollback */
  if (type == GST_WEBRTC_SDP_TYPE_ROLLBACK)
    return TRUE;
  if (sdp == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "An %s needs a session description", rtc_sdp_type_to_string (type));
    return FALSE;
  }

  /* First, so that every later check (and message) can rely on clean
   * strings and bounded lists. */
  if (!check_strings_and_limits (sdp, error))
    return FALSE;
  mids = g_hash_table_new (g_str_hash, g_str_equal);
  ok = check_unique_mids (sdp, mids, error)
      && check_bundle_groups (sdp, mids, error);
  g_hash_table_unref (mids);
  if (!ok)
    return FALSE;
  if (previous && !check_against_previous (sdp, previous, error))
    return FALSE;

  bundle.mids = rtc_sdp_get_bundle_mids (sdp);
  bundle.tagged = bundle.mids ? rtc_sdp_find_mid (sdp, bundle.mids[0]) : -1;
  for (i = 0; ok && i < gst_sdp_message_medias_len (sdp); i++) {
    if (rtc_sdp_media_is_rejected (sdp, i))
      continue;
    ok = check_media (sdp, i, error) && check_transport (sdp, i, &bundle,
        error) && check_setup (sdp, i, type, error);
  }
  g_strfreev (bundle.mids);
  return ok;
}

/* Looks at the text line by line: "<letter>=<value>", starting with v=0,
 * an o= line, m= lines with proto and formats. This is what
 * gst_sdp_message_parse_buffer() does not check. */
static gboolean
check_sdp_text (const gchar * text, GError ** error)
{
  gchar **lines;
  gboolean ok = TRUE, seen_v = FALSE, seen_o = FALSE;
  guint i, lineno = 0;
  const gchar *p;

  if (strlen (text) > RTC_JSEP_MAX_DESCRIPTION_SIZE) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "SDP text is larger than %u bytes", RTC_JSEP_MAX_DESCRIPTION_SIZE);
    return FALSE;
  }
  if (!g_utf8_validate (text, -1, &p)) {
    const gchar *q, *line_start = text;

    lineno = 1;
    for (q = text; q < p; q++) {
      if (*q == '\n') {
        lineno++;
        line_start = q + 1;
      }
    }
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "SDP line %u is not UTF-8 (byte 0x%02x at column %" G_GSIZE_FORMAT
        "); binary data?", lineno, (guchar) * p,
        (gsize) (p - line_start) + 1);
    return FALSE;
  }

  lines = g_strsplit (text, "\n", -1);
  for (i = 0; ok && lines[i]; i++) {
    gchar *line = lines[i];
    gsize len = strlen (line);
    gsize k;

    lineno = i + 1;
    /* RFC 8866 wants CRLF; a bare LF is common and accepted. */
    if (len > 0 && line[len - 1] == '\r')
      line[--len] = '\0';
    if (len == 0)
      continue;
    for (k = 0; k < len; k++) {
      if ((guchar) line[k] < 0x20 && line[k] != '\t') {
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "SDP line %u contains control character 0x%02x; binary data?",
            lineno, (guchar) line[k]);
        ok = FALSE;
        break;
      }
    }
    if (!ok)
      break;
    /* https://www.rfc-editor.org/rfc/rfc8866#section-5: <type>=<value>,
     * <type> one lower-case letter. */
    if (len < 2 || !g_ascii_islower (line[0]) || line[1] != '=') {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "SDP line %u ('%.40s') is not of the form <letter>=<value>; "
          "is this SDP?", lineno, line);
      ok = FALSE;
      break;
    }
    if (!seen_v) {
      if (strcmp (line, "v=0") != 0) {
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "SDP must start with 'v=0', but line %u is '%.40s'", lineno, line);
        ok = FALSE;
        break;
      }
      seen_v = TRUE;
      continue;
    }
    switch (line[0]) {
      case 'v':
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "SDP line %u: a second v= line; two descriptions pasted "
            "together?", lineno);
        ok = FALSE;
        break;
      case 'o':{
        /* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <addr> */
        gchar **f = g_strsplit (line + 2, " ", -1);
        if (g_strv_length (f) != 6) {
          g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
              "SDP line %u: o= needs 6 fields, '%.60s' has %u", lineno,
              line, g_strv_length (f));
          ok = FALSE;
        }
        g_strfreev (f);
        seen_o = TRUE;
        break;
      }
      case 'm':{
        /* m=<media> <port>[/<n>] <proto> <fmt> ...
         * https://www.rfc-editor.org/rfc/rfc8866#section-5.14 */
        gchar **f = g_strsplit (line + 2, " ", -1);
        guint n = g_strv_length (f);
        if (n == 3 && g_ascii_isdigit (f[1][0])) {
          g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
              "SDP line %u: '%.60s' lists no formats (RFC 8866 section "
              "5.14 needs at least one)", lineno, line);
          ok = FALSE;
        } else if (n < 4 || !g_ascii_isdigit (f[1][0])) {
          g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
              "SDP line %u: '%.60s' is not '<media> <port> <proto> "
              "<format> ...' (truncated?)", lineno, line);
          ok = FALSE;
        }
        g_strfreev (f);
        break;
      }
      case 'a':
        if (len == 2 || line[2] == ':') {
          g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
              "SDP line %u: empty attribute name in '%.40s'", lineno, line);
          ok = FALSE;
        }
        break;
      default:
        break;
    }
    if (!ok)
      break;
    if (!seen_o && line[0] != 'o') {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "SDP line %u: expected the o= line right after v=0, got '%.40s'",
          lineno, line);
      ok = FALSE;
      break;
    }
  }
  /* A last line without its line end that does not make sense is most
   * likely a cut-off copy-and-paste or a short read. */
  if (!ok && lines[i] != NULL && lines[i + 1] == NULL) {
    gsize tlen = strlen (text);
    if (tlen > 0 && text[tlen - 1] != '\n')
      g_prefix_error (error, "SDP text ends in the middle of a line "
          "(truncated?): ");
  }
  g_strfreev (lines);

  if (ok && !seen_v) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "SDP text is empty");
    ok = FALSE;
  }
  return ok;
}

GstWebRTCSessionDescription *
rtc_jsep_parse_description (GstWebRTCSDPType type, const gchar * text,
    GError ** error)
{
  GstSDPMessage *msg;
  GstSDPResult res;

  if (rtc_sdp_type_to_string (type) == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "Unknown session description type %d (expected offer, pranswer, "
        "answer or rollback)", (gint) type);
    return NULL;
  }

  gst_sdp_message_new (&msg);
  /* A rollback's text is ignored (and usually empty):
   * https://w3c.github.io/webrtc-pc/#dom-rtcsdptype-rollback */
  if (type == GST_WEBRTC_SDP_TYPE_ROLLBACK)
    return gst_webrtc_session_description_new (type, msg);

  if (text == NULL || !check_sdp_text (text, error)) {
    if (text == NULL)
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "No SDP text");
    gst_sdp_message_free (msg);
    return NULL;
  }
  res = gst_sdp_message_parse_buffer ((const guint8 *) text, strlen (text),
      msg);
  if (res != GST_SDP_OK) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "SDP could not be parsed (GstSDPResult %d)", (gint) res);
    gst_sdp_message_free (msg);
    return NULL;
  }
  /* The description owns the message from here on. */
  return gst_webrtc_session_description_new (type, msg);
}
