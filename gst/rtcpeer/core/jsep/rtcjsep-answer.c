/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Answering an offer: https://www.rfc-editor.org/rfc/rfc8829#section-5.3
 * and tying its m-lines to our medias first:
 * https://www.rfc-editor.org/rfc/rfc8829#section-5.10 plus
 * https://w3c.github.io/webrtc-pc/#set-description (4.6.10, the steps
 * that find or create a transceiver for each media description).
 *
 * Like the offer builder (rtcjsep-offer.c) every accepted section gets
 * port 9 and the full ICE/DTLS attributes, as browsers answer. The
 * answer follows the offer: same m-lines, same order, same mids, same
 * payload types (RFC 3264 section 6.1). */

#include "rtcjsep-answer.h"
#include "rtcsdputil.h"

#include <stdlib.h>
#include <string.h>

#define SCTP_FORMAT "webrtc-datachannel"

GstWebRTCRTPTransceiverDirection
rtc_jsep_answer_direction (GstWebRTCRTPTransceiverDirection offered,
    GstWebRTCRTPTransceiverDirection local)
{
  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.3.1 and
   * https://www.rfc-editor.org/rfc/rfc3264#section-6.1: we may send only
   * what the offerer wants to receive and receive only what it sends, and
   * only as far as our own transceiver direction allows. */
  gboolean send = rtc_jsep_direction_has_recv (offered)
      && rtc_jsep_direction_has_send (local);
  gboolean recv = rtc_jsep_direction_has_send (offered)
      && rtc_jsep_direction_has_recv (local);

  if (send && recv)
    return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  if (send)
    return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY;
  if (recv)
    return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
  return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE;
}

static gboolean
is_known_kind (const GstSDPMessage * msg, guint mline)
{
  const gchar *m =
      gst_sdp_media_get_media (gst_sdp_message_get_media (msg, mline));

  return g_strcmp0 (m, "audio") == 0 || g_strcmp0 (m, "video") == 0
      || g_strcmp0 (m, "application") == 0;
}

/* Flag attributes (a=rtcp-mux) have a NULL value when the message was
 * built rather than parsed, so look at the key. */
static RtcJsepMedia *
find_media_by_mid (GPtrArray * medias, const gchar * mid)
{
  guint i;

  for (i = 0; i < medias->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (medias, i);
    if (m->mid && g_strcmp0 (m->mid, mid) == 0)
      return m;
  }
  return NULL;
}

gboolean
rtc_jsep_associate_remote (const GstSDPMessage * offer, GPtrArray * medias,
    GPtrArray * added, GError ** error)
{
  guint n = gst_sdp_message_medias_len (offer);
  /* One plan entry per m-line, decided before anything changes so that an
   * error leaves @medias as it was: an existing media, a new one, or
   * nothing (rejected sections and kinds we do not know). */
  RtcJsepMedia **match = g_new0 (RtcJsepMedia *, n);
  RtcJsepMedia **created = g_new0 (RtcJsepMedia *, n);
  GHashTable *claimed = g_hash_table_new (NULL, NULL);
  gboolean ret = FALSE;
  guint i, j;

  g_return_val_if_fail (offer != NULL, FALSE);
  g_return_val_if_fail (medias != NULL, FALSE);

  for (i = 0; i < n; i++) {
    const gchar *mid = rtc_sdp_media_get_mid (offer, i);
    gboolean rejected = rtc_sdp_media_is_rejected (offer, i);
    RtcMediaKind kind = rtc_sdp_media_get_kind (offer, i);
    RtcJsepMedia *m;

    if (mid == NULL) {
      /* A rejected section needs no media, so a missing mid there is
       * harmless; anywhere else JSEP needs it to match sections
       * (https://www.rfc-editor.org/rfc/rfc8829#section-5.8). */
      if (rejected)
        continue;
      g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP,
          "m-line %u has no a=mid", i);
      goto out;
    }

    /* Step 1: the media that already has this mid. */
    m = find_media_by_mid (medias, mid);
    if (m) {
      if (m->kind != kind || !is_known_kind (offer, i)) {
        g_set_error (error, RTC_JSEP_ERROR,
            RTC_JSEP_ERROR_INVALID_MODIFICATION,
            "m-line %u (mid '%s') is %s, but that mid is a %s section", i,
            mid, gst_sdp_media_get_media (gst_sdp_message_get_media (offer,
                    i)), rtc_media_kind_to_string (m->kind));
        goto out;
      }
      match[i] = m;
      g_hash_table_add (claimed, m);
      continue;
    }
    if (rejected || !is_known_kind (offer, i))
      continue;

    /* Step 2: a media the user added that was never in a description,
     * same kind, first come first served. */
    for (j = 0; j < medias->len; j++) {
      RtcJsepMedia *cand = g_ptr_array_index (medias, j);

      if (cand->mid == NULL && cand->mline < 0 && cand->kind == kind
          && !cand->stopped && !g_hash_table_contains (claimed, cand)) {
        m = cand;
        break;
      }
    }
    if (m) {
      match[i] = m;
      g_hash_table_add (claimed, m);
      continue;
    }

    /* Step 3: a new one. W3C: "create an RTCRtpTransceiver ... with
     * direction recvonly"; its codecs are the offered ones so that a
     * later offer of ours can reuse them. */
    m = rtc_jsep_media_new (kind, kind == RTC_MEDIA_KIND_APPLICATION ?
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV :
        GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
    created[i] = m;
    if (!rtc_sdp_media_get_codecs (offer, i, m->codecs, error))
      goto out;
  }

  /* Nothing can fail any more. */
  for (i = 0; i < n; i++) {
    RtcJsepMedia *m = match[i] ? match[i] : created[i];

    if (m == NULL)
      continue;
    if (m->mid == NULL)
      m->mid = g_strdup (rtc_sdp_media_get_mid (offer, i));
    m->mline = i;
    if (created[i]) {
      g_ptr_array_add (medias, created[i]);
      if (added)
        g_ptr_array_add (added, created[i]);
      created[i] = NULL;
    }
  }
  ret = TRUE;

out:
  for (i = 0; i < n; i++)
    rtc_jsep_media_free (created[i]);
  g_free (created);
  g_free (match);
  g_hash_table_unref (claimed);
  return ret;
}

/* The value of @key in "k=v;k2=v2" (keys compare case-insensitively,
 * https://www.rfc-editor.org/rfc/rfc8866#section-6.15), or NULL. */
static gchar *
fmtp_get (const gchar * fmtp, const gchar * key)
{
  gchar **params;
  gchar *ret = NULL;
  guint i;

  if (fmtp == NULL)
    return NULL;
  params = g_strsplit (fmtp, ";", -1);
  for (i = 0; params[i] && ret == NULL; i++) {
    gchar *eq = strchr (params[i], '=');

    if (eq == NULL)
      continue;
    *eq = '\0';
    if (g_ascii_strcasecmp (g_strstrip (params[i]), key) == 0)
      ret = g_strdup (g_strstrip (eq + 1));
  }
  g_strfreev (params);
  return ret;
}

static guint
fmtp_get_uint (const gchar * fmtp, const gchar * key, guint def)
{
  gchar *v = fmtp_get (fmtp, key);
  guint64 val;

  if (v == NULL || !g_ascii_string_to_unsigned (v, 10, 0, G_MAXUINT, &val,
          NULL))
    val = def;
  g_free (v);
  return val;
}

/* The H264 profile a profile-level-id names, ignoring the level (levels
 * are negotiated separately, https://www.rfc-editor.org/rfc/rfc6184#section-8.2.2).
 * Constrained Baseline is spelled either as 42 with constraint_set1 or as
 * 4d with constraint_set0; both become one value. */
static guint
h264_profile (const gchar * fmtp)
{
  gchar *plid = fmtp_get (fmtp, "profile-level-id");
  guint64 v;
  guint idc, iop;

  /* RFC 6184 section 8.1: absent means 42000a, Baseline. */
  if (plid == NULL || strlen (plid) != 6
      || !g_ascii_string_to_unsigned (plid, 16, 0, 0xffffff, &v, NULL))
    v = 0x42000a;
  g_free (plid);
  idc = (v >> 16) & 0xff;
  iop = (v >> 8) & 0xff;
  if ((idc == 0x42 && (iop & 0x40)) || (idc == 0x4d && (iop & 0x80)))
    return 0x100 | 0x42;
  return idc;
}

static guint
audio_channels (const RtcCodec * c)
{
  /* No channel count in the rtpmap means one
   * (https://www.rfc-editor.org/rfc/rfc8866#section-6.6). */
  return c->channels ? c->channels : 1;
}

/* Whether @local can stand for @offered: same encoding, clock rate and
 * channels, plus the fmtp parameters that change the bitstream. */
static gboolean
codecs_match (const RtcCodec * offered, const RtcCodec * local,
    RtcMediaKind kind)
{
  const gchar *name = offered->encoding_name;

  if (g_ascii_strcasecmp (name, local->encoding_name) != 0
      || offered->clock_rate != local->clock_rate)
    return FALSE;
  if (kind == RTC_MEDIA_KIND_AUDIO
      && audio_channels (offered) != audio_channels (local))
    return FALSE;

  if (g_ascii_strcasecmp (name, "H264") == 0) {
    /* https://www.rfc-editor.org/rfc/rfc6184#section-8.2.2: a different
     * packetization-mode is a different payload format. */
    if (fmtp_get_uint (offered->fmtp, "packetization-mode", 0) !=
        fmtp_get_uint (local->fmtp, "packetization-mode", 0))
      return FALSE;
    if (h264_profile (offered->fmtp) != h264_profile (local->fmtp))
      return FALSE;
  } else if (g_ascii_strcasecmp (name, "VP9") == 0) {
    /* https://datatracker.ietf.org/doc/html/draft-ietf-payload-vp9-16#section-6 */
    if (fmtp_get_uint (offered->fmtp, "profile-id", 0) !=
        fmtp_get_uint (local->fmtp, "profile-id", 0))
      return FALSE;
  } else if (g_ascii_strcasecmp (name, "AV1") == 0) {
    if (fmtp_get_uint (offered->fmtp, "profile", 0) !=
        fmtp_get_uint (local->fmtp, "profile", 0))
      return FALSE;
  }
  return TRUE;
}

/* https://www.rfc-editor.org/rfc/rfc8829#section-5.3.1: the answer
 * lists the offered codecs we support, with the offerer's payload types
 * and parameters (the offerer will send with those), in the offerer's
 * order; feedback is what both sides do; RTX only if both want it. */
static GArray *
intersect_codecs (const GArray * offered, const GArray * local,
    RtcMediaKind kind)
{
  GArray *out = rtc_codec_array_new ();
  guint i, j;

  for (i = 0; i < offered->len; i++) {
    const RtcCodec *o = &g_array_index (offered, RtcCodec, i);

    for (j = 0; j < local->len; j++) {
      const RtcCodec *l = &g_array_index (local, RtcCodec, j);
      RtcCodec c;

      if (!codecs_match (o, l, kind))
        continue;
      rtc_codec_copy_into (&c, o);
      c.feedback = o->feedback & l->feedback;
      c.rtx_pt = l->rtx_pt ? o->rtx_pt : 0;
      g_array_append_val (out, c);
      break;
    }
  }
  return out;
}

static GstWebRTCDTLSSetup
answer_setup (GstWebRTCDTLSSetup offered)
{
  /* https://www.rfc-editor.org/rfc/rfc8842#section-5.3: to actpass the
   * answerer says active (browsers do, and it lets the DTLS handshake
   * start without waiting for the offerer's ICE to connect); to passive,
   * active; to active, passive. An absent attribute means active
   * (https://www.rfc-editor.org/rfc/rfc4145#section-4), so passive. */
  switch (offered) {
    case GST_WEBRTC_DTLS_SETUP_ACTIVE:
    case GST_WEBRTC_DTLS_SETUP_NONE:
      return GST_WEBRTC_DTLS_SETUP_PASSIVE;
    case GST_WEBRTC_DTLS_SETUP_ACTPASS:
    case GST_WEBRTC_DTLS_SETUP_PASSIVE:
    default:
      return GST_WEBRTC_DTLS_SETUP_ACTIVE;
  }
}

/* The DTLS role the transport of @mid took in the last negotiation:
 * TRUE with *client set when there is one. */
static gboolean
negotiated_role (const GstSDPMessage * local, const GstSDPMessage * remote,
    const gchar * mid, gboolean * client)
{
  gint lm, rm;
  GstWebRTCDTLSSetup ours, theirs;

  if (!local || !remote || !mid)
    return FALSE;
  lm = rtc_sdp_find_mid (local, mid);
  rm = rtc_sdp_find_mid (remote, mid);
  if (lm < 0 || rm < 0 || rtc_sdp_media_is_rejected (local, lm)
      || rtc_sdp_media_is_rejected (remote, rm))
    return FALSE;
  ours = rtc_sdp_media_get_setup (local, lm);
  theirs = rtc_sdp_media_get_setup (remote, rm);
  return rtc_jsep_dtls_client (ours, theirs, client);
}

gboolean
rtc_jsep_dtls_client (GstWebRTCDTLSSetup ours, GstWebRTCDTLSSetup theirs,
    gboolean * client)
{
  /* RFC 5763 section 5: active is the client; whoever said actpass took
   * the opposite of the other side's answer, and an answer without
   * a=setup means active (RFC 4145 section 4). */
  if (ours == GST_WEBRTC_DTLS_SETUP_ACTIVE)
    *client = TRUE;
  else if (ours == GST_WEBRTC_DTLS_SETUP_PASSIVE)
    *client = FALSE;
  else if (theirs == GST_WEBRTC_DTLS_SETUP_ACTIVE)
    *client = FALSE;
  else if (theirs == GST_WEBRTC_DTLS_SETUP_PASSIVE)
    *client = TRUE;
  else if (ours == GST_WEBRTC_DTLS_SETUP_ACTPASS
      && theirs == GST_WEBRTC_DTLS_SETUP_NONE)
    *client = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* a=setup for section @mline of a subsequent offer: the role its transport
 * already has, else what a first answer says. A section added to an
 * existing BUNDLE group joins that group's transport and so its role. */
static GstWebRTCDTLSSetup
subsequent_answer_setup (const GstSDPMessage * offer, guint mline,
    gchar ** bundle_mids, const GstSDPMessage * current_local,
    const GstSDPMessage * current_remote)
{
  const gchar *mid = rtc_sdp_media_get_mid (offer, mline);
  gboolean client;
  guint i;

  if (negotiated_role (current_local, current_remote, mid, &client))
    goto found;
  if (bundle_mids && mid
      && g_strv_contains ((const gchar * const *) bundle_mids, mid)) {
    for (i = 0; bundle_mids[i]; i++) {
      if (negotiated_role (current_local, current_remote, bundle_mids[i],
              &client))
        goto found;
    }
  }
  return answer_setup (rtc_sdp_media_get_setup (offer, mline));

found:
  return client ? GST_WEBRTC_DTLS_SETUP_ACTIVE : GST_WEBRTC_DTLS_SETUP_PASSIVE;
}

/* https://www.rfc-editor.org/rfc/rfc8829#section-5.3.1: a rejected
 * section keeps kind, proto and formats of the offer, port 0, and the mid
 * so that the offerer can tell which one it is. */
static void
add_rejected_section (GstSDPMessage * msg, const GstSDPMessage * offer,
    guint mline)
{
  const GstSDPMedia *om = gst_sdp_message_get_media (offer, mline);
  const gchar *mid = rtc_sdp_media_get_mid (offer, mline);
  GstSDPMedia m = { 0, };
  guint i;

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, gst_sdp_media_get_media (om));
  gst_sdp_media_set_port_info (&m, 0, 0);
  gst_sdp_media_set_proto (&m, gst_sdp_media_get_proto (om));
  for (i = 0; i < gst_sdp_media_formats_len (om); i++)
    gst_sdp_media_add_format (&m, gst_sdp_media_get_format (om, i));
  gst_sdp_media_add_connection (&m, "IN", "IP4", "0.0.0.0", 0, 0);
  if (mid)
    gst_sdp_media_add_attribute (&m, "mid", mid);
  if (rtc_sdp_media_get_kind (offer, mline) != RTC_MEDIA_KIND_APPLICATION)
    gst_sdp_media_add_attribute (&m, "inactive", "");
  gst_sdp_message_add_media (msg, &m);
}

typedef struct
{
  const RtcJsepSession *session;
  const GstSDPMessage *offer;
  guint mline;
  const gchar *mid;
  GstWebRTCDTLSSetup setup;
} AnswerCtx;

static void
echo_extmap (GstSDPMedia * m, const AnswerCtx * ctx, const gchar * uri)
{
  guint id = rtc_sdp_media_get_extmap_id (ctx->offer, ctx->mline, uri);
  gchar *tmp;

  /* https://www.rfc-editor.org/rfc/rfc8285#section-7: the answer uses
   * the offered id for each extension it accepts. */
  if (id == 0)
    return;
  tmp = g_strdup_printf ("%u %s", id, uri);
  gst_sdp_media_add_attribute (m, "extmap", tmp);
  g_free (tmp);
}

/* Returns FALSE (and adds nothing) when the section has to be rejected:
 * no codec in common, or no RTCP multiplexing. */
static gboolean
add_rtp_section (GstSDPMessage * msg, const AnswerCtx * ctx,
    const RtcJsepMedia * media, GError ** error)
{
  const GstSDPMedia *om = gst_sdp_message_get_media (ctx->offer, ctx->mline);
  GstWebRTCRTPTransceiverDirection dir;
  GArray *offered, *codecs;
  gboolean any_rtx = FALSE, any_twcc = FALSE;
  GstSDPMedia m = { 0, };
  guint i;

  /* https://www.rfc-editor.org/rfc/rfc8829#section-5.3.1: with the
   * "require" rtcp-mux policy (the only one left in W3C) a section
   * without a=rtcp-mux is rejected. */
  if (!rtc_sdp_media_has_attribute (om, "rtcp-mux"))
    return FALSE;

  offered = rtc_codec_array_new ();
  if (!rtc_sdp_media_get_codecs (ctx->offer, ctx->mline, offered, error)) {
    g_array_unref (offered);
    return FALSE;
  }
  codecs = intersect_codecs (offered, media->codecs, media->kind);
  if (codecs->len == 0) {
    g_array_unref (offered);
    g_array_unref (codecs);
    return FALSE;
  }
  /* DTMF goes beside the audio codecs whenever the offerer has it. */
  if (media->kind == RTC_MEDIA_KIND_AUDIO)
    rtc_jsep_dtmf_accept (codecs, offered);
  g_array_unref (offered);
  for (i = 0; i < codecs->len; i++) {
    const RtcCodec *c = &g_array_index (codecs, RtcCodec, i);
    any_rtx |= c->rtx_pt != 0;
    any_twcc |= (c->feedback & RTC_FB_TRANSPORT_CC) != 0;
  }

  dir = rtc_jsep_answer_direction (rtc_sdp_media_get_direction (ctx->offer,
          ctx->mline), media->direction);

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, gst_sdp_media_get_media (om));
  gst_sdp_media_set_port_info (&m, 9, 0);
  /* RFC 3264 section 6: the answer uses the offered transport. */
  gst_sdp_media_set_proto (&m, gst_sdp_media_get_proto (om));
  rtc_jsep_media_write_transport (&m, ctx->session->ice_ufrag,
      ctx->session->ice_pwd, ctx->session->fingerprint, ctx->setup, ctx->mid);
  echo_extmap (&m, ctx, RTC_EXTMAP_MID);
  if (any_twcc)
    echo_extmap (&m, ctx, RTC_EXTMAP_TWCC);
  gst_sdp_media_add_attribute (&m, rtc_jsep_direction_to_string (dir), "");
  gst_sdp_media_add_attribute (&m, "rtcp-mux", "");
  /* https://www.rfc-editor.org/rfc/rfc5506#section-5: only when offered. */
  if (rtc_sdp_media_has_attribute (om, "rtcp-rsize"))
    gst_sdp_media_add_attribute (&m, "rtcp-rsize", "");
  rtc_jsep_media_write_codecs (&m, codecs);
  if (rtc_jsep_direction_has_send (dir))
    rtc_jsep_media_write_source (&m, media, ctx->session, ctx->mid, any_rtx);
  gst_sdp_message_add_media (msg, &m);

  g_array_unref (codecs);
  return TRUE;
}

static gboolean
add_application_section (GstSDPMessage * msg, const AnswerCtx * ctx,
    const RtcJsepMedia * media)
{
  const GstSDPMedia *om = gst_sdp_message_get_media (ctx->offer, ctx->mline);
  const gchar *proto = gst_sdp_media_get_proto (om);
  GstSDPMedia m = { 0, };
  guint i;
  gboolean dc = FALSE;

  /* Only the current data channel format
   * (https://www.rfc-editor.org/rfc/rfc8841#section-4.1): the old
   * "DTLS/SCTP 5000" + a=sctpmap form is gone from browsers. */
  for (i = 0; i < gst_sdp_media_formats_len (om); i++)
    dc |= g_strcmp0 (gst_sdp_media_get_format (om, i), SCTP_FORMAT) == 0;
  if (!dc || proto == NULL || strstr (proto, "DTLS/SCTP") == NULL)
    return FALSE;

  gst_sdp_media_init (&m);
  gst_sdp_media_set_media (&m, "application");
  gst_sdp_media_set_port_info (&m, 9, 0);
  gst_sdp_media_set_proto (&m, proto);
  gst_sdp_media_add_format (&m, SCTP_FORMAT);
  rtc_jsep_media_write_transport (&m, ctx->session->ice_ufrag,
      ctx->session->ice_pwd, ctx->session->fingerprint, ctx->setup, ctx->mid);
  rtc_jsep_media_write_sctp (&m, media);
  gst_sdp_message_add_media (msg, &m);
  return TRUE;
}

static RtcJsepMedia *
find_media_by_mline (GPtrArray * medias, guint mline)
{
  guint i;

  for (i = 0; i < medias->len; i++) {
    RtcJsepMedia *m = g_ptr_array_index (medias, i);
    if (m->mline >= 0 && (guint) m->mline == mline)
      return m;
  }
  return NULL;
}

static gboolean
is_secure_rtp_proto (const gchar * proto)
{
  /* RTP/SAVPF, UDP/TLS/RTP/SAVPF, TCP/DTLS/RTP/SAVPF (RFC 5764 section 8,
   * RFC 8829 section 5.1.2); plain RTP/AVP cannot be keyed by DTLS. */
  return proto != NULL && strstr (proto, "RTP/SAVP") != NULL;
}

GstSDPMessage *
rtc_jsep_build_answer (const RtcJsepSession * session,
    const GstSDPMessage * offer, GPtrArray * medias, GError ** error)
{
  return rtc_jsep_build_answer_full (session, offer, medias, NULL, NULL, error);
}

GstSDPMessage *
rtc_jsep_build_answer_full (const RtcJsepSession * session,
    const GstSDPMessage * offer, GPtrArray * medias,
    const GstSDPMessage * current_local, const GstSDPMessage * current_remote,
    GError ** error)
{
  GstSDPMessage *msg;
  GHashTable *accepted;
  gchar **bundle_mids;
  guint i, n;

  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (offer != NULL, NULL);
  g_return_val_if_fail (medias != NULL, NULL);

  if (session->ice_ufrag == NULL || session->ice_pwd == NULL
      || session->fingerprint == NULL) {
    g_set_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INTERNAL,
        "cannot build an answer without ICE credentials and a fingerprint");
    return NULL;
  }

  gst_sdp_message_new (&msg);
  rtc_jsep_message_init (msg, session);
  accepted = g_hash_table_new (g_str_hash, g_str_equal);

  bundle_mids = rtc_sdp_get_bundle_mids (offer);
  n = gst_sdp_message_medias_len (offer);
  for (i = 0; i < n; i++) {
    const GstSDPMedia *om = gst_sdp_message_get_media (offer, i);
    RtcJsepMedia *media = find_media_by_mline (medias, i);
    AnswerCtx ctx = { session, offer, i, rtc_sdp_media_get_mid (offer, i),
      subsequent_answer_setup (offer, i, bundle_mids, current_local,
          current_remote)
    };
    gboolean ok = FALSE;

    /* Rejected when the offer rejects it (port 0 without bundle-only),
     * when no media took it (a kind we do not know), when the media is
     * stopped (https://www.rfc-editor.org/rfc/rfc8829#section-5.3.1), or
     * when the section cannot work for a WebRTC endpoint. */
    if (!rtc_sdp_media_is_rejected (offer, i) && media != NULL
        && !media->stopped && ctx.mid != NULL && is_known_kind (offer, i)
        && media->kind == rtc_sdp_media_get_kind (offer, i)) {
      if (media->kind == RTC_MEDIA_KIND_APPLICATION) {
        ok = add_application_section (msg, &ctx, media);
      } else if (is_secure_rtp_proto (gst_sdp_media_get_proto (om))) {
        GError *err = NULL;

        ok = add_rtp_section (msg, &ctx, media, &err);
        if (err) {
          g_propagate_error (error, err);
          goto fail;
        }
      }
    }

    if (ok)
      g_hash_table_add (accepted, (gpointer) ctx.mid);
    else
      add_rejected_section (msg, offer, i);
  }

  /* https://www.rfc-editor.org/rfc/rfc8843#section-7.3: the answer's
   * group is the offered one without the sections we rejected, in the
   * offer's order; its first mid becomes the BUNDLE tag. */
  if (bundle_mids) {
    GString *group = g_string_new ("BUNDLE");
    gboolean any = FALSE;

    for (i = 0; bundle_mids[i]; i++) {
      if (g_hash_table_contains (accepted, bundle_mids[i])) {
        g_string_append_printf (group, " %s", bundle_mids[i]);
        any = TRUE;
      }
    }
    if (any) {
      GstSDPAttribute attr = { 0, };

      gst_sdp_attribute_set (&attr, "group", group->str);
      gst_sdp_message_insert_attribute (msg, 0, &attr);
    }
    g_string_free (group, TRUE);
  }

  g_strfreev (bundle_mids);
  g_hash_table_unref (accepted);
  return msg;

fail:
  g_strfreev (bundle_mids);
  g_hash_table_unref (accepted);
  gst_sdp_message_free (msg);
  return NULL;
}
