/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* A remote offer, through what rtcpeerbin does with it
 * (rtcpeerjsep.c): our text check, GstSDP's parser, validation, tying its
 * m-lines to our transceivers, our answer, and every reader of a set
 * remote description. Once as a first offer, once as a renegotiation
 * after a fixed first round, once with validation skipped. Our answer to
 * any offer we accept has to pass our own validation. */

#include "fuzz-common.h"
#include "fuzz-jsep-util.h"

static const gint kinds[] = { RTC_MEDIA_KIND_AUDIO, RTC_MEDIA_KIND_VIDEO,
  RTC_MEDIA_KIND_APPLICATION, -1
};

static RtcJsepSession session;
/* The first round: a remote offer (m-lines 0 1 2), our answer, and our
 * transceivers as that round left them. */
static GstSDPMessage *first_offer, *first_answer;
static GPtrArray *first_medias;

static GPtrArray *
copy_medias (GPtrArray * medias)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rtc_jsep_media_free);
  guint i;

  for (i = 0; i < medias->len; i++)
    g_ptr_array_add (copy, rtc_jsep_media_copy (medias->pdata[i]));
  return copy;
}

static void
check_error (GError * error)
{
  g_assert (error != NULL && error->domain == RTC_JSEP_ERROR);
  /* Remote text reaches our messages escaped. */
  g_assert (g_utf8_validate (error->message, -1, NULL));
  g_error_free (error);
}

static GstSDPMessage *
answer (const GstSDPMessage * offer, GPtrArray * medias,
    const GstSDPMessage * previous, const GstSDPMessage * current_local,
    const GstSDPMessage * current_remote)
{
  GPtrArray *added = g_ptr_array_new ();
  GstSDPMessage *ans;
  GError *error = NULL;

  if (!rtc_jsep_validate_description (offer, GST_WEBRTC_SDP_TYPE_OFFER,
          RTC_SDP_SOURCE_REMOTE, previous, &error)) {
    check_error (error);
    g_ptr_array_unref (added);
    return NULL;
  }
  if (!rtc_jsep_associate_remote (offer, medias, added, &error)) {
    check_error (error);
    g_ptr_array_unref (added);
    return NULL;
  }
  g_ptr_array_unref (added);
  ans = rtc_jsep_build_answer_full (&session, offer, medias, current_local,
      current_remote, &error);
  if (ans == NULL) {
    check_error (error);
    return NULL;
  }
  g_assert (gst_sdp_message_medias_len (ans) ==
      gst_sdp_message_medias_len (offer));
  /* rtcpeerbin validates the answer the application sets locally. */
  if (!rtc_jsep_validate_description (ans, GST_WEBRTC_SDP_TYPE_ANSWER,
          RTC_SDP_SOURCE_LOCAL, NULL, &error))
    g_error ("our answer is refused: %s", error->message);
  fuzz_jsep_read_remote (offer);
  return ans;
}

static gpointer
init_once (gpointer data)
{
  GPtrArray *theirs = fuzz_jsep_local_medias (kinds, NULL);
  GError *error = NULL;

  fuzz_jsep_session_init (&session);
  /* Their first offer looks like ours would. */
  first_offer = rtc_jsep_build_offer (&session, theirs, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_unref (theirs);
  first_medias = fuzz_jsep_local_medias (kinds, NULL);
  first_answer = answer (first_offer, first_medias, NULL, NULL, NULL);
  g_assert (first_answer != NULL);
  return NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static GOnce once = G_ONCE_INIT;
  GstWebRTCSessionDescription *desc;
  GstSDPMessage *offer, *ans;
  GPtrArray *medias;
  GError *error = NULL;
  gchar *text;

  rtc_fuzz_init ();
  g_once (&once, init_once, NULL);

  /* The text check of rtc_jsep_parse_description(), for applications
   * that hand us text. */
  text = rtc_fuzz_strndup (data, size);
  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_OFFER, text, &error);
  if (desc)
    gst_webrtc_session_description_free (desc);
  else
    g_clear_error (&error);
  g_free (text);

  offer = fuzz_jsep_parse (data, size);

  medias = fuzz_jsep_local_medias (kinds, NULL);
  ans = answer (offer, medias, NULL, NULL, NULL);
  if (ans)
    gst_sdp_message_free (ans);
  g_ptr_array_unref (medias);

  medias = copy_medias (first_medias);
  ans = answer (offer, medias, first_offer, first_answer, first_offer);
  if (ans)
    gst_sdp_message_free (ans);
  g_ptr_array_unref (medias);

  /* Defence in depth: the conversions alone, as if validation had been
   * skipped, reach no GLib warning and no crash either. */
  medias = fuzz_jsep_local_medias (kinds, NULL);
  if (rtc_jsep_associate_remote (offer, medias, NULL, &error)) {
    ans = rtc_jsep_build_answer (&session, offer, medias, &error);
    if (ans)
      gst_sdp_message_free (ans);
  }
  g_clear_error (&error);
  fuzz_jsep_read_remote (offer);
  g_ptr_array_unref (medias);

  gst_sdp_message_free (offer);
  return 0;
}
