/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Sink pads that take encoded media, and the payload type every sink pad
 * sends with.
 *
 * ```
 *  sink_N (ghost) --> rtpvp8pay (pt, ssrc as negotiated) --> rtpfunnel ...
 *  sink_M (ghost, application/x-rtp) --[pt rewrite probe]--> rtpfunnel ...
 * ```
 *
 * Encoded caps are described to the negotiation as the RTP caps their
 * payloader will produce (codec, clock rate, H.264 packetization-mode and
 * profile-level-id), so an offer is built from them exactly as from an RTP
 * sink pad. The payloader goes in when the pad gets its transport. After
 * every description the payload type the remote expects for the pad's
 * codec is looked up (the remote description's m-line, preferring a type
 * our own description also lists) and given to the payloader, or, for an
 * RTP sink pad whose payloader chose another number, written into each
 * packet by a probe. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/rtp/rtp.h>

#include "gstrtcpeerbin.h"
#include "gstrtcpeerpad.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

/* RFC 8834 section 4.4 leaves room under a 1280-byte IPv6 minimum MTU for
 * the SRTP tag, header extensions and a TURN channel header. */
#define PAYLOADER_MTU 1200

typedef struct
{
  const gchar *media_type;
  const gchar *factory;
  const gchar *media;
  const gchar *encoding_name;
  guint clock_rate;
  guint pt;                     /* what an offer of ours proposes */
} RtcEncodedCodec;

/* Payload types as browsers number them, so captures look familiar. */
static const RtcEncodedCodec codecs[] = {
  {"video/x-vp8", "rtpvp8pay", "video", "VP8", 90000, 96},
  {"video/x-vp9", "rtpvp9pay", "video", "VP9", 90000, 98},
  {"video/x-h264", "rtph264pay", "video", "H264", 90000, 102},
  {"audio/x-opus", "rtpopuspay", "audio", "OPUS", 48000, 111},
  {"audio/x-mulaw", "rtppcmupay", "audio", "PCMU", 8000, 0},
  {"audio/x-alaw", "rtppcmapay", "audio", "PCMA", 8000, 8},
};

static const RtcEncodedCodec *
find_codec (const GstCaps * caps)
{
  const gchar *name;
  guint i;

  if (!caps || gst_caps_get_size (caps) == 0)
    return NULL;
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  for (i = 0; i < G_N_ELEMENTS (codecs); i++) {
    if (strcmp (name, codecs[i].media_type) == 0)
      return &codecs[i];
  }
  return NULL;
}

gboolean
rtc_peer_encode_is_encoded (const GstCaps * caps)
{
  return find_codec (caps) != NULL;
}

/* H.264 profile names as GStreamer's caps spell them: profile_idc and
 * the constraint flags (RFC 6184 section 8.1, ITU-T H.264 A.2). */
static const struct
{
  const gchar *name;
  guint8 idc;
  guint8 flags;
} h264_profiles[] = {
  {"constrained-baseline", 0x42, 0xe0},
  {"baseline", 0x42, 0x00},
  {"main", 0x4d, 0x00},
  {"extended", 0x58, 0x00},
  {"constrained-high", 0x64, 0x0c},
  {"progressive-high", 0x64, 0x08},
  {"high", 0x64, 0x00},
  {"high-10", 0x6e, 0x00},
  {"high-4:2:2", 0x7a, 0x00},
  {"high-4:4:4", 0xf4, 0x00},
};

/* profile-level-id: from the avcC record when the stream carries one
 * (its bytes 1 to 3 are exactly that), else from the caps' profile and
 * level, else constrained baseline 3.1, what every WebRTC stack decodes. */
static gchar *
h264_profile_level_id (const GstStructure * s)
{
  const GValue *v = gst_structure_get_value (s, "codec_data");
  const gchar *profile = gst_structure_get_string (s, "profile");
  const gchar *level = gst_structure_get_string (s, "level");
  guint8 idc = 0x42, flags = 0xe0, lvl = 31;
  guint i;

  if (v && G_VALUE_HOLDS (v, GST_TYPE_BUFFER)) {
    GstBuffer *avcc = gst_value_get_buffer (v);
    guint8 b[4];

    if (avcc && gst_buffer_extract (avcc, 0, b, 4) == 4 && b[0] == 1)
      return g_strdup_printf ("%02x%02x%02x", b[1], b[2], b[3]);
  }
  for (i = 0; profile && i < G_N_ELEMENTS (h264_profiles); i++) {
    if (strcmp (profile, h264_profiles[i].name) == 0) {
      idc = h264_profiles[i].idc;
      flags = h264_profiles[i].flags;
      break;
    }
  }
  if (level && strcmp (level, "1b") == 0) {
    lvl = 11;
  } else if (level) {
    guint major = 0, minor = 0;

    if (sscanf (level, "%u.%u", &major, &minor) >= 1 && major < 10
        && minor < 10)
      lvl = major * 10 + minor;
  }
  return g_strdup_printf ("%02x%02x%02x", idc, flags, lvl);
}

GstCaps *
rtc_peer_encode_describe (GstRtcPeerPad * pad, const GstCaps * caps)
{
  const RtcEncodedCodec *codec = find_codec (caps);
  const GstStructure *s;
  GstCaps *rtp;

  if (!codec)
    return NULL;
  s = gst_caps_get_structure (caps, 0);
  GST_OBJECT_LOCK (pad);
  /* The SSRC the payloader will use, announced in the offer: one per pad
   * for its life, as a payloader keeps its own across caps changes. */
  if (pad->enc_ssrc == 0)
    pad->enc_ssrc = g_random_int_range (1, G_MAXINT32);
  pad->encoded = codec;
  rtp = gst_caps_new_simple ("application/x-rtp",
      "media", G_TYPE_STRING, codec->media,
      "encoding-name", G_TYPE_STRING, codec->encoding_name,
      "clock-rate", G_TYPE_INT, codec->clock_rate,
      "payload", G_TYPE_INT, codec->pt,
      "ssrc", G_TYPE_UINT, pad->enc_ssrc, NULL);
  GST_OBJECT_UNLOCK (pad);

  if (strcmp (codec->encoding_name, "OPUS") == 0) {
    gint channels = 0;

    /* RFC 7587: always opus/48000/2; stereo says what is sent. */
    gst_caps_set_simple (rtp, "encoding-params", G_TYPE_STRING, "2", NULL);
    if (gst_structure_get_int (s, "channels", &channels) && channels == 2)
      gst_caps_set_simple (rtp, "sprop-stereo", G_TYPE_STRING, "1", NULL);
  } else if (strcmp (codec->encoding_name, "H264") == 0) {
    gchar *plid = h264_profile_level_id (s);

    /* rtph264pay fragments NAL units (FU-A): packetization-mode 1. */
    gst_caps_set_simple (rtp, "packetization-mode", G_TYPE_STRING, "1",
        "profile-level-id", G_TYPE_STRING, plid,
        "level-asymmetry-allowed", G_TYPE_STRING, "1", NULL);
    g_free (plid);
  } else if (strcmp (codec->encoding_name, "VP9") == 0) {
    const gchar *profile = gst_structure_get_string (s, "profile");

    if (profile && strlen (profile) == 1 && g_ascii_isdigit (profile[0]))
      gst_caps_set_simple (rtp, "profile-id", G_TYPE_STRING, profile, NULL);
  }
  GST_DEBUG_OBJECT (pad, "%" GST_PTR_FORMAT " is described as %"
      GST_PTR_FORMAT, caps, rtp);
  return rtp;
}

/* The payload type the remote expects for the codec @pad sends, or -1
 * when no description names it yet. */
static gint
negotiated_pt (GstRtcPeerBin * self, GstRtcPeerPad * pad,
    const gchar * encoding_name, gint clock_rate)
{
  GstWebRTCSessionDescription *local, *remote;
  const GstSDPMedia *rm, *lm = NULL;
  gint mline, best = -1, best_score = -1;
  guint i, j;

  GST_OBJECT_LOCK (pad->transceiver);
  mline = RTC_TRANS_STATE (pad->transceiver)->media->mline;
  GST_OBJECT_UNLOCK (pad->transceiver);

  PC_LOCK (self);
  local = rtc_jsep_desc_in_use (self->pending_local, self->current_local);
  remote = rtc_jsep_desc_in_use (self->pending_remote, self->current_remote);
  if (mline < 0 || !remote
      || (guint) mline >= gst_sdp_message_medias_len (remote->sdp))
    goto out;
  rm = gst_sdp_message_get_media (remote->sdp, mline);
  if (local && (guint) mline < gst_sdp_message_medias_len (local->sdp))
    lm = gst_sdp_message_get_media (local->sdp, mline);
  for (i = 0; i < gst_sdp_media_formats_len (rm); i++) {
    gint pt = atoi (gst_sdp_media_get_format (rm, i));
    GstCaps *caps = gst_sdp_media_get_caps_from_media (rm, pt);
    const GstStructure *s;
    const gchar *name, *mode;
    gint rate = 0, score = 0;

    if (!caps)
      continue;
    s = gst_caps_get_structure (caps, 0);
    name = gst_structure_get_string (s, "encoding-name");
    gst_structure_get_int (s, "clock-rate", &rate);
    if (name && g_ascii_strcasecmp (name, encoding_name) == 0
        && rate == clock_rate) {
      /* A type our own description lists too is the one the answer
       * chose; for H.264 the mode rtph264pay speaks. */
      for (j = 0; lm && j < gst_sdp_media_formats_len (lm); j++) {
        if (atoi (gst_sdp_media_get_format (lm, j)) == pt)
          score += 2;
      }
      mode = gst_structure_get_string (s, "packetization-mode");
      if (g_ascii_strcasecmp (encoding_name, "H264") != 0
          || g_strcmp0 (mode, "1") == 0)
        score += 1;
      if (score > best_score) {
        best = pt;
        best_score = score;
      }
    }
    gst_caps_unref (caps);
  }
out:
  PC_UNLOCK (self);
  return best;
}

static void
rewrite_buffer (GstRtcPeerPad * pad, GstBuffer ** buf)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gint from = g_atomic_int_get (&pad->rewrite_from);
  gint to = g_atomic_int_get (&pad->rewrite_to);
  guint8 pt;

  if (to < 0 || from == to || gst_buffer_extract (*buf, 1, &pt, 1) != 1
      || (pt & 0x7f) != from)
    return;
  *buf = gst_buffer_make_writable (*buf);
  if (gst_rtp_buffer_map (*buf, GST_MAP_WRITE, &rtp)) {
    gst_rtp_buffer_set_payload_type (&rtp, to);
    gst_rtp_buffer_unmap (&rtp);
  }
}

static gboolean
rewrite_list_item (GstBuffer ** buf, guint idx, gpointer user_data)
{
  rewrite_buffer (user_data, buf);
  return TRUE;
}

/* RTP sink pads: the payloader's payload type, written over with the
 * negotiated one. Only packets of the payloader's own type are touched. */
static GstPadProbeReturn
rewrite_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstRtcPeerPad *ppad = GST_RTC_PEER_PAD (pad);

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

    rewrite_buffer (ppad, &buf);
    GST_PAD_PROBE_INFO_DATA (info) = buf;
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    list = gst_buffer_list_make_writable (list);
    gst_buffer_list_foreach (list, rewrite_list_item, ppad);
    GST_PAD_PROBE_INFO_DATA (info) = list;
  }
  return GST_PAD_PROBE_OK;
}

void
rtc_peer_encode_apply_pt (GstRtcPeerBin * self, GstRtcPeerPad * pad)
{
  const RtcEncodedCodec *codec;
  GstCaps *caps;
  const GstStructure *s;
  const gchar *name;
  gint rate = 0, from = -1, pt;
  GstElement *pay = NULL;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SINK || !pad->transceiver)
    return;
  GST_OBJECT_LOCK (pad);
  codec = pad->encoded;
  if (pad->payloader)
    pay = gst_object_ref (pad->payloader);
  GST_OBJECT_UNLOCK (pad);

  if (codec) {
    pt = negotiated_pt (self, pad, codec->encoding_name, codec->clock_rate);
    if (pt >= 0) {
      g_atomic_int_set (&pad->rewrite_to, pt);
      if (pay)
        g_object_set (pay, "pt", (guint) pt, NULL);
    }
    gst_clear_object (&pay);
    return;
  }
  gst_clear_object (&pay);

  caps = gst_pad_get_current_caps (GST_PAD (pad));
  if (!caps)
    return;
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_string (s, "encoding-name");
  gst_structure_get_int (s, "clock-rate", &rate);
  gst_structure_get_int (s, "payload", &from);
  pt = name && from >= 0 ? negotiated_pt (self, pad, name, rate) : -1;
  gst_caps_unref (caps);
  if (pt < 0)
    return;
  g_atomic_int_set (&pad->rewrite_from, from);
  g_atomic_int_set (&pad->rewrite_to, pt);
  if (pt != from && !pad->rewrite_probe) {
    GST_INFO_OBJECT (pad, "the payloader sends payload type %d, the "
        "description says %d: rewritten", from, pt);
    pad->rewrite_probe = gst_pad_add_probe (GST_PAD (pad),
        GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
        rewrite_probe, NULL, NULL);
  }
}

static gboolean
upstream_is_live (GstRtcPeerPad * pad)
{
  if (pad->upstream_live < 0) {
    GstQuery *query = gst_query_new_latency ();
    gboolean live = FALSE;

    if (gst_pad_peer_query (GST_PAD (pad), query))
      gst_query_parse_latency (query, &live, NULL, NULL);
    gst_query_unref (query);
    pad->upstream_live = live;
  }
  return pad->upstream_live;
}

/* Adds @element to the bin in front of *@next and links them. */
static gboolean
chain_in (GstRtcPeerBin * self, GstElement * element, GstPad ** next)
{
  GstPad *src = gst_element_get_static_pad (element, "src");
  gboolean ok;

  gst_bin_add (GST_BIN (self), element);
  ok = gst_pad_link (src, *next) == GST_PAD_LINK_OK
      && gst_element_sync_state_with_parent (element);
  gst_object_unref (src);
  gst_object_unref (*next);
  *next = gst_element_get_static_pad (element, "sink");
  return ok;
}

static void
remove_element (GstRtcPeerBin * self, GstElement * element)
{
  gst_element_set_locked_state (element, TRUE);
  gst_element_set_state (element, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), element);
}

gboolean
rtc_peer_encode_link (GstRtcPeerBin * self, GstRtcPeerPad * pad,
    GstPad * funnel_pad)
{
  const RtcEncodedCodec *codec;
  GstElement *pay = NULL, *pacer = NULL;
  GstPad *next = gst_object_ref (funnel_pad);
  guint32 ssrc;
  gint pt;
  gboolean ok = TRUE;

  GST_OBJECT_LOCK (pad);
  codec = pad->encoded;
  ssrc = pad->enc_ssrc;
  GST_OBJECT_UNLOCK (pad);
  pt = g_atomic_int_get (&pad->rewrite_to);
  if (pt < 0 && codec)
    pt = codec->pt;

  if (codec) {
    pay = gst_element_factory_make (codec->factory, NULL);
    if (!pay) {
      GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("%s needs %s "
              "(gst-plugins-good)", GST_PAD_NAME (pad), codec->factory),
          (NULL));
      gst_object_unref (next);
      return FALSE;
    }
    g_object_set (pay, "pt", (guint) pt, "ssrc", ssrc, "mtu", PAYLOADER_MTU,
        NULL);
    if (strcmp (codec->factory, "rtph264pay") == 0)
      /* parameter sets before every key frame: a receiver can start (or
       * recover) at any of them */
      g_object_set (pay, "config-interval", -1, NULL);
    ok = chain_in (self, pay, &next);
  }
  /* A source that is not live (a file, videotestsrc) would be sent as
   * fast as it is read, a burst no receiver's socket holds: it is paced
   * to the clock, as udpsink would. */
  if (ok && !upstream_is_live (pad)) {
    pacer = gst_element_factory_make ("clocksync", NULL);
    if (pacer)
      ok = chain_in (self, pacer, &next);
  }
  ok = ok && gst_ghost_pad_set_target (GST_GHOST_PAD (pad), next);
  gst_object_unref (next);
  if (!ok) {
    if (pay)
      remove_element (self, pay);
    if (pacer)
      remove_element (self, pacer);
    return FALSE;
  }
  GST_OBJECT_LOCK (pad);
  pad->payloader = pay ? gst_object_ref (pay) : NULL;
  pad->pacer = pacer ? gst_object_ref (pacer) : NULL;
  GST_OBJECT_UNLOCK (pad);
  /* What a live encoder sent before is gone: the receiver needs a key
   * frame to start from. (GstForceKeyUnit, as gst-video spells it.) */
  if (codec && strcmp (codec->media, "video") == 0)
    gst_pad_push_event (GST_PAD (pad),
        gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
            gst_structure_new ("GstForceKeyUnit", "running-time",
                G_TYPE_UINT64, GST_CLOCK_TIME_NONE, "all-headers",
                G_TYPE_BOOLEAN, TRUE, "count", G_TYPE_UINT, 0, NULL)));
  GST_DEBUG_OBJECT (self, "%s: %s%s, payload type %d, ssrc %u",
      GST_PAD_NAME (pad), pay ? codec->factory : "RTP",
      pacer ? " paced" : "", pt, ssrc);
  return TRUE;
}

GstPadProbeReturn
rtc_peer_encode_hold (GstRtcPeerPad * pad)
{
  /* A live source keeps capturing while the connection is set up: what
   * it captured meanwhile is stale and is dropped. Anything else (a file,
   * videotestsrc in a launch line) waits, so that no frame is lost. */
  return upstream_is_live (pad) ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

void
rtc_peer_encode_release (GstRtcPeerBin * self, GstRtcPeerPad * pad)
{
  GstElement *pay, *pacer;

  GST_OBJECT_LOCK (pad);
  pay = g_steal_pointer (&pad->payloader);
  pacer = g_steal_pointer (&pad->pacer);
  GST_OBJECT_UNLOCK (pad);
  if (pay || pacer)
    gst_ghost_pad_set_target (GST_GHOST_PAD (pad), NULL);
  if (pay) {
    remove_element (self, pay);
    gst_object_unref (pay);
  }
  if (pacer) {
    remove_element (self, pacer);
    gst_object_unref (pacer);
  }
}
