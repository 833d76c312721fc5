package dev.vmm.devices.legacy;

import dev.vmm.devices.InterruptLine;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * A 16550A UART (eight registers, 16-byte FIFOs), the PC's COM port. Transmission is instant: a byte
 * written to THR goes to the output at once, so the transmitter is always empty. Received bytes come
 * from {@link #receive}, which waits while the receive FIFO is full so that no input is dropped (and a
 * FIFO reset by the guest's driver does not drop host input either, see {@code IIR_FCR}).
 * The interrupt follows QEMU's serial model (level, not gated by MCR.OUT2).
 */
public final class Serial16550 implements BusDevice {
    public static final int COM1_BASE = 0x3f8;
    public static final int COM1_IRQ = 4;
    public static final int REGISTER_COUNT = 8;

    // Register offsets.
    static final int RBR_THR_DLL = 0;
    static final int IER_DLM = 1;
    static final int IIR_FCR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int MSR = 6;
    static final int SCR = 7;

    static final int IER_RDA = 0x01;
    static final int IER_THRE = 0x02;
    static final int IER_RLS = 0x04;
    static final int IER_MS = 0x08;
    static final int IIR_NO_INT = 0x01;
    static final int IIR_MS = 0x00;
    static final int IIR_THRE = 0x02;
    static final int IIR_RDA = 0x04;
    static final int IIR_RLS = 0x06;
    static final int IIR_CTI = 0x0c;
    static final int IIR_FIFO_ENABLED = 0xc0;
    static final int FCR_ENABLE = 0x01;
    static final int FCR_CLEAR_RX = 0x02;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10;
    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;
    static final int MSR_CTS = 0x10;
    static final int MSR_DSR = 0x20;
    static final int MSR_DCD = 0x80;
    private static final int FIFO_SIZE = 16;
    private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};

    private final OutputStream out;
    private final InterruptLine irq;
    private final ArrayDeque<Byte> rx = new ArrayDeque<>(FIFO_SIZE);
    private int ier;
    private int lcr;
    private int mcr;
    private int lsr = LSR_THRE | LSR_TEMT;
    private int msr = MSR_DCD | MSR_DSR | MSR_CTS;
    private int scr;
    private int dll = 0x0c; // 9600 baud, what the BIOS would leave
    private int dlm;
    private int fcr;
    /** THR-empty interrupt pending: set when THR empties, cleared by reading IIR or writing THR. */
    private boolean thrInterrupt;
    private boolean irqLevel;

    /** @param out where transmitted bytes go; {@code null} discards them */
    public Serial16550(OutputStream out, InterruptLine irq) {
        this.out = out;
        this.irq = irq;
    }

    @Override
    public synchronized void read(long offset, MemorySegment data) {
        IoData.set(data, readRegister((int) offset));
    }

    @Override
    public synchronized void write(long offset, MemorySegment data) {
        writeRegister((int) offset, (int) IoData.get(data) & 0xff);
    }

    synchronized int readRegister(int reg) {
        int value = switch (reg) {
            case RBR_THR_DLL -> (lcr & LCR_DLAB) != 0 ? dll : popRx();
            case IER_DLM -> (lcr & LCR_DLAB) != 0 ? dlm : ier;
            case IIR_FCR -> {
                int iir = interruptId();
                if (iir == IIR_THRE) {
                    thrInterrupt = false;
                }
                yield iir | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFO_ENABLED : 0);
            }
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> {
                int v = lsr;
                lsr &= ~LSR_OE;
                yield v;
            }
            case MSR -> (mcr & MCR_LOOP) != 0 ? loopbackMsr() : msr;
            case SCR -> scr;
            default -> 0xff;
        };
        updateIrq();
        return value;
    }

    synchronized void writeRegister(int reg, int value) {
        switch (reg) {
            case RBR_THR_DLL -> {
                if ((lcr & LCR_DLAB) != 0) {
                    dll = value;
                } else {
                    transmit(value);
                }
            }
            case IER_DLM -> {
                if ((lcr & LCR_DLAB) != 0) {
                    dlm = value;
                } else {
                    // Enabling the THRE interrupt with THR empty raises it at once (8250 behaviour
                    // Linux probes for).
                    if ((value & IER_THRE) != 0 && (ier & IER_THRE) == 0) {
                        thrInterrupt = true;
                    }
                    ier = value & 0x0f;
                }
            }
            case IIR_FCR -> {
                // The receive-FIFO reset drops only loopback data. Bytes from the host are user input,
                // never line noise, and typically arrive before the guest's driver resets the FIFO
                // during its initialisation; dropping them would lose the start of piped input.
                if ((value & FCR_CLEAR_RX) != 0 && (mcr & MCR_LOOP) != 0) {
                    rx.clear();
                    lsr &= ~LSR_DR;
                    notifyAll();
                }
                fcr = value & 0xc9;
            }
            case LCR -> lcr = value;
            case MCR -> mcr = value & 0x1f;
            case SCR -> scr = value;
            default -> { } // LSR and MSR are read-only
        }
        updateIrq();
    }

    private void transmit(int value) {
        if ((mcr & MCR_LOOP) != 0) {
            pushRx((byte) value);
        } else if (out != null) {
            try {
                out.write(value);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("serial output", e);
            }
        }
        thrInterrupt = true;
    }

    private int popRx() {
        if (rx.isEmpty()) {
            return 0;
        }
        int b = rx.poll() & 0xff;
        if (rx.isEmpty()) {
            lsr &= ~LSR_DR;
        }
        notifyAll();
        return b;
    }

    private void pushRx(byte b) {
        if (rx.size() >= fifoSize()) {
            lsr |= LSR_OE;
            return;
        }
        rx.add(b);
        lsr |= LSR_DR;
    }

    private int fifoSize() {
        return (fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1;
    }

    /**
     * Feeds received bytes (from stdin, a socket); blocks while the receive FIFO is full, so input is
     * paced by the guest reading it.
     */
    public void receive(byte[] bytes, int length) throws InterruptedException {
        for (int i = 0; i < length; i++) {
            synchronized (this) {
                while (rx.size() >= fifoSize()) {
                    wait();
                }
                pushRx(bytes[i]);
                updateIrq();
            }
        }
    }

    private int interruptId() {
        if ((ier & IER_RLS) != 0 && (lsr & LSR_OE) != 0) {
            return IIR_RLS;
        }
        if ((ier & IER_RDA) != 0 && (lsr & LSR_DR) != 0) {
            int trigger = (fcr & FCR_ENABLE) != 0 ? TRIGGER_LEVELS[fcr >> 6 & 3] : 1;
            // No timer: data below the trigger level reports the character timeout at once.
            return rx.size() >= trigger ? IIR_RDA : IIR_CTI;
        }
        if ((ier & IER_THRE) != 0 && thrInterrupt) {
            return IIR_THRE;
        }
        return IIR_NO_INT;
    }

    private int loopbackMsr() {
        // Loopback wires RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
        return (mcr & 0x02) << 3 | (mcr & 0x01) << 5 | (mcr & 0x04) << 4 | (mcr & 0x08) << 4;
    }

    private void updateIrq() {
        boolean level = interruptId() != IIR_NO_INT;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }
}
