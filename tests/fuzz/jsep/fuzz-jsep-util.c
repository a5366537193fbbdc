/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fuzz-jsep-util.h"

#include <string.h>

#define OPUS_CAPS "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2," \
  "minptime=(string)10,useinbandfec=(string)1;" \
  "application/x-rtp,media=audio,encoding-name=PCMU,payload=0,clock-rate=8000"
#define VIDEO_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000,rtx-payload=97;" \
  "application/x-rtp,media=video,encoding-name=H264,payload=102," \
  "clock-rate=90000,packetization-mode=(string)1," \
  "profile-level-id=(string)42e01f,level-asymmetry-allowed=(string)1;" \
  "application/x-rtp,media=video,encoding-name=VP9,payload=98," \
  "clock-rate=90000,profile-id=(string)0"

void
fuzz_jsep_session_init (RtcJsepSession * session)
{
  memset (session, 0, sizeof (*session));
  session->session_id = 4611686018427387904;
  session->session_version = 2;
  session->ice_ufrag = g_strdup ("fUzZ");
  session->ice_pwd = g_strdup ("fuzzfuzzfuzzfuzzfuzzfuzz");
  session->fingerprint = g_strdup ("sha-256 7A:1C:3E:90:5B:D2:44:F8:0E:6A:"
      "B3:29:C7:51:8D:FE:02:9B:6C:E4:13:A7:58:D0:3F:82:C9:1E:64:B5:07:AA");
  session->bundle_policy = GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE;
  session->offer_setup = GST_WEBRTC_DTLS_SETUP_ACTPASS;
}

static RtcJsepMedia *
media_from_caps (const gchar * str)
{
  GstCaps *caps = gst_caps_from_string (str);
  RtcJsepMedia *m;
  RtcMediaKind kind;
  GArray *codecs = rtc_codec_array_new ();

  g_assert (rtc_codecs_from_caps (caps, &kind, codecs, NULL));
  m = rtc_jsep_media_new (kind, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  g_array_unref (m->codecs);
  m->codecs = codecs;
  gst_caps_unref (caps);
  return m;
}

GPtrArray *
fuzz_jsep_local_medias (const gint * kinds, const gchar * const *mids)
{
  GPtrArray *medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  guint i;

  for (i = 0; kinds[i] >= 0; i++) {
    RtcJsepMedia *m;

    switch (kinds[i]) {
      case RTC_MEDIA_KIND_AUDIO:
        m = media_from_caps (OPUS_CAPS);
        m->ssrc = 1111;
        break;
      case RTC_MEDIA_KIND_VIDEO:
        m = media_from_caps (VIDEO_CAPS);
        m->ssrc = 2222;
        m->rtx_ssrc = 3333;
        break;
      default:
        m = rtc_jsep_media_new (RTC_MEDIA_KIND_APPLICATION,
            GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
        break;
    }
    if (mids && mids[i])
      m->mid = g_strdup (mids[i]);
    g_ptr_array_add (medias, m);
  }
  return medias;
}

GstSDPMessage *
fuzz_jsep_parse (const guint8 * data, gsize size)
{
  GstSDPMessage *msg;

  gst_sdp_message_new (&msg);
  /* GstSDP asserts on an empty buffer; an empty message is what an
   * application would have then. */
  if (size > 0)
    gst_sdp_message_parse_buffer (data, size, msg);
  return msg;
}

static void
read_codecs (const GstSDPMessage * remote, guint mline, RtcMediaKind kind)
{
  GArray *codecs = rtc_codec_array_new ();
  guint k;

  /* rtc_peer_pads_update_maps(): every remote payload type becomes caps
   * for rtpbin. */
  if (rtc_sdp_media_get_codecs (remote, mline, codecs, NULL)
      && kind != RTC_MEDIA_KIND_APPLICATION) {
    for (k = 0; k < codecs->len; k++) {
      const RtcCodec *c = &g_array_index (codecs, RtcCodec, k);
      GstCaps *caps = rtc_codec_to_caps (c, kind);

      if (caps) {
        GstStructure *s = gst_caps_get_structure (caps, 0);
        gint pt;

        g_assert (gst_structure_get_int (s, "payload", &pt)
            && (guint) pt == c->pt);
        g_assert (gst_structure_get_string (s, "encoding-name") != NULL);
        gst_caps_unref (caps);
      }
    }
  }
  g_array_unref (codecs);
}

void
fuzz_jsep_read_remote (const GstSDPMessage * remote)
{
  gchar **bundle = rtc_sdp_get_bundle_mids (remote);
  guint i;

  if (bundle) {
    g_assert (bundle[0] != NULL);
    rtc_sdp_find_mid (remote, bundle[0]);
  }
  for (i = 0; i < gst_sdp_message_medias_len (remote); i++) {
    RtcMediaKind kind = rtc_sdp_media_get_kind (remote, i);
    const gchar *mid = rtc_sdp_media_get_mid (remote, i);
    gchar *stream = NULL, *track = NULL, *cname;
    guint32 ssrc, rtx_ssrc;

    rtc_sdp_media_is_rejected (remote, i);
    rtc_sdp_media_get_direction (remote, i);
    rtc_sdp_media_get_setup (remote, i);
    rtc_sdp_media_get_ice_ufrag (remote, i);
    rtc_sdp_media_get_ice_pwd (remote, i);
    rtc_sdp_media_get_fingerprint (remote, i);
    rtc_sdp_get_attribute (remote, i, "sctp-port");
    rtc_sdp_get_attribute (remote, i, "max-message-size");
    rtc_sdp_media_get_extmap_id (remote, i, RTC_EXTMAP_MID);
    rtc_sdp_media_get_extmap_id (remote, i, RTC_EXTMAP_TWCC);
    if (mid)
      g_assert (rtc_sdp_find_mid (remote, mid) >= 0);
    read_codecs (remote, i, kind);
    rtc_sdp_media_get_ssrcs (remote, i, &ssrc, &rtx_ssrc, &stream, &track);
    g_assert (stream == NULL || strcmp (stream, "-") != 0);
    g_free (stream);
    g_free (track);
    cname = rtc_sdp_media_get_cname (remote, i);
    g_free (cname);
  }
  g_strfreev (bundle);
}
