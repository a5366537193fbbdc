/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The JSEP media model and the conversion between caps (what the
 * application and rtpbin speak) and RtcCodec (what the SDP speaks).
 *
 * The caps <-> fmtp mapping is the one of GstSDP, which webrtcbin uses too:
 * gst_sdp_media_set_media_from_caps() turns every string field that is not
 * a known RTP caps field into an fmtp parameter, and
 * gst_sdp_media_get_caps_from_media() does the reverse. Reusing both keeps
 * caps written for webrtcbin meaning the same here. */

#include "rtcjsep-media.h"
#include "rtcsdputil.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_SCTP_PORT 5000
/* https://www.rfc-editor.org/rfc/rfc8841#section-6.1: what browsers
 * announce; the answerer announces its own. */
#define DEFAULT_MAX_MESSAGE_SIZE 262144

RtcJsepMedia *
rtc_jsep_media_new (RtcMediaKind kind,
    GstWebRTCRTPTransceiverDirection direction)
{
  RtcJsepMedia *media = g_new0 (RtcJsepMedia, 1);

  media->kind = kind;
  media->mline = -1;
  media->direction = direction;
  media->codecs = rtc_codec_array_new ();
  media->sctp_port = DEFAULT_SCTP_PORT;
  media->max_message_size = DEFAULT_MAX_MESSAGE_SIZE;

  return media;
}

RtcJsepMedia *
rtc_jsep_media_copy (const RtcJsepMedia * media)
{
  RtcJsepMedia *copy;
  guint i;

  g_return_val_if_fail (media != NULL, NULL);

  copy = g_new0 (RtcJsepMedia, 1);
  *copy = *media;
  copy->mid = g_strdup (media->mid);
  copy->stream_id = g_strdup (media->stream_id);
  copy->track_id = g_strdup (media->track_id);
  copy->cname = g_strdup (media->cname);
  copy->codecs = rtc_codec_array_new ();
  g_array_set_size (copy->codecs, media->codecs->len);
  for (i = 0; i < media->codecs->len; i++)
    rtc_codec_copy_into (&g_array_index (copy->codecs, RtcCodec, i),
        &g_array_index (media->codecs, RtcCodec, i));

  return copy;
}

void
rtc_jsep_media_free (RtcJsepMedia * media)
{
  if (media == NULL)
    return;

  g_free (media->mid);
  g_free (media->stream_id);
  g_free (media->track_id);
  g_free (media->cname);
  g_array_unref (media->codecs);
  g_free (media);
}

GArray *
rtc_codec_array_new (void)
{
  GArray *codecs = g_array_new (FALSE, TRUE, sizeof (RtcCodec));

  g_array_set_clear_func (codecs, (GDestroyNotify) rtc_codec_clear);
  return codecs;
}

void
rtc_codec_clear (RtcCodec * codec)
{
  g_clear_pointer (&codec->encoding_name, g_free);
  g_clear_pointer (&codec->fmtp, g_free);
}

void
rtc_codec_copy_into (RtcCodec * dest, const RtcCodec * src)
{
  *dest = *src;
  dest->encoding_name = g_strdup (src->encoding_name);
  dest->fmtp = g_strdup (src->fmtp);
}

gboolean
rtc_codec_is_dtmf (const RtcCodec * codec)
{
  return codec->encoding_name
      && g_ascii_strcasecmp (codec->encoding_name, RTC_DTMF_ENCODING_NAME) == 0;
}

static gint
dtmf_plan_find (const RtcJsepDtmfPlan * plan, guint rate)
{
  guint i;

  for (i = 0; i < plan->n; i++) {
    if (plan->rate[i] == rate)
      return i;
  }
  return -1;
}

static void
dtmf_plan_add_rate (RtcJsepDtmfPlan * plan, guint rate)
{
  if (rate == 0 || dtmf_plan_find (plan, rate) >= 0
      || plan->n == RTC_JSEP_DTMF_MAX_RATES)
    return;
  plan->rate[plan->n] = rate;
  plan->pt[plan->n] = 0;
  plan->n++;
}

void
rtc_jsep_dtmf_plan_offer (RtcJsepDtmfPlan * plan, const GPtrArray * medias)
{
  gboolean used[128] = { FALSE, };
  guint i, j, next = 126;

  memset (plan, 0, sizeof (*plan));
  /* 8000 Hz first: its type stays the same whatever codecs come later. */
  dtmf_plan_add_rate (plan, 8000);
  for (i = 0; i < medias->len; i++) {
    const RtcJsepMedia *m = g_ptr_array_index (medias, i);

    for (j = 0; m->codecs && j < m->codecs->len; j++) {
      const RtcCodec *c = &g_array_index (m->codecs, RtcCodec, j);

      if (c->pt < 128)
        used[c->pt] = TRUE;
      if (c->rtx_pt < 128)
        used[c->rtx_pt] = TRUE;
      if (m->kind == RTC_MEDIA_KIND_AUDIO && !rtc_codec_is_dtmf (c))
        dtmf_plan_add_rate (plan, c->clock_rate);
    }
  }
  /* A type already given to telephone-event at a rate keeps it (the
   * answerer's codecs come from the offer it answered). */
  for (i = 0; i < medias->len; i++) {
    const RtcJsepMedia *m = g_ptr_array_index (medias, i);

    for (j = 0; m->codecs && j < m->codecs->len; j++) {
      const RtcCodec *c = &g_array_index (m->codecs, RtcCodec, j);
      gint k = dtmf_plan_find (plan, c->clock_rate);

      if (rtc_codec_is_dtmf (c) && k >= 0 && plan->pt[k] == 0)
        plan->pt[k] = c->pt;
    }
  }
  for (i = 0; i < plan->n; i++) {
    if (plan->pt[i] != 0)
      continue;
    while (next >= 96 && used[next])
      next--;
    if (next < 96) {
      /* no dynamic type left: no DTMF at this rate */
      plan->rate[i] = 0;
      continue;
    }
    plan->pt[i] = next;
    used[next] = TRUE;
  }
}

static gboolean
codecs_have_dtmf_at (const GArray * codecs, guint rate)
{
  guint i;

  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    if (rtc_codec_is_dtmf (c) && c->clock_rate == rate)
      return TRUE;
  }
  return FALSE;
}

static gboolean
codecs_have_pt (const GArray * codecs, guint pt)
{
  guint i;

  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    if (c->pt == pt || c->rtx_pt == pt)
      return TRUE;
  }
  return FALSE;
}

GArray *
rtc_jsep_dtmf_offer_codecs (const RtcJsepDtmfPlan * plan,
    const GArray * codecs)
{
  GArray *out = rtc_codec_array_new ();
  guint i, j;

  for (i = 0; i < codecs->len; i++) {
    RtcCodec c;

    rtc_codec_copy_into (&c, &g_array_index (codecs, RtcCodec, i));
    g_array_append_val (out, c);
  }
  for (i = 0; i < plan->n; i++) {
    gboolean in_use = plan->rate[i] == 8000;
    RtcCodec c = { 0, };

    for (j = 0; j < codecs->len; j++) {
      const RtcCodec *o = &g_array_index (codecs, RtcCodec, j);
      in_use |= !rtc_codec_is_dtmf (o) && o->clock_rate == plan->rate[i];
    }
    if (plan->rate[i] == 0 || !in_use
        || codecs_have_dtmf_at (codecs, plan->rate[i])
        || codecs_have_pt (codecs, plan->pt[i]))
      continue;
    c.pt = plan->pt[i];
    c.encoding_name = g_strdup (RTC_DTMF_ENCODING_NAME);
    c.clock_rate = plan->rate[i];
    c.fmtp = g_strdup (RTC_DTMF_FMTP);
    g_array_append_val (out, c);
  }
  return out;
}

void
rtc_jsep_dtmf_accept (GArray * accepted, const GArray * offered)
{
  guint i, j;

  for (i = 0; i < offered->len; i++) {
    const RtcCodec *o = &g_array_index (offered, RtcCodec, i);
    gboolean rate_ok = o->clock_rate == 8000;
    RtcCodec c;

    if (!rtc_codec_is_dtmf (o) || codecs_have_pt (accepted, o->pt))
      continue;
    for (j = 0; j < accepted->len; j++) {
      const RtcCodec *a = &g_array_index (accepted, RtcCodec, j);
      rate_ok |= !rtc_codec_is_dtmf (a) && a->clock_rate == o->clock_rate;
    }
    if (!rate_ok)
      continue;
    rtc_codec_copy_into (&c, o);
    c.feedback = 0;
    c.rtx_pt = 0;
    g_array_append_val (accepted, c);
  }
}

const gchar *
rtc_media_kind_to_string (RtcMediaKind kind)
{
  switch (kind) {
    case RTC_MEDIA_KIND_AUDIO:
      return "audio";
    case RTC_MEDIA_KIND_VIDEO:
      return "video";
    case RTC_MEDIA_KIND_APPLICATION:
      return "application";
  }
  return "unknown";
}

void
rtc_jsep_session_clear (RtcJsepSession * session)
{
  if (session == NULL)
    return;

  g_free (session->ice_ufrag);
  g_free (session->ice_pwd);
  g_free (session->fingerprint);
  g_free (session->stream_id);
  memset (session, 0, sizeof (*session));
}

/* Caps say "OPUS" (rtpbin and the payloaders want upper case), browsers
 * write "opus". Encoding names are case-insensitive (RFC 4855 section 3),
 * but some peers compare them byte for byte, so the SDP uses the spelling
 * of the IANA registrations everyone else uses. */
static gchar *
canonical_encoding_name (const gchar * name)
{
  static const gchar *const known[] = {
    "opus", "VP8", "VP9", "H264", "H265", "AV1", "PCMU", "PCMA", "G722",
    "telephone-event", "red", "ulpfec", "flexfec-03", "rtx", "CN", "ISAC",
    "ILBC",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (known); i++) {
    if (g_ascii_strcasecmp (name, known[i]) == 0)
      return g_strdup (known[i]);
  }
  return g_strdup (name);
}

/* Fields of our caps that are not fmtp parameters: either RTP caps fields
 * GstSDP already skips, or fields we map ourselves (RTX, feedback). */
static gboolean
is_private_field (const gchar * name)
{
  static const gchar *const fields[] = {
    "rtx-payload", "rtx-time", "rtx-ssrc", "rtp-profile", "ssrc",
    "timestamp-offset", "seqnum-offset", "clock-base", "seqnum-base",
    "npt-start", "npt-stop", "play-speed", "play-scale", "onvif-mode",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++) {
    if (strcmp (name, fields[i]) == 0)
      return TRUE;
  }
  return g_str_has_prefix (name, "rtcp-fb-") || g_str_has_prefix (name, "a-")
      || g_str_has_prefix (name, "x-") || g_str_has_prefix (name, "extmap-")
      || g_str_has_prefix (name, "rid-");
}

/* GstSDP only writes string fields into the fmtp. Caps written by hand
 * (gst-launch, tests) often say packetization-mode=1, which parses as an
 * int, so numbers and booleans are turned into strings first. */
static gboolean
stringify_field (GQuark field_id, const GValue * value, gpointer user_data)
{
  GstStructure *out = user_data;
  const gchar *name = g_quark_to_string (field_id);
  gchar *str = NULL;

  /* Already in @out, and GstSDP reads them itself. */
  if (strcmp (name, "media") == 0 || strcmp (name, "payload") == 0
      || strcmp (name, "clock-rate") == 0
      || strcmp (name, "encoding-name") == 0
      || strcmp (name, "encoding-params") == 0 || is_private_field (name))
    return TRUE;

  if (G_VALUE_HOLDS_STRING (value)) {
    gst_structure_id_set_value (out, field_id, value);
    return TRUE;
  }
  if (G_VALUE_HOLDS_INT (value))
    str = g_strdup_printf ("%d", g_value_get_int (value));
  else if (G_VALUE_HOLDS_UINT (value))
    str = g_strdup_printf ("%u", g_value_get_uint (value));
  else if (G_VALUE_HOLDS_BOOLEAN (value))
    str = g_strdup (g_value_get_boolean (value) ? "1" : "0");

  if (str)
    gst_structure_id_set (out, field_id, G_TYPE_STRING, str, NULL);
  g_free (str);
  return TRUE;
}

gchar *
rtc_h264_profile_level_id_from_sprop (const gchar * sprop)
{
  gchar *first, *plid = NULL;
  guchar *sps;
  gsize len = 0;

  if (sprop == NULL)
    return NULL;
  /* sprop-parameter-sets is a comma-separated list of base64 NAL units,
   * the SPS normally first (RFC 6184 section 8.1). */
  first = g_strndup (sprop, strcspn (sprop, ","));
  sps = g_base64_decode (first, &len);
  /* https://www.itu.int/rec/T-REC-H.264 section 7.3.1 and 7.3.2.1.1: a
   * NAL header (forbidden_zero_bit 0, nal_unit_type 7 for a sequence
   * parameter set), then profile_idc, the constraint flags and level_idc.
   * Profile 0 does not exist; it is what an emulation prevention byte
   * (00 00 03) in those three bytes would need, so such an SPS is not
   * read at all rather than read wrong. */
  if (len >= 4 && (sps[0] & 0x80) == 0 && (sps[0] & 0x1f) == 7
      && sps[1] != 0)
    plid = g_strdup_printf ("%02x%02x%02x", sps[1], sps[2], sps[3]);
  g_free (sps);
  g_free (first);
  return plid;
}

/* rtph264pay announces the stream's SPS but no profile-level-id, which
 * browsers need to accept H264 (RFC 6184 section 8.1: without it the
 * profile is Baseline level 1.0). */
static void
add_h264_profile_level_id (GstStructure * s)
{
  gchar *plid;

  if (gst_structure_has_field (s, "profile-level-id"))
    return;
  plid = rtc_h264_profile_level_id_from_sprop (gst_structure_get_string (s,
          "sprop-parameter-sets"));
  if (plid)
    gst_structure_set (s, "profile-level-id", G_TYPE_STRING, plid, NULL);
  g_free (plid);
}

/* The fmtp GstSDP would write for @s, without the leading "<pt> ", or
 * NULL when there are no parameters. */
static gchar *
fmtp_from_structure (const GstStructure * s, const gchar * encoding_name,
    gint pt, gint clock_rate)
{
  GstStructure *clean;
  GstCaps *caps;
  GstSDPMedia *media;
  const gchar *fmtp;
  gchar *ret = NULL;

  clean = gst_structure_new ("application/x-rtp", "media", G_TYPE_STRING,
      "audio", "payload", G_TYPE_INT, pt, "clock-rate", G_TYPE_INT,
      clock_rate, NULL);
  /* GstSDP maps the H264 "profile" field back to level-asymmetry-allowed
   * only when it sees the encoding name. */
  gst_structure_set (clean, "encoding-name", G_TYPE_STRING, encoding_name,
      NULL);
  gst_structure_foreach (s, stringify_field, clean);
  if (g_ascii_strcasecmp (encoding_name, "H264") == 0)
    add_h264_profile_level_id (clean);
  caps = gst_caps_new_full (clean, NULL);

  gst_sdp_media_new (&media);
  if (gst_sdp_media_set_media_from_caps (caps, media) == GST_SDP_OK) {
    fmtp = gst_sdp_media_get_attribute_val (media, "fmtp");
    if (fmtp) {
      const gchar *params = strchr (fmtp, ' ');
      if (params && params[1] != '\0')
        ret = g_strdup (params + 1);
    }
  }
  gst_sdp_media_free (media);
  gst_caps_unref (caps);

  return ret;
}

static gboolean
parse_uint_field (const GstStructure * s, const gchar * field, guint * out)
{
  const GValue *v = gst_structure_get_value (s, field);
  guint64 val;

  if (v == NULL)
    return FALSE;
  if (G_VALUE_HOLDS_INT (v) && g_value_get_int (v) >= 0) {
    *out = g_value_get_int (v);
    return TRUE;
  }
  if (G_VALUE_HOLDS_UINT (v)) {
    *out = g_value_get_uint (v);
    return TRUE;
  }
  if (G_VALUE_HOLDS_STRING (v)
      && g_ascii_string_to_unsigned (g_value_get_string (v), 10, 0,
          G_MAXUINT, &val, NULL)) {
    *out = val;
    return TRUE;
  }
  return FALSE;
}

static const struct
{
  const gchar *field;
  guint flag;
} feedback_fields[] = {
  {"rtcp-fb-nack", RTC_FB_NACK},
  {"rtcp-fb-nack-pli", RTC_FB_NACK_PLI},
  {"rtcp-fb-ccm-fir", RTC_FB_CCM_FIR},
  {"rtcp-fb-transport-cc", RTC_FB_TRANSPORT_CC},
  {"rtcp-fb-goog-remb", RTC_FB_GOOG_REMB},
};

/* Explicit rtcp-fb-* fields (webrtcbin's caps) replace the defaults: once
 * the caps name any feedback, only what they enable is offered. */
static guint
feedback_from_structure (const GstStructure * s, guint defaults)
{
  gboolean any = FALSE;
  guint feedback = 0;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (feedback_fields); i++) {
    gboolean val;

    if (gst_structure_get_boolean (s, feedback_fields[i].field, &val)) {
      any = TRUE;
      if (val)
        feedback |= feedback_fields[i].flag;
    }
  }
  return any ? feedback : defaults;
}

gboolean
rtc_codecs_from_caps (const GstCaps * caps, RtcMediaKind * kind,
    GArray * codecs, GError ** error)
{
  gboolean have_kind = FALSE;
  RtcMediaKind found_kind = RTC_MEDIA_KIND_AUDIO;
  guint first_new = codecs->len;
  guint i, n;

  g_return_val_if_fail (GST_IS_CAPS (caps), FALSE);
  g_return_val_if_fail (codecs != NULL, FALSE);

  n = gst_caps_get_size (caps);
  if (n == 0 || gst_caps_is_any (caps)) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_NO_COMMON_CODEC,
        "caps %s name no codec", n == 0 ? "EMPTY" : "ANY");
    return FALSE;
  }

  for (i = 0; i < n; i++) {
    const GstStructure *s = gst_caps_get_structure (caps, i);
    const gchar *media = gst_structure_get_string (s, "media");
    const gchar *name = gst_structure_get_string (s, "encoding-name");
    RtcMediaKind this_kind;
    RtcCodec codec = { 0, };
    gint pt, rate;
    guint rtx_pt;

    if (name == NULL || *name == '\0') {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "caps structure %u has no encoding-name", i);
      goto fail;
    }
    if (!gst_structure_get_int (s, "payload", &pt) || pt < 0 || pt > 127) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "caps structure %u (%s) has no payload in 0..127", i, name);
      goto fail;
    }
    if (!gst_structure_get_int (s, "clock-rate", &rate) || rate <= 0) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "caps structure %u (%s) has no clock-rate", i, name);
      goto fail;
    }

    if (g_strcmp0 (media, "audio") == 0) {
      this_kind = RTC_MEDIA_KIND_AUDIO;
    } else if (g_strcmp0 (media, "video") == 0) {
      this_kind = RTC_MEDIA_KIND_VIDEO;
    } else {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "caps structure %u (%s) has media '%s', not audio or video", i,
          name, media ? media : "(none)");
      goto fail;
    }
    /* One transceiver carries one kind (RFC 8829 section 5.2.1). */
    if (have_kind && this_kind != found_kind) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "caps mix audio and video codecs (structure %u)", i);
      goto fail;
    }
    found_kind = this_kind;
    have_kind = TRUE;

    codec.pt = pt;
    codec.encoding_name = canonical_encoding_name (name);
    codec.clock_rate = rate;
    if (!parse_uint_field (s, "encoding-params", &codec.channels))
      codec.channels = 0;
    /* https://www.rfc-editor.org/rfc/rfc7587#section-7: opus is always
     * announced as opus/48000/2, whatever the channel count sent. */
    if (g_ascii_strcasecmp (name, "opus") == 0)
      codec.channels = 2;
    if (this_kind == RTC_MEDIA_KIND_VIDEO)
      codec.channels = 0;
    if (parse_uint_field (s, "rtx-payload", &rtx_pt) && rtx_pt > 0
        && rtx_pt <= 127)
      codec.rtx_pt = rtx_pt;

    /* Browsers offer these for every video codec; a peer that does not
     * support one drops it from its answer. */
    codec.feedback = feedback_from_structure (s,
        this_kind == RTC_MEDIA_KIND_VIDEO ? RTC_FB_NACK | RTC_FB_NACK_PLI |
        RTC_FB_CCM_FIR | RTC_FB_TRANSPORT_CC : 0);

    codec.fmtp = fmtp_from_structure (s, name, pt, rate);

    g_array_append_val (codecs, codec);
  }

  if (kind)
    *kind = found_kind;
  return TRUE;

fail:
  /* Leave @codecs as it was given. */
  if (codecs->len > first_new)
    g_array_remove_range (codecs, first_new, codecs->len - first_new);
  return FALSE;
}

/* The fmtp parameters that become caps fields for rtpbin, the
 * depayloaders and the application: those of the codecs WebRTC endpoints
 * negotiate and GStreamer reads (RFC 6184 H264, RFC 7798 H265, RFC 7741
 * VP8, VP9, AV1, RFC 7587 Opus and Chromium's multichannel opus, RFC 4588
 * RTX, RFC 8627 flexfec), plus Chromium's bitrate hints. Every field name
 * is a GQuark, which GLib never frees: a name taken from the peer would
 * let it grow our memory one unique name at a time, so nothing outside
 * this list gets there. Sorted, for bsearch(). */
static const gchar *const caps_fmtp_params[] = {
  "apt",
  "channel_mapping",
  "coupled_streams",
  "level-asymmetry-allowed",
  "level-id",
  "level-idx",
  "max-br",
  "max-cpb",
  "max-dpb",
  "max-fr",
  "max-fs",
  "max-mbps",
  "max-recv-level-id",
  "max-smbps",
  "maxaveragebitrate",
  "maxplaybackrate",
  "maxptime",
  "minptime",
  "num_streams",
  "packetization-mode",
  "profile",
  "profile-id",
  "profile-level-id",
  "profile-space",
  "ptime",
  "repair-window",
  "rtx-time",
  "sprop-maxcapturerate",
  "sprop-parameter-sets",
  "sprop-pps",
  "sprop-sps",
  "sprop-stereo",
  "sprop-vps",
  "stereo",
  "tier",
  "tier-flag",
  "tx-mode",
  "usedtx",
  "useinbandfec",
  "x-google-max-bitrate",
  "x-google-min-bitrate",
  "x-google-start-bitrate",
};

static gint
compare_param (const void *key, const void *elem)
{
  return strcmp (key, *(const gchar * const *) elem);
}

gboolean
rtc_codec_fmtp_param_is_known (const gchar * name)
{
  gchar *lower;
  gboolean known;

  if (name == NULL || strlen (name) > 64)
    return FALSE;
  /* GstSDP lower-cases the names (RFC 8866 section 6.15 says they
   * compare without case). */
  lower = g_ascii_strdown (name, -1);
  known = bsearch (lower, caps_fmtp_params, G_N_ELEMENTS (caps_fmtp_params),
      sizeof (caps_fmtp_params[0]), compare_param) != NULL;
  g_free (lower);
  return known;
}

/* The parameters of @fmtp ("k=v;k2=v2") that may become caps fields:
 * known names (rtc_codec_fmtp_param_is_known()) whose value GLib takes
 * as a string, i.e. valid UTF-8 without control characters; NULL when
 * none. Validation refuses the rest of a remote description already
 * (rtcjsep-validate.c); this keeps the caps safe without it. */
static gchar *
filter_fmtp (const gchar * fmtp)
{
  GString *out;
  gchar **params;
  guint i;

  if (fmtp == NULL)
    return NULL;
  out = g_string_new (NULL);
  params = g_strsplit (fmtp, ";", -1);
  for (i = 0; params[i]; i++) {
    gchar *eq = strchr (params[i], '=');
    gchar *name, *value;

    /* GstSDP reads "name" alone as name=1; no parameter we keep is a
     * flag, so those go. */
    if (eq == NULL)
      continue;
    *eq = '\0';
    name = g_strstrip (params[i]);
    value = g_strstrip (eq + 1);
    if (!rtc_codec_fmtp_param_is_known (name)
        || !rtc_sdp_string_is_clean (value, G_MAXSIZE))
      continue;
    g_string_append_printf (out, "%s%s=%s", out->len ? ";" : "", name, value);
  }
  g_strfreev (params);
  if (out->len == 0) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

/* GstSDP turns an H264 profile-level-id with level-asymmetry-allowed=1
 * into a "profile" field and drops the level. The payloader, the parser and
 * the next description all want the original, so put it back. @fmtp is
 * filtered (filter_fmtp()). */
static void
restore_h264_profile_level_id (GstStructure * s, const gchar * fmtp)
{
  gchar **params;
  guint i;

  if (fmtp == NULL || !gst_structure_has_field (s, "profile")
      || gst_structure_has_field (s, "profile-level-id"))
    return;

  params = g_strsplit (fmtp, ";", -1);
  for (i = 0; params[i]; i++) {
    gchar *kv = g_strstrip (params[i]);
    gchar *eq = strchr (kv, '=');

    if (eq == NULL)
      continue;
    *eq = '\0';
    if (g_ascii_strcasecmp (g_strstrip (kv), "profile-level-id") == 0)
      gst_structure_set (s, "profile-level-id", G_TYPE_STRING,
          g_strstrip (eq + 1), NULL);
    else if (g_ascii_strcasecmp (kv, "level-asymmetry-allowed") == 0)
      gst_structure_set (s, "level-asymmetry-allowed", G_TYPE_STRING,
          g_strstrip (eq + 1), NULL);
  }
  g_strfreev (params);
  if (gst_structure_has_field (s, "profile-level-id"))
    gst_structure_remove_field (s, "profile");
}

GstCaps *
rtc_codec_to_caps (const RtcCodec * codec, RtcMediaKind kind)
{
  GstSDPMedia *media;
  GstCaps *caps;
  GstStructure *s;
  gchar *tmp, *fmtp;

  g_return_val_if_fail (codec != NULL, NULL);
  g_return_val_if_fail (codec->encoding_name != NULL, NULL);
  g_return_val_if_fail (kind != RTC_MEDIA_KIND_APPLICATION, NULL);

  /* The encoding name becomes a string field: it has to be one GLib
   * takes, and a '/' or space would make the rtpmap below mean something
   * else. */
  if (codec->encoding_name[0] == '\0'
      || strpbrk (codec->encoding_name, "/ \t") != NULL
      || !rtc_sdp_string_is_clean (codec->encoding_name, 64)
      || codec->pt > 127 || codec->clock_rate == 0
      || codec->clock_rate > G_MAXINT)
    return NULL;

  /* Put the codec in a throwaway section and let GstSDP read it back, so
   * fmtp parameters become caps fields exactly as in webrtcbin (H264
   * level-asymmetry-allowed handling included). */
  gst_sdp_media_new (&media);
  gst_sdp_media_set_media (media, rtc_media_kind_to_string (kind));
  tmp = g_strdup_printf ("%u", codec->pt);
  gst_sdp_media_add_format (media, tmp);
  g_free (tmp);

  if (codec->channels > 0 && kind == RTC_MEDIA_KIND_AUDIO)
    tmp = g_strdup_printf ("%u %s/%u/%u", codec->pt, codec->encoding_name,
        codec->clock_rate, codec->channels);
  else
    tmp = g_strdup_printf ("%u %s/%u", codec->pt, codec->encoding_name,
        codec->clock_rate);
  gst_sdp_media_add_attribute (media, "rtpmap", tmp);
  g_free (tmp);

  fmtp = filter_fmtp (codec->fmtp);
  if (fmtp) {
    tmp = g_strdup_printf ("%u %s", codec->pt, fmtp);
    gst_sdp_media_add_attribute (media, "fmtp", tmp);
    g_free (tmp);
  }

  caps = gst_sdp_media_get_caps_from_media (media, codec->pt);
  gst_sdp_media_free (media);
  if (caps == NULL) {
    g_free (fmtp);
    return NULL;
  }

  caps = gst_caps_make_writable (caps);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_set_name (s, "application/x-rtp");
  restore_h264_profile_level_id (s, fmtp);
  g_free (fmtp);

  /* Set the feedback ourselves rather than through a=rtcp-fb: the flags
   * are the answer's intersection, and FALSE fields tell rtpbin users
   * explicitly what was not negotiated. */
  gst_structure_set (s,
      "rtcp-fb-nack", G_TYPE_BOOLEAN, (codec->feedback & RTC_FB_NACK) != 0,
      "rtcp-fb-nack-pli", G_TYPE_BOOLEAN,
      (codec->feedback & RTC_FB_NACK_PLI) != 0,
      "rtcp-fb-ccm-fir", G_TYPE_BOOLEAN,
      (codec->feedback & RTC_FB_CCM_FIR) != 0,
      "rtcp-fb-transport-cc", G_TYPE_BOOLEAN,
      (codec->feedback & RTC_FB_TRANSPORT_CC) != 0, NULL);
  if (codec->feedback & RTC_FB_GOOG_REMB)
    gst_structure_set (s, "rtcp-fb-goog-remb", G_TYPE_BOOLEAN, TRUE, NULL);
  if (codec->rtx_pt)
    gst_structure_set (s, "rtx-payload", G_TYPE_INT, (gint) codec->rtx_pt,
        NULL);

  return caps;
}

const gchar *
rtc_jsep_direction_to_string (GstWebRTCRTPTransceiverDirection direction)
{
  switch (direction) {
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV:
      return "sendrecv";
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY:
      return "sendonly";
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY:
      return "recvonly";
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE:
    case GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_NONE:
    default:
      return "inactive";
  }
}

gboolean
rtc_jsep_direction_has_send (GstWebRTCRTPTransceiverDirection direction)
{
  return direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
}

gboolean
rtc_jsep_direction_has_recv (GstWebRTCRTPTransceiverDirection direction)
{
  return direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV
      || direction == GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
}

const gchar *
rtc_jsep_setup_to_string (GstWebRTCDTLSSetup setup)
{
  switch (setup) {
    case GST_WEBRTC_DTLS_SETUP_ACTIVE:
      return "active";
    case GST_WEBRTC_DTLS_SETUP_PASSIVE:
      return "passive";
    case GST_WEBRTC_DTLS_SETUP_ACTPASS:
    case GST_WEBRTC_DTLS_SETUP_NONE:
    default:
      /* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1: an offer
       * always says actpass; NONE has no meaning on the wire. */
      return "actpass";
  }
}

void
rtc_jsep_message_init (GstSDPMessage * msg, const RtcJsepSession * session)
{
  gchar *id, *version;

  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1: "o=- <id>
   * <version> IN IP4 0.0.0.0", s=-, t=0 0; the session id is a random
   * 63-bit number kept for the whole session, the version grows. */
  id = g_strdup_printf ("%" G_GUINT64_FORMAT,
      session->session_id & G_GUINT64_CONSTANT (0x7fffffffffffffff));
  version = g_strdup_printf ("%" G_GUINT64_FORMAT, session->session_version);
  gst_sdp_message_set_version (msg, "0");
  gst_sdp_message_set_origin (msg, "-", id, version, "IN", "IP4", "0.0.0.0");
  gst_sdp_message_set_session_name (msg, "-");
  gst_sdp_message_add_time (msg, "0", "0", NULL);
  g_free (id);
  g_free (version);

  /* We trickle candidates:
   * https://www.rfc-editor.org/rfc/rfc8840#section-4.1.1 */
  gst_sdp_message_add_attribute (msg, "ice-options", "trickle");
  if (session->ice_lite)
    gst_sdp_message_add_attribute (msg, "ice-lite", "");
  /* Older Chromium needs this to surface a=msid streams (Firefox
   * spelling, without the space). */
  gst_sdp_message_add_attribute (msg, "msid-semantic", "WMS *");
}

void
rtc_jsep_media_write_transport (GstSDPMedia * m, const gchar * ice_ufrag,
    const gchar * ice_pwd, const gchar * fingerprint, GstWebRTCDTLSSetup setup,
    const gchar * mid)
{
  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1: the dummy
   * address and port 9 until candidates trickle in. */
  gst_sdp_media_add_connection (m, "IN", "IP4", "0.0.0.0", 0, 0);
  if (g_strcmp0 (gst_sdp_media_get_media (m), "application") != 0)
    gst_sdp_media_add_attribute (m, "rtcp", "9 IN IP4 0.0.0.0");
  if (ice_ufrag)
    gst_sdp_media_add_attribute (m, "ice-ufrag", ice_ufrag);
  if (ice_pwd)
    gst_sdp_media_add_attribute (m, "ice-pwd", ice_pwd);
  gst_sdp_media_add_attribute (m, "ice-options", "trickle");
  if (fingerprint)
    gst_sdp_media_add_attribute (m, "fingerprint", fingerprint);
  gst_sdp_media_add_attribute (m, "setup", rtc_jsep_setup_to_string (setup));
  if (mid)
    gst_sdp_media_add_attribute (m, "mid", mid);
}

/* Adds an attribute whose value is built with g_strdup_printf(), which
 * keeps the format checked by the compiler. */
static void
add_attribute_take (GstSDPMedia * m, const gchar * key, gchar * value)
{
  gst_sdp_media_add_attribute (m, key, value);
  g_free (value);
}

static void
add_format (GstSDPMedia * m, guint pt)
{
  gchar *fmt = g_strdup_printf ("%u", pt);

  gst_sdp_media_add_format (m, fmt);
  g_free (fmt);
}

void
rtc_jsep_media_write_codecs (GstSDPMedia * m, const GArray * codecs)
{
  guint i;

  /* The m= line lists the formats in preference order
   * (https://www.rfc-editor.org/rfc/rfc3264#section-5.1); as Chromium
   * does, each RTX format comes right after the codec it repairs. */
  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    add_format (m, c->pt);
    if (c->rtx_pt)
      add_format (m, c->rtx_pt);
  }

  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);

    if (c->channels > 0)
      add_attribute_take (m, "rtpmap", g_strdup_printf ("%u %s/%u/%u", c->pt,
              c->encoding_name, c->clock_rate, c->channels));
    else
      add_attribute_take (m, "rtpmap", g_strdup_printf ("%u %s/%u", c->pt,
              c->encoding_name, c->clock_rate));
    /* https://www.rfc-editor.org/rfc/rfc8829#section-5.1.2 lists the
     * feedback a WebRTC endpoint is expected to understand. */
    if (c->feedback & RTC_FB_GOOG_REMB)
      add_attribute_take (m, "rtcp-fb", g_strdup_printf ("%u goog-remb",
              c->pt));
    if (c->feedback & RTC_FB_TRANSPORT_CC)
      add_attribute_take (m, "rtcp-fb", g_strdup_printf ("%u transport-cc",
              c->pt));
    if (c->feedback & RTC_FB_CCM_FIR)
      add_attribute_take (m, "rtcp-fb", g_strdup_printf ("%u ccm fir", c->pt));
    if (c->feedback & RTC_FB_NACK)
      add_attribute_take (m, "rtcp-fb", g_strdup_printf ("%u nack", c->pt));
    if (c->feedback & RTC_FB_NACK_PLI)
      add_attribute_take (m, "rtcp-fb", g_strdup_printf ("%u nack pli", c->pt));
    if (c->fmtp && *c->fmtp)
      add_attribute_take (m, "fmtp", g_strdup_printf ("%u %s", c->pt, c->fmtp));
    if (c->rtx_pt) {
      /* https://www.rfc-editor.org/rfc/rfc4588#section-8.6 */
      add_attribute_take (m, "rtpmap", g_strdup_printf ("%u rtx/%u", c->rtx_pt,
              c->clock_rate));
      add_attribute_take (m, "fmtp", g_strdup_printf ("%u apt=%u", c->rtx_pt,
              c->pt));
    }
  }
}

void
rtc_jsep_media_write_source (GstSDPMedia * m, const RtcJsepMedia * media,
    const RtcJsepSession * session, const gchar * mid, gboolean with_rtx)
{
  const gchar *stream = media->stream_id ? media->stream_id :
      session->stream_id ? session->stream_id : "-";
  const gchar *cname = media->cname ? media->cname : "rtcpeer";
  gchar *track;

  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1: a=msid for
   * every sending section; "-" when the track is in no stream
   * (https://www.rfc-editor.org/rfc/rfc8830#section-2). Without a track id
   * the mid names the track: unique in the description (browsers refuse
   * two sections with one msid) and stable across renegotiation. */
  if (mid == NULL)
    mid = media->mid;
  track = media->track_id ? g_strdup (media->track_id) :
      g_strdup_printf ("rtcpeer-%s", mid ? mid : "track");
  add_attribute_take (m, "msid", g_strdup_printf ("%s %s", stream, track));

  if (media->ssrc) {
    /* https://www.rfc-editor.org/rfc/rfc4588#section-8.7 ties the RTX
     * stream to its media stream; https://www.rfc-editor.org/rfc/rfc5576
     * says every SSRC carries a cname. */
    if (with_rtx && media->rtx_ssrc)
      add_attribute_take (m, "ssrc-group", g_strdup_printf ("FID %u %u",
              media->ssrc, media->rtx_ssrc));
    add_attribute_take (m, "ssrc", g_strdup_printf ("%u cname:%s", media->ssrc,
            cname));
    add_attribute_take (m, "ssrc", g_strdup_printf ("%u msid:%s %s",
            media->ssrc, stream, track));
    if (with_rtx && media->rtx_ssrc) {
      add_attribute_take (m, "ssrc", g_strdup_printf ("%u cname:%s",
              media->rtx_ssrc, cname));
      add_attribute_take (m, "ssrc", g_strdup_printf ("%u msid:%s %s",
              media->rtx_ssrc, stream, track));
    }
  }
  g_free (track);
}

void
rtc_jsep_media_write_sctp (GstSDPMedia * m, const RtcJsepMedia * media)
{
  gchar *tmp;

  tmp = g_strdup_printf ("%u", media->sctp_port ? media->sctp_port : 5000);
  gst_sdp_media_add_attribute (m, "sctp-port", tmp);
  g_free (tmp);
  /* https://www.rfc-editor.org/rfc/rfc8841#section-6.1: each side says
   * what it can receive; the sender takes the other side's value. 0 would
   * mean "any size", which we cannot promise; the default is what
   * browsers announce. */
  tmp = g_strdup_printf ("%u",
      media->max_message_size ? media->max_message_size : 262144);
  gst_sdp_media_add_attribute (m, "max-message-size", tmp);
  g_free (tmp);
  tmp = g_strdup_printf ("%u", RTC_JSEP_SCTP_MAX_PACKET);
  gst_sdp_media_add_attribute (m, RTC_JSEP_SCTP_MAX_PACKET_ATTR, tmp);
  g_free (tmp);
}
