/* rtcpeer example: offer/answer between two rtcpeerbins in C.
 *
 * alice sends VP8 video to bob over ICE (loopback), DTLS and SRTP; bob
 * decodes it. The program signals between them with the same action
 * signals a webrtcbin application uses, and exits 0 once bob has decoded
 * 30 frames (1 after 20 s).
 *
 *   GST_PLUGIN_PATH=build/gst/rtcpeer ./build/examples/offer-answer
 *
 * Public domain: copy what you need.
 */

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

static GstElement *alice, *bob;
static GMainLoop *loop;
static gint frames;

/* Trickle ICE: each candidate goes straight to the other side. */
static void
on_ice_candidate (GstElement * pc, guint mline, gchar * candidate,
    GstElement * other)
{
  g_signal_emit_by_name (other, "add-ice-candidate", mline, candidate);
}

static void
on_answer_created (GstPromise * promise, gpointer user_data)
{
  GstWebRTCSessionDescription *answer = NULL;

  gst_structure_get (gst_promise_get_reply (promise), "answer",
      GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL);
  gst_promise_unref (promise);
  g_signal_emit_by_name (bob, "set-local-description", answer, NULL);
  g_signal_emit_by_name (alice, "set-remote-description", answer, NULL);
  gst_webrtc_session_description_free (answer);
}

static void
on_offer_created (GstPromise * promise, gpointer user_data)
{
  GstWebRTCSessionDescription *offer = NULL;
  const GstStructure *reply = gst_promise_get_reply (promise);

  if (!gst_structure_get (reply, "offer",
          GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL)) {
    GError *error = NULL;

    gst_structure_get (reply, "error", G_TYPE_ERROR, &error, NULL);
    g_printerr ("create-offer failed: %s\n", error ? error->message : "?");
    g_main_loop_quit (loop);
    gst_promise_unref (promise);
    return;
  }
  gst_promise_unref (promise);
  g_signal_emit_by_name (alice, "set-local-description", offer, NULL);
  /* Operations run in order, so bob can answer right after this. */
  g_signal_emit_by_name (bob, "set-remote-description", offer, NULL);
  g_signal_emit_by_name (bob, "create-answer", NULL,
      gst_promise_new_with_change_func (on_answer_created, NULL, NULL));
  gst_webrtc_session_description_free (offer);
}

static void
on_negotiation_needed (GstElement * pc, gpointer user_data)
{
  g_signal_emit_by_name (pc, "create-offer", NULL,
      gst_promise_new_with_change_func (on_offer_created, NULL, NULL));
}

static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  if (g_atomic_int_add (&frames, 1) + 1 == 30)
    g_main_loop_quit (loop);
  return GST_PAD_PROBE_OK;
}

/* bob's received track: depayload, decode, count. */
static void
on_pad_added (GstElement * pc, GstPad * pad, GstElement * pipeline)
{
  GstElement *dec;
  GstPad *sinkpad, *decoded;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  dec = gst_parse_bin_from_description ("rtpvp8depay ! vp8dec ! fakesink "
      "name=out", TRUE, NULL);
  gst_bin_add (GST_BIN (pipeline), dec);
  gst_element_sync_state_with_parent (dec);
  sinkpad = gst_element_get_static_pad (dec, "sink");
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  decoded = gst_element_get_static_pad (gst_bin_get_by_name (GST_BIN (dec),
          "out"), "sink");
  gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER, count_frame, NULL,
      NULL);
  gst_object_unref (decoded);
}

static gboolean
give_up (gpointer user_data)
{
  g_printerr ("timed out\n");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src;
  GError *error = NULL;

  gst_init (&argc, &argv);
  loop = g_main_loop_new (NULL, FALSE);
  pipeline = gst_parse_launch ("rtcpeerbin name=alice ice-addresses=127.0.0.1 "
      "rtcpeerbin name=bob ice-addresses=127.0.0.1", &error);
  if (!pipeline) {
    g_printerr ("%s (is GST_PLUGIN_PATH set?)\n", error->message);
    return 1;
  }
  alice = gst_bin_get_by_name (GST_BIN (pipeline), "alice");
  bob = gst_bin_get_by_name (GST_BIN (pipeline), "bob");

  src = gst_parse_bin_from_description ("videotestsrc is-live=true ! "
      "video/x-raw,width=320,height=240 ! vp8enc deadline=1 ! rtpvp8pay",
      TRUE, NULL);
  gst_bin_add (GST_BIN (pipeline), src);
  gst_element_link (src, alice);        /* requests alice's sink_0 */

  g_signal_connect (alice, "on-negotiation-needed",
      G_CALLBACK (on_negotiation_needed), NULL);
  g_signal_connect (alice, "on-ice-candidate", G_CALLBACK (on_ice_candidate),
      bob);
  g_signal_connect (bob, "on-ice-candidate", G_CALLBACK (on_ice_candidate),
      alice);
  g_signal_connect (bob, "pad-added", G_CALLBACK (on_pad_added), pipeline);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_timeout_add_seconds (20, give_up, NULL);
  g_main_loop_run (loop);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_print ("bob decoded %d frames\n", g_atomic_int_get (&frames));
  gst_object_unref (alice);
  gst_object_unref (bob);
  gst_object_unref (pipeline);
  g_main_loop_unref (loop);
  return g_atomic_int_get (&frames) >= 30 ? 0 : 1;
}
