/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DCEP codec (RFC 8832 section 5) against bytes written out by hand
 * from the RFC's figures, round trips of every channel type, and every
 * way a message can be malformed. */

#include <string.h>

#include "sctp/rtcdcep.h"

static void
assert_bytes (const guint8 * got, gsize got_len, const guint8 * expect,
    gsize expect_len)
{
  if (got_len != expect_len || memcmp (got, expect, expect_len) != 0) {
    GString *s = g_string_new ("got ");
    gsize i;

    for (i = 0; i < got_len; i++)
      g_string_append_printf (s, "%02x ", got[i]);
    g_string_append (s, "\nexpected ");
    for (i = 0; i < expect_len; i++)
      g_string_append_printf (s, "%02x ", expect[i]);
    g_error ("%s", s->str);
  }
}

/* RFC 8832 section 5.1, field by field. */
static const guint8 open_chat[] = {
  0x03,                         /* Message Type: DATA_CHANNEL_OPEN */
  0x00,                         /* Channel Type: DATA_CHANNEL_RELIABLE */
  0x01, 0x00,                   /* Priority: 256 */
  0x00, 0x00, 0x00, 0x00,       /* Reliability Parameter: 0 */
  0x00, 0x04,                   /* Label Length: 4 */
  0x00, 0x00,                   /* Protocol Length: 0 */
  'c', 'h', 'a', 't',           /* Label */
};

static void
test_open_known_answer (void)
{
  RtcDcepOpen open = { 0, };
  g_auto (RtcDcepMessage) msg = { 0, };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  guint8 buf[64];
  gsize n;

  open.channel_type = RTC_DCEP_CHANNEL_RELIABLE;
  open.priority = 256;
  open.label = (gchar *) "chat";
  open.label_len = 4;
  open.protocol = (gchar *) "";
  open.protocol_len = 0;

  g_assert_cmpuint (rtc_dcep_open_size (&open), ==, sizeof (open_chat));
  memset (buf, 0xee, sizeof (buf));
  n = rtc_dcep_write_open (&open, buf, sizeof (buf));
  assert_bytes (buf, n, open_chat, sizeof (open_chat));
  /* Nothing written past the message. */
  g_assert_cmpuint (buf[n], ==, 0xee);

  bytes = rtc_dcep_build_open (&open);
  g_assert_nonnull (bytes);
  assert_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
      open_chat, sizeof (open_chat));

  g_assert_true (rtc_dcep_parse (open_chat, sizeof (open_chat), &msg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (msg.type, ==, RTC_DCEP_MESSAGE_OPEN);
  g_assert_cmpint (msg.open.channel_type, ==, RTC_DCEP_CHANNEL_RELIABLE);
  g_assert_cmpuint (msg.open.priority, ==, 256);
  g_assert_cmpuint (msg.open.reliability, ==, 0);
  g_assert_cmpstr (msg.open.label, ==, "chat");
  g_assert_cmpuint (msg.open.label_len, ==, 4);
  g_assert_cmpstr (msg.open.protocol, ==, "");
  g_assert_cmpuint (msg.open.protocol_len, ==, 0);
}

/* A second layout check with every field non-zero and multi-byte values
 * whose byte order shows. */
static void
test_open_known_answer_partial (void)
{
  static const guint8 expect[] = {
    0x03,
    0x82,                       /* PARTIAL_RELIABLE_TIMED_UNORDERED */
    0x04, 0x00,                 /* Priority: 1024 */
    0x00, 0x01, 0x02, 0x03,     /* Reliability: 66051 ms */
    0x00, 0x02,                 /* Label Length: 2 */
    0x00, 0x03,                 /* Protocol Length: 3 */
    'l', '1',
    'p', 'r', 'o',
  };
  RtcDcepOpen open = { 0, };
  g_auto (RtcDcepMessage) msg = { 0, };
  guint8 buf[sizeof (expect)];

  open.channel_type = RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED;
  open.priority = 1024;
  open.reliability = 0x00010203;
  open.label = (gchar *) "l1";
  open.label_len = 2;
  open.protocol = (gchar *) "pro";
  open.protocol_len = 3;
  assert_bytes (buf, rtc_dcep_write_open (&open, buf, sizeof (buf)), expect,
      sizeof (expect));

  g_assert_true (rtc_dcep_parse (expect, sizeof (expect), &msg, NULL));
  g_assert_cmpint (msg.open.channel_type, ==,
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED);
  g_assert_cmpuint (msg.open.priority, ==, 1024);
  g_assert_cmpuint (msg.open.reliability, ==, 0x00010203);
  g_assert_cmpstr (msg.open.label, ==, "l1");
  g_assert_cmpstr (msg.open.protocol, ==, "pro");
}

static void
test_ack_known_answer (void)
{
  static const guint8 expect[] = { 0x02 };
  static const guint8 ack_with_extra[] = { 0x02, 0x00 };
  g_auto (RtcDcepMessage) msg = { 0, };
  g_autoptr (GBytes) bytes = rtc_dcep_build_ack ();
  g_autoptr (GError) error = NULL;
  guint8 buf[4] = { 0xee, 0xee, 0xee, 0xee };

  g_assert_cmpuint (rtc_dcep_write_ack (buf, sizeof (buf)), ==, 1);
  assert_bytes (buf, 1, expect, 1);
  g_assert_cmpuint (buf[1], ==, 0xee);
  g_assert_cmpuint (rtc_dcep_write_ack (buf, 0), ==, 0);
  assert_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
      expect, 1);

  g_assert_true (rtc_dcep_parse (expect, 1, &msg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (msg.type, ==, RTC_DCEP_MESSAGE_ACK);
  rtc_dcep_message_clear (&msg);

  /* Nothing in an ACK can be misread, so extra bytes are tolerated. */
  g_assert_true (rtc_dcep_parse (ack_with_extra, 2, &msg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (msg.type, ==, RTC_DCEP_MESSAGE_ACK);
}

typedef struct
{
  const gchar *name;
  RtcDcepChannelType type;
  guint32 reliability;
  gboolean ordered;
  gint max_retransmits;
  gint max_packet_lifetime;
} TypeCase;

static const TypeCase type_cases[] = {
  {"reliable", RTC_DCEP_CHANNEL_RELIABLE, 0, TRUE, -1, -1},
  {"partial-reliable-rexmit", RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT, 3,
      TRUE, 3, -1},
  {"partial-reliable-timed", RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED, 1500,
      TRUE, -1, 1500},
  {"reliable-unordered", RTC_DCEP_CHANNEL_RELIABLE_UNORDERED, 0, FALSE, -1,
      -1},
  {"partial-reliable-rexmit-unordered",
      RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED, 0, FALSE, 0, -1},
  {"partial-reliable-timed-unordered",
        RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED, 65535, FALSE, -1,
      65535},
};

/* options -> (type, reliability) -> bytes -> parse -> options. */
static void
check_round_trip (gconstpointer data)
{
  const TypeCase *c = data;
  static const gchar label[] = "caf\xc3\xa9 \xe2\x98\x95";      /* UTF-8 */
  RtcDcepChannelType type;
  guint32 reliability;
  RtcDcepOpen open = { 0, };
  g_auto (RtcDcepMessage) msg = { 0, };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gboolean ordered;
  gint rexmit, lifetime;

  g_assert_true (rtc_dcep_channel_type_from_options (c->ordered,
          c->max_retransmits, c->max_packet_lifetime, &type, &reliability,
          &error));
  g_assert_no_error (error);
  g_assert_cmphex (type, ==, c->type);
  g_assert_cmpuint (reliability, ==, c->reliability);
  g_assert_true (rtc_dcep_channel_type_is_valid (type));
  g_assert_cmpstr (rtc_dcep_channel_type_name (type), !=, "unknown");

  open.channel_type = type;
  open.priority = 512;
  open.reliability = reliability;
  open.label = (gchar *) label;
  open.label_len = strlen (label);
  open.protocol = (gchar *) "x-proto";
  open.protocol_len = 7;
  bytes = rtc_dcep_build_open (&open);
  g_assert_nonnull (bytes);
  g_assert_cmphex (((const guint8 *) g_bytes_get_data (bytes, NULL))[1], ==,
      c->type);

  g_assert_true (rtc_dcep_parse (g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), &msg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (msg.type, ==, RTC_DCEP_MESSAGE_OPEN);
  g_assert_cmphex (msg.open.channel_type, ==, c->type);
  g_assert_cmpuint (msg.open.priority, ==, 512);
  g_assert_cmpuint (msg.open.reliability, ==, c->reliability);
  g_assert_cmpstr (msg.open.label, ==, label);
  g_assert_cmpstr (msg.open.protocol, ==, "x-proto");

  rtc_dcep_channel_type_to_options (msg.open.channel_type,
      msg.open.reliability, &ordered, &rexmit, &lifetime);
  g_assert_cmpint (ordered, ==, c->ordered);
  g_assert_cmpint (rexmit, ==, c->max_retransmits);
  g_assert_cmpint (lifetime, ==, c->max_packet_lifetime);
}

/* RFC 8832 section 5.1: reliable channels send 0 and ignore the field. */
static void
test_reliable_ignores_reliability (void)
{
  static const guint8 in[] = {
    0x03, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
  };
  RtcDcepOpen open = { 0, };
  g_auto (RtcDcepMessage) msg = { 0, };
  guint8 buf[RTC_DCEP_OPEN_HEADER_LEN];

  g_assert_true (rtc_dcep_parse (in, sizeof (in), &msg, NULL));
  g_assert_cmphex (msg.open.channel_type, ==,
      RTC_DCEP_CHANNEL_RELIABLE_UNORDERED);
  g_assert_cmpuint (msg.open.reliability, ==, 0);
  g_assert_cmpstr (msg.open.label, ==, "");

  open.channel_type = RTC_DCEP_CHANNEL_RELIABLE;
  open.reliability = 42;
  g_assert_cmpuint (rtc_dcep_write_open (&open, buf, sizeof (buf)), ==,
      RTC_DCEP_OPEN_HEADER_LEN);
  g_assert_cmpuint (buf[4] | buf[5] | buf[6] | buf[7], ==, 0);
}

static void
test_options_both_set (void)
{
  g_autoptr (GError) error = NULL;
  RtcDcepChannelType type = 0x7f;

  g_assert_false (rtc_dcep_channel_type_from_options (TRUE, 1, 1, &type,
          NULL, &error));
  g_assert_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_INVALID_OPTIONS);
  g_assert_nonnull (strstr (error->message, "both"));
  g_assert_cmphex (type, ==, 0x7f);
  g_clear_error (&error);

  g_assert_false (rtc_dcep_channel_type_from_options (TRUE, -2, -1, NULL,
          NULL, &error));
  g_assert_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_INVALID_OPTIONS);
}

/* Values that do not fit a gint clamp instead of turning negative (which
 * would read as "not set"). */
static void
test_options_clamp (void)
{
  gint rexmit, lifetime;

  rtc_dcep_channel_type_to_options (RTC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT,
      G_MAXUINT32, NULL, &rexmit, &lifetime);
  g_assert_cmpint (rexmit, ==, G_MAXINT);
  g_assert_cmpint (lifetime, ==, -1);
}

static void
test_write_limits (void)
{
  RtcDcepOpen open = { 0, };
  guint8 buf[sizeof (open_chat)];
  gchar *big;

  open.channel_type = RTC_DCEP_CHANNEL_RELIABLE;
  open.priority = 256;
  open.label = (gchar *) "chat";
  open.label_len = 4;

  /* One byte short: nothing written. */
  memset (buf, 0xee, sizeof (buf));
  g_assert_cmpuint (rtc_dcep_write_open (&open, buf, sizeof (buf) - 1), ==, 0);
  g_assert_cmpuint (buf[0], ==, 0xee);
  g_assert_cmpuint (rtc_dcep_write_open (&open, buf, sizeof (buf)), ==,
      sizeof (buf));

  /* The length fields are 16 bits. */
  big = g_malloc0 (G_MAXUINT16 + 1);
  open.label = big;
  open.label_len = G_MAXUINT16 + 1;
  g_assert_cmpuint (rtc_dcep_open_size (&open), ==, 0);
  g_assert_null (rtc_dcep_build_open (&open));
  open.label_len = G_MAXUINT16;
  g_assert_cmpuint (rtc_dcep_open_size (&open), ==,
      RTC_DCEP_OPEN_HEADER_LEN + G_MAXUINT16);
  g_free (big);

  open.label = (gchar *) "chat";
  open.label_len = 4;
  open.channel_type = 0x05;
  g_assert_cmpuint (rtc_dcep_open_size (&open), ==, 0);
}

/* A NUL inside the label survives, and the copy is still terminated. */
static void
test_label_with_nul (void)
{
  static const guint8 in[] = {
    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01,
    'a', 0x00, 'b', 0xff,
  };
  g_auto (RtcDcepMessage) msg = { 0, };

  g_assert_true (rtc_dcep_parse (in, sizeof (in), &msg, NULL));
  g_assert_cmpuint (msg.open.label_len, ==, 3);
  g_assert_cmpmem (msg.open.label, 3, "a\0b", 3);
  g_assert_cmpint (msg.open.label[3], ==, '\0');
  g_assert_cmpuint (msg.open.protocol_len, ==, 1);
  g_assert_cmpuint ((guint8) msg.open.protocol[0], ==, 0xff);
  g_assert_cmpint (msg.open.protocol[1], ==, '\0');
}

typedef struct
{
  const gchar *name;
  const guint8 *data;
  gsize len;
  gint code;
  const gchar *mentions;        /* the field the message must name */
} BadCase;

static const guint8 bad_unknown_type[] = { 0x07, 0x00 };

static const guint8 bad_short_header[] = {
  0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const guint8 bad_label_len[] = {
  0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00,
  'c', 'h', 'a', 't',
};

static const guint8 bad_protocol_len[] = {
  0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02,
  'c', 'h', 'a', 't', 'p',
};

static const guint8 bad_channel_type[] = {
  0x03, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
  'c', 'h', 'a', 't',
};

static const guint8 bad_trailing[] = {
  0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
  'c', 'h', 'a', 't', '!',
};
static const guint8 bad_reserved_type[] = { 0xff };

static const BadCase bad_cases[] = {
  {"empty", (const guint8 *) "", 0, RTC_DCEP_ERROR_TRUNCATED, "empty"},
  {"unknown-message-type-0x07", bad_unknown_type, sizeof (bad_unknown_type),
      RTC_DCEP_ERROR_UNKNOWN_MESSAGE_TYPE, "message type 0x07"},
  {"reserved-message-type-0xff", bad_reserved_type,
        sizeof (bad_reserved_type), RTC_DCEP_ERROR_UNKNOWN_MESSAGE_TYPE,
      "message type 0xff"},
  {"truncated-header", bad_short_header, sizeof (bad_short_header),
      RTC_DCEP_ERROR_TRUNCATED, "header truncated: 11 bytes"},
  {"label-past-end", bad_label_len, sizeof (bad_label_len),
      RTC_DCEP_ERROR_TRUNCATED, "label length 10"},
  {"protocol-past-end", bad_protocol_len, sizeof (bad_protocol_len),
      RTC_DCEP_ERROR_TRUNCATED, "protocol length 2"},
  {"unknown-channel-type-0x05", bad_channel_type, sizeof (bad_channel_type),
      RTC_DCEP_ERROR_UNKNOWN_CHANNEL_TYPE, "channel type 0x05"},
  {"trailing-bytes", bad_trailing, sizeof (bad_trailing),
      RTC_DCEP_ERROR_TRAILING_DATA, "1 bytes after the label"},
};

static void
check_malformed (gconstpointer data)
{
  const BadCase *c = data;
  RtcDcepMessage msg;
  g_autoptr (GError) error = NULL;

  memset (&msg, 0xab, sizeof (msg));
  g_assert_false (rtc_dcep_parse (c->data, c->len, &msg, &error));
  g_assert_error (error, RTC_DCEP_ERROR, c->code);
  if (strstr (error->message, c->mentions) == NULL)
    g_error ("error \"%s\" does not mention \"%s\"", error->message,
        c->mentions);
  /* Left zeroed, so clearing it is harmless. */
  g_assert_null (msg.open.label);
  g_assert_null (msg.open.protocol);
  rtc_dcep_message_clear (&msg);
}

/* Every strict prefix of a valid OPEN is refused as truncated, never read
 * past (ASan checks the "never" part on the heap copies). */
static void
test_every_prefix_truncated (void)
{
  gsize n;

  for (n = 0; n < sizeof (open_chat); n++) {
    guint8 *copy = g_memdup2 (open_chat, n);
    RtcDcepMessage msg;
    GError *error = NULL;

    g_assert_false (rtc_dcep_parse (copy, n, &msg, &error));
    g_assert_error (error, RTC_DCEP_ERROR, RTC_DCEP_ERROR_TRUNCATED);
    g_error_free (error);
    g_free (copy);
  }
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dcep/open/known-answer-rfc8832-5.1",
      test_open_known_answer);
  g_test_add_func ("/dcep/open/known-answer-partial-timed",
      test_open_known_answer_partial);
  g_test_add_func ("/dcep/ack/known-answer-rfc8832-5.2", test_ack_known_answer);
  for (i = 0; i < G_N_ELEMENTS (type_cases); i++) {
    gchar *path = g_strdup_printf ("/dcep/open/round-trip/%s",
        type_cases[i].name);

    g_test_add_data_func (path, &type_cases[i], check_round_trip);
    g_free (path);
  }
  g_test_add_func ("/dcep/open/reliable-ignores-reliability",
      test_reliable_ignores_reliability);
  g_test_add_func ("/dcep/open/label-with-nul", test_label_with_nul);
  g_test_add_func ("/dcep/options/both-set", test_options_both_set);
  g_test_add_func ("/dcep/options/clamp", test_options_clamp);
  g_test_add_func ("/dcep/write/limits", test_write_limits);
  for (i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
    gchar *path = g_strdup_printf ("/dcep/malformed/%s", bad_cases[i].name);

    g_test_add_data_func (path, &bad_cases[i], check_malformed);
    g_free (path);
  }
  g_test_add_func ("/dcep/malformed/every-prefix-truncated",
      test_every_prefix_truncated);

  return g_test_run ();
}
