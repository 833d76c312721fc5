package dev.vmm.sev.platform.sim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.platform.DevSevPlatform;
import dev.vmm.sev.platform.SevDevice;
import dev.vmm.sev.psp.FirmwareError;
import dev.vmm.sev.tcb.TcbLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes behind SEV_ISSUE_CMD, written out from linux/psp-sev.h independently of PlatformLayouts:
 * {@code sev_issue_cmd} is packed (cmd u32 @0, data u64 @4, error u32 @12).
 */
class SimulatedSevDeviceTest {
    private final SimulatedSevFirmware firmware = SimulatedSevFirmware.manufacture(new SecureRandom());
    private final SimulatedSevDevice device = new SimulatedSevDevice(firmware, true);

    @Test
    void getId2LengthQueryAnswersInvalidLenWithTheLength() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id2 = arena.allocate(12);           // address u64 @0, length u32 @8
            MemorySegment cmd = issue(arena, 8, id2.address());
            assertThat(device.issueCmd(cmd)).isEqualTo(-Errno.EIO);
            assertThat(cmd.get(JAVA_INT_UNALIGNED, 12)).isEqualTo(FirmwareError.INVALID_LEN.code());
            assertThat(id2.get(JAVA_INT_UNALIGNED, 8)).isEqualTo(64);

            MemorySegment buf = arena.allocate(64);
            id2.set(JAVA_LONG_UNALIGNED, 0, buf.address());
            MemorySegment again = issue(arena, 8, id2.address());
            assertThat(device.issueCmd(again)).isZero();
            assertThat(again.get(JAVA_INT_UNALIGNED, 12)).isZero();
            assertThat(buf.toArray(JAVA_BYTE)).isEqualTo(firmware.getId());
        }
    }

    @Test
    void deprecatedGetIdFillsSocketOne() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = arena.allocate(128);
            assertThat(device.issueCmd(issue(arena, 7, id.address()))).isZero();
            assertThat(id.asSlice(0, 64).toArray(JAVA_BYTE)).isEqualTo(firmware.getId());
            assertThat(id.asSlice(64, 64).toArray(JAVA_BYTE)).containsOnly((byte) 0);
        }
    }

    @Test
    void platformStatusIsPackedAsTheHeaderSays() {
        try (Arena arena = Arena.ofConfined()) {
            firmware.init();
            firmware.activateGuest(false);
            MemorySegment st = arena.allocate(12);     // major@0 minor@1 state@2 flags u32@3 build@7 guests u32@8
            assertThat(device.issueCmd(issue(arena, 1, st.address()))).isZero();
            assertThat(st.get(JAVA_BYTE, 0)).isEqualTo((byte) 1);
            assertThat(st.get(JAVA_BYTE, 1)).isEqualTo((byte) 55);
            assertThat(st.get(JAVA_BYTE, 2)).as("WORKING").isEqualTo((byte) 2);
            assertThat(st.get(JAVA_INT_UNALIGNED, 3)).as("CONFIG_ES").isEqualTo(0x100);
            assertThat(st.get(JAVA_BYTE, 7)).isEqualTo((byte) 21);
            assertThat(st.get(JAVA_INT_UNALIGNED, 8)).isEqualTo(1);
        }
    }

    @Test
    void snpStatusBitfieldsLandWhereGccPutsThem() {
        firmware.maskChipKey = true;
        firmware.vlekLoaded = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(32);
            assertThat(device.issueCmd(issue(arena, 9, st.address()))).isZero();
            assertThat(st.get(JAVA_BYTE, 3)).as("is_rmp_initialized: bit 0 of byte 3").isEqualTo((byte) 1);
            assertThat(st.get(JAVA_INT_UNALIGNED, 8)).as("mask_chip_key bit 1, vlek_en bit 2").isEqualTo(0b110);
            assertThat(st.get(JAVA_LONG_UNALIGNED, 16)).isEqualTo(firmware.currentTcb.raw());
            assertThat(st.get(JAVA_LONG_UNALIGNED, 24)).isEqualTo(firmware.reportedTcb.raw());
        }
    }

    @Test
    void unknownCommandsAndNullPointersAreRefusedByTheKernel() {
        try (Arena arena = Arena.ofConfined()) {
            assertThat(device.issueCmd(issue(arena, 13, 0))).as("SEV_MAX").isEqualTo(-Errno.EINVAL);
            assertThat(device.issueCmd(issue(arena, 99, 0))).isEqualTo(-Errno.EINVAL);
            assertThat(device.issueCmd(issue(arena, 1, 0))).as("status into NULL").isEqualTo(-Errno.EFAULT);
            MemorySegment vlek = arena.allocate(16);
            vlek.set(JAVA_INT_UNALIGNED, 0, 15);             // len must be sizeof (16)
            assertThat(device.issueCmd(issue(arena, 12, vlek.address()))).isEqualTo(-Errno.EINVAL);
        }
    }

    @Test
    void theEncoderPutsTheCommandAndDataPointerAtTheirPackedOffsets() {
        List<long[]> seen = new ArrayList<>();
        SevDevice recorder = new SevDevice() {
            @Override
            public int issueCmd(MemorySegment c) {
                seen.add(new long[] {c.byteSize(), c.get(JAVA_INT_UNALIGNED, 0), c.get(JAVA_LONG_UNALIGNED, 4)});
                return device.issueCmd(c);
            }

            @Override
            public String description() {
                return "recorder";
            }

            @Override
            public boolean isSimulated() {
                return true;
            }

            @Override
            public boolean isWritable() {
                return true;
            }

            @Override
            public TcbLayout tcbLayout() {
                return device.tcbLayout();
            }

            @Override
            public void close() {}
        };
        DevSevPlatform platform = new DevSevPlatform(recorder);
        platform.status();
        platform.snpCommit();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)[0]).as("sizeof(struct sev_issue_cmd)").isEqualTo(16);
        assertThat(seen.get(0)[1]).isEqualTo(1);
        assertThat(seen.get(0)[2]).as("data points at the status struct").isNotZero();
        assertThat(seen.get(1)[1]).isEqualTo(10);
        assertThat(seen.get(1)[2]).as("SNP_COMMIT has no data").isZero();
    }

    private static MemorySegment issue(Arena arena, int cmd, long data) {
        MemorySegment c = arena.allocate(16);
        c.set(JAVA_INT_UNALIGNED, 0, cmd);
        c.set(JAVA_LONG_UNALIGNED, 4, data);
        return c;
    }
}
