package dev.vmm.firmware.ovmf;

import static dev.vmm.firmware.ovmf.OvmfSamples.putU16;
import static dev.vmm.firmware.ovmf.OvmfSamples.putU32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each malformation of a real image (the 4 KiB AmdSev suffix, parsed on its own) fails with an
 * {@link OvmfParseException} naming the field and the offset of the bad bytes.
 */
class OvmfImageMalformedTest {
    // Where things are in the AmdSev suffix (checked by theOffsetsBelowMatchTheSuffix).
    private static final int TABLE_LENGTH_AT = 0xfce;
    private static final int RESET_BLOCK_DATA = 0xfb8;
    private static final int RESET_BLOCK_SIZE_AT = 0xfbc;
    private static final int METADATA_ENTRY_DATA = 0xf6e;
    private static final int METADATA_ENTRY_SIZE_AT = 0xf72;
    private static final int ASEV = 0x1000 - 0x554;
    private static final int ASEV_LENGTH = ASEV + 4;
    private static final int ASEV_COUNT = ASEV + 12;

    private byte[] image;

    private static int descriptor(int i) {
        return ASEV + 16 + 12 * i;
    }

    @BeforeEach
    void copyTheSuffix() {
        image = OvmfSamples.amdSevSuffix();
    }

    private static void assertFails(byte[] bytes, String field, long offset, String problem) {
        assertThatThrownBy(() -> OvmfImage.parse("bad.fd", bytes))
                .isInstanceOfSatisfying(OvmfParseException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.offset()).isEqualTo(offset);
                    assertThat(e.source()).isEqualTo("bad.fd");
                    assertThat(e.getMessage())
                            .startsWith("bad.fd: " + field + " at offset 0x" + Long.toHexString(offset) + ": ")
                            .contains(problem);
                });
    }

    @Test
    void theOffsetsBelowMatchTheSuffix() {
        OvmfImage ovmf = OvmfImage.parse("good", image);
        assertThat(ovmf.footerEntries().get(0).offset()).isEqualTo(RESET_BLOCK_DATA);
        assertThat(ovmf.footerEntries().get(3).offset()).isEqualTo(METADATA_ENTRY_DATA);
        assertThat(OvmfSamples.u32(image, METADATA_ENTRY_DATA)).isEqualTo(0x554);
        assertThat(new String(image, ASEV, 4, StandardCharsets.US_ASCII)).isEqualTo("ASEV");
        assertThat(OvmfSamples.u32(image, ASEV_COUNT)).isEqualTo(7);
    }

    @Test
    void anImageShorterThanTheFooter() {
        assertFails(OvmfSamples.lastBytes(image, 49), "footer GUID", 0, "image of 49 bytes is shorter than the 50 bytes");
        assertFails(new byte[0], "footer GUID", 0, "image of 0 bytes");
    }

    @Test
    void anImageJustLongEnoughForTheFooter() {
        // The last 48 bytes hold the footer GUID, the 2 before it the length: 50 bytes hold an empty table.
        byte[] footerOnly = putU16(OvmfSamples.lastBytes(image, 50), 0, 18);
        assertThat(OvmfImage.parse("fits", footerOnly).hasFooterTable()).isTrue();
        assertThat(OvmfImage.parse("fits", footerOnly).footerEntries()).isEmpty();
    }

    @Test
    void aTableLengthBelowTheFooterEntry() {
        assertFails(putU16(image, TABLE_LENGTH_AT, 17), "footer table length", TABLE_LENGTH_AT,
                "17 is less than the 18 bytes of the footer entry itself");
    }

    @Test
    void aTableLengthLargerThanTheImage() {
        assertFails(putU16(image, TABLE_LENGTH_AT, 0xffff), "footer table length", TABLE_LENGTH_AT,
                "65535 bytes reach 0xf01f bytes before the start of the image");
        // Truncated so that the table no longer fits: 136 bytes of table need 186 bytes of image.
        assertFails(OvmfSamples.lastBytes(image, 185), "footer table length", 135, "before the start of the image");
    }

    @Test
    void anEntrySizeBelowItsSizeAndGuid() {
        assertFails(putU16(image, RESET_BLOCK_SIZE_AT, 10), "footer entry size", RESET_BLOCK_SIZE_AT,
                "entry 00f771de-1a7e-4fcb-890e-68c77e2fb44e: size 10 is less than the 18 bytes of its size and GUID");
    }

    @Test
    void anEntrySizeLargerThanTheTableBytesLeft() {
        // 136 - 18 = 118 table bytes; the three entries above the metadata entry take 22 + 26 + 26.
        assertFails(putU16(image, METADATA_ENTRY_SIZE_AT, 200), "footer entry size", METADATA_ENTRY_SIZE_AT,
                "entry dc886566-984a-4798-a75e-5585a7bf67cc: size 200 is larger than the 44 table bytes left");
    }

    @Test
    void aMetadataOffsetBeyondTheImage() {
        assertFails(putU32(image, METADATA_ENTRY_DATA, 0x1001), "SEV metadata offset", METADATA_ENTRY_DATA,
                "0x1001 bytes from the end reaches before the start of the image of 0x1000 bytes");
        assertFails(putU32(image, METADATA_ENTRY_DATA, 0xffffffffL), "SEV metadata offset", METADATA_ENTRY_DATA,
                "0xffffffff bytes from the end");
    }

    @Test
    void aMetadataOffsetLeavingNoRoomForTheHeader() {
        assertFails(putU32(image, METADATA_ENTRY_DATA, 15), "SEV metadata offset", METADATA_ENTRY_DATA,
                "0xf bytes from the end leaves no room for the 16-byte ASEV header");
    }

    @Test
    void aBadSignature() {
        image[ASEV + 3] = 'W';
        assertFails(image, "ASEV signature", ASEV, "found 41 53 45 57, expected 'ASEV'");
    }

    @Test
    void aDescriptorCountTheLengthDoesNotCover() {
        assertFails(putU32(image, ASEV_COUNT, 8), "ASEV section count", ASEV_COUNT,
                "8 sections need 112 bytes but the ASEV length is 100");
        assertFails(putU32(image, ASEV_COUNT, 0xffffffffL), "ASEV section count", ASEV_COUNT,
                "4294967295 sections need 51539607556 bytes");
    }

    @Test
    void aLengthBelowTheHeader() {
        putU32(image, ASEV_COUNT, 0);
        assertFails(putU32(image, ASEV_LENGTH, 12), "ASEV length", ASEV_LENGTH, "12 is less than the 16-byte header");
    }

    @Test
    void aLengthRunningPastTheImage() {
        assertFails(putU32(image, ASEV_LENGTH, 0x555), "ASEV length", ASEV_LENGTH,
                "1365 bytes run past the end of the image (1364 bytes left)");
    }

    @Test
    void anUnknownSectionType() {
        assertFails(putU32(image, descriptor(4) + 8, 5), "ASEV section type", descriptor(4) + 8, "unknown type 0x5");
        assertFails(putU32(image, descriptor(4) + 8, 0x102), "ASEV section type", descriptor(4) + 8, "unknown type 0x102");
    }

    @Test
    void aSectionOfSizeZero() {
        assertFails(putU32(image, descriptor(2) + 4, 0), "ASEV section size", descriptor(2) + 4,
                "SNP_SECRETS section at gpa 0x80d000 has size 0");
    }

    @Test
    void aSectionNotPageAligned() {
        byte[] copy = image.clone();
        assertFails(putU32(image, descriptor(0), 0x800800), "ASEV section gpa", descriptor(0),
                "SNP_SEC_MEM section at gpa 0x800800 is not 4 KiB aligned");
        assertFails(putU32(copy, descriptor(6) + 4, 0xf001), "ASEV section size", descriptor(6) + 4,
                "size 0xf001 is not a multiple of 4 KiB");
    }

    @Test
    void aSectionEndingAbove4GiB() {
        putU32(image, descriptor(3), 0xfffff000L);
        assertFails(putU32(image, descriptor(3) + 4, 0x2000), "ASEV section size", descriptor(3) + 4,
                "CPUID section at gpa 0xfffff000: size 0x2000 ends above 4 GiB");
    }

    @Test
    void overlappingSections() {
        // The CAA page moved onto the secrets page.
        assertFails(putU32(image, descriptor(4), 0x80d000), "ASEV section gpa", descriptor(4),
                "SVSM_CAA 0x80d000+0x1000 overlaps SNP_SECRETS 0x80d000+0x1000 described at offset 0x" + Integer.toHexString(descriptor(2)));
        // The first section grown into the second: the later descriptor is named.
        byte[] grown = OvmfSamples.amdSevSuffix();
        assertFails(putU32(grown, descriptor(0) + 4, 0xb000), "ASEV section gpa", descriptor(1),
                "SNP_SEC_MEM 0x80a000+0x3000 overlaps SNP_SEC_MEM 0x800000+0xb000");
    }

    @Test
    void aResetBlockWithoutItsAddress() {
        byte[] bytes = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_ES_RESET_BLOCK, new byte[] {4, (byte) 0xb0}).build();
        assertFails(bytes, "SEV-ES reset block", 4096 - 50 - 18 - 2,
                "the entry has 2 bytes of data, the AP reset address needs 4");
    }

    @Test
    void aMetadataEntryWithoutItsOffset() {
        byte[] bytes = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_METADATA, new byte[3]).build();
        assertFails(bytes, "SEV metadata offset", 4096 - 50 - 18 - 3, "the entry has 3 bytes of data, the offset needs 4");
    }

    @Test
    void aHashesTableEntryShorterThanBaseAndSize() {
        byte[] bytes = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_HASH_TABLE_BLOCK, new byte[7]).build();
        assertFails(bytes, "SEV hashes table block", 4096 - 50 - 18 - 7,
                "the entry has 7 bytes of data, the table size needs 8");
    }

    @Test
    void aHashesTableCrossingAPage() {
        byte[] bytes = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_HASH_TABLE_BLOCK, 0x810c00, 0x401).build();
        assertFails(bytes, "SEV hashes table block", 4096 - 50 - 18 - 8 + 4,
                "the table at 0x810c00 of 0x401 bytes does not fit in one 4 KiB page");
        byte[] empty = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_HASH_TABLE_BLOCK, 0x810c00, 0).build();
        assertFails(empty, "SEV hashes table block", 4096 - 50 - 18 - 8 + 4, "the table at 0x810c00 has size 0");
    }

    @Test
    void aSecretBlockEndingAbove4GiB() {
        byte[] bytes = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_SECRET_BLOCK, 0xfffff000L, 0x2000).build();
        assertFails(bytes, "SEV secret block", 4096 - 50 - 18 - 8 + 4, "ends above 4 GiB");
    }

    @Test
    void syntheticMetadataWithTheSameChecks() {
        byte[] good = new FooterTableBuilder(8192)
                .metadata(0x800, new long[] {0x800000, 0x1000, 1}, new long[] {0x801000, 0x1000, 0x10})
                .build();
        assertThat(OvmfImage.parse("good", good).sevMetadata()).extracting(MetadataSection::type)
                .containsExactly(SectionType.SNP_SEC_MEM, SectionType.SNP_KERNEL_HASHES);
        byte[] overlap = new FooterTableBuilder(8192)
                .metadata(0x800, new long[] {0x801000, 0x1000, 2}, new long[] {0x800000, 0x2000, 3})
                .build();
        assertFails(overlap, "ASEV section gpa", 8192 - 0x800 + 16 + 12,
                "CPUID 0x800000+0x2000 overlaps SNP_SECRETS 0x801000+0x1000");
    }
}
