/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The "peer" property: two rtcpeerbins of one pipeline that negotiate with
 * each other, so a gst-launch-1.0 line needs no signalling code:
 *
 *   gst-launch-1.0 -e videotestsrc num-buffers=300 ! vp8enc !
 *       rtcpeerbin name=a  rtcpeerbin peer=a ! decodebin ! fakesink
 *
 * This is an application of the element's public signals and nothing
 * more, as a program would write it: when the bin whose "peer" names the
 * other goes from NULL to READY, it finds that bin in its pipeline and
 * connects to both bins' on-negotiation-needed and on-ice-candidate.
 *
 * The rule for who offers: the bin whose on-negotiation-needed fires
 * (usually the one whose sink pads got caps first) creates the offer and
 * the other answers. One exchange runs at a time: a bin that wants a
 * negotiation while one is in flight offers as soon as it has completed.
 * When both bins name each other, the one whose name sorts first makes
 * the link, so there is only ever one. Candidates go to the other bin as
 * they come (add-ice-candidate; a bin keeps those that arrive before the
 * description they belong to). The link goes when the bin returns to
 * NULL. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcpeerbin.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rtc_peer_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_peer_bin_debug

#define PROP_PEER 0x7e00

typedef struct
{
  GMutex lock;
  GWeakRef bins[2];             /* [0] the bin named by "peer", [1] ours */
  gulong handlers[2][2];        /* per bin: negotiation-needed, candidate */
  gboolean busy;                /* an exchange is in flight */
  gboolean again[2];            /* a bin asked during it */
} RtcPeerLink;

/* What rtcpeerbin keeps for the property (object data: it goes with the
 * bin). */
typedef struct
{
  GMutex lock;
  gchar *peer;
  RtcPeerLink *link;            /* a ref */
} RtcPeerLinkSlot;

static GObjectSetPropertyFunc parent_set_property;
static GObjectGetPropertyFunc parent_get_property;
static GstStateChangeReturn (*parent_change_state) (GstElement *,
    GstStateChange);

static RtcPeerLinkSlot *
get_slot (GstRtcPeerBin * self)
{
  return g_object_get_data (G_OBJECT (self), "rtc-peer-link");
}

static void
link_free (RtcPeerLink * link)
{
  g_weak_ref_clear (&link->bins[0]);
  g_weak_ref_clear (&link->bins[1]);
  g_mutex_clear (&link->lock);
}

static RtcPeerLink *
link_ref (RtcPeerLink * link)
{
  return g_atomic_rc_box_acquire (link);
}

static void
link_unref (gpointer link)
{
  g_atomic_rc_box_release_full (link, (GDestroyNotify) link_free);
}

static void
slot_free (gpointer data)
{
  RtcPeerLinkSlot *slot = data;

  g_clear_pointer (&slot->link, link_unref);
  g_free (slot->peer);
  g_mutex_clear (&slot->lock);
  g_free (slot);
}

/* Which end @pc is, -1 for neither. */
static gint
side_of (RtcPeerLink * link, gpointer pc)
{
  gint i;

  for (i = 0; i < 2; i++) {
    GObject *o = g_weak_ref_get (&link->bins[i]);

    if (o)
      g_object_unref (o);
    if (o == pc)
      return i;
  }
  return -1;
}

typedef struct
{
  RtcPeerLink *link;
  GstElement *offerer;
  GstElement *answerer;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  link_unref (ex->link);
  gst_object_unref (ex->offerer);
  gst_object_unref (ex->answerer);
  g_free (ex);
}

static Exchange *
exchange_copy (const Exchange * ex)
{
  Exchange *copy = g_new0 (Exchange, 1);

  copy->link = link_ref (ex->link);
  copy->offerer = gst_object_ref (ex->offerer);
  copy->answerer = gst_object_ref (ex->answerer);
  return copy;
}

static void start_offer (RtcPeerLink * link, gint side);

/* The exchange is over (done or failed): the next one may start. */
static void
exchange_done (RtcPeerLink * link)
{
  gint next = -1, i;

  g_mutex_lock (&link->lock);
  link->busy = FALSE;
  for (i = 0; i < 2 && next < 0; i++) {
    if (link->again[i]) {
      link->again[i] = FALSE;
      next = i;
    }
  }
  if (next >= 0)
    link->busy = TRUE;
  g_mutex_unlock (&link->lock);
  if (next >= 0)
    start_offer (link, next);
}

/* Whether @promise was answered without an error; posts the error on
 * @pc otherwise. With @field, *@desc gets the reply's description. */
static gboolean
check_reply (GstPromise * promise, GstElement * pc, const gchar * what,
    const gchar * field, GstWebRTCSessionDescription ** desc)
{
  const GstStructure *reply = NULL;
  GError *error = NULL;

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply (promise);
  if (reply && gst_structure_has_field (reply, "error"))
    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
  else if (field && (!reply || !gst_structure_get (reply, field,
              GST_TYPE_WEBRTC_SESSION_DESCRIPTION, desc, NULL)))
    error = g_error_new (GST_WEBRTC_ERROR, GST_WEBRTC_ERROR_INTERNAL_FAILURE,
        "no %s in the reply", field);
  if (!error)
    return TRUE;
  GST_ELEMENT_ERROR (pc, LIBRARY, FAILED, ("Negotiation with the peer "
          "failed: %s: %s", what, error->message), (NULL));
  g_error_free (error);
  return FALSE;
}

static void
on_answer_set (GstPromise * promise, gpointer data)
{
  Exchange *ex = data;

  if (check_reply (promise, ex->offerer, "set-remote-description", NULL,
          NULL))
    GST_DEBUG_OBJECT (ex->offerer, "negotiated with %s",
        GST_OBJECT_NAME (ex->answerer));
  exchange_done (ex->link);
}

static void
on_answer (GstPromise * promise, gpointer data)
{
  Exchange *ex = data;
  GstWebRTCSessionDescription *answer = NULL;
  GstPromise *next;

  if (!check_reply (promise, ex->answerer, "create-answer", "answer",
          &answer)) {
    exchange_done (ex->link);
    return;
  }
  g_signal_emit_by_name (ex->answerer, "set-local-description", answer, NULL);
  next = gst_promise_new_with_change_func (on_answer_set, exchange_copy (ex),
      exchange_free);
  g_signal_emit_by_name (ex->offerer, "set-remote-description", answer, next);
  gst_promise_unref (next);
  gst_webrtc_session_description_free (answer);
}

static void
on_offer_set (GstPromise * promise, gpointer data)
{
  Exchange *ex = data;
  GstPromise *next;

  if (!check_reply (promise, ex->answerer, "set-remote-description", NULL,
          NULL)) {
    exchange_done (ex->link);
    return;
  }
  next = gst_promise_new_with_change_func (on_answer, exchange_copy (ex),
      exchange_free);
  g_signal_emit_by_name (ex->answerer, "create-answer", NULL, next);
  gst_promise_unref (next);
}

static void
on_offer (GstPromise * promise, gpointer data)
{
  Exchange *ex = data;
  GstWebRTCSessionDescription *offer = NULL;
  GstPromise *next;

  if (!check_reply (promise, ex->offerer, "create-offer", "offer", &offer)) {
    exchange_done (ex->link);
    return;
  }
  g_signal_emit_by_name (ex->offerer, "set-local-description", offer, NULL);
  next = gst_promise_new_with_change_func (on_offer_set, exchange_copy (ex),
      exchange_free);
  g_signal_emit_by_name (ex->answerer, "set-remote-description", offer, next);
  gst_promise_unref (next);
  gst_webrtc_session_description_free (offer);
}

static void
start_offer (RtcPeerLink * link, gint side)
{
  Exchange ex = { link, NULL, NULL };
  GstPromise *promise;

  ex.offerer = g_weak_ref_get (&link->bins[side]);
  ex.answerer = g_weak_ref_get (&link->bins[!side]);
  if (ex.offerer && ex.answerer) {
    GST_INFO_OBJECT (ex.offerer, "offering to %s",
        GST_OBJECT_NAME (ex.answerer));
    promise = gst_promise_new_with_change_func (on_offer, exchange_copy (&ex),
        exchange_free);
    g_signal_emit_by_name (ex.offerer, "create-offer", NULL, promise);
    gst_promise_unref (promise);
  } else {
    g_mutex_lock (&link->lock);
    link->busy = FALSE;
    g_mutex_unlock (&link->lock);
  }
  gst_clear_object (&ex.offerer);
  gst_clear_object (&ex.answerer);
}

static void
on_negotiation_needed (GstElement * pc, RtcPeerLink * link)
{
  gint side = side_of (link, pc);
  gboolean start = FALSE;

  if (side < 0)
    return;
  g_mutex_lock (&link->lock);
  if (link->busy) {
    link->again[side] = TRUE;
  } else {
    link->busy = start = TRUE;
  }
  g_mutex_unlock (&link->lock);
  if (start)
    start_offer (link, side);
}

static void
on_ice_candidate (GstElement * pc, guint mline, const gchar * candidate,
    RtcPeerLink * link)
{
  gint side = side_of (link, pc);
  GstElement *other;

  if (side < 0 || !(other = g_weak_ref_get (&link->bins[!side])))
    return;
  g_signal_emit_by_name (other, "add-ice-candidate", mline, candidate);
  gst_object_unref (other);
}

/* The rtcpeerbin called @name in @self's pipeline, or NULL. */
static GstElement *
find_peer (GstRtcPeerBin * self, const gchar * name)
{
  GstObject *top = gst_object_ref (GST_OBJECT (self)), *parent;
  GstElement *peer = NULL;

  while ((parent = gst_object_get_parent (top))) {
    gst_object_unref (top);
    top = parent;
  }
  if (GST_IS_BIN (top))
    peer = gst_bin_get_by_name (GST_BIN (top), name);
  gst_object_unref (top);
  if (peer && (!GST_IS_RTC_PEER_BIN (peer) || peer == GST_ELEMENT (self)))
    gst_clear_object (&peer);
  return peer;
}

static gboolean
link_up (GstRtcPeerBin * self)
{
  RtcPeerLinkSlot *slot = get_slot (self), *other_slot;
  GstElement *peer, *bins[2];
  RtcPeerLink *link;
  gchar *name, *other_peer = NULL;
  gint i;

  g_mutex_lock (&slot->lock);
  name = g_strdup (slot->peer);
  g_mutex_unlock (&slot->lock);
  if (!name)
    return TRUE;
  peer = find_peer (self, name);
  if (!peer) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND, ("peer: there is no other "
            "rtcpeerbin named '%s' in the pipeline", name), (NULL));
    g_free (name);
    return FALSE;
  }
  g_free (name);
  other_slot = get_slot (GST_RTC_PEER_BIN (peer));
  g_mutex_lock (&other_slot->lock);
  other_peer = g_strdup (other_slot->peer);
  g_mutex_unlock (&other_slot->lock);
  /* Both name each other: the one whose name sorts first links. */
  if (g_strcmp0 (other_peer, GST_OBJECT_NAME (self)) == 0
      && g_strcmp0 (GST_OBJECT_NAME (peer), GST_OBJECT_NAME (self)) < 0) {
    g_free (other_peer);
    gst_object_unref (peer);
    return TRUE;
  }
  g_free (other_peer);

  link = g_atomic_rc_box_new0 (RtcPeerLink);
  g_mutex_init (&link->lock);
  bins[0] = peer;
  bins[1] = GST_ELEMENT (self);
  for (i = 0; i < 2; i++) {
    g_weak_ref_init (&link->bins[i], bins[i]);
    link->handlers[i][0] = g_signal_connect_data (bins[i],
        "on-negotiation-needed", G_CALLBACK (on_negotiation_needed),
        link_ref (link), (GClosureNotify) link_unref, 0);
    link->handlers[i][1] = g_signal_connect_data (bins[i], "on-ice-candidate",
        G_CALLBACK (on_ice_candidate), link_ref (link),
        (GClosureNotify) link_unref, 0);
  }
  GST_INFO_OBJECT (self, "linked to %s", GST_OBJECT_NAME (peer));
  gst_object_unref (peer);
  g_mutex_lock (&slot->lock);
  g_clear_pointer (&slot->link, link_unref);
  slot->link = link;
  g_mutex_unlock (&slot->lock);
  return TRUE;
}

static void
link_down (GstRtcPeerBin * self)
{
  RtcPeerLinkSlot *slot = get_slot (self);
  RtcPeerLink *link;
  gint i;

  g_mutex_lock (&slot->lock);
  link = g_steal_pointer (&slot->link);
  g_mutex_unlock (&slot->lock);
  if (!link)
    return;
  for (i = 0; i < 2; i++) {
    GObject *bin = g_weak_ref_get (&link->bins[i]);

    if (bin) {
      g_signal_handler_disconnect (bin, link->handlers[i][0]);
      g_signal_handler_disconnect (bin, link->handlers[i][1]);
      g_object_unref (bin);
    }
  }
  link_unref (link);
}

static GstStateChangeReturn
change_state (GstElement * element, GstStateChange transition)
{
  GstRtcPeerBin *self = GST_RTC_PEER_BIN (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !link_up (self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    rtc_peer_eos_reset (self);
  ret = parent_change_state (element, transition);
  /* A live source: remote media flows in PLAYING only (rtpbin's
   * jitterbuffers hold it in PAUSED), so nothing downstream can preroll
   * before. webrtcbin answers the same. */
  if (ret == GST_STATE_CHANGE_SUCCESS
      && (transition == GST_STATE_CHANGE_READY_TO_PAUSED
          || transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED))
    ret = GST_STATE_CHANGE_NO_PREROLL;
  if (transition == GST_STATE_CHANGE_READY_TO_NULL
      || (transition == GST_STATE_CHANGE_NULL_TO_READY
          && ret == GST_STATE_CHANGE_FAILURE))
    link_down (self);
  return ret;
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  RtcPeerLinkSlot *slot;

  if (prop_id != PROP_PEER) {
    parent_set_property (object, prop_id, value, pspec);
    return;
  }
  slot = get_slot (GST_RTC_PEER_BIN (object));
  g_mutex_lock (&slot->lock);
  g_free (slot->peer);
  slot->peer = g_value_dup_string (value);
  g_mutex_unlock (&slot->lock);
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  RtcPeerLinkSlot *slot;

  if (prop_id != PROP_PEER) {
    parent_get_property (object, prop_id, value, pspec);
    return;
  }
  slot = get_slot (GST_RTC_PEER_BIN (object));
  g_mutex_lock (&slot->lock);
  g_value_set_string (value, slot->peer);
  g_mutex_unlock (&slot->lock);
}

void
rtc_peer_link_class_init (GstRtcPeerBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  parent_set_property = gobject_class->set_property;
  parent_get_property = gobject_class->get_property;
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  parent_change_state = element_class->change_state;
  element_class->change_state = change_state;

  /**
   * GstRtcPeerBin:peer:
   *
   * The name of another rtcpeerbin in the same pipeline to negotiate
   * with, with no application code: the bin whose on-negotiation-needed
   * fires offers, the other answers, and ICE candidates go both ways.
   * Looked up when the bin goes from NULL to READY.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PEER,
      g_param_spec_string ("peer", "Peer",
          "Name of another rtcpeerbin in this pipeline to negotiate with "
          "(offer, answer and candidates, no application code)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
}

void
rtc_peer_link_init (GstRtcPeerBin * self)
{
  RtcPeerLinkSlot *slot = g_new0 (RtcPeerLinkSlot, 1);

  g_mutex_init (&slot->lock);
  g_object_set_data_full (G_OBJECT (self), "rtc-peer-link", slot, slot_free);
}
