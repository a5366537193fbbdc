/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* RtcIceAgent tests: two agents in one process over 127.0.0.1 / ::1 only.
 * Host names never reach the system resolver: a fake GResolver answers
 * "stun.test" and "*-known.local" with 127.0.0.1, holds "slow.test" until
 * cancelled and refuses everything else. The STUN server is a tiny RFC 5389
 * binding responder on 127.0.0.1 in this process. Every wait is a GCond
 * wait with a deadline. */

#include <stdlib.h>
#include <string.h>
#include <gst/gst.h>
#include <gio/gio.h>

#include "ice/rtcice.h"
#include "ice/rtcnetcontext.h"
#include "ice-test-servers.h"

#define CONNECTED(s) ((s) == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED \
    || (s) == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)

static GMutex lock;
static GCond cond;

/* waits (with the test lock) until @expr holds or @secs pass */
#define WAIT_FOR(expr, secs) ({                                         \
      gint64 _end = g_get_monotonic_time () + (gint64) ((secs) * G_TIME_SPAN_SECOND); \
      gboolean _ok;                                                     \
      g_mutex_lock (&lock);                                             \
      while (!(_ok = (expr)) && g_cond_wait_until (&cond, &lock, _end)); \
      _ok = (expr);                                                     \
      g_mutex_unlock (&lock);                                           \
      _ok; })

/* ---------------------------------------------------------------------- */
/* a test peer */

typedef struct Peer Peer;
struct Peer
{
  const gchar *name;
  RtcIceAgent *ice;
  guint stream;
  Peer *other;                  /* trickle candidates there (lock) */
  gboolean send_eoc;            /* forward end-of-candidates too */
  const gchar *mdns_name;       /* forward candidates under this name */
  gboolean echo;                /* send received data back */
  guint echo_failures;
  gint free_on_state;           /* rtc_ice_agent_free() from on_state
                                 * when reaching this state (0 = never) */
  gboolean freed;               /* rtc_ice_agent_free() returned */
  guint late_callbacks;         /* callbacks after freed: must stay 0 */
  GPtrArray *candidates;
  gboolean gathering_done;
  GstWebRTCICEConnectionState state;
  GArray *states;
  gchar *sel_local, *sel_remote;
  guint n_pairs;                /* on_selected_pair calls */
  GByteArray *received;
  GPtrArray *errors;            /* GError* */
};

static void
note_callback (Peer * p)
{
  if (p->freed)
    p->late_callbacks++;
}

static void
on_candidate (RtcIceAgent * ice, guint stream, const gchar * cand, gpointer u)
{
  Peer *p = u;
  gchar *ufrag, *pwd;

  /* callbacks run without internal locks: calling back in is fine */
  rtc_ice_agent_get_local_credentials (ice, stream, &ufrag, &pwd);
  g_assert_nonnull (ufrag);
  g_free (ufrag);
  g_free (pwd);

  g_mutex_lock (&lock);
  note_callback (p);
  g_assert_true (g_str_has_prefix (cand, "candidate:"));
  g_ptr_array_add (p->candidates, g_strdup (cand));
  if (p->other) {
    gchar *c = g_strdup (cand);
    GError *err = NULL;

    if (p->mdns_name) {
      gchar **f = g_strsplit (cand, " ", -1);

      g_free (f[4]);
      f[4] = g_strdup (p->mdns_name);
      g_free (c);
      c = g_strjoinv (" ", f);
      g_strfreev (f);
    }
    g_assert_true (rtc_ice_agent_add_remote_candidate (p->other->ice,
            p->other->stream, c, &err));
    g_assert_no_error (err);
    g_free (c);
  }
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static void
on_gathering_done (RtcIceAgent * ice, guint stream, gpointer u)
{
  Peer *p = u;

  g_mutex_lock (&lock);
  note_callback (p);
  p->gathering_done = TRUE;
  if (p->other && p->send_eoc)
    rtc_ice_agent_end_of_candidates (p->other->ice, p->other->stream);
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static void
on_state (RtcIceAgent * ice, guint stream, GstWebRTCICEConnectionState state,
    gpointer u)
{
  Peer *p = u;
  gboolean free_now;

  /* must not deadlock: no internal lock is held while calling back */
  (void) rtc_ice_agent_get_state (ice, stream);

  g_mutex_lock (&lock);
  note_callback (p);
  p->state = state;
  g_array_append_val (p->states, state);
  free_now = p->free_on_state != 0 && p->free_on_state == (gint) state;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  if (g_test_verbose ()) {
    gchar *name = g_enum_to_string (GST_TYPE_WEBRTC_ICE_CONNECTION_STATE,
        state);

    g_test_message ("%s: state %s", p->name, name);
    g_free (name);
  }

  if (free_now) {
    /* on the agent's own network thread: must not wait for itself */
    rtc_ice_agent_free (ice);
    g_mutex_lock (&lock);
    p->free_on_state = 0;
    p->freed = TRUE;
    p->ice = NULL;
    g_cond_broadcast (&cond);
    g_mutex_unlock (&lock);
  }
}

static void
on_selected_pair (RtcIceAgent * ice, guint stream, const gchar * local,
    const gchar * remote, gpointer u)
{
  Peer *p = u;

  g_mutex_lock (&lock);
  note_callback (p);
  g_free (p->sel_local);
  g_free (p->sel_remote);
  p->sel_local = g_strdup (local);
  p->sel_remote = g_strdup (remote);
  p->n_pairs++;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  g_test_message ("%s: selected %s <-> %s", p->name, local, remote);
}

static void
on_receive (RtcIceAgent * ice, guint stream, const guint8 * data, gsize len,
    gpointer u)
{
  Peer *p = u;
  gboolean echo;

  g_mutex_lock (&lock);
  note_callback (p);
  g_byte_array_append (p->received, data, len);
  echo = p->echo;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  /* sending from the receive path must not deadlock inside libnice (it
   * may fail once the peer is gone) */
  if (echo && !rtc_ice_agent_send (ice, stream, data, len)) {
    g_mutex_lock (&lock);
    p->echo_failures++;
    g_mutex_unlock (&lock);
  }
}

static void
on_error (RtcIceAgent * ice, guint stream, const GError * error, gpointer u)
{
  Peer *p = u;

  g_test_message ("%s: error on stream %u: %s", p->name, stream,
      error->message);
  g_mutex_lock (&lock);
  note_callback (p);
  g_ptr_array_add (p->errors, g_error_copy (error));
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

static const RtcIceCallbacks callbacks = {
  on_candidate, on_gathering_done, on_state, on_selected_pair, on_receive,
  on_error
};

static Peer *
peer_new (const gchar * name, const RtcIceConfig * cfg)
{
  Peer *p = g_new0 (Peer, 1);
  GError *err = NULL;

  p->name = name;
  p->candidates = g_ptr_array_new_with_free_func (g_free);
  p->states = g_array_new (FALSE, FALSE, sizeof (GstWebRTCICEConnectionState));
  p->received = g_byte_array_new ();
  p->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  p->ice = rtc_ice_agent_new (cfg, &callbacks, p, &err);
  g_assert_no_error (err);
  g_assert_nonnull (p->ice);
  p->stream = rtc_ice_agent_add_stream (p->ice, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (p->stream, >, 0);
  return p;
}

static void
peer_free_agent (Peer * p)
{
  g_mutex_lock (&lock);
  if (p->other && p->other->other == p)
    p->other->other = NULL;     /* nobody trickles into a freed agent */
  p->other = NULL;
  g_mutex_unlock (&lock);
  if (p->ice)
    rtc_ice_agent_free (p->ice);
  g_mutex_lock (&lock);
  p->ice = NULL;
  p->freed = TRUE;
  g_mutex_unlock (&lock);
}

static void
peer_free (Peer * p)
{
  if (!p->freed)
    peer_free_agent (p);
  g_assert_cmpuint (p->late_callbacks, ==, 0);
  g_ptr_array_unref (p->candidates);
  g_array_unref (p->states);
  g_byte_array_unref (p->received);
  g_ptr_array_unref (p->errors);
  g_free (p->sel_local);
  g_free (p->sel_remote);
  g_free (p);
}

static void
exchange_credentials (Peer * a, Peer * b)
{
  Peer *pair[2] = { a, b };
  guint i;

  for (i = 0; i < 2; i++) {
    gchar *ufrag, *pwd;
    GError *err = NULL;

    rtc_ice_agent_get_local_credentials (pair[i]->ice, pair[i]->stream,
        &ufrag, &pwd);
    g_assert_nonnull (ufrag);
    g_assert_nonnull (pwd);
    g_assert_true (rtc_ice_agent_set_remote_credentials (pair[1 - i]->ice,
            pair[1 - i]->stream, ufrag, pwd, &err));
    g_assert_no_error (err);
    g_free (ufrag);
    g_free (pwd);
  }
}

/* offerer a (controlling) and answerer b, trickling to each other */
static void
start_pair (Peer * a, Peer * b, gboolean send_eoc)
{
  GError *err = NULL;

  rtc_ice_agent_set_controlling (a->ice, TRUE);
  rtc_ice_agent_set_controlling (b->ice, FALSE);
  g_mutex_lock (&lock);
  a->other = b;
  b->other = a;
  a->send_eoc = b->send_eoc = send_eoc;
  g_mutex_unlock (&lock);
  exchange_credentials (a, b);
  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_no_error (err);
  g_assert_true (rtc_ice_agent_gather (b->ice, b->stream, &err));
  g_assert_no_error (err);
}

static void
connect_pair (Peer * a, Peer * b, gboolean send_eoc)
{
  start_pair (a, b, send_eoc);
  g_assert_true (WAIT_FOR (CONNECTED (a->state) && CONNECTED (b->state)
          && a->sel_local && b->sel_local, 20));
}

static void
check_data (Peer * from, Peer * to, gsize len)
{
  guint8 *buf = g_malloc (len);
  gsize i, before;

  for (i = 0; i < len; i++)
    buf[i] = g_random_int ();
  g_mutex_lock (&lock);
  before = to->received->len;
  g_mutex_unlock (&lock);
  g_assert_true (rtc_ice_agent_send (from->ice, from->stream, buf, len));
  g_assert_true (WAIT_FOR (to->received->len >= before + len, 10));
  g_mutex_lock (&lock);
  g_assert_cmpmem (to->received->data + before, len, buf, len);
  g_mutex_unlock (&lock);
  g_free (buf);
}

static guint
count_net_threads (void)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *tid;
  guint n = 0;

  if (!dir)
    return rtc_net_context_get_n_threads ();
  while ((tid = g_dir_read_name (dir))) {
    gchar *path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
    gchar *comm = NULL;

    if (g_file_get_contents (path, &comm, NULL, NULL)
        && g_str_has_prefix (comm, "rtc-net-"))
      n++;
    g_free (comm);
    g_free (path);
  }
  g_dir_close (dir);
  return n;
}

static gboolean
have_ipv6_loopback (void)
{
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *ia = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  GSocketAddress *sa = g_inet_socket_address_new (ia, 0);
  gboolean ok = s && g_socket_bind (s, sa, FALSE, NULL);

  g_clear_object (&s);
  g_object_unref (sa);
  g_object_unref (ia);
  return ok;
}

/* ---------------------------------------------------------------------- */
/* 1. connect, trickle, data both ways */

static guint
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

static void
test_connect_loopback (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  gchar *l, *r;
  guint i;

  g_assert_cmpint (rtc_ice_agent_get_state (a->ice, a->stream), ==,
      GST_WEBRTC_ICE_CONNECTION_STATE_NEW);
  connect_pair (a, b, TRUE);
  g_assert_cmpuint (count_net_threads (), >, 0);

  g_mutex_lock (&lock);
  for (i = 0; i < a->candidates->len; i++) {
    const gchar *c = g_ptr_array_index (a->candidates, i);

    g_assert_nonnull (strstr (c, " 127.0.0.1 "));
    g_assert_nonnull (strstr (c, " typ host"));
  }
  g_assert_true (g_str_has_prefix (a->sel_local, "udp 127.0.0.1:"));
  g_assert_true (g_str_has_suffix (a->sel_local, " host"));
  g_assert_true (g_str_has_prefix (a->sel_remote, "udp 127.0.0.1:"));
  /* the pair as seen from both ends */
  g_assert_cmpstr (a->sel_local, ==, b->sel_remote);
  g_assert_cmpstr (a->sel_remote, ==, b->sel_local);
  /* new -> checking -> connected, in that order */
  g_assert_cmpint (g_array_index (a->states, gint, 0), ==,
      GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING);
  g_mutex_unlock (&lock);
  g_assert_true (rtc_ice_agent_get_selected_pair (b->ice, b->stream, &l, &r));
  g_free (l);
  g_free (r);

  check_data (a, b, 1200);
  check_data (b, a, 1);
  check_data (b, a, 1400);
  /* echo from inside on_receive */
  g_mutex_lock (&lock);
  b->echo = TRUE;
  g_mutex_unlock (&lock);
  check_data (a, b, 300);
  g_assert_true (WAIT_FOR (a->received->len == 1 + 1400 + 300, 10));
  g_assert_cmpuint (b->echo_failures, ==, 0);

  /* A batch, in order, in one go, straight on our own socket. */
  {
    RtcDatagram d[200];
    GByteArray *want = g_byte_array_new ();
    gsize before;

    for (i = 0; i < G_N_ELEMENTS (d); i++) {
      guint8 *p = g_malloc (i + 1);

      memset (p, i, i + 1);
      d[i].data = p;
      d[i].len = i + 1;
      g_byte_array_append (want, p, i + 1);
    }
    g_assert_true (rtc_ice_agent_sends_directly (a->ice, a->stream));
    g_mutex_lock (&lock);
    before = b->received->len;
    g_mutex_unlock (&lock);
    g_assert_cmpuint (rtc_ice_agent_send_many (a->ice, a->stream, d,
            G_N_ELEMENTS (d)), ==, G_N_ELEMENTS (d));
    g_assert_true (WAIT_FOR (b->received->len >= before + want->len, 10));
    g_mutex_lock (&lock);
    g_assert_cmpmem (b->received->data + before, b->received->len - before,
        want->data, want->len);
    g_mutex_unlock (&lock);
    for (i = 0; i < G_N_ELEMENTS (d); i++)
      g_free ((gpointer) d[i].data);
    g_byte_array_unref (want);
  }

  /* RFC 8838 end-of-candidates both ways + nomination: completed */
  g_assert_true (WAIT_FOR (a->state ==
          GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED
          && b->state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED, 10));

  peer_free (a);
  peer_free (b);
  g_assert_cmpuint (count_net_threads (), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* 2. candidates before credentials */

static void
test_candidates_before_credentials (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  GError *err = NULL;
  guint i;

  rtc_ice_agent_set_controlling (a->ice, TRUE);
  rtc_ice_agent_set_controlling (b->ice, FALSE);
  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_true (rtc_ice_agent_gather (b->ice, b->stream, &err));
  g_assert_true (WAIT_FOR (a->gathering_done && b->gathering_done, 10));

  g_mutex_lock (&lock);
  g_assert_cmpuint (a->candidates->len, >, 0);
  for (i = 0; i < a->candidates->len; i++)
    g_assert_true (rtc_ice_agent_add_remote_candidate (b->ice, b->stream,
            g_ptr_array_index (a->candidates, i), &err));
  for (i = 0; i < b->candidates->len; i++) {
    gchar *with_a = g_strconcat ("a=", (gchar *) g_ptr_array_index
        (b->candidates, i), NULL);

    g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
            with_a, &err));
    g_free (with_a);
  }
  g_assert_no_error (err);
  g_mutex_unlock (&lock);

  /* nothing to check yet: no credentials */
  g_assert_cmpint (rtc_ice_agent_get_state (a->ice, a->stream), ==,
      GST_WEBRTC_ICE_CONNECTION_STATE_NEW);
  rtc_ice_agent_end_of_candidates (a->ice, a->stream);
  rtc_ice_agent_end_of_candidates (b->ice, b->stream);
  exchange_credentials (a, b);
  g_assert_true (WAIT_FOR (CONNECTED (a->state) && CONNECTED (b->state), 20));
  check_data (a, b, 100);
  check_data (b, a, 100);

  peer_free (a);
  peer_free (b);
}

/* ---------------------------------------------------------------------- */
/* 3. IPv6 loopback and a port range */

static void
test_ipv6_port_range (void)
{
  RtcIceConfig cfg = {.addresses = "::1" };
  Peer *a, *b;
  guint i;

  if (!have_ipv6_loopback ()) {
    g_test_skip ("no IPv6 loopback (::1) on this machine");
    return;
  }
  /* a random window, so parallel runs do not fight over one port */
  cfg.min_port = g_random_int_range (20000, 60000);
  cfg.max_port = cfg.min_port + 40;
  a = peer_new ("A", &cfg);
  b = peer_new ("B", &cfg);
  connect_pair (a, b, FALSE);

  g_mutex_lock (&lock);
  g_assert_cmpuint (a->candidates->len + b->candidates->len, >, 0);
  for (i = 0; i < a->candidates->len + b->candidates->len; i++) {
    const gchar *c = i < a->candidates->len ?
        g_ptr_array_index (a->candidates, i) :
        g_ptr_array_index (b->candidates, i - a->candidates->len);
    gchar **f = g_strsplit (c, " ", -1);
    guint port = atoi (f[5]);

    g_test_message ("candidate %s", c);
    g_assert_cmpstr (f[4], ==, "::1");
    g_assert_cmpuint (port, >=, cfg.min_port);
    g_assert_cmpuint (port, <=, cfg.max_port);
    g_strfreev (f);
  }
  g_assert_true (g_str_has_prefix (a->sel_local, "udp [::1]:"));
  g_mutex_unlock (&lock);
  check_data (a, b, 500);
  check_data (b, a, 500);

  peer_free (a);
  peer_free (b);
}

/* ---------------------------------------------------------------------- */
/* 4. a peer that goes away */

static void
test_vanished_peer (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.disconnect_timeout_ms = 1000 };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  gint64 t0;

  connect_pair (a, b, TRUE);
  peer_free_agent (b);
  t0 = g_get_monotonic_time ();
  g_assert_true (WAIT_FOR (a->state ==
          GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED, 5));
  g_test_message ("disconnected after %" G_GINT64_FORMAT " ms",
      (g_get_monotonic_time () - t0) / 1000);

  /* libnice fails the component when RFC 7675 consent expires (at most
   * 30 s, not configurable; ~10 s here as the closed port answers ICMP) */
  g_assert_true (WAIT_FOR (a->state ==
          GST_WEBRTC_ICE_CONNECTION_STATE_FAILED, 45));
  g_test_message ("failed after %" G_GINT64_FORMAT " ms",
      (g_get_monotonic_time () - t0) / 1000);
  peer_free (a);
  peer_free (b);
}

static gboolean
block_cb (gpointer data)
{
  gint *blocked = data;

  g_mutex_lock (&lock);
  *blocked = 1;
  g_cond_broadcast (&cond);
  while (*blocked == 1)
    g_cond_wait (&cond, &lock);
  g_mutex_unlock (&lock);
  return G_SOURCE_REMOVE;
}

/* sends b -> a every 100 ms until @expr holds on a, or @secs pass */
#define PING_UNTIL(b, expr, secs) ({                                    \
      gint64 _end = g_get_monotonic_time () + (secs) * G_TIME_SPAN_SECOND; \
      gboolean _ok = FALSE;                                             \
      while (!_ok && g_get_monotonic_time () < _end) {                  \
        rtc_ice_agent_send ((b)->ice, (b)->stream, (const guint8 *) "p", 1); \
        _ok = WAIT_FOR (expr, 0.1);                                     \
      }                                                                 \
      _ok; })

static void
test_disconnected_recovers (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.disconnect_timeout_ms = 1000 };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  gint blocked = 0;
  GSource *src;

  if (rtc_ice_agent_get_context (a->ice) == rtc_ice_agent_get_context (b->ice)) {
    g_test_skip ("needs two network threads (one processor only)");
    peer_free (a);
    peer_free (b);
    return;
  }
  connect_pair (a, b, TRUE);
  /* media keeps it connected */
  g_assert_false (PING_UNTIL (b, a->state ==
          GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED, 2.5));

  /* b's network thread stops: nothing answers anymore */
  src = g_idle_source_new ();
  g_source_set_callback (src, block_cb, &blocked, NULL);
  g_source_attach (src, rtc_ice_agent_get_context (b->ice));
  g_source_unref (src);
  g_assert_true (WAIT_FOR (blocked == 1, 5));
  g_assert_true (WAIT_FOR (a->state ==
          GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED, 5));

  /* and comes back */
  g_mutex_lock (&lock);
  blocked = 2;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  g_assert_true (PING_UNTIL (b, CONNECTED (a->state), 5));
  check_data (a, b, 10);

  peer_free (a);
  peer_free (b);
}

/* ---------------------------------------------------------------------- */
/* 5. errors a user can act on */

static void
expect_config_error (const RtcIceConfig * cfg, gint code, const gchar * word)
{
  GError *err = NULL;

  g_assert_null (rtc_ice_agent_new (cfg, &callbacks, NULL, &err));
  g_assert_error (err, RTC_ICE_ERROR, code);
  g_test_message ("refused: %s", err->message);
  g_assert_nonnull (strstr (err->message, word));
  g_error_free (err);
}

static void
test_config_errors (void)
{
  const gchar *turns[] = { "turns://u:p@127.0.0.1:5349", NULL };
  const gchar *turn_tcp[] = { "turn://u:p@127.0.0.1:3478?transport=tcp",
    NULL
  };
  const gchar *turn_nocred[] = { "turn://127.0.0.1:3478", NULL };
  RtcIceConfig cfg = { 0, };

  cfg.turn_servers = turns;
  expect_config_error (&cfg, RTC_ICE_ERROR_UNSUPPORTED, "turns://");
  cfg.turn_servers = turn_tcp;
  expect_config_error (&cfg, RTC_ICE_ERROR_UNSUPPORTED, "TCP");
  cfg.turn_servers = turn_nocred;
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "username");
  cfg.turn_servers = NULL;

  cfg.stun_server = "stun://127.0.0.1:notaport";
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "notaport");
  cfg.stun_server = "http://127.0.0.1";
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "stun://host");
  cfg.stun_server = "stun://";
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "no host");
  cfg.stun_server = "stun://::1:3478";
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "brackets");
  cfg.stun_server = NULL;

  cfg.min_port = 6000;
  cfg.max_port = 5000;
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "6000-5000");
  cfg.min_port = cfg.max_port = 0;

  cfg.addresses = "127.0.0.1, nosuchif0";
  expect_config_error (&cfg, RTC_ICE_ERROR_INVALID_CONFIG, "'nosuchif0'");

  /* the accepted forms */
  {
    const gchar *ok_turn[] = { "turn:127.0.0.1?transport=udp", NULL };
    RtcIceConfig good = {.addresses = "lo,::1",.stun_server =
          "stun:[::1]:3478",.turn_servers = ok_turn
    };
    GError *err = NULL;
    RtcIceAgent *ice;

    expect_config_error (&good, RTC_ICE_ERROR_INVALID_CONFIG, "username");
    ok_turn[0] = "turn://user%40x:p%3Aw@127.0.0.1?transport=udp";
    ice = rtc_ice_agent_new (&good, &callbacks, NULL, &err);
    g_assert_no_error (err);
    rtc_ice_agent_free (ice);
  }
  g_assert_cmpuint (count_net_threads (), ==, 0);
}

static void
test_candidate_errors (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  Peer *a = peer_new ("A", &cfg);
  const gchar *bad[] = {
    "candidate:garbage",
    "candidate:1 1 UDP 2130706431 not-an-ip 5000 typ host",
    "candidate:1 1 UDP 2130706431 127.0.0.1 5000 type host",
    "1 1 UDP 2130706431 127.0.0.1 5000 typ host",
  };
  GError *err = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_assert_false (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
            bad[i], &err));
    g_assert_error (err, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CANDIDATE);
    g_assert_nonnull (strstr (err->message, bad[i]));
    g_test_message ("refused: %s", err->message);
    g_clear_error (&err);
  }
  /* ignored, not errors: TCP (UDP only) and RTCP components (rtcp-mux) */
  g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
          "candidate:2 1 TCP 1518280447 127.0.0.1 9 typ host tcptype active",
          &err));
  g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
          "candidate:3 2 UDP 2130706430 127.0.0.1 5001 typ host", &err));
  g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
          "candidate:4 1  UDP 2130706431   127.0.0.1 5003 typ host\r\n", &err));
  /* a browser's candidate with its extensions */
  g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
          "candidate:842163049 1 udp 1677729535 127.0.0.1 5002 typ srflx "
          "raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999",
          &err));
  g_assert_no_error (err);
  g_assert_false (rtc_ice_agent_add_remote_candidate (a->ice, 999,
          "candidate:1 1 UDP 2130706431 127.0.0.1 5000 typ host", &err));
  g_assert_error (err, RTC_ICE_ERROR, RTC_ICE_ERROR_UNKNOWN_STREAM);
  g_clear_error (&err);
  g_assert_false (rtc_ice_agent_set_remote_credentials (a->ice, a->stream,
          "", "short", &err));
  g_assert_error (err, RTC_ICE_ERROR, RTC_ICE_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&err);
  peer_free (a);
}

static void
test_mdns_unresolvable (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  Peer *a = peer_new ("A", &cfg);
  gchar *uuid = g_uuid_string_random ();
  gchar *cand = g_strdup_printf ("candidate:1 1 udp 2122260223 %s.local "
      "54321 typ host generation 0", uuid);
  GError *err = NULL;
  const GError *e;

  g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream, cand,
          &err));
  g_assert_no_error (err);
  g_assert_true (WAIT_FOR (a->errors->len == 1, 10));
  e = g_ptr_array_index (a->errors, 0);
  g_assert_error (e, RTC_ICE_ERROR, RTC_ICE_ERROR_MDNS);
  g_assert_nonnull (strstr (e->message, uuid));
  g_assert_nonnull (strstr (e->message, "WebRtcHideLocalIpsWithMdns"));
  g_free (cand);
  g_free (uuid);
  peer_free (a);
}

/* B's candidates reach A as "<uuid>-known.local", resolved to 127.0.0.1 */
static void
test_mdns_resolved (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  gchar *uuid = g_uuid_string_random ();
  gchar *name = g_strdup_printf ("%s-known.local", uuid);

  b->mdns_name = name;
  connect_pair (a, b, TRUE);
  g_assert_cmpuint (a->errors->len, ==, 0);
  check_data (a, b, 64);
  check_data (b, a, 64);
  peer_free (a);
  peer_free (b);
  g_free (name);
  g_free (uuid);
}

/* ---------------------------------------------------------------------- */
/* STUN and TURN servers (test-ice-servers.c) */

static void
test_srflx_from_stun (void)
{
  StunResponder *stun = stun_responder_new (TRUE);
  gchar *uri = g_strdup_printf ("stun://stun.test:%u", stun->port);
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.stun_server = uri };
  Peer *a = peer_new ("A", &cfg);
  GError *err = NULL;
  gboolean found = FALSE;
  guint i;

  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_no_error (err);
  g_assert_true (WAIT_FOR (a->gathering_done, 10));
  g_mutex_lock (&lock);
  for (i = 0; i < a->candidates->len; i++) {
    const gchar *c = g_ptr_array_index (a->candidates, i);

    if (strstr (c, " typ srflx")) {
      g_assert_nonnull (strstr (c, " " STUN_MAPPED_IP " "));
      g_assert_nonnull (strstr (c, " raddr 127.0.0.1 "));
      found = TRUE;
    }
  }
  g_mutex_unlock (&lock);
  g_assert_true (found);
  g_assert_true (stun_responder_wait (stun, 1, 0));
  g_assert_cmpuint (a->errors->len, ==, 0);
  peer_free (a);
  stun_responder_free (stun);
  g_free (uri);
}

static void
test_stun_unresolvable (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.stun_server =
        "stun://stun.unknown.test:3478"
  };
  Peer *a = peer_new ("A", &cfg);
  GError *err = NULL;
  const GError *e;

  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_true (WAIT_FOR (a->gathering_done && a->errors->len == 1, 10));
  e = g_ptr_array_index (a->errors, 0);
  g_assert_error (e, RTC_ICE_ERROR, RTC_ICE_ERROR_RESOLVE);
  g_assert_nonnull (strstr (e->message, "stun.unknown.test"));
  /* host candidates are still gathered */
  g_assert_cmpuint (a->candidates->len, >, 0);
  peer_free (a);
}

/* relay policy with a TURN server that never answers: nothing signalled,
 * gathering ends, the TURN server is named in an error */
static void
test_turn_unreachable_relay_only (void)
{
  StunResponder *silent = stun_responder_new (FALSE);
  gchar *turn = g_strdup_printf ("turn://user:s3cr3t@127.0.0.1:%u",
      silent->port);
  const gchar *turns[] = { turn, NULL };
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.turn_servers = turns,
    .relay_only = TRUE
  };
  Peer *a = peer_new ("A", &cfg);
  GError *err = NULL;
  const GError *e;

  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_true (WAIT_FOR (a->gathering_done, 30));
  g_assert_true (WAIT_FOR (a->errors->len == 1, 1));
  e = g_ptr_array_index (a->errors, 0);
  g_assert_error (e, RTC_ICE_ERROR, RTC_ICE_ERROR_TURN);
  g_assert_nonnull (strstr (e->message, "turn://127.0.0.1:"));
  g_assert_null (strstr (e->message, "s3cr3t"));
  g_assert_cmpuint (a->candidates->len, ==, 0);
  g_assert_true (stun_responder_wait (silent, 1, 0));
  peer_free (a);
  stun_responder_free (silent);
  g_free (turn);
}

/* ice-transport-policy=relay through coturn on 127.0.0.1: only relayed
 * candidates are signalled and the pair uses one; freeing gives the
 * allocation back (nice_agent_close_async) */
static void
test_turn_relay_only (void)
{
  gchar *why = NULL;
  TurnServer *turn = turn_server_start (&why);
  gchar *uri;
  const gchar *turns[2] = { NULL, NULL };
  RtcIceConfig relay = {.addresses = "127.0.0.1",.turn_servers = turns,
    .relay_only = TRUE
  };
  RtcIceConfig host = {.addresses = "127.0.0.1" };
  Peer *a, *b;
  guint i;

  if (!turn) {
    g_test_skip (why);
    g_free (why);
    return;
  }
  uri = g_strdup_printf ("turn://" TURN_USER ":" TURN_PASS "@127.0.0.1:%u"
      "?transport=udp", turn->port);
  turns[0] = uri;
  a = peer_new ("A", &relay);
  b = peer_new ("B", &host);
  connect_pair (a, b, TRUE);

  g_mutex_lock (&lock);
  g_assert_cmpuint (a->candidates->len, >, 0);
  for (i = 0; i < a->candidates->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (a->candidates, i),
            " typ relay "));
  g_assert_true (g_str_has_suffix (a->sel_local, " relay"));
  g_assert_cmpuint (a->errors->len, ==, 0);
  g_mutex_unlock (&lock);
  /* A's side needs TURN's framing: through libnice; B sends plain UDP to
   * the relayed address, on its own socket */
  g_assert_false (rtc_ice_agent_sends_directly (a->ice, a->stream));
  g_assert_true (rtc_ice_agent_sends_directly (b->ice, b->stream));
  check_data (a, b, 1000);
  check_data (b, a, 1000);

  peer_free (a);
  peer_free (b);
  turn_server_stop (turn);
  g_free (uri);
}

static void
test_turn_bad_credentials (void)
{
  gchar *why = NULL;
  TurnServer *turn = turn_server_start (&why);
  gchar *uri;
  const gchar *turns[2] = { NULL, NULL };
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.turn_servers = turns };
  Peer *a;
  GError *err = NULL;
  const GError *e;

  if (!turn) {
    g_test_skip (why);
    g_free (why);
    return;
  }
  uri = g_strdup_printf ("turn://" TURN_USER ":wrong@127.0.0.1:%u", turn->port);
  turns[0] = uri;
  a = peer_new ("A", &cfg);
  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_true (WAIT_FOR (a->gathering_done && a->errors->len == 1, 30));
  e = g_ptr_array_index (a->errors, 0);
  g_assert_error (e, RTC_ICE_ERROR, RTC_ICE_ERROR_TURN);
  /* host candidates still come */
  g_assert_cmpuint (a->candidates->len, >, 0);
  peer_free (a);
  turn_server_stop (turn);
  g_free (uri);
}

/* ---------------------------------------------------------------------- */
/* 6. teardown at awkward moments */

static void
test_free_while_gathering (void)
{
  StunResponder *silent = stun_responder_new (FALSE);
  gchar *uri = g_strdup_printf ("stun://127.0.0.1:%u", silent->port);
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.stun_server = uri };
  RtcIceConfig slow = {.addresses = "127.0.0.1",.stun_server =
        "stun://slow.test:3478"
  };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &slow);
  GError *err = NULL;

  /* a: STUN discovery in flight; b: still resolving its STUN server */
  g_assert_true (rtc_ice_agent_gather (a->ice, a->stream, &err));
  g_assert_true (rtc_ice_agent_gather (b->ice, b->stream, &err));
  g_assert_true (stun_responder_wait (silent, 1, 10));
  g_assert_false (a->gathering_done);
  g_assert_false (b->gathering_done);
  peer_free (a);
  peer_free (b);
  stun_responder_free (silent);
  g_free (uri);
  g_assert_cmpuint (count_net_threads (), ==, 0);
}

static void
test_free_while_connected (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  guint fds;
  Peer *a, *b, *c, *d;
  guint i;

  /* GLib's own contexts open their wakeup descriptors once, lazily */
  g_main_context_default ();
  fds = count_fds ();
  a = peer_new ("A", &cfg);
  b = peer_new ("B", &cfg);
  c = peer_new ("C", &cfg);
  d = peer_new ("D", &cfg);

  connect_pair (a, b, TRUE);
  /* b answers everything: packets are in flight when a goes */
  g_mutex_lock (&lock);
  b->echo = TRUE;
  g_mutex_unlock (&lock);
  for (i = 0; i < 50; i++)
    rtc_ice_agent_send (a->ice, a->stream, (const guint8 *) "0123456789", 10);
  peer_free_agent (a);
  for (i = 0; i < 50; i++)
    rtc_ice_agent_send (b->ice, b->stream, (const guint8 *) "0123456789", 10);
  peer_free_agent (b);

  /* freed from its own on_state callback, while c keeps the pool */
  d->free_on_state = GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED;
  start_pair (c, d, FALSE);
  g_assert_true (WAIT_FOR (d->freed, 20));
  g_assert_cmpuint (count_net_threads (), >, 0);
  peer_free (c);
  peer_free (d);
  peer_free (a);
  peer_free (b);
  g_assert_cmpuint (count_net_threads (), ==, 0);
  /* every socket, libnice's and our duplicates for sending, is closed */
  g_assert_cmpuint (count_fds (), ==, fds);
}

/* the last agent freed from its own callback: its thread detaches */
static void
test_free_inline_last (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1",.disconnect_timeout_ms = 300 };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  gint64 end;

  connect_pair (a, b, TRUE);
  g_mutex_lock (&lock);
  b->free_on_state = GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED;
  g_mutex_unlock (&lock);
  peer_free_agent (a);
  g_assert_true (WAIT_FOR (b->freed, 10));
  /* b completes its teardown right after the callback, stopping the pool;
   * its own thread is detached and exits once back in its loop: nothing to
   * join or signal, so poll (with a deadline) */
  end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while ((rtc_net_context_get_n_threads () > 0 || count_net_threads () > 0)
      && g_get_monotonic_time () < end)
    WAIT_FOR (FALSE, 0.01);
  g_assert_cmpuint (rtc_net_context_get_n_threads (), ==, 0);
  g_assert_cmpuint (count_net_threads (), ==, 0);
  peer_free (a);
  peer_free (b);
}

/* ---------------------------------------------------------------------- */
/* ICE restart */

static void
test_restart (void)
{
  RtcIceConfig cfg = {.addresses = "127.0.0.1" };
  Peer *a = peer_new ("A", &cfg), *b = peer_new ("B", &cfg);
  gchar *ufrag0, *ufrag1, *pwd;
  GError *err = NULL;
  guint n_cands, i, n_pairs, n_states;

  connect_pair (a, b, FALSE);
  rtc_ice_agent_get_local_credentials (a->ice, a->stream, &ufrag0, &pwd);
  g_free (pwd);
  g_mutex_lock (&lock);
  n_cands = a->candidates->len;
  n_pairs = a->n_pairs;
  n_states = a->states->len;
  g_mutex_unlock (&lock);

  /* signalling carries the new candidates, after both restarted */
  g_mutex_lock (&lock);
  a->other = b->other = NULL;
  g_mutex_unlock (&lock);
  g_assert_true (rtc_ice_agent_restart (a->ice, a->stream, NULL, NULL, &err));
  g_assert_true (rtc_ice_agent_restart (b->ice, b->stream, NULL, NULL, &err));
  g_assert_no_error (err);
  rtc_ice_agent_get_local_credentials (a->ice, a->stream, &ufrag1, &pwd);
  g_free (pwd);
  g_assert_cmpstr (ufrag0, !=, ufrag1);
  /* candidates signalled again for the new generation */
  g_assert_true (WAIT_FOR (a->candidates->len == 2 * n_cands
          && b->candidates->len == 2 * n_cands, 5));
  exchange_credentials (a, b);
  for (i = n_cands; i < 2 * n_cands; i++) {
    g_assert_true (rtc_ice_agent_add_remote_candidate (b->ice, b->stream,
            g_ptr_array_index (a->candidates, i), &err));
    g_assert_true (rtc_ice_agent_add_remote_candidate (a->ice, a->stream,
            g_ptr_array_index (b->candidates, i), &err));
  }
  /* libnice starts over and selects a pair again; W3C keeps a transport
   * restarted while connected in connected meanwhile (no new, no
   * checking after the restart) */
  g_assert_true (WAIT_FOR (a->n_pairs > n_pairs && CONNECTED (a->state)
          && CONNECTED (b->state), 20));
  g_mutex_lock (&lock);
  for (i = n_states; i < a->states->len; i++)
    g_assert_cmpint (g_array_index (a->states, gint, i), ==,
        GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED);
  g_mutex_unlock (&lock);
  check_data (a, b, 100);
  check_data (b, a, 100);
  g_free (ufrag0);
  g_free (ufrag1);
  peer_free (a);
  peer_free (b);
}

int
main (int argc, char **argv)
{
  GResolver *fake;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  /* no name ever reaches the system resolver (no DNS, no multicast) */
  fake = fake_resolver_new ();
  g_resolver_set_default (fake);
  g_object_unref (fake);

  g_test_add_func ("/ice/connect-loopback", test_connect_loopback);
  g_test_add_func ("/ice/candidates-before-credentials",
      test_candidates_before_credentials);
  g_test_add_func ("/ice/ipv6-port-range", test_ipv6_port_range);
  g_test_add_func ("/ice/vanished-peer", test_vanished_peer);
  g_test_add_func ("/ice/disconnected-recovers", test_disconnected_recovers);
  g_test_add_func ("/ice/errors/config", test_config_errors);
  g_test_add_func ("/ice/errors/candidate", test_candidate_errors);
  g_test_add_func ("/ice/errors/mdns-unresolvable", test_mdns_unresolvable);
  g_test_add_func ("/ice/errors/stun-unresolvable", test_stun_unresolvable);
  g_test_add_func ("/ice/errors/turn-unreachable-relay-only",
      test_turn_unreachable_relay_only);
  g_test_add_func ("/ice/errors/turn-bad-credentials",
      test_turn_bad_credentials);
  g_test_add_func ("/ice/turn-relay-only", test_turn_relay_only);
  g_test_add_func ("/ice/mdns-resolved", test_mdns_resolved);
  g_test_add_func ("/ice/srflx-from-stun", test_srflx_from_stun);
  g_test_add_func ("/ice/restart", test_restart);
  g_test_add_func ("/ice/free/while-gathering", test_free_while_gathering);
  g_test_add_func ("/ice/free/while-connected", test_free_while_connected);
  g_test_add_func ("/ice/free/inline-last", test_free_inline_last);
  return g_test_run ();
}
