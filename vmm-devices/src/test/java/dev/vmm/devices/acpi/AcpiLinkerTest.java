package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tables linked into 0xE0000-0xFFFFF for a kernel without firmware, as Linux then finds them. */
class AcpiLinkerTest {
    private static final AcpiMachine PC = AcpiMachine.pc(4, new AcpiMachine.MmioWindow(0x80000000L, 0x7c000000L));

    private static byte[] at(List<AcpiLinker.Placed> blobs, long address, int length) {
        for (AcpiLinker.Placed b : blobs) {
            if (address >= b.address() && address + length <= b.address() + b.bytes().length) {
                byte[] out = new byte[length];
                System.arraycopy(b.bytes(), (int) (address - b.address()), out, 0, length);
                return out;
            }
        }
        throw new AssertionError(String.format("0x%x+%d is in no blob", address, length));
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void theRsdpComesFirstAndEveryPointerAndChecksumHolds() {
        AcpiLinker.Linked l = AcpiLinker.link(PC, 0xe0000, 0x100000);
        assertThat(l.rsdp()).isEqualTo(0xe0000);
        byte[] rsdp = at(l.blobs(), l.rsdp(), 36);
        assertThat(new String(rsdp, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("RSD PTR ");
        assertThat(LoaderInterpreter.sum(rsdp, 0, 20)).as("ACPI 1.0 checksum").isZero();
        assertThat(LoaderInterpreter.sum(rsdp, 0, 36)).as("extended checksum").isZero();
        long xsdtAddress = le(rsdp).getLong(24);
        byte[] xsdt = table(l, xsdtAddress, "XSDT");
        int entries = (xsdt.length - 36) / 8;
        List<String> found = new java.util.ArrayList<>();
        for (int i = 0; i < entries; i++) {
            long t = le(xsdt).getLong(36 + 8 * i);
            found.add(new String(at(l.blobs(), t, 4), StandardCharsets.US_ASCII));
            table(l, t, found.getLast());
        }
        assertThat(found).containsExactly("FACP", "APIC");
        byte[] fadt = table(l, le(xsdt).getLong(36), "FACP");
        table(l, le(fadt).getInt(40) & 0xffff_ffffL, "DSDT");
        assertThat(l.blobs()).allSatisfy(b -> assertThat(b.address() + b.bytes().length).isLessThanOrEqualTo(0x100000));
    }

    @Test
    void tooLittleRoomIsAnError() {
        assertThatThrownBy(() -> AcpiLinker.link(PC, 0xe0000, 0xe0100)).hasMessageContaining("does not fit in 0xe0000-0xe0100");
    }

    /** The table at {@code address}: its signature and a zero checksum over its length. */
    private static byte[] table(AcpiLinker.Linked l, long address, String signature) {
        int length = le(at(l.blobs(), address, 8)).getInt(4);
        byte[] t = at(l.blobs(), address, length);
        assertThat(new String(t, 0, 4, StandardCharsets.US_ASCII)).isEqualTo(signature);
        assertThat(LoaderInterpreter.sum(t, 0, length)).as(signature + " checksum").isZero();
        return t;
    }
}
