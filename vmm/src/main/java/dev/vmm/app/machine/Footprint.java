package dev.vmm.app.machine;

import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.MemoryRegion;
import dev.vmm.memory.RegionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The VMM's own memory as Firecracker counts its overhead: the process's peak resident set minus the
 * guest RAM the guest touched (resident pages of the RAM mappings, from /proc/self/smaps). Read while
 * the guest's memory is still mapped.
 */
public record Footprint(long peakRssBytes, long guestResidentBytes) {
    public long overheadBytes() {
        return peakRssBytes - guestResidentBytes;
    }

    /** Empty where /proc cannot be read (the figures are a report, never a reason to fail). */
    public static java.util.Optional<Footprint> of(GuestMemory memory) {
        try {
            Set<Long> starts = new HashSet<>();
            for (MemoryRegion r : memory.regions()) {
                if (r.kind() == RegionKind.RAM) {
                    starts.add(memory.slice(r.start(), 1).address());
                }
            }
            long guest = 0;
            boolean inGuest = false;
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                int dash = line.indexOf('-');
                if (dash > 0 && line.indexOf(' ') > dash && isHex(line, dash)) {
                    inGuest = starts.contains(Long.parseUnsignedLong(line.substring(0, dash), 16));
                } else if (inGuest && line.startsWith("Rss:")) {
                    guest += kib(line) * 1024;
                }
            }
            return java.util.Optional.of(new Footprint(peakRss(), guest));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static long peakRss() throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
        return status.stream().filter(l -> l.startsWith("VmHWM:")).mapToLong(Footprint::kib).findFirst().orElse(0) * 1024;
    }

    private static boolean isHex(String line, int end) {
        for (int i = 0; i < end; i++) {
            if (Character.digit(line.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }
}
