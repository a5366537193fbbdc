/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* gst-launch-1.0 lines, run as a user runs them: each in a gst-launch-1.0
 * subprocess that must exit 0 by itself (within a bound, after which the
 * test kills its own child) having decoded a number of buffers.
 *
 * Buffers are counted from gst-launch's -v output: every fakesink of the
 * line is made to print its last-message for each buffer it renders
 * (silent=false), so the count is that of decoded frames or audio buffers
 * that reached the end of the pipeline. Every rtcpeerbin of a line gathers
 * on loopback only (ice-addresses=127.0.0.1): a test uses no other
 * interface of the machine.
 *
 * Besides the lines of issue 12, every line of docs/launch.md in a ```sh
 * block is run, each with the minimum count (per fakesink) written in an
 * HTML comment before its block, and the elements it needs beyond the
 * usual plugins: <!-- test: min-buffers=N requires=a,b -->; a line whose
 * elements are not installed is skipped and says so. interrupt=S sends
 * the line SIGINT after S seconds, as Ctrl-C would (for lines run with -e
 * and a live source that never ends). */

#include <gio/gio.h>
#include <signal.h>
#include <gst/check/gstcheck.h>
#include <string.h>

/* A launch line ends within this, or is killed. */
#define LAUNCH_TIMEOUT_S 60

typedef struct
{
  gchar *output;
  gboolean done;
  gboolean timed_out;
  GSubprocess *proc;
} Run;

static void
communicated (GObject * source, GAsyncResult * res, gpointer user_data)
{
  Run *run = user_data;
  GError *error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), res,
          &run->output, NULL, &error)) {
    GST_WARNING ("gst-launch-1.0 output: %s", error->message);
    g_clear_error (&error);
  }
  run->done = TRUE;
}

/* Ctrl-C, as a user stops a live line run with -e. */
static gboolean
interrupt (gpointer user_data)
{
  Run *run = user_data;

  g_subprocess_send_signal (run->proc, SIGINT);
  return G_SOURCE_REMOVE;
}

static gboolean
timed_out (gpointer user_data)
{
  Run *run = user_data;

  run->timed_out = TRUE;
  /* our own child, by its PID */
  g_subprocess_force_exit (run->proc);
  return G_SOURCE_REMOVE;
}

/* The argv of @line with -v, fakesinks that report each buffer and
 * rtcpeerbins on loopback. */
static gchar **
instrument (const gchar * line)
{
  GPtrArray *args = g_ptr_array_new ();
  gchar **argv = NULL;
  GError *error = NULL;
  guint i;

  fail_unless (g_shell_parse_argv (line, NULL, &argv, &error), "%s: %s",
      line, error ? error->message : "");
  fail_unless_equals_string (argv[0], "gst-launch-1.0");
  g_ptr_array_add (args, g_strdup (argv[0]));
  g_ptr_array_add (args, g_strdup ("-v"));
  for (i = 1; argv[i]; i++) {
    g_ptr_array_add (args, g_strdup (argv[i]));
    if (strcmp (argv[i], "fakesink") == 0)
      g_ptr_array_add (args, g_strdup ("silent=false"));
    else if (strcmp (argv[i], "rtcpeerbin") == 0)
      g_ptr_array_add (args, g_strdup ("ice-addresses=127.0.0.1"));
  }
  g_ptr_array_add (args, NULL);
  g_strfreev (argv);
  return (gchar **) g_ptr_array_free (args, FALSE);
}

/* Buffers that reached each fakesink: name -> count. */
static GHashTable *
count_buffers (const gchar * output)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  gchar **lines = g_strsplit (output ? output : "", "\n", -1);
  guint i;

  for (i = 0; lines[i]; i++) {
    const gchar *name = strstr (lines[i], "GstFakeSink:");
    const gchar *end;

    if (!name || !strstr (lines[i], ": last-message = chain"))
      continue;
    name += strlen ("GstFakeSink:");
    if (!(end = strchr (name, ':')))
      continue;
    {
      gchar *key = g_strndup (name, end - name);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      g_hash_table_replace (counts, key, GUINT_TO_POINTER (n + 1));
    }
  }
  g_strfreev (lines);
  return counts;
}

/* The most retransmission requests any RTP session of the line reported
 * having received (its -v output prints rtpsession stats). */
static guint
max_rtx_requests (const gchar * output)
{
  const gchar *key = "recv-rtx-req-count=(uint)";
  const gchar *p = output;
  guint most = 0;

  while (p && (p = strstr (p, key))) {
    p += strlen (key);
    most = MAX (most, (guint) g_ascii_strtoull (p, NULL, 10));
  }
  return most;
}

/* Runs @line; fails unless it exits 0 by itself (after SIGINT at
 * @interrupt_s seconds when not 0) with at least @min_buffers buffers
 * rendered by each of its fakesinks. */
static void
run_line (const gchar * line, guint min_buffers, guint interrupt_s)
{
  gchar **argv = instrument (line);
  GSubprocessLauncher *launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_MERGE);
  GError *error = NULL;
  Run run = { NULL, FALSE, FALSE, NULL };
  GSource *timeout, *ctrl_c = NULL;
  GHashTable *counts;
  GHashTableIter iter;
  gpointer key, value;
  guint i, sinks = 0, least = G_MAXUINT;
  gint64 start = g_get_monotonic_time ();

  for (i = 0; argv[i]; i++)
    sinks += strcmp (argv[i], "fakesink") == 0;
  GST_INFO ("running: %s", line);
  run.proc = g_subprocess_launcher_spawnv (launcher,
      (const gchar * const *) argv, &error);
  fail_unless (run.proc != NULL, "%s: %s", line,
      error ? error->message : "");
  g_subprocess_communicate_utf8_async (run.proc, NULL, NULL, communicated,
      &run);
  timeout = g_timeout_source_new_seconds (LAUNCH_TIMEOUT_S);
  g_source_set_callback (timeout, timed_out, &run, NULL);
  g_source_attach (timeout, NULL);
  if (interrupt_s) {
    ctrl_c = g_timeout_source_new_seconds (interrupt_s);
    g_source_set_callback (ctrl_c, interrupt, &run, NULL);
    g_source_attach (ctrl_c, NULL);
  }
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  if (ctrl_c) {
    g_source_destroy (ctrl_c);
    g_source_unref (ctrl_c);
  }
  /* the output ends when the child has closed it; its status follows */
  g_subprocess_wait (run.proc, NULL, NULL);

  counts = count_buffers (run.output);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    GST_INFO ("%s: %u buffers", (gchar *) key, GPOINTER_TO_UINT (value));
    least = MIN (least, GPOINTER_TO_UINT (value));
  }
  if (g_hash_table_size (counts) < sinks)
    least = 0;
  GST_INFO ("%u fakesinks, at least %u buffers each, in %" G_GINT64_FORMAT
      " ms", sinks, least, (g_get_monotonic_time () - start) / 1000);
  if (run.timed_out || !g_subprocess_get_if_exited (run.proc)
      || g_subprocess_get_exit_status (run.proc) != 0 || least < min_buffers)
    g_printerr ("--- %s\n%s\n---\n", line, run.output ? run.output : "");
  fail_if (run.timed_out, "%s did not end within %d s", line,
      LAUNCH_TIMEOUT_S);
  fail_unless (g_subprocess_get_if_exited (run.proc), "%s was killed", line);
  fail_unless_equals_int (g_subprocess_get_exit_status (run.proc), 0);
  fail_unless (sinks > 0 && least >= min_buffers, "%s: a fakesink rendered "
      "%u buffers, expected at least %u", line, least, min_buffers);
  /* A loopback path loses next to nothing: a receiver that asks for
   * thousands of packets is guessing, not repairing (the jitterbuffer's
   * rtx-next-seqnum once did that to every video line). */
  fail_unless (max_rtx_requests (run.output) < 500, "%s: a sender got %u "
      "retransmission requests", line, max_rtx_requests (run.output));

  g_hash_table_unref (counts);
  g_free (run.output);
  g_object_unref (run.proc);
  g_object_unref (launcher);
  g_strfreev (argv);
}

static gboolean
have (const gchar * factory)
{
  GstElementFactory *f = gst_element_factory_find (factory);

  if (!f)
    return FALSE;
  gst_object_unref (f);
  return TRUE;
}

/* The line of issue 12, as it is written there. */
GST_START_TEST (test_peer_vp8)
{
  run_line ("gst-launch-1.0 -e videotestsrc num-buffers=300 ! vp8enc ! "
      "rtcpeerbin name=a  rtcpeerbin peer=a ! decodebin ! fakesink", 150, 0);
}

GST_END_TEST;

GST_START_TEST (test_peer_h264_x264)
{
  if (!have ("x264enc") || !have ("avdec_h264")) {
    g_print ("SKIP test_peer_h264_x264: needs x264enc and avdec_h264\n");
    return;
  }
  run_line ("gst-launch-1.0 -e videotestsrc num-buffers=300 ! x264enc ! "
      "rtcpeerbin name=a  rtcpeerbin peer=a ! decodebin ! fakesink", 150, 0);
}

GST_END_TEST;

/* In-process: runs @desc to its end; returns the bus message that ended
 * it (EOS or error), bounded by LAUNCH_TIMEOUT_S. */
static GstMessage *
run_in_process (const gchar * desc, GstStateChangeReturn * first)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL, "%s: %s", desc, error ? error->message : "");
  bus = gst_element_get_bus (pipeline);
  *first = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, LAUNCH_TIMEOUT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s: neither EOS nor an error", desc);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  return msg;
}

/* A peer that is not in the pipeline is an error, not a hang. */
GST_START_TEST (test_peer_missing)
{
  GstStateChangeReturn ret;
  GstMessage *msg = run_in_process ("rtcpeerbin peer=nope ! fakesink", &ret);
  GError *error = NULL;

  fail_unless_equals_int (ret, GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, NULL);
  fail_unless (strstr (error->message, "'nope'") != NULL, "%s",
      error->message);
  g_error_free (error);
  gst_message_unref (msg);
}

GST_END_TEST;

/* Two bins that name each other make one link (the first name links),
 * not two racing offers. */
GST_START_TEST (test_peer_mutual)
{
  GstStateChangeReturn ret;
  GstMessage *msg = run_in_process ("videotestsrc num-buffers=60 ! "
      "vp8enc deadline=1 ! rtcpeerbin name=a peer=b "
      "ice-addresses=127.0.0.1  rtcpeerbin name=b peer=a "
      "ice-addresses=127.0.0.1 ! decodebin ! fakesink", &ret);

  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
}

GST_END_TEST;

/* Every line of the cookbook. */
GST_START_TEST (test_cookbook)
{
  const gchar *dir = g_getenv ("RTC_DOCS_DIR");
  gchar *path, *text = NULL, **lines;
  guint i, min = 1, ran = 0, interrupt_s = 0;
  gboolean in_sh = FALSE;
  GString *line = NULL;
  gchar *missing = NULL;

  fail_unless (dir != NULL, "RTC_DOCS_DIR is not set");
  path = g_build_filename (dir, "launch.md", NULL);
  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "no %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    const gchar *l = lines[i];

    if (g_str_has_prefix (l, "<!-- test: min-buffers=")) {
      const gchar *req = strstr (l, "requires=");
      const gchar *intr = strstr (l, "interrupt=");

      min = atoi (l + strlen ("<!-- test: min-buffers="));
      interrupt_s = intr ? atoi (intr + strlen ("interrupt=")) : 0;
      g_clear_pointer (&missing, g_free);
      if (req) {
        gchar *list = g_strndup (req + strlen ("requires="),
            strcspn (req + strlen ("requires="), " -"));
        gchar **names = g_strsplit (list, ",", -1);
        guint k;

        for (k = 0; names[k] && !missing; k++) {
          if (!have (names[k]))
            missing = g_strdup (names[k]);
        }
        g_strfreev (names);
        g_free (list);
      }
    } else if (g_str_has_prefix (l, "```sh")) {
      in_sh = TRUE;
    } else if (g_str_has_prefix (l, "```")) {
      in_sh = FALSE;
    } else if (in_sh && (line || g_str_has_prefix (l, "gst-launch-1.0 "))) {
      /* a line continued with a backslash */
      gsize len = strlen (l);
      gboolean more = len > 0 && l[len - 1] == '\\';

      if (!line)
        line = g_string_new (NULL);
      g_string_append_len (line, l, more ? len - 1 : len);
      if (!more) {
        gchar *cmd = g_string_free (line, FALSE);

        line = NULL;
        if (missing) {
          /* the cookbook names the plugins a line needs */
          g_print ("SKIP %s: no %s here\n", cmd, missing);
        } else {
          run_line (cmd, min, interrupt_s);
          ran++;
        }
        g_free (cmd);
      }
    }
  }
  fail_unless (ran >= 3, "only %u lines in %s", ran, path);
  g_free (missing);
  g_strfreev (lines);
  g_free (text);
  g_free (path);
}

GST_END_TEST;

static Suite *
launch_suite (void)
{
  Suite *s = suite_create ("launch");
  TCase *tc = tcase_create ("launch");

  /* several launch lines of a few seconds each */
  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_peer_missing);
  tcase_add_test (tc, test_peer_mutual);
  tcase_add_test (tc, test_peer_vp8);
  tcase_add_test (tc, test_peer_h264_x264);
  tcase_add_test (tc, test_cookbook);
  return s;
}

GST_CHECK_MAIN (launch);
