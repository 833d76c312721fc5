package dev.vmm.firmware.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.StructLayout;
import org.junit.jupiter.api.Test;

/**
 * The PVH structures' offsets, as xen/interface/hvm/start_info.h documents them in its comment table
 * (the header is not UAPI, so the ABI check cannot compile against it).
 */
class HvmStartInfoTest {
    private static long at(StructLayout l, String field) {
        return l.byteOffset(groupElement(field));
    }

    @Test
    void startInfoVersion1() {
        StructLayout s = HvmStartInfo.START_INFO;
        assertThat(s.byteSize()).isEqualTo(56);
        assertThat(new long[] {at(s, "magic"), at(s, "version"), at(s, "flags"), at(s, "nr_modules"),
                at(s, "modlist_paddr"), at(s, "cmdline_paddr"), at(s, "rsdp_paddr"), at(s, "memmap_paddr"),
                at(s, "memmap_entries"), at(s, "reserved")})
                .containsExactly(0, 4, 8, 12, 16, 24, 32, 40, 48, 52);
        assertThat(HvmStartInfo.MAGIC).isEqualTo(0x336ec578);
    }

    @Test
    void moduleAndMemoryMapEntries() {
        assertThat(HvmStartInfo.MODLIST_ENTRY.byteSize()).isEqualTo(32);
        assertThat(at(HvmStartInfo.MODLIST_ENTRY, "cmdline_paddr")).isEqualTo(16);
        assertThat(HvmStartInfo.MEMMAP_ENTRY.byteSize()).isEqualTo(24);
        assertThat(at(HvmStartInfo.MEMMAP_ENTRY, "type")).isEqualTo(16);
        assertThat(HvmStartInfo.MODLIST_AT).isGreaterThanOrEqualTo((int) HvmStartInfo.START_INFO.byteSize());
        assertThat(HvmStartInfo.MEMMAP_AT).isGreaterThanOrEqualTo(HvmStartInfo.MODLIST_AT + 32);
    }
}
