package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/** One CPUID leaf/subleaf ({@code struct kvm_cpuid_entry2}). */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    /** {@code KVM_CPUID_FLAG_SIGNIFCANT_INDEX} (sic, as in the header): the index selects a subleaf. */
    public static final int FLAG_SIGNIFICANT_INDEX = 1;
    static final long SIZE = RegsLayouts.KVM_CPUID_ENTRY2.byteSize();

    static CpuidEntry read(MemorySegment m, long at) {
        return new CpuidEntry(m.get(JAVA_INT, at), m.get(JAVA_INT, at + 4), m.get(JAVA_INT, at + 8),
                m.get(JAVA_INT, at + 12), m.get(JAVA_INT, at + 16), m.get(JAVA_INT, at + 20), m.get(JAVA_INT, at + 24));
    }

    void write(MemorySegment m, long at) {
        int[] v = {function, index, flags, eax, ebx, ecx, edx, 0, 0, 0};
        MemorySegment.copy(v, 0, m, JAVA_INT, at, v.length);
    }

    public CpuidEntry withEbx(int value) {
        return new CpuidEntry(function, index, flags, eax, value, ecx, edx);
    }

    public CpuidEntry withEdx(int value) {
        return new CpuidEntry(function, index, flags, eax, ebx, ecx, value);
    }

    public CpuidEntry withEcx(int value) {
        return new CpuidEntry(function, index, flags, eax, ebx, value, edx);
    }

    public CpuidEntry withEax(int value) {
        return new CpuidEntry(function, index, flags, value, ebx, ecx, edx);
    }
}
