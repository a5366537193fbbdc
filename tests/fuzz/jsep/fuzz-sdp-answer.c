/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A remote answer to a fixed offer of ours, through what rtcpeerbin does
 * with it (rtcpeerjsep.c): GstSDP's parser, validation as answer and
 * pranswer, the m-line count check, every reader of a set remote
 * description, and then an answer of ours to a renegotiating offer,
 * which keeps the DTLS roles this answer chose. The offer is picked by the
 * answer's m-line count, so the captured answers of tests/data/sdp/ (one
 * data section; video0 audio1; 0 1 2 audio video data) meet theirs. */

#include "fuzz-common.h"
#include "fuzz-jsep-util.h"

typedef struct
{
  gint kinds[4];
  const gchar *mids[3];
  GPtrArray *medias;            /* after the offer: mids and mlines set */
  GstSDPMessage *offer;
} Offer;

static RtcJsepSession session;
static Offer offers[] = {
  {{RTC_MEDIA_KIND_APPLICATION, -1}, {"0"}},
  {{RTC_MEDIA_KIND_VIDEO, RTC_MEDIA_KIND_AUDIO, -1}, {"video0", "audio1"}},
  {{RTC_MEDIA_KIND_AUDIO, RTC_MEDIA_KIND_VIDEO, RTC_MEDIA_KIND_APPLICATION,
          -1}, {"0", "1", "2"}},
};

static gpointer
init_once (gpointer data)
{
  guint i;

  fuzz_jsep_session_init (&session);
  for (i = 0; i < G_N_ELEMENTS (offers); i++) {
    GError *error = NULL;

    offers[i].medias = fuzz_jsep_local_medias (offers[i].kinds,
        offers[i].mids);
    offers[i].offer = rtc_jsep_build_offer (&session, offers[i].medias, NULL,
        &error);
    g_assert_no_error (error);
  }
  return NULL;
}

static gboolean
validate (const GstSDPMessage * msg, GstWebRTCSDPType type)
{
  GError *error = NULL;

  if (rtc_jsep_validate_description (msg, type, RTC_SDP_SOURCE_REMOTE, NULL,
          &error))
    return TRUE;
  g_assert (error != NULL && error->domain == RTC_JSEP_ERROR);
  g_assert (g_utf8_validate (error->message, -1, NULL));
  g_error_free (error);
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static GOnce once = G_ONCE_INIT;
  GstSDPMessage *ans;
  const Offer *o;
  gboolean ok;
  guint n;

  rtc_fuzz_init ();
  g_once (&once, init_once, NULL);

  ans = fuzz_jsep_parse (data, size);
  n = gst_sdp_message_medias_len (ans);
  o = &offers[n >= 1 && n <= 3 ? n - 1 : 2];

  ok = validate (ans, GST_WEBRTC_SDP_TYPE_ANSWER);
  /* The pranswer checks are the same ones. */
  g_assert (validate (ans, GST_WEBRTC_SDP_TYPE_PRANSWER) == ok);
  /* An answer answers the offer m-line by m-line (RFC 3264 section 6). */
  if (ok && n == gst_sdp_message_medias_len (o->offer)) {
    GPtrArray *medias = g_ptr_array_new_with_free_func ((GDestroyNotify)
        rtc_jsep_media_free);
    GstSDPMessage *reanswer;
    GError *error = NULL;
    guint i;

    fuzz_jsep_read_remote (ans);

    /* They offer again what we offered: our answer keeps the transport
     * roles their answer set up. */
    for (i = 0; i < o->medias->len; i++)
      g_ptr_array_add (medias, rtc_jsep_media_copy (o->medias->pdata[i]));
    g_assert (rtc_jsep_associate_remote (o->offer, medias, NULL, NULL));
    reanswer = rtc_jsep_build_answer_full (&session, o->offer, medias,
        o->offer, ans, &error);
    g_assert_no_error (error);
    g_assert (reanswer != NULL);
    if (!rtc_jsep_validate_description (reanswer, GST_WEBRTC_SDP_TYPE_ANSWER,
            RTC_SDP_SOURCE_LOCAL, NULL, &error))
      g_error ("our answer is refused: %s", error->message);
    gst_sdp_message_free (reanswer);
    g_ptr_array_unref (medias);
  }
  gst_sdp_message_free (ans);
  return 0;
}
