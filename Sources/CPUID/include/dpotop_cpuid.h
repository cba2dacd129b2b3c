#ifndef DPOTOP_CPUID_H
#define DPOTOP_CPUID_H

/// The x86-64 micro-architecture level this CPU *and* its operating system
/// support for the trainer's kernels: 4 when AVX-512 F/BW/DQ/VL are present
/// and the OS saves the ZMM/opmask state (XCR0), 3 when AVX2, FMA, BMI1/2
/// and F16C are present and the OS saves the YMM state, else 1. Always 0 on
/// other architectures.
int dpotop_x86_level(void);

#endif
