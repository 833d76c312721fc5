package dev.vmm.firmware.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An uncompressed x86-64 ELF kernel ({@code vmlinux}) with a PVH entry: the physical address in its
 * {@code XEN_ELFNOTE_PHYS32_ENTRY} note (include/xen/interface/elfnote.h), where a loader enters it in
 * 32-bit protected mode. Its PT_LOAD segments go to their physical addresses (p_paddr).
 */
public record ElfKernel(String source, KernelBytes file, List<Segment> segments, long pvhEntry) implements KernelImage {
    /** XEN_ELFNOTE_PHYS32_ENTRY, in a note named "Xen". */
    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    static final int EM_X86_64 = 62;
    static final int PT_LOAD = 1;
    static final int PT_NOTE = 4;
    private static final int ELF_HEADER = 64;
    private static final int PROGRAM_HEADER = 56;
    /** Notes are a few hundred bytes; a PT_NOTE larger than this is not read into the heap. */
    static final int MAX_NOTES = 1 << 20;

    /** A PT_LOAD segment: {@code fileSize} bytes from the file at {@code offset}, then zeros to {@code memorySize}. */
    public record Segment(long physical, long offset, long fileSize, long memorySize) {
        public long end() {
            return physical + memorySize;
        }
    }

    static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    public static ElfKernel parse(String source, byte[] b) {
        return parse(KernelBytes.of(source, b));
    }

    /** Reads the ELF header, the program headers and the notes; the segments stay where they are. */
    public static ElfKernel parse(KernelBytes file) {
        String source = file.source();
        long size = file.size();
        if (size < ELF_HEADER) {
            throw new KernelException(source + ": " + size + " bytes, shorter than an ELF64 header");
        }
        byte[] b = file.read(0, ELF_HEADER);
        ByteBuffer e = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b[4] != 2 || b[5] != 1) {
            throw new KernelException(source + ": ELF class " + b[4] + ", data " + b[5]
                    + "; an x86-64 kernel is ELFCLASS64 (2), little-endian (1)");
        }
        int machine = e.getShort(18) & 0xffff;
        if (machine != EM_X86_64) {
            throw new KernelException(source + ": ELF e_machine " + machine + ", not x86-64 (" + EM_X86_64 + ")");
        }
        long phoff = e.getLong(32);
        int phentsize = e.getShort(54) & 0xffff;
        int phnum = e.getShort(56) & 0xffff;
        if (phentsize != PROGRAM_HEADER || phoff < 0 || phoff > size
                || (long) phnum * PROGRAM_HEADER > size - phoff) {
            throw new KernelException(String.format("%s: program headers (e_phoff 0x%x, e_phentsize %d, e_phnum %d) "
                    + "do not fit in the file", source, phoff, phentsize, phnum));
        }
        ByteBuffer ph = ByteBuffer.wrap(file.read(phoff, phnum * PROGRAM_HEADER)).order(ByteOrder.LITTLE_ENDIAN);
        List<Segment> segments = new ArrayList<>();
        long entry = -1;
        for (int i = 0; i < phnum; i++) {
            int at = i * PROGRAM_HEADER;
            int type = ph.getInt(at);
            long offset = ph.getLong(at + 8);
            long paddr = ph.getLong(at + 24);
            long filesz = ph.getLong(at + 32);
            long memsz = ph.getLong(at + 40);
            if (offset < 0 || filesz < 0 || offset > size || filesz > size - offset) {
                throw new KernelException(String.format("%s: program header %d (p_offset 0x%x, p_filesz 0x%x) runs "
                        + "past the end of the file", source, i, offset, filesz));
            }
            if (type == PT_LOAD) {
                if (memsz < filesz || paddr < 0 || paddr + memsz < paddr) {
                    throw new KernelException(String.format("%s: PT_LOAD %d at p_paddr 0x%x: p_memsz 0x%x is below "
                            + "p_filesz 0x%x or overflows", source, i, paddr, memsz, filesz));
                }
                segments.add(new Segment(paddr, offset, filesz, memsz));
            } else if (type == PT_NOTE) {
                if (filesz > MAX_NOTES) {
                    throw new KernelException(String.format("%s: PT_NOTE %d of %d bytes; notes are at most %d",
                            source, i, filesz, MAX_NOTES));
                }
                ByteBuffer notes = ByteBuffer.wrap(file.read(offset, (int) filesz)).order(ByteOrder.LITTLE_ENDIAN);
                long found = pvhEntry(source, notes, offset);
                entry = found >= 0 ? found : entry;
            }
        }
        if (segments.isEmpty()) {
            throw new KernelException(source + ": an ELF file without PT_LOAD segments");
        }
        if (entry < 0) {
            throw new KernelException(source + ": an ELF kernel without a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY; "
                    + "Linux has one with CONFIG_PVH=y)");
        }
        return new ElfKernel(source, file, List.copyOf(segments), entry);
    }

    @Override
    public byte[] bytes() {
        return file.all();
    }

    /**
     * The PVH entry in {@code e}, a PT_NOTE segment's bytes (at file offset {@code base}, for messages), or
     * -1. Notes: namesz, descsz, type, name, desc (4-aligned).
     */
    private static long pvhEntry(String source, ByteBuffer e, long base) {
        int end = e.capacity();
        int p = 0;
        while (p + 12 <= end) {
            long namesz = e.getInt(p) & 0xffff_ffffL;
            long descsz = e.getInt(p + 4) & 0xffff_ffffL;
            int type = e.getInt(p + 8);
            long name = p + 12L;
            long desc = name + align4(namesz);
            long next = desc + align4(descsz);
            if (next > end) {
                throw new KernelException(String.format("%s: ELF note at 0x%x (namesz %d, descsz %d) runs past its "
                        + "PT_NOTE segment", source, base + p, namesz, descsz));
            }
            if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 && "Xen\0".equals(string(e, (int) name, 4))) {
                // Linux emits the address as a pointer-sized value (8 bytes on x86-64); the entry is 32-bit.
                if (descsz != 4 && descsz != 8) {
                    throw new KernelException(source + ": XEN_ELFNOTE_PHYS32_ENTRY with a " + descsz + "-byte value");
                }
                return e.getInt((int) desc) & 0xffff_ffffL;
            }
            p = (int) next;
        }
        return -1;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }

    private static String string(ByteBuffer e, int at, int n) {
        byte[] s = new byte[n];
        e.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }

    /** Lowest and highest physical address the segments occupy. */
    public long start() {
        return segments.stream().mapToLong(Segment::physical).min().orElseThrow();
    }

    public long end() {
        return segments.stream().mapToLong(Segment::end).max().orElseThrow();
    }

    @Override
    public String toString() {
        return String.format("ELF kernel %s (PVH entry 0x%x, %d segments)", source, pvhEntry, segments.size());
    }
}
