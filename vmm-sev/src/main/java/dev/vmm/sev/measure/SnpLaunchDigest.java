package dev.vmm.sev.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SEV-SNP launch digest as the firmware extends it on every page of SNP_LAUNCH_UPDATE and every
 * VMSA: {@code LD = SHA-384(PAGE_INFO)}, PAGE_INFO being LD, the page's 48-byte contents digest, and
 * its length, type, VMPL permissions and GPA (SNP Firmware ABI, "Layout of the PAGE_INFO structure";
 * the layout sev-snp-measure implements). LD starts as 48 zero bytes.
 */
public final class SnpLaunchDigest {
    public static final int SIZE = 48;
    public static final int PAGE_SIZE = 4096;
    /** Where the RMP records VMSA pages: KVM's INITIAL_VMSA_GPA, (u64)-1 page-aligned, bits above 51 clear. */
    public static final long VMSA_GPA = 0xFFFFFFFFF000L;
    private static final int PAGE_INFO_LENGTH = 0x70;
    private static final byte[] ZERO_CONTENTS = new byte[SIZE];

    private final MessageDigest sha384 = newSha384();
    private final ByteBuffer pageInfo = ByteBuffer.allocate(PAGE_INFO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] ld = new byte[SIZE];

    /** Extends the digest by one 4 KiB page; {@code page} is read only for NORMAL and VMSA pages. */
    public void update(PageType type, long gpa, byte[] page, int offset) {
        byte[] contents;
        if (type.measuresContents()) {
            sha384.update(page, offset, PAGE_SIZE);
            contents = sha384.digest();
        } else {
            contents = ZERO_CONTENTS;
        }
        pageInfo.clear();
        pageInfo.put(ld).put(contents)
                .putShort((short) PAGE_INFO_LENGTH)
                .put((byte) type.code())
                .put((byte) 0)          // IMI_PAGE: KVM never launches migration agents
                .put((byte) 0).put((byte) 0).put((byte) 0)   // VMPL3..1 permissions: KVM passes none
                .put((byte) 0)
                .putLong(gpa);
        ld = sha384.digest(pageInfo.array());
    }

    /** Extends the digest by every page of {@code [gpa, gpa + length)}; contents from {@code data} when measured. */
    public void updateRange(PageType type, long gpa, byte[] data, long length) {
        if (length % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("SNP ranges are whole pages: length " + length);
        }
        for (long off = 0; off < length; off += PAGE_SIZE) {
            update(type, gpa + off, data, (int) off);
        }
    }

    public byte[] digest() {
        return ld.clone();
    }

    static MessageDigest newSha384() {
        try {
            return MessageDigest.getInstance("SHA-384");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
