package dev.vmm.devices.acpi;

import java.io.ByteArrayOutputStream;

/**
 * ASL's ResourceTemplate(): resource descriptors (ACPI 6.0 §6.4) in a Buffer, closed by an End Tag.
 * Only the descriptors our DSDT uses. Address-space descriptors are always fixed windows (_MIF and
 * _MAF set, positive decode, no translation) that the host bridge produces for its children.
 */
final class ResourceTemplate {
    private static final int IO_PORT = 0x47; // small item 0x08, length 7
    private static final int IRQ_NO_FLAGS = 0x22; // small item 0x04, length 2
    private static final int END_TAG = 0x79; // small item 0x0f, length 1
    private static final int DWORD_ADDRESS_SPACE = 0x87;
    private static final int WORD_ADDRESS_SPACE = 0x88;
    private static final int QWORD_ADDRESS_SPACE = 0x8a;

    // Address-space resource types (_RT) and flags.
    private static final int MEMORY_RANGE = 0;
    private static final int IO_RANGE = 1;
    private static final int BUS_NUMBER_RANGE = 2;
    /** General flags: _MAF | _MIF, positive decode (_DEC = 0), producer (bit 0 = 0). */
    private static final int FIXED_WINDOW = 0x0c;
    /** I/O type flags: _RNG = 3, both ISA and non-ISA ranges. */
    private static final int IO_ENTIRE_RANGE = 0x03;
    /** Memory type flags: _RW = 1 read/write, _MEM = 0 non-cacheable, as QEMU marks PCI holes. */
    private static final int MEMORY_NON_CACHEABLE_RW = 0x01;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** ASL WordBusNumber(ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, min, max, 0, len). */
    ResourceTemplate wordBusNumber(int min, int max) {
        return addressSpace(WORD_ADDRESS_SPACE, 2, BUS_NUMBER_RANGE, 0, min, max);
    }

    /** ASL WordIO(ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, min, max, 0, len). */
    ResourceTemplate wordIo(int min, int max) {
        return addressSpace(WORD_ADDRESS_SPACE, 2, IO_RANGE, IO_ENTIRE_RANGE, min, max);
    }

    /** ASL DWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, ...). */
    ResourceTemplate dWordMemory(long min, long max) {
        return addressSpace(DWORD_ADDRESS_SPACE, 4, MEMORY_RANGE, MEMORY_NON_CACHEABLE_RW, min, max);
    }

    /** ASL QWordMemory(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, ...). */
    ResourceTemplate qWordMemory(long min, long max) {
        return addressSpace(QWORD_ADDRESS_SPACE, 8, MEMORY_RANGE, MEMORY_NON_CACHEABLE_RW, min, max);
    }

    /**
     * The Word/DWord/QWord Address Space Descriptors share one layout: tag, 16-bit length, _RT,
     * general flags, type flags, then granularity, minimum, maximum, translation offset and length,
     * each {@code width} bytes.
     */
    private ResourceTemplate addressSpace(int tag, int width, int type, int typeFlags, long min, long max) {
        long mask = width == 8 ? -1L : (1L << 8 * width) - 1;
        if (Long.compareUnsigned(min, max) > 0 || (min & ~mask) != 0 || (max & ~mask) != 0 || max - min == -1L) {
            throw new IllegalArgumentException(String.format(
                    "address window 0x%x-0x%x does not fit a %d-byte descriptor", min, max, width));
        }
        out.write(tag);
        le(3 + 5 * width, 2);
        out.write(type);
        out.write(FIXED_WINDOW);
        out.write(typeFlags);
        le(0, width); // _GRA, 0 as QEMU writes for its windows
        le(min, width);
        le(max, width);
        le(0, width); // _TRA
        le(max - min + 1, width);
        return this;
    }

    /** ASL IO(Decode16, port, port, 1, length): a fixed 16-bit decoded port range the device consumes. */
    ResourceTemplate io(int port, int length) {
        if (port < 0 || port > 0xffff || length < 1 || length > 0xff || port + length > 0x10000) {
            throw new IllegalArgumentException(String.format("bad I/O range 0x%x+%d", port, length));
        }
        out.write(IO_PORT);
        out.write(1); // _DEC: 16-bit decode
        le(port, 2);
        le(port, 2);
        out.write(1); // _ALN
        out.write(length);
        return this;
    }

    /** ASL IRQNoFlags(){irq}: an ISA interrupt, edge-triggered, active high, exclusive. */
    ResourceTemplate irqNoFlags(int irq) {
        if (irq < 0 || irq > 15) {
            throw new IllegalArgumentException("ISA IRQ out of range: " + irq);
        }
        out.write(IRQ_NO_FLAGS);
        le(1 << irq, 2);
        return this;
    }

    /**
     * The template as a Buffer term. The End Tag's checksum is 0, which means "treat as correct"
     * (ACPI 6.0 §6.4.2.9); iasl and QEMU both write 0, and so the DSDT recompiles byte for byte.
     */
    byte[] toAml() {
        byte[] body = Bytes.concat(out.toByteArray(), new byte[] {(byte) END_TAG, 0});
        return Aml.buffer(body);
    }

    private void le(long value, int size) {
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> 8 * i));
        }
    }
}
