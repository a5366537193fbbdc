/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rtc_jsep_validate_description / rtc_jsep_parse_description over the
 * corpus in tests/data/sdp/: every captured offer and answer passes, every
 * file in malformed/ fails with the message in the table below (SDP has
 * no comments, so the expectations live here), both through our text
 * parser and when an application parsed it with GstSDP itself. */

#include <string.h>

#include "jsep/rtcjsep-validate.h"

typedef struct
{
  const gchar *file;
  GstWebRTCSDPType type;
  const gchar *expect;          /* substring of the error message */
  /* ... when GstSDP parsed the text (as applications do) and only
   * validation sees it: NULL, the same; TEXT_ONLY, what GstSDP makes of
   * it is not looked at (text that is not SDP at all). */
  const gchar *expect_parsed;
} Malformed;

static const gchar TEXT_ONLY[] = "";

static const Malformed malformed[] = {
  /* m-line 0 is the BUNDLE-tagged one, so m-lines 1 and 2 would be
   * allowed to take their fingerprint from it (RFC 8843 section 7). */
  {"missing-fingerprint.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 0 (mid '0'): no a=fingerprint"},
  {"missing-fingerprint-unbundled.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 1 (mid '1'): no a=fingerprint"},
  {"bad-fingerprint-hex.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 1 (mid '1'): a=fingerprint 'sha-256 ZZ:1C"},
  {"short-fingerprint.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "expected 32 colon-separated hex bytes for sha-256"},
  {"unknown-hash.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 2 (mid '2'): a=fingerprint 'md5 7A:1C"},
  {"missing-ufrag.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 0 (mid '0'): no a=ice-ufrag"},
  {"short-ufrag.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=ice-ufrag 'Zq7' is invalid"},
  {"bad-ufrag-char.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=ice-ufrag 'Zq7n-x' is invalid"},
  {"short-pwd.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=ice-pwd 'Hf3kP9sWc2LmQx8VrT6y' is invalid"},
  {"bad-setup.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=setup:holdconn is not one of actpass, active, passive"},
  {"actpass-in-answer.sdp", GST_WEBRTC_SDP_TYPE_ANSWER,
      "a=setup:actpass is not allowed in an answer"},
  {"bundle-unknown-mid.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=group:BUNDLE 0 1 2 3 names mid '3', but no m-line has a=mid:3"},
  {"duplicate-mid.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 1 (mid '0'): duplicate a=mid '0'"},
  {"missing-mid-bundle.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 1: no a=mid"},
  {"no-formats.sdp", GST_WEBRTC_SDP_TYPE_OFFER, "lists no formats",
      "m-line 1 (mid '1'): the m= line has an empty format"},
  {"missing-rtpmap.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 1 (mid '1'): payload type 96 has no a=rtpmap"},
  {"bad-rtpmap.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=rtpmap:111 'opus' is malformed"},
  {"sctp-no-port.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 2 (mid '2'): m=application UDP/DTLS/SCTP has no a=sctp-port"},
  {"garbage.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
        "SDP line 1 ('hello') is not of the form <letter>=<value>",
      "session level: v= is (null), not 0; is this SDP?"},
  {"binary.sdp", GST_WEBRTC_SDP_TYPE_OFFER, "binary data?", "session level"},
  {"missing-version.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "SDP must start with 'v=0'", "session level: v= is (null), not 0"},
  {"truncated.sdp", GST_WEBRTC_SDP_TYPE_OFFER, "(truncated?)",
      "m-line 1: the m= line has an empty format (a format list cut short?)"},
  /* Cut inside m-line 0's fingerprint: the mids that BUNDLE names were
   * never reached. */
  {"truncated-fingerprint.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=group:BUNDLE 0 1 2 names mid '0', but no m-line has a=mid:0"},
  /* GstSDP refuses to parse nothing. */
  {"empty.sdp", GST_WEBRTC_SDP_TYPE_OFFER, "SDP text is empty", TEXT_ONLY},
  /* Values GLib refuses in a string field (found by fuzzing the answer
   * path: a warning, fatal in gst-check and in many applications). */
  {"non-utf8-rtpmap.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
        "SDP line 32 is not UTF-8 (byte 0xff at column 16)",
      "m-line 1 (mid '1'): a=rtpmap value '96 VP8\\377/90000' is not UTF-8 "
        "(byte 0xff at offset 6)"},
  {"non-utf8-fmtp.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
        "SDP line 20 is not UTF-8 (byte 0xc3 at column 37)",
      "m-line 0 (mid '0'): a=fmtp value '111 minptime=10;useinbandfec=\\303(' "
        "is not UTF-8 (byte 0xc3 at offset 29)"},
  {"control-char-fmtp.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
        "SDP line 36 contains control character 0x1b",
      "m-line 1 (mid '1'): a=fmtp value '97 apt=96\\033[2J' contains control "
        "character 0x1b at offset 9"},
  {"latin1-session-name.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
        "SDP line 3 is not UTF-8 (byte 0xe9 at column 4)",
      "session level: s= value 'R\\351union' is not UTF-8 (byte 0xe9 at "
        "offset 1)"},
  {"too-many-fmtp-params.sdp", GST_WEBRTC_SDP_TYPE_OFFER,
      "m-line 1 (mid '1'): a=fmtp:97 apt=96;p0=0;p1=1;p2=2;p3=3;p4=4;p5=5;"
        "... has 66 parameters, more than the 64 accepted"},
};

/* $RTC_TEST_DATA_DIR/sdp/<name> or .../sdp/<subdir>/<name> */
static gchar *
data_path2 (const gchar * subdir, const gchar * name)
{
  const gchar *dir = g_getenv ("RTC_TEST_DATA_DIR");

  if (dir == NULL)
    g_error ("RTC_TEST_DATA_DIR is not set; run through 'meson test'");
  return g_build_filename (dir, "sdp", subdir, name, NULL);
}

#define data_path(name) data_path2 (name, NULL)

/* @text with every @from replaced by @to. */
static gchar *
replace (const gchar * text, const gchar * from, const gchar * to)
{
  gchar **parts = g_strsplit (text, from, -1);
  gchar *ret = g_strjoinv (to, parts);

  g_strfreev (parts);
  return ret;
}

static gchar *
read_text (const gchar * path)
{
  GError *error = NULL;
  gchar *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s: %s", path, error->message);
  return text;
}

static GstSDPMessage *
parse_ok (const gchar * text)
{
  GstSDPMessage *msg = NULL;

  g_assert_cmpint (gst_sdp_message_new_from_text (text, &msg), ==, GST_SDP_OK);
  return msg;
}

static GstSDPMessage *
load (const gchar * name)
{
  gchar *path = data_path (name);
  gchar *text = read_text (path);
  GstSDPMessage *msg = parse_ok (text);

  g_free (text);
  g_free (path);
  return msg;
}

/* Parses and validates @text as both a local and a remote description. */
static gboolean
parse_and_validate (const gchar * text, GstWebRTCSDPType type, GError ** error)
{
  GstWebRTCSessionDescription *desc;
  GError *local_error = NULL;
  gboolean ok;

  desc = rtc_jsep_parse_description (type, text, error);
  if (desc == NULL)
    return FALSE;
  g_assert_cmpint (desc->type, ==, type);
  ok = rtc_jsep_validate_description (desc->sdp, type, RTC_SDP_SOURCE_REMOTE,
      NULL, error);
  /* Nothing in the checks depends on the source today; say so. */
  g_assert_cmpint (rtc_jsep_validate_description (desc->sdp, type,
          RTC_SDP_SOURCE_LOCAL, NULL, &local_error), ==, ok);
  g_clear_error (&local_error);
  gst_webrtc_session_description_free (desc);
  return ok;
}

static void
validate_corpus_dir (const gchar * subdir, guint * n_offers, guint * n_answers)
{
  gchar *dirname = data_path (subdir);
  GDir *dir = g_dir_open (dirname, 0, NULL);
  const gchar *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir))) {
    GstWebRTCSDPType type;
    gchar *path, *text;
    GError *error = NULL;

    if (g_str_has_suffix (name, "-offer.sdp")) {
      type = GST_WEBRTC_SDP_TYPE_OFFER;
      (*n_offers)++;
    } else if (g_str_has_suffix (name, "-answer.sdp")) {
      type = GST_WEBRTC_SDP_TYPE_ANSWER;
      (*n_answers)++;
    } else {
      continue;
    }
    path = g_build_filename (dirname, name, NULL);
    text = read_text (path);
    if (!parse_and_validate (text, type, &error))
      g_error ("%s should be valid: %s", path, error->message);
    /* An answer is also a valid pranswer. */
    if (type == GST_WEBRTC_SDP_TYPE_ANSWER
        && !parse_and_validate (text, GST_WEBRTC_SDP_TYPE_PRANSWER, &error))
      g_error ("%s should be a valid pranswer: %s", path, error->message);
    g_test_message ("%s: ok", name);
    g_free (text);
    g_free (path);
  }
  g_dir_close (dir);
  g_free (dirname);
}

static void
test_corpus_valid (void)
{
  guint n_offers = 0, n_answers = 0;

  validate_corpus_dir (".", &n_offers, &n_answers);
  validate_corpus_dir ("legacy", &n_offers, &n_answers);
  /* Fails if the corpus goes missing rather than passing vacuously. */
  g_assert_cmpuint (n_offers, >=, 6);
  g_assert_cmpuint (n_answers, >=, 4);
}

static void
test_malformed (gconstpointer data)
{
  const Malformed *m = data;
  gchar *path = data_path2 ("malformed", m->file);
  gchar *text = read_text (path);
  GError *error = NULL;

  if (parse_and_validate (text, m->type, &error))
    g_error ("%s was accepted; expected '%s'", m->file, m->expect);
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_test_message ("%s: %s", m->file, error->message);
  if (strstr (error->message, m->expect) == NULL)
    g_error ("%s: '%s' does not contain '%s'", m->file, error->message,
        m->expect);
  /* Remote text reaches messages escaped. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  if (m->expect_parsed != TEXT_ONLY) {
    const gchar *expect = m->expect_parsed ? m->expect_parsed : m->expect;
    GstSDPMessage *msg;

    gst_sdp_message_new (&msg);
    g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *) text,
            strlen (text), msg), ==, GST_SDP_OK);
    if (rtc_jsep_validate_description (msg, m->type, RTC_SDP_SOURCE_REMOTE,
            NULL, &error))
      g_error ("%s parsed by GstSDP was accepted; expected '%s'", m->file,
          expect);
    g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
    g_test_message ("%s parsed by GstSDP: %s", m->file, error->message);
    if (strstr (error->message, expect) == NULL)
      g_error ("%s parsed by GstSDP: '%s' does not contain '%s'", m->file,
          error->message, expect);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_clear_error (&error);
    gst_sdp_message_free (msg);
  }
  g_free (text);
  g_free (path);
}

/* Every file in malformed/ has a line in the table. */
static void
test_malformed_table_complete (void)
{
  gchar *dirname = data_path ("malformed");
  GDir *dir = g_dir_open (dirname, 0, NULL);
  const gchar *name;
  guint n = 0, i;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir))) {
    gboolean found = FALSE;

    for (i = 0; i < G_N_ELEMENTS (malformed); i++)
      found |= strcmp (malformed[i].file, name) == 0;
    if (!found)
      g_error ("malformed/%s has no entry in the table", name);
    n++;
  }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (malformed));
  g_dir_close (dir);
  g_free (dirname);
}

static void
expect_validate_error (const GstSDPMessage * sdp, GstWebRTCSDPType type,
    const GstSDPMessage * previous, gint code, const gchar * expect)
{
  GError *error = NULL;

  g_assert_false (rtc_jsep_validate_description (sdp, type,
          RTC_SDP_SOURCE_REMOTE, previous, &error));
  g_assert_error (error, RTC_JSEP_ERROR, code);
  if (strstr (error->message, expect) == NULL)
    g_error ("'%s' does not contain '%s'", error->message, expect);
  g_clear_error (&error);
}

static void
expect_valid (const GstSDPMessage * sdp, GstWebRTCSDPType type,
    const GstSDPMessage * previous)
{
  GError *error = NULL;

  if (!rtc_jsep_validate_description (sdp, type, RTC_SDP_SOURCE_REMOTE,
          previous, &error))
    g_error ("unexpected: %s", error->message);
}

static void
test_previous_shrinks (void)
{
  GstSDPMessage *prev = load ("chromium-av-offer.sdp");
  GstSDPMessage *sdp = load ("chromium-datachannel-offer.sdp");

  expect_validate_error (sdp, GST_WEBRTC_SDP_TYPE_OFFER, prev,
      RTC_JSEP_ERROR_INVALID_MODIFICATION,
      "has 1 m-lines but the previous one had 3");
  /* Growing is fine: the previous description is the audio m-line only. */
  {
    gchar *path = data_path ("chromium-av-offer.sdp");
    gchar *text = read_text (path);
    GstSDPMessage *small;

    *strstr (text, "m=video") = '\0';
    small = parse_ok (text);
    g_assert_cmpuint (gst_sdp_message_medias_len (small), ==, 1);
    expect_valid (prev, GST_WEBRTC_SDP_TYPE_OFFER, small);
    gst_sdp_message_free (small);
    g_free (text);
    g_free (path);
  }
  /* Same m-lines, kinds and mids: fine (Firefox uses "0", "1", "2" too). */
  gst_sdp_message_free (sdp);
  sdp = load ("firefox-av-offer.sdp");
  expect_valid (sdp, GST_WEBRTC_SDP_TYPE_OFFER, prev);
  gst_sdp_message_free (sdp);
  gst_sdp_message_free (prev);
}

static void
test_previous_kind_or_mid_changed (void)
{
  GstSDPMessage *prev = load ("chromium-datachannel-offer.sdp");
  GstSDPMessage *sdp = load ("chromium-av-offer.sdp");
  gchar *path, *text, *changed;

  expect_validate_error (sdp, GST_WEBRTC_SDP_TYPE_OFFER, prev,
      RTC_JSEP_ERROR_INVALID_MODIFICATION,
      "m-line 0 (mid '0'): kind changed from 'application' to 'audio'");
  gst_sdp_message_free (prev);

  /* A rejected m-line may be recycled for another kind (RFC 8829 5.2.2). */
  path = data_path ("chromium-datachannel-offer.sdp");
  text = read_text (path);
  changed = replace (text, "m=application 58203 ", "m=application 0 ");
  prev = parse_ok (changed);
  g_assert_true (rtc_sdp_media_is_rejected (prev, 0));
  expect_valid (sdp, GST_WEBRTC_SDP_TYPE_OFFER, prev);
  gst_sdp_message_free (prev);
  g_free (changed);
  g_free (text);
  g_free (path);
  gst_sdp_message_free (sdp);

  /* The mid at an index stays. */
  prev = load ("webrtcbin-av-offer.sdp");
  path = data_path ("webrtcbin-av-offer.sdp");
  text = read_text (path);
  changed = replace (text, "audio1", "audio9");
  sdp = parse_ok (changed);
  expect_validate_error (sdp, GST_WEBRTC_SDP_TYPE_OFFER, prev,
      RTC_JSEP_ERROR_INVALID_MODIFICATION,
      "m-line 1 (mid 'audio9'): mid changed from 'audio1' to 'audio9'");
  gst_sdp_message_free (sdp);
  gst_sdp_message_free (prev);
  g_free (changed);
  g_free (text);
  g_free (path);
}

static void
test_unknown_type (void)
{
  GstSDPMessage *sdp = load ("chromium-av-offer.sdp");
  GError *error = NULL;

  expect_validate_error (sdp, (GstWebRTCSDPType) 0, NULL,
      RTC_JSEP_ERROR_INVALID_SDP, "Unknown session description type 0");
  expect_validate_error (sdp, (GstWebRTCSDPType) 9, NULL,
      RTC_JSEP_ERROR_INVALID_SDP, "Unknown session description type 9");
  g_assert_null (rtc_jsep_parse_description ((GstWebRTCSDPType) 5, "v=0",
          &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_clear_error (&error);
  gst_sdp_message_free (sdp);
}

static void
test_rollback_empty (void)
{
  GstWebRTCSessionDescription *desc;
  GstSDPMessage *empty;
  GError *error = NULL;

  g_assert_true (rtc_jsep_validate_description (NULL,
          GST_WEBRTC_SDP_TYPE_ROLLBACK, RTC_SDP_SOURCE_LOCAL, NULL, &error));
  g_assert_no_error (error);
  gst_sdp_message_new (&empty);
  g_assert_true (rtc_jsep_validate_description (empty,
          GST_WEBRTC_SDP_TYPE_ROLLBACK, RTC_SDP_SOURCE_REMOTE, empty, NULL));
  gst_sdp_message_free (empty);

  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_ROLLBACK, "", &error);
  g_assert_no_error (error);
  g_assert_nonnull (desc);
  g_assert_cmpint (desc->type, ==, GST_WEBRTC_SDP_TYPE_ROLLBACK);
  g_assert_cmpuint (gst_sdp_message_medias_len (desc->sdp), ==, 0);
  gst_webrtc_session_description_free (desc);

  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_ROLLBACK, NULL,
      &error);
  g_assert_nonnull (desc);
  gst_webrtc_session_description_free (desc);

  /* Not for an offer, though. */
  g_assert_false (rtc_jsep_validate_description (NULL,
          GST_WEBRTC_SDP_TYPE_OFFER, RTC_SDP_SOURCE_LOCAL, NULL, &error));
  g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
  g_clear_error (&error);
}

static void
test_parse_refuses_garbage (void)
{
  static const struct
  {
    const gchar *text;
    const gchar *expect;
  } cases[] = {
    {"hello", "SDP line 1 ('hello') is not of the form"},
    {"", "SDP text is empty"},
    {"\r\n\r\n", "SDP text is empty"},
    {"\x01\x02\x03", "control character 0x01"},
    {"v=0\r\n\xff\xfe\r\n", "not UTF-8"},
    {"{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}", "SDP line 1 ('{\"type\""},
    {"o=- 1 1 IN IP4 0.0.0.0\r\n", "SDP must start with 'v=0'"},
    {"v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\n", "SDP must start with 'v=0'"},
    {"v=0\r\ns=-\r\n", "SDP line 2: expected the o= line"},
    {"v=0\r\no=- 1 1 IN IP4\r\n", "o= needs 6 fields"},
    {"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nhello world\r\n",
        "SDP line 4 ('hello world') is not of the form"},
    {"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nv=0\r\n", "a second v= line"},
    {"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio\r\n", "(truncated?)"},
    {"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio x RTP/AVP 0\r\n",
        "(truncated?)"},
    {"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=:x\r\n",
        "empty attribute name"},
    {"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nA=x\r\n", "is not of the form"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *error = NULL;

    g_assert_null (rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_OFFER,
            cases[i].text, &error));
    g_assert_error (error, RTC_JSEP_ERROR, RTC_JSEP_ERROR_INVALID_SDP);
    if (strstr (error->message, cases[i].expect) == NULL)
      g_error ("case %u: '%s' does not contain '%s'", i, error->message,
          cases[i].expect);
    g_clear_error (&error);
  }
  g_assert_null (rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_ANSWER, NULL,
          NULL));
}

static void
test_parse_accepts_lf (void)
{
  GstWebRTCSessionDescription *desc;
  GError *error = NULL;

  /* Bare LF line ends, trailing blank lines, no final newline. */
  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_OFFER,
      "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gst_sdp_message_get_origin (desc->sdp)->sess_id, ==, "1");
  gst_webrtc_session_description_free (desc);
  desc = rtc_jsep_parse_description (GST_WEBRTC_SDP_TYPE_PRANSWER,
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0", &error);
  g_assert_no_error (error);
  g_assert_cmpint (desc->type, ==, GST_WEBRTC_SDP_TYPE_PRANSWER);
  gst_webrtc_session_description_free (desc);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
#define FP256 "sha-256 7A:1C:3E:90:5B:D2:44:F8:0E:6A:B3:29:C7:51:8D:FE:" \
  "02:9B:6C:E4:13:A7:58:D0:3F:82:C9:1E:64:B5:07:AA"
#define ICE "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"

static void
check_text (const gchar * text, GstWebRTCSDPType type, const gchar * expect)
{
  GstSDPMessage *sdp = parse_ok (text);

  if (expect)
    expect_validate_error (sdp, type, NULL, RTC_JSEP_ERROR_INVALID_SDP, expect);
  else
    expect_valid (sdp, type, NULL);
  gst_sdp_message_free (sdp);
}

static void
test_transport_rules (void)
{
  /* An answer may put transport attributes only in the BUNDLE-tagged
   * m-line (RFC 8843 section 7.3.1). */
  check_text (HEAD "a=group:BUNDLE a b\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\n" ICE
      "a=fingerprint:" FP256 "\r\na=setup:active\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:b\r\na=rtpmap:96 VP8/90000\r\n",
      GST_WEBRTC_SDP_TYPE_ANSWER, NULL);
  /* ... but not when the tagged one has none either. */
  check_text (HEAD "a=group:BUNDLE b a\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\n" ICE
      "a=fingerprint:" FP256 "\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:b\r\na=rtpmap:96 VP8/90000\r\n",
      GST_WEBRTC_SDP_TYPE_ANSWER, "m-line 1 (mid 'b'): no a=fingerprint");
  /* Session-level ICE credentials count (RFC 8839 section 5.4). */
  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n", GST_WEBRTC_SDP_TYPE_OFFER, NULL);
  /* sha-1 and lower-case hex, several fingerprints (RFC 8122 section 5). */
  check_text (HEAD ICE "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
      "a=fingerprint:sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:"
      "19:e5:7c:ab\r\na=fingerprint:" FP256 "\r\n",
      GST_WEBRTC_SDP_TYPE_OFFER, NULL);
  check_text (HEAD ICE "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
      "a=fingerprint:SHA-256 7A1C3E\r\n", GST_WEBRTC_SDP_TYPE_OFFER,
      "expected 32 colon-separated hex bytes for sha-256");
  check_text (HEAD ICE "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
      "a=fingerprint:sha-256\r\n", GST_WEBRTC_SDP_TYPE_OFFER,
      "expected '<hash function> <hex bytes>'");
  check_text (HEAD "a=fingerprint:" FP256 "\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:abcd\r\n",
      GST_WEBRTC_SDP_TYPE_OFFER, "no a=ice-pwd");
  /* 257 characters is one too many. */
  {
    gchar *pwd = g_strnfill (257, 'p');
    gchar *text = g_strdup_printf (HEAD "a=fingerprint:" FP256 "\r\n"
        "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:abcd\r\n"
        "a=ice-pwd:%s\r\n", pwd);
    check_text (text, GST_WEBRTC_SDP_TYPE_OFFER, "this one has 257");
    g_free (text);
    g_free (pwd);
  }
  /* actpass is fine in offers, not in a pranswer either. */
  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=setup:actpass\r\n",
      GST_WEBRTC_SDP_TYPE_PRANSWER, "a=setup:actpass is not allowed");
  /* A rejected m-line needs none of it. */
  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n",
      GST_WEBRTC_SDP_TYPE_ANSWER, NULL);
  /* No m-lines at all: a valid (if useless) offer. */
  check_text (HEAD, GST_WEBRTC_SDP_TYPE_OFFER, NULL);
}

static void
test_media_rules (void)
{
  GstSDPMessage *sdp = parse_ok (HEAD ICE "a=fingerprint:" FP256 "\r\n");
  GstSDPMedia media = { 0, };

  /* The text parser refuses an m= line without formats, so build one. */
  gst_sdp_media_init (&media);
  gst_sdp_media_set_media (&media, "video");
  gst_sdp_media_set_port_info (&media, 9, 1);
  gst_sdp_media_set_proto (&media, "UDP/TLS/RTP/SAVPF");
  gst_sdp_media_add_attribute (&media, "mid", "v");
  /* The message takes over what media points to. */
  gst_sdp_message_add_media (sdp, &media);
  expect_validate_error (sdp, GST_WEBRTC_SDP_TYPE_OFFER, NULL,
      RTC_JSEP_ERROR_INVALID_SDP,
      "m-line 0 (mid 'v'): m=video has no RTP payload types");
  gst_sdp_message_free (sdp);

  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
      "a=sctp-port:0\r\n", GST_WEBRTC_SDP_TYPE_OFFER,
      "a=sctp-port:0 is not a port number");
  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
      "a=sctp-port:5000\r\na=max-message-size:big\r\n",
      GST_WEBRTC_SDP_TYPE_OFFER, "a=max-message-size:big is not a number");
  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=application 9 TCP/DTLS/SCTP webrtc-datachannel\r\n",
      GST_WEBRTC_SDP_TYPE_OFFER, "TCP/DTLS/SCTP has no a=sctp-port");
  check_text (HEAD ICE "a=fingerprint:" FP256 "\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:\r\n",
      GST_WEBRTC_SDP_TYPE_OFFER, "a=mid is empty");
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jsep/validate/corpus-valid", test_corpus_valid);
  for (i = 0; i < G_N_ELEMENTS (malformed); i++) {
    gchar *path = g_strdup_printf ("/jsep/validate/malformed/%s",
        malformed[i].file);
    g_test_add_data_func (path, &malformed[i], test_malformed);
    g_free (path);
  }
  g_test_add_func ("/jsep/validate/malformed-table-complete",
      test_malformed_table_complete);
  g_test_add_func ("/jsep/validate/previous-shrinks", test_previous_shrinks);
  g_test_add_func ("/jsep/validate/previous-kind-or-mid-changed",
      test_previous_kind_or_mid_changed);
  g_test_add_func ("/jsep/validate/unknown-type", test_unknown_type);
  g_test_add_func ("/jsep/validate/rollback-empty", test_rollback_empty);
  g_test_add_func ("/jsep/validate/parse-refuses-garbage",
      test_parse_refuses_garbage);
  g_test_add_func ("/jsep/validate/parse-accepts-lf", test_parse_accepts_lf);
  g_test_add_func ("/jsep/validate/transport-rules", test_transport_rules);
  g_test_add_func ("/jsep/validate/media-rules", test_media_rules);

  return g_test_run ();
}
