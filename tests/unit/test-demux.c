/* RFC 7983 first-byte classification, table-tested at every boundary. */
#include <string.h>
#include "rtcdemux.h"

typedef struct
{
  guint8 first;
  guint8 second;
  gsize len;
  RtcPacketClass expect;
} Case;

static const Case cases[] = {
  {0, 1, 20, RTC_PACKET_STUN},  /* binding request */
  {1, 1, 20, RTC_PACKET_STUN},  /* binding success */
  {3, 0, 20, RTC_PACKET_STUN},
  {0, 1, 19, RTC_PACKET_UNKNOWN},       /* shorter than a STUN header */
  {4, 0, 20, RTC_PACKET_UNKNOWN},
  {15, 0, 20, RTC_PACKET_UNKNOWN},
  {16, 0, 20, RTC_PACKET_ZRTP},
  {19, 0, 20, RTC_PACKET_ZRTP},
  {20, 0xfe, 13, RTC_PACKET_DTLS},      /* change_cipher_spec */
  {22, 0xfe, 100, RTC_PACKET_DTLS},     /* handshake */
  {23, 0xfd, 40, RTC_PACKET_DTLS},      /* application data */
  {63, 0, 13, RTC_PACKET_DTLS},
  {22, 0xfe, 12, RTC_PACKET_UNKNOWN},   /* shorter than a record header */
  {64, 0, 4, RTC_PACKET_TURN_CHANNEL},
  {79, 0, 8, RTC_PACKET_TURN_CHANNEL},
  {80, 0, 20, RTC_PACKET_UNKNOWN},
  {127, 0, 20, RTC_PACKET_UNKNOWN},
  {0x80, 96, 12, RTC_PACKET_RTP},
  {0x80, 96 | 0x80, 100, RTC_PACKET_RTP},       /* marker set */
  {0x90, 111, 40, RTC_PACKET_RTP},      /* extension bit */
  {0x80, 200, 28, RTC_PACKET_RTCP},     /* SR */
  {0x81, 201, 8, RTC_PACKET_RTCP},      /* RR, short packet is fine */
  {0x8f, 206, 12, RTC_PACKET_RTCP},     /* PSFB */
  {0x80, 192, 8, RTC_PACKET_RTCP},
  {0x80, 223, 8, RTC_PACKET_RTCP},
  {0x80, 224, 12, RTC_PACKET_RTP},      /* PT 96 with marker */
  {0x80, 96, 11, RTC_PACKET_UNKNOWN},   /* too short for RTP */
  {0xbf, 191, 12, RTC_PACKET_RTP},
  {0xc0, 0, 20, RTC_PACKET_UNKNOWN},
  {0xff, 0, 20, RTC_PACKET_UNKNOWN},
};

static void
test_table (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    guint8 buf[128];
    RtcPacketClass got;

    memset (buf, 0xab, sizeof (buf));
    buf[0] = cases[i].first;
    buf[1] = cases[i].second;
    got = rtc_demux_classify (buf, cases[i].len);
    if (got != cases[i].expect)
      g_error ("case %u (first byte %u, len %" G_GSIZE_FORMAT "): got %s, "
          "expected %s", i, cases[i].first, cases[i].len,
          rtc_packet_class_name (got), rtc_packet_class_name (cases[i].expect));
  }
}

static void
test_every_first_byte (void)
{
  guint b;

  /* Every first byte falls in exactly the class RFC 7983 gives it. */
  for (b = 0; b < 256; b++) {
    guint8 buf[64] = { 0 };
    RtcPacketClass got, want;

    buf[0] = b;
    buf[1] = 96;
    got = rtc_demux_classify (buf, sizeof (buf));
    if (b <= 3)
      want = RTC_PACKET_STUN;
    else if (b >= 16 && b <= 19)
      want = RTC_PACKET_ZRTP;
    else if (b >= 20 && b <= 63)
      want = RTC_PACKET_DTLS;
    else if (b >= 64 && b <= 79)
      want = RTC_PACKET_TURN_CHANNEL;
    else if (b >= 128 && b <= 191)
      want = RTC_PACKET_RTP;
    else
      want = RTC_PACKET_UNKNOWN;
    g_assert_cmpint (got, ==, want);
  }
}

static void
test_empty (void)
{
  g_assert_cmpint (rtc_demux_classify (NULL, 0), ==, RTC_PACKET_UNKNOWN);
  g_assert_cmpint (rtc_demux_classify ((const guint8 *) "\x80", 0), ==,
      RTC_PACKET_UNKNOWN);
  g_assert_cmpint (rtc_demux_classify ((const guint8 *) "\x80", 1), ==,
      RTC_PACKET_UNKNOWN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demux/table", test_table);
  g_test_add_func ("/demux/every-first-byte", test_every_first_byte);
  g_test_add_func ("/demux/empty", test_empty);
  return g_test_run ();
}
