package dev.vmm.core.arch;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * CPUID leaf 0xD keeps subleaves 0 and 1 and one subleaf per XSAVE state component the guest may
 * enable: those in XCR0 (subleaf 0, EDX:EAX) or IA32_XSS (subleaf 1, EDX:ECX). A subleaf for any other
 * component describes state the guest can never switch on (Intel SDM vol. 1 §13.2).
 */
public final class XsaveSubleaves {
    public static final int LEAF = 0xd;

    private XsaveSubleaves() {}

    public static List<CpuidEntry> trim(List<CpuidEntry> cpuid) {
        long components = 0;
        for (CpuidEntry e : cpuid) {
            if (e.function() == LEAF && e.index() == 0) {
                components |= Integer.toUnsignedLong(e.eax()) | (long) e.edx() << 32;
            } else if (e.function() == LEAF && e.index() == 1) {
                components |= Integer.toUnsignedLong(e.ecx()) | (long) e.edx() << 32;
            }
        }
        List<CpuidEntry> out = new ArrayList<>(cpuid.size());
        for (CpuidEntry e : cpuid) {
            int i = e.index();
            boolean component = e.function() == LEAF && (i < 0 || i > 1);
            if (!component || i < 64 && (components & 1L << i) != 0) {
                out.add(e);
            }
        }
        return out;
    }
}
