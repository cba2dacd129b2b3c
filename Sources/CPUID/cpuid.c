// CPU feature detection for choosing the trainer's kernel path at run time.
// Built without any -march flag, so it runs on every x86-64 CPU.
#include "dpotop_cpuid.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

// XGETBV reads which register states the OS saves on a context switch;
// a CPU may advertise AVX while the OS does not preserve YMM/ZMM.
static unsigned long long read_xcr0(void) {
  unsigned int lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((unsigned long long)hi << 32) | lo;
}

int dpotop_x86_level(void) {
  unsigned int a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 1;
  int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
  if (!(fma && osxsave && avx && f16c)) return 1;
  unsigned long long xcr0 = read_xcr0();
  // Bits 1 and 2: SSE and AVX (YMM upper halves) state.
  if ((xcr0 & 0x6) != 0x6) return 1;
  if (__get_cpuid_max(0, 0) < 7) return 1;
  __cpuid_count(7, 0, a, b, c, d);
  int avx2 = (b >> 5) & 1, bmi1 = (b >> 3) & 1, bmi2 = (b >> 8) & 1;
  if (!(avx2 && bmi1 && bmi2)) return 1;
  int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1,
      avx512vl = (b >> 31) & 1;
  // Bits 5-7: opmask, upper halves of ZMM0-15, ZMM16-31.
  if (avx512f && avx512dq && avx512bw && avx512vl && (xcr0 & 0xe0) == 0xe0) return 4;
  return 3;
}
#else
int dpotop_x86_level(void) { return 0; }
#endif
