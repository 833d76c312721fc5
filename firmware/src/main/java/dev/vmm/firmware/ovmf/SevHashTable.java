package dev.vmm.firmware.ovmf;

import dev.vmm.firmware.FirmwareException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The SEV hashes table for measured direct boot, laid out as QEMU's {@code PaddedSevHashTable}
 * ({@code target/i386/sev.c}) and read by OVMF's {@code BlobVerifierLibSevHashes}: a header {GUID, u16
 * length}, then the cmdline, initrd and kernel entries {GUID, u16 length, SHA-256}, zero-padded to a
 * multiple of 16. The launch digest covers these exact bytes, so the layout must match QEMU's.
 */
public final class SevHashTable {
    public static final Guid TABLE_GUID = Guid.parse("9438d606-4f22-4cc9-b479-a793d411fd21");
    public static final Guid CMDLINE_GUID = Guid.parse("97d02dd8-bd20-4c94-aa78-e7714d36ab2a");
    public static final Guid INITRD_GUID = Guid.parse("44baf731-3a2f-4bd7-9af1-41e29169781d");
    public static final Guid KERNEL_GUID = Guid.parse("4de79437-abd2-427f-b835-d5b172d2045b");
    public static final int HASH_LENGTH = 32;
    /** One entry: GUID, u16 length, SHA-256. */
    public static final int ENTRY_LENGTH = Guid.BYTES + 2 + HASH_LENGTH;
    /** The header's length field: header plus three entries. */
    public static final int LENGTH = Guid.BYTES + 2 + 3 * ENTRY_LENGTH;
    public static final int PADDED_LENGTH = (LENGTH + 15) & ~15;
    public static final int PAGE_SIZE = 4096;

    private SevHashTable() {}

    /**
     * Builds the padded table. {@code kernel} must be the bytes OVMF fetches and hashes as the kernel:
     * QEMU hashes the setup part followed by the rest of the bzImage (fw_cfg setup then kernel items).
     * The command line is hashed with its terminating NUL; without one, a single NUL is hashed. Without an
     * initrd, the hash of empty input is used.
     */
    public static byte[] build(byte[] kernel, byte[] initrdOrNull, String cmdlineOrNull) {
        Objects.requireNonNull(kernel, "kernel");
        return fromHashes(sha256().digest(kernel), sha256().digest(initrdOrNull == null ? new byte[0] : initrdOrNull),
                cmdlineOrNull);
    }

    /**
     * The table from SHA-256 hashes computed elsewhere (streamed from files: a kernel and initrd can
     * be large) and the command line, hashed here with its NUL.
     */
    public static byte[] fromHashes(byte[] kernelHash, byte[] initrdHash, String cmdlineOrNull) {
        if (kernelHash.length != HASH_LENGTH || initrdHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("SHA-256 hashes are " + HASH_LENGTH + " bytes");
        }
        byte[] cmdline = cmdlineOrNull == null ? new byte[0] : cmdlineOrNull.getBytes(StandardCharsets.UTF_8);
        for (byte b : cmdline) {
            if (b == 0) {
                throw new IllegalArgumentException("the kernel command line contains a NUL character");
            }
        }
        MessageDigest cmdlineHash = sha256();
        cmdlineHash.update(cmdline);
        cmdlineHash.update((byte) 0);
        ByteBuffer table = ByteBuffer.allocate(PADDED_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        table.put(TABLE_GUID.bytesLe()).putShort((short) LENGTH);
        entry(table, CMDLINE_GUID, cmdlineHash.digest());
        entry(table, INITRD_GUID, initrdHash);
        entry(table, KERNEL_GUID, kernelHash);
        return table.array();
    }

    /** A 4 KiB page with {@code table} at {@code offsetInPage} and zeros elsewhere. */
    public static byte[] page(byte[] table, int offsetInPage) {
        if (offsetInPage < 0 || offsetInPage > PAGE_SIZE - table.length) {
            throw new FirmwareException("SEV hashes table of " + table.length + " bytes at offset 0x"
                    + Integer.toHexString(offsetInPage) + " does not fit in a 4 KiB page");
        }
        byte[] page = new byte[PAGE_SIZE];
        System.arraycopy(table, 0, page, offsetInPage, table.length);
        return page;
    }

    /** The page for the area the firmware designates; QEMU refuses an area smaller than the padded table. */
    public static byte[] page(byte[] table, SevHashesTableLocation area) {
        if (area.size() < table.length) {
            throw new FirmwareException("the firmware's SEV hashes table area at 0x" + Long.toHexString(area.gpa())
                    + " has 0x" + Long.toHexString(area.size()) + " bytes; the table needs " + table.length);
        }
        return page(table, area.offsetInPage());
    }

    private static void entry(ByteBuffer table, Guid guid, byte[] hash) {
        table.put(guid.bytesLe()).putShort((short) ENTRY_LENGTH).put(hash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
