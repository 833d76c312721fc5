package dev.vmm.firmware.ovmf;

import static dev.vmm.firmware.ovmf.SectionType.CPUID;
import static dev.vmm.firmware.ovmf.SectionType.SNP_KERNEL_HASHES;
import static dev.vmm.firmware.ovmf.SectionType.SNP_SECRETS;
import static dev.vmm.firmware.ovmf.SectionType.SNP_SEC_MEM;
import static dev.vmm.firmware.ovmf.SectionType.SVSM_CAA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.firmware.FirmwareException;
import dev.vmm.firmware.FirmwareImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser on real images: Debian's OVMF.fd, the AmdSev and OvmfX64 suffixes, the test guest. */
class OvmfImageTest {
    private static MetadataSection section(long gpa, long size, SectionType type) {
        return new MetadataSection(gpa, size, type);
    }

    @Test
    void debianOvmf() {
        FirmwareImage fd = OvmfSamples.debian();
        OvmfImage ovmf = OvmfImage.parse(fd);

        assertThat(ovmf.image()).isSameAs(fd);
        assertThat(ovmf.size()).isEqualTo(OvmfSamples.TWO_MIB);
        assertThat(ovmf.gpa()).isEqualTo(0xffe00000L);
        assertThat(ovmf.hasFooterTable()).isTrue();
        assertThat(ovmf.footerEntries()).extracting(FooterEntry::guid).containsExactly(
                OvmfGuids.SEV_ES_RESET_BLOCK, OvmfGuids.SEV_SECRET_BLOCK, OvmfGuids.SEV_HASH_TABLE_BLOCK,
                OvmfGuids.SEV_METADATA, OvmfGuids.TDX_METADATA_OFFSET);
        assertThat(ovmf.footerEntries()).extracting(FooterEntry::offset)
                .containsExactly(0x1fffb8L, 0x1fff9eL, 0x1fff84L, 0x1fff6eL, 0x1fff58L);
        assertThat(ovmf.sevEsResetEip()).hasValue(0x80b004L);
        // The GHCB page 0x809000 and the work area 0x80c000 are left out: they must stay shared.
        assertThat(ovmf.sevMetadata()).containsExactly(
                section(0x800000, 0x9000, SNP_SEC_MEM),
                section(0x80a000, 0x3000, SNP_SEC_MEM),
                section(0x80d000, 0x1000, SNP_SECRETS),
                section(0x80e000, 0x1000, CPUID),
                section(0x80f000, 0x11000, SNP_SEC_MEM));
        assertThat(ovmf.hasSection(SVSM_CAA)).isFalse();
        assertThat(ovmf.hasSection(SNP_KERNEL_HASHES)).isFalse();
        // edk2 2022.11 OvmfPkgX64: the hashes and secret areas are declared but zero.
        assertThat(ovmf.footerEntry(OvmfGuids.SEV_HASH_TABLE_BLOCK)).hasValueSatisfying(d -> assertThat(d).containsOnly(0));
        assertThat(ovmf.sevHashesTable()).isEmpty();
        assertThat(ovmf.sevSecretBlock()).isEmpty();
        // The TDX entry is kept as it is: u32 0x840.
        assertThat(ovmf.footerEntry(OvmfGuids.TDX_METADATA_OFFSET)).hasValue(new byte[] {0x40, 0x08, 0, 0});
    }

    @Test
    void amdSevBuildHasKernelHashesAndSvsmSections() {
        OvmfImage ovmf = OvmfImage.parse("amdsev", OvmfSamples.padTo2MiB(OvmfSamples.amdSevSuffix()));

        assertThat(ovmf.sevMetadata()).containsExactly(
                section(0x800000, 0x9000, SNP_SEC_MEM),
                section(0x80a000, 0x3000, SNP_SEC_MEM),
                section(0x80d000, 0x1000, SNP_SECRETS),
                section(0x80e000, 0x1000, CPUID),
                section(0x80f000, 0x1000, SVSM_CAA),
                section(0x810000, 0x1000, SNP_KERNEL_HASHES),
                section(0x811000, 0xf000, SNP_SEC_MEM));
        assertThat(ovmf.sevEsResetEip()).hasValue(0x80b004L);
        // edk2 puts the launch secret and the hashes table in one page, the SNP_KERNEL_HASHES section.
        assertThat(ovmf.sevSecretBlock()).contains(new SecretBlock(0x810000, 0xc00));
        SevHashesTableLocation hashes = ovmf.sevHashesTable().orElseThrow();
        assertThat(hashes).isEqualTo(new SevHashesTableLocation(0x810c00, 0x400));
        assertThat(hashes.pageGpa()).isEqualTo(0x810000);
        assertThat(hashes.offsetInPage()).isEqualTo(0xc00);
        MetadataSection kernelHashes = ovmf.sevMetadata().stream()
                .filter(s -> s.type() == SNP_KERNEL_HASHES).findFirst().orElseThrow();
        assertThat(hashes.gpa()).isGreaterThanOrEqualTo(kernelHashes.gpa());
        assertThat(hashes.gpa() + hashes.size()).isLessThanOrEqualTo(kernelHashes.end());
        assertThat(hashes.size()).isGreaterThanOrEqualTo(SevHashTable.PADDED_LENGTH);
        assertThat(ovmf.image().size()).isEqualTo(OvmfSamples.TWO_MIB);
    }

    @Test
    void aSuffixParsesOnItsOwnBecauseOffsetsCountFromTheEnd() {
        OvmfImage whole = OvmfImage.parse("whole", OvmfSamples.padTo2MiB(OvmfSamples.amdSevSuffix()));
        OvmfImage suffix = OvmfImage.parse("suffix", OvmfSamples.amdSevSuffix());
        assertThat(suffix.sevMetadata()).isEqualTo(whole.sevMetadata());
        assertThat(suffix.sevHashesTable()).isEqualTo(whole.sevHashesTable());
        assertThat(suffix.gpa()).isEqualTo(0xfffff000L);
    }

    @Test
    void ovmfX64BuildHasAnSvsmCallingAreaButNoHashes() {
        OvmfImage ovmf = OvmfImage.parse("ovmfx64", OvmfSamples.padTo2MiB(OvmfSamples.ovmfX64Suffix()));

        assertThat(ovmf.sevMetadata()).containsExactly(
                section(0x800000, 0x9000, SNP_SEC_MEM),
                section(0x80a000, 0x3000, SNP_SEC_MEM),
                section(0x80d000, 0x1000, SNP_SECRETS),
                section(0x80e000, 0x1000, CPUID),
                section(0x80f000, 0x1000, SVSM_CAA),
                section(0x810000, 0x10000, SNP_SEC_MEM));
        assertThat(ovmf.hasSection(SNP_KERNEL_HASHES)).isFalse();
        assertThat(ovmf.sevHashesTable()).isEmpty();
        assertThat(ovmf.sevSecretBlock()).isEmpty();
    }

    @Test
    void theTestGuestIsAFlatImageWithoutATable() {
        OvmfImage guest = OvmfImage.parse(FirmwareImage.testGuest());
        assertThat(guest.hasFooterTable()).isFalse();
        assertThat(guest.footerEntries()).isEmpty();
        assertThat(guest.sevEsResetEip()).isEmpty();
        assertThat(guest.sevMetadata()).isEmpty();
        assertThat(guest.sevHashesTable()).isEmpty();
        assertThat(guest.sevSecretBlock()).isEmpty();
        assertThat(guest.footerEntry(OvmfGuids.SEV_METADATA)).isEmpty();
        assertThat(guest.gpa()).isEqualTo(0xffff0000L);
        guest.checkSectionsInside(page -> false);
    }

    @Test
    void sectionsMustBeInGuestRam() {
        OvmfImage ovmf = OvmfImage.parse(OvmfSamples.debian());
        ovmf.checkSectionsInside(page -> page < (128L << 20));
        assertThatThrownBy(() -> ovmf.checkSectionsInside(page -> page != 0x80e000L))
                .isInstanceOf(FirmwareException.class)
                .hasMessage(OvmfSamples.DEBIAN_OVMF + ": SEV metadata section CPUID 0x80e000+0x1000: page 0x80e000 is not in guest RAM");
        assertThatThrownBy(() -> ovmf.checkSectionsInside(page -> page < 0x81f000L))
                .hasMessageContaining("SNP_SEC_MEM 0x80f000+0x11000: page 0x81f000");
    }

    @Test
    void unknownEntriesAreKeptInTableOrderAndLookupFindsTheFirst() {
        Guid mine = Guid.parse("01234567-89ab-cdef-0123-456789abcdef");
        byte[] image = new FooterTableBuilder(4096)
                .entry(mine, new byte[] {1, 2, 3})
                .entry(OvmfGuids.SEV_ES_RESET_BLOCK, 0x80b004)
                .entry(mine, new byte[] {4})
                .entry(Guid.parse("fedcba98-7654-3210-fedc-ba9876543210"), new byte[0])
                .build();
        OvmfImage ovmf = OvmfImage.parse("built", image);
        assertThat(ovmf.footerEntries()).extracting(e -> e.guid().toString()).containsExactly(
                mine.toString(), OvmfGuids.SEV_ES_RESET_BLOCK.toString(), mine.toString(),
                "fedcba98-7654-3210-fedc-ba9876543210");
        assertThat(ovmf.footerEntries().getFirst().offset()).isEqualTo(4096 - 50 - 18 - 3);
        assertThat(ovmf.footerEntry(mine)).hasValue(new byte[] {1, 2, 3});
        assertThat(ovmf.sevEsResetEip()).hasValue(0x80b004L);
        assertThat(ovmf.sevMetadata()).isEmpty();
    }

    @Test
    void bytesTooFewForAnEntryBeforeTheTableStartAreIgnored() {
        byte[] image = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_ES_RESET_BLOCK, 0x80b004).build();
        int lengthAt = 4096 - FooterTable.LENGTH_FROM_END;
        OvmfSamples.putU16(image, lengthAt, 18 + 22 + 17);   // 17 stray bytes below the one entry
        assertThat(OvmfImage.parse("stray", image).footerEntries()).hasSize(1);
    }

    @Test
    void anEmptyTableIsATableWithoutEntries() {
        OvmfImage ovmf = OvmfImage.parse("empty", new FooterTableBuilder(4096).build());
        assertThat(ovmf.hasFooterTable()).isTrue();
        assertThat(ovmf.footerEntries()).isEmpty();
    }

    @Test
    void aHashesTableAreaOfBaseZeroIsAbsentWhateverItsSize() {
        byte[] image = new FooterTableBuilder(4096).entry(OvmfGuids.SEV_HASH_TABLE_BLOCK, 0, 0x400).build();
        assertThat(OvmfImage.parse("zero", image).sevHashesTable()).isEmpty();
    }

    @Test
    void bytesThatAreNotALoadableImageParseButCannotBeLoaded() {
        OvmfImage odd = OvmfImage.parse("odd", new FooterTableBuilder(100).build());
        assertThat(odd.hasFooterTable()).isTrue();
        assertThatThrownBy(odd::image).isInstanceOf(FirmwareException.class).hasMessageContaining("odd: size 100 bytes");
    }

    @Test
    void metadataSectionsPrintInHex() {
        assertThat(section(0x80d000, 0x1000, SNP_SECRETS)).hasToString("SNP_SECRETS 0x80d000+0x1000");
        assertThat(section(0x80d000, 0x1000, SNP_SECRETS).end()).isEqualTo(0x80e000);
        assertThat(List.of(SectionType.values())).extracting(SectionType::value).containsExactly(1, 2, 3, 4, 0x10);
    }
}
