package dev.vmm.sev.vmsa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Field placement against the reset state sev-snp-measure models for QEMU (docs/sev-kvm-abi.md 4.1). */
class VmsaTest {
    private static ByteBuffer vmsa(int index, long apEip, long features, boolean fpu) {
        byte[] page = Vmsa.build(ConfidentialResetState.forVcpu(index, 0x00800f12, apEip), features, fpu);
        assertThat(page).hasSize(4096);
        return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void bspAtTheResetVector() {
        ByteBuffer b = vmsa(0, 0x80b004, 1, true);
        // CS: selector 0xf000, attributes 0x9b, limit 0xffff, base 0xffff0000.
        assertThat(b.getShort(0x10)).isEqualTo((short) 0xf000);
        assertThat(b.getShort(0x12)).isEqualTo((short) 0x9b);
        assertThat(b.getInt(0x14)).isEqualTo(0xffff);
        assertThat(b.getLong(0x18)).isEqualTo(0xffff0000L);
        assertThat(b.getShort(0x02)).as("ES attributes").isEqualTo((short) 0x93);
        assertThat(b.getShort(0x72)).as("LDTR attributes").isEqualTo((short) 0x82);
        assertThat(b.getShort(0x92)).as("TR attributes").isEqualTo((short) 0x8b);
        assertThat(b.getInt(0x64)).as("GDTR limit").isEqualTo(0xffff);
        assertThat(b.getShort(0x62)).as("GDTR attributes").isZero();
        assertThat(b.getLong(0xd0)).as("EFER with SVME").isEqualTo(0x1000);
        assertThat(b.getLong(0x148)).as("CR4 with the host's MCE").isEqualTo(0x40);
        assertThat(b.getLong(0x158)).as("CR0 without CD/NW").isEqualTo(0x10);
        assertThat(b.getLong(0x160)).as("DR7").isEqualTo(0x400);
        assertThat(b.getLong(0x168)).as("DR6").isEqualTo(0xffff0ff0L);
        assertThat(b.getLong(0x170)).as("RFLAGS").isEqualTo(2);
        assertThat(b.getLong(0x178)).as("RIP").isEqualTo(0xfff0);
        assertThat(b.getLong(0x268)).as("PAT").isEqualTo(0x0007040600070406L);
        assertThat(b.getLong(0x310)).as("RDX: CPU signature").isEqualTo(0x00800f12);
        assertThat(b.getLong(0x3b0)).as("SEV features").isEqualTo(1);
        assertThat(b.getLong(0x3e8)).as("XCR0").isEqualTo(1);
        assertThat(b.getInt(0x408)).as("MXCSR").isEqualTo(0x1f80);
        assertThat(b.getShort(0x410)).as("FCW").isEqualTo((short) 0x37f);
    }

    @Test
    void apsStartAtTheResetBlock() {
        ByteBuffer b = vmsa(1, 0x80b004, 0, true);
        assertThat(b.getLong(0x18)).as("CS base").isEqualTo(0x800000L);
        assertThat(b.getLong(0x178)).as("RIP").isEqualTo(0xb004);
        assertThat(b.getLong(0x3b0)).isZero();
    }

    @Test
    void legacyEsInitLeavesTheFpuAreaZero() {
        ByteBuffer b = vmsa(0, 0, 0, false);
        for (int off = 0x400; off < 0x670; off += 8) {
            assertThat(b.getLong(off)).as("offset 0x" + Integer.toHexString(off)).isZero();
        }
    }
}
