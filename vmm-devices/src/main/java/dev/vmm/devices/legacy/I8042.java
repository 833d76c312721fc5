package dev.vmm.devices.legacy;

import dev.vmm.devices.MachineRequest;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.devices.InterruptLine;
import dev.vmm.devices.bus.BusDevice;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * A minimal i8042 keyboard controller (data port 0x60, status and command port 0x64) with a keyboard
 * that never has a key pressed. It exists for two guests' needs:
 * <ul>
 *   <li>Resets: OVMF writes 0x64 ← 0xFE as its fallback (and its only warm reset). Pulsing the reset
 *       line (0xFE, or any even 0xF0-0xFE) or clearing it through the output port stops the VM with
 *       a {@link MachineRequest.Reset}.
 *   <li>Ps2KeyboardDxe's probe: it reads the status (it gives up at once only if the parity and
 *       timeout bits are both set), then runs the controller self-test (0xAA, waits for 0x55), writes
 *       the command byte, and, with extended verification (the MdeModulePkg default), enables the
 *       keyboard (0xF4, waits for the ACK 0xFA), tests the interface (0xAB, waits for 0x00), resets
 *       the keyboard (0xFF: ACK, then BAT 0xAA), selects scan code set 2 and sets the LEDs. Each wait
 *       lasts up to a second of polling if unanswered, so every one of them gets its answer here and
 *       the driver finishes at once with a keyboard that stays silent.
 * </ul>
 * The input buffer is always empty (commands are taken at once); the output buffer holds the answers
 * in order. Reading the data port with nothing to read returns 0. Other controller commands are
 * accepted and ignored; there is no auxiliary (mouse) device, so its commands get no answer.
 */
public final class I8042 {
    public static final int DATA_PORT = 0x60;
    public static final int COMMAND_PORT = 0x64;
    public static final int KEYBOARD_IRQ = 1;

    static final int STATUS_OUTPUT_FULL = 0x01;
    static final int STATUS_INPUT_FULL = 0x02;
    static final int STATUS_SYSTEM = 0x04;
    static final int STATUS_COMMAND = 0x08;
    static final int STATUS_UNLOCKED = 0x10;

    static final int READ_COMMAND_BYTE = 0x20;
    static final int WRITE_COMMAND_BYTE = 0x60;
    static final int DISABLE_AUX = 0xa7;
    static final int ENABLE_AUX = 0xa8;
    static final int SELF_TEST = 0xaa;
    static final int KEYBOARD_TEST = 0xab;
    static final int DISABLE_KEYBOARD = 0xad;
    static final int ENABLE_KEYBOARD = 0xae;
    static final int READ_OUTPUT_PORT = 0xd0;
    static final int WRITE_OUTPUT_PORT = 0xd1;
    static final int DISABLE_A20 = 0xdd;
    static final int ENABLE_A20 = 0xdf;
    static final int PULSE_RESET = 0xfe;

    static final int SELF_TEST_OK = 0x55;
    static final int INTERFACE_OK = 0x00;
    /** Command byte bits. */
    static final int KEYBOARD_INTERRUPT = 0x01;
    static final int SYSTEM_FLAG = 0x04;
    static final int KEYBOARD_DISABLED = 0x10;
    static final int AUX_DISABLED = 0x20;
    /** Output port bits: the reset line is active low. */
    static final int OUT_RESET = 0x01;
    static final int OUT_A20 = 0x02;

    static final int KBD_ECHO = 0xee;
    static final int KBD_IDENTIFY = 0xf2;
    static final int KBD_RESET = 0xff;
    static final int KBD_ACK = 0xfa;
    static final int KBD_BAT_OK = 0xaa;
    private static final int MF2_ID_1 = 0xab;
    private static final int MF2_ID_2 = 0x83;
    private static final int OUTPUT_LIMIT = 16;

    private final MachineRequest.Sink machine;
    private final InterruptLine irq;
    private final ArrayDeque<Integer> output = new ArrayDeque<>();
    private final BusDevice dataPort = new Port(false);
    private final BusDevice commandPort = new Port(true);
    /** QEMU's power-on command byte: keyboard and aux interrupts enabled. */
    private int commandByte = 0x03;
    private int outputPort = OUT_RESET | OUT_A20;
    private boolean systemFlag;
    private boolean lastWriteWasCommand = true;
    /** A controller command waiting for its data byte (0x60 or 0xD1), or 0. */
    private int pendingCommand;
    private boolean irqLevel;

    /** @param irq IRQ 1, raised while an answer waits and the command byte enables it */
    public I8042(MachineRequest.Sink machine, InterruptLine irq) {
        this.machine = machine;
        this.irq = irq;
    }

    /** The device to place at {@link #DATA_PORT}. */
    public BusDevice dataPort() {
        return dataPort;
    }

    /** The device to place at {@link #COMMAND_PORT} (reads are the status register). */
    public BusDevice commandPort() {
        return commandPort;
    }

    private final class Port implements BusDevice {
        private final boolean command;

        Port(boolean command) {
            this.command = command;
        }

        @Override
        public void read(long offset, MemorySegment data) {
            data.fill((byte) 0);
            data.set(JAVA_BYTE, 0, (byte) (command ? readStatus() : readData()));
        }

        @Override
        public void write(long offset, MemorySegment data) {
            int value = data.get(JAVA_BYTE, 0) & 0xff;
            String reset = command ? writeCommand(value) : writeData(value);
            if (reset != null) {
                machine.request(new MachineRequest.Reset(reset));
            }
        }
    }

    synchronized int readStatus() {
        return (output.isEmpty() ? 0 : STATUS_OUTPUT_FULL) | (systemFlag ? STATUS_SYSTEM : 0)
                | (lastWriteWasCommand ? STATUS_COMMAND : 0) | STATUS_UNLOCKED;
    }

    synchronized int readData() {
        Integer value = output.poll();
        if (irqLevel) {
            // Each byte is its own interrupt: drop the line so that the next byte makes a new edge.
            irqLevel = false;
            irq.setLevel(false);
        }
        updateIrq();
        return value == null ? 0 : value;
    }

    /** Returns how the guest reset the machine, or null. */
    synchronized String writeCommand(int value) {
        lastWriteWasCommand = true;
        pendingCommand = 0;
        String reset = null;
        switch (value) {
            case READ_COMMAND_BYTE -> answer(commandByte);
            case WRITE_COMMAND_BYTE, WRITE_OUTPUT_PORT -> pendingCommand = value;
            case DISABLE_AUX -> commandByte |= AUX_DISABLED;
            case ENABLE_AUX -> commandByte &= ~AUX_DISABLED;
            case SELF_TEST -> {
                systemFlag = true;
                answer(SELF_TEST_OK);
            }
            case KEYBOARD_TEST -> answer(INTERFACE_OK);
            case DISABLE_KEYBOARD -> commandByte |= KEYBOARD_DISABLED;
            case ENABLE_KEYBOARD -> commandByte &= ~KEYBOARD_DISABLED;
            case READ_OUTPUT_PORT -> answer(outputPort);
            case DISABLE_A20 -> outputPort &= ~OUT_A20;
            case ENABLE_A20 -> outputPort |= OUT_A20;
            default -> {
                // 0xF0-0xFF pulse output port bits 0-3 low for the bits that are 0 in the command;
                // bit 0 is the CPU reset line.
                if ((value & 0xf0) == 0xf0 && (value & OUT_RESET) == 0) {
                    reset = String.format("i8042 command 0x%02X pulses the reset line", value);
                }
            }
        }
        updateIrq();
        return reset;
    }

    /** Returns how the guest reset the machine, or null. */
    synchronized String writeData(int value) {
        lastWriteWasCommand = false;
        String reset = null;
        switch (pendingCommand) {
            case WRITE_COMMAND_BYTE -> {
                commandByte = value;
                systemFlag = (value & SYSTEM_FLAG) != 0;
            }
            case WRITE_OUTPUT_PORT -> {
                outputPort = value;
                if ((value & OUT_RESET) == 0) {
                    reset = "i8042 output port write holds the reset line";
                }
            }
            default -> keyboard(value);
        }
        pendingCommand = 0;
        updateIrq();
        return reset;
    }

    /** The keyboard acknowledges every command; a few also answer with data. */
    private void keyboard(int command) {
        switch (command) {
            case KBD_ECHO -> answer(KBD_ECHO);
            case KBD_RESET -> {
                answer(KBD_ACK);
                answer(KBD_BAT_OK);
            }
            case KBD_IDENTIFY -> {
                answer(KBD_ACK);
                answer(MF2_ID_1);
                answer(MF2_ID_2);
            }
            default -> answer(KBD_ACK);
        }
    }

    private void answer(int value) {
        if (output.size() < OUTPUT_LIMIT) {
            output.add(value);
        }
    }

    private void updateIrq() {
        boolean level = !output.isEmpty() && (commandByte & KEYBOARD_INTERRUPT) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }
}
