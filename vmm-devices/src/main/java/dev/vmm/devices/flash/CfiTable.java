package dev.vmm.devices.flash;

/**
 * The CFI query table (read in query mode, command 0x98) of a flash with one region of uniform
 * erase blocks, with the values QEMU's pflash_cfi01 gives an x8 Intel/Sharp part. Offsets are CFI's
 * (JESD68): the "QRY" string at 0x10, system interface at 0x1B, geometry at 0x27 and the Intel
 * primary extended table ("PRI") at 0x31.
 */
final class CfiTable {
    /** QEMU's table length; query reads beyond it return 0. */
    static final int LENGTH = 0x52;

    private CfiTable() {}

    static byte[] build(long size, int blockSize) {
        byte[] t = new byte[LENGTH];
        put(t, 0x10, 'Q', 'R', 'Y');
        put(t, 0x13, 0x01, 0x00); // primary command set: Intel/Sharp extended
        put(t, 0x15, 0x31, 0x00); // primary extended table at 0x31
        // 0x17-0x1A: no alternate command set or table
        put(t, 0x1b, 0x45, 0x55); // Vcc 4.5-5.5 V
        // 0x1D-0x1E: no Vpp pin
        put(t, 0x1f, 0x07); // typical single-byte program: 2^7 us
        put(t, 0x20, 0x07); // typical buffer write: 2^7 us
        put(t, 0x21, 0x0a); // typical block erase: 2^10 ms
        put(t, 0x22, 0x00); // no chip erase
        put(t, 0x23, 0x04, 0x04, 0x04); // maximum timeouts: 2^4 times typical
        put(t, 0x26, 0x00);
        // Device size as 2^n bytes. QEMU stores the number of trailing zeros of the size, the same
        // thing for the power-of-two sizes flash parts come in.
        put(t, 0x27, Long.numberOfTrailingZeros(size));
        put(t, 0x28, 0x02, 0x00); // x8/x16 asynchronous interface
        put(t, 0x2a, 0x08, 0x00); // up to 2^8 bytes in a buffered write
        put(t, 0x2c, 0x01); // one erase block region
        long blocks = size / blockSize - 1;
        put(t, 0x2d, (int) blocks, (int) (blocks >> 8), blockSize >> 8, blockSize >> 16); // count - 1, size / 256
        put(t, 0x31, 'P', 'R', 'I', '1', '0'); // Intel extended table, version 1.0
        // 0x36-0x3C: no optional features, no suspend, no block lock status; 0x3F: one protection field
        put(t, 0x3f, 0x01);
        return t;
    }

    private static void put(byte[] table, int at, int... values) {
        for (int i = 0; i < values.length; i++) {
            table[at + i] = (byte) values[i];
        }
    }
}
