package dev.vmm.devices.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class I8042Test {
    private static final int OBF = I8042.STATUS_OUTPUT_FULL;
    private static final int IBF = I8042.STATUS_INPUT_FULL;
    /** Ps2KeyboardDxe's KBC_PARE | KBC_TIM: both set means nobody decodes the ports. */
    private static final int PARITY_AND_TIMEOUT = 0xc0;

    private final MemorySegment data = Arena.ofAuto().allocate(1);
    private final List<MachineRequest> stops = new ArrayList<>();
    private final List<Boolean> irq = new ArrayList<>();
    private final I8042 kbc = new I8042(stops::add, irq::add);

    @Test
    void idleStatusHasEmptyBuffersAndDataReadsZero() {
        assertThat(status()).isEqualTo(I8042.STATUS_COMMAND | I8042.STATUS_UNLOCKED);
        assertThat(readData()).isZero();
        assertThat(status() & (OBF | IBF)).isZero();
    }

    @Test
    void ovmfResetPulsesTheResetLine() {
        command(0xfe); // ResetWarm, and ResetCold's fallback after 0xCF9
        assertThat(stops).containsExactly(new MachineRequest.Reset("i8042 command 0xFE pulses the reset line"));
    }

    @Test
    void onlyPulsesOfBitZeroReset() {
        command(0xff);
        command(0xf1);
        assertThat(stops).isEmpty();
        command(0xf0);
        assertThat(stops).hasSize(1);
    }

    @Test
    void theOutputPortHoldsA20AndTheResetLine() {
        command(I8042.READ_OUTPUT_PORT);
        assertThat(readData()).isEqualTo(0x03);
        command(I8042.WRITE_OUTPUT_PORT);
        writeData(0x01); // A20 off, reset line high
        command(I8042.READ_OUTPUT_PORT);
        assertThat(readData()).isEqualTo(0x01);
        assertThat(stops).isEmpty();
        command(I8042.WRITE_OUTPUT_PORT);
        writeData(0x02);
        assertThat(stops).containsExactly(new MachineRequest.Reset("i8042 output port write holds the reset line"));
    }

    /**
     * Ps2KeyboardDxe (MdeModulePkg/Bus/Isa/Ps2KeyboardDxe): KbdControllerDriverStart, then
     * InitKeyboard with extended verification, the MdeModulePkg default. Every wait of the driver
     * polls the status up to a second; here each is answered on its first poll.
     */
    @Test
    void ovmfKeyboardProbeCompletesWithoutATimeout() {
        // Start: KeyboardRead finds nothing (the driver waits 65 ms here, as under QEMU), then the
        // status must not have both parity and timeout set.
        assertThat(status() & OBF).isZero();
        assertThat(status() & PARITY_AND_TIMEOUT).isNotEqualTo(PARITY_AND_TIMEOUT);
        // InitKeyboard: the system flag is clear, so the controller is set up from scratch.
        assertThat(status() & I8042.STATUS_SYSTEM).isZero();
        command(0xad);
        command(0xa7);
        command(0xaa);
        waitFor(0x55);
        command(0x60);
        writeData(0x67);
        // CheckKeyboardConnect: enable the keyboard and wait for its ACK.
        writeData(0xf4);
        waitFor(0xfa);
        command(0xab);
        waitFor(0x00);
        writeData(0xff); // keyboard reset: ACK, then the BAT result
        waitFor(0xfa);
        waitFor(0xaa);
        writeData(0xf0); // scan code set 2
        waitFor(0xfa);
        writeData(0x02);
        waitFor(0xfa);
        writeData(0xf4); // clear output data
        waitFor(0xfa);
        writeData(0xed); // UpdateStatusLights
        waitFor(0xfa);
        writeData(0x00);
        waitFor(0xfa);
        assertThat(status() & OBF).as("nothing left over").isZero();
        // A later reset of the console finds the system flag and reads back the command byte.
        assertThat(status() & I8042.STATUS_SYSTEM).isNotZero();
        command(0x20);
        waitFor(0x67);
        assertThat(stops).isEmpty();
    }

    @Test
    void keyboardEchoAndIdentify() {
        writeData(0xee);
        waitFor(0xee);
        writeData(0xf2);
        waitFor(0xfa);
        waitFor(0xab);
        waitFor(0x83);
    }

    @Test
    void eachAnswerIsAnInterruptWhenTheCommandByteEnablesThem() {
        writeData(0xff); // two answers: ACK, BAT
        assertThat(irq).containsExactly(true);
        readData();
        assertThat(irq).as("a new edge for the second byte").containsExactly(true, false, true);
        readData();
        assertThat(irq).containsExactly(true, false, true, false);
        command(I8042.WRITE_COMMAND_BYTE);
        writeData(0x00);
        writeData(0xf4);
        assertThat(irq).hasSize(4);
        assertThat(status() & OBF).isNotZero();
    }

    @Test
    void theStatusTellsWhetherTheLastWriteWasACommand() {
        writeData(0xf4);
        assertThat(status() & I8042.STATUS_COMMAND).isZero();
        command(0xae);
        assertThat(status() & I8042.STATUS_COMMAND).isNotZero();
    }

    /** KeyboardCommand: wait for an empty input buffer, write 0x64, wait again. */
    private void command(int value) {
        assertThat(status() & IBF).isZero();
        IoData.set(data, value);
        kbc.commandPort().write(0, data);
        assertThat(status() & IBF).isZero();
    }

    /** KeyboardWrite: wait for an empty input buffer, write 0x60. */
    private void writeData(int value) {
        assertThat(status() & IBF).isZero();
        IoData.set(data, value);
        kbc.dataPort().write(0, data);
    }

    /** KeyboardWaitForValue, answered on the first poll. */
    private void waitFor(int value) {
        assertThat(status() & OBF).as("output buffer full for 0x%02x", value).isNotZero();
        assertThat(readData()).isEqualTo(value);
    }

    private int status() {
        kbc.commandPort().read(0, data);
        return (int) IoData.get(data);
    }

    private int readData() {
        kbc.dataPort().read(0, data);
        return (int) IoData.get(data);
    }
}
