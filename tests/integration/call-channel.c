/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "call-channel.h"

struct _CallChannel
{
  Call *call;
  GMutex lock;
  GCond cond;
  GObject *channel[2];          /* peer 0's (created), peer 1's (announced) */
  gboolean open[2];
  gchar *got[2];                /* last string received */
};

static void
on_message_string (GObject * channel, const gchar * str, CallChannel * ch)
{
  g_mutex_lock (&ch->lock);
  g_free (ch->got[channel == ch->channel[0] ? 0 : 1]);
  ch->got[channel == ch->channel[0] ? 0 : 1] = g_strdup (str);
  g_cond_broadcast (&ch->cond);
  g_mutex_unlock (&ch->lock);
}

static void
on_open (GObject * channel, CallChannel * ch)
{
  g_mutex_lock (&ch->lock);
  ch->open[channel == ch->channel[0] ? 0 : 1] = TRUE;
  g_cond_broadcast (&ch->cond);
  g_mutex_unlock (&ch->lock);
}

static void
watch (CallChannel * ch, guint i, GObject * channel)
{
  GstWebRTCDataChannelState state;

  g_mutex_lock (&ch->lock);
  ch->channel[i] = g_object_ref (channel);
  g_mutex_unlock (&ch->lock);
  g_signal_connect (channel, "on-open", G_CALLBACK (on_open), ch);
  g_signal_connect (channel, "on-message-string",
      G_CALLBACK (on_message_string), ch);
  /* It may have opened before the handlers were there. */
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    on_open (channel, ch);
}

static void
on_data_channel (GstElement * pc, GObject * channel, CallChannel * ch)
{
  watch (ch, 1, channel);
}

CallChannel *
call_channel_new (Call * call)
{
  CallChannel *ch = g_new0 (CallChannel, 1);
  GObject *channel = NULL;
  guint i;

  ch->call = call;
  g_mutex_init (&ch->lock);
  g_cond_init (&ch->cond);
  for (i = 0; i < 2; i++)
    gst_element_set_state (call->peer[i].pc, GST_STATE_READY);
  g_signal_connect (call->peer[1].pc, "on-data-channel",
      G_CALLBACK (on_data_channel), ch);
  g_signal_emit_by_name (call->peer[0].pc, "create-data-channel", "setup",
      NULL, &channel);
  fail_unless (channel != NULL);
  watch (ch, 0, channel);
  g_object_unref (channel);
  return ch;
}

void
call_channel_free (CallChannel * ch)
{
  guint i;

  g_signal_handlers_disconnect_by_data (ch->call->peer[1].pc, ch);
  for (i = 0; i < 2; i++) {
    if (ch->channel[i]) {
      g_signal_handlers_disconnect_by_data (ch->channel[i], ch);
      g_object_unref (ch->channel[i]);
    }
    g_free (ch->got[i]);
  }
  g_mutex_clear (&ch->lock);
  g_cond_clear (&ch->cond);
  g_free (ch);
}

static gboolean
wait_for_ms (CallChannel * ch, const gchar * expect0, const gchar * expect1,
    guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms *
      G_TIME_SPAN_MILLISECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&ch->lock);
  while (ok && !(ch->open[0] && ch->open[1] &&
          (!expect0 || !g_strcmp0 (ch->got[0], expect0)) &&
          (!expect1 || !g_strcmp0 (ch->got[1], expect1))))
    ok = g_cond_wait_until (&ch->cond, &ch->lock, deadline);
  g_mutex_unlock (&ch->lock);
  return ok;
}

gboolean
call_channel_wait_open (CallChannel * ch, guint timeout_s)
{
  return wait_for_ms (ch, NULL, NULL, timeout_s * 1000);
}

gboolean
call_channel_exchange_ms (CallChannel * ch, const gchar * msg0,
    const gchar * msg1, guint timeout_ms)
{
  if (!wait_for_ms (ch, NULL, NULL, timeout_ms))
    return FALSE;
  g_signal_emit_by_name (ch->channel[0], "send-string", msg0);
  g_signal_emit_by_name (ch->channel[1], "send-string", msg1);
  /* Each end's last string is what the other sent. */
  return wait_for_ms (ch, msg1, msg0, timeout_ms);
}

gboolean
call_channel_exchange (CallChannel * ch, const gchar * msg0,
    const gchar * msg1, guint timeout_s)
{
  return call_channel_exchange_ms (ch, msg0, msg1, timeout_s * 1000);
}

GObject *
call_channel_get (CallChannel * ch, guint i)
{
  GObject *channel;

  g_mutex_lock (&ch->lock);
  channel = ch->channel[i] ? g_object_ref (ch->channel[i]) : NULL;
  g_mutex_unlock (&ch->lock);
  return channel;
}

gchar *
call_channel_describe (CallChannel * ch)
{
  gchar *s;

  g_mutex_lock (&ch->lock);
  s = g_strdup_printf ("channel at peer 0 %s, at peer 1 %s",
      ch->open[0] ? "open" : "not open", ch->open[1] ? "open" : "not open");
  g_mutex_unlock (&ch->lock);
  return s;
}
