package dev.vmm.sev.idblock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The ID block (SNP ABI "ID_BLOCK", 0x60 bytes) that SNP_LAUNCH_FINISH takes: the launch digest the
 * guest owner expects, the owner's FAMILY_ID and IMAGE_ID and GUEST_SVN (copied into every attestation
 * report), and the guest policy. Signed with the ID key, it lets the firmware refuse to finish a launch
 * that is not the expected one.
 *
 * <pre>
 * 0x00  LD         48  expected launch digest
 * 0x30  FAMILY_ID  16
 * 0x40  IMAGE_ID   16
 * 0x50  VERSION     4  u32, 1 for this ABI
 * 0x54  GUEST_SVN   4  u32
 * 0x58  POLICY      8  u64, the guest policy of SNP_LAUNCH_START
 * </pre>
 */
public record IdBlock(byte[] launchDigest, byte[] familyId, byte[] imageId, int version, int guestSvn, long policy) {
    public static final int SIZE = 0x60;
    /** The only VERSION the ABI defines. */
    public static final int VERSION_1 = 1;
    public static final int LD_SIZE = 48;
    public static final int ID_SIZE = 16;
    static final int FAMILY_ID = 0x30;
    static final int IMAGE_ID = 0x40;
    static final int VERSION = 0x50;
    static final int GUEST_SVN = 0x54;
    static final int POLICY = 0x58;

    public IdBlock {
        requireLength("LD", launchDigest, LD_SIZE);
        requireLength("FAMILY_ID", familyId, ID_SIZE);
        requireLength("IMAGE_ID", imageId, ID_SIZE);
        launchDigest = launchDigest.clone();
        familyId = familyId.clone();
        imageId = imageId.clone();
    }

    /** Any 0x60 bytes are an ID block; whether the firmware accepts its values is checked elsewhere. */
    public static IdBlock parse(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IdBlockException(IdBlockException.Problem.INVALID,
                    "ID block: " + bytes.length + " bytes, an ID_BLOCK is " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new IdBlock(Arrays.copyOfRange(bytes, 0, LD_SIZE), Arrays.copyOfRange(bytes, FAMILY_ID, FAMILY_ID + ID_SIZE),
                Arrays.copyOfRange(bytes, IMAGE_ID, IMAGE_ID + ID_SIZE), b.getInt(VERSION), b.getInt(GUEST_SVN),
                b.getLong(POLICY));
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(launchDigest).put(familyId).put(imageId).putInt(version).putInt(guestSvn).putLong(policy);
        return b.array();
    }

    @Override
    public byte[] launchDigest() {
        return launchDigest.clone();
    }

    @Override
    public byte[] familyId() {
        return familyId.clone();
    }

    @Override
    public byte[] imageId() {
        return imageId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdBlock other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return String.format("IdBlock[ld=%s, family_id=%s, image_id=%s, version=%d, guest_svn=%d, policy=0x%x]",
                hex.formatHex(launchDigest), hex.formatHex(familyId), hex.formatHex(imageId),
                Integer.toUnsignedLong(version), Integer.toUnsignedLong(guestSvn), policy);
    }

    private static void requireLength(String field, byte[] value, int length) {
        if (value.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, not " + value.length);
        }
    }
}
