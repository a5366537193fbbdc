/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Building an offer: https://www.rfc-editor.org/rfc/rfc8829#section-5.2
 *
 * A pure function of the session (ICE/DTLS parameters, ids), the medias
 * (one per transceiver or data channel section) and the current local
 * description. Every section gets port 9 and the full set of ICE/DTLS
 * attributes, even inside a BUNDLE group: that is what Chromium and
 * Firefox do for balanced and max-bundle, and every peer understands it,
 * while a=bundle-only (RFC 8843 section 6) is not understood everywhere.
 *
 * The section layout (same order as Chromium):
 *   m=<kind> 9 UDP/TLS/RTP/SAVPF <pt> [<rtx pt>] ...
 *   c=, a=rtcp, a=ice-ufrag/-pwd/-options, a=fingerprint, a=setup, a=mid,
 *   a=extmap, a=<direction>, a=rtcp-mux, a=rtcp-rsize,
 *   a=rtpmap/rtcp-fb/fmtp per codec, a=msid, a=ssrc-group, a=ssrc
 */

#include "rtcjsep-offer.h"
#include "rtcsdputil.h"

#include <stdlib.h>
#include <string.h>

#define RTP_PROTO "UDP/TLS/RTP/SAVPF"
#define SCTP_PROTO "UDP/DTLS/SCTP"
#define SCTP_FORMAT "webrtc-datachannel"

/* Header extension ids we use when the last negotiation did not pick any;
 * Chromium's numbers, so captures look familiar. One-byte ids are 1..14
 * (https://www.rfc-editor.org/rfc/rfc8285#section-4.2). */
#define DEFAULT_EXTMAP_ID_MID 4
#define DEFAULT_EXTMAP_ID_TWCC 3
#define MAX_ONE_BYTE_EXTMAP_ID 14

/* Whether any a=extmap of @msg (any section or session level) uses @id. */
static gboolean
extmap_id_taken (const GstSDPMessage * msg, guint id)
{
  guint i, j;

  if (msg == NULL)
    return FALSE;

  for (i = 0; i <= gst_sdp_message_medias_len (msg); i++) {
    guint n;

    /* i == medias_len is the session level. */
    if (i < gst_sdp_message_medias_len (msg))
      n = gst_sdp_media_attributes_len (gst_sdp_message_get_media (msg, i));
    else
      n = gst_sdp_message_attributes_len (msg);

    for (j = 0; j < n; j++) {
      const GstSDPAttribute *a = i < gst_sdp_message_medias_len (msg) ?
          gst_sdp_media_get_attribute (gst_sdp_message_get_media (msg, i), j) :
          gst_sdp_message_get_attribute (msg, j);

      if (g_strcmp0 (a->key, "extmap") == 0 && a->value
          && strtoul (a->value, NULL, 10) == id)
        return TRUE;
    }
  }
  return FALSE;
}

/* The id for @uri: the one negotiated last time (the answerer may have
 * been the one choosing it), else our default, else the first free one.
 * With BUNDLE every section must use the same id for the same URI
 * (https://www.rfc-editor.org/rfc/rfc8843#section-9.1.3.1), so the id is
 * chosen once per offer, not per section. */
static guint
choose_extmap_id (const GstSDPMessage * current_local, const gchar * uri,
    guint default_id, guint avoid)
{
  guint i, id;

  if (current_local) {
    for (i = 0; i < gst_sdp_message_medias_len (current_local); i++) {
      id = rtc_sdp_media_get_extmap_id (current_local, i, uri);
      if (id)
        return id;
    }
  }
  if (default_id != avoid && !extmap_id_taken (current_local, default_id))
    return default_id;
  for (id = 1; id <= MAX_ONE_BYTE_EXTMAP_ID; id++) {
    if (id != avoid && !extmap_id_taken (current_local, id))
      return id;
  }
  return default_id;
}

static gboolean
mid_in_use (const gchar * mid, GPtrArray * medias, gchar ** assigned,
    const GstSDPMessage * current_local)
{
  guint i;

  for (i = 0; i < medias->len; i++) {
    const RtcJsepMedia *m = g_ptr_array_index (medias, i);
    if (g_strcmp0 (m->mid, mid) == 0 || g_strcmp0 (assigned[i], mid) == 0)
      return TRUE;
  }
  return current_local && rtc_sdp_find_mid (current_local, mid) >= 0;
}

/* Browsers number their mids "0", "1", ...; the first number no media
 * and no earlier section uses keeps them unique across renegotiation
 * (https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1). */
static gchar *
new_mid (GPtrArray * medias, gchar ** assigned,
    const GstSDPMessage * current_local)
{
  guint n = 0;

  for (;;) {
    gchar *mid = g_strdup_printf ("%u", n++);
    if (!mid_in_use (mid, medias, assigned, current_local))
      return mid;
    g_free (mid);
  }
}

/* A section of the last local description that no media stands for any
 * more. m= lines are never removed
 * (https://www.rfc-editor.org/rfc/rfc8829#section-5.2.2), so it stays,
 * rejected, with its kind, proto, formats and mid. */
static void
add_dropped_section (GstSDPMessage * msg, const GstSDPMessage * current_local,
    guint mline)
{
  const GstSDPMedia *old = gst_sdp_message_get_media (current_local, mline);
  const gchar *mid = rtc_sdp_media_get_mid (current_local, mline);
  GstSDPMedia m = { 0, };
  guint i;

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, gst_sdp_media_get_media (old));
  gst_sdp_media_set_port_info (&m, 0, 0);
  gst_sdp_media_set_proto (&m, gst_sdp_media_get_proto (old));
  for (i = 0; i < gst_sdp_media_formats_len (old); i++)
    gst_sdp_media_add_format (&m, gst_sdp_media_get_format (old, i));
  if (gst_sdp_media_formats_len (old) == 0)
    gst_sdp_media_add_format (&m, "0");
  gst_sdp_media_add_connection (&m, "IN", "IP4", "0.0.0.0", 0, 0);
  if (mid)
    gst_sdp_media_add_attribute (&m, "mid", mid);
  if (rtc_sdp_media_get_kind (current_local, mline) !=
      RTC_MEDIA_KIND_APPLICATION)
    gst_sdp_media_add_attribute (&m, "inactive", "");
  gst_sdp_message_add_media (msg, &m);
}

/* A stopped transceiver: https://www.rfc-editor.org/rfc/rfc8829#section-5.2.2
 * "port of zero", no transport attributes, the mid kept so the answerer
 * still knows which section this is. */
static void
add_stopped_section (GstSDPMessage * msg, const RtcJsepMedia * media,
    const gchar * mid)
{
  GstSDPMedia m = { 0, };

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, rtc_media_kind_to_string (media->kind));
  gst_sdp_media_set_port_info (&m, 0, 0);
  if (media->kind == RTC_MEDIA_KIND_APPLICATION) {
    gst_sdp_media_set_proto (&m, SCTP_PROTO);
    gst_sdp_media_add_format (&m, SCTP_FORMAT);
    gst_sdp_media_add_connection (&m, "IN", "IP4", "0.0.0.0", 0, 0);
    gst_sdp_media_add_attribute (&m, "mid", mid);
  } else {
    gst_sdp_media_set_proto (&m, RTP_PROTO);
    gst_sdp_media_add_connection (&m, "IN", "IP4", "0.0.0.0", 0, 0);
    gst_sdp_media_add_attribute (&m, "mid", mid);
    gst_sdp_media_add_attribute (&m, "inactive", "");
    if (media->codecs->len > 0)
      rtc_jsep_media_write_codecs (&m, media->codecs);
    else
      gst_sdp_media_add_format (&m, "0");
  }
  gst_sdp_message_add_media (msg, &m);
}

typedef struct
{
  const gchar *ice_ufrag;
  const gchar *ice_pwd;
  const gchar *fingerprint;
  GstWebRTCDTLSSetup setup;
  guint extmap_mid;
  guint extmap_twcc;
  const RtcJsepSession *session;
  RtcJsepDtmfPlan dtmf;
} OfferParams;

static void
add_rtp_section (GstSDPMessage * msg, const RtcJsepMedia * media,
    const gchar * mid, const OfferParams * p)
{
  gboolean any_rtx = FALSE, any_twcc = FALSE;
  GstSDPMedia m = { 0, };
  gchar *tmp;
  guint i;

  for (i = 0; i < media->codecs->len; i++) {
    const RtcCodec *c = &g_array_index (media->codecs, RtcCodec, i);
    any_rtx |= c->rtx_pt != 0;
    any_twcc |= (c->feedback & RTC_FB_TRANSPORT_CC) != 0;
  }

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, rtc_media_kind_to_string (media->kind));
  gst_sdp_media_set_port_info (&m, 9, 0);
  gst_sdp_media_set_proto (&m, RTP_PROTO);
  rtc_jsep_media_write_transport (&m, p->ice_ufrag, p->ice_pwd,
      p->fingerprint, p->setup, mid);

  /* The MID header extension lets the answerer demux a BUNDLE group
   * before it knows our SSRCs (https://www.rfc-editor.org/rfc/rfc8843#section-15.2). */
  tmp = g_strdup_printf ("%u %s", p->extmap_mid, RTC_EXTMAP_MID);
  gst_sdp_media_add_attribute (&m, "extmap", tmp);
  g_free (tmp);
  if (any_twcc) {
    tmp = g_strdup_printf ("%u %s", p->extmap_twcc, RTC_EXTMAP_TWCC);
    gst_sdp_media_add_attribute (&m, "extmap", tmp);
    g_free (tmp);
  }

  gst_sdp_media_add_attribute (&m,
      rtc_jsep_direction_to_string (media->direction), "");
  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1: rtcp-mux is
   * required by the only rtcpMuxPolicy left (require); reduced-size RTCP
   * is offered as browsers do (RFC 5506). */
  gst_sdp_media_add_attribute (&m, "rtcp-mux", "");
  gst_sdp_media_add_attribute (&m, "rtcp-rsize", "");
  if (media->kind == RTC_MEDIA_KIND_AUDIO) {
    /* DTMF is offered beside every audio codec (RFC 4733). */
    GArray *codecs = rtc_jsep_dtmf_offer_codecs (&p->dtmf, media->codecs);

    rtc_jsep_media_write_codecs (&m, codecs);
    g_array_unref (codecs);
  } else {
    rtc_jsep_media_write_codecs (&m, media->codecs);
  }
  if (rtc_jsep_direction_has_send (media->direction))
    rtc_jsep_media_write_source (&m, media, p->session, mid, any_rtx);

  gst_sdp_message_add_media (msg, &m);
}

/* https://www.rfc-editor.org/rfc/rfc8841#section-4 (SCTP over DTLS) and
 * https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1 for the format. */
static void
add_application_section (GstSDPMessage * msg, const RtcJsepMedia * media,
    const gchar * mid, const OfferParams * p)
{
  GstSDPMedia m = { 0, };

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, "application");
  gst_sdp_media_set_port_info (&m, 9, 0);
  gst_sdp_media_set_proto (&m, SCTP_PROTO);
  gst_sdp_media_add_format (&m, SCTP_FORMAT);
  rtc_jsep_media_write_transport (&m, p->ice_ufrag, p->ice_pwd,
      p->fingerprint, p->setup, mid);
  rtc_jsep_media_write_sctp (&m, media);
  gst_sdp_message_add_media (msg, &m);
}

static const gchar *
first_nonnull (const gchar * a, const gchar * b)
{
  return a ? a : b;
}

GstSDPMessage *
rtc_jsep_build_offer (const RtcJsepSession * session, GPtrArray * medias,
    const GstSDPMessage * current_local, GError ** error)
{
  GstSDPMessage *msg = NULL;
  OfferParams p = { 0, };
  GPtrArray *slots;             /* RtcJsepMedia or NULL, indexed by m-line */
  GPtrArray *mids;              /* the mid each slot gets (NULL allowed) */
  gchar **assigned;             /* new mid per index of @medias, borrowed */
  GString *bundle;
  guint n_current, n_slots, i;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (medias != NULL, NULL);

  n_current = current_local ? gst_sdp_message_medias_len (current_local) : 0;

  /* The ICE/DTLS parameters stay those of the last negotiation unless the
   * session brings new ones (an ICE restart brings a new ufrag/pwd,
   * https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1). */
  p.session = session;
  p.ice_ufrag = first_nonnull (session->ice_ufrag, n_current ?
      rtc_sdp_media_get_ice_ufrag (current_local, 0) : NULL);
  p.ice_pwd = first_nonnull (session->ice_pwd, n_current ?
      rtc_sdp_media_get_ice_pwd (current_local, 0) : NULL);
  p.fingerprint = first_nonnull (session->fingerprint, n_current ?
      rtc_sdp_media_get_fingerprint (current_local, 0) : NULL);
  /* Every offer, first or not, says actpass
   * (https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1 and 5.2.2). */
  p.setup = session->offer_setup == GST_WEBRTC_DTLS_SETUP_NONE ?
      GST_WEBRTC_DTLS_SETUP_ACTPASS : session->offer_setup;
  if (p.ice_ufrag == NULL || p.ice_pwd == NULL || p.fingerprint == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
        "cannot build an offer without %s",
        p.ice_ufrag == NULL ? "an ICE ufrag" : p.ice_pwd == NULL ?
        "an ICE password" : "a DTLS fingerprint");
    return NULL;
  }

  /* Place the medias: those with an m-line keep it (the order of m= lines
   * never changes, https://www.rfc-editor.org/rfc/rfc8829#section-5.2.2),
   * the new ones are appended in the order they were added. */
  n_slots = n_current;
  for (i = 0; i < medias->len; i++) {
    const RtcJsepMedia *m = g_ptr_array_index (medias, i);
    if (m->mline >= 0 && (guint) m->mline + 1 > n_slots)
      n_slots = m->mline + 1;
  }
  slots = g_ptr_array_new ();
  g_ptr_array_set_size (slots, n_slots);
  mids = g_ptr_array_new_with_free_func (g_free);
  assigned = g_new0 (gchar *, medias->len + 1);

  for (i = 0; i < medias->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (medias, i);
    guint j;

    if (m->mline < 0)
      continue;
    if (g_ptr_array_index (slots, m->mline) != NULL) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
          "two medias claim m-line %d", m->mline);
      goto fail;
    }
    if ((guint) m->mline < n_current
        && rtc_sdp_media_get_kind (current_local, m->mline) != m->kind) {
      g_set_error (error, RTC_JSEP_ERROR,
          RTC_JSEP_ERROR_INVALID_MODIFICATION,
          "m-line %d was %s in the current description, the media is %s",
          m->mline, gst_sdp_media_get_media (gst_sdp_message_get_media
              (current_local, m->mline)), rtc_media_kind_to_string (m->kind));
      goto fail;
    }
    if (m->mid) {
      for (j = 0; j < i; j++) {
        const RtcJsepMedia *o = g_ptr_array_index (medias, j);
        if (g_strcmp0 (o->mid, m->mid) == 0) {
          g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
              "two medias have mid '%s'", m->mid);
          goto fail;
        }
      }
    }
    g_ptr_array_index (slots, m->mline) = m;
  }

  for (i = 0; i < n_slots; i++) {
    if (g_ptr_array_index (slots, i) == NULL && i >= n_current) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
          "no media for m-line %u", i);
      goto fail;
    }
  }

  for (i = 0; i < medias->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (medias, i);

    if (m->mline >= 0)
      continue;
    g_ptr_array_add (slots, m);
  }

  /* Decide every mid before writing anything, so a failure leaves
   * @medias untouched. */
  for (i = 0; i < slots->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (slots, i);
    guint idx;

    if (m == NULL) {
      g_ptr_array_add (mids, g_strdup (rtc_sdp_media_get_mid (current_local,
                  i)));
      continue;
    }
    if (m->mid) {
      g_ptr_array_add (mids, g_strdup (m->mid));
      continue;
    }
    if (!g_ptr_array_find (medias, m, &idx))
      g_assert_not_reached ();
    /* A media put in an m-line of the last description keeps its mid. */
    if (i < n_current && rtc_sdp_media_get_mid (current_local, i))
      assigned[idx] = g_strdup (rtc_sdp_media_get_mid (current_local, i));
    else
      assigned[idx] = new_mid (medias, assigned, current_local);
    g_ptr_array_add (mids, g_strdup (assigned[idx]));
  }

  for (i = 0; i < slots->len; i++) {
    const RtcJsepMedia *m = g_ptr_array_index (slots, i);

    if (m && !m->stopped && m->kind != RTC_MEDIA_KIND_APPLICATION
        && m->codecs->len == 0) {
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_NO_COMMON_CODEC,
          "m-line %u (mid '%s', %s) has no codec to offer", i,
          (const gchar *) g_ptr_array_index (mids, i),
          rtc_media_kind_to_string (m->kind));
      goto fail;
    }
  }

  p.extmap_mid = choose_extmap_id (current_local, RTC_EXTMAP_MID,
      DEFAULT_EXTMAP_ID_MID, 0);
  p.extmap_twcc = choose_extmap_id (current_local, RTC_EXTMAP_TWCC,
      DEFAULT_EXTMAP_ID_TWCC, p.extmap_mid);
  rtc_jsep_dtmf_plan_offer (&p.dtmf, medias);

  gst_sdp_message_new (&msg);
  rtc_jsep_message_init (msg, session);

  bundle = g_string_new ("BUNDLE");
  for (i = 0; i < slots->len; i++) {
    const RtcJsepMedia *m = g_ptr_array_index (slots, i);

    if (m == NULL) {
      add_dropped_section (msg, current_local, i);
      continue;
    }
    if (m->stopped) {
      add_stopped_section (msg, m, g_ptr_array_index (mids, i));
      continue;
    }
    if (m->kind == RTC_MEDIA_KIND_APPLICATION)
      add_application_section (msg, m, g_ptr_array_index (mids, i), &p);
    else
      add_rtp_section (msg, m, g_ptr_array_index (mids, i), &p);
    g_string_append_printf (bundle, " %s",
        (const gchar *) g_ptr_array_index (mids, i));
  }

  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.2.1: every section
   * goes in one BUNDLE group unless the policy is "none"
   * (rejected ones cannot be bundled, RFC 8843 section 7.2). The first
   * mid is the offerer's BUNDLE tag. */
  if (session->bundle_policy != GST_WEBRTC_BUNDLE_POLICY_NONE
      && strchr (bundle->str, ' ') != NULL) {
    /* gst_sdp_message_add_attribute() copies; group must be the first
     * session attribute for some older parsers, so put it in front. */
    GstSDPAttribute attr = { 0, };

    gst_sdp_attribute_set (&attr, "group", bundle->str);
    gst_sdp_message_insert_attribute (msg, 0, &attr);
  }
  g_string_free (bundle, TRUE);

  /* Only now that nothing can fail: hand out the new m-lines and mids. */
  for (i = 0; i < slots->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (slots, i);
    guint idx;

    if (m == NULL)
      continue;
    m->mline = i;
    if (m->mid == NULL && g_ptr_array_find (medias, m, &idx)) {
      m->mid = assigned[idx];
      assigned[idx] = NULL;
    }
  }

  g_ptr_array_free (slots, TRUE);
  g_ptr_array_free (mids, TRUE);
  for (i = 0; i < medias->len; i++)
    g_free (assigned[i]);
  g_free (assigned);
  return msg;

fail:
  g_ptr_array_free (slots, TRUE);
  g_ptr_array_free (mids, TRUE);
  for (i = 0; i < medias->len; i++)
    g_free (assigned[i]);
  g_free (assigned);
  return NULL;
}
