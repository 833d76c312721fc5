package dev.vmm.firmware.ovmf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.firmware.FirmwareException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SevHashTableTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] kernel64k() {
        byte[] b = new byte[65536];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    private static byte[] initrd32k() {
        byte[] b = new byte[32768];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 % 256);
        }
        return b;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    @Test
    void layoutIsQemusPaddedSevHashTable() throws Exception {
        byte[] kernel = kernel64k();
        byte[] initrd = initrd32k();
        byte[] t = SevHashTable.build(kernel, initrd, "console=ttyS0");

        assertThat(SevHashTable.LENGTH).isEqualTo(168);
        assertThat(SevHashTable.PADDED_LENGTH).isEqualTo(176);
        assertThat(t).hasSize(176);
        assertThat(Guid.fromBytesLe(t, 0)).isEqualTo(SevHashTable.TABLE_GUID);
        assertThat(Arrays.copyOfRange(t, 0, 16)).isEqualTo(HEX.parseHex("06d63894224fc94cb479a793d411fd21"));
        assertThat(u16(t, 16)).isEqualTo(168);
        // Entries at 18, 68, 118: cmdline, initrd, kernel; each GUID, u16 50, SHA-256.
        assertThat(Guid.fromBytesLe(t, 18)).isEqualTo(SevHashTable.CMDLINE_GUID);
        assertThat(Guid.fromBytesLe(t, 68)).isEqualTo(SevHashTable.INITRD_GUID);
        assertThat(Guid.fromBytesLe(t, 118)).isEqualTo(SevHashTable.KERNEL_GUID);
        assertThat(u16(t, 34)).isEqualTo(50);
        assertThat(u16(t, 84)).isEqualTo(50);
        assertThat(u16(t, 134)).isEqualTo(50);
        assertThat(Arrays.copyOfRange(t, 36, 68)).isEqualTo(sha256("console=ttyS0\0".getBytes(StandardCharsets.US_ASCII)));
        assertThat(Arrays.copyOfRange(t, 86, 118)).isEqualTo(sha256(initrd));
        assertThat(Arrays.copyOfRange(t, 136, 168)).isEqualTo(sha256(kernel));
        assertThat(Arrays.copyOfRange(t, 168, 176)).containsOnly(0);
    }

    /**
     * The golden value was computed independently with python3 (hashlib, uuid):
     * <pre>
     * kernel = bytes(i % 251 for i in range(65536)); initrd = bytes((i*7) % 256 for i in range(32768))
     * le = lambda g: uuid.UUID(g).bytes_le
     * entry = lambda g, h: le(g) + (50).to_bytes(2, 'little') + h
     * t = le('9438d606-4f22-4cc9-b479-a793d411fd21') + (168).to_bytes(2, 'little')
     * t += entry('97d02dd8-bd20-4c94-aa78-e7714d36ab2a', sha256(b'console=ttyS0\0'))
     * t += entry('44baf731-3a2f-4bd7-9af1-41e29169781d', sha256(initrd))
     * t += entry('4de79437-abd2-427f-b835-d5b172d2045b', sha256(kernel))
     * t += bytes(176 - len(t)); print(sha256(t).hexdigest())
     * </pre>
     */
    @Test
    void goldenTable() throws Exception {
        byte[] t = SevHashTable.build(kernel64k(), initrd32k(), "console=ttyS0");
        assertThat(HEX.formatHex(sha256(t))).isEqualTo("5993e3997ed31b4a1f7cdf780cec1eb3d09e305d569bc9a5a09829c15f96fc1f");
        // The per-item hashes from the same run.
        assertThat(HEX.formatHex(Arrays.copyOfRange(t, 36, 68)))
                .isEqualTo("f18aae9b3c09e55bc3047ad361e2442d7c53372470b2958fb83293209a784f71");
        assertThat(HEX.formatHex(Arrays.copyOfRange(t, 86, 118)))
                .isEqualTo("1ad834c3986c55f4bf52a09f4aa6adc9ed0de1f1ac20457a0606321042057254");
        assertThat(HEX.formatHex(Arrays.copyOfRange(t, 136, 168)))
                .isEqualTo("4b640d85ab3ba30fd02c9fc9db4a8928f416322ad27022ea58a65aaee68a4df2");
    }

    @Test
    void withoutCmdlineAndInitrdQemuHashesASingleNulAndEmptyInput() {
        byte[] t = SevHashTable.build(new byte[] {1}, null, null);
        assertThat(HEX.formatHex(Arrays.copyOfRange(t, 36, 68)))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");   // sha256(b'\0')
        assertThat(HEX.formatHex(Arrays.copyOfRange(t, 86, 118)))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");   // sha256(b'')
        assertThat(SevHashTable.build(new byte[] {1}, new byte[0], "")).isEqualTo(t);
    }

    @Test
    void aCommandLineWithANulIsRefused() {
        assertThatThrownBy(() -> SevHashTable.build(new byte[1], null, "a\0b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }

    @Test
    void placesTheTableInAZeroPage() {
        byte[] t = SevHashTable.build(kernel64k(), null, "x");
        byte[] page = SevHashTable.page(t, 0xc00);
        assertThat(page).hasSize(4096);
        assertThat(Arrays.copyOfRange(page, 0xc00, 0xc00 + 176)).isEqualTo(t);
        assertThat(Arrays.copyOfRange(page, 0, 0xc00)).containsOnly(0);
        assertThat(Arrays.copyOfRange(page, 0xc00 + 176, 4096)).containsOnly(0);
        assertThat(Arrays.copyOfRange(SevHashTable.page(t, 4096 - 176), 4096 - 176, 4096)).isEqualTo(t);
    }

    @Test
    void aTableThatDoesNotFitInThePageIsRefused() {
        byte[] t = SevHashTable.build(new byte[1], null, null);
        assertThatThrownBy(() -> SevHashTable.page(t, 4096 - 175)).isInstanceOf(FirmwareException.class)
                .hasMessage("SEV hashes table of 176 bytes at offset 0xf51 does not fit in a 4 KiB page");
        assertThatThrownBy(() -> SevHashTable.page(t, -1)).isInstanceOf(FirmwareException.class);
    }

    @Test
    void theFirmwareAreaMustHoldThePaddedTable() {
        byte[] t = SevHashTable.build(new byte[1], null, null);
        OvmfImage amdSev = OvmfImage.parse("amdsev", OvmfSamples.amdSevSuffix());
        byte[] page = SevHashTable.page(t, amdSev.sevHashesTable().orElseThrow());
        assertThat(Arrays.copyOfRange(page, 0xc00, 0xc00 + 176)).isEqualTo(t);
        assertThatThrownBy(() -> SevHashTable.page(t, new SevHashesTableLocation(0x810c00, 0xa8)))
                .isInstanceOf(FirmwareException.class)
                .hasMessage("the firmware's SEV hashes table area at 0x810c00 has 0xa8 bytes; the table needs 176");
    }
}
