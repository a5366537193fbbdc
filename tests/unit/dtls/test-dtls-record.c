/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The DTLS record screen alone (rtcdtlsrecord.h): the rules per record
 * header, and how a datagram is cut down to the records that pass. */

#include <string.h>
#include <glib.h>

#include "dtls/rtcdtlsrecord.h"

#define HDR RTC_DTLS_RECORD_HEADER_LEN

static RtcDtlsRecordScreen
screen_handshaking (void)
{
  RtcDtlsRecordScreen s;

  rtc_dtls_record_screen_init (&s);
  return s;
}

static RtcDtlsRecordScreen
screen_connected (guint overhead)
{
  RtcDtlsRecordScreen s;

  rtc_dtls_record_screen_init (&s);
  s.handshake_done = TRUE;
  s.read_epoch = 1;
  s.aead_overhead = overhead;
  return s;
}

/* Appends a record with @body_len bytes of @fill to @buf. */
static void
append_record (GByteArray * buf, guint8 type, guint16 version, guint16 epoch,
    guint64 seq, gsize body_len, guint8 fill)
{
  guint8 hdr[HDR];
  guint i;

  hdr[0] = type;
  hdr[1] = version >> 8;
  hdr[2] = version & 0xff;
  hdr[3] = epoch >> 8;
  hdr[4] = epoch & 0xff;
  for (i = 0; i < 6; i++)
    hdr[5 + i] = seq >> (8 * (5 - i));
  hdr[11] = body_len >> 8;
  hdr[12] = body_len & 0xff;
  g_byte_array_append (buf, hdr, HDR);
  for (i = 0; i < body_len; i++)
    g_byte_array_append (buf, &fill, 1);
}

/* ------------------------------------------------------------------ */
/* one record */

static void
test_check_types (void)
{
  RtcDtlsRecordScreen hs = screen_handshaking ();
  RtcDtlsRecordScreen up = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  guint t;

  for (t = 0; t < 256; t++) {
    RtcDtlsRecordVerdict plain = rtc_dtls_record_check (&hs, t,
        RTC_DTLS_VERSION_1_2, 0, 30);
    RtcDtlsRecordVerdict next = rtc_dtls_record_check (&hs, t,
        RTC_DTLS_VERSION_1_2, 1, 30);
    RtcDtlsRecordVerdict current = rtc_dtls_record_check (&up, t,
        RTC_DTLS_VERSION_1_2, 1, 30);

    /* ChangeCipherSpec only in the clear, application data only
     * encrypted, alerts and handshake either way. */
    g_assert_cmpint (plain, ==, (t == 20 || t == 21 || t == 22) ?
        RTC_DTLS_RECORD_KEEP : RTC_DTLS_RECORD_BAD_TYPE);
    g_assert_cmpint (next, ==, (t == 21 || t == 22 || t == 23) ?
        RTC_DTLS_RECORD_KEEP : RTC_DTLS_RECORD_BAD_TYPE);
    g_assert_cmpint (current, ==, next);
  }
}

static void
test_check_versions (void)
{
  static const guint16 bad[] = { 0x0000, 0x0303, 0x0301, 0xfefc, 0xfefe,
    0xfe00, 0xffff, 0x0100
  };
  RtcDtlsRecordScreen hs = screen_handshaking ();
  RtcDtlsRecordScreen up = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  guint i;

  g_assert_cmpint (rtc_dtls_record_check (&hs, 22, RTC_DTLS_VERSION_1_2, 0,
          100), ==, RTC_DTLS_RECORD_KEEP);
  /* A ClientHello may say DTLS 1.0 in its record header. */
  g_assert_cmpint (rtc_dtls_record_check (&hs, 22, RTC_DTLS_VERSION_1_0, 0,
          100), ==, RTC_DTLS_RECORD_KEEP);
  g_assert_cmpint (rtc_dtls_record_check (&up, 23, RTC_DTLS_VERSION_1_2, 1,
          100), ==, RTC_DTLS_RECORD_KEEP);
  /* After the handshake only what was negotiated. */
  g_assert_cmpint (rtc_dtls_record_check (&up, 23, RTC_DTLS_VERSION_1_0, 1,
          100), ==, RTC_DTLS_RECORD_BAD_VERSION);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_assert_cmpint (rtc_dtls_record_check (&hs, 22, bad[i], 0, 100), ==,
        RTC_DTLS_RECORD_BAD_VERSION);
    g_assert_cmpint (rtc_dtls_record_check (&up, 23, bad[i], 1, 100), ==,
        RTC_DTLS_RECORD_BAD_VERSION);
  }
}

static void
test_check_epochs (void)
{
  RtcDtlsRecordScreen hs = screen_handshaking ();
  RtcDtlsRecordScreen up = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  guint e;

  for (e = 0; e <= 0xffff; e++) {
    g_assert_cmpint (rtc_dtls_record_check (&hs, 22, RTC_DTLS_VERSION_1_2, e,
            100), ==, e <= 1 ? RTC_DTLS_RECORD_KEEP :
        RTC_DTLS_RECORD_BAD_EPOCH);
    /* Not even the next one: it never comes without renegotiation. */
    g_assert_cmpint (rtc_dtls_record_check (&up, 22, RTC_DTLS_VERSION_1_2, e,
            100), ==, e == 1 ? RTC_DTLS_RECORD_KEEP :
        RTC_DTLS_RECORD_BAD_EPOCH);
  }
}

static void
check_encrypted_lengths (RtcDtlsRecordScreen * s, guint16 epoch, gsize min)
{
  gsize max = RTC_DTLS_RECORD_MAX_PLAINTEXT + min;
  guint8 t;

  for (t = 21; t <= 23; t++) {
    g_assert_cmpint (rtc_dtls_record_check (s, t, RTC_DTLS_VERSION_1_2, epoch,
            0), ==, RTC_DTLS_RECORD_TOO_SHORT);
    g_assert_cmpint (rtc_dtls_record_check (s, t, RTC_DTLS_VERSION_1_2, epoch,
            min - 1), ==, RTC_DTLS_RECORD_TOO_SHORT);
    g_assert_cmpint (rtc_dtls_record_check (s, t, RTC_DTLS_VERSION_1_2, epoch,
            min), ==, RTC_DTLS_RECORD_KEEP);
    g_assert_cmpint (rtc_dtls_record_check (s, t, RTC_DTLS_VERSION_1_2, epoch,
            max), ==, RTC_DTLS_RECORD_KEEP);
    g_assert_cmpint (rtc_dtls_record_check (s, t, RTC_DTLS_VERSION_1_2, epoch,
            max + 1), ==, RTC_DTLS_RECORD_TOO_LONG);
    g_assert_cmpint (rtc_dtls_record_check (s, t, RTC_DTLS_VERSION_1_2, epoch,
            0xffff), ==, RTC_DTLS_RECORD_TOO_LONG);
  }
}

static void
test_check_lengths (void)
{
  RtcDtlsRecordScreen hs = screen_handshaking ();
  RtcDtlsRecordScreen gcm = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  RtcDtlsRecordScreen chacha =
      screen_connected (RTC_DTLS_CHACHA20_POLY1305_OVERHEAD);
  RtcDtlsRecordScreen unknown = screen_connected (0);

  g_assert_cmpuint (RTC_DTLS_AES_GCM_OVERHEAD, ==, 8 + 16);
  g_assert_cmpuint (RTC_DTLS_CHACHA20_POLY1305_OVERHEAD, ==, 16);
  check_encrypted_lengths (&gcm, 1, 24);
  check_encrypted_lengths (&chacha, 1, 16);
  /* Not known yet: the largest floor. */
  check_encrypted_lengths (&unknown, 1, 24);
  check_encrypted_lengths (&hs, 1, 24);
  hs.aead_overhead = RTC_DTLS_CHACHA20_POLY1305_OVERHEAD;
  check_encrypted_lengths (&hs, 1, 16);

  /* The null cipher of epoch 0: any length up to 2^14. */
  g_assert_cmpint (rtc_dtls_record_check (&hs, 21, RTC_DTLS_VERSION_1_2, 0,
          0), ==, RTC_DTLS_RECORD_KEEP);
  g_assert_cmpint (rtc_dtls_record_check (&hs, 20, RTC_DTLS_VERSION_1_2, 0,
          1), ==, RTC_DTLS_RECORD_KEEP);
  g_assert_cmpint (rtc_dtls_record_check (&hs, 22, RTC_DTLS_VERSION_1_2, 0,
          16384), ==, RTC_DTLS_RECORD_KEEP);
  g_assert_cmpint (rtc_dtls_record_check (&hs, 22, RTC_DTLS_VERSION_1_2, 0,
          16385), ==, RTC_DTLS_RECORD_TOO_LONG);
}

/* ------------------------------------------------------------------ */
/* datagrams */

static void
test_screen_all_kept (void)
{
  RtcDtlsRecordScreen s = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  GByteArray *d = g_byte_array_new ();
  guint8 *scratch = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  const guint8 *out;
  gsize len;

  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 5, 40, 0xaa);
  append_record (d, 21, RTC_DTLS_VERSION_1_2, 1, 6, 26, 0xbb);
  append_record (d, 22, RTC_DTLS_VERSION_1_2, 1, 7, 24, 0xcc);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  /* No copy. */
  g_assert_true (out == d->data);
  g_assert_cmpuint (len, ==, d->len);
  g_assert_cmpuint (s.dropped, ==, 0);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_KEEP);

  /* Nothing in, nothing out. */
  out = rtc_dtls_record_screen (&s, d->data, 0, scratch, &len);
  g_assert_null (out);
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpuint (s.dropped, ==, 0);

  g_byte_array_unref (d);
  g_free (scratch);
}

static void
test_screen_some_kept (void)
{
  RtcDtlsRecordScreen s = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  GByteArray *d = g_byte_array_new ();
  GByteArray *want = g_byte_array_new ();
  guint8 *scratch = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  const guint8 *out;
  gsize len;

  /* good, bad, good, bad, good: the good ones, in order, in scratch */
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 1, 30, 1);
  append_record (want, 23, RTC_DTLS_VERSION_1_2, 1, 1, 30, 1);
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 2, 14, 2);     /* short */
  append_record (d, 21, RTC_DTLS_VERSION_1_2, 1, 3, 26, 3);
  append_record (want, 21, RTC_DTLS_VERSION_1_2, 1, 3, 26, 3);
  append_record (d, 21, RTC_DTLS_VERSION_1_2, 0, 4, 2, 4);      /* epoch 0 */
  append_record (d, 22, RTC_DTLS_VERSION_1_2, 1, 5, 60, 5);
  append_record (want, 22, RTC_DTLS_VERSION_1_2, 1, 5, 60, 5);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_true (out == scratch);
  g_assert_cmpmem (out, len, want->data, want->len);
  g_assert_cmpuint (s.dropped, ==, 2);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_BAD_EPOCH);

  /* good, bad: a prefix of the datagram itself */
  g_byte_array_set_size (d, 0);
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 1, 30, 1);
  append_record (d, 99, RTC_DTLS_VERSION_1_2, 1, 2, 30, 2);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_true (out == d->data);
  g_assert_cmpuint (len, ==, HDR + 30);
  g_assert_cmpuint (s.dropped, ==, 3);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_BAD_TYPE);

  /* bad, good: a copy */
  g_byte_array_set_size (d, 0);
  append_record (d, 23, 0x0303, 1, 1, 30, 1);
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 2, 30, 2);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_true (out == scratch);
  g_assert_cmpmem (out, len, d->data + HDR + 30, HDR + 30);
  g_assert_cmpuint (s.dropped, ==, 4);

  /* all bad */
  out = rtc_dtls_record_screen (&s, d->data, HDR + 30, scratch, &len);
  g_assert_null (out);
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpuint (s.dropped, ==, 5);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_BAD_VERSION);

  g_byte_array_unref (d);
  g_byte_array_unref (want);
  g_free (scratch);
}

static void
test_screen_truncated (void)
{
  RtcDtlsRecordScreen s = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  GByteArray *d = g_byte_array_new ();
  guint8 *scratch = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  const guint8 *out;
  gsize len, i;

  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 1, 30, 1);
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 2, 30, 2);

  /* Every cut inside the second record: its header or its body runs
   * past the end; the first record is kept. */
  for (i = HDR + 30 + 1; i < d->len; i++) {
    guint64 before = s.dropped;

    out = rtc_dtls_record_screen (&s, d->data, i, scratch, &len);
    g_assert_true (out == d->data);
    g_assert_cmpuint (len, ==, HDR + 30);
    g_assert_cmpuint (s.dropped, ==, before + 1);
    g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_TRUNCATED);
  }
  /* And inside the first: nothing is left. */
  for (i = 1; i < HDR + 30; i++) {
    guint64 before = s.dropped;

    out = rtc_dtls_record_screen (&s, d->data, i, scratch, &len);
    g_assert_null (out);
    g_assert_cmpuint (len, ==, 0);
    g_assert_cmpuint (s.dropped, ==, before + 1);
  }
  /* A length field longer than the datagram takes the rest with it. */
  d->data[11] = 0xff;
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_null (out);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_TRUNCATED);

  g_byte_array_unref (d);
  g_free (scratch);
}

/* OpenSSL is never handed more than one full record's worth of a
 * datagram, so it never cuts a record short itself. */
static void
test_screen_datagram_full (void)
{
  RtcDtlsRecordScreen s = screen_connected (RTC_DTLS_AES_GCM_OVERHEAD);
  GByteArray *d = g_byte_array_new ();
  guint8 *scratch = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  const guint8 *out;
  gsize len;
  guint i;

  /* One record of the largest size fits exactly. */
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, 1, 16384 + 24, 1);
  g_assert_cmpuint (d->len, ==, RTC_DTLS_RECORD_MAX_DATAGRAM);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_true (out == d->data);
  g_assert_cmpuint (len, ==, d->len);
  g_assert_cmpuint (s.dropped, ==, 0);

  /* 10 records of 5000 bytes: 3 fit. */
  g_byte_array_set_size (d, 0);
  for (i = 0; i < 10; i++)
    append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, i, 5000 - HDR, i);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_true (out == d->data);
  g_assert_cmpuint (len, ==, 15000);
  g_assert_cmpuint (s.dropped, ==, 7);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_DATAGRAM_FULL);

  /* A dropped record in front: the 3 that fit are copied. */
  g_byte_array_set_size (d, 0);
  append_record (d, 23, RTC_DTLS_VERSION_1_2, 7, 0, 100, 0);
  for (i = 0; i < 10; i++)
    append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, i, 5000 - HDR, i);
  out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
  g_assert_true (out == scratch);
  g_assert_cmpmem (out, len, d->data + HDR + 100, 15000);
  g_assert_cmpuint (s.dropped, ==, 7 + 8);

  g_byte_array_unref (d);
  g_free (scratch);
}

static void
test_screen_next_epoch_budget (void)
{
  RtcDtlsRecordScreen s = screen_handshaking ();
  GByteArray *d = g_byte_array_new ();
  guint8 *scratch = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  const guint8 *out;
  gsize len;
  guint i, kept = 0;

  /* Application data and current-epoch records do not count. */
  for (i = 0; i < 100; i++) {
    g_byte_array_set_size (d, 0);
    append_record (d, 23, RTC_DTLS_VERSION_1_2, 1, i, 40, 0);
    append_record (d, 22, RTC_DTLS_VERSION_1_2, 0, i, 40, 0);
    out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
    g_assert_true (out == d->data);
    g_assert_cmpuint (len, ==, d->len);
  }
  g_assert_cmpuint (s.next_epoch_budget, ==,
      RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET);

  /* Handshake and alert records of the next epoch do, until none is
   * left; neither those dropped for other reasons. */
  for (i = 0; i < 40; i++) {
    g_byte_array_set_size (d, 0);
    append_record (d, 21 + i % 2, RTC_DTLS_VERSION_1_2, 1, i, 40, 0);
    append_record (d, 22, RTC_DTLS_VERSION_1_2, 1, i, 10, 0);   /* short */
    out = rtc_dtls_record_screen (&s, d->data, d->len, scratch, &len);
    if (out != NULL) {
      g_assert_cmpuint (len, ==, HDR + 40);
      kept++;
    }
  }
  g_assert_cmpuint (kept, ==, RTC_DTLS_RECORD_NEXT_EPOCH_BUDGET);
  g_assert_cmpuint (s.next_epoch_budget, ==, 0);
  g_assert_cmpuint (s.dropped, ==, 40 + 40 - kept);
  g_assert_cmpint (s.last_drop, ==, RTC_DTLS_RECORD_TOO_SHORT);

  g_byte_array_unref (d);
  g_free (scratch);
}

/* Whatever comes in, what comes out is a sequence of whole records that
 * each pass rtc_dtls_record_check(), within the size limit, and every
 * record in is either out or counted. */
static void
test_screen_random (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  guint8 *scratch = g_malloc (RTC_DTLS_RECORD_MAX_DATAGRAM);
  guint8 *buf = g_malloc (60000 + HDR + 17000);
  guint iter;

  for (iter = 0; iter < 20000; iter++) {
    RtcDtlsRecordScreen s = (iter & 1) ? screen_handshaking () :
        screen_connected (g_rand_boolean (rand) ? 16 : 24);
    gsize len = 0, out_len, pos, n_in = 0, n_out = 0;
    gboolean exact = TRUE;
    const guint8 *out;

    /* Records with mostly plausible headers, sometimes with a lying
     * length field. */
    while (len < 60000 && g_rand_int_range (rand, 0, 8) != 0) {
      gsize body = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 64) :
          g_rand_int_range (rand, 0, 17000);
      guint j;

      buf[len] = g_rand_int_range (rand, 18, 26);
      buf[len + 1] = 0xfe;
      buf[len + 2] = g_rand_boolean (rand) ? 0xfd : 0xff;
      buf[len + 3] = 0;
      buf[len + 4] = g_rand_int_range (rand, 0, 3);
      for (j = 5; j < 11; j++)
        buf[len + j] = g_rand_int (rand);
      buf[len + 11] = body >> 8;
      buf[len + 12] = body & 0xff;
      if (g_rand_int_range (rand, 0, 16) == 0) {
        body = g_rand_int_range (rand, 0, 100);
        exact = FALSE;
      }
      for (j = 0; j < body; j++)
        buf[len + HDR + j] = j;
      len += HDR + body;
      n_in++;
    }
    if (g_rand_boolean (rand) && len > 0) {
      len -= g_rand_int_range (rand, 0, MIN (len, 20));
      exact = FALSE;
    }

    out = rtc_dtls_record_screen (&s, buf, len, scratch, &out_len);
    g_assert_true (out == NULL || out == buf || out == scratch);
    g_assert_cmpuint (out_len, <=, RTC_DTLS_RECORD_MAX_DATAGRAM);
    g_assert_cmpuint (out_len, <=, len);
    g_assert_true ((out == NULL) == (out_len == 0));
    for (pos = 0; pos < out_len; n_out++) {
      gsize body;

      g_assert_cmpuint (out_len - pos, >=, HDR);
      body = out[pos + 11] << 8 | out[pos + 12];
      g_assert_cmpuint (out_len - pos, >=, HDR + body);
      g_assert_cmpint (rtc_dtls_record_check (&s, out[pos],
              out[pos + 1] << 8 | out[pos + 2],
              out[pos + 3] << 8 | out[pos + 4], body), ==,
          RTC_DTLS_RECORD_KEEP);
      pos += HDR + body;
    }
    /* Unless a length field lied or the end was cut, the records are
     * those that were put in. */
    if (exact)
      g_assert_cmpuint (n_out + s.dropped, ==, n_in);
    if (len == 0)
      g_assert_cmpuint (s.dropped, ==, 0);
  }
  g_free (buf);
  g_free (scratch);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dtls/record/check/types", test_check_types);
  g_test_add_func ("/dtls/record/check/versions", test_check_versions);
  g_test_add_func ("/dtls/record/check/epochs", test_check_epochs);
  g_test_add_func ("/dtls/record/check/lengths", test_check_lengths);
  g_test_add_func ("/dtls/record/screen/all-kept", test_screen_all_kept);
  g_test_add_func ("/dtls/record/screen/some-kept", test_screen_some_kept);
  g_test_add_func ("/dtls/record/screen/truncated", test_screen_truncated);
  g_test_add_func ("/dtls/record/screen/datagram-full",
      test_screen_datagram_full);
  g_test_add_func ("/dtls/record/screen/next-epoch-budget",
      test_screen_next_epoch_budget);
  g_test_add_func ("/dtls/record/screen/random", test_screen_random);
  return g_test_run ();
}
