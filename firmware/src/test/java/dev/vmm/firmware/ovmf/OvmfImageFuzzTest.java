package dev.vmm.firmware.ovmf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the bytes, {@link OvmfImage#parse} returns or throws an {@link OvmfParseException} whose
 * offset lies inside the image: never an index error or any other exception.
 */
class OvmfImageFuzzTest {
    private static final List<byte[]> SUFFIXES = List.of(OvmfSamples.amdSevSuffix(), OvmfSamples.ovmfX64Suffix());

    private static void parsesOrFailsCleanly(byte[] bytes) {
        try {
            OvmfImage ovmf = OvmfImage.parse("fuzz", bytes);
            for (FooterEntry e : ovmf.footerEntries()) {
                assertThat(e.offset() + e.data().length).isBetween(0L, (long) bytes.length);
            }
            for (MetadataSection s : ovmf.sevMetadata()) {
                assertThat(s.size()).isPositive();
                assertThat(s.end()).isLessThanOrEqualTo(1L << 32);
            }
            ovmf.sevHashesTable().ifPresent(h -> assertThat(h.offsetInPage() + h.size()).isLessThanOrEqualTo(4096));
        } catch (OvmfParseException e) {
            assertThat(e.getMessage()).startsWith("fuzz: " + e.field() + " at offset 0x");
            assertThat(e.offset()).isBetween(0L, (long) bytes.length);
        }
    }

    @Property(tries = 2500)
    void mutatedRealSuffixes(@ForAll("mutatedSuffixes") byte[] bytes) {
        parsesOrFailsCleanly(bytes);
    }

    @Property(tries = 1000)
    void arbitraryBytes(@ForAll("arbitraryImages") byte[] bytes) {
        parsesOrFailsCleanly(bytes);
    }

    @Property(tries = 1500)
    void randomTablesAndMetadata(@ForAll("randomTables") byte[] bytes) {
        parsesOrFailsCleanly(bytes);
    }

    /** A real suffix with bytes changed, mostly in the last 0x600 bytes where the table and metadata are, then maybe cut. */
    @Provide
    Arbitrary<byte[]> mutatedSuffixes() {
        Arbitrary<int[]> flip = Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.integers().between(0xa00, 0xfff), Arbitraries.integers().between(0, 0xfff)),
                        Arbitraries.integers().between(0, 255))
                .as((at, value) -> new int[] {at, value});
        Arbitrary<List<int[]>> flips = flip.list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<Integer> keep = Arbitraries.oneOf(Arbitraries.just(4096), Arbitraries.integers().between(0, 4096));
        return Combinators.combine(Arbitraries.of(SUFFIXES), flips, keep, Arbitraries.of(true, false))
                .as((suffix, changes, n, keepTail) -> {
                    byte[] b = suffix.clone();
                    for (int[] c : changes) {
                        b[c[0]] = (byte) c[1];
                    }
                    return keepTail ? OvmfSamples.lastBytes(b, n) : Arrays.copyOf(b, n);
                });
    }

    /** Random bytes of random lengths, half of them ending with a footer GUID and a random table length. */
    @Provide
    Arbitrary<byte[]> arbitraryImages() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> footed = Combinators.combine(raw, Arbitraries.integers().between(0, 0xffff))
                .as((prefix, length) -> {
                    byte[] b = Arrays.copyOf(prefix, prefix.length + 50);
                    OvmfSamples.putU16(b, prefix.length, length);
                    System.arraycopy(OvmfGuids.TABLE_FOOTER.bytesLe(), 0, b, prefix.length + 2, 16);
                    return b;
                });
        return Arbitraries.oneOf(raw, footed);
    }

    /** Well-formed tables of known and unknown entries with random data, plus random 'ASEV' metadata. */
    @Provide
    Arbitrary<byte[]> randomTables() {
        Arbitrary<Guid> guids = Arbitraries.oneOf(
                Arbitraries.of(OvmfGuids.SEV_ES_RESET_BLOCK, OvmfGuids.SEV_METADATA, OvmfGuids.SEV_HASH_TABLE_BLOCK,
                        OvmfGuids.SEV_SECRET_BLOCK, OvmfGuids.TDX_METADATA_OFFSET),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Guid::new));
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(24),
                Combinators.combine(interesting(), interesting()).as((a, b) -> {
                    byte[] d = new byte[8];
                    OvmfSamples.putU32(d, 0, a);
                    return OvmfSamples.putU32(d, 4, b);
                }));
        Arbitrary<List<Object[]>> entries = Combinators.combine(guids, data).as((g, d) -> new Object[] {g, d})
                .list().ofMaxSize(6);
        Arbitrary<long[]> section = Combinators.combine(interesting(), interesting(),
                        Arbitraries.oneOf(Arbitraries.of(0L, 1L, 2L, 3L, 4L, 5L, 0x10L), Arbitraries.longs().between(0, 0xffffffffL)))
                .as((gpa, size, type) -> new long[] {gpa, size, type});
        Arbitrary<List<long[]>> sections = section.list().ofMaxSize(6);
        // Sometimes the header's length and count are replaced, so that they disagree with each other and the image.
        Arbitrary<int[]> header = Arbitraries.oneOf(Arbitraries.just(new int[0]),
                Combinators.combine(Arbitraries.integers().between(0, 0x1100), Arbitraries.integers().between(0, 400))
                        .as((length, count) -> new int[] {length, count}));
        return Combinators.combine(Arbitraries.of(256, 1024, 4096), entries, sections, Arbitraries.integers().between(0, 4096), header)
                .as((size, es, ss, fromEnd, lengthAndCount) -> {
                    FooterTableBuilder b = new FooterTableBuilder(size);
                    int room = size - FooterTable.LENGTH_FROM_END;
                    for (Object[] e : es) {
                        byte[] d = (byte[]) e[1];
                        if (d.length + FooterTable.ENTRY_TRAILER <= room) {
                            b.entry((Guid) e[0], d);
                            room -= d.length + FooterTable.ENTRY_TRAILER;
                        }
                    }
                    int metadataLength = 16 + 12 * ss.size();
                    boolean withMetadata = !ss.isEmpty() && fromEnd >= metadataLength && fromEnd <= size
                            && room >= 4 + FooterTable.ENTRY_TRAILER;
                    if (withMetadata) {
                        b.metadata(fromEnd, ss.toArray(long[][]::new));
                    }
                    // The metadata may land under the table, which then overwrites part of it.
                    byte[] image = b.build();
                    if (withMetadata && lengthAndCount.length == 2) {
                        OvmfSamples.putU32(image, size - fromEnd + 4, lengthAndCount[0]);
                        OvmfSamples.putU32(image, size - fromEnd + 12, lengthAndCount[1]);
                    }
                    return image;
                });
    }

    /** Addresses and sizes around page boundaries, 4 GiB and zero, or anything 32-bit. */
    private static Arbitrary<Long> interesting() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 0x1000).map(p -> 0x800000L + (p << 12)),
                Arbitraries.of(0L, 0x1000L, 0xc00L, 0x400L, 0xfffff000L, 0xffffffffL, 0x100000000L - 0x2000),
                Arbitraries.longs().between(0, 0xffffffffL));
    }
}
