/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Compatibility with webrtcbin through the GstWebRTC library: the same
 * code runs against the factory named by RTC_TEST_FACTORY ("webrtcbin" or
 * "rtcpeerbin"; meson runs it with both), using only what a webrtcbin
 * application uses: GST_IS_WEBRTC_* on the objects the element hands out,
 * gst_webrtc_data_channel_send_string_full () / send_data_full () /
 * close (), gst_webrtc_rtp_sender_set_priority (), the properties of the
 * GstWebRTC classes and the element's action signals. Where rtcpeerbin
 * deliberately differs (W3C behaviour webrtcbin does not have), the test
 * does not look: see tests/compat/README.md. */

#include <string.h>
#include "call-channel.h"

#define TIMEOUT 30
#define VP8_CAPS "application/x-rtp,media=video,encoding-name=VP8," \
  "payload=96,clock-rate=90000"

static const gchar *factory;

static GstElement *
new_element (void)
{
  GstElement *pc = gst_element_factory_make (factory, NULL);

  fail_unless (pc != NULL, "no %s", factory);
  return gst_object_ref_sink (pc);
}

/* The element's signals hand out the GstWebRTC types (or subtypes). */
static void
check_signal_type (GstElement * pc, const gchar * name, gboolean ret,
    guint param, GType want)
{
  GSignalQuery q;
  GType got;

  g_signal_query (g_signal_lookup (name, G_OBJECT_TYPE (pc)), &q);
  fail_unless (q.signal_id != 0, "%s has no %s", factory, name);
  got = ret ? q.return_type : q.param_types[param];
  fail_unless (g_type_is_a (got & ~G_SIGNAL_TYPE_STATIC_SCOPE, want),
      "%s::%s gives a %s, not a %s", factory, name, g_type_name (got),
      g_type_name (want));
}

GST_START_TEST (test_signal_types)
{
  GstElement *pc = new_element ();

  check_signal_type (pc, "add-transceiver", TRUE, 0,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER);
  check_signal_type (pc, "get-transceiver", TRUE, 0,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER);
  check_signal_type (pc, "on-new-transceiver", FALSE, 0,
      GST_TYPE_WEBRTC_RTP_TRANSCEIVER);
  check_signal_type (pc, "create-data-channel", TRUE, 0,
      GST_TYPE_WEBRTC_DATA_CHANNEL);
  check_signal_type (pc, "on-data-channel", FALSE, 0,
      GST_TYPE_WEBRTC_DATA_CHANNEL);
  check_signal_type (pc, "prepare-data-channel", FALSE, 0,
      GST_TYPE_WEBRTC_DATA_CHANNEL);
  gst_object_unref (pc);
}

GST_END_TEST;

/* The objects webrtcbin hands out as properties, with their types. */
GST_START_TEST (test_object_properties)
{
  GstElement *pc = new_element ();
  struct
  {
    const gchar *name;
    GType type;
  } props[] = {
    {"ice-agent", GST_TYPE_WEBRTC_ICE},
    {"sctp-transport", GST_TYPE_WEBRTC_SCTP_TRANSPORT},
    {"http-proxy", G_TYPE_STRING},
  };
  GstWebRTCSCTPTransport *sctp = NULL;
  gchar *proxy = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (props); i++) {
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (pc),
        props[i].name);

    fail_unless (pspec != NULL, "%s has no %s", factory, props[i].name);
    fail_unless (g_type_is_a (pspec->value_type, props[i].type),
        "%s: %s is a %s", factory, props[i].name,
        g_type_name (pspec->value_type));
  }
  /* no m=application yet: no SCTP transport */
  g_object_get (pc, "sctp-transport", &sctp, NULL);
  fail_unless (sctp == NULL, "%s has an SCTP transport before any", factory);
  g_object_set (pc, "http-proxy", "http://user:pw@127.0.0.1:3128", NULL);
  g_object_get (pc, "http-proxy", &proxy, NULL);
  fail_unless_equals_string (proxy, "http://user:pw@127.0.0.1:3128");
  g_free (proxy);
  gst_object_unref (pc);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  guint count, outside;
  gchar *first_outside;
} PortCheck;

typedef struct
{
  PortCheck *check;
  guint min, max;
} PortRange;

/* "candidate:<foundation> <component> <transport> <priority> <address>
 * <port> typ ..." */
static void
on_candidate_port (GstElement * pc, guint mline, const gchar * candidate,
    PortRange * r)
{
  gchar **f;
  guint port;

  if (!candidate || !*candidate)
    return;
  f = g_strsplit (candidate, " ", -1);
  fail_unless (g_strv_length (f) > 6, "candidate '%s'", candidate);
  /* webrtcbin adds TCP candidates (port 9 for active ones): the range is
   * for UDP */
  if (g_ascii_strcasecmp (f[2], "udp") != 0) {
    g_strfreev (f);
    return;
  }
  port = (guint) g_ascii_strtoull (f[5], NULL, 10);
  g_mutex_lock (&r->check->lock);
  r->check->count++;
  if (port < r->min || port > r->max || strcmp (f[4], "127.0.0.1") != 0) {
    r->check->outside++;
    if (!r->check->first_outside)
      r->check->first_outside = g_strdup (candidate);
  }
  g_mutex_unlock (&r->check->lock);
  g_strfreev (f);
}

/* The webrtcbin idiom: restrict addresses and ports on the ice-agent, not
 * on the element; the candidates must follow. */
GST_START_TEST (test_ice_agent)
{
  Call *call = call_new (factory, factory, FALSE);
  PortCheck check = { 0, };
  PortRange range[2];
  guint i, min, max;
  gboolean ok;

  g_mutex_init (&check.lock);
  for (i = 0; i < 2; i++) {
    GstWebRTCICE *ice = NULL;

    g_object_get (call->peer[i].pc, "ice-agent", &ice, NULL);
    fail_unless (GST_IS_WEBRTC_ICE (ice), "%s: ice-agent", factory);
    range[i].check = &check;
    range[i].min = 41000 + 200 * i;
    range[i].max = range[i].min + 100;
    g_object_set (ice, "max-rtp-port", range[i].max, "min-rtp-port",
        range[i].min, NULL);
    g_object_get (ice, "min-rtp-port", &min, "max-rtp-port", &max, NULL);
    fail_unless_equals_int (min, range[i].min);
    fail_unless_equals_int (max, range[i].max);
    ok = FALSE;
    g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
    fail_unless (ok, "%s: add-local-ip-address", factory);
    g_signal_connect (call->peer[i].pc, "on-ice-candidate",
        G_CALLBACK (on_candidate_port), &range[i]);
    gst_object_unref (ice);
  }
  call->send_video = FALSE;
  call_start (call);
  fail_unless (call_wait_media (call, 0, 10, TIMEOUT), "no audio");
  g_mutex_lock (&check.lock);
  fail_unless (check.count > 0, "no candidates");
  fail_unless (check.outside == 0, "%s: %u of %u candidates outside "
      "127.0.0.1 and the ports asked for, e.g. '%s'", factory, check.outside,
      check.count, check.first_outside);
  g_mutex_unlock (&check.lock);
  for (i = 0; i < 2; i++)
    g_signal_handlers_disconnect_by_data (call->peer[i].pc, &range[i]);
  call_free (call);
  g_free (check.first_outside);
  g_mutex_clear (&check.lock);
}

GST_END_TEST;

GST_START_TEST (test_transceiver)
{
  GstElement *pc = new_element ();
  GstCaps *caps = gst_caps_from_string (VP8_CAPS), *prefs = NULL;
  GstWebRTCRTPTransceiver *trans = NULL, *again = NULL;
  GstWebRTCRTPSender *sender = NULL;
  GstWebRTCRTPReceiver *receiver = NULL;
  GstWebRTCRTPTransceiverDirection dir;
  GstWebRTCKind kind;
  GArray *all = NULL;
  guint mline;
  gchar *mid = NULL;

  gst_element_set_state (pc, GST_STATE_READY);
  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, caps, &trans);
  fail_unless (GST_IS_WEBRTC_RTP_TRANSCEIVER (trans));

  g_object_get (trans, "sender", &sender, "receiver", &receiver, "direction",
      &dir, "kind", &kind, "mlineindex", &mline, "mid", &mid,
      "codec-preferences", &prefs, NULL);
  fail_unless (GST_IS_WEBRTC_RTP_SENDER (sender));
  fail_unless (GST_IS_WEBRTC_RTP_RECEIVER (receiver));
  fail_unless (GST_OBJECT_PARENT (sender) == GST_OBJECT (trans));
  fail_unless (GST_OBJECT_PARENT (receiver) == GST_OBJECT (trans));
  fail_unless_equals_int (dir, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY);
  fail_unless_equals_int (kind, GST_WEBRTC_KIND_VIDEO);
  /* not negotiated yet */
  fail_unless_equals_int (mline, G_MAXUINT);
  fail_unless (mid == NULL);
  fail_unless (prefs && gst_caps_is_equal (prefs, caps));

  /* The library's own function takes the sender (criticals are fatal
   * here). Reading "priority" back is not done: 1.22's getter stores the
   * enum with g_value_set_uint (), a critical with either factory. */
  gst_webrtc_rtp_sender_set_priority (sender, GST_WEBRTC_PRIORITY_TYPE_HIGH);

  g_object_set (trans, "direction",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, NULL);
  g_object_get (trans, "direction", &dir, NULL);
  fail_unless_equals_int (dir, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);

  g_signal_emit_by_name (pc, "get-transceiver", 0, &again);
  fail_unless (again == trans);
  g_signal_emit_by_name (pc, "get-transceivers", &all);
  fail_unless_equals_int (all->len, 1);
  fail_unless (g_array_index (all, GstWebRTCRTPTransceiver *, 0) == trans);

  g_array_unref (all);
  gst_object_unref (again);
  gst_object_unref (sender);
  gst_object_unref (receiver);
  gst_caps_unref (prefs);
  gst_caps_unref (caps);
  gst_object_unref (trans);
  gst_element_set_state (pc, GST_STATE_NULL);
  gst_object_unref (pc);
}

GST_END_TEST;

GST_START_TEST (test_channel_properties)
{
  GstElement *pc = new_element ();
  GstWebRTCDataChannel *ch = NULL;
  GstStructure *opts = gst_structure_new ("options", "ordered",
      G_TYPE_BOOLEAN, FALSE, "max-retransmits", G_TYPE_INT, 3, "protocol",
      G_TYPE_STRING, "chat", NULL);
  gboolean ordered, negotiated;
  gint retransmits, lifetime, id;
  gchar *label, *protocol;

  gst_element_set_state (pc, GST_STATE_READY);
  g_signal_emit_by_name (pc, "create-data-channel", "props", opts, &ch);
  fail_unless (GST_IS_WEBRTC_DATA_CHANNEL (ch));
  g_object_get (ch, "label", &label, "ordered", &ordered, "max-retransmits",
      &retransmits, "max-packet-lifetime", &lifetime, "protocol", &protocol,
      "negotiated", &negotiated, "id", &id, NULL);
  fail_unless_equals_string (label, "props");
  fail_unless (!ordered);
  fail_unless_equals_int (retransmits, 3);
  fail_unless_equals_int (lifetime, -1);
  fail_unless_equals_string (protocol, "chat");
  fail_unless (!negotiated);
  /* no DTLS role yet, so no stream id */
  fail_unless_equals_int (id, -1);

  g_free (label);
  g_free (protocol);
  g_object_unref (ch);
  gst_structure_free (opts);
  gst_element_set_state (pc, GST_STATE_NULL);
  gst_object_unref (pc);
}

GST_END_TEST;

/* What one end of the open channel received. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gchar *string;
  GBytes *data;
  gboolean closed;
} Inbox;

static void
on_string (GstWebRTCDataChannel * ch, const gchar * str, Inbox * in)
{
  g_mutex_lock (&in->lock);
  g_free (in->string);
  in->string = g_strdup (str);
  g_cond_broadcast (&in->cond);
  g_mutex_unlock (&in->lock);
}

static void
on_data (GstWebRTCDataChannel * ch, GBytes * data, Inbox * in)
{
  g_mutex_lock (&in->lock);
  g_clear_pointer (&in->data, g_bytes_unref);
  in->data = data ? g_bytes_ref (data) : NULL;
  g_cond_broadcast (&in->cond);
  g_mutex_unlock (&in->lock);
}

static void
on_close (GstWebRTCDataChannel * ch, Inbox * in)
{
  g_mutex_lock (&in->lock);
  in->closed = TRUE;
  g_cond_broadcast (&in->cond);
  g_mutex_unlock (&in->lock);
}

static gboolean
inbox_has (Inbox * in, const gchar * string, GBytes * data, gboolean closed)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&in->lock);
  while (ok && !((!string || !g_strcmp0 (in->string, string)) &&
          (!data || (in->data && g_bytes_equal (in->data, data))) &&
          (!closed || in->closed)))
    ok = g_cond_wait_until (&in->cond, &in->lock, deadline);
  g_mutex_unlock (&in->lock);
  return ok;
}

GST_START_TEST (test_channel_library_calls)
{
  Call *call = call_new (factory, factory, FALSE);
  CallChannel *cc;
  GstWebRTCDataChannel *ch[2];
  Inbox in[2];
  GError *error = NULL;
  GBytes *bytes;
  GstWebRTCDataChannelState state;
  gint id[2];
  guint i;

  call->send_video = call->send_audio = FALSE;
  cc = call_channel_new (call);
  call_start (call);
  fail_unless (call_channel_wait_open (cc, TIMEOUT), "channel did not open");

  for (i = 0; i < 2; i++) {
    ch[i] = (GstWebRTCDataChannel *) call_channel_get (cc, i);
    fail_unless (GST_IS_WEBRTC_DATA_CHANNEL (ch[i]));
    memset (&in[i], 0, sizeof (Inbox));
    g_mutex_init (&in[i].lock);
    g_cond_init (&in[i].cond);
    g_signal_connect (ch[i], "on-message-string", G_CALLBACK (on_string),
        &in[i]);
    g_signal_connect (ch[i], "on-message-data", G_CALLBACK (on_data), &in[i]);
    g_signal_connect (ch[i], "on-close", G_CALLBACK (on_close), &in[i]);
    g_object_get (ch[i], "id", &id[i], "ready-state", &state, NULL);
    fail_unless_equals_int (state, GST_WEBRTC_DATA_CHANNEL_STATE_OPEN);
  }
  fail_unless (id[0] >= 0 && id[0] == id[1], "ids %d and %d", id[0], id[1]);

  /* RTCSctpTransport once the association is up */
  for (i = 0; i < 2; i++) {
    GstWebRTCSCTPTransport *sctp = NULL;
    GstWebRTCSCTPTransportState sstate = GST_WEBRTC_SCTP_TRANSPORT_STATE_NEW;
    guint64 max_message = 0;

    g_object_get (call->peer[i].pc, "sctp-transport", &sctp, NULL);
    fail_unless (GST_IS_WEBRTC_SCTP_TRANSPORT (sctp), "%s: sctp-transport",
        factory);
    g_object_get (sctp, "state", &sstate, "max-message-size", &max_message,
        NULL);
    fail_unless_equals_int (sstate, GST_WEBRTC_SCTP_TRANSPORT_STATE_CONNECTED);
    fail_unless (max_message >= 65536, "max-message-size %" G_GUINT64_FORMAT,
        max_message);
    gst_object_unref (sctp);
  }

  /* the 1.22 functions, each way */
  fail_unless (gst_webrtc_data_channel_send_string_full (ch[0], "ping",
          &error), "%s", error ? error->message : "");
  fail_unless (inbox_has (&in[1], "ping", NULL, FALSE));
  bytes = g_bytes_new_static ("\0\1\2\3", 4);
  fail_unless (gst_webrtc_data_channel_send_data_full (ch[1], bytes, &error),
      "%s", error ? error->message : "");
  fail_unless (inbox_has (&in[0], NULL, bytes, FALSE));
  g_bytes_unref (bytes);
  /* the action signal the parent class installs */
  g_signal_emit_by_name (ch[1], "send-string", "by signal");
  fail_unless (inbox_has (&in[0], "by signal", NULL, FALSE));

  /* closing one end closes both */
  gst_webrtc_data_channel_close (ch[0]);
  for (i = 0; i < 2; i++) {
    fail_unless (inbox_has (&in[i], NULL, NULL, TRUE), "end %u not closed",
        i);
    g_object_get (ch[i], "ready-state", &state, NULL);
    fail_unless_equals_int (state, GST_WEBRTC_DATA_CHANNEL_STATE_CLOSED);
  }

  for (i = 0; i < 2; i++) {
    g_signal_handlers_disconnect_by_data (ch[i], &in[i]);
    g_object_unref (ch[i]);
    g_free (in[i].string);
    g_clear_pointer (&in[i].data, g_bytes_unref);
    g_mutex_clear (&in[i].lock);
    g_cond_clear (&in[i].cond);
  }
  call_channel_free (cc);
  call_free (call);
}

GST_END_TEST;

/* RFC 8832 section 6: the opener may send as soon as its OPEN is sent, so
 * from within the peer's on-data-channel (before the ACK can be back). */
typedef struct
{
  GstWebRTCDataChannel *local;
  Inbox in;
  gboolean sent;
  gchar *error;
} Early;

static void
on_early_channel (GstElement * pc, GstWebRTCDataChannel * channel, Early * e)
{
  GError *error = NULL;
  gboolean sent;

  g_signal_connect (channel, "on-message-string", G_CALLBACK (on_string),
      &e->in);
  sent = gst_webrtc_data_channel_send_string_full (e->local, "early", &error);
  g_mutex_lock (&e->in.lock);
  e->sent = sent;
  e->error = error ? g_strdup (error->message) : NULL;
  g_mutex_unlock (&e->in.lock);
  g_clear_error (&error);
}

GST_START_TEST (test_send_from_on_data_channel)
{
  Call *call = call_new (factory, factory, FALSE);
  Early e = { 0, };
  guint i;

  call->send_video = call->send_audio = FALSE;
  g_mutex_init (&e.in.lock);
  g_cond_init (&e.in.cond);
  for (i = 0; i < 2; i++)
    gst_element_set_state (call->peer[i].pc, GST_STATE_READY);
  g_signal_emit_by_name (call->peer[0].pc, "create-data-channel", "early",
      NULL, &e.local);
  fail_unless (e.local != NULL);
  g_signal_connect (call->peer[1].pc, "on-data-channel",
      G_CALLBACK (on_early_channel), &e);
  call_start (call);
  fail_unless (inbox_has (&e.in, "early", NULL, FALSE),
      "nothing arrived (sent %d: %s)", e.sent, GST_STR_NULL (e.error));
  fail_unless (e.sent);

  g_signal_handlers_disconnect_by_data (call->peer[1].pc, &e);
  call_free (call);
  g_object_unref (e.local);
  g_free (e.in.string);
  g_free (e.error);
  g_mutex_clear (&e.in.lock);
  g_cond_clear (&e.in.cond);
}

GST_END_TEST;

/* Closed channels are released: once both ends closed and the test
 * dropped its references, both objects are finalized (the element keeps
 * none), so opening and closing channels does not grow the element. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GstWebRTCDataChannel *remote; /* the last announced, a reference */
  gint closed;                  /* on-close seen */
  gint finalized;               /* channel objects gone */
} Churn;

static void
churn_on_close (GstWebRTCDataChannel * channel, Churn * c)
{
  g_mutex_lock (&c->lock);
  c->closed++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

static void
churn_on_channel (GstElement * pc, GstWebRTCDataChannel * channel, Churn * c)
{
  g_signal_connect (channel, "on-close", G_CALLBACK (churn_on_close), c);
  g_mutex_lock (&c->lock);
  g_clear_object (&c->remote);
  c->remote = g_object_ref (channel);
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

static void
churn_finalized (gpointer data, GObject * where_the_object_was)
{
  Churn *c = data;

  g_mutex_lock (&c->lock);
  c->finalized++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

/* Waits until *counter reaches @n (c->lock held). */
static gboolean
churn_wait (Churn * c, gint * counter, gint n)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  while (ok && *counter < n)
    ok = g_cond_wait_until (&c->cond, &c->lock, deadline);
  return ok;
}

static GstWebRTCDataChannel *
churn_take_remote (Churn * c)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_SECOND;
  GstWebRTCDataChannel *remote;

  g_mutex_lock (&c->lock);
  while (!c->remote && g_cond_wait_until (&c->cond, &c->lock, deadline));
  remote = c->remote;
  c->remote = NULL;
  g_mutex_unlock (&c->lock);
  return remote;
}

#define CHURN_CYCLES 3

GST_START_TEST (test_closed_channels_released)
{
  Call *call = call_new (factory, factory, FALSE);
  GstWebRTCDataChannel *first = NULL, *local = NULL, *remote;
  Churn c = { 0, };
  GError *error = NULL;
  gboolean ok;
  guint i;

  call->send_video = call->send_audio = FALSE;
  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);
  for (i = 0; i < 2; i++)
    gst_element_set_state (call->peer[i].pc, GST_STATE_READY);
  g_signal_connect (call->peer[1].pc, "on-data-channel",
      G_CALLBACK (churn_on_channel), &c);
  /* the first one gives the offer its m=application and stays */
  g_signal_emit_by_name (call->peer[0].pc, "create-data-channel", "first",
      NULL, &first);
  call_start (call);
  remote = churn_take_remote (&c);
  fail_unless (remote != NULL, "no on-data-channel");
  g_signal_handlers_disconnect_by_data (remote, &c);
  g_object_unref (remote);

  for (i = 0; i < CHURN_CYCLES; i++) {
    gchar *label = g_strdup_printf ("churn-%u", i);

    g_signal_emit_by_name (call->peer[0].pc, "create-data-channel", label,
        NULL, &local);
    g_free (label);
    g_signal_connect (local, "on-close", G_CALLBACK (churn_on_close), &c);
    remote = churn_take_remote (&c);
    fail_unless (remote != NULL, "cycle %u: no on-data-channel", i);
    /* open at both ends: a message goes through */
    fail_unless (gst_webrtc_data_channel_send_string_full (local, "x",
            &error), "%s", error ? error->message : "");
    g_object_weak_ref (G_OBJECT (local), churn_finalized, &c);
    g_object_weak_ref (G_OBJECT (remote), churn_finalized, &c);

    gst_webrtc_data_channel_close (local);
    g_mutex_lock (&c.lock);
    ok = churn_wait (&c, &c.closed, 2 * (i + 1));
    g_mutex_unlock (&c.lock);
    fail_unless (ok, "cycle %u: on-close not at both ends", i);

    g_object_unref (local);
    g_object_unref (remote);
    g_mutex_lock (&c.lock);
    ok = churn_wait (&c, &c.finalized, 2 * (i + 1));
    g_mutex_unlock (&c.lock);
    fail_unless (ok, "cycle %u: %d of %u closed channels released", i,
        c.finalized, 2 * (i + 1));
  }

  g_signal_handlers_disconnect_by_data (call->peer[1].pc, &c);
  call_free (call);
  g_object_unref (first);
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);
}

GST_END_TEST;

/* on-negotiation-needed waits for READY: a transceiver added in NULL is
 * announced once the element is READY, not before. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gint count;
  GstState state;               /* the element's state at the emission */
} Needed;

static void
on_needed (GstElement * pc, Needed * n)
{
  /* During NULL -> READY (webrtcbin emits from within that change) the
   * current state still reads NULL: count the state being entered. */
  GstState state = MAX (GST_STATE (pc), GST_STATE_NEXT (pc));

  g_mutex_lock (&n->lock);
  n->count++;
  n->state = state;
  g_cond_broadcast (&n->cond);
  g_mutex_unlock (&n->lock);
}

GST_START_TEST (test_negotiation_needed_waits_for_ready)
{
  GstElement *pc = new_element ();
  GstCaps *caps = gst_caps_from_string (VP8_CAPS);
  GstWebRTCRTPTransceiver *trans = NULL;
  GstPromise *promise;
  Needed n = { 0, };
  gint64 deadline;
  gboolean ok = TRUE;

  g_mutex_init (&n.lock);
  g_cond_init (&n.cond);
  g_signal_connect (pc, "on-negotiation-needed", G_CALLBACK (on_needed), &n);
  g_signal_emit_by_name (pc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, caps, &trans);
  fail_unless (trans != NULL);
  /* An operation queued after the transceiver: once it answered, the
   * element is done with the transceiver's own (none in NULL). */
  promise = gst_promise_new ();
  g_signal_emit_by_name (pc, "create-offer", NULL, promise);
  fail_unless (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED);
  gst_promise_unref (promise);
  g_mutex_lock (&n.lock);
  fail_unless_equals_int (n.count, 0);
  g_mutex_unlock (&n.lock);

  gst_element_set_state (pc, GST_STATE_READY);
  deadline = g_get_monotonic_time () + TIMEOUT * G_TIME_SPAN_SECOND;
  g_mutex_lock (&n.lock);
  while (ok && n.count == 0)
    ok = g_cond_wait_until (&n.cond, &n.lock, deadline);
  g_mutex_unlock (&n.lock);
  fail_unless (ok, "no on-negotiation-needed in READY");
  fail_unless (n.state >= GST_STATE_READY, "emitted in %s",
      gst_element_state_get_name (n.state));

  g_signal_handlers_disconnect_by_data (pc, &n);
  gst_element_set_state (pc, GST_STATE_NULL);
  gst_object_unref (trans);
  gst_caps_unref (caps);
  gst_object_unref (pc);
  g_mutex_clear (&n.lock);
  g_cond_clear (&n.cond);
}

GST_END_TEST;

static Suite *
compat_suite (void)
{
  Suite *s = suite_create ("compat");
  TCase *tc = tcase_create ("general");

  factory = g_getenv ("RTC_TEST_FACTORY");
  if (!factory)
    factory = "rtcpeerbin";
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_signal_types);
  tcase_add_test (tc, test_object_properties);
  tcase_add_test (tc, test_ice_agent);
  tcase_add_test (tc, test_transceiver);
  tcase_add_test (tc, test_channel_properties);
  tcase_add_test (tc, test_channel_library_calls);
  tcase_add_test (tc, test_send_from_on_data_channel);
  tcase_add_test (tc, test_closed_channels_released);
  tcase_add_test (tc, test_negotiation_needed_waits_for_ready);
  return s;
}

GST_CHECK_MAIN (compat);
