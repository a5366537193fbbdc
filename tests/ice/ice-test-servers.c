/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ice-test-servers.h"

#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <string.h>
#include <glib/gstdio.h>

/* ---------------------------------------------------------------------- */
/* fake resolver */

typedef struct
{
  GResolver parent;
} FakeResolver;

typedef struct
{
  GResolverClass parent_class;
} FakeResolverClass;

static GType fake_resolver_get_type (void);
G_DEFINE_TYPE (FakeResolver, fake_resolver, G_TYPE_RESOLVER);

static GList *
fake_lookup (const gchar * host, GError ** error)
{
  if (g_str_equal (host, "stun.test") || g_str_has_suffix (host,
          "-known.local"))
    return g_list_append (NULL,
        g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
      "Error resolving \"%s\": Name or service not known (test resolver)",
      host);
  return NULL;
}

static GList *
fake_lookup_by_name (GResolver * r, const gchar * host,
    GCancellable * cancellable, GError ** error)
{
  return fake_lookup (host, error);
}

static void
fake_cancelled (GCancellable * cancellable, gpointer data)
{
  GTask *task = data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
      "lookup cancelled");
  g_object_unref (task);
}

static void
fake_lookup_by_name_async (GResolver * r, const gchar * host,
    GCancellable * cancellable, GAsyncReadyCallback cb, gpointer data)
{
  GTask *task = g_task_new (r, cancellable, cb, data);
  GError *err = NULL;
  GList *addrs;

  if (g_str_equal (host, "slow.test") && cancellable) {
    /* answers only when the caller gives up */
    g_cancellable_connect (cancellable, G_CALLBACK (fake_cancelled), task,
        NULL);
    return;
  }
  addrs = fake_lookup (host, &err);
  if (addrs)
    g_task_return_pointer (task, addrs,
        (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, err);
  g_object_unref (task);
}

static void
fake_lookup_by_name_with_flags_async (GResolver * r, const gchar * host,
    GResolverNameLookupFlags flags, GCancellable * cancellable,
    GAsyncReadyCallback cb, gpointer data)
{
  fake_lookup_by_name_async (r, host, cancellable, cb, data);
}

static GList *
fake_lookup_by_name_finish (GResolver * r, GAsyncResult * res, GError ** error)
{
  return g_task_propagate_pointer (G_TASK (res), error);
}

static void
fake_resolver_class_init (FakeResolverClass * klass)
{
  GResolverClass *rc = G_RESOLVER_CLASS (klass);

  rc->lookup_by_name = fake_lookup_by_name;
  rc->lookup_by_name_async = fake_lookup_by_name_async;
  rc->lookup_by_name_finish = fake_lookup_by_name_finish;
  rc->lookup_by_name_with_flags_async = fake_lookup_by_name_with_flags_async;
  rc->lookup_by_name_with_flags_finish = fake_lookup_by_name_finish;
}

static void
fake_resolver_init (FakeResolver * r)
{
}

GResolver *
fake_resolver_new (void)
{
  return g_object_new (fake_resolver_get_type (), NULL);
}

/* ---------------------------------------------------------------------- */
/* STUN binding responder */

static guint32
crc32_ieee (const guint8 * p, gsize n)
{
  guint32 c = 0xffffffff;
  gsize i;
  gint k;

  for (i = 0; i < n; i++) {
    c ^= p[i];
    for (k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xedb88320 & (0u - (c & 1)));
  }
  return ~c;
}

static void
put16 (guint8 * p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v;
}

static void
put32 (guint8 * p, guint32 v)
{
  put16 (p, v >> 16);
  put16 (p + 2, v);
}

/* RFC 5389 (magic cookie): XOR-MAPPED-ADDRESS + FINGERPRINT; RFC 3489,
 * which libnice uses for its Binding discovery: MAPPED-ADDRESS */
static void
stun_answer (StunResponder * s, const guint8 * req, GSocketAddress * from)
{
  gboolean rfc5389 = req[4] == 0x21 && req[5] == 0x12 && req[6] == 0xa4
      && req[7] == 0x42;
  guint8 r[20 + 12 + 8];
  GInetAddress *mapped = g_inet_address_new_from_string (STUN_MAPPED_IP);
  guint32 ip;

  memcpy (&ip, g_inet_address_to_bytes (mapped), 4);
  ip = g_ntohl (ip);
  g_object_unref (mapped);

  put16 (r, 0x0101);            /* Binding success response */
  put16 (r + 2, rfc5389 ? 12 + 8 : 12);
  memcpy (r + 4, req + 4, 16);  /* cookie + transaction id */
  put16 (r + 20, rfc5389 ? 0x0020 : 0x0001);
  put16 (r + 22, 8);
  put16 (r + 24, 0x0001);       /* IPv4 */
  put16 (r + 26, rfc5389 ? STUN_MAPPED_PORT ^ 0x2112 : STUN_MAPPED_PORT);
  put32 (r + 28, rfc5389 ? ip ^ 0x2112a442 : ip);
  put16 (r + 32, 0x8028);
  put16 (r + 34, 4);
  put32 (r + 36, crc32_ieee (r, 32) ^ 0x5354554e);
  g_socket_send_to (s->socket, from, (const gchar *) r,
      rfc5389 ? 40 : 32, NULL, NULL);
}

static gpointer
stun_thread (gpointer data)
{
  StunResponder *s = data;
  guint8 buf[1500];

  for (;;) {
    GSocketAddress *from = NULL;
    gssize n = g_socket_receive_from (s->socket, &from, (gchar *) buf,
        sizeof (buf), s->cancel, NULL);

    if (n < 0)
      break;
    /* a STUN request: top bits 00, class request */
    if (n >= 20 && (buf[0] & 0xc0) == 0 && (buf[0] & 0x01) == 0
        && (buf[1] & 0x10) == 0) {
      g_mutex_lock (&s->lock);
      s->requests++;
      g_cond_broadcast (&s->cond);
      g_mutex_unlock (&s->lock);
      if (s->answer && buf[0] == 0x00 && buf[1] == 0x01)
        stun_answer (s, buf, from);
    }
    g_clear_object (&from);
  }
  return NULL;
}

StunResponder *
stun_responder_new (gboolean answer)
{
  StunResponder *s = g_new0 (StunResponder, 1);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *sa = g_inet_socket_address_new (lo, 0);
  GSocketAddress *bound;
  GError *err = NULL;

  s->answer = answer;
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &err);
  g_assert_no_error (err);
  g_assert_true (g_socket_bind (s->socket, sa, FALSE, &err));
  g_assert_no_error (err);
  bound = g_socket_get_local_address (s->socket, &err);
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->cancel = g_cancellable_new ();
  s->thread = g_thread_new ("stun-test", stun_thread, s);
  g_object_unref (bound);
  g_object_unref (sa);
  g_object_unref (lo);
  return s;
}

void
stun_responder_free (StunResponder * s)
{
  g_cancellable_cancel (s->cancel);
  g_thread_join (s->thread);
  g_object_unref (s->cancel);
  g_object_unref (s->socket);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

gboolean
stun_responder_wait (StunResponder * s, guint n, gdouble secs)
{
  gint64 end = g_get_monotonic_time () + secs * G_TIME_SPAN_SECOND;
  gboolean ok;

  g_mutex_lock (&s->lock);
  while (s->requests < n && g_cond_wait_until (&s->cond, &s->lock, end));
  ok = s->requests >= n;
  g_mutex_unlock (&s->lock);
  return ok;
}

/* ---------------------------------------------------------------------- */
/* coturn */

static guint
free_udp_port (void)
{
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *sa = g_inet_socket_address_new (lo, 0), *bound;
  guint port;

  g_assert_true (g_socket_bind (s, sa, FALSE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (sa);
  g_object_unref (lo);
  g_object_unref (s);
  return port;
}

/* a Binding request every 100 ms until the server answers */
static gboolean
turn_server_wait_ready (guint port, gdouble secs)
{
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *to = g_inet_socket_address_new (lo, port);
  gint64 end = g_get_monotonic_time () + secs * G_TIME_SPAN_SECOND;
  guint8 req[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };
  gboolean ok = FALSE;
  guint i;

  for (i = 8; i < 20; i++)
    req[i] = g_random_int ();
  while (!ok && g_get_monotonic_time () < end) {
    guint8 buf[512];

    g_socket_send_to (s, to, (const gchar *) req, sizeof (req), NULL, NULL);
    if (g_socket_condition_timed_wait (s, G_IO_IN, 100 * 1000, NULL, NULL))
      ok = g_socket_receive (s, (gchar *) buf, sizeof (buf), NULL, NULL) >= 20
          && buf[0] == 0x01 && buf[1] == 0x01;
  }
  g_object_unref (to);
  g_object_unref (lo);
  g_object_unref (s);
  return ok;
}

#ifdef __linux__
/* a crashing test must not leave a TURN server behind */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}
#endif

TurnServer *
turn_server_start (gchar ** why)
{
  gchar *exe = g_find_program_in_path ("turnserver");
  TurnServer *t;
  guint relay_min = g_random_int_range (20000, 60000);
  gchar *args[32];
  GSubprocessLauncher *launcher;
  GError *err = NULL;
  guint n = 0, i;

  if (!exe) {
    *why = g_strdup ("turnserver (coturn) is not installed");
    return NULL;
  }
  t = g_new0 (TurnServer, 1);
  t->port = free_udp_port ();
  args[n++] = exe;
  args[n++] = g_strdup ("-n");  /* no configuration file */
  args[n++] = g_strdup ("--listening-ip=127.0.0.1");
  args[n++] = g_strdup ("--relay-ip=127.0.0.1");
  args[n++] = g_strdup_printf ("--listening-port=%u", t->port);
  args[n++] = g_strdup_printf ("--min-port=%u", relay_min);
  args[n++] = g_strdup_printf ("--max-port=%u", relay_min + 100);
  args[n++] = g_strdup ("--no-tcp");
  args[n++] = g_strdup ("--no-tls");
  args[n++] = g_strdup ("--no-dtls");
  args[n++] = g_strdup ("--no-tcp-relay");
  args[n++] = g_strdup ("--no-cli");
  args[n++] = g_strdup ("--lt-cred-mech");
  args[n++] = g_strdup ("--user=" TURN_USER ":" TURN_PASS);
  args[n++] = g_strdup ("--realm=rtcpeer.test");
  args[n++] = g_strdup ("--allow-loopback-peers");
  args[n++] = g_strdup ("--log-file=stdout");
  t->pidfile = g_strdup_printf ("%s/rtc-turn-%u.pid", g_get_tmp_dir (),
      t->port);
  args[n++] = g_strdup_printf ("--pidfile=%s", t->pidfile);
  args[n] = NULL;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
      | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
#endif
  t->process = g_subprocess_launcher_spawnv (launcher,
      (const gchar * const *) args, &err);
  g_object_unref (launcher);
  for (i = 0; i < n; i++)
    g_free (args[i]);
  if (!t->process) {
    *why = g_strdup_printf ("turnserver did not start: %s", err->message);
    g_error_free (err);
    g_free (t->pidfile);
    g_free (t);
    return NULL;
  }
  if (!turn_server_wait_ready (t->port, 10)) {
    *why = g_strdup ("turnserver did not answer on 127.0.0.1");
    turn_server_stop (t);
    return NULL;
  }
  return t;
}

void
turn_server_stop (TurnServer * t)
{
  g_subprocess_send_signal (t->process, SIGTERM);
  g_subprocess_wait (t->process, NULL, NULL);
  g_object_unref (t->process);
  g_unlink (t->pidfile);
  g_free (t->pidfile);
  g_free (t);
}
