package dev.vmm.sev.cpuid;

import dev.vmm.core.kvm.CpuidEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The SNP CPUID page: the leaves the guest may trust, which the firmware checks against the CPU at
 * SNP_LAUNCH_UPDATE. Format of QEMU's {@code SnpCpuidInfo} (and the SNP firmware ABI): u32 count, 12
 * reserved bytes, then up to 64 entries of 48 bytes (eax_in, ecx_in, xcr0_in, xss_in, eax, ebx, ecx,
 * edx, reserved); the rest of the 4 KiB page is zero.
 */
public final class SnpCpuidTable {
    public static final int MAX_ENTRIES = 64;
    public static final int PAGE_SIZE = 4096;
    private static final int HEADER = 16;
    private static final int ENTRY = 48;
    private static final int LEAF_XSAVE = 0xd;
    /** XSAVE area size for x87|SSE (XCR0 = 1), what QEMU reports for leaf 0xD subleaves 0 and 1. */
    private static final int XSAVE_LEGACY_SIZE = 0x240;

    public record Entry(int eaxIn, int ecxIn, long xcr0In, long xssIn, int eax, int ebx, int ecx, int edx) {
        /** {@code 0x7.1}: function and subfunction, as the error messages name a leaf. */
        public String leaf() {
            return String.format("0x%x.%x", eaxIn, ecxIn);
        }
    }

    private final List<Entry> entries;

    public SnpCpuidTable(List<Entry> entries) {
        if (entries.size() > MAX_ENTRIES) {
            throw new CpuidPageOverflowException(entries.size(), entries.stream().map(Entry::leaf).toList());
        }
        this.entries = List.copyOf(entries);
    }

    /**
     * From the CPUID the vCPUs get (KVM_SET_CPUID2), filled the way QEMU fills it, but without the
     * leaves that are all zero: a guest reads a leaf missing from the page as zeros when it lies inside
     * the ranges leaves 0, 0x40000000 and 0x80000000 declare (Linux's snp_cpuid(), "hypervisors will
     * avoid keeping track of CPUID entries where all values are zero"; OVMF's SNP CPUID lookup alike),
     * and KVM answers zeros for it too. So the page says what the vCPU says in fewer entries.
     */
    public static SnpCpuidTable fromCpuid(List<CpuidEntry> cpuid) {
        List<Entry> out = new ArrayList<>();
        for (CpuidEntry e : cpuid) {
            if ((e.eax() | e.ebx() | e.ecx() | e.edx()) == 0) {
                continue;
            }
            int ecxIn = (e.flags() & CpuidEntry.FLAG_SIGNIFICANT_INDEX) != 0 ? e.index() : 0;
            if (e.function() == LEAF_XSAVE && (e.index() == 0 || e.index() == 1)) {
                // The firmware validates leaf 0xD for the XCR0 in the entry; QEMU states x87|SSE.
                out.add(new Entry(e.function(), ecxIn, 1, 0, e.eax(), XSAVE_LEGACY_SIZE, e.ecx(), e.edx()));
            } else {
                out.add(new Entry(e.function(), ecxIn, 0, 0, e.eax(), e.ebx(), e.ecx(), e.edx()));
            }
        }
        return new SnpCpuidTable(out);
    }

    public List<Entry> entries() {
        return entries;
    }

    public byte[] page() {
        ByteBuffer b = ByteBuffer.allocate(PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            b.position(HEADER + ENTRY * i);
            b.putInt(e.eaxIn).putInt(e.ecxIn).putLong(e.xcr0In).putLong(e.xssIn)
                    .putInt(e.eax).putInt(e.ebx).putInt(e.ecx).putInt(e.edx).putLong(0);
        }
        return b.array();
    }

    public static SnpCpuidTable parse(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt(0);
        if (page.length != PAGE_SIZE || count < 0 || count > MAX_ENTRIES) {
            // Not the overflow exception: this is a malformed page, not a guest CPUID too large for one.
            throw new IllegalArgumentException("not an SNP CPUID page: count " + count + ", " + page.length + " bytes");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            b.position(HEADER + ENTRY * i);
            entries.add(new Entry(b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getInt(),
                    b.getInt()));
        }
        return new SnpCpuidTable(entries);
    }

    /** Leaf by leaf, what this table has that {@code expected} does not, as QEMU reports a rejection. */
    public List<String> differences(SnpCpuidTable expected) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(entries.size(), expected.entries.size()); i++) {
            Entry mine = i < entries.size() ? entries.get(i) : null;
            Entry theirs = i < expected.entries.size() ? expected.entries.get(i) : null;
            if (mine == null || theirs == null) {
                out.add("entry " + i + ": " + (mine == null ? "missing" : "unexpected " + mine.leaf()));
            } else if (!mine.equals(theirs)) {
                out.add(String.format("leaf %s: provided eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x, "
                        + "expected eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x", mine.leaf(), mine.eax, mine.ebx,
                        mine.ecx, mine.edx, theirs.eax, theirs.ebx, theirs.ecx, theirs.edx));
            }
        }
        return out;
    }
}
