package dev.vmm.firmware.ovmf;

import dev.vmm.firmware.FirmwareException;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.memory.RamLayout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * An OVMF image and what a confidential launch needs from it: the footer GUID table, the SEV-ES AP
 * reset address, the SEV-SNP metadata sections, and the areas for the SEV hashes table and the launch
 * secret. Everything is parsed and checked up front, so a malformed image fails in {@link #parse} with
 * an {@link OvmfParseException} naming the offset and field. An image without the footer table (a flat
 * firmware such as the test guest) is valid and has none of these.
 */
public final class OvmfImage {
    private static final long PAGE = 4096;

    private final String source;
    private final int size;
    private final List<FooterEntry> entries;
    private final boolean hasFooterTable;
    private final OptionalLong sevEsResetEip;
    private final List<MetadataSection> sevMetadata;
    private final Optional<SevHashesTableLocation> sevHashesTable;
    private final Optional<SecretBlock> sevSecretBlock;
    private FirmwareImage image;
    /** The parsed bytes, kept until {@link #image()} when they did not come from a FirmwareImage. */
    private byte[] rawBytes;

    private OvmfImage(String source, byte[] bytes, FirmwareImage image) {
        this.image = image;
        this.rawBytes = image == null ? bytes : null;
        ImageReader reader = new ImageReader(source, bytes);
        Optional<List<FooterEntry>> table = FooterTable.read(reader);
        this.source = source;
        this.size = bytes.length;
        this.hasFooterTable = table.isPresent();
        this.entries = table.orElse(List.of());
        this.sevEsResetEip = entry(OvmfGuids.SEV_ES_RESET_BLOCK)
                .map(e -> OptionalLong.of(u32Field(reader, e, 0, "SEV-ES reset block", "the AP reset address")))
                .orElse(OptionalLong.empty());
        this.sevMetadata = entry(OvmfGuids.SEV_METADATA).map(e -> SevMetadata.read(reader, e)).orElse(List.of());
        this.sevHashesTable = entry(OvmfGuids.SEV_HASH_TABLE_BLOCK).flatMap(e -> hashesTable(reader, e));
        this.sevSecretBlock = entry(OvmfGuids.SEV_SECRET_BLOCK).flatMap(e -> secretBlock(reader, e));
    }

    public static OvmfImage parse(FirmwareImage image) {
        return new OvmfImage(image.source(), image.bytes(), image);
    }

    /** Parses bytes of any length (for tests and tools); {@link #image()} then needs a loadable size. */
    public static OvmfImage parse(String source, byte[] bytes) {
        return new OvmfImage(Objects.requireNonNull(source, "source"), bytes.clone(), null);
    }

    /** The image to load; fails with a {@link FirmwareException} if parsed from bytes that cannot be one. */
    public synchronized FirmwareImage image() {
        if (image == null) {
            image = FirmwareImage.of(source, rawBytes);
            rawBytes = null;
        }
        return image;
    }

    public String source() {
        return source;
    }

    /** Guest-physical address of the first byte: the image ends at 4 GiB. */
    public long gpa() {
        return RamLayout.FIRMWARE_END - size;
    }

    public int size() {
        return size;
    }

    public boolean hasFooterTable() {
        return hasFooterTable;
    }

    /** The footer table entries from the footer down (the order QEMU searches them in). */
    public List<FooterEntry> footerEntries() {
        return entries;
    }

    /** The data of the first entry with this GUID. */
    public Optional<byte[]> footerEntry(Guid guid) {
        return entry(guid).map(FooterEntry::data);
    }

    /** The SEV-ES AP reset address: APs start with CS.base = eip & 0xffff0000, IP = eip & 0xffff. */
    public OptionalLong sevEsResetEip() {
        return sevEsResetEip;
    }

    /** The 'ASEV' sections in descriptor order; empty when the image has none. */
    public List<MetadataSection> sevMetadata() {
        return sevMetadata;
    }

    public boolean hasSection(SectionType type) {
        return sevMetadata.stream().anyMatch(s -> s.type() == type);
    }

    /** Where the SEV hashes table goes; empty when the image has no such area (base 0). */
    public Optional<SevHashesTableLocation> sevHashesTable() {
        return sevHashesTable;
    }

    /** Where an injected launch secret goes; empty when the image has no such area (base 0). */
    public Optional<SecretBlock> sevSecretBlock() {
        return sevSecretBlock;
    }

    /**
     * Fails, naming the section and the page, unless every page of every metadata section is guest RAM:
     * the PSP can only pre-validate, fill or measure pages that exist.
     */
    public void checkSectionsInside(LongPredicate isRamPage) {
        for (MetadataSection s : sevMetadata) {
            for (long page = s.gpa(); page < s.end(); page += PAGE) {
                if (!isRamPage.test(page)) {
                    throw new FirmwareException(source + ": SEV metadata section " + s + ": page 0x"
                            + Long.toHexString(page) + " is not in guest RAM");
                }
            }
        }
    }

    private Optional<FooterEntry> entry(Guid guid) {
        return entries.stream().filter(e -> e.guid().equals(guid)).findFirst();
    }

    private static long u32Field(ImageReader reader, FooterEntry e, int at, String field, String what) {
        int needed = at + 4;
        int length = e.data().length;
        if (length < needed) {
            throw reader.error(e.offset(), field, "the entry has " + length + " bytes of data, "
                    + what + " needs " + needed);
        }
        return reader.u32(e.offset() + at, field);
    }

    private static Optional<SevHashesTableLocation> hashesTable(ImageReader reader, FooterEntry e) {
        String field = "SEV hashes table block";
        long base = u32Field(reader, e, 0, field, "the table base");
        long length = u32Field(reader, e, 4, field, "the table size");
        if (base == 0) {
            return Optional.empty();
        }
        if (length == 0) {
            throw reader.error(e.offset() + 4, field, "the table at 0x" + Long.toHexString(base) + " has size 0");
        }
        // OVMF maps and QEMU measures the table as part of one page.
        if ((base & (PAGE - 1)) + length > PAGE) {
            throw reader.error(e.offset() + 4, field, "the table at 0x" + Long.toHexString(base) + " of 0x"
                    + Long.toHexString(length) + " bytes does not fit in one 4 KiB page");
        }
        return Optional.of(new SevHashesTableLocation(base, length));
    }

    private static Optional<SecretBlock> secretBlock(ImageReader reader, FooterEntry e) {
        String field = "SEV secret block";
        long base = u32Field(reader, e, 0, field, "the secret base");
        long length = u32Field(reader, e, 4, field, "the secret size");
        if (base == 0) {
            return Optional.empty();
        }
        if (base + length > RamLayout.FIRMWARE_END) {
            throw reader.error(e.offset() + 4, field, "the area at 0x" + Long.toHexString(base) + " of 0x"
                    + Long.toHexString(length) + " bytes ends above 4 GiB");
        }
        return Optional.of(new SecretBlock(base, length));
    }
}
