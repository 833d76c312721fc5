package dev.vmm.sev.cpu;

import dev.vmm.core.arch.CpuidRanges;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A QEMU CPU model by name, as far as the launch and the guest's CPUID see it: the CPUID family, model
 * and stepping, whose signature (CPUID Fn0000_0001 EAX) QEMU puts in RDX at reset and so in every VMSA,
 * and the highest basic and extended leaves ({@code level}, {@code xlevel}) that bound the guest's
 * CPUID. Versions of a model (EPYC-Rome-v2 ...) change feature bits, never these. The feature bits
 * themselves are the host's, as KVM offers them.
 */
public record CpuModel(String name, int family, int model, int stepping, int level, int xlevel) {
    private static final Map<String, CpuModel> MODELS = new LinkedHashMap<>();

    static {
        // QEMU target/i386/cpu.c builtin_x86_defs: family/model/stepping, level and xlevel of each AMD EPYC model.
        family("EPYC", 23, 1, 2, 0xd, 0x8000001e, 5);
        add("EPYC-IBPB", 23, 1, 2, 0xd, 0x8000001e);
        family("EPYC-Rome", 23, 49, 0, 0xd, 0x8000001e, 5);
        family("EPYC-Milan", 25, 1, 1, 0xd, 0x8000001e, 3);
        family("EPYC-Genoa", 25, 17, 0, 0xd, 0x80000022, 2);
        family("EPYC-Turin", 26, 0, 0, 0xd, 0x80000022, 1);
    }

    private static void family(String base, int family, int model, int stepping, int level, int xlevel, int versions) {
        add(base, family, model, stepping, level, xlevel);
        for (int v = 1; v <= versions; v++) {
            add(base + "-v" + v, family, model, stepping, level, xlevel);
        }
    }

    private static void add(String name, int family, int model, int stepping, int level, int xlevel) {
        MODELS.put(name, new CpuModel(name, family, model, stepping, level, xlevel));
    }

    public static Optional<CpuModel> byName(String name) {
        return Optional.ofNullable(MODELS.get(name));
    }

    public static Iterable<String> names() {
        return MODELS.keySet();
    }

    /**
     * A model from a raw CPUID signature (the host's, for {@code --cpu-model host}): every leaf the host
     * offers stays, as with QEMU's {@code -cpu host}.
     */
    public static CpuModel fromSignature(String name, int signature) {
        int baseFamily = signature >> 8 & 0xf;
        int family = baseFamily == 0xf ? baseFamily + (signature >> 20 & 0xff) : baseFamily;
        int model = (signature >> 4 & 0xf) | (baseFamily == 0x6 || baseFamily == 0xf ? (signature >> 16 & 0xf) << 4 : 0);
        return new CpuModel(name, family, model, signature & 0xf, CpuidRanges.UNLIMITED, CpuidRanges.UNLIMITED);
    }

    /**
     * CPUID Fn0000_0001 EAX (AMD CPUID Specification #25481): extended family in bits 27:20 when the
     * family exceeds 0xf, extended model in 19:16, then family, model and stepping nibbles.
     */
    public int signature() {
        int familyLow = Math.min(family, 0xf);
        int familyHigh = family > 0xf ? (family - 0xf) & 0xff : 0;
        return familyHigh << 20 | (model >> 4 & 0xf) << 16 | familyLow << 8 | (model & 0xf) << 4 | (stepping & 0xf);
    }
}
