package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hugetlbfs-backed RAM; .ci/setup reserves the 2 MiB pages these tests use. */
class HugetlbTest {
    private static final long SIZE = 8L << 20;

    @Test
    void ramIsBackedBy2MiBPages() throws Exception {
        Path pool = Path.of(GuestMemoryBuilder.HUGE_PAGE_POOL, "free_hugepages");
        long free = Files.isReadable(pool) ? Long.parseLong(Files.readString(pool).trim()) : 0;
        // .ci/setup reserves them; a host that refuses (a container without /sys write access) cannot have them.
        assumeTrue(free >= SIZE / GuestMemoryBuilder.HUGE_PAGE_SIZE, "this host has " + free + " free 2 MiB pages in "
                + pool + ", the test needs " + SIZE / GuestMemoryBuilder.HUGE_PAGE_SIZE + " (.ci/setup reserves 64)");
        try (GuestMemory m = new GuestMemoryBuilder().hugetlb(true).add("ram", 0, SIZE, RegionKind.RAM).build()) {
            m.writeLong(GuestAddress.of(SIZE - 8), 0x1122334455667788L);
            assertThat(m.readLong(GuestAddress.of(SIZE - 8))).isEqualTo(0x1122334455667788L);
            assertThat(kernelPageSizeOfMappingSized(SIZE)).isEqualTo("2048 kB");
        }
    }

    @Test
    void missingHugePagesAreAnErrorUpFrontNotAFaultLater() {
        // More pages than any test host reserves: the mmap must fail, with the remedy in the message.
        GuestMemoryBuilder b = new GuestMemoryBuilder().hugetlb(true).add("ram", 0, 1L << 40, RegionKind.RAM);
        assertThatThrownBy(b::build)
                .hasMessageStartingWith("guest ram: cannot reserve 524288 huge pages of 2 MiB (ENOMEM)")
                .hasMessageContaining(GuestMemoryBuilder.HUGE_PAGE_POOL + "/nr_hugepages");
    }

    private static String kernelPageSizeOfMappingSized(long size) throws Exception {
        List<String> smaps = Files.readAllLines(Path.of("/proc/self/smaps"));
        for (int i = 0; i < smaps.size(); i++) {
            String[] range = smaps.get(i).split(" ")[0].split("-");
            if (range.length == 2 && range[0].matches("[0-9a-f]+") && range[1].matches("[0-9a-f]+")
                    && Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16) == size) {
                for (int j = i + 1; j < smaps.size() && !smaps.get(j).matches("^[0-9a-f]+-.*"); j++) {
                    if (smaps.get(j).startsWith("KernelPageSize:")) {
                        return smaps.get(j).substring("KernelPageSize:".length()).trim();
                    }
                }
            }
        }
        throw new AssertionError("no mapping of " + size + " bytes in /proc/self/smaps");
    }
}
