package dev.vmm.core.arch;

import dev.vmm.core.kvm.CpuidEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The vendor string of CPUID leaf 0 ("GenuineIntel", "AuthenticAMD", ...): EBX, EDX, ECX in that order. */
public final class CpuVendor {
    public static final String AMD = "AuthenticAMD";
    public static final String HYGON = "HygonGenuine";

    private CpuVendor() {}

    public static String of(int ebx, int ecx, int edx) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ebx).putInt(edx).putInt(ecx);
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    /** The vendor in leaf 0 of {@code cpuid}, or "unknown" without one. */
    public static String of(List<CpuidEntry> cpuid) {
        return cpuid.stream().filter(e -> e.function() == 0).findFirst().map(e -> of(e.ebx(), e.ecx(), e.edx()))
                .orElse("unknown");
    }

    /** AMD's SVM (and Hygon's, its licensee) rather than Intel's VMX behaviour. */
    public static boolean isAmdLike(String vendor) {
        return vendor.equals(AMD) || vendor.equals(HYGON);
    }
}
