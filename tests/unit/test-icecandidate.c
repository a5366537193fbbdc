/* a=candidate parsing (RFC 8839 section 5.1) as browsers and libnice
 * write it, and the malformed ones a peer may trickle. */
#include <string.h>
#include "rtcicecandidate.h"
#include "jsep/rtcsdputil.h"

static void
test_chromium_host_mdns (void)
{
  RtcIceCandidate c;
  GError *error = NULL;

  g_assert_true (rtc_ice_candidate_parse ("candidate:3442447574 1 udp "
          "2122260223 5b3f6c2e-5d0c-4b8f-9c1e-2b6ad2f8e0a1.local 54400 typ host "
          "generation 0 ufrag sZ6o network-id 1", &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.foundation, ==, "3442447574");
  g_assert_cmpuint (c.component, ==, 1);
  g_assert_cmpstr (c.transport, ==, "udp");
  g_assert_cmpuint (c.priority, ==, 2122260223u);
  g_assert_cmpuint (c.port, ==, 54400);
  g_assert_cmpint (c.type, ==, RTC_ICE_CANDIDATE_HOST);
  g_assert_cmpstr (c.ufrag, ==, "sZ6o");
  g_assert_true (rtc_ice_candidate_is_mdns (&c));
  rtc_ice_candidate_clear (&c);
}

static void
test_srflx_with_related (void)
{
  RtcIceCandidate c;

  g_assert_true (rtc_ice_candidate_parse ("a=candidate:842163049 1 UDP "
          "1677729535 203.0.113.7 61665 typ srflx raddr 10.0.0.2 rport 61665",
          &c, NULL));
  g_assert_cmpstr (c.transport, ==, "udp");
  g_assert_cmpint (c.type, ==, RTC_ICE_CANDIDATE_SRFLX);
  g_assert_cmpstr (c.related_address, ==, "10.0.0.2");
  g_assert_cmpuint (c.related_port, ==, 61665);
  g_assert_false (rtc_ice_candidate_is_mdns (&c));
  rtc_ice_candidate_clear (&c);
}

static void
test_libnice_ipv6_tcp (void)
{
  RtcIceCandidate c;

  g_assert_true (rtc_ice_candidate_parse ("1 1 TCP 1015022079 ::1 9 typ host "
          "tcptype active", &c, NULL));
  g_assert_cmpstr (c.address, ==, "::1");
  g_assert_cmpstr (c.tcp_type, ==, "active");
  g_assert_cmpstr (rtc_ice_candidate_type_to_string (c.type), ==, "host");
  rtc_ice_candidate_clear (&c);
}

static void
test_malformed (void)
{
  static const struct
  {
    const gchar *text;
    const gchar *message;
  } bad[] = {
    {"", "expected"},
    {"candidate:1 1 udp 100 127.0.0.1 5000", "expected"},
    {"candidate:1 0 udp 100 127.0.0.1 5000 typ host", "component"},
    {"candidate:1 257 udp 100 127.0.0.1 5000 typ host", "component"},
    {"candidate:1 1 udp 99999999999 127.0.0.1 5000 typ host", "priority"},
    {"candidate:1 1 udp -1 127.0.0.1 5000 typ host", "priority"},
    {"candidate:1 1 udp 100 127.0.0.1 70000 typ host", "port"},
    {"candidate:1 1 udp 100 127.0.0.1 5000 type host", "typ"},
    {"candidate:1 1 udp 100 127.0.0.1 5000 typ bogus", "unknown candidate"},
    {"candidate:f@o 1 udp 100 127.0.0.1 5000 typ host", "foundation"},
    {"candidate:1 1 udp 100 127.0.0.1 5000 typ srflx raddr", "no value"},
    {"candidate:1 1 udp 100 127.0.0.1 5000 typ srflx rport x", "rport"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    RtcIceCandidate c;
    GError *error = NULL;

    g_assert_false (rtc_ice_candidate_parse (bad[i].text, &c, &error));
    g_assert_nonnull (error);
    if (!strstr (error->message, bad[i].message))
      g_error ("'%s': error '%s' does not mention '%s'", bad[i].text,
          error->message, bad[i].message);
    g_assert_null (c.foundation);
    g_error_free (error);
  }
}

/* The line is kept in the remote description and its parts go to
 * libnice: nothing GLib would refuse as a string, nothing unbounded, and
 * the error message stays UTF-8 whatever the peer sent. */
static void
test_refuses_what_glib_would (void)
{
  static const gchar *bad[] = {
    "candidate:1 1 udp 100 127.0.0.1 5000 typ host network-id \xff",
    "candidate:1 1 udp 100 caf\xc3.local 5000 typ host",
    "candidate:1 1 udp 100 127.0.0.1 5000 typ host\r\na=x:1",
    "candidate:1 1 udp 100 127.0.0.1 5000 typ host ufrag a\x01b",
  };
  GString *long_line = g_string_new ("candidate:1 1 udp 100 127.0.0.1 5000 "
      "typ host");
  RtcIceCandidate c;
  GError *error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_assert_false (rtc_ice_candidate_parse (bad[i], &c, &error));
    g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "not UTF-8, or contains "
            "control characters"));
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_null (c.foundation);
    g_clear_error (&error);
  }

  /* An extension value up to the limit is fine, one byte more is not. */
  g_string_append (long_line, " x-pad ");
  while (long_line->len < RTC_ICE_CANDIDATE_MAX_LENGTH)
    g_string_append_c (long_line, 'a');
  g_assert_true (rtc_ice_candidate_parse (long_line->str, &c, &error));
  g_assert_no_error (error);
  rtc_ice_candidate_clear (&c);
  g_string_append_c (long_line, 'a');
  g_assert_false (rtc_ice_candidate_parse (long_line->str, &c, &error));
  g_assert_nonnull (strstr (error->message, "longer than the 2048 bytes "
          "accepted"));
  /* The message quotes the start of the line only. */
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_clear_error (&error);
  g_string_free (long_line, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ice-candidate/refuses-what-glib-would",
      test_refuses_what_glib_would);
  g_test_add_func ("/ice-candidate/chromium-host-mdns", test_chromium_host_mdns);
  g_test_add_func ("/ice-candidate/srflx-related", test_srflx_with_related);
  g_test_add_func ("/ice-candidate/libnice-ipv6-tcp", test_libnice_ipv6_tcp);
  g_test_add_func ("/ice-candidate/malformed", test_malformed);
  return g_test_run ();
}
