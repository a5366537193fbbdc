/* rtcpeer
 * Copyright (C) 2026 rtcpeer developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Linked into every check test: a fatal critical (G_DEBUG=fatal-criticals)
 * or a crash prints the stack of the thread it happened on before the
 * process dies. A rare failure on a CI machine is otherwise only "Received
 * signal 5" with no way to tell which code or thread it came from. */

#include <glib.h>
#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* provided by the ASan/UBSan runtime when the build is instrumented */
extern void __sanitizer_print_stack_trace (void) __attribute__ ((weak));

static void
print_trace (int sig)
{
  static const char head[] = "\n*** rtcpeer tests: fatal signal, stack of "
      "the thread it was raised on:\n";
  void *frames[64];
  int n;

  if (write (STDERR_FILENO, head, sizeof head - 1) < 0)
    goto out;
  if (__sanitizer_print_stack_trace) {
    __sanitizer_print_stack_trace ();
  } else {
    n = backtrace (frames, G_N_ELEMENTS (frames));
    backtrace_symbols_fd (frames, n, STDERR_FILENO);
  }
out:
  signal (sig, SIG_DFL);
  raise (sig);
}

__attribute__ ((constructor))
     static void install_trace (void)
{
  /* SIGSEGV and SIGABRT are left to ASan, which reports them better */
  signal (SIGTRAP, print_trace);
  if (!__sanitizer_print_stack_trace) {
    signal (SIGSEGV, print_trace);
    signal (SIGABRT, print_trace);
  }
}
