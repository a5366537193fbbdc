/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Helpers shared by the element tests: make a peer of the factory under
 * test, run an operation and wait for its promise. */

#include "peer-util.h"


GstElement *
new_peer (void)
{
  GstElement *pc = gst_element_factory_make (factory, NULL);

  fail_unless (pc != NULL, "no element '%s'", factory);
  /* webrtcbin refuses operations below READY. */
  fail_unless (gst_element_set_state (pc, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  return pc;
}

void
free_peer (GstElement * pc)
{
  gst_element_set_state (pc, GST_STATE_NULL);
  gst_object_unref (pc);
}

/* Waits for the promise (gst-check's CK_DEFAULT_TIMEOUT bounds it) and
 * returns a copy of the reply, or NULL for an empty reply. */
GstStructure *
await (GstPromise * promise)
{
  const GstStructure *reply;
  GstStructure *copy;

  fail_unless_equals_int (gst_promise_wait (promise), GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  copy = reply ? gst_structure_copy (reply) : NULL;
  gst_promise_unref (promise);
  return copy;
}

GError *
reply_error (const GstStructure * s)
{
  GError *error = NULL;

  if (s && gst_structure_has_field (s, "error"))
    gst_structure_get (s, "error", G_TYPE_ERROR, &error, NULL);
  return error;
}

GstWebRTCSessionDescription *
create (GstElement * pc, const gchar * what)
{
  GstStructure *reply;
  GstWebRTCSessionDescription *desc = NULL;
  GError *error;

  GstPromise *p = gst_promise_new ();

  g_signal_emit_by_name (pc, what, NULL, p);
  reply = await (p);
  fail_unless (reply != NULL, "%s: empty reply", what);
  error = reply_error (reply);
  fail_unless (error == NULL, "%s failed: %s", what, error->message);
  fail_unless (gst_structure_get (reply, what[7] == 'o' ? "offer" : "answer",
          GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL),
      "reply of %s has no %s field", what, what[7] == 'o' ? "offer" :
      "answer");
  gst_structure_free (reply);
  return desc;
}

GError *
set_description (GstElement * pc, const gchar * which,
    GstWebRTCSessionDescription * desc)
{
  GstPromise *p = gst_promise_new ();
  GstStructure *reply;
  GError *error;

  g_signal_emit_by_name (pc, which, desc, p);
  reply = await (p);
  error = reply_error (reply);
  if (reply)
    gst_structure_free (reply);
  return error;
}

GstWebRTCSignalingState
signaling_state (GstElement * pc)
{
  GstWebRTCSignalingState state;

  g_object_get (pc, "signaling-state", &state, NULL);
  return state;
}

