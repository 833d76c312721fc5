package dev.vmm.sev.cpu;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * KVM_GET_SUPPORTED_CPUID answers of large hosts, written leaf by leaf in the shape Linux 6.12's KVM
 * gives them: every leaf up to the maximum (reserved ones as zeros), indexed leaves with each subleaf
 * and their terminating one. Values are plausible, not a real part's; what matters is which leaves
 * and subleaves exist and which are zero.
 */
final class SyntheticHosts {
    private final List<CpuidEntry> entries = new ArrayList<>();

    private SyntheticHosts() {}

    /** A Sapphire-Rapids-like Intel host (AMX permitted, SGX, PT, RDT): basic leaves to 0x24. */
    static List<CpuidEntry> intel() {
        SyntheticHosts h = new SyntheticHosts();
        h.leaf(0x0, 0x24, 0x756e6547, 0x6c65746e, 0x49656e69);
        h.leaf(0x1, 0x806f8, 0x800, 0xfffa3203, 0x178bfbff);
        h.leaf(0x2, 0x00feff01, 0xf0, 0, 0);
        h.zero(0x3);
        h.subleaves(0x4, 5);
        h.leaf(0x5, 0x40, 0x40, 3, 0x11142120);
        h.leaf(0x6, 0x4, 0, 0, 0);
        h.subleaves(0x7, 3);
        h.zero(0x8);
        h.zero(0x9);
        h.leaf(0xa, 0x07300802, 0, 0, 0x603);
        h.topology(0xb, 3);
        h.zero(0xc);
        h.xsave(0x602e7, 0x1d900, 2, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18);
        h.zero(0xe);
        h.subleaves(0xf, 2);
        h.subleaves(0x10, 4);
        h.zero(0x11);
        h.subleaves(0x12, 4);
        h.zero(0x13);
        h.subleaves(0x14, 2);
        h.leaf(0x15, 2, 0xc8, 0x16e3600, 0);
        h.leaf(0x16, 0x7d0, 0xfa0, 0x64, 0);
        h.subleaves(0x17, 4);
        h.subleaves(0x18, 8);
        h.leaf(0x19, 7, 0x14, 3, 0);
        h.zero(0x1a);
        h.zero(0x1b);
        h.leaf(0x1c, 0x4000000b, 7, 7, 0);
        h.subleaves(0x1d, 2);
        h.subleaves(0x1e, 1);
        h.topology(0x1f, 4);
        h.leaf(0x20, 1, 0, 0, 0);
        h.zero(0x21);
        h.zero(0x22);
        h.subleaves(0x23, 4);
        h.subleaves(0x24, 1);
        h.hypervisor();
        h.leaf(0x80000000, 0x80000008, 0, 0, 0);
        h.leaf(0x80000001, 0, 0, 0x121, 0x2c100800);
        h.brand();
        h.zero(0x80000005);
        h.leaf(0x80000006, 0, 0, 0x08007040, 0);
        h.leaf(0x80000007, 0, 0, 0, 0x100);
        h.leaf(0x80000008, 0x3934, 0x200, 0, 0);
        return List.copyOf(h.entries);
    }

    /**
     * A Turin-like AMD host whose KVM reports extended leaves to 0x80000028, and basic leaves to 0x24
     * as a next part may (reserved ones zero, as KVM reports every leaf up to the maximum).
     */
    static List<CpuidEntry> amd() {
        SyntheticHosts h = new SyntheticHosts();
        h.leaf(0x0, 0x24, 0x68747541, 0x444d4163, 0x69746e65);
        h.leaf(0x1, 0xb00f00, 0x800, 0xfef83203, 0x178bfbff);
        h.zero(0x2);
        h.zero(0x3);
        h.zero(0x4);
        h.leaf(0x5, 0x40, 0x40, 3, 0x11);
        h.leaf(0x6, 0x4, 0, 0, 0);
        h.subleaves(0x7, 3);
        h.zero(0x8);
        h.zero(0x9);
        h.zero(0xa);
        h.topology(0xb, 3);
        h.zero(0xc);
        h.xsave(0x2e7, 0x1800, 2, 5, 6, 7, 9, 11, 12);
        h.zero(0xe);
        h.subleaves(0xf, 2);
        h.subleaves(0x10, 4);
        for (int f = 0x11; f <= 0x24; f++) {
            h.zero(f);
        }
        h.hypervisor();
        h.leaf(0x80000000, 0x80000028, 0x68747541, 0x444d4163, 0x69746e65);
        h.leaf(0x80000001, 0xb00f00, 0x40000000, 0x75c237ff, 0x2fd3fbff);
        h.brand();
        h.leaf(0x80000005, 0xff48ff40, 0xff48ff40, 0x20080140, 0x20080140);
        h.leaf(0x80000006, 0x5c002200, 0x6c004200, 0x04006140, 0x08009140);
        h.leaf(0x80000007, 0, 0x3b, 0, 0x6799);
        h.leaf(0x80000008, 0x3030, 0x791ef257, 0x703f, 0x10000);
        h.zero(0x80000009);
        h.leaf(0x8000000a, 1, 0x8000, 0, 0x1ebfbcff);
        for (int f = 0x8000000b; f <= 0x80000018; f++) {
            h.zero(f);
        }
        h.leaf(0x80000019, 0xf048f040, 0xf0400000, 0, 0);
        h.leaf(0x8000001a, 6, 0, 0, 0);
        h.leaf(0x8000001b, 0xbff, 0, 0, 0);
        h.zero(0x8000001c);
        h.subleaves(0x8000001d, 5);
        h.leaf(0x8000001e, 0, 0x100, 0, 0);
        h.leaf(0x8000001f, 0x0101fd3f, 0x4173, 0x3ef, 0x80);
        h.subleaves(0x80000020, 4);
        h.leaf(0x80000021, 0x6c0cfcf, 0x15c, 0, 0);
        h.leaf(0x80000022, 7, 0x2006, 0, 0);
        h.leaf(0x80000023, 2, 0, 0, 0);
        h.zero(0x80000024);
        h.leaf(0x80000025, 0x1f, 0, 0, 0);
        h.subleaves(0x80000026, 4);
        h.zero(0x80000027);
        h.leaf(0x80000028, 1, 0, 0, 0);
        return List.copyOf(h.entries);
    }

    private void leaf(int function, int eax, int ebx, int ecx, int edx) {
        entries.add(new CpuidEntry(function, 0, 0, eax, ebx, ecx, edx));
    }

    private void zero(int function) {
        leaf(function, 0, 0, 0, 0);
    }

    /** {@code n} subleaves with values, then the all-zero one that ends an enumeration. */
    private void subleaves(int function, int n) {
        for (int i = 0; i < n; i++) {
            entries.add(new CpuidEntry(function, i, CpuidEntry.FLAG_SIGNIFICANT_INDEX, function ^ i << 8 | 1,
                    0x1c0003f, i, 0));
        }
        entries.add(new CpuidEntry(function, n, CpuidEntry.FLAG_SIGNIFICANT_INDEX, 0, 0, 0, 0));
    }

    /** Topology levels (SMT, core, ...) and the invalid level that ends them (ECX = its index). */
    private void topology(int function, int levels) {
        for (int i = 0; i <= levels; i++) {
            boolean end = i == levels;
            entries.add(new CpuidEntry(function, i, CpuidEntry.FLAG_SIGNIFICANT_INDEX, end ? 0 : i + 1, end ? 0 : 2,
                    end ? i : (i + 1) << 8 | i, 0));
        }
    }

    /** Leaf 0xD: subleaf 0 with XCR0, subleaf 1 with XSS, then one subleaf per component. */
    private void xsave(int xcr0, int xss, int... components) {
        entries.add(new CpuidEntry(0xd, 0, CpuidEntry.FLAG_SIGNIFICANT_INDEX, xcr0, 0xa88, 0x2b00, 0));
        entries.add(new CpuidEntry(0xd, 1, CpuidEntry.FLAG_SIGNIFICANT_INDEX, 0xf, 0x988, xss, 0));
        for (int c : components) {
            entries.add(new CpuidEntry(0xd, c, CpuidEntry.FLAG_SIGNIFICANT_INDEX, 0x40 * c, 0x240 + 0x40 * c,
                    (xss & 1 << c) != 0 ? 1 : 0, 0));
        }
    }

    private void hypervisor() {
        leaf(0x40000000, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d);
        leaf(0x40000001, 0x01007efb, 0, 0, 0);
    }

    private void brand() {
        for (int f = 0x80000002; f <= 0x80000004; f++) {
            leaf(f, 0x20444d41 + f, 0x43595045, 0x20202020, 0x20202020);
        }
    }
}
