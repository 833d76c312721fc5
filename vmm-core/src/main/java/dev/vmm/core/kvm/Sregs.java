package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.offset;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** Segment, descriptor-table and control registers ({@code struct kvm_sregs}). */
public record Sregs(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss, Segment tr,
                    Segment ldt, DescriptorTable gdt, DescriptorTable idt, long cr0, long cr2, long cr3, long cr4,
                    long cr8, long efer, long apicBase, long[] interruptBitmap) {

    public static final long CR0_PE = 1L;
    public static final long CR0_PG = 1L << 31;
    public static final long CR4_PAE = 1L << 5;
    public static final long EFER_LME = 1L << 8;
    public static final long EFER_LMA = 1L << 10;

    private static final String[] SEGMENTS = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
    private static final long GDT = offset(RegsLayouts.KVM_SREGS, "gdt");
    private static final long IDT = offset(RegsLayouts.KVM_SREGS, "idt");
    private static final String[] CONTROL = {"cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apic_base"};
    private static final long BITMAP = offset(RegsLayouts.KVM_SREGS, "interrupt_bitmap");

    static Sregs read(MemorySegment m) {
        Segment[] seg = new Segment[8];
        for (int i = 0; i < 8; i++) {
            seg[i] = Segment.read(m, offset(RegsLayouts.KVM_SREGS, SEGMENTS[i]));
        }
        long[] cr = new long[CONTROL.length];
        for (int i = 0; i < cr.length; i++) {
            cr[i] = m.get(JAVA_LONG, offset(RegsLayouts.KVM_SREGS, CONTROL[i]));
        }
        long[] bitmap = new long[4];
        MemorySegment.copy(m, JAVA_LONG, BITMAP, bitmap, 0, 4);
        return new Sregs(seg[0], seg[1], seg[2], seg[3], seg[4], seg[5], seg[6], seg[7],
                DescriptorTable.read(m, GDT), DescriptorTable.read(m, IDT),
                cr[0], cr[1], cr[2], cr[3], cr[4], cr[5], cr[6], bitmap);
    }

    void write(MemorySegment m) {
        Segment[] seg = {cs, ds, es, fs, gs, ss, tr, ldt};
        for (int i = 0; i < 8; i++) {
            seg[i].write(m, offset(RegsLayouts.KVM_SREGS, SEGMENTS[i]));
        }
        gdt.write(m, GDT);
        idt.write(m, IDT);
        long[] cr = {cr0, cr2, cr3, cr4, cr8, efer, apicBase};
        for (int i = 0; i < cr.length; i++) {
            m.set(JAVA_LONG, offset(RegsLayouts.KVM_SREGS, CONTROL[i]), cr[i]);
        }
        MemorySegment.copy(interruptBitmap, 0, m, JAVA_LONG, BITMAP, 4);
    }

    /** The CPU mode as a person debugging a guest wants it named. */
    public String cpuMode() {
        if ((cr0 & CR0_PE) == 0) {
            return "real mode";
        }
        if ((efer & EFER_LMA) != 0) {
            return cs.l() ? "64-bit long mode" : "compatibility mode";
        }
        return (cs.db() ? "32-bit" : "16-bit") + " protected mode" + ((cr0 & CR0_PG) != 0 ? ", paging" : "");
    }

    @Override
    public String toString() {
        return String.format("""
                CS =%s
                DS =%s
                SS =%s
                TR =%s
                GDT=%s IDT=%s
                CR0=%08x CR2=%016x CR3=%016x CR4=%08x EFER=%016x (%s)""",
                cs, ds, ss, tr, gdt, idt, cr0, cr2, cr3, cr4, efer, cpuMode());
    }
}
