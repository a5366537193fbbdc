/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Data channels over SCTP/DTLS between two peers in one process, each of
 * either factory: messages of every size and kind arrive complete and in
 * order, both sides open channels, negotiated channels, closing. */

#include <string.h>
#include "call-fixture.h"

#define TIMEOUT 60

/* One end of a channel as the test sees it. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GObject *channel;
  gboolean open, closed;
  GPtrArray *messages;          /* GBytes; strings get a leading 's' byte */
  gint errors;
  gint low_events;
} End;

static End *
end_new (void)
{
  End *e = g_new0 (End, 1);

  g_mutex_init (&e->lock);
  g_cond_init (&e->cond);
  e->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  return e;
}

static void
end_free (End * e)
{
  /* The bin may finish disposing on another thread after call_free ()
   * returned, closing this channel: nothing may reach a freed End. */
  if (e->channel)
    g_signal_handlers_disconnect_by_data (e->channel, e);
  g_clear_object (&e->channel);
  g_ptr_array_unref (e->messages);
  g_mutex_clear (&e->lock);
  g_cond_clear (&e->cond);
  g_free (e);
}

static void
on_open (GObject * ch, End * e)
{
  g_mutex_lock (&e->lock);
  e->open = TRUE;
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

static void
on_close (GObject * ch, End * e)
{
  g_mutex_lock (&e->lock);
  e->closed = TRUE;
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

static void
on_error (GObject * ch, GError * error, End * e)
{
  g_mutex_lock (&e->lock);
  e->errors++;
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

static void
on_string (GObject * ch, const gchar * str, End * e)
{
  gsize len = str ? strlen (str) : 0;
  /* NUL-terminated beyond the message, for the readers that parse it */
  guint8 *buf = g_malloc (len + 2);

  buf[0] = 's';
  if (len)
    memcpy (buf + 1, str, len);
  buf[len + 1] = '\0';
  g_mutex_lock (&e->lock);
  g_ptr_array_add (e->messages, g_bytes_new_take (buf, len + 1));
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

static void
on_data (GObject * ch, GBytes * data, End * e)
{
  gsize len = 0;
  const guint8 *d = data ? g_bytes_get_data (data, &len) : NULL;
  guint8 *buf = g_malloc (len + 1);

  buf[0] = 'b';
  if (len)
    memcpy (buf + 1, d, len);
  g_mutex_lock (&e->lock);
  g_ptr_array_add (e->messages, g_bytes_new_take (buf, len + 1));
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

static void
on_low (GObject * ch, End * e)
{
  g_mutex_lock (&e->lock);
  e->low_events++;
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

/* Only the signals: what happens from now on. The channel is published
 * (has_channel) once they are connected, so a test that waits for it and
 * then sends cannot beat the handlers. */
static void
end_connect (End * e, GObject * channel)
{
  g_signal_connect (channel, "on-open", G_CALLBACK (on_open), e);
  g_signal_connect (channel, "on-close", G_CALLBACK (on_close), e);
  g_signal_connect (channel, "on-error", G_CALLBACK (on_error), e);
  g_signal_connect (channel, "on-message-string", G_CALLBACK (on_string), e);
  g_signal_connect (channel, "on-message-data", G_CALLBACK (on_data), e);
  g_signal_connect (channel, "on-buffered-amount-low", G_CALLBACK (on_low), e);
  g_mutex_lock (&e->lock);
  e->channel = g_object_ref (channel);
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
}

static void
end_attach (End * e, GObject * channel)
{
  GstWebRTCDataChannelState state;

  end_connect (e, channel);
  /* A remote channel may be open before the handler is connected. */
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    on_open (channel, e);
}

/* Waits until @cond_fn holds for @e, bounded. */
static gboolean
end_wait (End * e, gboolean (*cond_fn) (End *, gpointer), gpointer data,
    guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gboolean ok;

  g_mutex_lock (&e->lock);
  while (!(ok = cond_fn (e, data)))
    if (!g_cond_wait_until (&e->cond, &e->lock, deadline)) {
      ok = cond_fn (e, data);
      break;
    }
  g_mutex_unlock (&e->lock);
  return ok;
}

static gboolean
is_open (End * e, gpointer data)
{
  return e->open;
}

static gboolean
has_messages (End * e, gpointer data)
{
  return e->messages->len >= GPOINTER_TO_UINT (data);
}

static gboolean
is_closed (End * e, gpointer data)
{
  return e->closed;
}

static gboolean
has_channel (End * e, gpointer data)
{
  return e->channel != NULL;
}

/* Remote channels land here, one End per label. */
typedef struct
{
  GMutex lock;
  GHashTable *ends;             /* label -> End (borrowed) */
} Remote;

static void
on_data_channel (GstElement * pc, GObject * channel, Remote * r)
{
  gchar *label = NULL;
  End *e;

  g_object_get (channel, "label", &label, NULL);
  g_mutex_lock (&r->lock);
  e = g_hash_table_lookup (r->ends, label);
  g_mutex_unlock (&r->lock);
  if (e)
    end_attach (e, channel);
  g_free (label);
}

static GObject *
create_channel (GstElement * pc, const gchar * label, GstStructure * opts)
{
  GObject *ch = NULL;

  g_signal_emit_by_name (pc, "create-data-channel", label, opts, &ch);
  if (opts)
    gst_structure_free (opts);
  fail_unless (ch != NULL, "create-data-channel '%s' failed", label);
  return ch;
}

/* Message i of the mixed run: its kind and size follow a fixed pattern
 * that includes empty messages and the largest allowed ones. */
static const gsize sizes[] = { 0, 1, 2, 17, 100, 1000, 1200, 4096, 16384,
  65535, 65536, 100000, 262144
};

/* webrtcbin 1.22 cannot send an empty message: it hands usrsctp a
 * zero-length buffer, which fails and stops its sctpenc for good. Messages
 * from webrtcbin are therefore at least one byte; rtcpeerbin sends and
 * receives empty ones (RFC 8831 section 6.6). */
static gboolean no_empty_from[2];
static guint current_sender;

static gsize
message_size (guint i, gsize max)
{
  gsize s = sizes[i % G_N_ELEMENTS (sizes)];

  if (s == 0 && no_empty_from[current_sender])
    s = 1;

  /* The big ones only now and then, so the run stays quick. */
  if (s > 20000 && (i / G_N_ELEMENTS (sizes)) % 8 != 0)
    s = 20000 + i;
  return MIN (s, max);
}

static GBytes *
message_bytes (guint i, gsize max, gboolean * is_string)
{
  gsize len = message_size (i, max), k;
  guint8 *buf = g_malloc (len + 1);

  *is_string = i % 2 == 0;
  /* Printable for strings (no NUL), every byte value for binary. */
  for (k = 0; k < len; k++)
    buf[k] = *is_string ? 'a' + (k * 7 + i) % 26 : (guint8) (k * 31 + i);
  buf[len] = 0;
  return g_bytes_new_take (buf, len);
}

/* Through the API that says whether the channel took the message, so a
 * refused send shows up where it happened, not as a missing message. */
static void
send_message (GObject * ch, GBytes * msg, gboolean is_string)
{
  GstWebRTCDataChannel *dc = GST_WEBRTC_DATA_CHANNEL (ch);
  GError *error = NULL;
  gboolean ok;

  if (is_string)
    ok = gst_webrtc_data_channel_send_string_full (dc,
        g_bytes_get_data (msg, NULL), &error);
  else
    ok = gst_webrtc_data_channel_send_data_full (dc, msg, &error);
  fail_unless (ok, "send of %" G_GSIZE_FORMAT " bytes refused: %s",
      g_bytes_get_size (msg), error ? error->message : "no error");
}

/* webrtcbin 1.22 hands an empty string (PPID 56) to on-message-data. */
static gboolean empty_kind_lost[2];

static void
check_messages (End * e, guint n, gsize max)
{
  guint i;

  for (i = 0; i < n; i++) {
    gboolean is_string;
    GBytes *want = message_bytes (i, max, &is_string);
    GBytes *got = g_ptr_array_index (e->messages, i);
    gsize glen, wlen;
    const guint8 *g = g_bytes_get_data (got, &glen);
    const guint8 *w = g_bytes_get_data (want, &wlen);

    if (!(wlen == 0 && empty_kind_lost[current_sender]))
      fail_unless_equals_int (g[0], is_string ? 's' : 'b');
    fail_unless (glen - 1 == wlen, "message %u: %" G_GSIZE_FORMAT " bytes, "
        "expected %" G_GSIZE_FORMAT, i, glen - 1, wlen);
    fail_unless (wlen == 0 || memcmp (g + 1, w, wlen) == 0,
        "message %u differs", i);
    g_bytes_unref (want);
  }
}

static Call *
data_call_new (const gchar * f0, const gchar * f1)
{
  Call *call = call_new (f0, f1, FALSE);

  call->send_video = call->send_audio = FALSE;
  return call;
}

/* get-stats: the "sctp-path-mtu" of the transport that carries the data
 * channels, 0 if none says. */
static gint
sctp_path_mtu (GstElement * pc)
{
  GstPromise *promise = gst_promise_new ();
  const GstStructure *reply;
  gint mtu = 0;
  guint i;

  g_signal_emit_by_name (pc, "get-stats", NULL, promise);
  fail_unless (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED);
  reply = gst_promise_get_reply (promise);
  for (i = 0; i < (guint) gst_structure_n_fields (reply); i++) {
    const GValue *v = gst_structure_get_value (reply,
        gst_structure_nth_field_name (reply, i));
    guint m;

    if (G_VALUE_HOLDS (v, GST_TYPE_STRUCTURE) &&
        gst_structure_get_uint (gst_value_get_structure (v), "sctp-path-mtu",
            &m))
      mtu = m;
  }
  gst_promise_unref (promise);
  return mtu;
}

static void
run_messages (const gchar * f0, const gchar * f1, guint n)
{
  Call *call = data_call_new (f0, f1);
  Remote remote[2];
  End *local[2], *far[2];
  guint i, p;
  gsize limit[2];

  /* What each side may send: the receiver's a=max-message-size, 256 KiB
   * for rtcpeerbin; webrtcbin 1.22 announces none (64 KiB) and does not
   * send more than that either. */
  limit[0] = limit[1] = (!strcmp (f0, "webrtcbin") || !strcmp (f1,
          "webrtcbin")) ? 65536 : 262144;
  no_empty_from[0] = !strcmp (f0, "webrtcbin");
  no_empty_from[1] = !strcmp (f1, "webrtcbin");
  empty_kind_lost[0] = !strcmp (f1, "webrtcbin");
  empty_kind_lost[1] = !strcmp (f0, "webrtcbin");
  for (p = 0; p < 2; p++) {
    g_mutex_init (&remote[p].lock);
    remote[p].ends = g_hash_table_new (g_str_hash, g_str_equal);
    local[p] = end_new ();
    far[p] = end_new ();
  }
  /* Each side opens one channel; the other side sees it arrive. */
  g_hash_table_insert (remote[1].ends, (gpointer) "from0", far[0]);
  g_hash_table_insert (remote[0].ends, (gpointer) "from1", far[1]);
  for (p = 0; p < 2; p++)
    g_signal_connect (call->peer[p].pc, "on-data-channel",
        G_CALLBACK (on_data_channel), &remote[p]);
  for (p = 0; p < 2; p++) {
    /* webrtcbin wants READY before creating channels. */
    gst_element_set_state (call->peer[p].pc, GST_STATE_READY);
  }
  end_attach (local[0], create_channel (call->peer[0].pc, "from0", NULL));
  g_object_unref (local[0]->channel);
  call_start (call);
  fail_unless (end_wait (local[0], is_open, NULL, TIMEOUT),
      "%s: the channel never opened (%s)", f0, call->error);
  /* The answerer opens its channel once the association is up. */
  end_attach (local[1], create_channel (call->peer[1].pc, "from1", NULL));
  g_object_unref (local[1]->channel);
  fail_unless (end_wait (local[1], is_open, NULL, TIMEOUT));
  fail_unless (end_wait (far[0], has_channel, NULL, TIMEOUT),
      "%s never saw on-data-channel", f1);
  fail_unless (end_wait (far[1], has_channel, NULL, TIMEOUT),
      "%s never saw on-data-channel", f0);
  fail_unless (end_wait (far[0], is_open, NULL, TIMEOUT));

  for (i = 0; i < n; i++) {
    for (p = 0; p < 2; p++) {
      gboolean is_string;
      GBytes *msg;

      current_sender = p;
      msg = message_bytes (i, limit[p], &is_string);

      send_message (local[p]->channel, msg, is_string);
      g_bytes_unref (msg);
    }
  }
  for (p = 0; p < 2; p++) {
    fail_unless (end_wait (far[p], has_messages, GUINT_TO_POINTER (n),
            TIMEOUT), "%s -> %s: %u of %u messages arrived (receiving end "
        "%s, %u errors at the sender)", call->peer[p].factory,
        call->peer[1 - p].factory, far[p]->messages->len, n,
        far[p]->open ? "open" : "not open", local[p]->errors);
    current_sender = p;
    check_messages (far[p], n, limit[p]);
    fail_unless_equals_int (local[p]->errors, 0);
  }

  /* Path MTU discovery on loopback: to the largest DTLS record towards a
   * peer that announced it takes one (another rtcpeerbin), to the
   * Ethernet plateau towards any other. */
  for (p = 0; p < 2; p++) {
    if (!g_str_equal (call->peer[p].factory, "rtcpeerbin"))
      continue;
    fail_unless_equals_int (sctp_path_mtu (call->peer[p].pc),
        g_str_equal (call->peer[1 - p].factory, "rtcpeerbin") ? 16384 : 1384);
  }

  for (p = 0; p < 2; p++)
    g_signal_handlers_disconnect_by_data (call->peer[p].pc, &remote[p]);
  call_free (call);
  for (p = 0; p < 2; p++) {
    end_free (local[p]);
    end_free (far[p]);
    g_hash_table_unref (remote[p].ends);
    g_mutex_clear (&remote[p].lock);
  }
}

GST_START_TEST (test_messages_rtcpeerbin)
{
  run_messages ("rtcpeerbin", "rtcpeerbin", 1000);
}

GST_END_TEST;

GST_START_TEST (test_messages_rtcpeerbin_webrtcbin)
{
  run_messages ("rtcpeerbin", "webrtcbin", 1000);
}

GST_END_TEST;

GST_START_TEST (test_messages_webrtcbin_rtcpeerbin)
{
  run_messages ("webrtcbin", "rtcpeerbin", 1000);
}

GST_END_TEST;

/* ---- a data-only call and channels on it ---- */

typedef struct
{
  Call *call;
  Remote remote[2];
  GPtrArray *ends;              /* End, freed with the call */
} DcCall;

static End *
dc_end (DcCall * dc)
{
  End *e = end_new ();

  g_ptr_array_add (dc->ends, e);
  return e;
}

/* Opens channel @label from peer 0 and returns both ends, open. */
static void
dc_open (DcCall * dc, const gchar * label, GstStructure * opts, End ** local,
    End ** far)
{
  *local = dc_end (dc);
  *far = dc_end (dc);
  g_mutex_lock (&dc->remote[1].lock);
  g_hash_table_insert (dc->remote[1].ends, g_strdup (label), *far);
  g_mutex_unlock (&dc->remote[1].lock);
  end_attach (*local, create_channel (dc->call->peer[0].pc, label, opts));
  g_object_unref ((*local)->channel);
}

static void
dc_wait_open (End * a, End * b)
{
  fail_unless (end_wait (a, is_open, NULL, TIMEOUT), "channel not open");
  fail_unless (end_wait (b, has_channel, NULL, TIMEOUT), "no on-data-channel");
  fail_unless (end_wait (b, is_open, NULL, TIMEOUT), "remote end not open");
}

static DcCall *
dc_call_start (const gchar * f0, const gchar * f1, gboolean relay,
    End ** local, End ** far)
{
  DcCall *dc = g_new0 (DcCall, 1);
  guint p;

  dc->call = call_new (f0, f1, relay);
  dc->call->send_video = dc->call->send_audio = FALSE;
  dc->ends = g_ptr_array_new_with_free_func ((GDestroyNotify) end_free);
  for (p = 0; p < 2; p++) {
    g_mutex_init (&dc->remote[p].lock);
    dc->remote[p].ends = g_hash_table_new_full (g_str_hash, g_str_equal,
        g_free, NULL);
    g_signal_connect (dc->call->peer[p].pc, "on-data-channel",
        G_CALLBACK (on_data_channel), &dc->remote[p]);
    gst_element_set_state (dc->call->peer[p].pc, GST_STATE_READY);
  }
  /* A first channel before the offer gives it its m=application. */
  dc_open (dc, "setup", NULL, local, far);
  call_start (dc->call);
  dc_wait_open (*local, *far);
  return dc;
}

static void
dc_call_free (DcCall * dc)
{
  guint p;

  for (p = 0; p < 2; p++)
    g_signal_handlers_disconnect_by_data (dc->call->peer[p].pc,
        &dc->remote[p]);
  call_free (dc->call);
  g_ptr_array_unref (dc->ends);
  for (p = 0; p < 2; p++) {
    g_hash_table_unref (dc->remote[p].ends);
    g_mutex_clear (&dc->remote[p].lock);
  }
  g_free (dc);
}

static void
send_numbered (End * e, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    gchar *s = g_strdup_printf ("%06u", i);

    g_signal_emit_by_name (e->channel, "send-string", s);
    g_free (s);
  }
}

/* The numbers of the strings an End received, in arrival order. */
static GArray *
received_numbers (End * e)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i;

  g_mutex_lock (&e->lock);
  for (i = 0; i < e->messages->len; i++) {
    gsize len;
    const gchar *m = g_bytes_get_data (g_ptr_array_index (e->messages, i),
        &len);
    guint v = (guint) g_ascii_strtoull (m + 1, NULL, 10);

    fail_unless (len == 7 && m[0] == 's', "message %u mangled", i);
    g_array_append_val (a, v);
  }
  g_mutex_unlock (&e->lock);
  return a;
}

GST_START_TEST (test_unordered_and_partial)
{
  End *setup0, *setup1, *ua, *ub, *pa, *pb, *ra, *rb;
  DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", TRUE, &setup0,
      &setup1);
  GArray *got;
  guint i, n = 400;
  gboolean *seen;

  dc_open (dc, "unordered", gst_structure_new ("o", "ordered",
          G_TYPE_BOOLEAN, FALSE, NULL), &ua, &ub);
  dc_open (dc, "partial", gst_structure_new ("o", "max-retransmits",
          G_TYPE_INT, 0, NULL), &pa, &pb);
  dc_open (dc, "reliable", NULL, &ra, &rb);
  dc_wait_open (ua, ub);
  dc_wait_open (pa, pb);
  dc_wait_open (ra, rb);
  {
    gboolean ordered = TRUE;
    gint rexmit = -1;

    g_object_get (ub->channel, "ordered", &ordered, NULL);
    g_object_get (pb->channel, "max-retransmits", &rexmit, NULL);
    fail_unless (!ordered, "the remote end of an unordered channel is ordered");
    fail_unless_equals_int (rexmit, 0);
  }

  /* Lossless: unordered delivers every message exactly once. */
  send_numbered (ua, n);
  fail_unless (end_wait (ub, has_messages, GUINT_TO_POINTER (n), TIMEOUT));
  got = received_numbers (ub);
  seen = g_new0 (gboolean, n);
  for (i = 0; i < got->len; i++) {
    guint v = g_array_index (got, guint, i);

    fail_unless (v < n && !seen[v], "message %u twice or unknown", v);
    seen[v] = TRUE;
  }
  g_free (seen);
  g_array_unref (got);

  /* With 10% loss: the reliable channel still delivers all, in order; the
   * channel without retransmissions loses some and keeps the order of the
   * rest. */
  call_relay_set_loss (dc->call, 10);
  send_numbered (pa, n);
  send_numbered (ra, n);
  fail_unless (end_wait (rb, has_messages, GUINT_TO_POINTER (n), TIMEOUT),
      "the reliable channel lost messages: %u of %u", rb->messages->len, n);
  got = received_numbers (rb);
  for (i = 0; i < n; i++)
    fail_unless_equals_int (g_array_index (got, guint, i), i);
  g_array_unref (got);
  got = received_numbers (pb);
  fail_unless (got->len < n, "max-retransmits 0 under loss delivered all %u",
      n);
  fail_unless (got->len > 0);
  for (i = 1; i < got->len; i++)
    fail_unless (g_array_index (got, guint, i) > g_array_index (got, guint,
            i - 1), "ordered partial channel out of order");
  g_array_unref (got);
  call_relay_set_loss (dc->call, 0);
  dc_call_free (dc);
}

GST_END_TEST;

GST_START_TEST (test_negotiated_channel)
{
  End *s0, *s1, *a, *b;
  DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", FALSE, &s0, &s1);
  gint id = -1;

  /* Both sides create it with the same id; no DCEP, no on-data-channel. */
  a = dc_end (dc);
  b = dc_end (dc);
  end_attach (a, create_channel (dc->call->peer[0].pc, "fixed",
          gst_structure_new ("o", "negotiated", G_TYPE_BOOLEAN, TRUE, "id",
              G_TYPE_INT, 42, NULL)));
  g_object_unref (a->channel);
  end_attach (b, create_channel (dc->call->peer[1].pc, "fixed",
          gst_structure_new ("o", "negotiated", G_TYPE_BOOLEAN, TRUE, "id",
              G_TYPE_INT, 42, NULL)));
  g_object_unref (b->channel);
  fail_unless (end_wait (a, is_open, NULL, TIMEOUT));
  fail_unless (end_wait (b, is_open, NULL, TIMEOUT));
  g_object_get (a->channel, "id", &id, NULL);
  fail_unless_equals_int (id, 42);
  send_numbered (a, 10);
  send_numbered (b, 10);
  fail_unless (end_wait (b, has_messages, GUINT_TO_POINTER (10), TIMEOUT));
  fail_unless (end_wait (a, has_messages, GUINT_TO_POINTER (10), TIMEOUT));
  dc_call_free (dc);
}

GST_END_TEST;

/* What prepare-data-channel showed one bin. */
typedef struct
{
  GMutex lock;
  gint local, remote;           /* emissions, by is_local */
  gboolean in_create;           /* create-data-channel is running */
  gboolean local_in_create;     /* the local one came from within it */
  gboolean prepared_first;      /* on-data-channel came after prepare */
  End *far;                     /* connected to remote channels in prepare */
} Prep;

static void
on_prepare (GstElement * pc, GObject * channel, gboolean is_local, Prep * p)
{
  g_mutex_lock (&p->lock);
  if (is_local) {
    p->local++;
    p->local_in_create = p->in_create;
  } else {
    p->remote++;
  }
  g_mutex_unlock (&p->lock);
  if (!is_local && p->far)
    end_connect (p->far, channel);
}

static void
on_prepared_data_channel (GstElement * pc, GObject * channel, Prep * p)
{
  g_mutex_lock (&p->lock);
  p->prepared_first = p->remote == 1;
  g_mutex_unlock (&p->lock);
}

/* webrtcbin 1.22's prepare-data-channel: handlers connected there, before
 * on-data-channel, see the channel open and its first messages. */
GST_START_TEST (test_prepare_data_channel)
{
  End *s0, *s1, *a;
  DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", FALSE, &s0, &s1);
  Prep p[2];
  guint i;

  memset (p, 0, sizeof (p));
  p[1].far = dc_end (dc);
  for (i = 0; i < 2; i++) {
    g_mutex_init (&p[i].lock);
    g_signal_connect (dc->call->peer[i].pc, "prepare-data-channel",
        G_CALLBACK (on_prepare), &p[i]);
    g_signal_connect (dc->call->peer[i].pc, "on-data-channel",
        G_CALLBACK (on_prepared_data_channel), &p[i]);
  }
  a = dc_end (dc);
  p[0].in_create = TRUE;
  end_attach (a, create_channel (dc->call->peer[0].pc, "prepared", NULL));
  p[0].in_create = FALSE;
  g_object_unref (a->channel);
  fail_unless_equals_int (p[0].local, 1);
  fail_unless (p[0].local_in_create, "prepare-data-channel must come from "
      "within create-data-channel");
  fail_unless (end_wait (a, is_open, NULL, TIMEOUT));
  send_numbered (a, 5);
  /* the far end saw on-open through the handler connected in prepare */
  fail_unless (end_wait (p[1].far, is_open, NULL, TIMEOUT));
  fail_unless (end_wait (p[1].far, has_messages, GUINT_TO_POINTER (5),
          TIMEOUT));
  g_mutex_lock (&p[1].lock);
  fail_unless_equals_int (p[1].remote, 1);
  fail_unless_equals_int (p[1].local, 0);
  fail_unless (p[1].prepared_first, "on-data-channel before "
      "prepare-data-channel");
  g_mutex_unlock (&p[1].lock);
  fail_unless_equals_int (p[0].remote, 0);
  for (i = 0; i < 2; i++)
    g_signal_handlers_disconnect_by_data (dc->call->peer[i].pc, &p[i]);
  dc_call_free (dc);
  for (i = 0; i < 2; i++)
    g_mutex_clear (&p[i].lock);
}

GST_END_TEST;

static gboolean
has_low_event (End * e, gpointer data)
{
  return e->low_events > 0;
}

static gboolean
has_bytes (End * e, gpointer data)
{
  guint64 want = *(guint64 *) data, got = 0;
  guint i;

  for (i = 0; i < e->messages->len; i++)
    got += g_bytes_get_size (g_ptr_array_index (e->messages, i)) - 1;
  return got >= want;
}

GST_START_TEST (test_burst_buffered_amount)
{
  End *a, *b;
  DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", FALSE, &a, &b);
  const gsize chunk = 65536;
  const gsize total = 50 * 1024 * 1024;
  guint64 peak = 0, amount = G_MAXUINT64, want = total;
  GBytes *msg;
  gsize sent;
  guint8 *buf = g_malloc (chunk);

  memset (buf, 0x5a, chunk);
  msg = g_bytes_new_take (buf, chunk);
  g_object_set (a->channel, "buffered-amount-low-threshold",
      (guint64) 1024 * 1024, NULL);
  /* Sending never blocks: the whole burst is queued at once. */
  for (sent = 0; sent < total; sent += chunk) {
    guint64 now;

    g_signal_emit_by_name (a->channel, "send-data", msg);
    g_object_get (a->channel, "buffered-amount", &now, NULL);
    peak = MAX (peak, now);
  }
  g_bytes_unref (msg);
  fail_unless (peak > 1024 * 1024, "buffered-amount peaked at %"
      G_GUINT64_FORMAT " only", peak);
  fail_unless (end_wait (b, has_bytes, &want, 120), "not all of the burst "
      "arrived");
  fail_unless (end_wait (a, has_low_event, NULL, TIMEOUT),
      "no on-buffered-amount-low");
  g_object_get (a->channel, "buffered-amount", &amount, NULL);
  fail_unless_equals_uint64 (amount, 0);
  fail_unless_equals_int (a->errors, 0);
  fail_unless_equals_int (b->messages->len, total / chunk);
  dc_call_free (dc);
}

GST_END_TEST;

GST_START_TEST (test_too_large_message)
{
  End *a, *b;
  DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", FALSE, &a, &b);
  GBytes *big = g_bytes_new_take (g_malloc0 (300 * 1024), 300 * 1024);

  g_signal_emit_by_name (a->channel, "send-data", big);
  g_bytes_unref (big);
  fail_unless_equals_int (a->errors, 1);
  /* ... and the channel goes on. */
  send_numbered (a, 5);
  fail_unless (end_wait (b, has_messages, GUINT_TO_POINTER (5), TIMEOUT));
  dc_call_free (dc);
}

GST_END_TEST;

GST_START_TEST (test_close_channel_and_connection)
{
  End *a, *b, *c, *d;
  GstWebRTCSCTPTransport *sctp = NULL;
  GstWebRTCSCTPTransportState state = GST_WEBRTC_SCTP_TRANSPORT_STATE_NEW;
  guint max_channels = 0;
  DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", FALSE, &a, &b);

  dc_open (dc, "second", NULL, &c, &d);
  dc_wait_open (c, d);

  /* Closing one channel closes both of its ends; the other goes on. */
  g_signal_emit_by_name (c->channel, "close");
  fail_unless (end_wait (c, is_closed, NULL, TIMEOUT));
  fail_unless (end_wait (d, is_closed, NULL, TIMEOUT));
  send_numbered (a, 3);
  fail_unless (end_wait (b, has_messages, GUINT_TO_POINTER (3), TIMEOUT));

  g_object_get (dc->call->peer[0].pc, "sctp-transport", &sctp, NULL);
  fail_unless (sctp != NULL);
  g_object_get (sctp, "state", &state, "max-channels", &max_channels, NULL);
  fail_unless_equals_int (state, GST_WEBRTC_SCTP_TRANSPORT_STATE_CONNECTED);
  /* W3C maxChannels: the streams both INITs allow (usrsctp's default) */
  fail_unless (max_channels > 0 && max_channels <= 65535, "%u", max_channels);

  /* Closing the connection closes every channel, on both sides. */
  g_signal_emit_by_name (dc->call->peer[0].pc, "close");
  fail_unless (end_wait (a, is_closed, NULL, 1), "close() left a channel "
      "open");
  fail_unless (end_wait (b, is_closed, NULL, TIMEOUT),
      "the remote end stayed open after the connection closed");
  /* and the SCTP transport with them (RTCSctpTransport "closed") */
  g_object_get (sctp, "state", &state, NULL);
  fail_unless_equals_int (state, GST_WEBRTC_SCTP_TRANSPORT_STATE_CLOSED);
  gst_object_unref (sctp);
  dc_call_free (dc);
}

GST_END_TEST;

GST_START_TEST (test_twenty_cycles)
{
  guint cycle, k;

  for (cycle = 0; cycle < 20; cycle++) {
    End *a, *b, *x[10], *y[10];
    DcCall *dc = dc_call_start ("rtcpeerbin", "rtcpeerbin", FALSE, &a, &b);

    for (k = 0; k < 10; k++) {
      gchar *label = g_strdup_printf ("c%u", k);

      dc_open (dc, label, NULL, &x[k], &y[k]);
      g_free (label);
    }
    for (k = 0; k < 10; k++) {
      dc_wait_open (x[k], y[k]);
      send_numbered (x[k], 20);
    }
    for (k = 0; k < 10; k++)
      fail_unless (end_wait (y[k], has_messages, GUINT_TO_POINTER (20),
              TIMEOUT), "cycle %u channel %u", cycle, k);
    g_signal_emit_by_name (dc->call->peer[0].pc, "close");
    dc_call_free (dc);
  }
}

GST_END_TEST;

static Suite *
datachannel_suite (void)
{
  Suite *s = suite_create ("datachannel");
  TCase *tc = tcase_create ("datachannel");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_messages_rtcpeerbin);
  tcase_add_test (tc, test_messages_rtcpeerbin_webrtcbin);
  tcase_add_test (tc, test_messages_webrtcbin_rtcpeerbin);
  tcase_add_test (tc, test_unordered_and_partial);
  tcase_add_test (tc, test_negotiated_channel);
  tcase_add_test (tc, test_prepare_data_channel);
  tcase_add_test (tc, test_burst_buffered_amount);
  tcase_add_test (tc, test_too_large_message);
  tcase_add_test (tc, test_close_channel_and_connection);
  tcase_add_test (tc, test_twenty_cycles);
  return s;
}

GST_CHECK_MAIN (datachannel);
