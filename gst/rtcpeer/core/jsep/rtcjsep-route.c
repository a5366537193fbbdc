/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* https://www.rfc-editor.org/rfc/rfc8843#section-9.2: associating RTP
 * packets with m-lines on a BUNDLE transport. The peer's description says
 * which SSRCs it sends on which m-line (a=ssrc), which id its MID header
 * extension has, and which payload types each m-line receives. Browsers
 * name no SSRC for tracks a renegotiation adds, so the MID extension is
 * the usual way; the payload type is the last resort, and only when it
 * names one m-line (browsers reuse payload types across a group). */

#include "rtcjsep-route.h"
#include "rtcsdputil.h"

struct _RtcJsepRoutes
{
  GHashTable *pt_caps;          /* pt -> GstCaps */
  GHashTable *pt_mline;         /* pt -> mline + 1, the first m-line */
  GHashTable *pt_shared;        /* pts more than one m-line receives */
  GHashTable *ssrc_mline;       /* signalled ssrc -> mline + 1 */
  GHashTable *mid_mline;        /* mid -> mline + 1 */
  GHashTable *signalled;        /* m-lines whose remote names an SSRC */
  GArray *mlines;
  guint mid_ext_id;
};

#define ENC(m) GINT_TO_POINTER ((m) + 1)
#define DEC(p) (GPOINTER_TO_INT (p) - 1)

static gboolean
on_transport (const GstSDPMessage * sdp, guint mline, const gchar * tag)
{
  gchar *t = rtc_sdp_transport_tag (sdp, mline);
  gboolean ours = g_strcmp0 (t, tag) == 0;

  g_free (t);
  return ours;
}

static void
add_mline (RtcJsepRoutes * r, guint mline)
{
  guint i;

  for (i = 0; i < r->mlines->len; i++)
    if (g_array_index (r->mlines, guint, i) == mline)
      return;
  g_array_append_val (r->mlines, mline);
}

static gint
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

RtcJsepRoutes *
rtc_jsep_routes_build (const GstSDPMessage * local,
    const GstSDPMessage * remote, const gchar * tag,
    const gboolean * has_transceiver, guint n_mlines)
{
  RtcJsepRoutes *r = g_new0 (RtcJsepRoutes, 1);
  guint n_local = local ? gst_sdp_message_medias_len (local) : 0;
  guint n_remote = remote ? gst_sdp_message_medias_len (remote) : 0;
  guint i, k;

  r->pt_caps = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) gst_caps_unref);
  r->pt_mline = g_hash_table_new (NULL, NULL);
  r->pt_shared = g_hash_table_new (NULL, NULL);
  r->ssrc_mline = g_hash_table_new (NULL, NULL);
  r->mid_mline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  r->signalled = g_hash_table_new (NULL, NULL);
  r->mlines = g_array_new (FALSE, FALSE, sizeof (guint));

  for (i = 0; i < n_remote; i++) {
    GArray *codecs;
    RtcMediaKind kind;
    const gchar *mid;
    guint32 ssrc = 0;
    guint ext;

    if (rtc_sdp_media_is_rejected (remote, i))
      continue;
    if (i < n_local) {
      if (rtc_sdp_media_is_rejected (local, i)
          || !on_transport (local, i, tag))
        continue;
    } else if (!on_transport (remote, i, tag)) {
      continue;
    }
    kind = rtc_sdp_media_get_kind (remote, i);
    if (kind == RTC_MEDIA_KIND_APPLICATION || i >= n_mlines
        || !has_transceiver[i])
      continue;
    add_mline (r, i);
    mid = rtc_sdp_media_get_mid (remote, i);
    if (mid)
      g_hash_table_replace (r->mid_mline, g_strdup (mid), ENC (i));
    /* Offer and answer use the same id (RFC 8285 section 6). */
    ext = rtc_sdp_media_get_extmap_id (remote, i, RTC_EXTMAP_MID);
    if (ext && !r->mid_ext_id)
      r->mid_ext_id = ext;
    codecs = rtc_codec_array_new ();
    rtc_sdp_media_get_codecs (remote, i, codecs, NULL);
    for (k = 0; k < codecs->len; k++) {
      RtcCodec *c = &g_array_index (codecs, RtcCodec, k);
      gpointer pt = GUINT_TO_POINTER (c->pt);

      if (!g_hash_table_contains (r->pt_mline, pt)) {
        GstCaps *caps = rtc_codec_to_caps (c, kind);

        /* A codec GstSDP cannot express as caps: rtpbin gets none and
         * its packets are dropped. */
        if (!caps)
          continue;
        g_hash_table_insert (r->pt_caps, pt, caps);
        g_hash_table_insert (r->pt_mline, pt, ENC (i));
      } else if (DEC (g_hash_table_lookup (r->pt_mline, pt)) != (gint) i) {
        g_hash_table_add (r->pt_shared, pt);
      }
    }
    g_array_unref (codecs);
    rtc_sdp_media_get_ssrcs (remote, i, &ssrc, NULL, NULL, NULL);
    if (ssrc) {
      g_hash_table_insert (r->ssrc_mline, GUINT_TO_POINTER (ssrc), ENC (i));
      g_hash_table_add (r->signalled, GUINT_TO_POINTER (i));
    }
  }
  for (i = n_remote; i < n_local; i++) {
    const gchar *mid = rtc_sdp_media_get_mid (local, i);

    if (mid && !rtc_sdp_media_is_rejected (local, i)
        && on_transport (local, i, tag) && i < n_mlines && has_transceiver[i]
        && rtc_sdp_media_get_kind (local, i) != RTC_MEDIA_KIND_APPLICATION) {
      g_hash_table_replace (r->mid_mline, g_strdup (mid), ENC (i));
      add_mline (r, i);
    }
  }
  g_array_sort (r->mlines, compare_uint);
  return r;
}

void
rtc_jsep_routes_free (RtcJsepRoutes * r)
{
  if (!r)
    return;
  g_hash_table_unref (r->pt_caps);
  g_hash_table_unref (r->pt_mline);
  g_hash_table_unref (r->pt_shared);
  g_hash_table_unref (r->ssrc_mline);
  g_hash_table_unref (r->mid_mline);
  g_hash_table_unref (r->signalled);
  g_array_unref (r->mlines);
  g_free (r);
}

GstCaps *
rtc_jsep_routes_get_caps (const RtcJsepRoutes * r, guint pt)
{
  return g_hash_table_lookup (r->pt_caps, GUINT_TO_POINTER (pt));
}

guint
rtc_jsep_routes_get_mid_ext_id (const RtcJsepRoutes * r)
{
  return r->mid_ext_id;
}

const GArray *
rtc_jsep_routes_get_mlines (const RtcJsepRoutes * r)
{
  return r->mlines;
}

gint
rtc_jsep_route_ssrc (const RtcJsepRoutes * r, GHashTable * learned,
    guint32 ssrc)
{
  gpointer key = GUINT_TO_POINTER (ssrc), v;
  const gchar *mid;

  if (g_hash_table_lookup_extended (r->ssrc_mline, key, NULL, &v))
    return DEC (v);
  /* SSRCs learned from the MID extension stay with their mid: senders
   * stop writing it once our receiver reports show they were heard. */
  if (learned && (mid = g_hash_table_lookup (learned, key))
      && g_hash_table_lookup_extended (r->mid_mline, mid, NULL, &v))
    return DEC (v);
  return -1;
}

/* The m-line a payload type alone names: one m-line receives it and that
 * m-line's remote names no SSRC (its SSRCs are known, others are not its). */
static gint
route_pt (const RtcJsepRoutes * r, guint pt, gboolean need_unsignalled)
{
  gpointer key = GUINT_TO_POINTER (pt), v;
  gint mline;

  if (g_hash_table_contains (r->pt_shared, key)
      || !g_hash_table_lookup_extended (r->pt_mline, key, NULL, &v))
    return -1;
  mline = DEC (v);
  if (need_unsignalled && g_hash_table_contains (r->signalled,
          GINT_TO_POINTER (mline)))
    return -1;
  return mline;
}

RtcRouteKind
rtc_jsep_route_packet (const RtcJsepRoutes * r, GHashTable * learned,
    guint32 ssrc, guint pt, const gchar * mid, gint * mline)
{
  gpointer v;
  gint m;

  if (!g_hash_table_contains (r->pt_caps, GUINT_TO_POINTER (pt)))
    return RTC_ROUTE_DROP;
  if ((m = rtc_jsep_route_ssrc (r, learned, ssrc)) >= 0) {
    *mline = m;
    return RTC_ROUTE_SSRC;
  }
  if (mid) {
    /* A packet that names its mid is not guessed from its payload type:
     * an unknown mid is a section we do not have (yet). */
    if (!g_hash_table_lookup_extended (r->mid_mline, mid, NULL, &v))
      return RTC_ROUTE_DROP;
    *mline = DEC (v);
    return RTC_ROUTE_MID;
  }
  if ((m = route_pt (r, pt, TRUE)) >= 0) {
    *mline = m;
    return RTC_ROUTE_PT;
  }
  return RTC_ROUTE_DROP;
}

gint
rtc_jsep_route_stream (const RtcJsepRoutes * r, GHashTable * learned,
    guint32 ssrc, guint pt)
{
  gint m = rtc_jsep_route_ssrc (r, learned, ssrc);

  return m >= 0 ? m : route_pt (r, pt, FALSE);
}

const gchar *
rtc_route_kind_to_string (RtcRouteKind kind)
{
  switch (kind) {
    case RTC_ROUTE_DROP:
      return "drop";
    case RTC_ROUTE_SSRC:
      return "ssrc";
    case RTC_ROUTE_MID:
      return "mid";
    case RTC_ROUTE_PT:
      return "pt";
  }
  return "unknown";
}
