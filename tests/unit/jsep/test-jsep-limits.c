/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* What a peer's description can do to us: nothing it writes may grow
 * memory that outlives the description (fmtp names never become GLib
 * quarks), no value GLib refuses may reach a structure even when
 * validation is bypassed (GLib warns, which gst-check and many
 * applications make fatal; this program does too), and every list the
 * peer controls stops at a limit, with an error that names it. */

#include <string.h>

#include "jsep/rtcjsep-answer.h"
#include "jsep/rtcjsep-validate.h"

#define FINGERPRINT "sha-256 7A:1C:3E:90:5B:D2:44:F8:0E:6A:B3:29:C7:51:8D:" \
  "FE:02:9B:6C:E4:13:A7:58:D0:3F:82:C9:1E:64:B5:07:AA"

static GString *
offer_head (void)
{
  return g_string_new ("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
}

/* A video section with its own transport, payload types @formats, and
 * @extra (whole lines) after the usual attributes. */
static void
add_section (GString * sdp, guint mid, const gchar * formats,
    const gchar * extra)
{
  g_string_append_printf (sdp, "m=video 9 UDP/TLS/RTP/SAVPF %s\r\n"
      "c=IN IP4 0.0.0.0\r\n"
      "a=ice-ufrag:Zq7n\r\n"
      "a=ice-pwd:Hf3kP9sWc2LmQx8VrT6yBd0J\r\n"
      "a=fingerprint:" FINGERPRINT "\r\n"
      "a=setup:actpass\r\n" "a=mid:%u\r\n" "a=rtcp-mux\r\n" "%s", formats,
      mid, extra);
}

/* Parsed by GstSDP directly, as an application that hands us a
 * GstWebRTCSessionDescription does. */
static GstSDPMessage *
parse (const GString * sdp)
{
  GstSDPMessage *msg;

  gst_sdp_message_new (&msg);
  g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *) sdp->str,
          sdp->len, msg), ==, GST_SDP_OK);
  return msg;
}

static void
expect_valid (const GString * sdp)
{
  GstSDPMessage *msg = parse (sdp);
  GError *error = NULL;

  if (!rtc_jsep_validate_description (msg, GST_WEBRTC_SDP_TYPE_OFFER,
          RTC_SDP_SOURCE_REMOTE, NULL, &error))
    g_error ("refused: %s", error->message);
  gst_sdp_message_free (msg);
}

static void
expect_refused (const GString * sdp, const gchar * expect)
{
  GstSDPMessage *msg = parse (sdp);
  GError *error = NULL;

  g_assert_false (rtc_jsep_validate_description (msg,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_REMOTE, NULL, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_test_message ("%s", error->message);
  if (strstr (error->message, expect) == NULL)
    g_error ("'%s' does not contain '%s'", error->message, expect);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);
  gst_sdp_message_free (msg);
}

#define FIRST_PT 35
#define N_PTS (128 - FIRST_PT)
#define NAMES_PER_PT 60

static gchar *
unique_name (guint pt, guint i)
{
  return g_strdup_printf ("rtcpeer-test-unique-%u-%u", pt, i);
}

/* Each fmtp parameter name used to become a caps field, and so a quark
 * for the life of the process: 200 000 names from a peer kept about
 * 150 MB. Here 93 payload types with 60 unique names each, all within
 * the limits a description is checked against. */
static void
test_fmtp_names_not_quarks (void)
{
  GString *sdp = offer_head (), *extra = g_string_new (NULL);
  GString *formats = g_string_new (NULL);
  GstWebRTCSessionDescription *desc;
  GArray *codecs = rtc_codec_array_new ();
  GError *error = NULL;
  guint pt, i, max_fields = 0;

  for (pt = FIRST_PT; pt < 128; pt++) {
    g_string_append_printf (formats, "%s%u", formats->len ? " " : "", pt);
    g_string_append_printf (extra, "a=rtpmap:%u H264/90000\r\n"
        "a=fmtp:%u packetization-mode=1;profile-level-id=42e01f", pt, pt);
    for (i = 0; i < NAMES_PER_PT; i++) {
      gchar *name = unique_name (pt, i);

      g_string_append_printf (extra, ";%s=%u", name, i);
      g_free (name);
    }
    g_string_append (extra, "\r\n");
  }
  add_section (sdp, 0, formats->str, extra->str);

  /* Nothing made them quarks so far. */
  for (pt = FIRST_PT; pt < 128; pt += 23) {
    gchar *name = unique_name (pt, 7);

    g_assert_cmpuint (g_quark_try_string (name), ==, 0);
    g_free (name);
  }

  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_OFFER, sdp->str,
      &error);
  g_assert_no_error (error);
  /* Unknown parameters are the codec's business, not an error. */
  g_assert_true (rtc_jsep_validate_description (desc->sdp,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_REMOTE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rtc_sdp_media_get_codecs (desc->sdp, 0, codecs, &error));
  g_assert_cmpuint (codecs->len, ==, N_PTS);

  /* What rtcpeerbin hands rtpbin for every remote payload type. */
  for (i = 0; i < codecs->len; i++) {
    GstCaps *caps = rtc_codec_to_caps (&g_array_index (codecs, RtcCodec, i),
        RTC_MEDIA_KIND_VIDEO);
    GstStructure *s;

    g_assert_nonnull (caps);
    s = gst_caps_get_structure (caps, 0);
    /* The parameters depayloaders and applications read are there. */
    g_assert_cmpstr (gst_structure_get_string (s, "packetization-mode"), ==,
        "1");
    g_assert_cmpstr (gst_structure_get_string (s, "profile-level-id"), ==,
        "42e01f");
    max_fields = MAX (max_fields, (guint) gst_structure_n_fields (s));
    gst_caps_unref (caps);
  }

  for (pt = FIRST_PT; pt < 128; pt++) {
    for (i = 0; i < NAMES_PER_PT; i++) {
      gchar *name = unique_name (pt, i);

      if (g_quark_try_string (name) != 0)
        g_error ("the peer's fmtp name '%s' became a quark", name);
      g_free (name);
    }
  }
  /* Nor a caps field of any other name. */
  g_assert_cmpuint (max_fields, <, 16);

  g_array_unref (codecs);
  gst_webrtc_session_description_free (desc);
  g_string_free (formats, TRUE);
  g_string_free (extra, TRUE);
  g_string_free (sdp, TRUE);
}

static void
test_known_fmtp_params (void)
{
  static const gchar *known[] = {
    "packetization-mode", "PROFILE-LEVEL-ID", "sprop-parameter-sets",
    "level-asymmetry-allowed", "profile-id", "max-fr", "max-fs",
    "useinbandfec", "stereo", "sprop-stereo", "maxplaybackrate", "minptime",
    "apt", "repair-window", "x-google-start-bitrate", "num_streams",
  };
  static const gchar *unknown[] = {
    "clock-rate", "payload", "media", "encoding-name", "", "x-google",
    "rtcp-fb-nack", "0-15", "profile-level-id-and-more",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (known); i++)
    g_assert_true (rtc_codec_fmtp_param_is_known (known[i]));
  for (i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_false (rtc_codec_fmtp_param_is_known (unknown[i]));
  g_assert_false (rtc_codec_fmtp_param_is_known (NULL));
}

static GstCaps *
codec_caps (const gchar * name, guint pt, guint rate, const gchar * fmtp)
{
  RtcCodec c = { pt, (gchar *) name, rate, 0, (gchar *) fmtp, 0, 0 };

  return rtc_codec_to_caps (&c, RTC_MEDIA_KIND_VIDEO);
}

/* rtc_codec_to_caps() on its own, as if validation had not run: what GLib
 * would refuse never reaches gst_structure_set(). */
static void
test_to_caps_without_validation (void)
{
  GstCaps *caps;
  GstStructure *s;
  gint v;

  g_assert_null (codec_caps ("VP8\xff", 96, 90000, NULL));
  g_assert_null (codec_caps ("V\x01P8", 96, 90000, NULL));
  g_assert_null (codec_caps ("VP8/1", 96, 90000, NULL));
  g_assert_null (codec_caps ("VP 8", 96, 90000, NULL));
  g_assert_null (codec_caps ("", 96, 90000, NULL));
  g_assert_null (codec_caps ("VP8", 200, 90000, NULL));

  /* Parameters with values GLib refuses are left out, the others kept. */
  caps = codec_caps ("H264", 102, 90000, "packetization-mode=\xff" "1;"
      "profile-level-id=42e01f;max-fr=3\x01" "0;max-fs=\xc3\x28;"
      "sprop-parameter-sets=Z0LAH9oBQBbpqAgICgAAAwACAAADAGQeMGVA,aM4ySA==");
  g_assert_nonnull (caps);
  s = gst_caps_get_structure (caps, 0);
  g_assert_cmpstr (gst_structure_get_string (s, "encoding-name"), ==, "H264");
  g_assert_cmpstr (gst_structure_get_string (s, "profile-level-id"), ==,
      "42e01f");
  g_assert_false (gst_structure_has_field (s, "packetization-mode"));
  g_assert_false (gst_structure_has_field (s, "max-fr"));
  g_assert_false (gst_structure_has_field (s, "max-fs"));
  g_assert_nonnull (gst_structure_get_string (s, "sprop-parameter-sets"));
  gst_caps_unref (caps);

  /* Names that are caps fields of their own stay what they are. */
  caps = codec_caps ("VP9", 98, 90000, "Clock-Rate=abc;PAYLOAD=x;"
      "media=text;encoding-name=evil;profile-id=2;flag");
  g_assert_nonnull (caps);
  s = gst_caps_get_structure (caps, 0);
  g_assert_true (gst_structure_get_int (s, "clock-rate", &v));
  g_assert_cmpint (v, ==, 90000);
  g_assert_true (gst_structure_get_int (s, "payload", &v));
  g_assert_cmpint (v, ==, 98);
  g_assert_cmpstr (gst_structure_get_string (s, "media"), ==, "video");
  g_assert_cmpstr (gst_structure_get_string (s, "encoding-name"), ==, "VP9");
  g_assert_cmpstr (gst_structure_get_string (s, "profile-id"), ==, "2");
  g_assert_false (gst_structure_has_field (s, "flag"));
  gst_caps_unref (caps);
}

/* The whole answer path of rtcpeerbin on a description validation would
 * refuse, with validation skipped: no warning anywhere. */
static void
test_answer_path_without_validation (void)
{
  GString *sdp = offer_head ();
  GstSDPMessage *msg, *answer;
  GPtrArray *medias =
      g_ptr_array_new_with_free_func ((GDestroyNotify) rtc_jsep_media_free);
  RtcJsepSession session = { 0, };
  GError *error = NULL;
  guint i, k;

  add_section (sdp, 0, "96 97 98",
      "a=rtpmap:96 VP8\xff/90000\r\n"
      "a=rtpmap:97 H264/90000\r\n"
      "a=fmtp:97 packetization-mode=\xfe;profile-level-id=\x80\r\n"
      "a=rtpmap:98 rtx/90000\r\n" "a=fmtp:98 apt=\xff\r\n"
      "a=ssrc:1 cname:\xff\r\n" "a=msid:\xff \x01\r\n");
  msg = parse (sdp);

  g_assert_true (rtc_jsep_associate_remote (msg, medias, NULL, &error));
  g_assert_no_error (error);
  session.ice_ufrag = g_strdup ("abcd");
  session.ice_pwd = g_strdup ("abcdefghijklmnopqrstuvwxyz");
  session.fingerprint = g_strdup (FINGERPRINT);
  answer = rtc_jsep_build_answer (&session, msg, medias, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);

  for (i = 0; i < gst_sdp_message_medias_len (msg); i++) {
    GArray *codecs = rtc_codec_array_new ();
    gchar *stream = NULL, *track = NULL;

    g_assert_true (rtc_sdp_media_get_codecs (msg, i, codecs, NULL));
    for (k = 0; k < codecs->len; k++) {
      GstCaps *caps = rtc_codec_to_caps (&g_array_index (codecs, RtcCodec,
              k), RTC_MEDIA_KIND_VIDEO);

      if (caps) {
        gchar *str = gst_caps_to_string (caps);
        g_test_message ("%s", str);
        g_free (str);
        gst_caps_unref (caps);
      }
    }
    rtc_sdp_media_get_ssrcs (msg, i, NULL, NULL, &stream, &track);
    g_free (stream);
    g_free (track);
    g_free (rtc_sdp_media_get_cname (msg, i));
    g_array_unref (codecs);
  }

  rtc_jsep_session_clear (&session);
  gst_sdp_message_free (answer);
  gst_sdp_message_free (msg);
  g_ptr_array_unref (medias);
  g_string_free (sdp, TRUE);
}

/* One section: the 6 attributes add_section() writes, an rtpmap, then @n
 * lines "<prefix><i><suffix>". */
static GString *
section_with_lines (guint n, const gchar * prefix, const gchar * suffix)
{
  GString *sdp = offer_head ();
  GString *extra = g_string_new ("a=rtpmap:96 VP8/90000\r\n");
  guint i;

  for (i = 0; i < n; i++) {
    g_string_append_printf (extra, "%s%u%s\r\n", prefix, i, suffix);
  }
  add_section (sdp, 0, "96", extra->str);
  g_string_free (extra, TRUE);
  return sdp;
}

static void
test_limit_mlines (void)
{
  GString *sdp = offer_head ();
  guint i;

  for (i = 0; i < RTC_JSEP_MAX_MLINES; i++)
    add_section (sdp, i, "96", "a=rtpmap:96 VP8/90000\r\n");
  expect_valid (sdp);
  add_section (sdp, i, "96", "a=rtpmap:96 VP8/90000\r\n");
  expect_refused (sdp, "The description has 257 m-lines, more than the 256 "
      "accepted");
  g_string_free (sdp, TRUE);
}

static void
test_limit_attributes (void)
{
  GString *sdp = section_with_lines (RTC_JSEP_MAX_ATTRIBUTES - 7,
      "a=x-pad:", "");

  expect_valid (sdp);
  g_string_free (sdp, TRUE);
  sdp = section_with_lines (RTC_JSEP_MAX_ATTRIBUTES - 6, "a=x-pad:", "");
  expect_refused (sdp, "m-line 0 (mid '0'): 1025 attributes, more than the "
      "1024 accepted");
  g_string_free (sdp, TRUE);

  /* Session level too. */
  sdp = offer_head ();
  {
    guint i;

    for (i = 0; i <= RTC_JSEP_MAX_ATTRIBUTES; i++)
      g_string_append_printf (sdp, "a=x-pad:%u\r\n", i);
  }
  add_section (sdp, 0, "96", "a=rtpmap:96 VP8/90000\r\n");
  expect_refused (sdp, "session level: 1025 attributes, more than the 1024 "
      "accepted");
  g_string_free (sdp, TRUE);
}

static void
test_limit_candidates (void)
{
  const gchar *prefix = "a=candidate:1 1 udp 2122260223 127.0.0.1 ";
  GString *sdp = section_with_lines (RTC_JSEP_MAX_CANDIDATES, prefix,
      " typ host");

  expect_valid (sdp);
  g_string_free (sdp, TRUE);
  sdp = section_with_lines (RTC_JSEP_MAX_CANDIDATES + 1, prefix, " typ host");
  expect_refused (sdp, "m-line 0 (mid '0'): 257 a=candidate lines, more than "
      "the 256 accepted");
  g_string_free (sdp, TRUE);
}

static void
test_limit_formats (void)
{
  GString *formats = g_string_new ("96");
  GString *sdp;
  guint i;

  for (i = 1; i < RTC_JSEP_MAX_FORMATS; i++)
    g_string_append (formats, " 96");
  sdp = offer_head ();
  add_section (sdp, 0, formats->str, "a=rtpmap:96 VP8/90000\r\n");
  expect_valid (sdp);
  g_string_free (sdp, TRUE);

  g_string_append (formats, " 96");
  sdp = offer_head ();
  add_section (sdp, 0, formats->str, "a=rtpmap:96 VP8/90000\r\n");
  expect_refused (sdp, "m-line 0 (mid '0'): 257 formats, more than the 256 "
      "accepted");
  g_string_free (sdp, TRUE);
  g_string_free (formats, TRUE);
}

static void
test_limit_fmtp_params (void)
{
  GString *fmtp = g_string_new ("a=fmtp:96 p0=0");
  GString *sdp;
  guint i;

  for (i = 1; i < RTC_JSEP_MAX_FMTP_PARAMS; i++)
    g_string_append_printf (fmtp, ";p%u=%u", i, i);
  g_string_prepend (fmtp, "a=rtpmap:96 VP8/90000\r\n");
  g_string_append (fmtp, "\r\n");
  sdp = offer_head ();
  add_section (sdp, 0, "96", fmtp->str);
  expect_valid (sdp);
  g_string_free (sdp, TRUE);

  g_string_insert (fmtp, fmtp->len - 2, ";one-more=1");
  sdp = offer_head ();
  add_section (sdp, 0, "96", fmtp->str);
  expect_refused (sdp, "has 65 parameters, more than the 64 accepted");
  g_string_free (sdp, TRUE);
  g_string_free (fmtp, TRUE);
}

static void
test_limit_value_length (void)
{
  /* "a=x-long:" + value, the value exactly at the limit, then one over. */
  gchar *value = g_strnfill (RTC_JSEP_MAX_VALUE_LENGTH, 'v');
  gchar *line = g_strdup_printf ("a=x-long:%s\r\na=rtpmap:96 VP8/90000\r\n",
      value);
  GString *sdp = offer_head ();

  add_section (sdp, 0, "96", line);
  expect_valid (sdp);
  g_string_free (sdp, TRUE);
  g_free (line);

  line = g_strdup_printf ("a=x-long:%sv\r\na=rtpmap:96 VP8/90000\r\n", value);
  sdp = offer_head ();
  add_section (sdp, 0, "96", line);
  expect_refused (sdp, "m-line 0 (mid '0'): a=x-long value 'vvvv");
  expect_refused (sdp, "is longer than 4096 bytes (4097)");
  g_string_free (sdp, TRUE);
  g_free (line);
  g_free (value);
}

static void
test_limit_total_size (void)
{
  gchar *value = g_strnfill (RTC_JSEP_MAX_VALUE_LENGTH, 'v');
  GString *extra = g_string_new ("a=rtpmap:96 VP8/90000\r\n");
  GString *sdp = offer_head ();
  GError *error = NULL;
  guint i;

  /* Each m-line within every other limit; together above 4 MiB. */
  for (i = 0; i < 5; i++)
    g_string_append_printf (extra, "a=x-long:%s\r\n", value);
  for (i = 0; i < RTC_JSEP_MAX_MLINES; i++)
    add_section (sdp, i, "96", extra->str);
  g_assert_cmpuint (sdp->len, >, RTC_JSEP_MAX_DESCRIPTION_SIZE);
  expect_refused (sdp, "The description is larger than 4194304 bytes");
  /* Our own parser refuses the text before GstSDP allocates anything. */
  g_assert_null (rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_OFFER,
          sdp->str, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_assert_nonnull (strstr (error->message, "larger than 4194304 bytes"));
  g_clear_error (&error);

  g_string_free (sdp, TRUE);
  g_string_free (extra, TRUE);
  g_free (value);
}

static void
test_limit_other_lines (void)
{
  GString *sdp = offer_head ();
  guint i;

  for (i = 0; i <= RTC_JSEP_MAX_OTHER_LINES; i++)
    g_string_append_printf (sdp, "b=AS:%u\r\n", i);
  add_section (sdp, 0, "96", "a=rtpmap:96 VP8/90000\r\n");
  expect_refused (sdp, "session level: 65 b= lines, more than the 64 "
      "accepted");
  g_string_free (sdp, TRUE);
}

/* A BUNDLE group naming one mid over and over would make every later
 * lookup walk it. */
static void
test_bundle_duplicate_mid (void)
{
  GString *sdp = offer_head ();

  g_string_append (sdp, "a=group:BUNDLE 0 1 0\r\n");
  add_section (sdp, 0, "96", "a=rtpmap:96 VP8/90000\r\n");
  add_section (sdp, 1, "96", "a=rtpmap:96 VP8/90000\r\n");
  expect_refused (sdp, "a=group:BUNDLE 0 1 0 names mid '0' twice");
  g_string_free (sdp, TRUE);
}

/* Where each string of a description is looked at, and how a bad one is
 * named. */
static void
test_every_string_checked (void)
{
  static const struct
  {
    const gchar *from, *to, *expect;
  } cases[] = {
    {"o=- 1 2", "o=\xff 1 2", "session level: o= (username) value '\\377'"},
    {"s=-", "s=\x7f", "session level: s= value '\\177' contains control "
          "character 0x7f"},
    {"t=0 0", "t=0 0\r\nu=http://\xc3", "session level: u= value"},
    {"a=mid:0", "a=mid:\xe2\x82", "m-line 0 (mid '\\342\\202'): a=mid value"},
    {"a=setup:actpass", "a=set\x80up:actpass",
        "m-line 0 (mid '0'): a= (attribute name) value 'set\\200up'"},
    {"c=IN IP4 0.0.0.0", "c=IN IP4 0.0.0.\xff",
        "m-line 0 (mid '0'): c= (address) value"},
    {"SAVPF 96", "SAVPF 96 \xff", "m-line 0 (mid '0'): m= (format) value"},
    {"a=rtcp-mux", "a=rtcp-mux\r\nb=A\x01S:1", "m-line 0 (mid '0'): b= "
          "(bwtype) value"},
    {"a=rtcp-mux", "a=rtcp-mux\r\ni=caf\xe9",
        "m-line 0 (mid '0'): i= value 'caf\\351' is not UTF-8"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GString *sdp = offer_head ();
    gchar **parts;
    gchar *text;
    GString *bad;

    add_section (sdp, 0, "96", "a=rtpmap:96 VP8/90000\r\n");
    expect_valid (sdp);
    parts = g_strsplit (sdp->str, cases[i].from, 2);
    g_assert_nonnull (parts[1]);
    text = g_strjoinv (cases[i].to, parts);
    bad = g_string_new (text);
    expect_refused (bad, cases[i].expect);
    g_string_free (bad, TRUE);
    g_free (text);
    g_strfreev (parts);
    g_string_free (sdp, TRUE);
  }
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* A GLib warning reached from a description is a bug here, as it is
   * under gst-check. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL |
      G_LOG_LEVEL_WARNING);

  g_test_add_func ("/jsep/limits/fmtp-names-not-quarks",
      test_fmtp_names_not_quarks);
  g_test_add_func ("/jsep/limits/known-fmtp-params", test_known_fmtp_params);
  g_test_add_func ("/jsep/limits/to-caps-without-validation",
      test_to_caps_without_validation);
  g_test_add_func ("/jsep/limits/answer-path-without-validation",
      test_answer_path_without_validation);
  g_test_add_func ("/jsep/limits/mlines", test_limit_mlines);
  g_test_add_func ("/jsep/limits/attributes", test_limit_attributes);
  g_test_add_func ("/jsep/limits/candidates", test_limit_candidates);
  g_test_add_func ("/jsep/limits/formats", test_limit_formats);
  g_test_add_func ("/jsep/limits/fmtp-params", test_limit_fmtp_params);
  g_test_add_func ("/jsep/limits/value-length", test_limit_value_length);
  g_test_add_func ("/jsep/limits/total-size", test_limit_total_size);
  g_test_add_func ("/jsep/limits/other-lines", test_limit_other_lines);
  g_test_add_func ("/jsep/limits/bundle-duplicate-mid",
      test_bundle_duplicate_mid);
  g_test_add_func ("/jsep/limits/every-string-checked",
      test_every_string_checked);
  return g_test_run ();
}
