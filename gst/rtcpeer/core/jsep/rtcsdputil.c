/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Reading a GstSDPMessage the way JSEP means it.
 *
 * Everything here is a pure function over a parsed message: no element,
 * no state. The readers are lenient (they return NULL / 0 / a default
 * when something is missing) because rtcjsep-validate.c is where a
 * description gets refused, with a message that says why; the one
 * exception is rtc_sdp_media_get_codecs(), which has to refuse an
 * rtpmap it cannot read rather than invent a codec. */

#include <stdlib.h>
#include <string.h>

#include "rtcsdputil.h"

GQuark
rtc_jsep_error_quark (void)
{
  return g_quark_from_static_string ("rtc-jsep-error-quark");
}

gchar *
rtc_sdp_string_problem (const gchar * s, gsize max_len)
{
  const gchar *end;
  gsize len, i;

  if (s == NULL)
    return NULL;
  len = strlen (s);
  if (len > max_len)
    return g_strdup_printf ("is longer than %" G_GSIZE_FORMAT " bytes (%"
        G_GSIZE_FORMAT ")", max_len, len);
  /* GLib refuses (with a warning) to put anything else in a string
   * field, which is fatal where warnings are. */
  if (!g_utf8_validate (s, len, &end))
    return g_strdup_printf ("is not UTF-8 (byte 0x%02x at offset %"
        G_GSIZE_FORMAT ")", (guchar) * end, (gsize) (end - s));
  /* Nothing in SDP needs them (RFC 8866 section 9: byte-string excludes
   * NUL, CR and LF; text fields are meant to be displayed). */
  for (i = 0; i < len; i++) {
    if (((guchar) s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
      return g_strdup_printf ("contains control character 0x%02x at "
          "offset %" G_GSIZE_FORMAT, (guchar) s[i], i);
  }
  return NULL;
}

gboolean
rtc_sdp_string_is_clean (const gchar * s, gsize max_len)
{
  gchar *why = rtc_sdp_string_problem (s, max_len);

  g_free (why);
  return why == NULL;
}

gchar *
rtc_sdp_string_for_message (const gchar * s, gsize max_chars)
{
  gchar *cut, *esc, *ret;
  gsize len;

  if (s == NULL)
    return g_strdup ("(null)");
  len = strlen (s);
  cut = g_strndup (s, MIN (len, max_chars));
  esc = g_strescape (cut, NULL);
  ret = len > max_chars ? g_strconcat (esc, "...", NULL) : g_strdup (esc);
  g_free (esc);
  g_free (cut);
  return ret;
}

static const GstSDPMedia *
get_media (const GstSDPMessage * msg, guint mline)
{
  g_return_val_if_fail (msg != NULL, NULL);

  if (mline >= gst_sdp_message_medias_len (msg))
    return NULL;
  return gst_sdp_message_get_media (msg, mline);
}

/* A decimal number that is all of @s (no sign, no trailing junk) and
 * at most @max. */
static gboolean
parse_uint (const gchar * s, guint max, guint * out)
{
  guint64 v;
  gchar *end = NULL;

  if (s == NULL || !g_ascii_isdigit (s[0]))
    return FALSE;
  v = g_ascii_strtoull (s, &end, 10);
  if (end == s || *end != '\0' || v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/* Like parse_uint() but stops at the first space, returning where the
 * rest starts (spaces skipped), as in "<pt> <rest>" attribute values. */
static gboolean
parse_uint_prefix (const gchar * s, guint max, guint * out, const gchar ** rest)
{
  guint64 v;
  gchar *end = NULL;

  if (s == NULL || !g_ascii_isdigit (s[0]))
    return FALSE;
  v = g_ascii_strtoull (s, &end, 10);
  if (end == s || v > max || (*end != '\0' && *end != ' ' && *end != '/'))
    return FALSE;
  *out = (guint) v;
  if (rest) {
    while (*end == ' ')
      end++;
    *rest = end;
  }
  return TRUE;
}

const gchar *
rtc_sdp_get_attribute (const GstSDPMessage * msg, guint mline,
    const gchar * key)
{
  const GstSDPMedia *media;
  const gchar *val = NULL;

  g_return_val_if_fail (msg != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  media = get_media (msg, mline);
  if (media)
    val = gst_sdp_media_get_attribute_val (media, key);
  if (val == NULL)
    val = gst_sdp_message_get_attribute_val (msg, key);
  return val;
}

const gchar *
rtc_sdp_media_get_mid (const GstSDPMessage * msg, guint mline)
{
  const GstSDPMedia *media = get_media (msg, mline);

  /* a=mid is media-level only (RFC 5888 section 4). */
  return media ? gst_sdp_media_get_attribute_val (media, "mid") : NULL;
}

gint
rtc_sdp_find_mid (const GstSDPMessage * msg, const gchar * mid)
{
  guint i;

  g_return_val_if_fail (msg != NULL, -1);

  if (mid == NULL)
    return -1;
  for (i = 0; i < gst_sdp_message_medias_len (msg); i++) {
    if (g_strcmp0 (rtc_sdp_media_get_mid (msg, i), mid) == 0)
      return (gint) i;
  }
  return -1;
}

RtcMediaKind
rtc_sdp_media_get_kind (const GstSDPMessage * msg, guint mline)
{
  const GstSDPMedia *media = get_media (msg, mline);
  const gchar *m = media ? gst_sdp_media_get_media (media) : NULL;

  if (g_strcmp0 (m, "audio") == 0)
    return RTC_MEDIA_KIND_AUDIO;
  if (g_strcmp0 (m, "video") == 0)
    return RTC_MEDIA_KIND_VIDEO;
  /* "application", and anything we do not know ("text", "message"),
   * which we treat as a non-RTP section. */
  return RTC_MEDIA_KIND_APPLICATION;
}

gboolean
rtc_sdp_media_is_rejected (const GstSDPMessage * msg, guint mline)
{
  const GstSDPMedia *media = get_media (msg, mline);

  if (media == NULL)
    return TRUE;
  if (gst_sdp_media_get_port (media) != 0)
    return FALSE;
  /* Port 0 plus a=bundle-only is an offered m-line that only lives inside
   * the BUNDLE transport, not a rejected one.
   * https://www.rfc-editor.org/rfc/rfc8843#section-6 */
  return !rtc_sdp_media_has_attribute (media, "bundle-only");
}

/* By key: a flag attribute added in code (not parsed) may carry a NULL
 * value, which gst_sdp_media_get_attribute_val () cannot tell from
 * absence. */
gboolean
rtc_sdp_media_has_attribute (const GstSDPMedia * media, const gchar * key)
{
  guint i, n = gst_sdp_media_attributes_len (media);

  for (i = 0; i < n; i++) {
    if (g_strcmp0 (gst_sdp_media_get_attribute (media, i)->key, key) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
direction_from_string (const gchar * key,
    GstWebRTCRTPTransceiverDirection * dir)
{
  if (g_strcmp0 (key, "sendrecv") == 0)
    *dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  else if (g_strcmp0 (key, "sendonly") == 0)
    *dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  else if (g_strcmp0 (key, "recvonly") == 0)
    *dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  else if (g_strcmp0 (key, "inactive") == 0)
    *dir = GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
  else
    return FALSE;
  return TRUE;
}

GstWebRTCRTPTransceiverDirection
rtc_sdp_media_get_direction (const GstSDPMessage * msg, guint mline)
{
  GstWebRTCRTPTransceiverDirection dir;
  const GstSDPMedia *media = get_media (msg, mline);
  guint i;

  /* The direction attributes are flags (no value), so look at the keys.
   * A media-level one wins over a session-level one, and without either
   * the default is sendrecv: https://www.rfc-editor.org/rfc/rfc3264#section-5.1 */
  if (media) {
    for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
      if (direction_from_string (a->key, &dir))
        return dir;
    }
  }
  for (i = 0; i < gst_sdp_message_attributes_len (msg); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute (msg, i);
    if (direction_from_string (a->key, &dir))
      return dir;
  }
  return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
}

GstWebRTCDTLSSetup
rtc_sdp_media_get_setup (const GstSDPMessage * msg, guint mline)
{
  const gchar *v = rtc_sdp_get_attribute (msg, mline, "setup");

  /* https://www.rfc-editor.org/rfc/rfc4145#section-4 ("holdconn" has no
   * meaning for DTLS and maps to NONE, like an absent attribute). */
  if (g_strcmp0 (v, "actpass") == 0)
    return GST_WEBRTC_DTLS_SETUP_ACTPASS;
  if (g_strcmp0 (v, "active") == 0)
    return GST_WEBRTC_DTLS_SETUP_ACTIVE;
  if (g_strcmp0 (v, "passive") == 0)
    return GST_WEBRTC_DTLS_SETUP_PASSIVE;
  return GST_WEBRTC_DTLS_SETUP_NONE;
}

const gchar *
rtc_sdp_media_get_ice_ufrag (const GstSDPMessage * msg, guint mline)
{
  return rtc_sdp_get_attribute (msg, mline, "ice-ufrag");
}

const gchar *
rtc_sdp_media_get_ice_pwd (const GstSDPMessage * msg, guint mline)
{
  return rtc_sdp_get_attribute (msg, mline, "ice-pwd");
}

const gchar *
rtc_sdp_media_get_fingerprint (const GstSDPMessage * msg, guint mline)
{
  /* Firefox puts it at session level, Chromium in every m-line.
   * https://www.rfc-editor.org/rfc/rfc8122#section-5 */
  return rtc_sdp_get_attribute (msg, mline, "fingerprint");
}

gchar **
rtc_sdp_get_bundle_mids (const GstSDPMessage * msg)
{
  guint i;

  g_return_val_if_fail (msg != NULL, NULL);

  /* a=group:BUNDLE <mid> <mid> ... https://www.rfc-editor.org/rfc/rfc8843#section-7.1 */
  for (i = 0; i < gst_sdp_message_attributes_len (msg); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute (msg, i);
    gchar **tokens;
    GPtrArray *mids;
    guint j;

    if (g_strcmp0 (a->key, "group") != 0 || a->value == NULL)
      continue;
    tokens = g_strsplit_set (a->value, " \t", -1);
    if (g_strcmp0 (tokens[0], "BUNDLE") != 0) {
      g_strfreev (tokens);
      continue;
    }
    mids = g_ptr_array_new ();
    for (j = 1; tokens[j]; j++) {
      if (tokens[j][0] != '\0')
        g_ptr_array_add (mids, g_strdup (tokens[j]));
    }
    g_strfreev (tokens);
    if (mids->len == 0) {
      /* An empty group bundles nothing; say "no group". */
      g_ptr_array_free (mids, TRUE);
      return NULL;
    }
    g_ptr_array_add (mids, NULL);
    return (gchar **) g_ptr_array_free (mids, FALSE);
  }
  return NULL;
}

/* RTP/AVP static payload types that may appear without an a=rtpmap.
 * https://www.rfc-editor.org/rfc/rfc3551#section-6 (tables 4 and 5) */
typedef struct
{
  guint pt;
  const gchar *name;
  guint clock_rate;
} StaticPt;

static const StaticPt static_pts[] = {
  {0, "PCMU", 8000},
  {3, "GSM", 8000},
  {4, "G723", 8000},
  {5, "DVI4", 8000},
  {6, "DVI4", 16000},
  {7, "LPC", 8000},
  {8, "PCMA", 8000},
  {9, "G722", 8000},
  {10, "L16", 44100},
  {11, "L16", 44100},
  {12, "QCELP", 8000},
  {13, "CN", 8000},
  {14, "MPA", 90000},
  {15, "G728", 8000},
  {16, "DVI4", 11025},
  {17, "DVI4", 22050},
  {18, "G729", 8000},
  {25, "CelB", 90000},
  {26, "JPEG", 90000},
  {28, "nv", 90000},
  {31, "H261", 90000},
  {32, "MPV", 90000},
  {33, "MP2T", 90000},
  {34, "H263", 90000},
};

static const StaticPt *
find_static_pt (guint pt)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (static_pts); i++) {
    if (static_pts[i].pt == pt)
      return &static_pts[i];
  }
  return NULL;
}

static gboolean
is_rtp_proto (const GstSDPMedia * media)
{
  const gchar *proto = gst_sdp_media_get_proto (media);

  /* RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, TCP/DTLS/RTP/SAVPF ... */
  return proto != NULL && strstr (proto, "RTP/") != NULL;
}

/* The value of every "a=<key>:<pt> <rest>" of @media, i.e. <rest>, by
 * payload type; the first one wins. One pass, so that a section with many
 * formats and attributes costs their sum, not their product. */
static void
index_pt_attributes (const GstSDPMedia * media, const gchar * key,
    const gchar * by_pt[128])
{
  guint i;

  memset (by_pt, 0, 128 * sizeof (by_pt[0]));
  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
    const gchar *rest;
    guint p;

    if (g_strcmp0 (a->key, key) != 0 || a->value == NULL)
      continue;
    if (parse_uint_prefix (a->value, 127, &p, &rest) && by_pt[p] == NULL)
      by_pt[p] = rest;
  }
}

/* "nack", "nack pli", "ccm fir", "transport-cc", "goog-remb" ->
 * flag; 0 for the ones we do not use (e.g. "ccm tmmbr").
 * https://www.rfc-editor.org/rfc/rfc4585#section-4.2 */
static guint
feedback_from_string (const gchar * fb)
{
  gchar **t = g_strsplit_set (fb, " \t", -1);
  guint flag = 0;

  if (g_strcmp0 (t[0], "nack") == 0) {
    if (t[1] == NULL || t[1][0] == '\0')
      flag = RTC_FB_NACK;
    else if (g_strcmp0 (t[1], "pli") == 0)
      flag = RTC_FB_NACK_PLI;
  } else if (g_strcmp0 (t[0], "ccm") == 0 && g_strcmp0 (t[1], "fir") == 0) {
    flag = RTC_FB_CCM_FIR;
  } else if (g_strcmp0 (t[0], "transport-cc") == 0) {
    flag = RTC_FB_TRANSPORT_CC;
  } else if (g_strcmp0 (t[0], "goog-remb") == 0) {
    flag = RTC_FB_GOOG_REMB;
  }
  g_strfreev (t);
  return flag;
}

/* The apt= value of an RTX fmtp ("apt=96" or "apt=96;rtx-time=3000").
 * https://www.rfc-editor.org/rfc/rfc4588#section-8.6 */
static gboolean
fmtp_get_apt (const gchar * fmtp, guint * apt)
{
  gchar **params;
  gboolean ret = FALSE;
  guint i;

  if (fmtp == NULL)
    return FALSE;
  params = g_strsplit (fmtp, ";", -1);
  for (i = 0; params[i]; i++) {
    gchar *p = g_strstrip (params[i]);
    if (g_ascii_strncasecmp (p, "apt=", 4) == 0) {
      ret = parse_uint (p + 4, 127, apt);
      break;
    }
  }
  g_strfreev (params);
  return ret;
}

/* Splits "<name>/<rate>[/<channels>]" of an rtpmap. */
static gboolean
parse_rtpmap (const gchar * value, gchar ** name, guint * rate,
    guint * channels)
{
  gchar **parts = g_strsplit (value, "/", -1);
  guint n = g_strv_length (parts);
  gboolean ok = FALSE;

  *channels = 0;
  if ((n == 2 || n == 3) && parts[0][0] != '\0'
      && parse_uint (g_strstrip (parts[1]), G_MAXINT, rate) && *rate > 0
      && (n == 2 || parse_uint (g_strstrip (parts[2]), 255, channels))) {
    *name = g_strdup (parts[0]);
    ok = TRUE;
  }
  g_strfreev (parts);
  return ok;
}

typedef struct
{
  guint pt;
  guint apt;
} RtxPt;

gboolean
rtc_sdp_media_get_codecs (const GstSDPMessage * msg, guint mline,
    GArray * codecs, GError ** error)
{
  const GstSDPMedia *media;
  gchar *mid, *bad;
  guint first = codecs ? codecs->len : 0;
  GArray *rtx;
  const gchar *rtpmaps[128], *fmtps[128];
  guint wildcard_fb = 0;
  guint i, j;

  g_return_val_if_fail (msg != NULL, FALSE);
  g_return_val_if_fail (codecs != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (codecs) == sizeof (RtcCodec),
      FALSE);

  media = get_media (msg, mline);
  if (media == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
        "m-line %u does not exist (the description has %u)", mline,
        gst_sdp_message_medias_len (msg));
    return FALSE;
  }
  /* Data channel sections carry no RTP codecs. */
  if (!is_rtp_proto (media))
    return TRUE;
  /* Only for messages; remote text is escaped in them, so that whoever
   * prints or forwards one gets UTF-8. */
  mid = rtc_sdp_string_for_message (gst_sdp_media_get_attribute_val (media,
          "mid"), 64);

  rtx = g_array_new (FALSE, FALSE, sizeof (RtxPt));
  index_pt_attributes (media, "rtpmap", rtpmaps);
  index_pt_attributes (media, "fmtp", fmtps);

  /* The m= line gives the preference order
   * (https://www.rfc-editor.org/rfc/rfc3264#section-5.1); rtpmap gives
   * each format its name. RTX formats are remembered and folded into
   * the codec they repair afterwards, since apt= may point forward. */
  for (i = 0; i < gst_sdp_media_formats_len (media); i++) {
    const gchar *fmt = gst_sdp_media_get_format (media, i);
    const gchar *rtpmap, *fmtp;
    RtcCodec codec = { 0, };
    guint pt;

    if (!parse_uint (fmt, 127, &pt)) {
      bad = rtc_sdp_string_for_message (fmt, 64);
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "m-line %u (mid '%s'): format '%s' is not an RTP payload type "
          "(0..127)", mline, mid, bad);
      g_free (bad);
      goto fail;
    }
    fmtp = fmtps[pt];
    rtpmap = rtpmaps[pt];
    codec.pt = pt;
    if (rtpmap) {
      if (!parse_rtpmap (rtpmap, &codec.encoding_name, &codec.clock_rate,
              &codec.channels)) {
        bad = rtc_sdp_string_for_message (rtpmap, 64);
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "m-line %u (mid '%s'): a=rtpmap:%u '%s' is malformed (expected "
            "<encoding>/<clock rate>[/<channels>])", mline, mid, pt, bad);
        g_free (bad);
        goto fail;
      }
    } else {
      const StaticPt *s = find_static_pt (pt);

      /* Dynamic payload types mean nothing without their rtpmap.
       * https://www.rfc-editor.org/rfc/rfc8866#section-6.6 */
      if (s == NULL) {
        g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
            "m-line %u (mid '%s'): payload type %u has no a=rtpmap", mline,
            mid, pt);
        goto fail;
      }
      codec.encoding_name = g_strdup (s->name);
      codec.clock_rate = s->clock_rate;
      /* channels stays 0: "not given", which for audio means 1. */
    }

    if (g_ascii_strcasecmp (codec.encoding_name, "rtx") == 0) {
      RtxPt r = { pt, 0 };

      /* An RTX format without apt= repairs nothing; skip it. */
      if (fmtp_get_apt (fmtp, &r.apt))
        g_array_append_val (rtx, r);
      g_free (codec.encoding_name);
      continue;
    }
    if (fmtp)
      codec.fmtp = g_strdup (fmtp);
    g_array_append_val (codecs, codec);
  }

  /* a=rtcp-fb:<pt> <type> and a=rtcp-fb:* <type>
   * https://www.rfc-editor.org/rfc/rfc4585#section-4.2 */
  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
    const gchar *rest;
    guint pt;

    if (g_strcmp0 (a->key, "rtcp-fb") != 0 || a->value == NULL)
      continue;
    if (a->value[0] == '*') {
      rest = a->value + 1;
      while (*rest == ' ')
        rest++;
      wildcard_fb |= feedback_from_string (rest);
      continue;
    }
    if (!parse_uint_prefix (a->value, 127, &pt, &rest))
      continue;
    for (j = first; j < codecs->len; j++) {
      RtcCodec *c = &g_array_index (codecs, RtcCodec, j);
      if (c->pt == pt)
        c->feedback |= feedback_from_string (rest);
    }
  }

  for (j = first; j < codecs->len; j++) {
    RtcCodec *c = &g_array_index (codecs, RtcCodec, j);
    c->feedback |= wildcard_fb;
  }

  for (i = 0; i < rtx->len; i++) {
    RtxPt *r = &g_array_index (rtx, RtxPt, i);
    for (j = first; j < codecs->len; j++) {
      RtcCodec *c = &g_array_index (codecs, RtcCodec, j);
      /* The first RTX format wins if two repair the same codec. */
      if (c->pt == r->apt && c->rtx_pt == 0)
        c->rtx_pt = r->pt;
    }
  }

  g_array_free (rtx, TRUE);
  g_free (mid);
  return TRUE;

fail:
  /* Leave @codecs as we found it. */
  for (j = first; j < codecs->len; j++) {
    RtcCodec *c = &g_array_index (codecs, RtcCodec, j);
    g_free (c->encoding_name);
    g_free (c->fmtp);
    c->encoding_name = c->fmtp = NULL;
  }
  /* The caller's clear func (if any) would run on the removed entries,
   * which are now empty, so this is safe either way. */
  if (codecs->len > first)
    g_array_set_size (codecs, first);
  g_array_free (rtx, TRUE);
  g_free (mid);
  return FALSE;
}

void
rtc_sdp_media_get_ssrcs (const GstSDPMessage * msg, guint mline,
    guint32 * ssrc, guint32 * rtx_ssrc, gchar ** stream_id, gchar ** track_id)
{
  const GstSDPMedia *media = get_media (msg, mline);
  guint32 main_ssrc = 0, repair_ssrc = 0;
  gchar *stream = NULL, *track = NULL;
  const gchar *msid = NULL;
  guint i;

  if (media == NULL)
    goto out;

  /* a=ssrc-group:FID <primary> <rtx> https://www.rfc-editor.org/rfc/rfc4588#section-8.7
   * The first FID group is the first (or only) layer. */
  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
    gchar **t;

    if (g_strcmp0 (a->key, "ssrc-group") != 0 || a->value == NULL)
      continue;
    t = g_strsplit_set (a->value, " \t", -1);
    if (g_strv_length (t) >= 3 && g_strcmp0 (t[0], "FID") == 0) {
      guint64 s1 = g_ascii_strtoull (t[1], NULL, 10);
      guint64 s2 = g_ascii_strtoull (t[2], NULL, 10);
      if (s1 > 0 && s1 <= G_MAXUINT32 && s2 <= G_MAXUINT32) {
        main_ssrc = (guint32) s1;
        repair_ssrc = (guint32) s2;
      }
    }
    g_strfreev (t);
    if (main_ssrc)
      break;
  }

  /* Otherwise the first a=ssrc:<id> <attr> (RFC 5576 section 4.1). */
  if (main_ssrc == 0) {
    for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
      guint64 s;

      if (g_strcmp0 (a->key, "ssrc") != 0 || a->value == NULL)
        continue;
      s = g_ascii_strtoull (a->value, NULL, 10);
      if (s > 0 && s <= G_MAXUINT32) {
        main_ssrc = (guint32) s;
        break;
      }
    }
  }

  /* a=msid:<stream> [<track>] (https://www.rfc-editor.org/rfc/rfc8830#section-2),
   * else the older "a=ssrc:<id> msid:<stream> <track>" that Chromium
   * still writes next to it and older endpoints write alone. */
  msid = gst_sdp_media_get_attribute_val (media, "msid");
  if (msid == NULL && main_ssrc) {
    gchar *prefix = g_strdup_printf ("%u msid:", main_ssrc);
    for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
      const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
      if (g_strcmp0 (a->key, "ssrc") == 0 && a->value
          && g_str_has_prefix (a->value, prefix)) {
        msid = a->value + strlen (prefix);
        break;
      }
    }
    g_free (prefix);
  }
  if (msid) {
    gchar **t = g_strsplit_set (msid, " \t", 3);
    /* "-" is "no stream" (RFC 8830 section 2). */
    if (t[0] && t[0][0] != '\0' && g_strcmp0 (t[0], "-") != 0)
      stream = g_strdup (t[0]);
    if (t[0] && t[1] && t[1][0] != '\0')
      track = g_strdup (t[1]);
    g_strfreev (t);
  }

out:
  if (ssrc)
    *ssrc = main_ssrc;
  if (rtx_ssrc)
    *rtx_ssrc = repair_ssrc;
  if (stream_id)
    *stream_id = stream;
  else
    g_free (stream);
  if (track_id)
    *track_id = track;
  else
    g_free (track);
}

gchar *
rtc_sdp_media_get_cname (const GstSDPMessage * msg, guint mline)
{
  const GstSDPMedia *media = get_media (msg, mline);
  guint i;

  if (media == NULL)
    return NULL;
  /* a=ssrc:<id> cname:<cname> https://www.rfc-editor.org/rfc/rfc5576#section-6.1 */
  for (i = 0; i < gst_sdp_media_attributes_len (media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute (media, i);
    const gchar *c;

    if (g_strcmp0 (a->key, "ssrc") != 0 || a->value == NULL)
      continue;
    c = strstr (a->value, " cname:");
    if (c)
      return g_strdup (c + strlen (" cname:"));
  }
  return NULL;
}

/* gst_sdp_media_get_attribute() or gst_sdp_message_get_attribute(), so
 * one loop serves both levels. */
typedef const GstSDPAttribute *(*AttrGetter) (gconstpointer obj, guint i);

static guint
find_extmap (guint n_attrs, AttrGetter get, gconstpointer obj,
    const gchar * uri)
{
  guint i;

  /* a=extmap:<id>[/<direction>] <uri> [<attributes>]
   * https://www.rfc-editor.org/rfc/rfc8285#section-8 */
  for (i = 0; i < n_attrs; i++) {
    const GstSDPAttribute *a = get (obj, i);
    const gchar *rest;
    gchar **t;
    guint id;
    gboolean match;

    if (g_strcmp0 (a->key, "extmap") != 0 || a->value == NULL)
      continue;
    if (!parse_uint_prefix (a->value, 4096, &id, &rest) || id == 0)
      continue;
    if (*rest == '/') {
      rest = strchr (rest, ' ');
      if (rest == NULL)
        continue;
      while (*rest == ' ')
        rest++;
    }
    t = g_strsplit_set (rest, " \t", 2);
    match = g_strcmp0 (t[0], uri) == 0;
    g_strfreev (t);
    if (match)
      return id;
  }
  return 0;
}

static const GstSDPAttribute *
media_attr (gconstpointer media, guint i)
{
  return gst_sdp_media_get_attribute ((const GstSDPMedia *) media, i);
}

static const GstSDPAttribute *
message_attr (gconstpointer msg, guint i)
{
  return gst_sdp_message_get_attribute ((const GstSDPMessage *) msg, i);
}

guint
rtc_sdp_media_get_extmap_id (const GstSDPMessage * msg, guint mline,
    const gchar * uri)
{
  const GstSDPMedia *media = get_media (msg, mline);
  guint id = 0;

  g_return_val_if_fail (uri != NULL, 0);

  if (media)
    id = find_extmap (gst_sdp_media_attributes_len (media), media_attr, media,
        uri);
  /* RFC 8285 section 8 allows session-level extmaps too. */
  if (id == 0)
    id = find_extmap (gst_sdp_message_attributes_len (msg), message_attr, msg,
        uri);
  return id;
}

gchar *
rtc_sdp_transport_tag (const GstSDPMessage * msg, guint mline)
{
  const gchar *mid = rtc_sdp_media_get_mid (msg, mline);
  gchar **bundle = rtc_sdp_get_bundle_mids (msg);
  gchar *tag;

  if (bundle && mid && g_strv_contains ((const gchar * const *) bundle, mid))
    tag = g_strdup (bundle[0]);
  else if (mid)
    tag = g_strdup (mid);
  else
    tag = g_strdup_printf ("mline%u", mline);
  g_strfreev (bundle);
  return tag;
}
